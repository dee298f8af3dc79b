#include "dates.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "numbers.h"

namespace truce::extract {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

int SmallInt(const Token& tok, int lo, int hi) {
  if (!tok.Has(kNumber) || tok.norm.size() > 4) return -1;
  for (char c : tok.norm) {
    if (c < '0' || c > '9') return -1;
  }
  int v = std::atoi(tok.norm.c_str());
  return v >= lo && v <= hi ? v : -1;
}

bool ValidYmd(int y, int m, int d, time::Days* out) {
  year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                     std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return false;
  *out = sys_days(ymd);
  return true;
}

int YearOf(time::Days d) { return static_cast<int>(year_month_day(d).year()); }
int MonthOf(time::Days d) { return static_cast<int>(static_cast<unsigned>(year_month_day(d).month())); }

// A month-day without a year: the year that puts it nearest the publication
// date; never after it when `not_after` ("since Feb. 3").
bool NearestYear(int m, int d, time::Days published, bool not_after, time::Days* out) {
  int y = YearOf(published);
  time::Days best{};
  long long best_dist = -1;
  for (int yy = y - 1; yy <= y + 1; ++yy) {
    time::Days c;
    if (!ValidYmd(yy, m, d, &c)) continue;
    if (not_after && c > published) continue;
    long long dist = std::llabs((c - published).count());
    if (best_dist < 0 || dist < best_dist) best = c, best_dist = dist;
  }
  if (best_dist < 0) return false;
  *out = best;
  return true;
}

bool FutureContext(const std::vector<Token>& t, size_t i) {
  size_t from = i > 8 ? i - 8 : 0;
  for (size_t k = from; k < i; ++k) {
    const std::string& w = t[k].norm;
    if (w == "will" || w == "next" || w == "starting" || w == "until" || w == "due" || w == "scheduled" ||
        w == "planned" || w == "upcoming" || w == "coming") {
      return true;
    }
  }
  return false;
}

bool SinceBefore(const std::vector<Token>& t, size_t i) {
  size_t from = i > 10 ? i - 10 : 0;
  for (size_t k = i; k-- > from;) {
    if (t[k].norm == "since") return true;
    if (t[k].norm == "." || t[k].norm == ";") break;
  }
  return false;
}

// The time of day starting at token i: "midnight", "noon", "7:00 pm", "7 pm",
// "2am", "00:01", "1600 GMT", "19:45". Sets *end past it.
bool ParseTime(const std::vector<Token>& t, size_t i, Temporal* out, size_t* end) {
  const Token& tok = t[i];
  size_t e = i + 1;
  if (tok.norm == "midnight") {
    out->minutes = 0;
    out->midnight = true;
  } else if (tok.norm == "noon" || tok.norm == "midday") {
    out->minutes = 12 * 60;
  } else if (tok.Has(kNumber)) {
    int h = -1, m = 0;
    bool has_colon = false;
    size_t colon = tok.norm.find(':');
    if (colon != std::string::npos) {
      has_colon = true;
      std::string hs = tok.norm.substr(0, colon), ms = tok.norm.substr(colon + 1);
      if (hs.empty() || hs.size() > 2 || ms.size() != 2) return false;
      h = std::atoi(hs.c_str());
      m = std::atoi(ms.c_str());
    } else if (tok.norm.size() <= 2 && tok.norm.find_first_not_of("0123456789") == std::string::npos) {
      h = std::atoi(tok.norm.c_str());
    } else if (tok.norm.size() == 4 && tok.norm.find_first_not_of("0123456789") == std::string::npos &&
               e < t.size() && (t[e].norm == "gmt" || t[e].norm == "utc" || t[e].norm == "hrs" || t[e].norm == "hours" ||
                                t[e].norm == "z")) {
      h = std::atoi(tok.norm.substr(0, 2).c_str());
      m = std::atoi(tok.norm.substr(2).c_str());
      has_colon = true;
    } else {
      return false;
    }
    if (h < 0 || h > 24 || m < 0 || m > 59) return false;
    bool ampm = false;
    if (e < t.size() && (t[e].norm == "am" || t[e].norm == "pm")) {
      if (h < 1 || h > 12) return false;
      if (t[e].norm == "pm" && h != 12) h += 12;
      if (t[e].norm == "am" && h == 12) h = 0;
      ampm = true;
      ++e;
      if (e < t.size() && t[e].norm == "." && !t[e].Has(kSpaceBefore)) ++e;
    } else if (e + 1 < t.size() && (t[e].norm == "a" || t[e].norm == "p") && t[e + 1].norm == "m") {
      if (h < 1 || h > 12) return false;
      if (t[e].norm == "p" && h != 12) h += 12;
      if (t[e].norm == "a" && h == 12) h = 0;
      ampm = true;
      e += 2;
    }
    if (!ampm && !has_colon) return false;  // a bare "7" is not a time
    if (h == 24) h = 0;
    out->minutes = h * 60 + m;
  } else {
    return false;
  }
  if (e < t.size() && (t[e].norm == "gmt" || t[e].norm == "utc" || t[e].norm == "z")) {
    out->utc = true;
    ++e;
  } else if (e + 1 < t.size() && t[e + 1].norm == "time" && (t[e].Has(kWord) && !t[e].Has(kNumber))) {
    e += 2;  // "local time", "Khartoum time", "Kyiv time"
  } else if (e < t.size() && t[e].norm == "hrs") {
    ++e;
  }
  out->is_time = true;
  out->in_parens = i > 0 && t[i - 1].norm == "(";
  *end = e;
  return true;
}

// A calendar date starting at token i.
bool ParseDate(const std::vector<Token>& t, size_t i, time::Days published, Temporal* out, size_t* end) {
  const Token& tok = t[i];
  bool since = SinceBefore(t, i);
  out->after_since = since;
  auto month_at = [&](size_t k) -> int {
    if (k >= t.size()) return 0;
    int m = MonthNumber(t[k].norm);
    if (m == 0) return 0;
    // "may" and "march" are also words: a month only with a capital.
    if ((t[k].norm == "may" || t[k].norm == "march") && !t[k].Has(kCap)) return 0;
    return m;
  };
  auto skip_period = [&](size_t k) {
    return (k < t.size() && t[k].norm == "." && !t[k].Has(kSpaceBefore)) ? k + 1 : k;
  };
  // Weekday, possibly followed by an explicit date.
  int wd = WeekdayNumber(tok.norm);
  if (wd >= 0 && (tok.Has(kCap) || tok.norm.size() > 3)) {
    size_t k = skip_period(i + 1);
    size_t k2 = k;
    if (k2 < t.size() && (t[k2].norm == "morning" || t[k2].norm == "evening" || t[k2].norm == "night" ||
                          t[k2].norm == "afternoon")) {
      ++k2;
    }
    if (k2 < t.size() && t[k2].norm == ",") ++k2;
    Temporal inner;
    size_t inner_end = 0;
    if (k2 < t.size() && WeekdayNumber(t[k2].norm) < 0 && ParseDate(t, k2, published, &inner, &inner_end) &&
        inner.precision == DatePrecision::kDay && !inner.relative) {
      *out = inner;
      out->first = i;
      *end = inner_end;
      return true;
    }
    // Relative weekday.
    std::chrono::weekday pw{published};
    int pwd = static_cast<int>(pw.iso_encoding()) - 1;  // 0 = Monday
    int back = (pwd - wd + 7) % 7;
    time::Days d = published - days(back);
    if (FutureContext(t, i) && back != 0) d = published + days((wd - pwd + 7) % 7);
    if (i > 0 && t[i - 1].norm == "last" && back == 0) d = published - days(7);
    out->day = d;
    out->precision = DatePrecision::kDay;
    out->relative = true;
    *end = k2 > k && k2 > 0 && t[k2 - 1].norm == "," ? k2 - 1 : k2;
    if (*end < k) *end = k;
    return true;
  }
  // Month [.] day [,] [year] | month year | month.
  int m = month_at(i);
  if (m > 0) {
    size_t k = skip_period(i + 1);
    int d = k < t.size() ? SmallInt(t[k], 1, 31) : -1;
    if (d > 0) {
      size_t k2 = k + 1;
      if (k2 + 1 < t.size() && (t[k2].norm == "th" || t[k2].norm == "st" || t[k2].norm == "nd" || t[k2].norm == "rd") &&
          !t[k2].Has(kSpaceBefore)) {
        ++k2;
      }
      size_t k3 = k2 < t.size() && t[k2].norm == "," ? k2 + 1 : k2;
      int y = k3 < t.size() ? SmallInt(t[k3], 1900, 2100) : -1;
      if (y > 0 && t[k3].norm.size() == 4) {
        if (!ValidYmd(y, m, d, &out->day)) return false;
        out->explicit_year = true;
        *end = k3 + 1;
      } else {
        if (!NearestYear(m, d, published, since, &out->day)) return false;
        *end = k2;
      }
      out->precision = DatePrecision::kDay;
      return true;
    }
    int y = k < t.size() ? SmallInt(t[k], 1900, 2100) : -1;
    if (y > 0 && t[k].norm.size() == 4) {
      ValidYmd(y, m, 1, &out->day);
      out->explicit_year = true;
      out->precision = DatePrecision::kMonth;
      *end = k + 1;
      return true;
    }
    // A month alone needs a capital and a preposition or modifier before it.
    if (!t[i].Has(kCap) || i == 0) return false;
    const std::string& p = t[i - 1].norm;
    if (!(p == "in" || p == "since" || p == "of" || p == "early" || p == "late" || p == "mid" || p == "until" ||
          p == "by" || p == "last" || p == "this" || p == "next" || p == "from" || p == "through")) {
      return false;
    }
    int py = YearOf(published), pm = MonthOf(published);
    int yy = py;
    if (p == "next") yy = m > pm ? py : py + 1;
    else if (since || p == "last" || m > pm + 6) yy = m > pm ? py - 1 : py;
    if (p == "last" && m == pm) yy = py - 1;
    ValidYmd(yy, m, 1, &out->day);
    out->precision = DatePrecision::kMonth;
    *end = k;
    return true;
  }
  // Day month [year]: "6 March", "6 March 2020", "6th of March".
  int d = SmallInt(tok, 1, 31);
  if (d > 0 && tok.norm.size() <= 2) {
    size_t k = i + 1;
    if (k < t.size() && (t[k].norm == "th" || t[k].norm == "st" || t[k].norm == "nd" || t[k].norm == "rd")) ++k;
    if (k < t.size() && t[k].norm == "of") ++k;
    int m2 = month_at(k);
    if (m2 > 0) {
      size_t k2 = skip_period(k + 1);
      int y = k2 < t.size() ? SmallInt(t[k2], 1900, 2100) : -1;
      if (y > 0 && t[k2].norm.size() == 4) {
        if (!ValidYmd(y, m2, d, &out->day)) return false;
        out->explicit_year = true;
        *end = k2 + 1;
      } else {
        if (!NearestYear(m2, d, published, since, &out->day)) return false;
        *end = k2;
      }
      out->precision = DatePrecision::kDay;
      return true;
    }
    return false;
  }
  // A year: four digits in 1900..2100 (not "1990s", not a count like "2,000").
  int y = SmallInt(tok, 1900, 2100);
  if (y > 0 && tok.norm.size() == 4) {
    if (i + 1 < t.size() && t[i + 1].norm == "s" && !t[i + 1].Has(kSpaceBefore)) {
      out->precision = DatePrecision::kYear;  // a decade: consumed, reported as its first year
      ValidYmd(y, 1, 1, &out->day);
      out->explicit_year = true;
      *end = i + 2;
      return true;
    }
    ValidYmd(y, 1, 1, &out->day);
    out->explicit_year = true;
    out->precision = DatePrecision::kYear;
    *end = i + 1;
    return true;
  }
  // Relative words.
  if (tok.norm == "today" || tok.norm == "tonight") {
    out->day = published;
    out->relative = true;
    *end = i + 1;
    return true;
  }
  if (tok.norm == "yesterday") {
    out->day = published - days(1);
    out->relative = true;
    *end = i + 1;
    return true;
  }
  if ((tok.norm == "last" || tok.norm == "this" || tok.norm == "next") && i + 1 < t.size()) {
    const std::string& u = t[i + 1].norm;
    int sign = tok.norm == "last" ? -1 : tok.norm == "next" ? 1 : 0;
    if (u == "week") {
      out->day = published + days(7 * sign);
      out->precision = DatePrecision::kWeek;
    } else if (u == "month") {
      year_month_day ymd(published);
      auto ym = ymd.year() / ymd.month();
      ym += std::chrono::months(sign);
      out->day = sys_days(ym / 1);
      out->precision = DatePrecision::kMonth;
    } else if (u == "year") {
      out->day = sys_days(std::chrono::year(YearOf(published) + sign) / 1 / 1);
      out->precision = DatePrecision::kYear;
    } else {
      return false;
    }
    out->relative = true;
    *end = i + 2;
    return true;
  }
  // "the tenth day of the ceasefire".
  if (tok.norm == "the" && i + 4 < t.size()) {
    int n = OrdinalWordValue(t[i + 1].norm);
    size_t k = i + 2;
    if (n == 0) {
      int v = SmallInt(t[i + 1], 1, 999);
      if (v > 0 && (t[k].norm == "th" || t[k].norm == "st" || t[k].norm == "nd" || t[k].norm == "rd")) {
        n = v;
        ++k;
      }
    }
    if (n > 0 && k + 2 < t.size() && t[k].norm == "day" && t[k + 1].norm == "of") {
      size_t k2 = k + 2;
      if (k2 < t.size() && (t[k2].norm == "the" || t[k2].norm == "a")) ++k2;
      if (k2 < t.size() && (t[k2].norm == "ceasefire" || t[k2].norm == "truce" || t[k2].norm == "cease")) {
        if (t[k2].norm == "cease" && k2 + 1 < t.size() && t[k2 + 1].norm == "fire") ++k2;
        out->ordinal_day_of = n;
        out->relative = true;
        *end = k2 + 1;
        return true;
      }
    }
  }
  return false;
}

// The last day of a range that starts with the day `start` (tokens up to
// `end`): "Jan. 15-17", "Jan. 15 - Feb. 2", "from Nov. 3 to 9", "between
// Jan. 12 and 21", "from Monday through Wednesday". Sets *range_end past it.
bool RangeEnd(const std::vector<Token>& t, const Temporal& start, size_t end, time::Days published,
              time::Days* last_day, size_t* range_end) {
  if (start.is_time || start.precision != DatePrecision::kDay || start.ordinal_day_of || end >= t.size()) return false;
  size_t k = end;
  const std::string& link = t[k].norm;
  bool hyphen = t[k].Has(kHyphenBefore) && t[k].Has(kNumber);  // "15-17": one hyphen, no token
  if (!hyphen) {
    const std::string& before = start.first > 0 ? t[start.first - 1].norm : std::string();
    bool dash = link == "-";
    bool to = (link == "to" || link == "through" || link == "until" || link == "till") && before == "from";
    bool and_ = link == "and" && before == "between";
    if (!dash && !to && !and_) return false;
    ++k;
  }
  if (k >= t.size()) return false;
  // A spaced dash ("Jan. 3 — 12 killed") may open a heading's text: only a
  // full date ends a range there.
  bool day_alone_ok = hyphen || link != "-" || (!t[end].Has(kSpaceBefore) && !t[k].Has(kSpaceBefore));
  time::Days last{};
  size_t stop = 0;
  Temporal second;
  second.first = k;
  int d = SmallInt(t[k], 1, 31);
  if (d > 0 && day_alone_ok && t[k].norm.size() <= 2 && MonthNumber(k + 1 < t.size() ? t[k + 1].norm : "") == 0) {
    // A day number alone: the first day's month and year.
    year_month_day ymd(start.day);
    if (!ValidYmd(static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())), d, &last)) {
      return false;
    }
    stop = k + 1;
  } else if (ParseDate(t, k, published, &second, &stop) && !second.is_time && second.precision == DatePrecision::kDay &&
             !second.ordinal_day_of) {
    last = second.day;
  } else {
    return false;
  }
  if (last <= start.day || last - start.day > days(366)) return false;
  *last_day = last;
  *range_end = stop;
  return true;
}

}  // namespace

