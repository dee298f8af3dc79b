// ACLED's event and sub-event types (codebook since 2019) and reading acts.
#include "internal.h"
#include "truce/agreement/agreement.h"
#include "truce/core/strings.h"

namespace truce::agreement {

const std::vector<AcledEventType>& AcledEventTypes() {
  static const std::vector<AcledEventType> kTypes = {
      {"Battles", {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"}},
      {"Explosions/Remote violence",
       {"Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED", "Grenade"}},
      {"Violence against civilians", {"Sexual violence", "Attack", "Abduction/forced disappearance"}},
      {"Protests", {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"}},
      {"Riots", {"Violent demonstration", "Mob violence"}},
      {"Strategic developments",
       {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
        "Headquarters or base established", "Looting/property destruction", "Non-violent transfer of territory",
        "Other"}},
  };
  return kTypes;
}

namespace {

// The act for (type, sub-type), or the message saying what is wrong.
Result<model::ActPattern> MakeAct(std::string_view type_text, std::string_view sub_text) {
  const std::string_view type = Trim(type_text);
  const std::string_view sub = Trim(sub_text);
  std::vector<std::string> names;
  for (const AcledEventType& t : AcledEventTypes()) {
    names.push_back(t.event_type);
    if (!EqualsIgnoreCase(t.event_type, type)) continue;
    model::ActPattern act;
    act.event_type = t.event_type;
    if (sub.empty()) return act;
    for (const std::string& s : t.sub_event_types) {
      if (EqualsIgnoreCase(s, sub)) {
        act.sub_event_type = s;
        return act;
      }
    }
    std::string hint = internal::DidYouMean(sub, t.sub_event_types);
    if (hint.empty()) hint = " (expected one of: " + Join(t.sub_event_types, ", ") + ")";
    return Status::ValidationError("unknown sub-event type '" + std::string(sub) + "' of '" + t.event_type + "'" +
                                   hint);
  }
  std::string hint = internal::DidYouMean(type, names);
  if (hint.empty()) hint = " (expected one of: " + Join(names, ", ") + ")";
  return Status::ValidationError("unknown event type '" + std::string(type) + "'" + hint);
}

}  // namespace

Result<model::ActPattern> ParseActPattern(std::string_view text) {
  // Types and sub-types contain '/' themselves; the separator is " / ".
  const size_t sep = text.find(" / ");
  if (sep == std::string_view::npos) return MakeAct(text, "");
  return MakeAct(text.substr(0, sep), text.substr(sep + 3));
}

namespace internal {

std::optional<model::ActPattern> ReadAct(Ctx& ctx, const Val& val) {
  Result<model::ActPattern> act = Status::Internal("unset");
  Pos at = val.pos;
  if (val.node.IsScalar()) {
    act = ParseActPattern(val.node.Scalar());
  } else if (val.node.IsMap()) {
    auto fields = ReadMap(ctx, Val{val.node, val.pos, "an act"}, "<act>");
    if (!fields) return std::nullopt;
    if (!Require(ctx, *fields, "event_type", "an act")) return std::nullopt;
    auto type = ReadNonEmptyString(ctx, fields->Find("event_type")->value);
    if (!type) return std::nullopt;
    std::string sub;
    if (const Field* f = fields->Given("sub_event_type")) {
      auto s = ReadString(ctx, f->value);
      if (!s) return std::nullopt;
      sub = *s;
    }
    act = MakeAct(*type, sub);
    at = fields->Find("event_type")->value.pos;
  } else {
    ctx.Error(val.pos, val.name + " must be an event type (\"Battles\" or \"Type / Sub-type\"), not " +
                           KindName(val.node));
    return std::nullopt;
  }
  if (!act.ok()) {
    ctx.Error(at, act.status().message());
    return std::nullopt;
  }
  return *act;
}

std::optional<std::vector<model::ActPattern>> ReadActs(Ctx& ctx, const Val& val) {
  // One act, given as a string or a map, stands for a list of one.
  std::optional<std::vector<Val>> items;
  if (val.node.IsMap()) {
    items = std::vector<Val>{val};
  } else {
    items = ReadList(ctx, val);
  }
  if (!items) return std::nullopt;
  std::vector<model::ActPattern> out;
  bool ok = true;
  for (const Val& item : *items) {
    auto act = ReadAct(ctx, item);
    if (act) {
      out.push_back(*act);
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace internal
}  // namespace truce::agreement
