// Dates and times in news text, resolved against the publication date:
// "Thursday" (the latest Thursday on or before it, or the next one after
// "will"/"next"), "March 5, 2020", "6 March", "Feb. 3", "in December" (a month),
// "2018" (a year), "last week", "today", "on the tenth day of the ceasefire"
// (kept as an ordinal for the caller to resolve), and times of day: "at
// midnight", "00:01", "7 pm", "2am", "9:45 pm", "1600 GMT".
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "segment.h"
#include "truce/time/time.h"

namespace truce::extract {

enum class DatePrecision { kDay, kWeek, kMonth, kYear };

struct Temporal {
  size_t first = 0;  // token range [first, last)
  size_t last = 0;
  bool is_time = false;  // a time of day; otherwise a date
  // Dates.
  DatePrecision precision = DatePrecision::kDay;
  time::Days day{};  // the day; the first day of the month or year at those precisions
  int ordinal_day_of = 0;  // "the tenth day of the ceasefire" -> 10 (day unset)
  bool explicit_year = false;
  bool relative = false;   // "Thursday", "last week", "today"
  // Times.
  int minutes = 0;          // since midnight
  bool midnight = false;    // "midnight": the caller decides which day it closes
  bool utc = false;         // "GMT" / "UTC"
  bool in_parens = false;   // "(1600 GMT)": an alternative rendering
  // Context.
  bool after_since = false; // "since ..."
  // A range of days ("Jan. 15-17", "from Nov. 3 to 9", "between Monday and
  // Wednesday"): `day` is its first day, `range_end` its last; unset otherwise.
  std::optional<time::Days> range_end;
};

// All dates and times in the tokens, left to right, not overlapping. A day
// followed by "-" and a later day, or after "from" / "between" by "to" /
// "through" / "until" / "and" and a later day (a day number alone keeps the
// month), is one temporal: a range over both (at most a year long).
std::vector<Temporal> FindTemporals(const std::vector<Token>& tokens, time::Days published);

// Convenience for tests and fuzzing.
std::vector<Temporal> FindTemporalsInText(std::string_view text, time::Days published);

// "2020-03-05", "2020-03" or "2020" by precision (a week gives its day).
std::string FormatTemporalDate(const Temporal& t);
// "YYYY-MM-DDTHH:MM".
std::string FormatDateTime(time::Days day, int minutes);

// 1..12 for a folded month name or abbreviation ("feb", "sept"), else 0.
int MonthNumber(std::string_view folded);
// 0 (Monday) .. 6 (Sunday) for a folded weekday name or abbreviation, else -1.
int WeekdayNumber(std::string_view folded);

}  // namespace truce::extract
