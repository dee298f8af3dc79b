// Obligation statuses: joint patrols and road openings are measured by how much
// of their route the observed tracks cover; withdrawals are contradicted by
// prohibited acts in the zone after the deadline; other obligations are met by
// an observation that matches their evidence rule.
#include <algorithm>
#include <cstdio>
#include <optional>

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
  ObligationTally tally(*this, as_of);
  for (const model::Report& r : incidents) tally.Add(r);
  return tally.Finish();
}

// One obligation's status being counted: what it will say is fixed at the
// start (texts, whether it can change at all); each report adds at most its
// id and, for a route, the stretches it covers.
struct ObligationTally::Open {
  const ActiveProvision* ap = nullptr;
  model::ObligationStatus st;
  enum class Collect : std::uint8_t { kNothing, kRoute, kWithdraw, kOther } collect = Collect::kNothing;
  time::Instant as_of_end{};
  bool due_passed = false;
  std::string pname, start_text, due_text;
  const model::ZoneDef* zone = nullptr;  // kWithdraw: the zone to be left (none: anywhere)
  std::optional<geo::Route> route;       // kRoute: the stretch to cover
  // kRoute: covered intervals along the route, merged whenever they double.
  std::vector<std::pair<double, double>> covered;
  std::size_t merged_size = 0;
  // The ids of the reports that count (kOther: the kShownOther smallest, as a
  // max-heap; `count` counts them all).
  std::vector<std::int64_t> ids;
  std::int64_t count = 0;
};

namespace {

// An obligation met by observations shows this many of them.
constexpr std::size_t kShownOther = 50;

// Sorts and merges intervals that overlap or touch, in place: the union the
// status measures, whatever order and grouping they came in.
void MergeIntervals(std::vector<std::pair<double, double>>* v) {
  std::sort(v->begin(), v->end());
  std::size_t n = 0;
  for (const auto& [b, e] : *v) {
    if (n > 0 && !(b > (*v)[n - 1].second)) {
      (*v)[n - 1].second = std::max((*v)[n - 1].second, e);
    } else {
      (*v)[n++] = {b, e};
    }
  }
  v->resize(n);
}

}  // namespace

ObligationTally::ObligationTally(const Ruler& ruler, time::Days as_of) : ruler_(&ruler) {
  for (const ActiveProvision& ap : ruler.obligations_) {
    const model::Agreement& a = *ap.agreement;
    const model::Provision& p = *ap.provision;
    Open o;
    o.ap = &ap;
    model::ObligationStatus& st = o.st;
    st.agreement_id = a.id;
    st.provision_id = p.id;
    st.as_of = as_of;
    o.pname = p.article.empty() ? p.id : p.article;

    time::IncidentTime day_time;
    day_time.first_day = day_time.last_day = as_of;
    Result<time::Interval> day = time::ToInterval(day_time, a.timezone);
    o.as_of_end = day.ok() ? day->end : time::Instant{};
    o.start_text = time::FormatLocal(ap.start, a.timezone);
    if (o.as_of_end <= ap.start) {
      st.state = ObligationState::kPending;
      st.reason = o.pname + " (" + model::ObligationKindName(p.obligation) + ") starts " + o.start_text + ".";
      open_.push_back(std::move(o));
      continue;
    }
    o.due_passed = p.due && *p.due < o.as_of_end;
    // A relative deadline is shown as written beside its date: "+10d (2020-03-16 00:01 EET)".
    const std::string due_local = p.due ? time::FormatLocal(*p.due, a.timezone) : "";
    o.due_text = p.due_written.empty() ? due_local : p.due_written + " (" + due_local + ")";
    switch (p.obligation) {
      case ObligationKind::kJointPatrol:
      case ObligationKind::kOpenRoad: {
        const model::ZoneDef* along = a.FindZone(p.along);
        if (along == nullptr || along->zone.line().size() < 2) {
          st.state = ObligationState::kPending;
          st.reason = o.pname + ": no route to measure.";
          break;
        }
        geo::Route full(along->zone.line());
        double from_m = 0, to_m = full.length_m();
        if (p.route_from && p.route_to) {
          from_m = full.AlongM(*p.route_from);
          to_m = full.AlongM(*p.route_to);
          if (from_m > to_m) std::swap(from_m, to_m);
        }
        o.route.emplace(full.Slice(from_m, to_m));
        o.collect = Open::Collect::kRoute;
        break;
      }
      case ObligationKind::kWithdraw:
        if (!p.due || !o.due_passed) {
          st.state = ObligationState::kPending;
          st.reason = o.pname + ": withdrawal due " + (p.due ? o.due_text : std::string("(no deadline)")) + ".";
          break;
        }
        o.zone = a.FindZone(p.zone);
        o.collect = Open::Collect::kWithdraw;
        break;
      case ObligationKind::kOther:
        o.collect = Open::Collect::kOther;
        break;
    }
    open_.push_back(std::move(o));
  }
}

ObligationTally::~ObligationTally() = default;
ObligationTally::ObligationTally(ObligationTally&&) noexcept = default;

