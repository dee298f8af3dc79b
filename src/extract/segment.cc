#include "segment.h"

#include <unicode/uchar.h>
#include <unicode/utext.h>

#include <algorithm>
#include <cctype>

#include "fold.h"
#include "truce/extract/text.h"

namespace truce::extract {
namespace {

bool IsSpaceCp(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 || (c >= 0x2000 && c <= 0x200B) ||
         c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}
bool IsAlnumCp(char32_t c) {
  if (c < 0x80) return std::isalnum(static_cast<int>(c)) != 0;
  if (c == 0xFFFD) return false;
  return u_isalnum(static_cast<UChar32>(c)) || u_charType(static_cast<UChar32>(c)) == U_NON_SPACING_MARK ||
         u_charType(static_cast<UChar32>(c)) == U_COMBINING_SPACING_MARK || c == 0x2BF || c == 0x2BE;
}
bool IsDigitCp(char32_t c) { return c >= '0' && c <= '9'; }
bool IsApos(char32_t c) { return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x2BC || c == '`'; }
bool IsHyphen(char32_t c) { return c == '-' || c == 0x2010 || c == 0x2011; }
bool IsUpperCp(char32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  return u_isupper(static_cast<UChar32>(c));
}
bool IsLetterCp(char32_t c) {
  if (c < 0x80) return std::isalpha(static_cast<int>(c)) != 0;
  return u_isalpha(static_cast<UChar32>(c));
}

std::string PunctNorm(char32_t c) {
  switch (c) {
    case 0x2014: case 0x2013: case 0x2012: case 0x2212: case 0x2015: return "-";
    case 0x201C: case 0x201D: case 0x201E: case 0xAB: case 0xBB: return "\"";
    case 0x2018: case 0x2019: case 0x2032: return "'";
    case 0x2026: return "...";
    default: break;
  }
  std::string s;
  if (c < 0x80) s.push_back(static_cast<char>(c));
  else AppendUtf8(c, &s);
  return s;
}

char32_t PeekCp(std::string_view text, size_t i, size_t end) {
  if (i >= end) return 0;
  size_t k = i;
  return DecodeUtf8(text.substr(0, end), &k);
}

}  // namespace

std::vector<Token> Tokenize(std::string_view text, ByteSpan span) {
  std::vector<Token> out;
  size_t end = std::min(span.end, text.size());
  size_t i = span.begin;
  bool space_before = false, line_before = false, hyphen_pending = false;
  std::string_view lim = text.substr(0, end);
  while (i < end) {
    size_t start = i;
    char32_t c = DecodeUtf8(lim, &i);
    if (IsSpaceCp(c)) {
      space_before = true;
      if (c == '\n') line_before = true;
      hyphen_pending = false;
      continue;
    }
    if (IsAlnumCp(c) && c != 0xFFFD) {
      // A word or number.
      bool digits = IsDigitCp(c);
      size_t seg_letters = 1;  // letters since the last inner period (acronyms)
      bool has_inner_period = false;
      size_t j = i;
      while (j < end) {
        size_t k = j;
        char32_t d = DecodeUtf8(lim, &k);
        if (IsAlnumCp(d) && d != 0xFFFD) {
          if (digits && !IsDigitCp(d)) break;  // "7pm" -> "7" "pm"
          if (!digits && IsDigitCp(d)) digits = false;
          j = k;
          ++seg_letters;
          continue;
        }
        if (digits && (d == ',' || d == '.' || d == ':')) {
          char32_t n = PeekCp(lim, k, end);
          if (IsDigitCp(n)) { j = k; continue; }
          break;
        }
        if (!digits && d == '.' && seg_letters == 1) {
          // "U.S." / "U.N.": single letters separated by periods.
          size_t k2 = k;
          char32_t n = k < end ? DecodeUtf8(lim, &k2) : 0;
          char32_t n2 = PeekCp(lim, k2, end);
          if (IsLetterCp(n) && n2 == '.') { j = k; seg_letters = 0; has_inner_period = true; continue; }
          if (has_inner_period) { j = k; break; }  // the acronym's final period
          break;
        }
        if (!digits && IsApos(d)) {
          char32_t n = PeekCp(lim, k, end);
          if (!IsAlnumCp(n)) break;
          if (n == 's' || n == 'S') {
            size_t k2 = k;
            DecodeUtf8(lim, &k2);
            if (!IsAlnumCp(PeekCp(lim, k2, end))) break;  // possessive: its own token
          }
          j = k;
          continue;
        }
        break;
      }
      Token t;
      t.begin = static_cast<uint32_t>(start);
      t.end = static_cast<uint32_t>(j);
      std::string_view w = text.substr(start, j - start);
      if (IsDigitCp(c)) {
        t.flags |= kNumber | kWord;
        t.norm.assign(w.begin(), w.end());
      } else {
        t.flags |= kWord;
        t.norm = FoldWord(w);
        std::string tmp;
        for (char ch : t.norm) if (ch != '.') tmp.push_back(ch);
        t.norm.swap(tmp);
        if (IsUpperCp(c)) t.flags |= kCap;
        size_t letters = 0, uppers = 0;
        size_t q = 0;
        while (q < w.size()) {
          char32_t e = DecodeUtf8(w, &q);
          if (IsLetterCp(e)) {
            ++letters;
            if (IsUpperCp(e)) ++uppers;
          }
        }
        if (letters >= 2 && uppers == letters) t.flags |= kAllCaps;
      }
      if (t.norm.empty()) t.norm.push_back('?');
      if (space_before) t.flags |= kSpaceBefore;
      if (line_before) t.flags |= kLineBefore;
      if (hyphen_pending) t.flags |= kHyphenBefore;
      out.push_back(std::move(t));
      i = j;
      space_before = line_before = hyphen_pending = false;
      continue;
    }
    // Possessive "'s".
    if (IsApos(c) && !out.empty() && !space_before) {
      char32_t n = PeekCp(lim, i, end);
      if (n == 's' || n == 'S') {
        size_t k2 = i;
        DecodeUtf8(lim, &k2);
        if (!IsAlnumCp(PeekCp(lim, k2, end))) {
          Token t;
          t.begin = static_cast<uint32_t>(start);
          t.end = static_cast<uint32_t>(k2);
          t.norm.push_back('\'');
          t.norm.push_back('s');
          t.flags = kWord;
          out.push_back(std::move(t));
          i = k2;
          space_before = line_before = hyphen_pending = false;
          continue;
        }
      }
    }
    // A hyphen between two word characters joins them.
    if (IsHyphen(c) && !space_before && !out.empty() && out.back().Has(kWord) && IsAlnumCp(PeekCp(lim, i, end))) {
      hyphen_pending = true;
      continue;
    }
    Token t;
    t.begin = static_cast<uint32_t>(start);
    t.end = static_cast<uint32_t>(i);
    t.flags = kPunct;
    if (space_before) t.flags |= kSpaceBefore;
    if (line_before) t.flags |= kLineBefore;
    t.norm = PunctNorm(c);
    out.push_back(std::move(t));
    space_before = line_before = hyphen_pending = false;
  }
  return out;
}

Result<std::unique_ptr<SentenceSplitter>> SentenceSplitter::Create(std::unordered_set<std::string> abbreviations) {
  std::unique_ptr<SentenceSplitter> s(new SentenceSplitter());
  UErrorCode st = U_ZERO_ERROR;
  s->proto_.reset(icu::BreakIterator::createSentenceInstance(icu::Locale::getUS(), st));
  if (U_FAILURE(st) || !s->proto_) {
    return Status::Internal(std::string("ICU sentence break iterator: ") + u_errorName(st));
  }
  s->abbreviations_ = std::move(abbreviations);
  return s;
}

SentenceSplitter::~SentenceSplitter() = default;

bool SentenceSplitter::IsAbbreviationBefore(std::string_view text, size_t boundary) const {
  size_t e = boundary;
  while (e > 0 && (text[e - 1] == ' ' || text[e - 1] == '\t')) --e;
  if (e == 0 || text[e - 1] != '.') return false;
  size_t b = e - 1;
  while (b > 0 && (std::isalpha(static_cast<unsigned char>(text[b - 1])) != 0 || text[b - 1] == '.')) --b;
  std::string_view word = text.substr(b, e - 1 - b);
  if (word.empty()) return false;
  if (word.size() == 1 && std::isupper(static_cast<unsigned char>(word[0])) != 0) return true;  // initial "J."
  if (word.find('.') != std::string_view::npos) {
    // "U.S." / "U.N.": an abbreviation unless the next word starts a sentence
    // plainly ("... the U.S. The next"): keep it joined; a rare mis-join is cheaper.
    return true;
  }
  std::string lower;
  for (char ch : word) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
  return abbreviations_.count(lower) > 0;
}

std::vector<ByteSpan> SentenceSplitter::Split(std::string_view text) const {
  std::vector<ByteSpan> out;
  if (text.empty()) return out;
  UErrorCode st = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &st);
  if (U_FAILURE(st)) return out;
  std::unique_ptr<icu::BreakIterator> bi(proto_->clone());
  bi->setText(ut, st);
  if (U_FAILURE(st)) {
    utext_close(ut);
    return out;
  }
  auto push = [&](size_t b, size_t e) {
    while (b < e && (std::isspace(static_cast<unsigned char>(text[b])) != 0)) ++b;
    while (e > b && (std::isspace(static_cast<unsigned char>(text[e - 1])) != 0)) --e;
    if (e > b) out.push_back({b, e});
  };
  size_t start = 0;
  int32_t prev = bi->first();
  (void)prev;
  for (int32_t p = bi->next(); p != icu::BreakIterator::DONE; p = bi->next()) {
    size_t pos = static_cast<size_t>(p);
    if (pos > text.size()) break;
    // Line breaks always end sentences; abbreviations never do.
    bool hard = pos > 0 && text[pos - 1] == '\n';
    if (!hard && pos < text.size() && IsAbbreviationBefore(text, pos)) continue;
    // Split further at line breaks inside the span.
    size_t b = start;
    for (size_t k = start; k < pos; ++k) {
      if (text[k] == '\n') {
        push(b, k);
        b = k + 1;
      }
    }
    push(b, pos);
    start = pos;
  }
  if (start < text.size()) {
    size_t b = start;
    for (size_t k = start; k < text.size(); ++k) {
      if (text[k] == '\n') {
        push(b, k);
        b = k + 1;
      }
    }
    push(b, text.size());
  }
  utext_close(ut);
  return out;
}

