// `items:` on an obligation: one deadline per item (Aghdam by 20 November,
// Kalbajar by 25 November, ...). Each item becomes its own provision so that
// findings, obligation statuses, the store and reports need no notion of items.
#include <map>

#include "internal.h"
#include "truce/core/strings.h"

namespace truce::agreement::internal {

void ExpandItems(Ctx& ctx, const Val& val, const TimeContext& tc, const std::vector<std::string>& zone_ids,
                 const model::Provision& base, std::vector<model::Provision>* out) {
  auto items = ReadList(ctx, val, /*allow_scalar=*/false);
  if (!items) return;
  if (items->empty()) {
    ctx.Error(val.pos, "'items' is empty: list the items, each with its own 'due', or remove 'items'");
    return;
  }
  std::map<std::string, Pos> seen;
  for (const Val& item : *items) {
    auto fields = ReadMap(ctx, Val{item.node, item.pos, "an item"}, "provisions[].items[]");
    if (!fields) continue;
    if (!Require(ctx, *fields, "id", "an item of '" + base.id + "'")) continue;
    const Field* idf = fields->Find("id");
    auto id = ReadNonEmptyString(ctx, idf->value);
    if (!id || !CheckId(ctx, idf->value.pos, *id, "item")) continue;
    if (auto it = seen.find(*id); it != seen.end()) {
      ctx.Error(idf->value.pos, "duplicate item id '" + *id + "' in '" + base.id + "' (first at line " +
                                    std::to_string(it->second.line) + ")");
      continue;
    }
    seen.emplace(*id, idf->value.pos);
    model::Provision p = base;  // kind, by, evidence, weapons, text, route
    p.id = base.id + "." + *id;
    p.pos = model::SourcePos{ctx.file(), item.pos.line, item.pos.column};
    std::string name = *id;
    if (const Field* f = fields->Given("name")) {
      if (auto n = ReadNonEmptyString(ctx, f->value)) name = *n;
    }
    p.article = base.article + " (" + name + ")";
    if (const Field* f = fields->Given("zone")) {
      if (auto z = ReadNonEmptyString(ctx, f->value)) {
        if (std::find(zone_ids.begin(), zone_ids.end(), *z) != zone_ids.end()) {
          p.zone = *z;
        } else if (!ctx.state().reported.count("zone:" + *z)) {
          ctx.Error(f->value.pos, "unknown zone '" + *z + "' in 'zone'" + DidYouMean(*z, zone_ids));
        }
      }
    }
    if (p.obligation == model::ObligationKind::kWithdraw && p.zone.empty() && fields->Given("zone") == nullptr) {
      ctx.Error(fields->pos, "item '" + *id + "' of '" + base.id + "' needs 'zone' (the zone to withdraw from)");
      continue;
    }
    if (const Field* f = fields->Given("from")) {
      if (auto t = ReadTime(ctx, Val{f->value.node, f->value.pos, "'from'"}, tc)) {
        p.from = t->instant;
        p.from_text = t->text;
        p.from_written = t->relative;
      }
    }
    if (const Field* f = fields->Given("due")) {
      if (auto t = ReadTime(ctx, Val{f->value.node, f->value.pos, "'due'"}, tc)) {
        p.due = t->instant;
        p.due_written = t->relative;
      }
    } else if (!base.due) {
      ctx.Error(fields->pos, "item '" + *id + "' of '" + base.id +
                                 "' needs 'due' (each item is one deadline; or give 'due' to the provision)");
      continue;
    }
    if (const Field* f = fields->Given("note")) {
      if (auto n = ReadString(ctx, f->value)) p.note = *n;
    }
    out->push_back(std::move(p));
  }
}

}  // namespace truce::agreement::internal
