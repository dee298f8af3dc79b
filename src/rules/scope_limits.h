// What narrows a prohibition beyond its place and validity (issue 12): the
// targets it protects (`against:`) and its daily window (`daily:`). Internal
// to the rules module; ruler.cc asks it once per prohibition an incident meets.
#pragma once

#include <string>

#include "truce/agreement/agreement.h"
#include "truce/model/model.h"
#include "truce/rules/rules.h"
#include "truce/time/time.h"

namespace truce::rules::internal {

struct ScopeLimits {
  // Certainly outside: at a time outside every daily window, or against a
  // known target the provision does not protect. `why` says which.
  bool outside = false;
  // Not decidable: the time straddles a window's edge (a date known to the
  // day), or the target is not known. `why` says which; `condition` is what
  // would make it prohibited ("inside that window", "against other sides").
  bool uncertain = false;
  double inside_share = 1;  // how likely inside, for an uncertain one
  std::string why;
  std::string condition;
  // For a violation: the limits it was found within (", at 11:00 local
  // time, inside its daily window 10:00–14:00"); "" when the provision has none.
  std::string note;
};

// `span`: the incident's time in the agreement's zone; `actor_side`: the
// acting actor's side, if resolved. `pname` names the provision in reasons.
ScopeLimits CheckScopeLimits(const model::Agreement& a, const model::Provision& p,
                             const agreement::ActorRegistry& actors, const IncidentView& incident, time::Interval span,
                             const model::Side* actor_side, const std::string& pname);

}  // namespace truce::rules::internal
