#include "scope_limits.h"

#include <algorithm>

#include "truce/core/strings.h"
#include "truce/time/daily_window.h"

namespace truce::rules::internal {
namespace {

// How reasons name an actor kind when a prohibition protects it.
std::string KindInWords(std::string_view kind) {
  if (kind == "civilians") return "civilians";
  if (kind == "armed_forces") return "armed forces";
  if (kind == "armed_group") return "armed groups";
  if (kind == "state") return "states";
  if (kind == "government") return "governments";
  if (kind == "international") return "international actors";
  return "other actors";
}

// "other sides, the opposition side and civilians".
std::string AgainstText(const model::Agreement& a, const model::Provision& p, const agreement::ActorRegistry& actors) {
  std::vector<std::string> parts;
  if (p.against_other_sides) parts.push_back("other sides");
  for (const std::string& item : p.against) {
    if (a.sides.count(item)) {
      parts.push_back("the " + item + " side");
    } else if (const model::Actor* actor = actors.ById(item)) {
      parts.push_back(actor->name);
    } else {
      parts.push_back(KindInWords(item));
    }
  }
  if (parts.size() <= 1) return parts.empty() ? "" : parts[0];
  const std::string last = parts.back();
  parts.pop_back();
  return Join(parts, ", ") + " and " + last;
}

bool Has(const std::vector<std::string>& v, std::string_view x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// ACLED names unidentified victims "Civilians (Syria)"; such a target that
// matches no actor of the agreement is of kind civilians.
bool DatasetSaysCivilians(std::string_view name) { return StartsWith(ToLowerAscii(name), "civilians"); }

enum class TargetFit { kProtected, kNotProtected, kUnknown, kUndecided };

TargetFit FitTarget(const model::Agreement& a, const model::Provision& p, const agreement::ActorRegistry& actors,
                    const IncidentView& incident, const model::Side* actor_side, std::string* target_text) {
  const model::Actor* t = actors.Resolve(incident.actor2);
  if (t == nullptr && !incident.assoc_actor2.empty()) t = actors.Resolve(incident.assoc_actor2);
  if (t == nullptr) {
    const std::string named(incident.actor2.empty() ? incident.assoc_actor2 : incident.actor2);
    const bool civilians = DatasetSaysCivilians(incident.actor2) || DatasetSaysCivilians(incident.assoc_actor2);
    if (!civilians) {
      *target_text = named;
      return TargetFit::kUnknown;
    }
    *target_text = named + " (civilians)";
    return Has(p.against, "civilians") ? TargetFit::kProtected : TargetFit::kNotProtected;
  }
  const model::Side* ts = a.SideOfActor(t->id);
  *target_text =
      t->name + (ts != nullptr ? " (" + ts->id + " side)" : std::string(" (") + model::ActorKindName(t->kind) + ")");
  if (Has(p.against, t->id) || Has(p.against, model::ActorKindName(t->kind)) ||
      (ts != nullptr && Has(p.against, ts->id))) {
    return TargetFit::kProtected;
  }
  if (p.against_other_sides && ts != nullptr) {
    if (actor_side == nullptr) return TargetFit::kUndecided;  // the actor's own step decides
    if (actor_side->id != ts->id) return TargetFit::kProtected;
  }
  return TargetFit::kNotProtected;
}

void Add(std::string* s, const std::string& part) { *s += (s->empty() ? "" : "; ") + part; }

}  // namespace

ScopeLimits CheckScopeLimits(const model::Agreement& a, const model::Provision& p,
                             const agreement::ActorRegistry& actors, const IncidentView& incident, time::Interval span,
                             const model::Side* actor_side, const std::string& pname) {
  ScopeLimits out;
  std::string outside_why, uncertain_why, conditions;

  if (p.daily) {
    Result<time::WindowRelation> rel = time::RelateToWindow(*p.daily, span, a.timezone);
    if (rel.ok()) {
      const std::string at = incident.time.exact
                                 ? "at " + time::FormatLocalClock(*incident.time.exact, a.timezone) + " local time"
                                 : "at that time";
      if (rel->fit == time::WindowFit::kOutside) {
        Add(&outside_why, at + ", outside the daily window " + p.daily->text + " of " + pname);
      } else if (rel->fit == time::WindowFit::kPartly) {
        Add(&uncertain_why, "its time of day is not known, and " + pname + " applies only in its daily window " +
                                p.daily->text + " (local time)");
        conditions = "within that window";
        out.inside_share *= rel->inside_share;
      } else {
        out.note += ", " + at + ", inside its daily window " + p.daily->text;
      }
    }
  }

  if (p.against_other_sides || !p.against.empty()) {
    const std::string against = AgainstText(a, p, actors);
    std::string target;
    switch (FitTarget(a, p, actors, incident, actor_side, &target)) {
      case TargetFit::kProtected: out.note += ", against " + target + ", whom it protects"; break;
      case TargetFit::kNotProtected:
        Add(&outside_why, "against " + target + ", which " + pname + " does not protect (it binds acts against " +
                              against + " only)");
        break;
      case TargetFit::kUnknown:
        Add(&uncertain_why, (target.empty() ? std::string("the target is not known")
                                            : "the target, " + target + ", is not an actor of " + a.id) +
                                "; " + pname + " binds acts against " + against + " only");
        conditions += (conditions.empty() ? "" : " and ") + std::string("against ") + against;
        out.inside_share *= 0.5;
        break;
      case TargetFit::kUndecided: break;
    }
  }

  if (!outside_why.empty()) {
    out.outside = true;
    out.why = outside_why;
  } else if (!uncertain_why.empty()) {
    out.uncertain = true;
    out.why = uncertain_why;
    out.condition = conditions;
  }
  return out;
}

}  // namespace truce::rules::internal
