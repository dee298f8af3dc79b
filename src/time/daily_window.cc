#include "truce/time/daily_window.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <cstdio>

#include "zone.h"

namespace truce::time {
namespace {

using std::chrono::days;
using std::chrono::minutes;
using std::chrono::seconds;

// A daily window without a zone is in UTC.
const date::time_zone* ZoneOrUtc(std::string_view name) { return detail::FindZone(name.empty() ? "UTC" : name); }

// A local day plus minutes as an instant. to_sys with choose::earliest never
// throws: a skipped local time maps to the instant of the jump, a repeated
// one to its first occurrence.
Instant LocalToInstant(const date::time_zone* tz, Days day, int minutes_after_midnight) {
  const date::local_seconds ls{seconds{day.time_since_epoch()} + minutes{minutes_after_midnight}};
  return std::chrono::time_point_cast<seconds>(tz->to_sys(ls, date::choose::earliest));
}

Days LocalDay(const date::time_zone* tz, Instant t) {
  const date::zoned_seconds z{tz, date::sys_seconds{t.time_since_epoch()}};
  return Days{date::floor<date::days>(z.get_local_time()).time_since_epoch()};
}

}  // namespace

Result<int> ParseClockMinutes(std::string_view text) {
  auto digit = [&](size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text.size() != 5 || text[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4)) {
    return Status::ParseError("not a time of day HH:MM: '" + std::string(text) + "'");
  }
  const int h = (text[0] - '0') * 10 + (text[1] - '0');
  const int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (h > 23 || m > 59) return Status::ParseError("not a time of day HH:MM: '" + std::string(text) + "'");
  return h * 60 + m;
}

std::string FormatClockMinutes(int minutes_of_day) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", (minutes_of_day / 60) % 24, minutes_of_day % 60);
  return buf;
}

std::string DailyWindowText(int from_min, int to_min) {
  return FormatClockMinutes(from_min) + "\u2013" + FormatClockMinutes(to_min);
}

Result<std::vector<Interval>> WindowOccurrences(const DailyWindow& w, Interval span, std::string_view tz_name) {
  const date::time_zone* tz = ZoneOrUtc(tz_name);
  if (tz == nullptr) return Status::InvalidArgument("unknown time zone '" + std::string(tz_name) + "'");
  if (w.from_min == w.to_min) return Status::InvalidArgument("a daily window needs 'from' != 'to'");
  const bool past_midnight = w.to_min < w.from_min;
  // An occurrence starting the local day before span.begin may still be open
  // (past midnight); none starting after span.end's local day can overlap.
  const Days first = LocalDay(tz, span.begin) - days{1};
  const Days last = LocalDay(tz, span.end);
  std::vector<Interval> out;
  for (Days d = first; d <= last; d += days{1}) {
    Interval occ{LocalToInstant(tz, d, w.from_min), LocalToInstant(tz, past_midnight ? d + days{1} : d, w.to_min)};
    if (occ.end <= occ.begin) continue;  // wholly inside a skipped hour
    if (occ.end > span.begin && occ.begin < span.end) out.push_back(occ);
  }
  return out;
}

Result<WindowRelation> RelateToWindow(const DailyWindow& w, Interval span, std::string_view tz_name) {
  Result<std::vector<Interval>> occ = WindowOccurrences(w, span, tz_name);
  if (!occ.ok()) return occ.status();
  WindowRelation r;
  if (occ->empty()) return r;
  for (const Interval& o : *occ) {
    if (o.begin <= span.begin && span.end <= o.end) {
      r.fit = WindowFit::kInside;
      r.inside_share = 1;
      return r;
    }
  }
  long long inside_s = 0;
  for (const Interval& o : *occ) inside_s += (std::min(o.end, span.end) - std::max(o.begin, span.begin)).count();
  const long long total_s = (span.end - span.begin).count();
  r.fit = WindowFit::kPartly;
  r.inside_share = total_s > 0 ? static_cast<double>(inside_s) / static_cast<double>(total_s) : 0;
  return r;
}

std::string FormatLocalClock(Instant t, std::string_view tz_name) {
  const date::time_zone* tz = ZoneOrUtc(tz_name);
  if (tz == nullptr) tz = date::locate_zone("UTC");
  const date::zoned_seconds z{tz, date::sys_seconds{t.time_since_epoch()}};
  const auto local = z.get_local_time();
  const auto minute_of_day = date::floor<minutes>(local - date::floor<date::days>(local)).count();
  return FormatClockMinutes(static_cast<int>(minute_of_day));
}

}  // namespace truce::time
