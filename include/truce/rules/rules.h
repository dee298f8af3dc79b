// The ruling engine: every incident against every prohibition in force near
// it, giving findings with reasons; and the status of every obligation from the
// incidents that bear on it. See docs/design.md, "Ruling", for the order in
// which the questions are asked.
// Thread-safety: a built Ruler is immutable; Rule() may run on many threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "truce/agreement/agreement.h"
#include "truce/core/status.h"
#include "truce/geo/polygon_cells.h"
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
  std::vector<int> zone_slots;               // each zone's index among the Ruler's (its ZoneCells)
  std::string start_text;                    // start in the agreement's local time
  int agreement_slot = 0;                    // index of its agreement among the Ruler's
  int tz_slot = 0;                           // index of its agreement's time zone among the Ruler's
  std::vector<const model::Side*> bound_sides;  // the sides `by_sides` names
};

// What ruling reads of an incident: a model::Report's fields (Of), or a row of
// incident columns; the strings are views into the caller's storage and must
// outlive the call.
struct IncidentView {
  std::int64_t id = 0;
  time::IncidentTime time;
  geo::LatLon point;
  double uncertainty_m = 0;
  std::string_view event_type, sub_event_type;
  std::string_view actor1, assoc_actor1, actor2, assoc_actor2;
  std::string_view location;
  double confidence = 1;

  static IncidentView Of(const model::Report& r);
};

// A finding as decided: facts only (the prohibition, zone, place and time
// relation, act, actor, side, exemption, confidence), no text, so that bulk
// ruling builds no strings. Ruler::Render writes the model::Finding with its
// reason in words. Pointers are into the Ruler that decided it.
struct Decision {
  // Which question ended the ruling, in the order RuleOne asks them.
  enum class Step : std::uint8_t {
    kOutOfPlaceOrTime,  // outside the zone, before or after the provision, or lapsed
    kScopeLimits,       // certainly outside its `against` or `daily` limits
    kExempt,
    kUnattributed,      // the actor resolves to no actor of the agreement
    kNotParty,          // an actor on no side
    kNotBound,          // a side the provision does not bind
    kUncertain,         // place, time or a limit not decidable
    kProhibited,
  };
  std::int64_t incident_id = 0;
  int prohibition = 0;  // index into Ruler::prohibitions()
  std::uint32_t row = 0;  // decided from columns: the row (else 0)
  const model::ZoneDef* zone = nullptr;
  model::FindingStatus status = model::FindingStatus::kUndetermined;
  Step step = Step::kProhibited;
  geo::Containment containment = geo::Containment::kOutside;
  bool center_inside = false;
  // The centre's distance to the zone's edge; NaN until measured (a point
  // inside a zone needs no distance to be ruled: Render measures it).
  double edge_distance_m = 0;
  time::Interval span{};  // the incident's time, days taken in the agreement's zone
  const model::ActPattern* act = nullptr;   // the prohibited act it matched
  const model::Actor* actor = nullptr;      // the acting actor, resolved
  const model::Side* side = nullptr;        // its side
  const model::Exemption* exemption = nullptr;  // kExempt: the exemption that applies
  double confidence = 1;  // the finding's
};

class IncidentColumns;
struct ColumnLookups;

class Ruler {
 public:
  // Takes the agreements (each with its actors); checks cross references.
  static Result<std::unique_ptr<Ruler>> Build(std::vector<agreement::LoadedAgreement> agreements,
                                              RuleOptions options = {});

  // Appends the findings for one incident: one per applicable prohibition
  // (Decide, then Render each).
  void Rule(const model::Report& incident, std::vector<model::Finding>* out) const;

  // Appends the decisions for one incident, in the order Rule gives findings.
  void Decide(const IncidentView& incident, std::vector<Decision>* out) const;
  // The finding of a decision, with its reason in words; `incident` is the one
  // decided. Byte for byte what Rule gives.
  model::Finding Render(const Decision& d, const IncidentView& incident) const;

