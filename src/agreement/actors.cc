// Actors: the `actors:` section (inline or an actors file) and ActorRegistry.
#include <algorithm>

#include "internal.h"
#include "truce/agreement/agreement.h"
#include "truce/core/strings.h"

namespace truce::agreement {
namespace internal {
namespace {

std::vector<std::string> ActorKindNames() {
  std::vector<std::string> out;
  for (model::ActorKind k : {model::ActorKind::kState, model::ActorKind::kArmedForces, model::ActorKind::kGovernment,
                             model::ActorKind::kArmedGroup, model::ActorKind::kInternational,
                             model::ActorKind::kCivilians, model::ActorKind::kOther}) {
    out.emplace_back(model::ActorKindName(k));
  }
  return out;
}

std::optional<model::Designation> ReadDesignation(Ctx& ctx, const Val& val) {
  auto fields = ReadMap(ctx, Val{val.node, val.pos, "a designation"}, "actors.<actor>.designations[]");
  if (!fields) return std::nullopt;
  bool ok = Require(ctx, *fields, "by", "a designation");
  ok = Require(ctx, *fields, "as", "a designation") && ok;
  if (!ok) return std::nullopt;
  model::Designation d;
  auto by = ReadNonEmptyString(ctx, fields->Find("by")->value);
  auto as = ReadNonEmptyString(ctx, fields->Find("as")->value);
  if (!by || !as) return std::nullopt;
  d.by = *by;
  d.as = *as;
  if (const Field* f = fields->Given("from")) {
    auto day = ReadDate(ctx, f->value);
    if (!day) return std::nullopt;
    d.from = *day;
  }
  if (const Field* f = fields->Given("until")) {
    auto day = ReadDate(ctx, f->value);
    if (!day) return std::nullopt;
    d.until = *day;
    if (d.from && *d.until < *d.from) {
      ctx.Error(f->value.pos, "'until' (" + time::FormatDate(*d.until) + ") is before 'from' (" +
                                  time::FormatDate(*d.from) + ")");
      return std::nullopt;
    }
  }
  if (const Field* f = fields->Given("note")) {
    if (!ReadString(ctx, f->value)) return std::nullopt;
  }
  return d;
}

// The actors of a map keyed by actor id.
void ReadActorMap(Ctx& ctx, const Val& val, std::vector<model::Actor>* actors) {
  auto entries = ReadIdMap(ctx, val, "actor");
  if (!entries) return;
  // Lower-case names and aliases -> (actor id, line), to catch one name for two actors.
  std::map<std::string, std::pair<std::string, int>> names;
  for (const Field& e : *entries) {
    model::Actor actor;
    actor.id = e.key;
    actor.name = e.key;
    actor.pos = model::SourcePos{ctx.file(), e.key_pos.line, e.key_pos.column};
    auto fields = ReadMap(ctx, e.value, "actors.<actor>");
    if (fields) {
      if (const Field* f = fields->Given("name")) {
        if (auto s = ReadNonEmptyString(ctx, f->value)) actor.name = *s;
      }
      if (const Field* f = fields->Given("kind")) {
        if (auto s = ReadNonEmptyString(ctx, f->value)) {
          if (auto k = model::ParseActorKind(*s)) {
            actor.kind = *k;
          } else {
            std::string hint = DidYouMean(*s, ActorKindNames());
            if (hint.empty()) hint = " (expected one of: " + Join(ActorKindNames(), ", ") + ")";
            ctx.Error(f->value.pos, "unknown actor kind '" + *s + "'" + hint);
          }
        }
      }
      if (const Field* f = fields->Given("country")) {
        if (auto s = ReadNonEmptyString(ctx, f->value)) {
          if (IsIso3(*s)) {
            actor.country = *s;
          } else {
            ctx.Error(f->value.pos, "country '" + *s + "' must be an ISO 3166-1 alpha-3 code like SYR");
          }
        }
      }
      std::vector<StrItem> alias_items;
      if (const Field* f = fields->Given("aliases")) {
        if (auto items = ReadStringList(ctx, f->value)) alias_items = *items;
      }
      if (const Field* f = fields->Given("designations")) {
        if (auto items = ReadList(ctx, f->value, /*allow_scalar=*/false)) {
          for (const Val& item : *items) {
            if (auto d = ReadDesignation(ctx, item)) actor.designations.push_back(*d);
          }
        }
      }
      if (const Field* f = fields->Given("note")) ReadString(ctx, f->value);

      // The name and every alias must point at one actor only.
      std::vector<StrItem> all_names = {StrItem{actor.name, e.key_pos}};
      if (const Field* f = fields->Given("name")) all_names[0].pos = f->value.pos;
      all_names.insert(all_names.end(), alias_items.begin(), alias_items.end());
      for (const StrItem& n : all_names) {
        const std::string key = ToLowerAscii(Trim(n.text));
        auto [it, inserted] = names.emplace(key, std::make_pair(actor.id, n.pos.line));
        if (!inserted && it->second.first != actor.id) {
          ctx.Error(n.pos, "name '" + n.text + "' is already used by actor '" + it->second.first + "' (line " +
                               std::to_string(it->second.second) + ")");
        }
      }
      for (const StrItem& a : alias_items) actor.aliases.push_back(a.text);
    }
    actors->push_back(std::move(actor));
  }
}

}  // namespace

void ReadActorsSection(Ctx& ctx, const Val& val, std::vector<model::Actor>* actors) {
  if (val.node.IsMap()) {
    ReadActorMap(ctx, val, actors);
    return;
  }
  if (!val.node.IsScalar()) {
    ctx.Error(val.pos, "'actors' must be a path to an actors file or a map of actors, not " + KindName(val.node));
    return;
  }
  auto text = ReadReferencedFile(ctx, val);
  if (!text) return;
  LoadState& st = ctx.state();
  const std::string resolved = ResolveRelative(st.yaml_file, std::string(Trim(val.node.Scalar())));
  Ctx file_ctx(&st, resolved, st.next_file_order++);
  if (!st.stored) {
    if (auto fault = FindTextFault(*text)) {
      file_ctx.SyntaxError(fault->pos, fault->message);
      return;
    }
  }
  YAML::Node root;
  try {
    root = YAML::Load(*text);
  } catch (const YAML::Exception& e) {
    file_ctx.SyntaxError(Pos{std::max(e.mark.line + 1, 1), std::max(e.mark.column + 1, 1)}, e.msg);
    return;
  }
  if (root.IsNull()) {
    file_ctx.Error(Pos{}, "the actors file is empty (expected a map with the key 'actors')");
    return;
  }
  auto fields = ReadMap(file_ctx, Val{root, PosOf(root, Pos{}), "an actors file"}, "<actors-file>");
  if (!fields || !Require(file_ctx, *fields, "actors", "an actors file")) return;
  ReadActorMap(file_ctx, fields->Find("actors")->value, actors);
}

}  // namespace internal

// ---------------------------------------------------------------- ActorRegistry

namespace {

std::string NameKey(std::string_view name) { return ToLowerAscii(Trim(name)); }

// Letters and digits, and any byte of a multi-byte UTF-8 character.
bool IsWordChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

void ActorRegistry::Add(const model::Actor& actor) {
  const size_t index = actors_.size();
  actors_.push_back(actor);
  auto add = [&](std::string_view name) {
    std::string key = NameKey(name);
    if (key.empty()) return;
    auto it = std::lower_bound(names_.begin(), names_.end(), key,
                               [](const std::pair<std::string, size_t>& e, const std::string& k) { return e.first < k; });
    if (it != names_.end() && it->first == key) return;  // the actor added first keeps the name
    names_.insert(it, {std::move(key), index});
  };
  add(actor.name);
  for (const std::string& alias : actor.aliases) add(alias);
}

const model::Actor* ActorRegistry::ById(std::string_view id) const {
  for (const model::Actor& a : actors_) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

const model::Actor* ActorRegistry::Resolve(std::string_view name) const {
  const std::string key = NameKey(name);
  if (key.empty()) return nullptr;
  auto find = [&](std::string_view k) -> const model::Actor* {
    auto it = std::lower_bound(names_.begin(), names_.end(), k,
                               [](const std::pair<std::string, size_t>& e, std::string_view x) { return e.first < x; });
    if (it != names_.end() && it->first == k) return &actors_[it->second];
    return nullptr;
  };
  if (const model::Actor* a = find(key)) return a;
  // The longest known name that the given one starts with, ending at a word
  // boundary: "military forces of syria (2000-) air force" -> "military forces of syria (2000-)".
  for (size_t end = key.size() - 1; end > 0; --end) {
    if (IsWordChar(key[end]) && IsWordChar(key[end - 1])) continue;
    std::string_view prefix = Trim(std::string_view(key).substr(0, end));
    if (prefix.empty()) continue;
    if (const model::Actor* a = find(prefix)) return a;
  }
  return nullptr;
}

}  // namespace truce::agreement
