// Obligation statuses: joint patrols and road openings are measured by how much
// of their route the observed tracks cover; withdrawals are contradicted by
// prohibited acts in the zone after the deadline; other obligations are met by
// an observation that matches their evidence rule.
#include <algorithm>
#include <cstdio>

#include "truce/core/strings.h"
#include "truce/rules/rules.h"

namespace truce::rules {
namespace {

using model::ObligationKind;
using model::ObligationState;

bool NotesContain(const model::EvidenceRule& rule, const model::Report& incident) {
  if (rule.notes_contain.empty()) return true;
  std::string notes = ToLowerAscii(incident.notes);
  for (const std::string& w : rule.notes_contain) {
    if (notes.find(ToLowerAscii(w)) != std::string::npos) return true;
  }
  return false;
}

bool MatchesEvidence(const model::EvidenceRule& rule, const model::Report& incident) {
  bool act_ok = rule.acts.empty();
  for (const model::ActPattern& pat : rule.acts) {
    if (ActMatches(pat, incident)) {
      act_ok = true;
      break;
    }
  }
  return act_ok && NotesContain(rule, incident);
}

std::string Percent(double f) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f%%", f * 100);
  return buf;
}

// Whether the actor of an incident is one the obligation binds: a side id, an
// actor id, or a guarantor code named in `obligated`.
bool ByObligated(const ActiveProvision& ap, const model::Report& incident) {
  const model::Actor* actor = ap.actors->Resolve(incident.actor1);
  if (actor == nullptr) return false;
  const model::Side* side = ap.agreement->SideOfActor(actor->id);
  for (const std::string& o : ap.provision->obligated) {
    if (o == actor->id) return true;
    if (side != nullptr && (o == side->id || o == side->guarantor)) return true;
  }
  return false;
}

}  // namespace

bool Ruler::BearsOnObligations(const model::Report& incident) const {
  for (const ActiveProvision& ap : obligations_) {
    if (MatchesEvidence(ap.provision->evidence, incident)) return true;
  }
  return false;
}

std::vector<model::ObligationStatus> Ruler::Obligations(const std::vector<model::Report>& incidents,
                                                        time::Days as_of) const {
  std::vector<model::ObligationStatus> out;
  for (const ActiveProvision& ap : obligations_) out.push_back(ObligationStatusOf(ap, incidents, as_of));
  return out;
}

