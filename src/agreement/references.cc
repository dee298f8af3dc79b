// Checks across a set of agreements: amends / supersedes / replaces targets
// exist, ids are unique, no cycles. Positions come from re-reading the YAML
// each agreement keeps (source_text), so messages point at the key.
#include <algorithm>
#include <map>
#include <set>

#include "internal.h"
#include "truce/agreement/agreement.h"
#include "truce/core/strings.h"

namespace truce::agreement {
namespace {

// "file:line:col: " for a top-level key (or a provision's key) of `a`, or
// "file: " when the position cannot be found.
std::string Where(const model::Agreement& a, std::string_view key, std::string_view provision_id = "") {
  std::string file = a.source_file.empty() ? "agreement '" + a.id + "'" : a.source_file;
  try {
    YAML::Node root = YAML::Load(a.source_text);
    YAML::Node node;
    if (!root.IsMap()) return file + ": ";
    if (provision_id.empty()) {
      node = root[std::string(key)];
    } else {
      YAML::Node provisions = root["provisions"];
      if (!provisions.IsSequence()) return file + ": ";
      for (const YAML::Node& p : provisions) {
        if (p.IsMap() && p["id"] && p["id"].IsScalar() && p["id"].Scalar() == provision_id) {
          node = p[std::string(key)];
          break;
        }
      }
    }
    if (!node.IsDefined() || node.IsNull()) return file + ": ";
    internal::Pos pos = internal::PosOf(node, internal::Pos{0, 0});
    if (pos.line == 0) return file + ": ";
    return file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column) + ": ";
  } catch (const YAML::Exception&) {
    return file + ": ";
  }
}

}  // namespace

Status CheckReferences(const std::vector<const model::Agreement*>& agreements) {
  std::vector<std::string> errors;
  std::map<std::string, const model::Agreement*> by_id;
  for (const model::Agreement* a : agreements) {
    auto [it, inserted] = by_id.emplace(a->id, a);
    if (!inserted) {
      errors.push_back(Where(*a, "id") + "duplicate agreement id '" + a->id + "' (also in " +
                       (it->second->source_file.empty() ? "another agreement" : it->second->source_file) + ")");
    }
  }
  std::vector<std::string> ids;
  for (const auto& [id, a] : by_id) ids.push_back(id);

  for (const model::Agreement* a : agreements) {
    for (const char* key : {"amends", "supersedes"}) {
      const std::string& target = std::string_view(key) == "amends" ? a->amends : a->supersedes;
      if (target.empty() || by_id.count(target)) continue;
      errors.push_back(Where(*a, key) + "'" + a->id + "' " + key + " unknown agreement '" + target + "'" +
                       internal::DidYouMean(target, ids));
    }
    if (!a->extends.empty() && !by_id.count(a->extends)) {
      errors.push_back(Where(*a, "extends") + "'" + a->id + "' extends unknown agreement '" + a->extends + "'" +
                       internal::DidYouMean(a->extends, ids));
    }
    for (const model::Provision& p : a->provisions) {
      if (p.replaces.empty()) continue;
      const size_t hash = p.replaces.find('#');
      const std::string agr = p.replaces.substr(0, hash);
      const std::string prov = hash == std::string::npos ? "" : p.replaces.substr(hash + 1);
      auto it = by_id.find(agr);
      if (it == by_id.end()) {
        errors.push_back(Where(*a, "replaces", p.id) + "provision '" + p.id + "' replaces a provision of unknown agreement '" +
                         agr + "'");
        continue;
      }
      if (it->second->FindProvision(prov) == nullptr) {
        std::vector<std::string> pids;
        for (const model::Provision& q : it->second->provisions) pids.push_back(q.id);
        errors.push_back(Where(*a, "replaces", p.id) + "provision '" + p.id + "' replaces unknown provision '" +
                         prov + "' of '" + agr + "'" + internal::DidYouMean(prov, pids));
      }
    }
  }

  // Extension documents placed onto their agreements: overlaps, no end to extend.
  std::vector<internal::ExtensionIssue> extension_issues;
  internal::PlanExtensions(agreements, &extension_issues);
  for (const internal::ExtensionIssue& issue : extension_issues) {
    errors.push_back(Where(*issue.at, issue.key) + issue.message);
  }

  // Cycles along amends / supersedes edges (each agreement has at most one of each).
  std::set<std::string> reported;
  for (const model::Agreement* start : agreements) {
    if (reported.count(start->id)) continue;
    // Depth-first over at most two edges per node, remembering the path.
    std::vector<std::string> path;
    std::set<std::string> on_path;
    std::set<std::string> done;
    auto visit = [&](auto&& self, const model::Agreement* a) -> bool {
      if (on_path.count(a->id)) {
        auto from = std::find(path.begin(), path.end(), a->id);
        std::vector<std::string> cycle(from, path.end());
        cycle.push_back(a->id);
        bool fresh = false;  // report each cycle once, from whichever member is met first
        for (const std::string& id : cycle) fresh = reported.insert(id).second || fresh;
        if (fresh) {
          const model::Agreement* first = by_id.at(cycle.front());
          errors.push_back(Where(*first, first->amends == cycle[1] ? "amends" : "supersedes") +
                           "cycle of amends/supersedes: " + Join(cycle, " -> "));
        }
        return true;
      }
      if (done.count(a->id)) return false;
      path.push_back(a->id);
      on_path.insert(a->id);
      for (const std::string* next : {&a->amends, &a->supersedes}) {
        if (next->empty()) continue;
        auto it = by_id.find(*next);
        if (it != by_id.end() && self(self, it->second)) return true;
      }
      path.pop_back();
      on_path.erase(a->id);
      done.insert(a->id);
      return false;
    };
    visit(visit, start);
  }

  if (errors.empty()) return Status::Ok();
  return Status::ValidationError(Join(errors, "\n"));
}

}  // namespace truce::agreement
