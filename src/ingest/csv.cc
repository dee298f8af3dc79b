#include "truce/ingest/csv.h"

#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace truce::ingest {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::size_t CountByte(const char* p, const char* end, char c) {
  std::size_t n = 0;
  while (p < end) {
    const void* hit = std::memchr(p, c, static_cast<std::size_t>(end - p));
    if (hit == nullptr) break;
    ++n;
    p = static_cast<const char*>(hit) + 1;
  }
  return n;
}

// Whether the 8 bytes hold a byte >= 0x80 or a NUL.
inline bool NeedsCheck(std::uint64_t w) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  return ((w | ((w - kOnes) & ~w)) & kHigh) != 0;
}

}  // namespace

const char* CsvIssueMessage(CsvIssue issue) {
  switch (issue) {
    case CsvIssue::kNone: return "";
    case CsvIssue::kUnterminatedQuote: return "unterminated quoted field (no closing '\"' before the end of the file)";
    case CsvIssue::kTextAfterQuote: return "text after the closing quote of a quoted field";
    case CsvIssue::kInvalidUtf8: return "invalid UTF-8";
    case CsvIssue::kNulByte: return "NUL byte in the text";
  }
  return "";
}

std::size_t FindInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (!NeedsCheck(w)) {
        i += 8;
        continue;
      }
    }
    unsigned char c = p[i];
    if (c == 0) return i;
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;  // continuation byte, overlong lead (C0, C1) or beyond F4
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return i;
    }
    i += len;
  }
  return n;
}

void CountQuotesAndNewlines(std::string_view s, std::size_t* quotes, std::size_t* newlines) {
  std::size_t q = 0, nl = 0, i = 0;
  const char* p = s.data();
  const std::size_t n = s.size();
#if defined(__SSE2__)
  const __m128i vq = _mm_set1_epi8('"');
  const __m128i vn = _mm_set1_epi8('\n');
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    q += static_cast<std::size_t>(std::popcount(static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, vq)))));
    nl += static_cast<std::size_t>(std::popcount(static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, vn)))));
  }
#endif
  for (; i < n; ++i) {
    q += p[i] == '"';
    nl += p[i] == '\n';
  }
  *quotes = q;
  *newlines = nl;
}

std::size_t NextRecordStart(std::string_view bytes, std::size_t from, std::size_t quotes_before,
                            std::size_t* newlines_skipped) {
  bool inside = (quotes_before & 1) != 0;
  std::size_t nl = 0;
  for (std::size_t i = from; i < bytes.size(); ++i) {
    char c = bytes[i];
    if (c == '"') {
      inside = !inside;
    } else if (c == '\n') {
      ++nl;
      if (!inside) {
        *newlines_skipped = nl;
        return i + 1;
      }
    }
  }
  *newlines_skipped = nl;
  return bytes.size();
}

CsvTokenizer::CsvTokenizer(std::string_view bytes, CsvOptions options)
    : CsvTokenizer(bytes, bytes.substr(0, kBom.size()) == kBom ? kBom.size() : 0, bytes.size(), 1, options) {}

CsvTokenizer::CsvTokenizer(std::string_view bytes, std::size_t begin, std::size_t end, std::int64_t line,
                           CsvOptions options)
    : bytes_(bytes), pos_(begin), end_(end), line_(line), options_(options) {
  stop_[static_cast<unsigned char>(options_.separator)] = true;
  stop_[static_cast<unsigned char>('\n')] = true;
  stop_[static_cast<unsigned char>('\r')] = true;
}

