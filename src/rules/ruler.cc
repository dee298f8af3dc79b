#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "periods.h"
#include "scope_limits.h"
#include "truce/core/strings.h"
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

bool ActMatches(const model::ActPattern& pattern, const model::Report& incident) {
  if (!EqualsIgnoreCase(pattern.event_type, incident.event_type)) return false;
  return pattern.sub_event_type.empty() || EqualsIgnoreCase(pattern.sub_event_type, incident.sub_event_type);
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
      }
      r->zone_prohibitions_[it->second].push_back(static_cast<int>(pi));
    }
  }
  r->index_.Build(r->zones_, options.scope_margin_m);
  return r;
}

void Ruler::Rule(const model::Report& incident, std::vector<model::Finding>* out) const {
  thread_local std::vector<int> zone_candidates;
  thread_local std::vector<int> prohibition_candidates;
  zone_candidates.clear();
  prohibition_candidates.clear();
  index_.Candidates(incident.point, &zone_candidates);
  for (int z : zone_candidates) {
    for (int p : zone_prohibitions_[z]) prohibition_candidates.push_back(p);
  }
  if (prohibition_candidates.size() > 1) {
    std::sort(prohibition_candidates.begin(), prohibition_candidates.end());
    prohibition_candidates.erase(std::unique(prohibition_candidates.begin(), prohibition_candidates.end()),
                                 prohibition_candidates.end());
  }
  for (int p : prohibition_candidates) RuleOne(incident, prohibitions_[p], out);
}