  // Columns: extends `lookups` to every act and name `columns` holds (call it
  // after adding rows, before deciding them; cheap when nothing is new).
  void Prepare(const IncidentColumns& columns, ColumnLookups* lookups) const;
  // Appends the decisions for rows [begin, end) of `columns`, exactly those
  // Decide gives for each row's View, in the same order. REQUIRES: `lookups`
  // prepared for `columns` by this Ruler.
  void Decide(const IncidentColumns& columns, std::size_t begin, std::size_t end, const ColumnLookups& lookups,
              std::vector<Decision>* out) const;

  // The status of every obligation at the end of day `as_of` (in each
  // agreement's time zone), from `incidents` (any order; those that do not
  // bear on an obligation are ignored). An ObligationTally fed them.
  std::vector<model::ObligationStatus> Obligations(const std::vector<model::Report>& incidents,
                                                   time::Days as_of) const;

  // Whether an incident matches the evidence rule of some obligation.
  bool BearsOnObligations(const model::Report& incident) const;

  const std::vector<agreement::LoadedAgreement>& agreements() const { return agreements_; }
  const std::vector<ActiveProvision>& prohibitions() const { return prohibitions_; }

 private:
  Ruler() = default;
  struct Spans;  // the incident's interval per time zone, computed once
  friend class ObligationTally;
  template <typename MakeView, typename Lookup>
  void DecideAll(geo::LatLon point, double uncertainty_m, const MakeView& make_view, const Lookup& lookup,
                 std::vector<Decision>* out) const;
  template <typename Lookup>
  void DecideOne(const IncidentView& incident, const Lookup& lookup, int prohibition, Spans* spans,
                 std::vector<Decision>* out) const;

  RuleOptions options_;
  std::vector<agreement::LoadedAgreement> agreements_;
  std::vector<std::unique_ptr<agreement::ActorRegistry>> registries_;  // one per agreement
  std::vector<ActiveProvision> prohibitions_;
  std::vector<ActiveProvision> obligations_;
  // Spatial index over the zones of all prohibitions.
  std::vector<const geo::Zone*> zones_;
  std::vector<std::vector<int>> zone_prohibitions_;  // zone index -> prohibitions using it
  geo::ZoneIndex index_;
  // Each zone of zones_ pre-classified on a grid: most points are decided
  // inside or outside without a point-in-polygon test.
  std::vector<geo::ZoneCells> cells_;
  std::vector<std::string> timezones_;  // distinct, of the prohibitions' agreements
  std::unordered_map<const model::Actor*, const model::Side*> side_of_;  // each registry's actor -> its side
};

// The status of every obligation of a Ruler at the end of day `as_of`, from
// reports given one at a time, in any order, in memory that does not grow
// with the reports: of each report only what a status reads is kept — its id
// where it counts (a withdrawal's contradicting incidents, a route's patrols,
// the first 50 observations of another obligation, whose total is counted)
// and the stretches of route a patrol covers (merged as they come) — never
// the report. Finish() gives what Ruler::Obligations gives for the same
// reports, evidence ids in increasing order.
// Thread-safety: not synchronised; the Ruler must outlive it.
class ObligationTally {
 public:
  ObligationTally(const Ruler& ruler, time::Days as_of);
  ~ObligationTally();
  ObligationTally(ObligationTally&&) noexcept;
  ObligationTally& operator=(ObligationTally&&) = delete;

  // Counts `report` wherever it bears (a report that bears on none costs the
  // obligations' evidence rules, nothing kept). Give each report once.
  void Add(const model::Report& report);
  // The statuses, one per obligation in the Ruler's order; the tally is spent.
  std::vector<model::ObligationStatus> Finish();

 private:
  struct Open;
  const Ruler* ruler_;
  std::vector<Open> open_;
};

// Whether an incident's event type (and sub-type) matches a pattern; ignores case.
bool ActMatches(const model::ActPattern& pattern, const model::Report& incident);
bool ActMatches(const model::ActPattern& pattern, std::string_view event_type, std::string_view sub_event_type);

}  // namespace truce::rules
