// Keys that narrow when and against whom a provision applies (issue 12):
// `against:` (the targets a prohibition protects) and `daily:` (a local
// window each day). Read after the provision's kind is known.
#include <algorithm>

#include "internal.h"
#include "truce/core/strings.h"

namespace truce::agreement::internal {
namespace {

constexpr const char* kOtherSides = "other_sides";

std::vector<std::string> KindNames() {
  std::vector<std::string> out;
  for (model::ActorKind k : {model::ActorKind::kState, model::ActorKind::kArmedForces, model::ActorKind::kGovernment,
                             model::ActorKind::kArmedGroup, model::ActorKind::kInternational,
                             model::ActorKind::kCivilians, model::ActorKind::kOther}) {
    out.push_back(model::ActorKindName(k));
  }
  return out;
}

void ReadAgainst(Ctx& ctx, const Val& val, const model::Agreement& a, const std::vector<model::Actor>& actors,
                 model::Provision* p) {
  auto items = ReadStringList(ctx, val);
  if (!items) return;
  if (items->empty()) ctx.Error(val.pos, "'against' is empty: name whom the prohibition protects, or leave it out");
  std::vector<std::string> side_ids, actor_ids;
  for (const auto& [id, side] : a.sides) side_ids.push_back(id);
  for (const model::Actor& actor : actors) actor_ids.push_back(actor.id);
  const std::vector<std::string> kinds = KindNames();
  auto has = [](const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  for (const StrItem& item : *items) {
    if (item.text == kOtherSides) {
      p->against_other_sides = true;
      continue;
    }
    if (has(side_ids, item.text) || has(actor_ids, item.text) || has(kinds, item.text)) {
      if (!has(p->against, item.text)) p->against.push_back(item.text);
      continue;
    }
    // A side or actor whose own declaration was refused is not reported again.
    const auto& reported = ctx.state().reported;
    if (reported.count("side:" + item.text) || reported.count("actor:" + item.text)) continue;
    std::vector<std::string> all = {kOtherSides};
    for (const std::vector<std::string>* v :
         std::initializer_list<const std::vector<std::string>*>{&side_ids, &actor_ids, &kinds})
      all.insert(all.end(), v->begin(), v->end());
    std::string hint = DidYouMean(item.text, all);
    if (hint.empty()) {
      hint = " (expected other_sides, a side (" + Join(side_ids, ", ") + "), an actor id or an actor kind (" +
             Join(kinds, ", ") + "))";
    }
    ctx.Error(item.pos, "unknown side, actor or actor kind '" + item.text + "' in 'against'" + hint);
  }
}

// "from"/"to" of a daily window: exactly HH:MM.
std::optional<int> ReadClock(Ctx& ctx, const Fields& fields, const char* key) {
  if (!Require(ctx, fields, key, "'daily'")) return std::nullopt;
  const Field* f = fields.Find(key);
  auto text = ReadNonEmptyString(ctx, f->value);
  if (!text) return std::nullopt;
  Result<int> m = time::ParseClockMinutes(*text);
  if (!m.ok()) {
    ctx.Error(f->value.pos, f->value.name + " must be a time of day HH:MM (00:00 to 23:59), not '" + *text + "'");
    return std::nullopt;
  }
  return *m;
}

void ReadDaily(Ctx& ctx, const Field& field, bool tz_given, model::Provision* p) {
  auto fields = ReadMap(ctx, field.value, "provisions[].daily");
  if (!fields) return;
  const std::optional<int> from = ReadClock(ctx, *fields, "from");
  const std::optional<int> to = ReadClock(ctx, *fields, "to");
  if (!from || !to) return;
  if (*from == *to) {
    ctx.Error(fields->Find("to")->value.pos, "'from' and 'to' are both " + time::FormatClockMinutes(*from) +
                                                 ": a daily window needs two different times (a 'to' earlier "
                                                 "than 'from' runs past midnight)");
    return;
  }
  if (!tz_given) {
    ctx.Error(field.key_pos, "'daily' needs the agreement's `timezone`: its window is local clock time");
    return;
  }
  p->daily = time::DailyWindow{*from, *to, time::DailyWindowText(*from, *to)};
}

}  // namespace

void ReadProvisionExtras(Ctx& ctx, const Fields& fields, const model::Agreement& a,
                         const std::vector<model::Actor>& actors, bool tz_given, model::Provision* p) {
  const bool prohibition = p->kind == model::ProvisionKind::kProhibition;
  if (const Field* f = fields.Given("against")) {
    if (prohibition) {
      ReadAgainst(ctx, f->value, a, actors, p);
    } else {
      ctx.Error(f->key_pos, "'against' applies to prohibitions, not obligations");
    }
  }
  if (const Field* f = fields.Given("daily")) {
    if (prohibition || p->obligation == model::ObligationKind::kOpenRoad) {
      ReadDaily(ctx, *f, tz_given, p);
    } else {
      ctx.Error(f->key_pos, std::string("'daily' applies to prohibitions and open_road obligations, not ") +
                                model::ObligationKindName(p->obligation));
    }
  }
}

}  // namespace truce::agreement::internal
