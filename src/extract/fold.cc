#include "fold.h"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <array>
#include <cctype>
#include <memory>
#include <mutex>

#include "truce/extract/text.h"

namespace truce::extract {
namespace {

// Folded forms of the Latin ranges, built once with ICU (NFD, marks removed,
// lower case), so the hot path is a table look-up.
struct LatinTable {
  static constexpr char32_t kEnd1 = 0x250, kBegin2 = 0x1E00, kEnd2 = 0x1F00;
  std::array<std::string, kEnd1> low;
  std::array<std::string, kEnd2 - kBegin2> ext;

  LatinTable() {
    UErrorCode st = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(st);
    auto fold = [&](char32_t cp) -> std::string {
      switch (cp) {
        case 0xDF: return "ss";
        case 0xD8: case 0xF8: return "o";
        case 0xC6: case 0xE6: return "ae";
        case 0x152: case 0x153: return "oe";
        case 0x110: case 0x111: return "d";
        case 0x141: case 0x142: return "l";
        case 0x131: return "i";
        case 0xDE: case 0xFE: return "th";
        case 0xD0: case 0xF0: return "d";
        case 0xB4: case 0x2BB: case 0x2BC: case 0x2BE: case 0x2BF: return "";
        default: break;
      }
      if (U_FAILURE(st) || nfd == nullptr) return "";
      icu::UnicodeString us(static_cast<UChar32>(cp));
      UErrorCode s2 = U_ZERO_ERROR;
      icu::UnicodeString d = nfd->normalize(us, s2);
      std::string o;
      for (int32_t k = 0; k < d.length(); ++k) {
        UChar32 c = d.char32At(k);
        if (c > 0xFFFF) ++k;
        if (u_getCombiningClass(c) != 0 || u_charType(c) == U_NON_SPACING_MARK) continue;
        c = u_tolower(c);
        if (c < 0x80) o.push_back(static_cast<char>(c));
        else if (u_isalnum(c)) AppendUtf8(static_cast<char32_t>(c), &o);
      }
      return o;
    };
    for (char32_t c = 0x80; c < kEnd1; ++c) low[c] = fold(c);
    for (char32_t c = kBegin2; c < kEnd2; ++c) ext[c - kBegin2] = fold(c);
  }
};

const LatinTable& Table() {
  static const LatinTable table;
  return table;
}

// Other scripts go through ICU's transliterator, which is not safe to share
// between threads: one instance behind a mutex (rare in English reports).
std::string Transliterate(char32_t cp) {
  static std::mutex mu;
  static std::unique_ptr<icu::Transliterator> tr;
  static bool tried = false;
  std::lock_guard<std::mutex> lock(mu);
  if (!tried) {
    tried = true;
    UErrorCode st = U_ZERO_ERROR;
    tr.reset(icu::Transliterator::createInstance("Any-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, st));
    if (U_FAILURE(st)) tr.reset();
  }
  if (!tr) return "";
  icu::UnicodeString us(static_cast<UChar32>(cp));
  tr->transliterate(us);
  std::string o;
  for (int32_t k = 0; k < us.length(); ++k) {
    UChar c = us.charAt(k);
    if (c < 0x80 && (std::isalnum(c) != 0)) o.push_back(static_cast<char>(std::tolower(c)));
  }
  return o;
}

bool IsApostropheLike(char32_t cp) {
  return cp == '\'' || cp == '`' || cp == 0x2018 || cp == 0x2019 || cp == 0x2BB || cp == 0x2BC ||
         cp == 0x2BE || cp == 0x2BF || cp == 0xB4 || cp == 0x2032;
}

bool IsArticle(std::string_view w) {
  return w == "al" || w == "el" || w == "ash" || w == "as" || w == "ad" || w == "ar" || w == "at" || w == "az" ||
         w == "an" || w == "adh" || w == "ath" || w == "ed" || w == "es" || w == "et" || w == "ez" || w == "er";
}

}  // namespace

std::string FoldWord(std::string_view word) {
  std::string out;
  out.reserve(word.size());
  size_t i = 0;
  while (i < word.size()) {
    unsigned char c = static_cast<unsigned char>(word[i]);
    if (c < 0x80) {
      ++i;
      if (c >= 'A' && c <= 'Z') out.push_back(static_cast<char>(c - 'A' + 'a'));
      else if (c == '\'' || c == '`') continue;
      else out.push_back(static_cast<char>(c));
      continue;
    }
    char32_t cp = DecodeUtf8(word, &i);
    if (IsApostropheLike(cp)) continue;
    const LatinTable& t = Table();
    if (cp < LatinTable::kEnd1) out += t.low[cp];
    else if (cp >= LatinTable::kBegin2 && cp < LatinTable::kEnd2) out += t.ext[cp - LatinTable::kBegin2];
    else if (cp == 0xFFFD || (cp >= 0x2000 && cp <= 0x206F)) continue;
    else if (u_isalpha(static_cast<UChar32>(cp))) out += Transliterate(cp);
    else if (u_isdigit(static_cast<UChar32>(cp))) out.push_back(static_cast<char>('0' + u_charDigitValue(static_cast<UChar32>(cp))));
  }
  return out;
}

namespace {
// ASCII names (most of the gazetteer): the same folding without decoding.
bool FoldNameAscii(std::string_view name, std::string* out) {
  for (char c : name) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  std::string word;
  std::string pending;
  auto flush = [&]() {
    if (word.empty()) return;
    pending.clear();
    if (IsArticle(word)) {
      pending = word;
    } else {
      if (!out->empty()) out->push_back(' ');
      *out += word;
    }
    word.clear();
  };
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') word.push_back(static_cast<char>(c - 'A' + 'a'));
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) word.push_back(c);
    else if (c == '\'' || c == '`') continue;
    else flush();
  }
  flush();
  if (!pending.empty()) {
    if (!out->empty()) out->push_back(' ');
    *out += pending;
  }
  return true;
}
}  // namespace

std::string FoldName(std::string_view name) {
  {
    std::string fast;
    if (FoldNameAscii(name, &fast)) return fast;
  }
  // Split on anything that is not a letter, digit or apostrophe-like mark.
  std::string out;
  std::string word;
  std::string pending_article;
  auto flush = [&]() {
    if (word.empty()) return;
    std::string f = FoldWord(word);
    word.clear();
    if (f.empty()) return;
    pending_article.clear();  // an article before another word is dropped
    if (IsArticle(f)) {
      pending_article = f;
      return;
    }
    if (!out.empty()) out.push_back(' ');
    out += f;
  };
  size_t i = 0;
  while (i < name.size()) {
    size_t start = i;
    char32_t cp = DecodeUtf8(name, &i);
    bool keep = cp >= 0x80 ? (IsApostropheLike(cp) || u_isalnum(static_cast<UChar32>(cp)) ||
                              u_charType(static_cast<UChar32>(cp)) == U_NON_SPACING_MARK)
                           : (std::isalnum(static_cast<int>(cp)) != 0 || cp == '\'' || cp == '`');
    if (keep) word.append(name.data() + start, i - start);
    else flush();
  }
  flush();
  if (!pending_article.empty()) {  // an article at the end is a word after all
    if (!out.empty()) out.push_back(' ');
    out += pending_article;
  }
  return out;
}

std::string Skeleton(std::string_view folded) {
  std::string out;
  for (char c : folded) {
    if (c == ' ' || c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y' || c == 'w') continue;
    if (!out.empty() && out.back() == c) continue;
    out.push_back(c);
  }
  return out;
}

}  // namespace truce::extract
