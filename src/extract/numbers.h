// Figures in news text: "58", "3,200", "fifty-eight", "two", "3 million",
// "nearly a million", with the qualifier that comes with them ("more than",
// "at least", "nearly", "up to"), and vague amounts ("hundreds of thousands")
// that carry no count. Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "segment.h"

namespace truce::extract {

enum class Qualifier { kExact, kMoreThan, kAtLeast, kAbout, kUpTo };
const char* QualifierName(Qualifier q);  // "exact", "more_than", ...

struct Quantity {
  size_t first = 0;         // token range [first, last) with the qualifier
  size_t last = 0;
  size_t number_first = 0;  // first token of the number itself
  std::optional<double> value;  // absent for vague amounts
  Qualifier qualifier = Qualifier::kExact;
  std::string vague;        // "hundreds of thousands" when value is absent
};

// The quantity starting at token i (its qualifier included), if any. Times
// ("7:00") and bare ordinals are not quantities; "one of" is not a number.
std::optional<Quantity> ParseQuantityAt(const std::vector<Token>& tokens, size_t i);

// All quantities in a token sequence, left to right, not overlapping.
std::vector<Quantity> FindQuantities(const std::vector<Token>& tokens);

// Convenience for tests and fuzzing: the first quantity in `text`.
std::optional<Quantity> ParseQuantityText(std::string_view text);

// Value of a number word ("two" -> 2, "fifty" -> 50, "million" -> 1e6), or -1.
double NumberWordValue(std::string_view folded_word);
// Value of an ordinal word ("tenth" -> 10, "third" -> 3), or 0.
int OrdinalWordValue(std::string_view folded_word);

}  // namespace truce::extract
