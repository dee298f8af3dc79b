#include "periods.h"

#include <algorithm>

namespace truce::rules::internal {

std::string LongDate(time::Days d) {
  static const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                  "July",    "August",   "September", "October", "November", "December"};
  const std::chrono::year_month_day ymd(d);
  return std::to_string(static_cast<unsigned>(ymd.day())) + " " + kMonths[static_cast<unsigned>(ymd.month()) - 1] +
         " " + std::to_string(static_cast<int>(ymd.year()));
}

PeriodFit FitPeriods(const model::Agreement& a, const time::Interval& iv) {
  PeriodFit fit;
  const auto& periods = a.periods;
  if (periods.size() < 2) return fit;
  const auto seconds_of = [](time::Instant b, time::Instant e) { return static_cast<double>((e - b).count()); };
  double lapsed_s = 0;
  const model::InForcePeriod* straddled_before = nullptr;  // the period whose expiry starts a lapse iv overlaps
  for (size_t i = 0; i + 1 < periods.size(); ++i) {
    if (!periods[i].until) continue;
    const time::Instant gap_begin = *periods[i].until;
    const time::Instant gap_end = periods[i + 1].from;
    if (gap_end <= gap_begin) continue;  // contiguous: no lapse
    const time::Instant b = std::max(iv.begin, gap_begin);
    const time::Instant e = std::min(iv.end, gap_end);
    if (e <= b) continue;
    const std::string expired = time::FormatLocal(gap_begin, a.timezone);
    const std::string renewed = time::FormatLocal(gap_end, a.timezone);
    if (iv.begin >= gap_begin && iv.end <= gap_end) {
      fit.kind = PeriodFit::Kind::kLapsed;
      fit.in_force_share = 0;
      fit.text = ": the agreement had lapsed: it expired at " + expired + " and was renewed from " + renewed;
      return fit;
    }
    lapsed_s += seconds_of(b, e);
    if (straddled_before == nullptr) {
      straddled_before = &periods[i];
      fit.text = ": the agreement lapsed within that time (it expired at " + expired + " and was renewed from " +
                 renewed + "), so it may have happened while it was not in force";
    }
  }
  if (straddled_before != nullptr) {
    fit.kind = PeriodFit::Kind::kStraddlesLapse;
    const double total = seconds_of(iv.begin, iv.end);
    fit.in_force_share = total > 0 ? 1 - lapsed_s / total : 0;
    return fit;
  }
  // In force: under an extension when the incident starts in one.
  for (size_t i = periods.size(); i-- > 1;) {
    const model::InForcePeriod& p = periods[i];
    if (iv.begin < p.from) continue;
    const time::Days on = p.signed_on ? *p.signed_on : time::LocalDate(p.from, a.timezone);
    fit.text = ", in force under its extension " + (p.by.empty() ? std::string() : p.by + " ") + "of " + LongDate(on);
    break;
  }
  return fit;
}

}  // namespace truce::rules::internal
