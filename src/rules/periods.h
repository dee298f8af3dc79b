// How an incident's time relates to the periods an agreement is in force
// (its own, then extensions and renewals): inside one, inside a lapse between
// two, or partly in a lapse. Internal to the rules module.
#pragma once

#include <string>

#include "truce/model/model.h"
#include "truce/time/time.h"

namespace truce::rules::internal {

struct PeriodFit {
  enum class Kind { kInForce, kLapsed, kStraddlesLapse };
  Kind kind = Kind::kInForce;
  // In words, to follow the incident's day: ", in force under its extension
  // gaza-pause-ext-2 of 27 November 2023" (kInForce in an extension period,
  // else ""); ": the agreement had lapsed: it expired at ... and was renewed
  // from ..." (kLapsed); ": the agreement lapsed within that time (...), so it
  // may have happened while it was not in force" (kStraddlesLapse).
  std::string text;
  double in_force_share = 1;  // of the incident's interval, outside every lapse
};

// `iv` is already known to lie within the provision's window. Agreements with
// one period always fit (kInForce, no text).
PeriodFit FitPeriods(const model::Agreement& a, const time::Interval& iv);

// "27 November 2023".
std::string LongDate(time::Days d);

}  // namespace truce::rules::internal
