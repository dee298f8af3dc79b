#include "truce/model/model.h"

#include "truce/core/strings.h"

namespace truce::model {

const char* ActorKindName(ActorKind k) {
  switch (k) {
    case ActorKind::kState: return "state";
    case ActorKind::kArmedForces: return "armed_forces";
    case ActorKind::kGovernment: return "government";
    case ActorKind::kArmedGroup: return "armed_group";
    case ActorKind::kInternational: return "international";
    case ActorKind::kCivilians: return "civilians";
    case ActorKind::kOther: return "other";
  }
  return "other";
}

std::optional<ActorKind> ParseActorKind(std::string_view s) {
  for (ActorKind k : {ActorKind::kState, ActorKind::kArmedForces, ActorKind::kGovernment, ActorKind::kArmedGroup,
                      ActorKind::kInternational, ActorKind::kCivilians, ActorKind::kOther}) {
    if (s == ActorKindName(k)) return k;
  }
  return std::nullopt;
}

std::string ActPattern::ToString() const {
  return sub_event_type.empty() ? event_type : event_type + " / " + sub_event_type;
}

const char* ObligationKindName(ObligationKind k) {
  switch (k) {
    case ObligationKind::kJointPatrol: return "joint_patrol";
    case ObligationKind::kWithdraw: return "withdraw";
    case ObligationKind::kOpenRoad: return "open_road";
    case ObligationKind::kOther: return "other";
  }
  return "other";
}

std::optional<ObligationKind> ParseObligationKind(std::string_view s) {
  for (ObligationKind k : {ObligationKind::kJointPatrol, ObligationKind::kWithdraw, ObligationKind::kOpenRoad,
                           ObligationKind::kOther}) {
    if (s == ObligationKindName(k)) return k;
  }
  return std::nullopt;
}

const char* SupportName(Support s) {
  switch (s) {
    case Support::kSingle: return "single";
    case Support::kCorroborated: return "corroborated";
    case Support::kObserved: return "observed";
  }
  return "single";
}

std::optional<Support> ParseSupport(std::string_view s) {
  for (Support v : {Support::kSingle, Support::kCorroborated, Support::kObserved}) {
    if (s == SupportName(v)) return v;
  }
  return std::nullopt;
}

const char* FindingStatusName(FindingStatus s) {
  switch (s) {
    case FindingStatus::kViolation: return "violation";
    case FindingStatus::kExempt: return "exempt";
    case FindingStatus::kNoViolation: return "no_violation";
    case FindingStatus::kOutsideScope: return "outside_scope";
    case FindingStatus::kUndetermined: return "undetermined";
  }
  return "undetermined";
}

std::optional<FindingStatus> ParseFindingStatus(std::string_view s) {
  for (FindingStatus f : {FindingStatus::kViolation, FindingStatus::kExempt, FindingStatus::kNoViolation,
                          FindingStatus::kOutsideScope, FindingStatus::kUndetermined}) {
    if (s == FindingStatusName(f)) return f;
  }
  return std::nullopt;
}

const char* ObligationStateName(ObligationState s) {
  switch (s) {
    case ObligationState::kMet: return "met";
    case ObligationState::kPartlyMet: return "partly_met";
    case ObligationState::kUnmet: return "unmet";
    case ObligationState::kPending: return "pending";
  }
  return "pending";
}

const ZoneDef* Agreement::FindZone(std::string_view zone_id) const {
  for (const ZoneDef& z : zones) {
    if (z.id == zone_id) return &z;
  }
  return nullptr;
}

const Provision* Agreement::FindProvision(std::string_view provision_id) const {
  for (const Provision& p : provisions) {
    if (p.id == provision_id) return &p;
  }
  return nullptr;
}

const Side* Agreement::SideOfActor(std::string_view actor_id) const {
  for (const auto& [id, side] : sides) {
    for (const std::string& a : side.actor_ids) {
      if (a == actor_id) return &side;
    }
  }
  return nullptr;
}

}  // namespace truce::model
