#include "csv.h"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace truce::ingest {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Bit i set when byte i of the 64 is the separator, '\n', '\r', '"', or a
// byte >= 0x80 or NUL (which UTF-8 validation must look at).
struct BlockMasks {
  std::uint64_t sep, nl, cr, quote, hi;
};

void MasksScalar(const char* p, std::size_t len, char sep, BlockMasks* m) {
  *m = {};
  for (std::size_t i = 0; i < len; ++i) {
    const char c = p[i];
    const std::uint64_t bit = std::uint64_t{1} << i;
    if (c == sep) m->sep |= bit;
    if (c == '\n') m->nl |= bit;
    if (c == '\r') m->cr |= bit;
    if (c == '"') m->quote |= bit;
    if (c == '\0' || (static_cast<unsigned char>(c) & 0x80)) m->hi |= bit;
  }
}

#if defined(__SSE2__)
void Masks64Sse2(const char* p, char sep, BlockMasks* m) {
  const __m128i vs = _mm_set1_epi8(sep), vn = _mm_set1_epi8('\n'), vr = _mm_set1_epi8('\r');
  const __m128i vq = _mm_set1_epi8('"'), zero = _mm_setzero_si128();
  *m = {};
  for (int k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    auto bits = [&](__m128i x) { return static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(x))) << (16 * k); };
    m->sep |= bits(_mm_cmpeq_epi8(v, vs));
    m->nl |= bits(_mm_cmpeq_epi8(v, vn));
    m->cr |= bits(_mm_cmpeq_epi8(v, vr));
    m->quote |= bits(_mm_cmpeq_epi8(v, vq));
    m->hi |= bits(_mm_or_si128(v, _mm_cmpeq_epi8(v, zero)));
  }
}
#endif

#if defined(__x86_64__)
__attribute__((target("avx2"))) void Masks64Avx2(const char* p, char sep, BlockMasks* m) {
  const __m256i vs = _mm256_set1_epi8(sep), vn = _mm256_set1_epi8('\n'), vr = _mm256_set1_epi8('\r');
  const __m256i vq = _mm256_set1_epi8('"'), zero = _mm256_setzero_si256();
  *m = {};
  for (int k = 0; k < 2; ++k) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * k));
    const int shift = 32 * k;
#define TRUCE_BITS(x) (static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm256_movemask_epi8(x))) << shift)
    m->sep |= TRUCE_BITS(_mm256_cmpeq_epi8(v, vs));
    m->nl |= TRUCE_BITS(_mm256_cmpeq_epi8(v, vn));
    m->cr |= TRUCE_BITS(_mm256_cmpeq_epi8(v, vr));
    m->quote |= TRUCE_BITS(_mm256_cmpeq_epi8(v, vq));
    m->hi |= TRUCE_BITS(_mm256_or_si256(v, _mm256_cmpeq_epi8(v, zero)));
#undef TRUCE_BITS
  }
}

__attribute__((target("avx512bw"))) void Masks64Avx512(const char* p, char sep, BlockMasks* m) {
  const __m512i v = _mm512_loadu_si512(p);
  m->sep = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(sep));
  m->nl = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\n'));
  m->cr = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\r'));
  m->quote = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('"'));
  m->hi = _mm512_movepi8_mask(v) | _mm512_cmpeq_epi8_mask(v, _mm512_setzero_si512());
}
#endif

using MasksFn = void (*)(const char*, char, BlockMasks*);

MasksFn PickMasks() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512bw")) return Masks64Avx512;
  if (__builtin_cpu_supports("avx2")) return Masks64Avx2;
#endif
#if defined(__SSE2__)
  return Masks64Sse2;
#else
  return [](const char* p, char sep, BlockMasks* m) { MasksScalar(p, 64, sep, m); };
#endif
}

// The masks of bytes [pos, pos + 64) (bytes past the end count as nothing).
inline void Masks(std::string_view bytes, std::size_t pos, char sep, BlockMasks* m) {
  static const MasksFn fn = PickMasks();
  if (pos + 64 <= bytes.size()) {
    fn(bytes.data() + pos, sep, m);
  } else {
    MasksScalar(bytes.data() + pos, bytes.size() - pos, sep, m);
  }
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
#if defined(__SSE2__)
    if (i + 16 <= n) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      if ((_mm_movemask_epi8(v) | _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setzero_si128()))) == 0) {
        i += 16;
        continue;
      }
    }
