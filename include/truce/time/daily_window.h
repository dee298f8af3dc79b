// A window of local clock time that recurs every day ("four hours every day,
// 10:00 to 14:00"), and how an incident's time relates to it. The window is
// local time in an IANA zone, so its instants move with summer time: on the
// day clocks go forward 10:00–14:00 is still four hours of the local day,
// starting an hour earlier in UTC than the day before.
// Thread-safety: values and pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "truce/core/status.h"
#include "truce/time/time.h"

namespace truce::time {

// [from, to) in minutes after local midnight, 0..1439 each. `to` earlier than
// `from` runs past midnight into the next day (22:00–02:00); REQUIRES: from != to.
struct DailyWindow {
  int from_min = 0;
  int to_min = 0;
  std::string text;  // "10:00–14:00", for reasons
};

// "10:00" -> 600. Exactly HH:MM, 00:00..23:59; ParseError otherwise.
Result<int> ParseClockMinutes(std::string_view text);
// 600 -> "10:00".
std::string FormatClockMinutes(int minutes);
// "10:00–14:00".
std::string DailyWindowText(int from_min, int to_min);

// The window's occurrences, as UTC intervals, that overlap `span`, in order.
// An occurrence belongs to the local day it starts on. Local times are read
// with the zone's rules of that day: a local time skipped by a jump forward is
// the instant of the jump; one repeated by a jump back is its first occurrence.
Result<std::vector<Interval>> WindowOccurrences(const DailyWindow& w, Interval span, std::string_view tz_name);

// How an incident's time span lies against a daily window.
enum class WindowFit { kInside, kOutside, kPartly };
struct WindowRelation {
  WindowFit fit = WindowFit::kOutside;
  // The share of the span inside some occurrence, 0..1 (1 when inside).
  double inside_share = 0;
};
// kInside when one occurrence holds all of `span` (half-open: an instant at
// `from` is inside, one at `to` is not); kOutside when none overlaps it;
// kPartly otherwise (a day known only to the day against a 4-hour window).
Result<WindowRelation> RelateToWindow(const DailyWindow& w, Interval span, std::string_view tz_name);

// "16:30": the local clock time of an instant in `tz_name` (UTC if unknown).
std::string FormatLocalClock(Instant t, std::string_view tz_name);

}  // namespace truce::time
