// Time in Truce: instants in UTC, local times with an IANA time zone (Howard
// Hinnant's date/tz over the system tzdata), civil dates, half-open intervals,
// and the precision with which a date is known.
//
// Datasets give incident dates as local calendar days; a day becomes an
// interval of instants only once a time zone is known (the agreement's).
// Thread-safety: values; the tz database is loaded once, thread-safely.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "truce/core/status.h"

namespace truce::time {

using Instant = std::chrono::sys_seconds;
using Days = std::chrono::sys_days;  // a civil date (no zone)

// Half-open [begin, end).
struct Interval {
  Instant begin;
  Instant end;
  bool Contains(Instant t) const { return t >= begin && t < end; }
  friend bool operator==(const Interval&, const Interval&) = default;
};

// How precisely a date is known (ACLED time_precision 1..3, UCDP date_prec 1..5).
enum class TimePrecision { kExact, kDay, kWeek, kMonth, kYear, kRange };
const char* TimePrecisionName(TimePrecision p);

// A date as a dataset gives it: the first and last civil day it may be
// (inclusive), and an exact instant when one is known.
struct IncidentTime {
  Days first_day{};
  Days last_day{};
  TimePrecision precision = TimePrecision::kDay;
  std::optional<Instant> exact;  // when the time of day is known (UTC)
};

// ACLED time_precision: 1 the day; 2 a week (the date given is its midpoint,
// so +-3 days); 3 a month (the date is the month's midpoint: the whole month).
IncidentTime FromAcledPrecision(Days day, int time_precision);

// The instants an IncidentTime may cover, taking days in `tz_name`.
Result<Interval> ToInterval(const IncidentTime& t, std::string_view tz_name);

// "2020-03-06" -> civil date. ParseError on anything else.
Result<Days> ParseIsoDate(std::string_view text);
// Accepts "2020-03-06T00:01", "2020-03-06 00:01[:SS]" or a bare date (00:00)
// as local time in `tz_name`; rejects offsets here (use ParseInstant).
Result<Instant> ParseLocalDateTime(std::string_view text, std::string_view tz_name);
// "2020-03-05T22:01:00Z" or with "+02:00": an instant. A time with no zone or
// offset is a ParseError ("a time with no zone").
Result<Instant> ParseInstant(std::string_view text);
// Whether `tz_name` is a known IANA zone.
bool IsKnownTimeZone(std::string_view tz_name);

// "2020-03-06" and "2020-03-05T22:01:00Z".
std::string FormatDate(Days d);
std::string FormatInstantUtc(Instant t);
// The civil date an instant falls on in `tz_name` (UTC for an unknown zone,
// as FormatLocal).
Days LocalDate(Instant t, std::string_view tz_name);
// "2020-03-06 00:01 EET" (local time in the zone, with its abbreviation).
std::string FormatLocal(Instant t, std::string_view tz_name);
// "4 h", "2 days 3 h", "35 min": a coarse human duration of |seconds|.
std::string FormatDuration(std::chrono::seconds d);

}  // namespace truce::time
