// The forms a time may take in an agreement file.
#include <algorithm>
#include <cstdio>

#include "internal.h"
#include "truce/core/strings.h"

namespace truce::agreement::internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Ends with "Z" or "+HH:MM"/"-HH:MM" after a time of day.
bool HasOffset(std::string_view s) {
  if (s.size() > 10 && (s.back() == 'Z' || s.back() == 'z')) return true;
  if (s.size() < 17) return false;
  std::string_view tail = s.substr(s.size() - 6);
  return (tail[0] == '+' || tail[0] == '-') && IsDigit(tail[1]) && IsDigit(tail[2]) && tail[3] == ':' &&
         IsDigit(tail[4]) && IsDigit(tail[5]) && s[s.size() - 7] != '-';
}

const char* kForms = "write YYYY-MM-DD or YYYY-MM-DDTHH:MM, optionally followed by Z, +HH:MM or a zone like Asia/Damascus";

// Times and dates an agreement can mean: years 1900..2199 (older agreements
// than any dataset covers, later than any planned one). A year like 0001 or
// 9999 is a typo that would otherwise make a provision apply always or never.
// docs/agreement-format.md documents the range.
constexpr std::chrono::year kFirstYear{1900};
constexpr std::chrono::year kLastYear{2199};

bool InRange(time::Days d) {
  const std::chrono::year y = std::chrono::year_month_day(d).year();
  return y >= kFirstYear && y <= kLastYear;
}

// Reports a time or date out of range (not for stored agreements: they were
// accepted before the range existed).
bool CheckRange(Ctx& ctx, const Val& val, time::Days d, const std::string& text) {
  if (InRange(d) || ctx.state().stored) return true;
  ctx.Error(val.pos, val.name + " '" + text + "' is out of range (years 1900..2199)");
  return false;
}

std::optional<TimeText> Checked(Ctx& ctx, const Val& val, TimeText t) {
  if (!CheckRange(ctx, val, std::chrono::floor<std::chrono::days>(t.instant), t.text)) return std::nullopt;
  return t;
}

// The local clock time of `t` in `tz` as "HH:MM:SS" (zones' offsets are whole
// minutes, so the seconds are UTC's).
std::string LocalClock(time::Instant t, const std::string& tz) {
  const std::string local = time::FormatLocal(t, tz);  // "2020-03-06 00:01 EET"
  const long long secs = t.time_since_epoch().count() % 60;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.5s:%02lld", local.c_str() + 11, secs < 0 ? secs + 60 : secs);
  return buf;
}

// Counts up to this many days or hours (about a century): more is a typo.
constexpr long long kMaxRelativeDays = 36'600;

}  // namespace

bool LooksRelative(std::string_view text) {
  text = Trim(text);
  return StartsWith(text, "+") || StartsWith(text, "day ");
}

std::optional<time::Instant> ResolveRelativeTime(std::string_view written, time::Instant anchor, const std::string& tz,
                                                 std::string* error) {
  error->clear();
  const std::string_view text = Trim(written);
  if (!LooksRelative(text)) return std::nullopt;
  std::string quoted(1, '\'');
  quoted.append(text).push_back('\'');
  const bool day_form = StartsWith(text, "day ");
  std::string_view digits = day_form ? Trim(text.substr(4)) : text.substr(1);
  char unit = 'd';
  if (!day_form) {
    if (digits.empty()) {
      *error = "not a relative time: " + quoted + " (write +10d, +72h, +2w or day 42)";
      return std::nullopt;
    }
    unit = digits.back();
    digits.remove_suffix(1);
  }
  const bool digits_ok = !digits.empty() && digits.size() <= 6 && std::all_of(digits.begin(), digits.end(), IsDigit);
  if (!digits_ok || (unit != 'd' && unit != 'h' && unit != 'w')) {
    *error = "not a relative time: " + quoted + " (write +10d, +72h, +2w or day 42)";
    return std::nullopt;
  }
  const long long n = std::stoll(std::string(digits));
  if (day_form && n == 0) {
    *error = "there is no 'day 0': the day of entry into force is day 1";
    return std::nullopt;
  }
  const long long days = unit == 'w' ? n * 7 : unit == 'd' ? n : n / 24;
  if (days > kMaxRelativeDays) {
    *error = quoted + " is more than a century after entry into force";
    return std::nullopt;
  }
  if (unit == 'h') return anchor + std::chrono::hours(n);
  // Calendar days: the anchor's local date plus n days, at the anchor's local
  // clock time ("+Nd", "+Nw") or at 00:00 ("day N"), so that a summer-time
  // change in between does not shift the hour.
  const time::Days local_day = time::LocalDate(anchor, tz) + std::chrono::days(day_form ? n - 1 : days);
  std::string local = time::FormatDate(local_day);
  local.append("T");
  local.append(day_form ? std::string("00:00") : LocalClock(anchor, tz));
  Result<time::Instant> t = time::ParseLocalDateTime(local, tz);
  if (!t.ok()) {
    *error = quoted + " does not resolve in " + tz + ": " + t.status().message();
    return std::nullopt;
  }
  return *t;
}

