// Reading an agreement file: the top level, sides and provisions; the other
// sections live in actors.cc and zones.cc. Every error is collected with its
// position; the load fails with all of them, in file order.
#include <algorithm>
#include <set>
#include <sstream>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include "internal.h"
#include "truce/agreement/agreement.h"
#include "truce/core/strings.h"
#include "truce/core/utf8.h"

namespace truce::agreement {
namespace {

using internal::Ctx;
using internal::Field;
using internal::Fields;
using internal::Pos;
using internal::StrItem;
using internal::Val;

constexpr size_t kMaxReportedIssues = 25;

// What provisions may refer to, gathered before they are read.
struct Scope {
  const model::Agreement* agreement = nullptr;
  const std::vector<model::Actor>* actors = nullptr;
  std::map<std::string, geo::ZoneShape> zone_shapes;  // every declared zone, valid or not
  internal::TimeContext tc;
  bool actors_given = false;
  bool actors_ok = true;  // false when the actors section had errors: no cascade of unknown actors
};

std::vector<std::string> Keys(const std::map<std::string, geo::ZoneShape>& m) {
  std::vector<std::string> out;
  for (const auto& [k, v] : m) out.push_back(k);
  return out;
}

std::vector<std::string> ActorIds(const std::vector<model::Actor>& actors) {
  std::vector<std::string> out;
  for (const model::Actor& a : actors) out.push_back(a.id);
  return out;
}

bool HasActor(const Scope& s, std::string_view id) {
  return std::any_of(s.actors->begin(), s.actors->end(), [&](const model::Actor& a) { return a.id == id; });
}

std::vector<std::string> SideIds(const model::Agreement& a) {
  std::vector<std::string> out;
  for (const auto& [id, side] : a.sides) out.push_back(id);
  return out;
}

const char* ShapeName(geo::ZoneShape s) {
  switch (s) {
    case geo::ZoneShape::kPolygon: return "a polygon";
    case geo::ZoneShape::kCorridor: return "a corridor";
    case geo::ZoneShape::kBand: return "a band";
    case geo::ZoneShape::kCircle: return "a circle";
  }
  return "a zone";
}

// Whether `thing` `id` was declared and its own error reported already.
bool Reported(Ctx& ctx, std::string_view thing, const std::string& id) {
  return ctx.state().reported.count(std::string(thing) + ":" + id) > 0;
}

// An actor id that must exist; `in_what` completes "unknown actor 'x' in ...".
bool CheckActorRef(Ctx& ctx, const Scope& s, const StrItem& item, std::string_view in_what) {
  if (HasActor(s, item.text)) return true;
  if (!s.actors_ok) return false;  // the actors section's own error says why
  if (Reported(ctx, "actor", item.text)) return false;
  std::string msg = "unknown actor '" + item.text + "' in " + std::string(in_what);
  if (!s.actors_given) {
    msg += " (the agreement defines no actors: add `actors:`)";
  } else {
    msg += internal::DidYouMean(item.text, ActorIds(*s.actors));
  }
  ctx.Error(item.pos, msg);
  return false;
}

bool CheckZoneRef(Ctx& ctx, const Scope& s, const StrItem& item, std::string_view key) {
  if (s.zone_shapes.count(item.text)) return true;
  if (Reported(ctx, "zone", item.text)) return false;
  ctx.Error(item.pos, "unknown zone '" + item.text + "' in '" + std::string(key) + "'" +
                          internal::DidYouMean(item.text, Keys(s.zone_shapes)));
  return false;
}

void ReadSides(Ctx& ctx, const Val& val, Scope& s, model::Agreement* a) {
  auto entries = internal::ReadIdMap(ctx, val, "side");
  if (!entries) return;
  if (entries->empty() && val.node.size() == 0) ctx.Error(val.pos, "'sides' is empty: an agreement needs a side");
  std::map<std::string, std::string> side_of_actor;
  for (const Field& e : *entries) {
    model::Side side;
    side.id = e.key;
    auto fields = internal::ReadMap(ctx, e.value, "sides.<side>");
    if (fields) {
      if (const Field* f = fields->Given("guarantor")) {
        if (auto g = internal::ReadNonEmptyString(ctx, f->value)) {
          if (!internal::IsIso3(*g) && !HasActor(s, *g)) {
            ctx.Error(f->value.pos, "guarantor '" + *g + "' must be an ISO3 country code (like RUS) or an actor id");
          }
          side.guarantor = *g;  // kept either way: obligations naming it are not reported again
        }
      }
      if (internal::Require(ctx, *fields, "actors", "side '" + e.key + "'")) {
        if (auto items = internal::ReadStringList(ctx, fields->Find("actors")->value)) {
          for (const StrItem& item : *items) {
            if (!CheckActorRef(ctx, s, item, "side '" + e.key + "'")) continue;
            auto [it, inserted] = side_of_actor.emplace(item.text, e.key);
            if (!inserted) {
              ctx.Error(item.pos, "actor '" + item.text + "' is already in side '" + it->second + "'");
              continue;
            }
            side.actor_ids.push_back(item.text);
          }
        }
      }
      if (const Field* f = fields->Given("note")) internal::ReadString(ctx, f->value);
    }
    a->sides[e.key] = std::move(side);
  }
}

std::optional<model::Exemption> ReadExemption(Ctx& ctx, const Val& val, const Scope& s) {
  auto fields = internal::ReadMap(ctx, Val{val.node, val.pos, "an exemption"}, "provisions[].except[]");
  if (!fields) return std::nullopt;
  model::Exemption ex;
  const Field* against = fields->Given("against");
  const Field* acts = fields->Given("acts");
  if (against == nullptr && acts == nullptr) {
    ctx.Error(fields->pos, "an exemption needs 'against' (designated or actor ids) or 'acts'");
    return std::nullopt;
  }
  bool ok = true;
  if (against != nullptr) {
    auto items = internal::ReadStringList(ctx, against->value);
    if (!items) return std::nullopt;
    for (const StrItem& item : *items) {
      if (item.text == "designated") {
        ex.against_designated = true;
      } else if (CheckActorRef(ctx, s, item, "'against'")) {
        ex.against_actors.push_back(item.text);
      } else {
        ok = false;
      }
    }
  }
  if (acts != nullptr) {
    auto list = internal::ReadActs(ctx, acts->value);
    if (!list) return std::nullopt;
    ex.acts = *list;
  }
  if (const Field* f = fields->Given("note")) {
    if (auto n = internal::ReadString(ctx, f->value)) ex.note = *n;
  }
  if (!ok) return std::nullopt;
  return ex;
}

const std::set<std::string>& ProhibitionOnlyKeys() {
  static const std::set<std::string> k = {"where", "except"};
  return k;
}
const std::set<std::string>& ObligationOnlyKeys() {
  static const std::set<std::string> k = {"along",    "between",      "zone", "weapons", "due",
                                          "evidence", "met_fraction", "items"};
  return k;
}

void ReadProhibition(Ctx& ctx, const Fields& fields, const Scope& s, model::Provision* p) {
  const model::Agreement& a = *s.agreement;
  const Field* prohibits = fields.Find("prohibits");
  if (auto acts = internal::ReadActs(ctx, prohibits->value)) {
    if (acts->empty()) ctx.Error(prohibits->value.pos, "'prohibits' is empty: name the acts it prohibits");
    p->prohibits = *acts;
  }
  if (const Field* by = fields.Given("by")) {
    if (auto items = internal::ReadStringList(ctx, by->value)) {
      for (const StrItem& item : *items) {
        if (a.sides.count(item.text)) {
          p->by_sides.push_back(item.text);
        } else if (!Reported(ctx, "side", item.text)) {
          std::string hint = internal::DidYouMean(item.text, SideIds(a));
          if (hint.empty() && !a.sides.empty()) hint = " (sides: " + Join(SideIds(a), ", ") + ")";
          ctx.Error(item.pos, "unknown side '" + item.text + "' in 'by'" + hint);
        }
      }
    }
  } else {
    p->by_sides = SideIds(a);  // DEFAULT: every side
  }
  if (const Field* where = fields.Given("where")) {
    if (auto items = internal::ReadStringList(ctx, where->value)) {
      if (items->empty()) ctx.Error(where->value.pos, "'where' is empty: name the zones the prohibition covers");
      for (const StrItem& item : *items) {
        if (CheckZoneRef(ctx, s, item, "where")) p->where.push_back(item.text);
      }
    }
  } else {
    ctx.Error(fields.pos, "a prohibition needs 'where' (the zones it covers)");
  }
  if (const Field* except = fields.Given("except")) {
    std::optional<std::vector<Val>> items;
    if (except->value.node.IsMap()) {
      items = std::vector<Val>{except->value};  // one exemption stands for a list of one
    } else {
      items = internal::ReadList(ctx, except->value, /*allow_scalar=*/false);
    }
    if (items) {
      for (const Val& item : *items) {
        if (auto ex = ReadExemption(ctx, item, s)) p->except.push_back(*ex);
      }
    }
  }
}

void ReadObligation(Ctx& ctx, const Fields& fields, const Scope& s, model::Provision* p) {
  const model::Agreement& a = *s.agreement;
  const Field* kind_field = fields.Find("obligation");
  std::optional<model::ObligationKind> kind;
  if (auto k = internal::ReadNonEmptyString(ctx, kind_field->value)) {
    kind = model::ParseObligationKind(*k);
    if (!kind) {
      const std::vector<std::string> names = {"joint_patrol", "withdraw", "open_road", "other"};
      std::string hint = internal::DidYouMean(*k, names);
      if (hint.empty()) hint = " (expected one of: " + Join(names, ", ") + ")";
      ctx.Error(kind_field->value.pos, "unknown obligation '" + *k + "'" + hint);
      return;
    }
    p->obligation = *kind;
  } else {
    return;
  }
  const std::string kind_name = model::ObligationKindName(*kind);

  // by: sides, actors, guarantors or parties.
  if (const Field* by = fields.Given("by")) {
    std::vector<std::string> known = SideIds(a);
    for (const auto& [id, side] : a.sides) {
      if (!side.guarantor.empty()) known.push_back(side.guarantor);
    }
    known.insert(known.end(), a.parties.begin(), a.parties.end());
    for (const model::Actor& actor : *s.actors) known.push_back(actor.id);
    if (auto items = internal::ReadStringList(ctx, by->value)) {
      if (items->empty()) ctx.Error(by->value.pos, "'by' is empty: name who is obligated");
      for (const StrItem& item : *items) {
        if (std::find(known.begin(), known.end(), item.text) != known.end()) {
          p->obligated.push_back(item.text);
        } else {
          ctx.Error(item.pos, "unknown side, actor or guarantor '" + item.text + "' in 'by'" +
                                  internal::DidYouMean(item.text, known));
        }
      }
    }
  } else {
    ctx.Error(fields.pos, "an obligation needs 'by' (sides, actors or guarantors)");
  }

  bool along_ok = false;
  if (const Field* along = fields.Given("along")) {
    if (auto z = internal::ReadNonEmptyString(ctx, along->value)) {
      StrItem item{*z, along->value.pos};
      if (CheckZoneRef(ctx, s, item, "along")) {
        const geo::ZoneShape shape = s.zone_shapes.at(*z);
        if (shape == geo::ZoneShape::kCorridor || shape == geo::ZoneShape::kBand) {
          p->along = *z;
          along_ok = true;
        } else {
          ctx.Error(item.pos, "'along' needs a corridor or band zone (its line is the route); '" + *z + "' is " +
                                  ShapeName(shape));
        }
      }
    }
  } else if (*kind == model::ObligationKind::kJointPatrol || *kind == model::ObligationKind::kOpenRoad) {
    ctx.Error(fields.pos, "a " + kind_name + " obligation needs 'along' (a corridor or band zone)");
  }

  if (const Field* between = fields.Given("between")) {
    const Val& bv = between->value;
    if (!bv.node.IsSequence() || bv.node.size() != 2) {
      ctx.Error(bv.pos, "'between' must be a list of two places (ids or [lat, lon]), not " +
                            (bv.node.IsSequence() ? "a list of " + std::to_string(bv.node.size())
                                                  : internal::KindName(bv.node)));
    } else if (fields.Given("along") == nullptr) {
      ctx.Error(between->key_pos, "'between' needs 'along' (the zone whose line is the route)");
    } else {
      Val ends[2] = {Val{bv.node[0], internal::PosOf(bv.node[0], bv.pos), "an entry of 'between'"},
                     Val{bv.node[1], internal::PosOf(bv.node[1], bv.pos), "an entry of 'between'"}};
      std::string names[2];
      auto from = internal::ReadPoint(ctx, ends[0], a.places, &names[0]);
      auto to = internal::ReadPoint(ctx, ends[1], a.places, &names[1]);
      const model::ZoneDef* zone = along_ok ? a.FindZone(p->along) : nullptr;
      std::optional<geo::LatLon> points[2] = {from, to};
      bool ok = from && to;
      for (int i = 0; i < 2 && zone != nullptr; ++i) {
        if (!points[i]) continue;
        const double d = zone->zone.DistanceM(*points[i]);
        if (d > 0) {
          ctx.Error(ends[i].pos, "route end '" + names[i] + "' lies " + FormatDistance(d) + " outside zone '" +
                                     zone->id + "'");
          ok = false;
        }
      }
      if (ok) {
        p->route_from = from;
        p->route_to = to;
        p->route_from_place = names[0];
        p->route_to_place = names[1];
      }
    }
  }

  if (const Field* z = fields.Given("zone")) {
    if (auto id = internal::ReadNonEmptyString(ctx, z->value)) {
      StrItem item{*id, z->value.pos};
      if (CheckZoneRef(ctx, s, item, "zone")) p->zone = *id;
    }
  } else if (*kind == model::ObligationKind::kWithdraw && fields.Given("items") == nullptr) {
    ctx.Error(fields.pos, "a withdraw obligation needs 'zone' (the zone to withdraw from)");
  }

  if (const Field* w = fields.Given("weapons")) {
    if (*kind != model::ObligationKind::kWithdraw) {
      ctx.Error(w->key_pos, "'weapons' applies to withdraw obligations, not " + kind_name);
    } else if (auto items = internal::ReadStringList(ctx, w->value)) {
      for (const StrItem& item : *items) p->weapons.push_back(item.text);
    }
  }

  if (const Field* due = fields.Given("due")) {
    if (auto t = internal::ReadTime(ctx, due->value, s.tc)) {
      p->due = t->instant;
      p->due_written = t->relative;
    }
  }

  if (const Field* ev = fields.Given("evidence")) {
    if (auto ef = internal::ReadMap(ctx, ev->value, "provisions[].evidence")) {
      if (const Field* f = ef->Given("acts")) {
        if (auto acts = internal::ReadActs(ctx, f->value)) p->evidence.acts = *acts;
      }
      if (const Field* f = ef->Given("notes_contain")) {
        if (auto items = internal::ReadStringList(ctx, f->value)) {
          for (const StrItem& item : *items) p->evidence.notes_contain.push_back(item.text);
        }
      }
    }
  }

  if (const Field* mf = fields.Given("met_fraction")) {
    if (*kind != model::ObligationKind::kJointPatrol && *kind != model::ObligationKind::kOpenRoad) {
      ctx.Error(mf->key_pos, "'met_fraction' applies to joint_patrol and open_road obligations, not " + kind_name);
    } else if (auto x = internal::ReadNumber(ctx, mf->value)) {
      if (*x <= 0 || *x > 1) {
        ctx.Error(mf->value.pos, "'met_fraction' must be greater than 0 and at most 1, not " + mf->value.node.Scalar());
      } else {
        p->met_fraction = *x;
      }
    }
  }
}

void ReadProvisions(Ctx& ctx, const Val& val, const Scope& s, model::Agreement* a) {
  auto items = internal::ReadList(ctx, val, /*allow_scalar=*/false);
  if (!items) return;
  if (items->empty()) ctx.Error(val.pos, "'provisions' is empty: an agreement needs a provision");
  std::map<std::string, Pos> seen;
  for (const Val& item : *items) {
    auto fields = internal::ReadMap(ctx, Val{item.node, item.pos, "a provision"}, "provisions[]");
    if (!fields) continue;
    model::Provision p;
    p.pos = model::SourcePos{ctx.file(), item.pos.line, item.pos.column};
    bool ok = true;
    if (internal::Require(ctx, *fields, "id", "a provision")) {
      const Field* f = fields->Find("id");
      if (auto id = internal::ReadNonEmptyString(ctx, f->value)) {
        if (!internal::CheckId(ctx, f->value.pos, *id, "provision")) {
          ok = false;
        } else if (auto it = seen.find(*id); it != seen.end()) {
          ctx.Error(f->value.pos, "duplicate provision id '" + *id + "' (first at line " +
                                      std::to_string(it->second.line) + ")");
          ok = false;
        } else {
          seen.emplace(*id, f->value.pos);
          p.id = *id;
        }
      } else {
        ok = false;
      }
    } else {
      ok = false;
    }
    p.article = p.id;
    if (const Field* f = fields->Given("article")) {
      if (auto s2 = internal::ReadNonEmptyString(ctx, f->value)) p.article = *s2;
    }
    if (const Field* f = fields->Given("text")) {
      if (auto s2 = internal::ReadString(ctx, f->value)) p.text = *s2;
    }
    if (const Field* f = fields->Given("note")) {
      if (auto s2 = internal::ReadString(ctx, f->value)) p.note = *s2;
    }

    const Field* prohibits = fields->Find("prohibits");
    const Field* obligation = fields->Find("obligation");
    if (prohibits == nullptr && obligation == nullptr) {
      ctx.Error(fields->pos, "a provision needs exactly one of 'prohibits' or 'obligation'");
      continue;
    }
    if (prohibits != nullptr && obligation != nullptr) {
      const Field* second = prohibits->key_pos.line > obligation->key_pos.line ? prohibits : obligation;
      ctx.Error(second->key_pos, "a provision has both 'prohibits' and 'obligation'; write two provisions");
      continue;
    }
    p.kind = prohibits != nullptr ? model::ProvisionKind::kProhibition : model::ProvisionKind::kObligation;
    const auto& wrong_keys = p.kind == model::ProvisionKind::kProhibition ? ObligationOnlyKeys() : ProhibitionOnlyKeys();
    for (const Field& f : fields->entries) {
      if (wrong_keys.count(f.key)) {
        ctx.Error(f.key_pos, "'" + f.key + "' applies to " +
                                 (p.kind == model::ProvisionKind::kProhibition ? "obligations, not prohibitions"
                                                                               : "prohibitions, not obligations"));
        ok = false;
      }
    }

    // Validity.
    std::optional<internal::TimeText> from, until;
    if (const Field* f = fields->Given("from")) {
      from = internal::ReadTime(ctx, f->value, s.tc);
      if (from) p.from = from->instant;
      if (from) p.from_written = from->relative;
    }
    p.from_text = from ? from->text : a->entry_into_force_text;
    if (const Field* f = fields->Given("until")) {
      until = internal::ReadTime(ctx, f->value, s.tc);
      if (until) {
        p.until = until->instant;
        p.until_written = until->relative;
        if (from && until->instant <= from->instant) {
          ctx.Error(f->value.pos, "'until' (" + until->text + ") is not after 'from' (" + from->text + ")");
        } else if (!fields->Given("from") && !a->entry_into_force_text.empty() &&
                   until->instant <= a->entry_into_force) {
          ctx.Error(f->value.pos, "'until' (" + until->text + ") is not after 'entry_into_force' (" +
                                      a->entry_into_force_text + ")");
        }
      }
    }
    if (const Field* f = fields->Given("replaces")) {
      if (auto r = internal::ReadNonEmptyString(ctx, f->value)) {
        const size_t hash = r->find('#');
        const std::string agr = hash == std::string::npos ? "" : r->substr(0, hash);
        const std::string prov = hash == std::string::npos ? "" : r->substr(hash + 1);
        if (!internal::IsValidId(agr) || !internal::IsValidId(prov)) {
          ctx.Error(f->value.pos, "'replaces' must be 'agreement-id#provision-id', not '" + *r + "'");
        } else if (a->amends.empty()) {
          ctx.Error(f->value.pos, "'replaces' names a provision of '" + agr +
                                      "', but this agreement amends nothing (add `amends: " + agr + "`)");
        } else if (agr != a->amends) {
          ctx.Error(f->value.pos, "'replaces' names agreement '" + agr + "', but this agreement amends '" +
                                      a->amends + "'");
        } else {
          p.replaces = *r;
        }
      }
    }

    if (!ok) continue;
    if (p.kind == model::ProvisionKind::kProhibition) {
      ReadProhibition(ctx, *fields, s, &p);
    } else {
      ReadObligation(ctx, *fields, s, &p);
      if (const Field* f = fields->Given("items")) {
        internal::ExpandItems(ctx, f->value, s.tc, Keys(s.zone_shapes), p, &a->provisions);
        continue;
      }
    }
    internal::ReadProvisionExtras(ctx, *fields, *a, *s.actors, s.tc.tz_given, &p);
    a->provisions.push_back(std::move(p));
  }
}

void ReadAgreement(Ctx& ctx, const YAML::Node& root, LoadedAgreement* out) {
  model::Agreement& a = out->agreement;
  if (root.IsNull()) {
    ctx.Error(Pos{}, "the agreement file is empty");
    return;
  }
  auto top = internal::ReadMap(ctx, Val{root, internal::PosOf(root, Pos{}), "an agreement file"}, "");
  if (!top) return;
  // An extension document (`extends:`) only moves the agreement's end.
  const bool extension_doc = top->Given("extends") != nullptr;
  if (extension_doc) {
    internal::CheckExtensionDocument(ctx, *top);
  } else {
    for (const char* key : {"id", "title", "entry_into_force", "sides", "provisions"}) {
      internal::Require(ctx, *top, key, "");
    }
  }
  Scope scope;
  scope.agreement = &a;
  scope.actors = &out->actors;

  if (const Field* f = top->Find("id")) {
    if (auto id = internal::ReadNonEmptyString(ctx, f->value)) {
      if (internal::CheckId(ctx, f->value.pos, *id, "agreement")) a.id = *id;
    }
  }
  if (const Field* f = top->Find("title")) {
    if (auto t = internal::ReadNonEmptyString(ctx, f->value)) a.title = *t;
  }
  if (const Field* f = top->Given("parties")) {
    if (auto items = internal::ReadStringList(ctx, f->value)) {
      for (const StrItem& item : *items) a.parties.push_back(item.text);
    }
  }
  if (const Field* f = top->Given("signed")) {
    if (auto d = internal::ReadDate(ctx, f->value)) a.signed_on = *d;
  }
  if (const Field* f = top->Given("timezone")) {
    scope.tc.tz_given = true;
    if (auto tz = internal::ReadNonEmptyString(ctx, f->value)) {
      if (time::IsKnownTimeZone(*tz)) {
        scope.tc.tz = *tz;
        scope.tc.tz_valid = true;
        a.timezone = *tz;
      } else {
        ctx.Error(f->value.pos, "unknown time zone '" + *tz + "' (an IANA name like Asia/Damascus)");
      }
    }
  }
  if (a.timezone.empty()) a.timezone = "UTC";  // DEFAULT: days of incidents are taken in UTC
  std::optional<internal::TimeText> eif;
  if (const Field* f = top->Find("entry_into_force")) {
    eif = internal::ReadTime(ctx, f->value, scope.tc);  // no anchor yet: it cannot be relative
    scope.tc.anchor_given = true;
    if (eif) {
      a.entry_into_force = eif->instant;
      a.entry_into_force_text = eif->text;
      scope.tc.anchor = eif->instant;
    }
  }
  std::optional<internal::TimeText> end_text;
  if (const Field* f = top->Given("end")) {
    if (auto end = internal::ReadTime(ctx, f->value, scope.tc)) {
      end_text = end;
      a.end = end->instant;
      if (eif && end->instant <= eif->instant) {
        ctx.Error(f->value.pos, "'end' (" + end->text + ") is not after 'entry_into_force' (" + eif->text + ")");
      }
    }
  }
  const Field* amends = top->Given("amends");
  const Field* supersedes = top->Given("supersedes");
  for (const Field* f : {amends, supersedes}) {
    if (f == nullptr) continue;
    auto id = internal::ReadNonEmptyString(ctx, f->value);
    if (!id || !internal::CheckId(ctx, f->value.pos, *id, "agreement")) continue;
    if (*id == a.id) {
      ctx.Error(f->value.pos, "an agreement cannot " + std::string(f == amends ? "amend" : "supersede") + " itself");
      continue;
    }
    if (f == amends) {
      a.amends = *id;
    } else if (*id == a.amends) {
      ctx.Error(f->value.pos, "the agreement both amends and supersedes '" + *id +
                                  "'; amending keeps it in force, superseding ends it: choose one");
    } else {
      a.supersedes = *id;
    }
  }
  if (const Field* f = top->Given("countries")) {
    if (auto items = internal::ReadStringList(ctx, f->value)) {
      for (const StrItem& item : *items) {
        if (internal::IsIso3(item.text)) {
          a.countries.push_back(item.text);
        } else {
          ctx.Error(item.pos, "country '" + item.text + "' must be an ISO 3166-1 alpha-3 code like SYR");
        }
      }
    }
  }
  if (const Field* f = top->Given("source")) {
    if (auto s = internal::ReadString(ctx, f->value)) a.source = *s;
  }
  if (const Field* f = top->Given("note")) {
    if (auto s = internal::ReadString(ctx, f->value)) a.note = *s;
  }
  internal::AddOwnPeriod(ctx, *top, eif, end_text, extension_doc, &a);
  if (const Field* f = top->Given("extensions")) internal::ReadInlineExtensions(ctx, f->value, scope.tc, &a);
  if (extension_doc) return;  // its other sections were refused: not read, so no cascade
  if (const Field* f = top->Given("actors")) {
    scope.actors_given = true;
    const size_t before = ctx.state().issues.size();
    internal::ReadActorsSection(ctx, f->value, &out->actors);
    scope.actors_ok = ctx.state().issues.size() == before;
  }
  if (const Field* f = top->Given("places")) internal::ReadPlaces(ctx, f->value, &a.places);
  if (const Field* f = top->Given("zones")) internal::ReadZones(ctx, f->value, a.places, &a.zones, &scope.zone_shapes);
  if (const Field* f = top->Find("sides")) ReadSides(ctx, f->value, scope, &a);
  if (const Field* f = top->Given("designated")) {
    if (auto items = internal::ReadStringList(ctx, f->value)) {
      for (const StrItem& item : *items) {
        if (CheckActorRef(ctx, scope, item, "'designated'")) a.designated.push_back(item.text);
      }
    }
  }
  if (const Field* f = top->Find("provisions")) ReadProvisions(ctx, f->value, scope, &a);
}

std::string ContentHash(const std::vector<std::pair<std::string, std::string>>& files) {
  std::string digests;
  for (const auto& [path, contents] : files) digests += Sha256Hex(contents) + "\n";
  return Sha256Hex(digests);
}

// A file name or message as printed: messages quote what the file says, and
// escapes in it ("\e") must not reach a terminal or break the one-line form.
std::string Shown(std::string_view text) { return EscapeControls(text); }

Status IssuesToStatus(std::vector<internal::Issue> issues) {
  std::stable_sort(issues.begin(), issues.end(), [](const internal::Issue& x, const internal::Issue& y) {
    if (x.file_order != y.file_order) return x.file_order < y.file_order;
    if (x.pos.line != y.pos.line) return x.pos.line < y.pos.line;
    return x.pos.column < y.pos.column;
  });
  const bool syntax = std::any_of(issues.begin(), issues.end(), [](const internal::Issue& i) { return i.syntax; });
  std::string msg;
  for (size_t i = 0; i < issues.size() && i < kMaxReportedIssues; ++i) {
    const internal::Issue& is = issues[i];
    if (i > 0) msg += "\n";
    msg += Shown(is.file) + ":" + std::to_string(is.pos.line) + ":" + std::to_string(is.pos.column) + ": " +
           Shown(is.message);
  }
  if (issues.size() > kMaxReportedIssues) {
    msg += "\n... and " + std::to_string(issues.size() - kMaxReportedIssues) + " more errors";
  }
  return syntax ? Status::ParseError(msg) : Status::ValidationError(msg);
}

// Where each YAML document of a text starts, read as events without building
// nodes, and at most `max_docs` of them: yaml-cpp 0.7's LoadAll never ends on
// some malformed input (a line starting with ',' yields empty documents
// without end), so documents are counted here and only the first is loaded.
class DocumentStarts : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
  std::vector<YAML::Mark> starts;
};

std::vector<YAML::Mark> FirstDocumentStarts(const std::string& text, std::size_t max_docs) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts handler;
  while (handler.starts.size() < max_docs && parser.HandleNextDocument(handler)) {
  }
  return handler.starts;
}


