// The forms a time may take in an agreement file.
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

}  // namespace

std::optional<TimeText> ReadTime(Ctx& ctx, const Val& val, const TimeContext& tc) {
  auto raw = ReadNonEmptyString(ctx, val);
  if (!raw) return std::nullopt;
  const std::string text = *raw;
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