#endif
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
  const __m128i zero = _mm_setzero_si128();
  while (i + 16 <= n) {
    // Byte counters (a match subtracts -1) for at most 255 blocks, then summed.
    __m128i aq = zero, an = zero;
    const std::size_t blocks = std::min<std::size_t>((n - i) / 16, 255);
    for (std::size_t b = 0; b < blocks; ++b, i += 16) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      aq = _mm_sub_epi8(aq, _mm_cmpeq_epi8(v, vq));
      an = _mm_sub_epi8(an, _mm_cmpeq_epi8(v, vn));
    }
    __m128i sq = _mm_sad_epu8(aq, zero), sn = _mm_sad_epu8(an, zero);
    q += static_cast<std::size_t>(_mm_cvtsi128_si64(sq)) + static_cast<std::size_t>(_mm_extract_epi16(sq, 4));
    nl += static_cast<std::size_t>(_mm_cvtsi128_si64(sn)) + static_cast<std::size_t>(_mm_extract_epi16(sn, 4));
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

void FindRecordSpans(std::string_view bytes, std::size_t begin, std::size_t end, bool quoting,
                     std::vector<std::pair<std::size_t, std::size_t>>* spans) {
  const std::size_t n = bytes.size();
  if (begin >= end || begin >= n) return;
  std::size_t start = begin;
  bool inside = false;
  for (std::size_t block = begin; block < n; block += 64) {
    BlockMasks m;
    Masks(bytes, block, ',', &m);
    std::uint64_t bits = m.nl | (quoting ? m.quote : 0);
    while (bits != 0) {
      const std::size_t at = block + static_cast<std::size_t>(__builtin_ctzll(bits));
      bits &= bits - 1;
      if (bytes[at] == '"') {
        inside = !inside;
        continue;
      }
      if (inside) continue;
      std::size_t stop = at;
      if (stop > start && bytes[stop - 1] == '\r') --stop;
      if (stop > start) spans->emplace_back(start, stop - start);  // blank lines are no records
      start = at + 1;
      if (start >= end) return;
    }
  }
  std::size_t stop = n;
  if (!inside && stop > start && bytes[stop - 1] == '\r') --stop;
  if (stop > start) spans->emplace_back(start, stop - start);
}

CsvTokenizer::CsvTokenizer(std::string_view bytes, CsvOptions options)
    : CsvTokenizer(bytes, bytes.substr(0, kBom.size()) == kBom ? kBom.size() : 0, bytes.size(), 1, options) {}

CsvTokenizer::CsvTokenizer(std::string_view bytes, std::size_t begin, std::size_t end, std::int64_t line,
                           CsvOptions options)
    : bytes_(bytes), pos_(begin), end_(end), line_(line), options_(options) {}

void CsvTokenizer::LoadBlock(std::size_t pos) {
  BlockMasks m;
  Masks(bytes_, pos, options_.separator, &m);
  block_ = pos;
  structural_ = m.sep | m.nl | m.cr;
  quote_nl_ = (options_.quoting ? m.quote : 0) | m.nl;
  hi_ = m.hi;
  non_ascii_seen_ |= m.hi;
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

  // Bytes >= 0x80 or NUL seen by the scanner from here on decide whether the
  // record needs a UTF-8 check.
  non_ascii_seen_ = pos_ - block_ < 64 ? hi_ >> (pos_ - block_) : 0;
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
      // A doubled quote is unescaped as the scan finds it: the run up to and
      // including its first quote is copied, the second dropped.
      bool doubled = false;
      std::size_t off = scratch_.size();
      std::size_t run = open + 1;
      std::size_t close = n;
      for (;;) {
        const std::size_t at = NextQuoteOrNewline(q);
        if (at >= n) break;
        if (base[at] == '\n') {
          ++line_;
          q = at + 1;
        } else if (at + 1 < n && base[at + 1] == '"') {
          doubled = true;
          scratch_.append(base + run, at + 1 - run);
          run = at + 2;
          q = at + 2;
        } else {
          close = at;
          break;
        }
      }
      if (close == n) {
        // Unterminated: the rest of the file is this field.
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
      std::string_view content(base + open + 1, close - open - 1);
      if (doubled) {
        scratch_.append(base + run, close - run);
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
        non_ascii_seen_ = ~std::uint64_t{0};  // bytes the scanner skipped: check them all
        if (p < n && base[p] == '\n' && p > close + 1 && base[p - 1] == '\r') --p;
      }
    } else {
      std::size_t e = p;
      for (;;) {
        e = NextStructural(e);
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
  if (non_ascii_seen_ == 0) return;
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
