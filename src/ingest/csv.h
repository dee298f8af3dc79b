// A fast RFC 4180 tokenizer: one pass over the whole file held in memory,
// fields as string_views into it (only quoted fields with doubled quotes are
// copied, unescaped, into a scratch buffer). The dataset readers sit on it.
// Internal to ingest (its tests, fuzzers and benchmarks reach it through
// truce_ingest_internal).
//
// Accepted: quoted fields with doubled quotes, separators and line breaks
// inside quotes, CRLF or LF line ends, a UTF-8 byte-order mark at the start,
// a last line with or without its line end. Blank lines are skipped (as
// pandas does). A quote inside an unquoted field is taken literally (as
// Python's csv module does). Problems that concern one record (an
// unterminated quote, text after a closing quote, invalid UTF-8) come back on
// the record, so the caller can name the row and field or skip it.
// Thread-safety: one tokenizer per thread; tokenizers over the same bytes
// may run in parallel.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace truce::ingest {

enum class CsvIssue {
  kNone,
  kUnterminatedQuote,  // a quoted field runs to the end of the file
  kTextAfterQuote,     // "abc"def: text between a closing quote and the separator
  kInvalidUtf8,        // a field is not valid UTF-8
  kNulByte,            // a field holds a NUL byte
};
const char* CsvIssueMessage(CsvIssue issue);

struct CsvRecord {
  std::int64_t line = 0;    // 1-based line of the record's first byte
  std::size_t offset = 0;   // byte offset of the record's first byte
  std::string_view raw;     // the record's bytes, without its line end
  std::vector<std::string_view> fields;
  CsvIssue issue = CsvIssue::kNone;
  int issue_field = -1;     // 0-based field the issue is in (the first one)
};

struct CsvOptions {
  char separator = ',';
  // DEFAULT true. False reads quotes as ordinary characters (GDELT's TSV).
  bool quoting = true;
  // DEFAULT true: every field is checked to be UTF-8 without NUL bytes.
  bool validate_utf8 = true;
};

class CsvTokenizer {
 public:
  // Tokenizes `bytes` (which must outlive the tokenizer); a BOM at the start
  // is skipped.
  explicit CsvTokenizer(std::string_view bytes, CsvOptions options = {});
  // Tokenizes bytes[begin, end), where `begin` is the start of a record on
  // line `line`. A record that starts before `end` is read to its end, even
  // past `end`; so consecutive ranges split at record starts read every
  // record once.
  CsvTokenizer(std::string_view bytes, std::size_t begin, std::size_t end, std::int64_t line,
               CsvOptions options = {});

  // Reads the next record into *record (its views stay valid until the next
  // call). Returns false at the end of the range.
  bool Next(CsvRecord* record);

  // Offset and line where the next record would start.
  std::size_t position() const { return pos_; }
  std::int64_t line() const { return line_; }

 private:
  void FixUpEscaped(CsvRecord* record);
  void CheckUtf8(CsvRecord* record) const;

  // The scanner: bit masks of the 64 bytes from block_ on, so that a field's
  // end is found a word at a time rather than a byte at a time.
  void LoadBlock(std::size_t pos);
  // Offset of the first separator, '\n' or '\r' at or after pos (size() if none).
  std::size_t NextStructural(std::size_t pos) {
    for (;;) {
      if (pos - block_ >= 64) {  // also when pos < block_
        if (pos >= bytes_.size()) return bytes_.size();
        LoadBlock(pos);
      }
      const std::uint64_t m = structural_ >> (pos - block_);
      if (m != 0) return pos + static_cast<std::size_t>(__builtin_ctzll(m));
      pos = block_ + 64;
    }
  }
  // Offset of the first '"' (when quoting) or '\n' at or after pos.
  std::size_t NextQuoteOrNewline(std::size_t pos) {
    for (;;) {
      if (pos - block_ >= 64) {
        if (pos >= bytes_.size()) return bytes_.size();
        LoadBlock(pos);
      }
      const std::uint64_t m = quote_nl_ >> (pos - block_);
      if (m != 0) return pos + static_cast<std::size_t>(__builtin_ctzll(m));
      pos = block_ + 64;
    }
  }

  std::string_view bytes_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  std::int64_t line_ = 1;
  CsvOptions options_;
  std::size_t block_ = static_cast<std::size_t>(-1) / 2;  // start of the scanned block
  std::uint64_t structural_ = 0, quote_nl_ = 0, hi_ = 0;
  std::uint64_t non_ascii_seen_ = 0;  // any byte >= 0x80 or NUL in the record's blocks
  std::string scratch_;  // unescaped quoted fields of the current record
  struct Escaped {
    int field;
    std::size_t offset, size;  // in scratch_
  };
  std::vector<Escaped> escaped_;
};

// Byte offset of the first byte in `s` that makes it invalid UTF-8 (overlong
// forms, surrogates and code points above U+10FFFF are invalid) or is NUL;
// s.size() when there is none.
std::size_t FindInvalidUtf8(std::string_view s);

// The start of the first record after `from`, given that bytes[0, from)
// holds `quotes_before` quote characters: just past the first '\n' reached
// at an even quote count. Used to split a file for parallel reading; the
// split must be checked against the tokenizer, which takes stray quotes
// literally. Returns bytes.size() when there is none. *newlines_skipped gets
// the number of '\n' in [from, result).
std::size_t NextRecordStart(std::string_view bytes, std::size_t from, std::size_t quotes_before,
                            std::size_t* newlines_skipped);

// The records of bytes[begin, end) as a quote count finds them (begin must
// be a record start): appends each one's (offset, size) without its line end,
// skipping blank lines, as the tokenizer would. Much faster than tokenizing;
// the tokenizer disagrees only where a quote is stray (inside an unquoted
// field), so a caller must check the spans it uses against the tokenizer's.
void FindRecordSpans(std::string_view bytes, std::size_t begin, std::size_t end, bool quoting,
                     std::vector<std::pair<std::size_t, std::size_t>>* spans);

// Counts '"' and '\n' in s (fast).
void CountQuotesAndNewlines(std::string_view s, std::size_t* quotes, std::size_t* newlines);

}  // namespace truce::ingest