std::optional<TimeText> ReadTime(Ctx& ctx, const Val& val, const TimeContext& tc) {
  auto raw = ReadNonEmptyString(ctx, val);
  if (!raw) return std::nullopt;
  const std::string text = *raw;
  if (LooksRelative(text)) {
    if (val.name == "'entry_into_force'") {
      ctx.Error(val.pos, "'entry_into_force' cannot be relative ('" + text + "'): relative times count from it");
      return std::nullopt;
    }
    if (!tc.anchor) {
      if (!tc.anchor_given) {
        ctx.Error(val.pos, val.name + " '" + text +
                               "' is relative to 'entry_into_force', which this document does not give");
      }
      return std::nullopt;  // else the invalid entry into force was reported
    }
    std::string error;
    std::optional<time::Instant> t = ResolveRelativeTime(text, *tc.anchor, tc.tz.empty() ? "UTC" : tc.tz, &error);
    if (!t) {
      ctx.Error(val.pos, error);
      return std::nullopt;
    }
    TimeText out{*t, text + " (" + time::FormatLocal(*t, tc.tz.empty() ? "UTC" : tc.tz) + ")", text};
    return Checked(ctx, val, out);
  }
  if (HasOffset(text)) {
    Result<time::Instant> t = time::ParseInstant(text);
    if (!t.ok()) {
      ctx.Error(val.pos, "not a date or time: '" + text + "' (" + kForms + ")");
      return std::nullopt;
    }
    return Checked(ctx, val, TimeText{*t, text});
  }
  // "2020-03-06T00:01 Asia/Damascus": a zone name after the last space.
  const size_t space = text.rfind(' ');
  if (space != std::string::npos && space + 1 < text.size() && !IsDigit(text[space + 1])) {
    const std::string local(Trim(std::string_view(text).substr(0, space)));
    const std::string zone = text.substr(space + 1);
    if (!time::IsKnownTimeZone(zone)) {
      ctx.Error(val.pos, "unknown time zone '" + zone + "'");
      return std::nullopt;
    }
    Result<time::Instant> t = time::ParseLocalDateTime(local, zone);
    if (!t.ok()) {
      ctx.Error(val.pos, "not a date or time: '" + text + "' (" + kForms + ")");
      return std::nullopt;
    }
    return Checked(ctx, val, TimeText{*t, text});
  }
  if (!tc.tz_given) {
    ctx.Error(val.pos, "a time with no zone: '" + text + "' — add `timezone:` or write Z/+HH:MM");
    return std::nullopt;
  }
  if (!tc.tz_valid) return std::nullopt;  // the unknown `timezone:` was reported once
  Result<time::Instant> t = time::ParseLocalDateTime(text, tc.tz);
  if (!t.ok()) {
    ctx.Error(val.pos, "not a date or time: '" + text + "' (" + kForms + ")");
    return std::nullopt;
  }
  return Checked(ctx, val, TimeText{*t, text + " " + tc.tz});
}

std::optional<time::Days> ReadDate(Ctx& ctx, const Val& val) {
  auto raw = ReadNonEmptyString(ctx, val);
  if (!raw) return std::nullopt;
  Result<time::Days> d = time::ParseIsoDate(*raw);
  if (!d.ok()) {
    ctx.Error(val.pos, val.name + " is not a date (YYYY-MM-DD): '" + *raw + "'");
    return std::nullopt;
  }
  if (!CheckRange(ctx, val, *d, *raw)) return std::nullopt;
  return *d;
}

}  // namespace truce::agreement::internal