std::optional<Dateline> FindDateline(std::string_view text, size_t paragraph_begin) {
  size_t i = paragraph_begin, n = std::min(text.size(), paragraph_begin + 120);
  std::string_view lim = text.substr(0, n);
  size_t letters = 0;
  size_t place_end = i;
  // Upper-case place words.
  while (i < n) {
    size_t k = i;
    char32_t c = DecodeUtf8(lim, &k);
    if (IsLetterCp(c)) {
      if (!IsUpperCp(c)) return std::nullopt;
      ++letters;
      i = k;
      place_end = i;
      continue;
    }
    if (c == ' ' || c == '.' || c == '\'' || c == 0x2019 || (c == '-' && IsLetterCp(PeekCp(lim, k, n)))) {
      i = k;
      continue;
    }
    break;
  }
  if (letters < 3) return std::nullopt;
  Dateline d;
  d.place = std::string(text.substr(paragraph_begin, place_end - paragraph_begin));
  i = place_end;
  // ", Syria" (a country or region in mixed case) and ", March 10" (the day
  // of writing, as agencies put it): up to two comma-separated parts of
  // letters, digits, spaces and periods.
  for (int part = 0; part < 2 && i < n && text[i] == ','; ++part) {
    size_t k = i + 1;
    while (k < n && text[k] == ' ') ++k;
    size_t w = k;
    while (k < n && (std::isalnum(static_cast<unsigned char>(text[k])) != 0 || text[k] == ' ' || text[k] == '.')) ++k;
    if (k == w) break;
    i = k;
  }
  while (i < n && text[i] == ' ') ++i;
  if (i < n && text[i] == '(') {
    size_t close = text.find(')', i);
    if (close == std::string_view::npos || close > n || close - i > 30) return std::nullopt;
    d.agency = std::string(text.substr(i + 1, close - i - 1));
    i = close + 1;
    while (i < n && text[i] == ' ') ++i;
  }
  size_t k = i;
  if (k >= n) return std::nullopt;
  char32_t dash = DecodeUtf8(lim, &k);
  if (!(dash == '-' || dash == 0x2014 || dash == 0x2013 || dash == 0x2015)) return std::nullopt;
  while (k < n && (text[k] == '-' )) ++k;
  if (k >= n || text[k] != ' ') return std::nullopt;
  while (k < n && text[k] == ' ') ++k;
  while (!d.place.empty() && (d.place.back() == ' ' || d.place.back() == '.')) d.place.pop_back();
  d.span = {paragraph_begin, k};
  return d;
}

}  // namespace truce::extract
