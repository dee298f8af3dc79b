#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>

#include <date/date.h>

#include "internal.h"
#include "truce/core/sha256.h"

namespace truce::ingest::internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// All digits, 1..9 of them.
std::optional<int> Digits(std::string_view s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (!IsDigit(c)) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::optional<time::Days> MakeDay(int y, int m, int d) {
  if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)}, date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return time::Days{date::sys_days{ymd}.time_since_epoch()};
}

int ExpandYear(std::string_view y, int value) {
  if (y.size() != 2) return value;
  return value < 70 ? 2000 + value : 1900 + value;
}

// "Aug", "August", "aug." -> 8.
int MonthFromName(std::string_view s) {
  static const char* const kNames[] = {"january", "february", "march",     "april",   "may",      "june",
                                       "july",    "august",   "september", "october", "november", "december"};
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  if (s.size() < 3) return 0;
  for (int m = 0; m < 12; ++m) {
    std::string_view name = kNames[m];
    if (s.size() != 3 && s.size() != name.size()) continue;
    bool match = true;
    for (std::size_t i = 0; i < s.size(); ++i) {
      char c = s[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != name[i]) {
        match = false;
        break;
      }
    }
    if (match) return m + 1;
  }
  return 0;
}

// "HH:MM", "HH:MM:SS" or "HH:MM:SS.fff" (any number of fraction digits):
// hours 00-23, minutes 00-59, seconds 00-60 (a leap second).
bool ValidTimeOfDay(std::string_view t) {
  auto two = [&](std::size_t at, int max) {
    if (at + 2 > t.size() || !IsDigit(t[at]) || !IsDigit(t[at + 1])) return false;
    return (t[at] - '0') * 10 + (t[at + 1] - '0') <= max;
  };
  if (!two(0, 23) || t.size() < 5 || t[2] != ':' || !two(3, 59)) return false;
  if (t.size() == 5) return true;
  if (t[5] != ':' || !two(6, 60)) return false;
  if (t.size() == 8) return true;
  if (t[8] != '.' || t.size() == 9) return false;
  return std::all_of(t.begin() + 9, t.end(), IsDigit);
}

}  // namespace

void ResetIncident(model::Report* in) {
  in->id = 0;
  in->record_id = 0;
  in->dataset.clear();
  in->source_id.clear();
  in->time = time::IncidentTime{};
  in->event_type.clear();
  in->sub_event_type.clear();
  in->native_code.clear();
  in->actor1.clear();
  in->assoc_actor1.clear();
  in->actor2.clear();
  in->assoc_actor2.clear();
  in->country.clear();
  in->iso3.clear();
  in->admin1.clear();
  in->admin2.clear();
  in->admin3.clear();
  in->location.clear();
  in->point = geo::LatLon{};
  in->uncertainty_m = 0;
  in->geo_precision = 0;
  in->time_precision = 0;
  in->track.clear();
  in->fatalities = 0;
  in->fatalities_low.reset();
  in->fatalities_high.reset();
  in->source.clear();
  in->notes.clear();
}

std::string_view TrimView(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
  return s.substr(b, e - b);
}

std::optional<long long> ParseCount(std::string_view s) {
  s = TrimView(s);
  if (s.empty() || s.size() > 18) return std::nullopt;
  long long v = 0;
  std::size_t i = 0;
  for (; i < s.size() && IsDigit(s[i]); ++i) v = v * 10 + (s[i] - '0');
  if (i == 0) return std::nullopt;
  if (i < s.size()) {
    if (s[i] != '.' || i + 1 == s.size()) return std::nullopt;
    for (++i; i < s.size(); ++i) {
      if (s[i] != '0') return std::nullopt;
    }
  }
  return v;
}

std::optional<double> ParseNumber(std::string_view s) {
  s = TrimView(s);
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  if (s.empty() || !(IsDigit(s.front()) || s.front() == '-' || s.front() == '.')) return std::nullopt;
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::general);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<time::Days> ParseAcledDate(std::string_view s) {
  s = TrimView(s);
  if (s.size() < 6) return std::nullopt;
  // "2019-12-31", also "2019-12-31 00:00:00" as pandas writes datetimes.
  if (s.size() >= 10 && IsDigit(s[0]) && IsDigit(s[3]) && s[4] == '-') return ParseIsoDatePrefix(s);
  // The first '-' or ' ' is the separator; it must occur exactly twice (one
  // pass: this runs once per row of a large file).
  char sep = 0;
  std::size_t a = std::string_view::npos, b = std::string_view::npos;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (sep == 0) {
      if (c == '-' || c == ' ') {
        sep = c;
        a = i;
      }
    } else if (c == sep) {
      if (b != std::string_view::npos) return std::nullopt;
      b = i;
    }
  }
  if (sep == 0 || b == std::string_view::npos) return std::nullopt;
  std::string_view ds = s.substr(0, a), ms = s.substr(a + 1, b - a - 1), ys = s.substr(b + 1);
  if (ds.empty() || ds.size() > 2 || (ys.size() != 2 && ys.size() != 4)) return std::nullopt;
  auto d = Digits(ds);
  auto y = Digits(ys);
  if (!d || !y) return std::nullopt;
  int m = 0;
  if (sep == '-' && ms.size() <= 2) {
    auto mm = Digits(ms);  // "31-12-19": DD-MM-YY
    if (!mm) return std::nullopt;
    m = *mm;
  } else {
    m = MonthFromName(ms);  // "5-Aug-24", "01 November 2024"
  }
  if (m == 0) return std::nullopt;
  return MakeDay(ExpandYear(ys, *y), m, *d);
}

std::optional<time::Days> ParseIsoDatePrefix(std::string_view s) {
  s = TrimView(s);
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  // Only a time of day may follow: "2020-03-05 00:00:00.000" / "T00:00:00".
  if (s.size() > 10 && ((s[10] != ' ' && s[10] != 'T') || !ValidTimeOfDay(s.substr(11)))) return std::nullopt;
  auto y = Digits(s.substr(0, 4));
  auto m = Digits(s.substr(5, 2));
  auto d = Digits(s.substr(8, 2));
  if (!y || !m || !d) return std::nullopt;
  return MakeDay(*y, *m, *d);
}

std::optional<time::Days> ParseYyyymmdd(std::string_view s) {
  s = TrimView(s);
  if (s.size() != 8) return std::nullopt;
  auto y = Digits(s.substr(0, 4));
  auto m = Digits(s.substr(4, 2));
  auto d = Digits(s.substr(6, 2));
  if (!y || !m || !d) return std::nullopt;
  return MakeDay(*y, *m, *d);
}

std::string Quote(std::string_view value) {
  constexpr std::size_t kMax = 60;
  std::string out = "'";
  if (value.size() > kMax) {
    std::size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8 chars
    out.append(value.substr(0, cut));
    out += "...";
  } else {
    out.append(value);
  }
  out += "'";
  return out;
}

Status FieldError(const std::string& file, std::int64_t row, std::string_view field, const std::string& what,
                  std::string_view value) {
  return Status::RowError(file, row, std::string(field), what + ": " + Quote(value));
}

void ContentHash(std::string_view prefix, std::string_view raw, std::string* out) {
  unsigned char digest[32];
  Sha256Prefixed(prefix, raw, digest);
  Sha256DigestHex(digest, out);
}

int Find(const std::vector<std::string>& lower, std::string_view name) {
  auto it = std::find(lower.begin(), lower.end(), name);
  return it == lower.end() ? -1 : static_cast<int>(it - lower.begin());
}

}  // namespace truce::ingest::internal
