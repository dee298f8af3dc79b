#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "periods.h"
#include "scope_limits.h"
#include "truce/core/strings.h"
#include "truce/rules/columns.h"
#include "truce/rules/rules.h"

namespace truce::rules {
namespace {

using model::FindingStatus;
using std::chrono::seconds;

std::string DayText(time::Days d) { return time::FormatDate(d); }

std::string IncidentDayText(const time::IncidentTime& t) {
  if (t.exact) return time::FormatInstantUtc(*t.exact);
  std::string s = DayText(t.first_day);
  if (t.last_day != t.first_day) s += " to " + DayText(t.last_day);
  switch (t.precision) {
    case time::TimePrecision::kDay: return s + " (known to the day)";
    case time::TimePrecision::kWeek: return s + " (known to the week)";
    case time::TimePrecision::kMonth: return s + " (known to the month)";
    case time::TimePrecision::kYear: return s + " (known to the year)";
    default: return s;
  }
}

std::string ProvisionName(const model::Provision& p) { return p.article.empty() ? p.id : p.article; }

std::string ZoneName(const model::ZoneDef& z) {
  std::string n = z.name.empty() ? z.id : z.name;
  if (z.approximate) n += " (approximate)";
  return n;
}

bool IsDesignated(const model::Agreement& a, const model::Actor& actor, time::Days day) {
  if (std::find(a.designated.begin(), a.designated.end(), actor.id) != a.designated.end()) return true;
  for (const model::Designation& d : actor.designations) {
    if (d.ValidOn(day)) return true;
  }
  return false;
}

// The side responsible for an actor of the agreement, following the actor's id.
const model::Side* SideOf(const model::Agreement& a, const model::Actor* actor) {
  return actor == nullptr ? nullptr : a.SideOfActor(actor->id);
}

}  // namespace

bool ActMatches(const model::ActPattern& pattern, std::string_view event_type, std::string_view sub_event_type) {
  if (!EqualsIgnoreCase(pattern.event_type, event_type)) return false;
  return pattern.sub_event_type.empty() || EqualsIgnoreCase(pattern.sub_event_type, sub_event_type);
}

bool ActMatches(const model::ActPattern& pattern, const model::Report& incident) {
  return ActMatches(pattern, incident.event_type, incident.sub_event_type);
}

Result<std::unique_ptr<Ruler>> Ruler::Build(std::vector<agreement::LoadedAgreement> agreements, RuleOptions options) {
  std::unique_ptr<Ruler> r(new Ruler());
  r->options_ = options;
  r->agreements_ = std::move(agreements);

  std::vector<const model::Agreement*> all;
  for (const auto& la : r->agreements_) all.push_back(&la.agreement);
  TRUCE_RETURN_IF_ERROR(agreement::CheckReferences(all));
  // Extension documents lengthen the agreements they extend (periods, end).
  std::vector<model::Agreement*> extended;
  for (auto& la : r->agreements_) extended.push_back(&la.agreement);
  TRUCE_RETURN_IF_ERROR(agreement::ResolveExtensions(extended));

  std::map<std::string, size_t> by_id;
  for (size_t i = 0; i < r->agreements_.size(); ++i) {
    by_id[r->agreements_[i].agreement.id] = i;
    auto reg = std::make_unique<agreement::ActorRegistry>();
    for (const model::Actor& actor : r->agreements_[i].actors) reg->Add(actor);
    for (const model::Actor& actor : reg->actors()) {
      r->side_of_[&actor] = SideOf(r->agreements_[i].agreement, &actor);
    }
    r->registries_.push_back(std::move(reg));
  }

  // The end of each agreement: its own end, or the entry into force of one that
  // supersedes it, whichever comes first.
  std::vector<std::optional<time::Instant>> agreement_end(r->agreements_.size());
  std::vector<std::string> agreement_end_reason(r->agreements_.size());
  for (size_t i = 0; i < r->agreements_.size(); ++i) {
    agreement_end[i] = r->agreements_[i].agreement.end;
    if (agreement_end[i]) agreement_end_reason[i] = "the agreement's end";
  }
  for (const auto& la : r->agreements_) {
    const model::Agreement& a = la.agreement;
    if (a.supersedes.empty()) continue;
    size_t j = by_id.at(a.supersedes);
    if (!agreement_end[j] || a.entry_into_force < *agreement_end[j]) {
      agreement_end[j] = a.entry_into_force;
      agreement_end_reason[j] = "superseded by " + a.id;
    }
  }

  // Provision windows, then cut by provisions of amending agreements that replace them.
  std::map<std::string, size_t> active_by_key;  // "agreement#provision" -> index in a combined list
  std::vector<ActiveProvision> active;
  for (size_t i = 0; i < r->agreements_.size(); ++i) {
    const model::Agreement& a = r->agreements_[i].agreement;
    for (const model::Provision& p : a.provisions) {
      ActiveProvision ap;
      ap.agreement = &a;
      ap.provision = &p;
      ap.actors = r->registries_[i].get();
      ap.agreement_slot = static_cast<int>(i);
      ap.start = p.from.value_or(a.entry_into_force);
      ap.end = p.until ? p.until : agreement_end[i];
      if (!p.until && agreement_end[i]) ap.end_reason = agreement_end_reason[i];
      if (p.until) ap.end_reason = "its own end";
      active_by_key[a.id + "#" + p.id] = active.size();
      active.push_back(ap);
    }
  }
  for (const ActiveProvision& ap : active) {
    const std::string& target = ap.provision->replaces;
    if (target.empty()) continue;
    auto it = active_by_key.find(target);
    if (it == active_by_key.end()) continue;  // CheckReferences reported it
    ActiveProvision& old = active[it->second];
    if (!old.end || ap.start < *old.end) {
      old.end = ap.start;
      old.end_reason = "replaced by " + ap.agreement->id + " " + ProvisionName(*ap.provision);
    }
  }
  for (ActiveProvision& ap : active) {
    if (ap.end && *ap.end <= ap.start) continue;  // never in force
    if (ap.provision->kind == model::ProvisionKind::kProhibition) {
      r->prohibitions_.push_back(ap);
    } else {
      r->obligations_.push_back(ap);
    }
  }

  // Index the zones of every prohibition.
  std::map<const geo::Zone*, int> zone_ids;
  for (size_t pi = 0; pi < r->prohibitions_.size(); ++pi) {
    ActiveProvision& ap = r->prohibitions_[pi];
    ap.start_text = time::FormatLocal(ap.start, ap.agreement->timezone);
    for (const std::string& side : ap.provision->by_sides) {
      auto it = ap.agreement->sides.find(side);
      if (it != ap.agreement->sides.end()) ap.bound_sides.push_back(&it->second);
    }
    auto tz = std::find(r->timezones_.begin(), r->timezones_.end(), ap.agreement->timezone);
    ap.tz_slot = static_cast<int>(tz - r->timezones_.begin());
    if (tz == r->timezones_.end()) r->timezones_.push_back(ap.agreement->timezone);
    const model::Provision& prov = *ap.provision;
    if (!prov.from_written.empty() && prov.from && *prov.from == ap.start) {
      ap.start_text = prov.from_written + " (" + ap.start_text + ")";  // "day 42 (2025-03-06 00:00 +04)"
    }
    for (const std::string& zid : ap.provision->where) {
      const model::ZoneDef* z = ap.agreement->FindZone(zid);
      if (z == nullptr) return Status::ValidationError("provision " + ap.provision->id + " names unknown zone " + zid);
      ap.zones.push_back(z);
      auto [it, inserted] = zone_ids.emplace(&z->zone, static_cast<int>(r->zones_.size()));
      if (inserted) {
        r->zones_.push_back(&z->zone);
        r->zone_prohibitions_.emplace_back();
        r->cells_.push_back(geo::ZoneCells::Build(z->zone));
      }
      ap.zone_slots.push_back(it->second);
      r->zone_prohibitions_[it->second].push_back(static_cast<int>(pi));
    }
  }
  r->index_.Build(r->zones_, options.scope_margin_m, &r->cells_);
  return r;
}

IncidentView IncidentView::Of(const model::Report& r) {
  IncidentView v;
  v.id = r.id;
  v.time = r.time;
  v.point = r.point;
  v.uncertainty_m = r.uncertainty_m;
  v.event_type = r.event_type;
  v.sub_event_type = r.sub_event_type;
  v.actor1 = r.actor1;
  v.assoc_actor1 = r.assoc_actor1;
  v.actor2 = r.actor2;
  v.assoc_actor2 = r.assoc_actor2;
  v.location = r.location;
  v.confidence = r.confidence;
  return v;
}

void Ruler::Rule(const model::Report& incident, std::vector<model::Finding>* out) const {
  thread_local std::vector<Decision> decisions;
  decisions.clear();
  const IncidentView view = IncidentView::Of(incident);
  Decide(view, &decisions);
  for (const Decision& d : decisions) out->push_back(Render(d, view));
}

// The incident's interval in each time zone, computed when first asked.
struct Ruler::Spans {
  std::vector<std::uint8_t> state;  // 0 not yet, 1 computed, 2 not computable
  std::vector<time::Interval> span;
  void Reset(std::size_t zones) {
    state.assign(zones, 0);
    span.resize(zones);
  }
};

namespace {

// An incident's interval with days taken in `tz`: what time::ToInterval
// gives, but the instant each day starts is looked up in this thread's table
// for the zone (days 1970-2069, each computed once by ToInterval itself, when
// first asked) instead of searching the zone and converting twice. Exact
// times, days outside the table and unknown zones go to ToInterval. At most
// 292 KB a zone a thread, kept for the thread's life.
Result<time::Interval> IntervalIn(const time::IncidentTime& t, const std::string& tz) {
  if (t.exact) return time::ToInterval(t, tz);
  struct Table {
    std::string tz;
    std::vector<std::int64_t> start_s;  // seconds since the epoch; kUnknown until computed
  };
  constexpr std::int64_t kUnknown = std::numeric_limits<std::int64_t>::min();
  constexpr int kDays = 36525;  // from 1970-01-01
  thread_local std::vector<std::unique_ptr<Table>> tables;
  Table* table = nullptr;
  for (const auto& each : tables) {
    if (each->tz == tz) table = each.get();
  }
  if (table == nullptr) {
    tables.push_back(std::make_unique<Table>(Table{tz, std::vector<std::int64_t>(kDays, kUnknown)}));
    table = tables.back().get();
  }
  auto start = [&](time::Days d, time::Instant* out) {
    const std::int64_t i = d.time_since_epoch().count();
    if (i < 0 || i >= kDays) return false;
    std::int64_t& s = table->start_s[static_cast<std::size_t>(i)];
    if (s == kUnknown) {
      time::IncidentTime day;
      day.first_day = day.last_day = d;
      Result<time::Interval> iv = time::ToInterval(day, tz);
      if (!iv.ok()) return false;
      s = iv->begin.time_since_epoch().count();
    }
    *out = time::Instant{std::chrono::seconds{s}};
    return true;
  };
  time::Interval iv;
  if (start(t.first_day, &iv.begin) && start(t.last_day + std::chrono::days{1}, &iv.end)) return iv;
  return time::ToInterval(t, tz);
}

// How DecideOne looks up the act and the actor: by name (an IncidentView alone)
// or from a column table's ids (ColumnLookups).
struct ByName {
  const IncidentView& incident;
  const model::ActPattern* Act(const ActiveProvision& ap, int /*prohibition*/) const {
    for (const model::ActPattern& pat : ap.provision->prohibits) {
      if (ActMatches(pat, incident.event_type, incident.sub_event_type)) return &pat;
    }
    return nullptr;
  }
  const model::Actor* Actor(const ActiveProvision& ap) const {
    const model::Actor* actor = ap.actors->Resolve(incident.actor1);
    if (actor == nullptr && !incident.assoc_actor1.empty()) actor = ap.actors->Resolve(incident.assoc_actor1);
    return actor;
  }
};

struct ByColumns {
  const IncidentColumns& columns;
  const ColumnLookups& lookups;
  std::size_t row;
  std::size_t prohibitions, agreements;
  const model::ActPattern* Act(const ActiveProvision& ap, int prohibition) const {
    const int k = lookups.act_pattern[columns.act(row) * prohibitions + prohibition];
    return k < 0 ? nullptr : &ap.provision->prohibits[k];
  }
  const model::Actor* Actor(const ActiveProvision& ap) const {
    const model::Actor* actor = lookups.actor[columns.actor(row, 0) * agreements + ap.agreement_slot];
    if (actor == nullptr && columns.actor(row, 1) != 0) {
      actor = lookups.actor[columns.actor(row, 1) * agreements + ap.agreement_slot];
    }
    return actor;
  }
};

}  // namespace

void Ruler::Decide(const IncidentView& incident, std::vector<Decision>* out) const {
  DecideAll(incident.point, incident.uncertainty_m, [&] { return incident; }, ByName{incident}, out);
}

void Ruler::Prepare(const IncidentColumns& columns, ColumnLookups* lookups) const {
  const std::size_t n_agreements = agreements_.size();
  for (std::size_t act = lookups->acts; act < columns.acts().size(); ++act) {
    const auto& [type, sub_type] = columns.acts()[act];
    bool any = false;
    for (const ActiveProvision& ap : prohibitions_) {
      std::int16_t k = -1;
      const auto& patterns = ap.provision->prohibits;
      for (std::size_t i = 0; i < patterns.size(); ++i) {
        if (ActMatches(patterns[i], type, sub_type)) {
          k = static_cast<std::int16_t>(i);
          break;
        }
      }
      lookups->act_pattern.push_back(k);
      any = any || k >= 0;
    }
    lookups->act_prohibited.push_back(any ? 1 : 0);
  }
  lookups->acts = columns.acts().size();
  for (std::size_t name = lookups->names; name < columns.names().size(); ++name) {
    for (std::size_t a = 0; a < n_agreements; ++a) lookups->actor.push_back(registries_[a]->Resolve(columns.names()[name]));
  }
  lookups->names = columns.names().size();
}

void Ruler::Decide(const IncidentColumns& columns, std::size_t begin, std::size_t end, const ColumnLookups& lookups,
                   std::vector<Decision>* out) const {
  for (std::size_t row = begin; row < end; ++row) {
    if (!lookups.act_prohibited[columns.act(row)]) continue;  // no prohibition's act: no finding anywhere
    const std::size_t first = out->size();
    DecideAll(columns.point(row), columns.uncertainty_m(row), [&] { return columns.View(row); },
              ByColumns{columns, lookups, row, prohibitions_.size(), agreements_.size()}, out);
    for (std::size_t k = first; k < out->size(); ++k) (*out)[k].row = static_cast<std::uint32_t>(row);
  }
}

template <typename MakeView, typename Lookup>
void Ruler::DecideAll(geo::LatLon point, double uncertainty_m, const MakeView& make_view, const Lookup& lookup,
                      std::vector<Decision>* out) const {
  thread_local std::vector<int> zone_candidates;
  thread_local std::vector<int> prohibition_candidates;
  thread_local Spans spans;
  zone_candidates.clear();
  prohibition_candidates.clear();
  // An exact point far from a zone on the index's grid is outside it and
  // beyond the margin (DecideOne would find so); one with a radius may
  // still straddle it.
  index_.Candidates(point, &zone_candidates, uncertainty_m <= 0);
  if (zone_candidates.empty()) return;  // most incidents: no view made
  for (int z : zone_candidates) {
    for (int p : zone_prohibitions_[z]) prohibition_candidates.push_back(p);
  }
  if (prohibition_candidates.size() > 1) {
    std::sort(prohibition_candidates.begin(), prohibition_candidates.end());
    prohibition_candidates.erase(std::unique(prohibition_candidates.begin(), prohibition_candidates.end()),
                                 prohibition_candidates.end());
  }
  spans.Reset(timezones_.size());
  const IncidentView incident = make_view();
  for (int p : prohibition_candidates) DecideOne(incident, lookup, p, &spans, out);
}

namespace {

// Where the incident's time falls against a provision's window and the
// agreement's periods; the same for Decide and Render.
struct TimeFit {
  bool before = false, after = false, straddles = false;
  internal::PeriodFit periods;
  bool lapsed() const { return periods.kind == internal::PeriodFit::Kind::kLapsed; }
  bool lapse_straddles() const { return periods.kind == internal::PeriodFit::Kind::kStraddlesLapse; }
};

TimeFit FitTime(const ActiveProvision& ap, const time::Interval& iv) {
  TimeFit t;
  t.before = iv.end <= ap.start;
  t.after = ap.end && iv.begin >= *ap.end;
  t.straddles = !t.before && !t.after && (iv.begin < ap.start || (ap.end && iv.end > *ap.end));
  // Within the window, the agreement may still have lapsed between two of its periods.
  if (!t.before && !t.after) t.periods = internal::FitPeriods(*ap.agreement, iv);
  return t;
}

// Why an exemption applies to the incident ("... is excepted"), or "" when it does not.
std::string ExemptionWhy(const model::Agreement& a, const model::Exemption& ex, const model::Actor* target,
                         const IncidentView& incident) {
  if (target != nullptr && ex.against_designated && IsDesignated(a, *target, incident.time.first_day)) {
    return target->name + " is designated and not protected";
  }
  if (target != nullptr &&
      std::find(ex.against_actors.begin(), ex.against_actors.end(), target->id) != ex.against_actors.end()) {
    return "acts against " + target->name + " are excepted";
  }
  for (const model::ActPattern& pat : ex.acts) {
    if (ActMatches(pat, incident.event_type, incident.sub_event_type)) return pat.ToString() + " is excepted";
  }
  return "";
}

const model::Actor* TargetOf(const agreement::ActorRegistry& actors, const IncidentView& incident) {
  const model::Actor* target = actors.Resolve(incident.actor2);
  if (target == nullptr && !incident.assoc_actor2.empty()) target = actors.Resolve(incident.assoc_actor2);
  return target;
}

}  // namespace

template <typename Lookup>
void Ruler::DecideOne(const IncidentView& incident, const Lookup& lookup, int prohibition, Spans* spans,
                      std::vector<Decision>* out) const {
  const ActiveProvision& ap = prohibitions_[prohibition];
  const model::Agreement& a = *ap.agreement;
  const model::Provision& p = *ap.provision;

  // 1. The act.
  const model::ActPattern* act = lookup.Act(ap, prohibition);
  if (act == nullptr) return;

  // 2. When: the incident's interval against the provision's window (no zone needed).
  if (spans->state[ap.tz_slot] == 0) {
    Result<time::Interval> span = IntervalIn(incident.time, a.timezone);
    spans->state[ap.tz_slot] = span.ok() ? 1 : 2;
    if (span.ok()) spans->span[ap.tz_slot] = *span;
  }
  if (spans->state[ap.tz_slot] != 1) return;  // the loader guarantees a known zone
  const time::Interval* iv = &spans->span[ap.tz_slot];
  const time::Instant start = ap.start;
  const bool before = iv->end <= start;
  const bool after = ap.end && iv->begin >= *ap.end;
  if (before && start - iv->end > options_.scope_margin) return;
  if (after && iv->begin - *ap.end > options_.scope_margin) return;
  const TimeFit fit = FitTime(ap, *iv);

  // 3. Where: the zone that holds it, else one it straddles, else the nearest.
  // Containment is cheap and exact (mostly decided by the zone's cells); the
  // distance to the edge of the zone that holds a point is measured by Render.
  Decision d;
  bool found = false;
  const bool point = incident.uncertainty_m <= 0;
  if (point) {
    for (size_t k = 0; k < ap.zones.size(); ++k) {
      if (cells_[ap.zone_slots[k]].Contains(ap.zones[k]->zone, incident.point)) {
        d.zone = ap.zones[k];
        d.containment = geo::Containment::kInside;
        d.center_inside = true;
        d.edge_distance_m = std::numeric_limits<double>::quiet_NaN();
        found = true;
        break;
      }
    }
  }
  if (!found) {
    if (point && options_.scope_margin_m <= 0) return;  // outside every zone, and no margin
    int rank = 3;
    geo::ZoneRelation rel;
    for (const model::ZoneDef* z : ap.zones) {
      if (!z->zone.bbox().Expanded(options_.scope_margin_m + incident.uncertainty_m).Contains(incident.point)) {
        continue;
      }
      geo::ZoneRelation r = z->zone.Relate(incident.point, incident.uncertainty_m);
      int rk = r.containment == geo::Containment::kInside ? 0 : r.containment == geo::Containment::kStraddles ? 1 : 2;
      if (rk < rank || (rk == rank && rk == 2 && r.edge_distance_m < rel.edge_distance_m)) {
        d.zone = z;
        rel = r;
        rank = rk;
      }
    }
    if (d.zone == nullptr) return;
    if (rel.containment == geo::Containment::kOutside && rel.edge_distance_m > options_.scope_margin_m) return;
    d.containment = rel.containment;
    d.center_inside = rel.center_inside;
    d.edge_distance_m = rel.edge_distance_m;
  }

  d.incident_id = incident.id;
  d.prohibition = prohibition;
  d.span = *iv;
  d.act = act;
  d.actor = lookup.Actor(ap);
  if (d.actor != nullptr) d.side = side_of_.at(d.actor);

  auto decide = [&](Decision::Step step, FindingStatus status, double confidence) {
    d.step = step;
    d.status = status;
    // As sure as the ruling and as the reading of the incident it rests on.
    d.confidence = confidence * incident.confidence;
    out->push_back(d);
  };

  // 4. Definitely out of the provision's place or time.
  if (d.containment == geo::Containment::kOutside || before || after || fit.lapsed()) {
    decide(Decision::Step::kOutOfPlaceOrTime, FindingStatus::kOutsideScope, 1.0);
    return;
  }
  // 4b. Whom it protects and when each day (`against`, `daily`): certainly outside them, out of scope.
  const std::string pname = p.daily || p.against_other_sides || !p.against.empty() ? ProvisionName(p) : std::string();
  const internal::ScopeLimits limits = internal::CheckScopeLimits(a, p, *ap.actors, incident, *iv, d.side, pname);
  if (limits.outside) {
    decide(Decision::Step::kScopeLimits, FindingStatus::kOutsideScope, 1.0);
    return;
  }

  // 5. Exemptions: decided whether or not the place or time is certain.
  if (!p.except.empty()) {
    const model::Actor* target = TargetOf(*ap.actors, incident);
    for (const model::Exemption& ex : p.except) {
      if (!ExemptionWhy(a, ex, target, incident).empty()) {
        d.exemption = &ex;
        decide(Decision::Step::kExempt, FindingStatus::kExempt, 1.0);
        return;
      }
    }
  }

  // 6. Who acted: only the sides the provision binds can violate it.
  if (d.actor == nullptr) {
    decide(Decision::Step::kUnattributed, FindingStatus::kUndetermined, 0.5);
    return;
  }
  if (d.side == nullptr) {
    decide(Decision::Step::kNotParty, FindingStatus::kNoViolation, 1.0);
    return;
  }
  if (std::find(ap.bound_sides.begin(), ap.bound_sides.end(), d.side) == ap.bound_sides.end()) {
    decide(Decision::Step::kNotBound, FindingStatus::kNoViolation, 1.0);
    return;
  }

  // 7. Imprecision: honest, not guessed.
  const bool place_or_time_uncertain =
      d.containment == geo::Containment::kStraddles || fit.straddles || fit.lapse_straddles();
  if (place_or_time_uncertain || limits.uncertain) {
    double inside_share = place_or_time_uncertain ? 0.5 : 1.0;
    if (fit.lapse_straddles() && !fit.straddles && d.containment != geo::Containment::kStraddles) {
      inside_share = fit.periods.in_force_share;
    }
    if (fit.straddles && d.containment != geo::Containment::kStraddles) {
      time::Instant b = std::max(iv->begin, start);
      time::Instant e = ap.end ? std::min(iv->end, *ap.end) : iv->end;
      inside_share = static_cast<double>((e - b).count()) / static_cast<double>((iv->end - iv->begin).count());
    }
    decide(Decision::Step::kUncertain, FindingStatus::kUndetermined, inside_share * limits.inside_share);
    return;
  }

  decide(Decision::Step::kProhibited, FindingStatus::kViolation, 1.0);
}

model::Finding Ruler::Render(const Decision& d, const IncidentView& incident) const {
  const ActiveProvision& ap = prohibitions_[d.prohibition];
  const model::Agreement& a = *ap.agreement;
  const model::Provision& p = *ap.provision;
  const model::ZoneDef& zone = *d.zone;
  const time::Interval& iv = d.span;
  const time::Instant start = ap.start;
  const TimeFit fit = FitTime(ap, iv);

  double edge_distance_m = d.edge_distance_m;
  if (std::isnan(edge_distance_m)) edge_distance_m = zone.zone.Relate(incident.point, 0).edge_distance_m;

  model::Finding f;
  f.incident_id = incident.id;
  f.agreement_id = a.id;
  f.provision_id = p.id;
  f.zone_id = zone.id;
  f.distance_m = d.center_inside ? -edge_distance_m : edge_distance_m;
  f.seconds_from_start = (iv.begin - start).count();
  f.status = d.status;
  f.confidence = d.confidence;
  if (d.actor != nullptr) f.actor_id = d.actor->id;
  if (d.side != nullptr) {
    f.side = d.side->id;
    f.guarantor = d.side->guarantor;
  }

  const std::string pname = ProvisionName(p);
  const std::string& start_text = ap.start_text;

  // Where, in words.
  std::string where_text;
  if (d.containment == geo::Containment::kInside) {
    where_text = "inside the " + ZoneName(zone) + ", " + FormatDistance(edge_distance_m) + " from its edge";
  } else if (d.containment == geo::Containment::kOutside) {
    where_text = FormatDistance(edge_distance_m) + " outside the " + ZoneName(zone);
  } else {
    where_text = "location known to ±" + FormatDistance(incident.uncertainty_m) + " straddles the edge of the " +
                 ZoneName(zone) + " (centre " + FormatDistance(edge_distance_m) +
                 (d.center_inside ? " inside)" : " outside)");
  }
  if (!incident.location.empty()) where_text = std::string(incident.location) + ": " + where_text;

  // When, in words.
  std::string when_text;
  const std::string day = IncidentDayText(incident.time);
  if (fit.lapsed() || (fit.lapse_straddles() && !fit.straddles)) {
    when_text = day + fit.periods.text;
  } else if (fit.before) {
    when_text = day + ", before " + pname + " took effect (" + start_text + ")";
  } else if (fit.after) {
    when_text = day + ", after " + pname + " ended (" + time::FormatLocal(*ap.end, a.timezone) +
                (ap.end_reason.empty() ? "" : ", " + ap.end_reason) + ")";
  } else if (fit.straddles) {
    if (iv.begin < start) {
      when_text = day + ": " + pname + " took effect within that time (" + start_text +
                  "), so it may have happened before or after";
    } else {
      when_text = day + ": " + pname + " ended within that time (" + time::FormatLocal(*ap.end, a.timezone) +
                  "), so it may have happened before or after";
    }
  } else {
    when_text = day + ", " + time::FormatDuration(iv.begin - start) + " after " + pname + " took effect (" +
                start_text + ")" + fit.periods.text;
  }

  // The act and the actor, in words.
  std::string act_text(incident.event_type);
  if (!incident.sub_event_type.empty()) act_text += " / " + std::string(incident.sub_event_type);
  act_text += " by " + (incident.actor1.empty() ? std::string("an unnamed actor") : std::string(incident.actor1));
  if (d.side != nullptr) {
    act_text +=
        " (" + d.side->id + " side" + (d.side->guarantor.empty() ? "" : ", guarantor " + d.side->guarantor) + ")";
  }
  if (!incident.actor2.empty()) act_text += " against " + std::string(incident.actor2);

  std::string tail;
  switch (d.step) {
    case Decision::Step::kOutOfPlaceOrTime: tail = ": outside the scope of " + pname + "."; break;
    case Decision::Step::kScopeLimits: {
      const internal::ScopeLimits limits = internal::CheckScopeLimits(a, p, *ap.actors, incident, iv, d.side, pname);
      tail = ": " + limits.why + ", so outside its scope.";
      break;
    }
    case Decision::Step::kExempt: {
      const std::string why = ExemptionWhy(a, *d.exemption, TargetOf(*ap.actors, incident), incident);
      tail = ": exempt under " + pname + " (" + why + (d.exemption->note.empty() ? "" : "; " + d.exemption->note) +
             ").";
      break;
    }
    case Decision::Step::kUnattributed:
      tail = ": the actor is not attributed to any side of " + a.id + ", so responsibility under " + pname +
             " cannot be decided.";
      break;
    case Decision::Step::kNotParty:
      tail = ": " + d.actor->name + " is not a party on any side of " + a.id + ", so " + pname + " does not bind it.";
      break;
    case Decision::Step::kNotBound: tail = ": " + pname + " does not bind the " + d.side->id + " side."; break;
    case Decision::Step::kUncertain: {
      const internal::ScopeLimits limits = internal::CheckScopeLimits(a, p, *ap.actors, incident, iv, d.side, pname);
      const bool place_or_time_uncertain =
          d.containment == geo::Containment::kStraddles || fit.straddles || fit.lapse_straddles();
      std::string condition = place_or_time_uncertain ? "inside its place and time" : "";
      if (limits.uncertain) condition += (condition.empty() ? "" : " and ") + limits.condition;
      tail = (limits.uncertain ? ": " + limits.why + ";" : ":") + " would be prohibited by " + pname + " (" +
             d.act->ToString() + ") if " + condition + ".";
      break;
    }
    case Decision::Step::kProhibited: {
      const internal::ScopeLimits limits = internal::CheckScopeLimits(a, p, *ap.actors, incident, iv, d.side, pname);
      tail = ": prohibited by " + pname + " (" + d.act->ToString() + ")" + limits.note + ".";
      break;
    }
  }
  f.reason = where_text + "; " + when_text + "; " + act_text + tail;
  return f;
}

}  // namespace truce::rules