model::ObligationStatus Ruler::ObligationStatusOf(const ActiveProvision& ap,
                                                  const std::vector<model::Report>& incidents,
                                                  time::Days as_of) const {
  const model::Agreement& a = *ap.agreement;
  const model::Provision& p = *ap.provision;
  model::ObligationStatus st;
  st.agreement_id = a.id;
  st.provision_id = p.id;
  st.as_of = as_of;
  const std::string pname = p.article.empty() ? p.id : p.article;

  time::IncidentTime day_time;
  day_time.first_day = day_time.last_day = as_of;
  Result<time::Interval> day = time::ToInterval(day_time, a.timezone);
  const time::Instant as_of_end = day.ok() ? day->end : time::Instant{};
  const std::string start_text = time::FormatLocal(ap.start, a.timezone);

  if (as_of_end <= ap.start) {
    st.state = ObligationState::kPending;
    st.reason = pname + " (" + model::ObligationKindName(p.obligation) + ") starts " + start_text + ".";
    return st;
  }
  const bool due_passed = p.due && *p.due < as_of_end;
  // A relative deadline is shown as written beside its date: "+10d (2020-03-16 00:01 EET)".
  const std::string due_local = p.due ? time::FormatLocal(*p.due, a.timezone) : "";
  const std::string due_text = p.due_written.empty() ? due_local : p.due_written + " (" + due_local + ")";

  // The incidents in the obligation's window up to the end of as_of, that match its evidence rule.
  std::vector<const model::Report*> evidence;
  for (const model::Report& inc : incidents) {
    Result<time::Interval> iv = time::ToInterval(inc.time, a.timezone);
    if (!iv.ok() || iv->end <= ap.start || iv->begin >= as_of_end) continue;
    if (ap.end && iv->begin >= *ap.end) continue;
    if (!MatchesEvidence(p.evidence, inc)) continue;
    evidence.push_back(&inc);
  }

  switch (p.obligation) {
    case ObligationKind::kJointPatrol:
    case ObligationKind::kOpenRoad: {
      const model::ZoneDef* along = a.FindZone(p.along);
      if (along == nullptr || along->zone.line().size() < 2) {
        st.state = ObligationState::kPending;
        st.reason = pname + ": no route to measure.";
        return st;
      }
      geo::Route full(along->zone.line());
      double from_m = 0, to_m = full.length_m();
      if (p.route_from && p.route_to) {
        from_m = full.AlongM(*p.route_from);
        to_m = full.AlongM(*p.route_to);
        if (from_m > to_m) std::swap(from_m, to_m);
      }
      geo::Route route(full.Slice(from_m, to_m));
      std::vector<std::pair<double, double>> covered;
      for (const model::Report* inc : evidence) {
        std::vector<geo::LineString> tracks = inc->track;
        if (tracks.empty()) tracks.push_back({inc->point, inc->point});  // a sighting covers its surroundings
        bool used = false;
        for (const geo::LineString& t : tracks) {
          auto iv = route.CoveredIntervals(t, options_.route_tolerance_m);
          if (!iv.empty()) used = true;
          covered.insert(covered.end(), iv.begin(), iv.end());
        }
        if (used) st.evidence_incident_ids.push_back(inc->id);
      }
      std::sort(covered.begin(), covered.end());
      double covered_m = 0, cur_b = -1, cur_e = -1;
      for (auto [b, e] : covered) {
        if (b > cur_e) {
          if (cur_e > cur_b) covered_m += cur_e - cur_b;
          cur_b = b;
          cur_e = e;
        } else {
          cur_e = std::max(cur_e, e);
        }
      }
      if (cur_e > cur_b) covered_m += cur_e - cur_b;
      st.covered_fraction = route.length_m() > 0 ? std::min(1.0, covered_m / route.length_m()) : 0;
      std::string route_text = "the route" + (p.route_from_place.empty() ? std::string()
                                                                           : " from " + p.route_from_place + " to " +
                                                                                 p.route_to_place) +
                               " (" + FormatDistance(route.length_m()) + ")";
      std::string what = p.obligation == ObligationKind::kJointPatrol ? "patrols" : "observed transit";
      if (st.evidence_incident_ids.empty()) {
        bool waiting = p.obligation == ObligationKind::kOpenRoad && !due_passed;
        st.state = waiting ? ObligationState::kPending : ObligationState::kUnmet;
        st.reason = pname + ": no " + what + " observed along " + route_text + " since " + start_text +
                    (waiting ? "; due " + due_text + "." : ".");
      } else if (st.covered_fraction >= p.met_fraction) {
        st.state = ObligationState::kMet;
        st.reason = pname + ": " + what + " covered " + Percent(st.covered_fraction) + " of " + route_text + ".";
      } else {
        st.state = (p.obligation == ObligationKind::kOpenRoad && !due_passed) ? ObligationState::kPending
                                                                              : ObligationState::kPartlyMet;
        st.reason = pname + ": " + what + " covered " + Percent(st.covered_fraction) + " of " + route_text +
                    " (" + FormatDistance(covered_m) + "), below the " + Percent(p.met_fraction) + " that counts as met.";
      }
      return st;
    }
    case ObligationKind::kWithdraw: {
      if (!p.due || !due_passed) {
        st.state = ObligationState::kPending;
        st.reason = pname + ": withdrawal due " + (p.due ? due_text : std::string("(no deadline)")) + ".";
        return st;
      }
      const model::ZoneDef* zone = a.FindZone(p.zone);
      for (const model::Report* inc : evidence) {
        Result<time::Interval> iv = time::ToInterval(inc->time, a.timezone);
        if (!iv.ok() || iv->begin < *p.due) continue;
        if (zone != nullptr && zone->zone.Relate(inc->point, inc->uncertainty_m).containment !=
                                   geo::Containment::kInside) {
          continue;
        }
        if (!ByObligated(ap, *inc)) continue;
        st.evidence_incident_ids.push_back(inc->id);
      }
      if (!st.evidence_incident_ids.empty()) {
        st.state = ObligationState::kUnmet;
        st.reason = pname + ": " + std::to_string(st.evidence_incident_ids.size()) +
                    " incident(s) in the zone after the deadline (" + due_text + ") show " +
                    (p.weapons.empty() ? std::string("forces") : Join(p.weapons, ", ")) + " still present.";
      } else {
        st.state = ObligationState::kPending;
        st.reason = pname + ": due " + due_text + "; no incident contradicts it and no observation confirms it.";
      }
      return st;
    }
    case ObligationKind::kOther: {
      for (const model::Report* inc : evidence) st.evidence_incident_ids.push_back(inc->id);
      if (!st.evidence_incident_ids.empty() && !(p.evidence.acts.empty() && p.evidence.notes_contain.empty())) {
        st.state = ObligationState::kMet;
        st.reason = pname + ": " + std::to_string(st.evidence_incident_ids.size()) + " observation(s) show it done.";
        st.evidence_incident_ids.resize(std::min<size_t>(st.evidence_incident_ids.size(), 50));
      } else {
        st.evidence_incident_ids.clear();
        st.state = due_passed ? ObligationState::kUnmet : ObligationState::kPending;
        st.reason = due_passed ? pname + ": due " + due_text + "; no observation shows it done."
                               : pname + (p.due ? ": due " + due_text + "." : ": no deadline; no observation yet.");
      }
      return st;
    }
  }
  return st;
}

}  // namespace truce::rules