void Ruler::RuleOne(const model::Report& incident, const ActiveProvision& ap,
                    std::vector<model::Finding>* out) const {
  const model::Agreement& a = *ap.agreement;
  const model::Provision& p = *ap.provision;

  // 1. The act.
  const model::ActPattern* act = nullptr;
  for (const model::ActPattern& pat : p.prohibits) {
    if (ActMatches(pat, incident)) {
      act = &pat;
      break;
    }
  }
  if (act == nullptr) return;

  // 2. When: the incident's interval against the provision's window (no zone needed).
  Result<time::Interval> iv = time::ToInterval(incident.time, a.timezone);
  if (!iv.ok()) return;  // the loader guarantees a known zone
  const time::Instant start = ap.start;
  const bool before = iv->end <= start;
  const bool after = ap.end && iv->begin >= *ap.end;
  if (before && start - iv->end > options_.scope_margin) return;
  if (after && iv->begin - *ap.end > options_.scope_margin) return;
  const bool time_straddles = !before && !after && (iv->begin < start || (ap.end && iv->end > *ap.end));
  // Within the window, the agreement may still have lapsed between two of its periods.
  const internal::PeriodFit fit = before || after ? internal::PeriodFit{} : internal::FitPeriods(a, *iv);
  const bool lapsed = fit.kind == internal::PeriodFit::Kind::kLapsed;
  const bool lapse_straddles = fit.kind == internal::PeriodFit::Kind::kStraddlesLapse;

  // 3. Where: the zone that holds it, else one it straddles, else the nearest.
  // Containment is cheap and exact; distances are computed only when needed.
  const model::ZoneDef* zone = nullptr;
  geo::ZoneRelation rel;
  const bool point = incident.uncertainty_m <= 0;
  if (point) {
    for (const model::ZoneDef* z : ap.zones) {
      if (z->zone.Contains(incident.point)) {
        zone = z;
        rel = z->zone.Relate(incident.point, 0);
        break;
      }
    }
  }
  if (zone == nullptr) {
    if (point && options_.scope_margin_m <= 0) return;  // outside every zone, and no margin
    int rank = 3;
    for (const model::ZoneDef* z : ap.zones) {
      if (!z->zone.bbox().Expanded(options_.scope_margin_m + incident.uncertainty_m).Contains(incident.point)) {
        continue;
      }
      geo::ZoneRelation r = z->zone.Relate(incident.point, incident.uncertainty_m);
      int rk = r.containment == geo::Containment::kInside ? 0 : r.containment == geo::Containment::kStraddles ? 1 : 2;
      if (rk < rank || (rk == rank && rk == 2 && r.edge_distance_m < rel.edge_distance_m)) {
        zone = z;
        rel = r;
        rank = rk;
      }
    }
  }
  if (zone == nullptr) return;
  if (rel.containment == geo::Containment::kOutside && rel.edge_distance_m > options_.scope_margin_m) return;

  model::Finding f;
  f.incident_id = incident.id;
  f.agreement_id = a.id;
  f.provision_id = p.id;
  f.zone_id = zone->id;
  f.distance_m = rel.center_inside ? -rel.edge_distance_m : rel.edge_distance_m;
  f.seconds_from_start = (iv->begin - start).count();

  const std::string pname = ProvisionName(p);
  const std::string& start_text = ap.start_text;

  // Where, in words.
  std::string where_text;
  if (rel.containment == geo::Containment::kInside) {
    where_text = "inside the " + ZoneName(*zone) + ", " + FormatDistance(rel.edge_distance_m) + " from its edge";
  } else if (rel.containment == geo::Containment::kOutside) {
    where_text = FormatDistance(rel.edge_distance_m) + " outside the " + ZoneName(*zone);
  } else {
    where_text = "location known to ±" + FormatDistance(incident.uncertainty_m) + " straddles the edge of the " +
                 ZoneName(*zone) + " (centre " + FormatDistance(rel.edge_distance_m) +
                 (rel.center_inside ? " inside)" : " outside)");
  }
  if (!incident.location.empty()) where_text = incident.location + ": " + where_text;

  // When, in words.
  std::string when_text;
  const std::string day = IncidentDayText(incident.time);
  if (lapsed || (lapse_straddles && !time_straddles)) {
    when_text = day + fit.text;
  } else if (before) {
    when_text = day + ", before " + pname + " took effect (" + start_text + ")";
  } else if (after) {
    when_text = day + ", after " + pname + " ended (" + time::FormatLocal(*ap.end, a.timezone) +
                (ap.end_reason.empty() ? "" : ", " + ap.end_reason) + ")";
  } else if (time_straddles) {
    if (iv->begin < start) {
      when_text = day + ": " + pname + " took effect within that time (" + start_text +
                  "), so it may have happened before or after";
    } else {
      when_text = day + ": " + pname + " ended within that time (" + time::FormatLocal(*ap.end, a.timezone) +
                  "), so it may have happened before or after";
    }
  } else {
    when_text = day + ", " + time::FormatDuration(iv->begin - start) + " after " + pname + " took effect (" +
                start_text + ")" + fit.text;
  }

  // The act and the actor, in words.
  const model::Actor* actor = ap.actors->Resolve(incident.actor1);
  if (actor == nullptr && !incident.assoc_actor1.empty()) actor = ap.actors->Resolve(incident.assoc_actor1);
  const model::Side* side = SideOf(a, actor);
  std::string act_text = incident.event_type;
  if (!incident.sub_event_type.empty()) act_text += " / " + incident.sub_event_type;
  act_text += " by " + (incident.actor1.empty() ? std::string("an unnamed actor") : incident.actor1);
  if (side != nullptr) {
    act_text += " (" + side->id + " side" + (side->guarantor.empty() ? "" : ", guarantor " + side->guarantor) + ")";
  }
  if (!incident.actor2.empty()) act_text += " against " + incident.actor2;
  if (actor != nullptr) f.actor_id = actor->id;
  if (side != nullptr) {
    f.side = side->id;
    f.guarantor = side->guarantor;
  }

  auto emit = [&](FindingStatus status, const std::string& tail, double confidence) {
    f.status = status;
    // As sure as the ruling and as the reading of the incident it rests on.
    f.confidence = confidence * incident.confidence;
    f.reason = where_text + "; " + when_text + "; " + act_text + tail;
    out->push_back(f);
  };

  // 4. Definitely out of the provision's place or time.
  if (rel.containment == geo::Containment::kOutside || before || after || lapsed) {
    emit(FindingStatus::kOutsideScope, ": outside the scope of " + pname + ".", 1.0);
    return;
  }
  // 4b. Whom it protects and when each day (`against`, `daily`): certainly outside them, out of scope.
  const internal::ScopeLimits limits = internal::CheckScopeLimits(a, p, *ap.actors, incident, *iv, side, pname);
  if (limits.outside) {
    emit(FindingStatus::kOutsideScope, ": " + limits.why + ", so outside its scope.", 1.0);
    return;
  }

  // 5. Exemptions: decided whether or not the place or time is certain.
  const model::Actor* target = ap.actors->Resolve(incident.actor2);
  if (target == nullptr && !incident.assoc_actor2.empty()) target = ap.actors->Resolve(incident.assoc_actor2);
  for (const model::Exemption& ex : p.except) {
    std::string why;
    if (target != nullptr && ex.against_designated && IsDesignated(a, *target, incident.time.first_day)) {
      why = target->name + " is designated and not protected";
    } else if (target != nullptr &&
               std::find(ex.against_actors.begin(), ex.against_actors.end(), target->id) != ex.against_actors.end()) {
      why = "acts against " + target->name + " are excepted";
    } else {
      for (const model::ActPattern& pat : ex.acts) {
        if (ActMatches(pat, incident)) {
          why = pat.ToString() + " is excepted";
          break;
        }
      }
    }
    if (!why.empty()) {
      emit(FindingStatus::kExempt,
           ": exempt under " + pname + " (" + why + (ex.note.empty() ? "" : "; " + ex.note) + ").", 1.0);
      return;
    }
  }

  // 6. Who acted: only the sides the provision binds can violate it.
  if (actor == nullptr) {
    emit(FindingStatus::kUndetermined,
         ": the actor is not attributed to any side of " + a.id + ", so responsibility under " + pname +
             " cannot be decided.",
         0.5);
    return;
  }
  if (side == nullptr) {
    emit(FindingStatus::kNoViolation, ": " + actor->name + " is not a party on any side of " + a.id + ", so " +
                                          pname + " does not bind it.",
         1.0);
    return;
  }
  if (std::find(p.by_sides.begin(), p.by_sides.end(), side->id) == p.by_sides.end()) {
    emit(FindingStatus::kNoViolation, ": " + pname + " does not bind the " + side->id + " side.", 1.0);
    return;
  }

  // 7. Imprecision: honest, not guessed.
  const bool place_or_time_uncertain =
      rel.containment == geo::Containment::kStraddles || time_straddles || lapse_straddles;
  if (place_or_time_uncertain || limits.uncertain) {
    double inside_share = place_or_time_uncertain ? 0.5 : 1.0;
    if (lapse_straddles && !time_straddles && rel.containment != geo::Containment::kStraddles) {
      inside_share = fit.in_force_share;
    }
    if (time_straddles && rel.containment != geo::Containment::kStraddles) {
      time::Instant b = std::max(iv->begin, start);
      time::Instant e = ap.end ? std::min(iv->end, *ap.end) : iv->end;
      inside_share = static_cast<double>((e - b).count()) / static_cast<double>((iv->end - iv->begin).count());
    }
    std::string condition = place_or_time_uncertain ? "inside its place and time" : "";
    if (limits.uncertain) condition += (condition.empty() ? "" : " and ") + limits.condition;
    emit(FindingStatus::kUndetermined,
         (limits.uncertain ? ": " + limits.why + ";" : ":") + " would be prohibited by " + pname + " (" +
             act->ToString() + ") if " + condition + ".",
         inside_share * limits.inside_share);
    return;
  }

  emit(FindingStatus::kViolation, ": prohibited by " + pname + " (" + act->ToString() + ")" + limits.note + ".", 1.0);
}

}  // namespace truce::rules