int MonthNumber(std::string_view w) {
  static constexpr std::string_view kFull[] = {"january", "february", "march",     "april",   "may",      "june",
                                          "july",    "august",   "september", "october", "november", "december"};
  static constexpr std::string_view kShort[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                           "jul", "aug", "sep", "oct", "nov", "dec"};
  for (int k = 0; k < 12; ++k) {
    if (w == kFull[k] || w == kShort[k]) return k + 1;
  }
  if (w == "sept") return 9;
  return 0;
}

int WeekdayNumber(std::string_view w) {
  static constexpr std::string_view kFull[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
  static constexpr std::string_view kShort[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  for (int k = 0; k < 7; ++k) {
    if (w == kFull[k] || w == kShort[k]) return k;
  }
  if (w == "tues") return 1;
  if (w == "thur" || w == "thurs") return 3;
  return -1;
}

std::vector<Temporal> FindTemporals(const std::vector<Token>& t, time::Days published) {
  std::vector<Temporal> out;
  for (size_t i = 0; i < t.size();) {
    Temporal tm;
    size_t end = 0;
    tm.first = i;
    if (ParseTime(t, i, &tm, &end) && end > i) {
      tm.last = end;
      out.push_back(tm);
      i = end;
      continue;
    }
    tm = Temporal();
    tm.first = i;
    if (ParseDate(t, i, published, &tm, &end) && end > i) {
      tm.first = i;
      time::Days last_day{};
      size_t range_end = 0;
      if (RangeEnd(t, tm, end, published, &last_day, &range_end)) {
        tm.range_end = last_day;
        end = range_end;
      }
      tm.last = end;
      out.push_back(tm);
      i = end;
      continue;
    }
    ++i;
  }
  return out;
}

std::vector<Temporal> FindTemporalsInText(std::string_view text, time::Days published) {
  return FindTemporals(Tokenize(text, {0, text.size()}), published);
}

std::string FormatTemporalDate(const Temporal& t) {
  year_month_day ymd(t.day);
  char buf[32];
  int y = static_cast<int>(ymd.year());
  unsigned m = static_cast<unsigned>(ymd.month()), d = static_cast<unsigned>(ymd.day());
  switch (t.precision) {
    case DatePrecision::kYear: std::snprintf(buf, sizeof buf, "%04d", y); break;
    case DatePrecision::kMonth: std::snprintf(buf, sizeof buf, "%04d-%02u", y, m); break;
    default: std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d); break;
  }
  return buf;
}

std::string FormatDateTime(time::Days day, int minutes) {
  year_month_day ymd(day);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), minutes / 60, minutes % 60);
  return buf;
}

}  // namespace truce::extract