void ObligationTally::Add(const model::Report& inc) {
  for (Open& o : open_) {
    if (o.collect == Open::Collect::kNothing) continue;
    const ActiveProvision& ap = *o.ap;
    const model::Provision& p = *ap.provision;
    // In the obligation's window up to the end of as_of, and matching its evidence rule.
    if (!MatchesEvidence(p.evidence, inc)) continue;
    Result<time::Interval> iv = time::ToInterval(inc.time, ap.agreement->timezone);
    if (!iv.ok() || iv->end <= ap.start || iv->begin >= o.as_of_end) continue;
    if (ap.end && iv->begin >= *ap.end) continue;
    switch (o.collect) {
      case Open::Collect::kNothing:
        break;
      case Open::Collect::kRoute: {
        bool used = false;
        auto cover = [&](const geo::LineString& t) {
          auto got = o.route->CoveredIntervals(t, ruler_->options_.route_tolerance_m);
          if (!got.empty()) used = true;
          o.covered.insert(o.covered.end(), got.begin(), got.end());
        };
        if (inc.track.empty()) cover({inc.point, inc.point});  // a sighting covers its surroundings
        for (const geo::LineString& t : inc.track) cover(t);
        if (used) o.ids.push_back(inc.id);
        if (o.covered.size() > 2 * o.merged_size + 64) {
          MergeIntervals(&o.covered);
          o.merged_size = o.covered.size();
        }
        break;
      }
      case Open::Collect::kWithdraw:
        // Reported present in the zone after the deadline, by an obligated actor.
        if (iv->begin < *p.due) break;
        if (!ByObligated(ap, inc)) break;
        if (o.zone != nullptr &&
            o.zone->zone.Relate(inc.point, inc.uncertainty_m).containment != geo::Containment::kInside) {
          break;
        }
        o.ids.push_back(inc.id);
        break;
      case Open::Collect::kOther:
        ++o.count;
        if (o.ids.size() < kShownOther) {
          o.ids.push_back(inc.id);
          std::push_heap(o.ids.begin(), o.ids.end());
        } else if (inc.id < o.ids.front()) {
          std::pop_heap(o.ids.begin(), o.ids.end());
          o.ids.back() = inc.id;
          std::push_heap(o.ids.begin(), o.ids.end());
        }
        break;
    }
  }
}

std::vector<model::ObligationStatus> ObligationTally::Finish() {
  std::vector<model::ObligationStatus> out;
  for (Open& o : open_) {
    const model::Provision& p = *o.ap->provision;
    model::ObligationStatus& st = o.st;
    const std::string& pname = o.pname;
    std::sort(o.ids.begin(), o.ids.end());
    switch (o.collect) {
      case Open::Collect::kNothing:
        break;
      case Open::Collect::kRoute: {
        st.evidence_incident_ids = std::move(o.ids);
        const geo::Route& route = *o.route;
        MergeIntervals(&o.covered);
        double covered_m = 0;
        for (const auto& [b, e] : o.covered) {
          if (e > b) covered_m += e - b;
        }
        st.covered_fraction = route.length_m() > 0 ? std::min(1.0, covered_m / route.length_m()) : 0;
        std::string route_text = "the route" + (p.route_from_place.empty() ? std::string()
                                                                             : " from " + p.route_from_place +
                                                                                   " to " + p.route_to_place) +
                                 " (" + FormatDistance(route.length_m()) + ")";
        std::string what = p.obligation == ObligationKind::kJointPatrol ? "patrols" : "observed transit";
        if (st.evidence_incident_ids.empty()) {
          bool waiting = p.obligation == ObligationKind::kOpenRoad && !o.due_passed;
          st.state = waiting ? ObligationState::kPending : ObligationState::kUnmet;
          st.reason = pname + ": no " + what + " observed along " + route_text + " since " + o.start_text +
                      (waiting ? "; due " + o.due_text + "." : ".");
        } else if (st.covered_fraction >= p.met_fraction) {
          st.state = ObligationState::kMet;
          st.reason = pname + ": " + what + " covered " + Percent(st.covered_fraction) + " of " + route_text + ".";
        } else {
          st.state = (p.obligation == ObligationKind::kOpenRoad && !o.due_passed) ? ObligationState::kPending
                                                                                  : ObligationState::kPartlyMet;
          st.reason = pname + ": " + what + " covered " + Percent(st.covered_fraction) + " of " + route_text +
                      " (" + FormatDistance(covered_m) + "), below the " + Percent(p.met_fraction) +
                      " that counts as met.";
        }
        break;
      }
      case Open::Collect::kWithdraw:
        st.evidence_incident_ids = std::move(o.ids);
        if (!st.evidence_incident_ids.empty()) {
          st.state = ObligationState::kUnmet;
          st.reason = pname + ": " + std::to_string(st.evidence_incident_ids.size()) +
                      " incident(s) in the zone after the deadline (" + o.due_text + ") show " +
                      (p.weapons.empty() ? std::string("forces") : Join(p.weapons, ", ")) + " still present.";
        } else {
          st.state = ObligationState::kPending;
          st.reason = pname + ": due " + o.due_text + "; no incident contradicts it and no observation confirms it.";
        }
        break;
      case Open::Collect::kOther:
        if (o.count > 0 && !(p.evidence.acts.empty() && p.evidence.notes_contain.empty())) {
          st.state = ObligationState::kMet;
          st.reason = pname + ": " + std::to_string(o.count) + " observation(s) show it done.";
          st.evidence_incident_ids = std::move(o.ids);
        } else {
          st.state = o.due_passed ? ObligationState::kUnmet : ObligationState::kPending;
          st.reason = o.due_passed ? pname + ": due " + o.due_text + "; no observation shows it done."
                                   : pname + (p.due ? ": due " + o.due_text + "." : ": no deadline; no observation yet.");
        }
        break;
    }
    out.push_back(std::move(st));
  }
  open_.clear();
  return out;
}

}  // namespace truce::rules
