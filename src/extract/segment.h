// Sentence and word segmentation for news text: ICU's sentence break
// iterator over UTF-8 (no copy to UTF-16), corrected for abbreviations ("Feb.",
// "Gen.", "U.S.", initials), plus a fast tokenizer and dateline detection
// ("MOSCOW (AP) —"). Thread-safety: a SentenceSplitter may be shared; Split()
// clones the ICU iterator per call.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <unicode/brkiter.h>

#include "truce/core/status.h"

namespace truce::extract {

struct ByteSpan {
  size_t begin = 0;
  size_t end = 0;
};

enum TokenFlag : uint16_t {
  kWord = 1,          // letters (and digits)
  kNumber = 2,        // digits, possibly with , . : inside ("3,200", "7:00")
  kCap = 4,           // starts with an upper-case letter
  kAllCaps = 8,       // two or more letters, all upper case ("AP", "MOSCOW")
  kPunct = 16,        // one punctuation character
  kHyphenBefore = 32, // joined to the previous token by a hyphen ("cease-fire")
  kSpaceBefore = 64,  // whitespace before it
  kLineBefore = 128,  // a line break before it
};

struct Token {
  uint32_t begin = 0;  // byte offsets in the document
  uint32_t end = 0;
  uint16_t flags = 0;
  std::string norm;    // folded: "sarāqib" -> "saraqib"; punctuation as ASCII ("—" -> "-")
  bool Has(TokenFlag f) const { return (flags & f) != 0; }
};

// Splits `text[span]` into tokens. Words keep inner periods of acronyms
// ("U.S." -> "us") and apostrophes ("Sana'a" -> "sanaa") except a possessive
// "'s", which becomes its own token "'s"; hyphens split words but mark the next
// token kHyphenBefore. Dashes and quotes fold to "-" and "\"".
std::vector<Token> Tokenize(std::string_view text, ByteSpan span);

class SentenceSplitter {
 public:
  // `abbreviations`: lower-case words without their final period ("feb", "gen").
  static Result<std::unique_ptr<SentenceSplitter>> Create(std::unordered_set<std::string> abbreviations);
  ~SentenceSplitter();

  // Sentences of `text` in order, trimmed of surrounding whitespace; line
  // breaks always end a sentence. `text` must be valid UTF-8.
  std::vector<ByteSpan> Split(std::string_view text) const;

 private:
  SentenceSplitter() = default;
  bool IsAbbreviationBefore(std::string_view text, size_t boundary) const;
  std::unique_ptr<icu::BreakIterator> proto_;
  std::unordered_set<std::string> abbreviations_;
};

// A dateline at the start of a paragraph: "MOSCOW (AP) — ", "IDLIB - ",
// "KYIV, Ukraine — ". Returns the place as written ("MOSCOW"), the agency if
// any ("AP"), and the byte span of the whole dateline.
struct Dateline {
  std::string place;
  std::string agency;
  ByteSpan span;
};
std::optional<Dateline> FindDateline(std::string_view text, size_t paragraph_begin);

}  // namespace truce::extract
