// The ruling engine: every incident against every prohibition in force near
// it, giving findings with reasons; and the status of every obligation from the
// incidents that bear on it. See docs/design.md, "Ruling", for the order in
// which the questions are asked.
// Thread-safety: a built Ruler is immutable; Rule() may run on many threads.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "truce/agreement/agreement.h"
#include "truce/core/status.h"
#include "truce/model/model.h"

namespace truce::rules {

struct RuleOptions {
  // An incident farther than this outside every zone of a prohibition gets no
  // finding at all for it (not even outside_scope). DEFAULT: 50 km.
  double scope_margin_m = 50'000;
  // An incident that ends more than this before a provision starts, or starts
  // more than this after it ends, gets no finding for it. DEFAULT: 30 days.
  std::chrono::seconds scope_margin{30 * 24 * 3600};
  // A patrol track within this distance of a route covers it. DEFAULT: 1 km.
  double route_tolerance_m = 1000;
};

// A prohibition as the engine applies it: its agreement and effective window
// after amendments (`replaces`) and supersession.
struct ActiveProvision {
  const model::Agreement* agreement = nullptr;
  const model::Provision* provision = nullptr;
  const agreement::ActorRegistry* actors = nullptr;
  time::Instant start{};
  std::optional<time::Instant> end;  // exclusive; none = open
  std::string end_reason;            // "replaced by idlib-2020-protocol Art. 1", "superseded by ..."
  // Resolved once at Build, so that ruling does no lookups by name.
  std::vector<const model::ZoneDef*> zones;  // the provision's `where`
  std::string start_text;                    // start in the agreement's local time
};

class Ruler {
 public:
  // Takes the agreements (each with its actors); checks cross references.
  static Result<std::unique_ptr<Ruler>> Build(std::vector<agreement::LoadedAgreement> agreements,
                                              RuleOptions options = {});

  // Appends the findings for one incident: one per applicable prohibition.
  void Rule(const model::Report& incident, std::vector<model::Finding>* out) const;

  // The status of every obligation at the end of day `as_of` (in each
  // agreement's time zone), from `incidents` (any order; those that do not
  // bear on an obligation are ignored).
  std::vector<model::ObligationStatus> Obligations(const std::vector<model::Report>& incidents,
                                                   time::Days as_of) const;

  // Whether an incident matches the evidence rule of some obligation (so that
  // callers streaming many incidents keep only those for Obligations()).
  bool BearsOnObligations(const model::Report& incident) const;

  const std::vector<agreement::LoadedAgreement>& agreements() const { return agreements_; }
  const std::vector<ActiveProvision>& prohibitions() const { return prohibitions_; }

 private:
  Ruler() = default;
  void RuleOne(const model::Report& incident, const ActiveProvision& ap, std::vector<model::Finding>* out) const;
  model::ObligationStatus ObligationStatusOf(const ActiveProvision& ap, const std::vector<model::Report>& incidents,
                                             time::Days as_of) const;

  RuleOptions options_;
  std::vector<agreement::LoadedAgreement> agreements_;
  std::vector<std::unique_ptr<agreement::ActorRegistry>> registries_;  // one per agreement
  std::vector<ActiveProvision> prohibitions_;
  std::vector<ActiveProvision> obligations_;
  // Spatial index over the zones of all prohibitions.
  std::vector<const geo::Zone*> zones_;
  std::vector<std::vector<int>> zone_prohibitions_;  // zone index -> prohibitions using it
  geo::ZoneIndex index_;
};

// Whether an incident's event type (and sub-type) matches a pattern; ignores case.
bool ActMatches(const model::ActPattern& pattern, const model::Report& incident);

}  // namespace truce::rules
