// When an agreement is in force: its own period, inline `extensions:` and
// extension documents (`extends:`), resolved onto the agreement they extend.
// The periods are in order and never overlap; a gap between two is a lapse.
#include <algorithm>
#include <map>
#include <set>

#include "internal.h"
#include "truce/agreement/agreement.h"
#include "truce/core/strings.h"

namespace truce::agreement {
namespace internal {
namespace {

const char* kAmendInstead =
    "an extension changes only when the agreement is in force; to change its rules write an amendment (amends:)";

}  // namespace

void CheckExtensionDocument(Ctx& ctx, const Fields& top) {
  for (const char* key : {"id", "title", "end"}) Require(ctx, top, key, "an extension document");
  for (const char* key : {"sides", "provisions", "actors", "designated", "places", "zones", "extensions"}) {
    if (const Field* f = top.Find(key)) {
      if (std::string_view(key) == "extensions") {
        ctx.Error(f->key_pos, "an extension document cannot hold 'extensions': write one document per extension");
      } else {
        ctx.Error(f->key_pos, std::string("'") + key + "' in an extension document: " + kAmendInstead);
      }
    }
  }
  for (const char* key : {"amends", "supersedes"}) {
    if (const Field* f = top.Given(key)) {
      ctx.Error(f->key_pos, std::string("an extension document cannot also use '") + key + "'");
    }
  }
}

void AddOwnPeriod(Ctx& ctx, const Fields& top, const std::optional<TimeText>& eif, const std::optional<TimeText>& end,
                  bool extension_doc, model::Agreement* a) {
  model::InForcePeriod p;
  if (eif) {
    p.from = eif->instant;
    p.from_text = eif->text;
  }
  if (end) {
    p.until = end->instant;
    p.until_text = end->text;
  }
  if (extension_doc) {
    const Field* f = top.Given("extends");
    if (auto id = ReadNonEmptyString(ctx, f->value)) {
      if (!CheckId(ctx, f->value.pos, *id, "agreement")) return;
      if (*id == a->id) {
        ctx.Error(f->value.pos, "an agreement cannot extend itself");
        return;
      }
      a->extends = *id;
    }
    p.by = a->id;
    p.extension = true;
    p.signed_on = a->signed_on;
    p.source = a->source;
    p.note = a->note;
    // Without its own entry into force it starts where the extended agreement's
    // latest period ends (ResolveExtensions).
    p.from_previous = !eif && top.Find("entry_into_force") == nullptr;
  }
  a->periods.push_back(std::move(p));
}

void ReadInlineExtensions(Ctx& ctx, const Val& val, const TimeContext& tc, model::Agreement* a) {
  auto items = ReadList(ctx, val, /*allow_scalar=*/false);
  if (!items) return;
  if (a->periods.empty()) return;  // an extension document: refused by CheckExtensionDocument
  if (!a->periods.front().until) {
    ctx.Error(val.pos, "'extensions' needs 'end' (the end of the agreement's own period, which the first extension follows)");
    return;
  }
  for (const Val& item : *items) {
    auto fields = ReadMap(ctx, Val{item.node, item.pos, "an extension"}, "extensions[]");
    if (!fields) continue;
    if (!Require(ctx, *fields, "until", "an extension")) continue;
    const model::InForcePeriod& prev = a->periods.back();
    if (!prev.until) return;  // a previous extension failed: no cascade
    model::InForcePeriod p;
    p.extension = true;
    p.from = *prev.until;
    p.from_text = prev.until_text;
    std::optional<TimeText> from;
    if (const Field* f = fields->Given("from")) {
      from = ReadTime(ctx, Val{f->value.node, f->value.pos, "'from'"}, tc);
      if (!from) continue;
      if (from->instant < *prev.until) {
        ctx.Error(f->value.pos, "extension from " + from->text + " overlaps the period before it (in force until " +
                                    prev.until_text + ")");
        continue;
      }
      p.from = from->instant;
      p.from_text = from->text;
    }
    auto until = ReadTime(ctx, Val{fields->Find("until")->value.node, fields->Find("until")->value.pos, "'until'"}, tc);
    if (!until) continue;
    if (until->instant <= p.from) {
      ctx.Error(fields->Find("until")->value.pos,
                "extension 'until' (" + until->text + ") is not after its start (" + p.from_text + ")");
      continue;
    }
    p.until = until->instant;
    p.until_text = until->text;
    if (const Field* f = fields->Given("signed")) {
      if (auto d = ReadDate(ctx, Val{f->value.node, f->value.pos, "'signed'"})) p.signed_on = *d;
    }
    if (const Field* f = fields->Given("source")) {
      if (auto s = ReadString(ctx, f->value)) p.source = *s;
    }
    if (const Field* f = fields->Given("note")) {
      if (auto s = ReadString(ctx, f->value)) p.note = *s;
    }
    a->periods.push_back(std::move(p));
  }
  a->end = a->periods.back().until;
}

std::map<std::string, std::vector<model::InForcePeriod>> PlanExtensions(
    const std::vector<const model::Agreement*>& agreements, std::vector<ExtensionIssue>* issues) {
  std::map<std::string, const model::Agreement*> by_id;
  for (const model::Agreement* a : agreements) by_id.emplace(a->id, a);
  // Each extension document under the original it extends (through extensions of extensions).
  std::map<std::string, std::vector<const model::Agreement*>> docs;
  for (const model::Agreement* a : agreements) {
    if (a->extends.empty()) continue;
    const model::Agreement* target = a;
    std::set<std::string> seen{a->id};
    while (target != nullptr && !target->extends.empty()) {
      auto it = by_id.find(target->extends);
      target = it == by_id.end() ? nullptr : it->second;
      if (target != nullptr && !seen.insert(target->id).second) {
        issues->push_back({a, "extends", "cycle of extends through '" + a->id + "'"});
        target = nullptr;
      }
    }
    if (target != nullptr) docs[target->id].push_back(a);  // unknown ids: CheckReferences reports them
  }
  std::map<std::string, std::vector<model::InForcePeriod>> out;
  for (auto& [id, list] : docs) {
    const model::Agreement& original = *by_id.at(id);
    // The agreement's own periods (its text and inline extensions).
    std::vector<model::InForcePeriod> own;
    for (const model::InForcePeriod& p : original.periods) {
      if (p.by.empty()) own.push_back(p);
    }
    if (own.empty() || !own.back().until) {
      issues->push_back({list.front(), "extends",
                         "'" + list.front()->id + "' extends '" + id + "', which has no 'end' to extend"});
      continue;
    }
    std::vector<model::InForcePeriod> added;
    time::Instant last_end = *own.back().until;
    std::string last_end_text = own.back().until_text;
    // In order of their ends, which for periods that do not overlap is the
    // order of their starts, also when a document leaves its start implicit
    // (it then follows the one before it).
    std::vector<const model::Agreement*> ordered = list;
    std::stable_sort(ordered.begin(), ordered.end(), [](const model::Agreement* x, const model::Agreement* y) {
      return x->periods.front().until.value_or(time::Instant::max()) <
             y->periods.front().until.value_or(time::Instant::max());
    });
    for (const model::Agreement* doc : ordered) {
      if (doc->periods.empty()) continue;
      model::InForcePeriod p = doc->periods.front();
      if (p.from_previous) {
        p.from = last_end;
        p.from_text = last_end_text;
      } else if (p.from < last_end) {
        issues->push_back({doc, "entry_into_force",
                           "extension '" + doc->id + "' starts at " + p.from_text +
                               ", before the period it follows ends (" + last_end_text + ")"});
        continue;
      }
      if (!p.until || *p.until <= p.from) {
        issues->push_back({doc, "end",
                           "extension '" + doc->id + "' ends at " + p.until_text + ", not after its start (" +
                               p.from_text + ")"});
        continue;
      }
      last_end = *p.until;
      last_end_text = p.until_text;
      added.push_back(std::move(p));
    }
    out[id] = std::move(added);
  }
  return out;
}

}  // namespace internal

Status ResolveExtensions(const std::vector<model::Agreement*>& agreements) {
  std::vector<const model::Agreement*> all(agreements.begin(), agreements.end());
  std::vector<internal::ExtensionIssue> issues;
  auto plan = internal::PlanExtensions(all, &issues);
  std::map<std::string, model::Agreement*> by_id;
  for (model::Agreement* a : agreements) by_id.emplace(a->id, a);
  for (model::Agreement* a : agreements) {
    // Idempotent: what an earlier resolution added is taken off first.
    const bool had_docs = std::any_of(a->periods.begin(), a->periods.end(),
                                      [&](const model::InForcePeriod& p) { return !p.by.empty() && a->extends.empty(); });
    if (had_docs) {
      std::erase_if(a->periods, [](const model::InForcePeriod& p) { return !p.by.empty(); });
      a->end = a->periods.empty() ? std::nullopt : a->periods.back().until;
    }
  }
  for (auto& [id, added] : plan) {
    model::Agreement* original = by_id.at(id);
    for (const model::InForcePeriod& p : added) {
      // The extension document itself starts where it was placed.
      if (model::Agreement* doc = by_id.count(p.by) ? by_id.at(p.by) : nullptr) {
        doc->entry_into_force = p.from;
        if (doc->entry_into_force_text.empty()) doc->entry_into_force_text = p.from_text;
      }
      original->periods.push_back(p);
    }
    if (!original->periods.empty()) original->end = original->periods.back().until;
  }
  if (issues.empty()) return Status::Ok();
  std::vector<std::string> lines;
  for (const auto& i : issues) lines.push_back(i.message);
  return Status::ValidationError(Join(lines, "\n"));
}

}  // namespace truce::agreement