// `stored`: re-reading what a database holds (see LoadState::stored).
Result<LoadedAgreement> Parse(const std::string& yaml_text, const std::string& file, const FileSystem& fs,
                              bool stored) {
  internal::LoadState st;
  st.fs = &fs;
  st.yaml_file = file;
  st.stored = stored;
  st.files.emplace_back(file, yaml_text);
  // yaml-cpp passes invalid UTF-8 through and drops NUL bytes, so the bytes
  // are checked before it sees them.
  std::string text;
  if (stored) {
    text = RepairUtf8(yaml_text);
  } else if (auto fault = internal::FindTextFault(yaml_text)) {
    return Status::ParseErrorAt(Shown(file), fault->pos.line, fault->pos.column, fault->message);
  } else {
    text = yaml_text;
  }
  LoadedAgreement out;
  try {
    const std::vector<YAML::Mark> starts = FirstDocumentStarts(text, 2);
    if (starts.size() > 1) {
      return Status::ValidationErrorAt(Shown(file), starts[1].line + 1, starts[1].column + 1,
                                       "an agreement file holds one YAML document; this is document 2");
    }
    Ctx ctx(&st, file, 0);
    ReadAgreement(ctx, starts.empty() ? YAML::Node() : YAML::Load(text), &out);
  } catch (const YAML::Exception& e) {
    // Syntax errors, and (defensively) any yaml-cpp error while reading nodes.
    return Status::ParseErrorAt(Shown(file), std::max(e.mark.line + 1, 1), std::max(e.mark.column + 1, 1),
                                Shown(e.msg));
  }
  if (!st.issues.empty()) return IssuesToStatus(std::move(st.issues));
  out.files = std::move(st.files);  // as given (stored), so that the content hash stays the same
  out.agreement.source_file = file;
  out.agreement.source_text = std::move(text);  // what was parsed: positions in it are the messages' positions
  out.agreement.content_hash = ContentHash(out.files);
  return out;
}

}  // namespace

Result<LoadedAgreement> ParseAgreement(const std::string& yaml_text, const std::string& file, const FileSystem& fs) {
  return Parse(yaml_text, file, fs, /*stored=*/false);
}

Result<LoadedAgreement> LoadAgreementFile(const std::string& path, const FileSystem& fs) {
  TRUCE_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
  return ParseAgreement(text, path, fs);
}

Result<LoadedAgreement> ReloadAgreement(const std::vector<std::pair<std::string, std::string>>& files) {
  if (files.empty()) return Status::InvalidArgument("no files to reload an agreement from");
  MemFileSystem mem;
  for (size_t i = 1; i < files.size(); ++i) mem.Put(ResolveRelative(files[0].first, files[i].first), files[i].second);
  return Parse(files[0].second, files[0].first, mem, /*stored=*/true);
}

}  // namespace truce::agreement