bool CsvTokenizer::Next(CsvRecord* record) {
  const char* const base = bytes_.data();
  const std::size_t n = bytes_.size();
  const char sep = options_.separator;
  // Blank lines are not records.
  while (pos_ < end_) {
    if (base[pos_] == '\n') {
      ++pos_;
      ++line_;
    } else if (base[pos_] == '\r' && pos_ + 1 < n && base[pos_ + 1] == '\n') {
      pos_ += 2;
      ++line_;
    } else {
      break;
    }
  }
  if (pos_ >= end_) return false;

  record->line = line_;
  record->offset = pos_;
  record->fields.clear();
  record->issue = CsvIssue::kNone;
  record->issue_field = -1;
  escaped_.clear();
  scratch_.clear();

  const std::size_t start = pos_;
  std::size_t p = pos_;
  std::size_t record_end;
  for (;;) {
    const int index = static_cast<int>(record->fields.size());
    if (options_.quoting && p < n && base[p] == '"') {
      const std::size_t open = p;
      std::size_t q = p + 1;
      bool doubled = false;
      std::size_t close = n;
      while (q < n) {
        const void* hit = std::memchr(base + q, '"', n - q);
        if (hit == nullptr) break;
        std::size_t at = static_cast<std::size_t>(static_cast<const char*>(hit) - base);
        if (at + 1 < n && base[at + 1] == '"') {
          doubled = true;
          q = at + 2;
          continue;
        }
        close = at;
        break;
      }
      if (close == n) {
        // Unterminated: the rest of the file is this field.
        line_ += static_cast<std::int64_t>(CountByte(base + open + 1, base + n, '\n'));
        record->fields.emplace_back(base + open + 1, n - open - 1);
        if (record->issue == CsvIssue::kNone) {
          record->issue = CsvIssue::kUnterminatedQuote;
          record->issue_field = index;
        }
        record->raw = std::string_view(base + start, n - start);
        pos_ = n;
        FixUpEscaped(record);
        return true;
      }
      line_ += static_cast<std::int64_t>(CountByte(base + open + 1, base + close, '\n'));
      std::string_view content(base + open + 1, close - open - 1);
      if (doubled) {
        std::size_t off = scratch_.size();
        for (std::size_t k = 0; k < content.size(); ++k) {
          scratch_.push_back(content[k]);
          if (content[k] == '"') ++k;  // the second of a doubled pair
        }
        escaped_.push_back({index, off, scratch_.size() - off});
      }
      record->fields.push_back(content);
      p = close + 1;
      if (p < n && base[p] != sep && base[p] != '\n' && !(base[p] == '\r' && (p + 1 == n || base[p + 1] == '\n'))) {
        if (record->issue == CsvIssue::kNone) {
          record->issue = CsvIssue::kTextAfterQuote;
          record->issue_field = index;
        }
        while (p < n && base[p] != sep && base[p] != '\n') ++p;
        if (p < n && base[p] == '\n' && p > close + 1 && base[p - 1] == '\r') --p;
      }
    } else {
      std::size_t e = p;
      for (;;) {
        while (e < n && !stop_[static_cast<unsigned char>(base[e])]) ++e;
        // A lone CR inside a field is text; CR before LF (or at the end) ends the line.
        if (e < n && base[e] == '\r' && e + 1 < n && base[e + 1] != '\n') {
          ++e;
          continue;
        }
        break;
      }
      record->fields.emplace_back(base + p, e - p);
      p = e;
    }
    if (p >= n) {
      record_end = n;
      pos_ = n;
      break;
    }
    if (base[p] == sep) {
      ++p;
      continue;
    }
    record_end = p;
    if (base[p] == '\r') {
      pos_ = (p + 1 < n && base[p + 1] == '\n') ? p + 2 : p + 1;
    } else {
      pos_ = p + 1;
    }
    ++line_;
    break;
  }
  record->raw = std::string_view(base + start, record_end - start);
  FixUpEscaped(record);
  if (options_.validate_utf8) CheckUtf8(record);
  return true;
}

void CsvTokenizer::FixUpEscaped(CsvRecord* record) {
  for (const Escaped& e : escaped_) {
    record->fields[static_cast<std::size_t>(e.field)] = std::string_view(scratch_.data() + e.offset, e.size);
  }
}

void CsvTokenizer::CheckUtf8(CsvRecord* record) const {
  if (FindInvalidUtf8(record->raw) == record->raw.size()) return;
  if (record->issue != CsvIssue::kNone) return;  // report the first problem only
  for (std::size_t f = 0; f < record->fields.size(); ++f) {
    std::string_view v = record->fields[f];
    std::size_t at = FindInvalidUtf8(v);
    if (at != v.size()) {
      record->issue = v[at] == '\0' ? CsvIssue::kNulByte : CsvIssue::kInvalidUtf8;
      record->issue_field = static_cast<int>(f);
      return;
    }
  }
  // Only in bytes outside every field (after a closing quote): blame the record.
  record->issue = CsvIssue::kInvalidUtf8;
  record->issue_field = 0;
}

}  // namespace truce::ingest
