#include "truce/time/time.h"

#include <date/date.h>
#include <date/tz.h>

#include <cstdio>
#include <mutex>

#include "truce/core/strings.h"
#include "zone.h"

namespace truce::time {

namespace detail {

const date::time_zone* FindZone(std::string_view name) {
  if (name.empty()) return nullptr;
  try {
    return date::locate_zone(std::string(name));
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace detail

namespace {

using detail::FindZone;

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// Parses "YYYY-MM-DD" at the start of s; returns chars consumed or 0.
size_t ParseDatePrefix(std::string_view s, Days* out) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return 0;
  auto y = ParseInt(s.substr(0, 4));
  auto m = ParseInt(s.substr(5, 2));
  auto d = ParseInt(s.substr(8, 2));
  if (!y || !m || !d) return 0;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return 0;
  }
  date::year_month_day ymd{date::year{static_cast<int>(*y)}, date::month{static_cast<unsigned>(*m)},
                           date::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return 0;
  *out = Days{date::sys_days{ymd}.time_since_epoch()};
  return 10;
}

// Parses "HH:MM" or "HH:MM:SS" at the start of s; returns chars consumed or 0.
size_t ParseTimePrefix(std::string_view s, seconds* out) {
  auto digits = [&](size_t at) { return at + 1 < s.size() && isdigit(s[at]) && isdigit(s[at + 1]); };
  if (s.size() < 5 || !digits(0) || s[2] != ':' || !digits(3)) return 0;
  int h = (s[0] - '0') * 10 + (s[1] - '0');
  int m = (s[3] - '0') * 10 + (s[4] - '0');
  int sec = 0;
  size_t used = 5;
  if (s.size() >= 8 && s[5] == ':' && digits(6)) {
    sec = (s[6] - '0') * 10 + (s[7] - '0');
    used = 8;
  }
  if (h > 23 || m > 59 || sec > 59) return 0;
  *out = hours{h} + minutes{m} + seconds{sec};
  return used;
}

}  // namespace

const char* TimePrecisionName(TimePrecision p) {
  switch (p) {
    case TimePrecision::kExact: return "exact";
    case TimePrecision::kDay: return "day";
    case TimePrecision::kWeek: return "week";
    case TimePrecision::kMonth: return "month";
    case TimePrecision::kYear: return "year";
    case TimePrecision::kRange: return "range";
  }
  return "day";
}

IncidentTime FromAcledPrecision(Days day, int time_precision) {
  IncidentTime t;
  t.first_day = t.last_day = day;
  t.precision = TimePrecision::kDay;
  if (time_precision == 2) {
    t.precision = TimePrecision::kWeek;
    t.first_day = day - days{3};
    t.last_day = day + days{3};
  } else if (time_precision == 3) {
    t.precision = TimePrecision::kMonth;
    date::year_month_day ymd{date::sys_days{day.time_since_epoch()}};
    date::year_month_day first{ymd.year(), ymd.month(), date::day{1}};
    date::year_month_day_last last{ymd.year(), date::month_day_last{ymd.month()}};
    t.first_day = Days{date::sys_days{first}.time_since_epoch()};
    t.last_day = Days{date::sys_days{last}.time_since_epoch()};
  }
  return t;
}

Result<Interval> ToInterval(const IncidentTime& t, std::string_view tz_name) {
  if (t.exact) return Interval{*t.exact, *t.exact + seconds{1}};
  const date::time_zone* tz = FindZone(tz_name.empty() ? "UTC" : tz_name);
  if (tz == nullptr) return Status::InvalidArgument("unknown time zone '" + std::string(tz_name) + "'");
  auto local_start = [&](Days d) {
    date::local_seconds ls{seconds{d.time_since_epoch()}};
    return std::chrono::time_point_cast<seconds>(tz->to_sys(ls, date::choose::earliest));
  };
  return Interval{local_start(t.first_day), local_start(t.last_day + days{1})};
}

Result<Days> ParseIsoDate(std::string_view text) {
  std::string_view s = Trim(text);
  Days d{};
  if (ParseDatePrefix(s, &d) != 10 || s.size() != 10) {
    return Status::ParseError("not a date (YYYY-MM-DD): '" + std::string(text) + "'");
  }
  return d;
}

Result<Instant> ParseLocalDateTime(std::string_view text, std::string_view tz_name) {
  std::string_view s = Trim(text);
  Days d{};
  if (ParseDatePrefix(s, &d) == 0) {
    return Status::ParseError("not a date-time (YYYY-MM-DDTHH:MM): '" + std::string(text) + "'");
  }
  seconds tod{0};
  std::string_view rest = s.substr(10);
  if (!rest.empty()) {
    if (rest[0] != 'T' && rest[0] != ' ') {
      return Status::ParseError("not a date-time (YYYY-MM-DDTHH:MM): '" + std::string(text) + "'");
    }
    size_t used = ParseTimePrefix(rest.substr(1), &tod);
    if (used == 0 || used + 1 != rest.size()) {
      return Status::ParseError("not a local date-time (YYYY-MM-DDTHH:MM, no offset): '" + std::string(text) + "'");
    }
  }
  const date::time_zone* tz = FindZone(tz_name);
  if (tz == nullptr) return Status::InvalidArgument("unknown time zone '" + std::string(tz_name) + "'");
  date::local_seconds ls{seconds{d.time_since_epoch()} + tod};
  try {
    return std::chrono::time_point_cast<seconds>(tz->to_sys(ls, date::choose::earliest));
  } catch (const std::exception& e) {
    return Status::ParseError("'" + std::string(text) + "' in " + std::string(tz_name) + ": " + e.what());
  }
}

Result<Instant> ParseInstant(std::string_view text) {
  std::string_view s = Trim(text);
  Days d{};
  if (ParseDatePrefix(s, &d) == 0 || s.size() < 11 || (s[10] != 'T' && s[10] != ' ')) {
    return Status::ParseError("not a date-time with zone (YYYY-MM-DDTHH:MM[:SS]Z or +HH:MM): '" +
                              std::string(text) + "'");
  }
  seconds tod{0};
  size_t used = ParseTimePrefix(s.substr(11), &tod);
  if (used == 0) return Status::ParseError("not a time of day in '" + std::string(text) + "'");
  std::string_view zone = s.substr(11 + used);
  Instant base{seconds{d.time_since_epoch()} + tod};
  if (zone == "Z" || zone == "z") return base;
  if (zone.empty()) return Status::ParseError("a time with no zone: '" + std::string(text) + "' (add Z or +HH:MM)");
  if ((zone[0] == '+' || zone[0] == '-') && zone.size() == 6 && zone[3] == ':') {
    auto h = ParseInt(zone.substr(1, 2));
    auto m = ParseInt(zone.substr(4, 2));
    if (h && m && *h <= 14 && *m < 60) {
      seconds off = hours{*h} + minutes{*m};
      return zone[0] == '+' ? base - off : base + off;
    }
  }
  return Status::ParseError("bad zone offset in '" + std::string(text) + "'");
}

bool IsKnownTimeZone(std::string_view tz_name) { return FindZone(tz_name) != nullptr; }

std::string FormatDate(Days d) {
  // By hand: date::format goes through a stream, and lists format many dates.
  const date::year_month_day ymd{date::sys_days{d.time_since_epoch()}};
  const int y = static_cast<int>(ymd.year());
  if (y < 0 || y > 9999) return date::format("%F", date::sys_days{d.time_since_epoch()});
  const unsigned m = static_cast<unsigned>(ymd.month()), day = static_cast<unsigned>(ymd.day());
  char out[10] = {static_cast<char>('0' + y / 1000),      static_cast<char>('0' + y / 100 % 10),
                  static_cast<char>('0' + y / 10 % 10),   static_cast<char>('0' + y % 10),
                  '-',
                  static_cast<char>('0' + m / 10),        static_cast<char>('0' + m % 10),
                  '-',
                  static_cast<char>('0' + day / 10),      static_cast<char>('0' + day % 10)};
  return std::string(out, sizeof out);
}

std::string FormatInstantUtc(Instant t) {
  return date::format("%FT%TZ", date::sys_seconds{t.time_since_epoch()});
}

Days LocalDate(Instant t, std::string_view tz_name) {
  const date::time_zone* tz = FindZone(tz_name);
  if (tz == nullptr) return std::chrono::floor<std::chrono::days>(t);
  const date::zoned_seconds z{tz, date::sys_seconds{t.time_since_epoch()}};
  return Days{date::floor<date::days>(z.get_local_time()).time_since_epoch()};
}

std::string FormatLocal(Instant t, std::string_view tz_name) {
  const date::time_zone* tz = FindZone(tz_name);
  if (tz == nullptr) return FormatInstantUtc(t);
  date::zoned_seconds z{tz, date::sys_seconds{t.time_since_epoch()}};
  return date::format("%F %H:%M %Z", z);
}

std::string FormatDuration(std::chrono::seconds d) {
  long long s = d.count() < 0 ? -d.count() : d.count();
  char buf[64];
  if (s < 3600) {
    std::snprintf(buf, sizeof buf, "%lld min", s / 60);
  } else if (s < 48 * 3600) {
    long long h = s / 3600, m = (s % 3600) / 60;
    if (m && h < 10) {
      std::snprintf(buf, sizeof buf, "%lld h %lld min", h, m);
    } else {
      std::snprintf(buf, sizeof buf, "%lld h", h);
    }
  } else {
    long long dd = s / 86400, h = (s % 86400) / 3600;
    if (h) {
      std::snprintf(buf, sizeof buf, "%lld days %lld h", dd, h);
    } else {
      std::snprintf(buf, sizeof buf, "%lld days", dd);
    }
  }
  return buf;
}

}  // namespace truce::time
