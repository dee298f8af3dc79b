// Grouping reports into incidents: candidate edges from the index, scored on
// two threads, then merged best first by a union-find that keeps the rules
// (a curated dataset's rows apart, analysts' unlinks, in MatchNew existing
// incidents apart). Analysts' links are merged first, whatever the rules.
#include <algorithm>
#include <atomic>
#include <deque>
#include <map>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "features.h"
#include "index.h"

namespace truce::reconcile {

// Not in the anonymous namespace: NewReports::State holds them.

// Strings that reasons name reports by, each kept once: a file's rows
// repeat a few datasets, event types and hundreds of actors.
class NamePool {
 public:
  std::uint32_t Intern(const std::string& s) {
    auto it = at_.find(s);
    if (it != at_.end()) return it->second;
    strings_.push_back(s);
    const std::uint32_t k = static_cast<std::uint32_t>(strings_.size() - 1);
    at_.emplace(strings_.back(), k);
    return k;
  }
  const std::string& operator[](std::uint32_t k) const { return strings_[k]; }

 private:
  std::deque<std::string> strings_;  // stable: at_'s keys view them
  std::unordered_map<std::string_view, std::uint32_t> at_;
};

// What matching reads of a report beyond its Features: its ids, its source
// id (the curated rule) and what a reason names it by (interned in a NamePool).
// About a tenth of a model::Report with its strings.
struct LeanReport {
  std::int64_t record_id = 0;
  std::string source_id;
  double uncertainty_m = 0;
  std::uint32_t dataset = 0, event_type = 0, sub_event_type = 0, native_code = 0, actor1 = 0, actor2 = 0;
};

// The reports a run matches, as it reads them: features and LeanReport records,
// built by one FeatureBuilder (its interned keys compare only within it).
struct PreparedReports {
  PreparedReports(const Config& config, const ActorResolver& resolve) : builder(config, resolve) {}

  std::uint32_t Add(const model::Report& r) {
    features.push_back(builder.Build(r));
    ids.push_back(r.id);
    LeanReport l;
    l.record_id = r.record_id;
    l.source_id = r.source_id;
    l.uncertainty_m = r.uncertainty_m;
    l.dataset = pool.Intern(r.dataset);
    l.event_type = pool.Intern(r.event_type);
    l.sub_event_type = pool.Intern(r.sub_event_type);
    l.native_code = pool.Intern(r.native_code);
    l.actor1 = pool.Intern(r.actor1);
    l.actor2 = pool.Intern(r.actor2);
    lean.push_back(std::move(l));
    return static_cast<std::uint32_t>(lean.size() - 1);
  }

  void Reserve(std::size_t n) {
    features.reserve(n);
    ids.reserve(n);
    lean.reserve(n);
  }

  // The report as far as ScoreParts, Reason and ReportLabel read it.
  model::Report Report(std::uint32_t i) const {
    const LeanReport& l = lean[i];
    model::Report r;
    r.id = ids[i];
    r.record_id = l.record_id;
    r.source_id = l.source_id;
    r.uncertainty_m = l.uncertainty_m;
    r.dataset = pool[l.dataset];
    r.event_type = pool[l.event_type];
    r.sub_event_type = pool[l.sub_event_type];
    r.native_code = pool[l.native_code];
    r.actor1 = pool[l.actor1];
    r.actor2 = pool[l.actor2];
    return r;
  }

  FeatureBuilder builder;
  NamePool pool;
  std::vector<Features> features;
  std::vector<std::int64_t> ids;  // beside, not in LeanReport: sorts read them alone
  std::vector<LeanReport> lean;
};

namespace {

struct Edge {
  double score;
  std::uint32_t a, b;  // a < b (indices)
};

// One edge that joined two groups: the tree placements are read from.
struct TreeEdge {
  std::uint32_t a, b;
  double score;
  int override_index;  // into the overrides, or -1 for the matcher
};

// The overrides that stand: the latest decision about each pair.
std::vector<int> LatestOverrides(const std::vector<Override>& overrides) {
  std::map<std::pair<std::int64_t, std::int64_t>, int> last;
  for (std::size_t k = 0; k < overrides.size(); ++k) {
    const Override& o = overrides[k];
    if (o.report_a == o.report_b) continue;
    last[{std::min(o.report_a, o.report_b), std::max(o.report_a, o.report_b)}] = static_cast<int>(k);
  }
  std::vector<int> out;
  for (const auto& [pair, k] : last) out.push_back(k);
  std::sort(out.begin(), out.end());
  return out;
}

class Groups {
 public:
  Groups(const std::vector<LeanReport>& lean, const std::vector<Features>& features)
      : lean_(lean), features_(features), parent_(lean.size()), label_(lean.size(), 0) {
    for (std::size_t i = 0; i < parent_.size(); ++i) parent_[i] = static_cast<std::uint32_t>(i);
  }

  std::uint32_t Find(std::uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }

  // MatchNew: x's group is the existing incident `incident_id`.
  void Label(std::uint32_t x, std::int64_t incident_id) { label_[Find(x)] = incident_id; }
  // The existing incident x's group is, or 0.
  std::int64_t LabelOf(std::uint32_t x) { return label_[Find(x)]; }

  void AddUnlink(std::uint32_t x, std::uint32_t y) {
    unlinked_[x].push_back(y);
    unlinked_[y].push_back(x);
  }

  // Whether the groups of x and y may become one: not two existing
  // incidents, no unlink between them, no two rows of one curated dataset.
  bool MayJoin(std::uint32_t x, std::uint32_t y) {
    const std::uint32_t rx = Find(x), ry = Find(y);
    if (rx == ry) return false;
    if (label_[rx] != 0 && label_[ry] != 0) return false;
    for (const auto& [p, q] : {std::pair{rx, ry}, std::pair{ry, rx}}) {
      auto it = unlinked_.find(p);
      if (it == unlinked_.end()) continue;
      for (std::uint32_t u : it->second) {
        if (Find(u) == q) return false;
      }
    }
    std::vector<std::uint32_t> own_x, own_y;
    const std::vector<std::uint32_t>& cx = Curated(rx, &own_x);
    const std::vector<std::uint32_t>& cy = Curated(ry, &own_y);
    for (std::uint32_t i : cx) {
      for (std::uint32_t j : cy) {
        if (features_[i].dataset == features_[j].dataset &&
            (features_[i].source != features_[j].source || lean_[i].source_id != lean_[j].source_id)) {
          return false;
        }
      }
    }
    return true;
  }

  // Joins the groups of x and y, unchecked (links; edges MayJoin allowed).
  void Join(std::uint32_t x, std::uint32_t y) {
    std::uint32_t rx = Find(x), ry = Find(y);
    if (rx == ry) return;
    for (std::uint32_t r : {rx, ry}) {
      if (features_[r].curated && !curated_.count(r)) curated_[r].push_back(r);
    }
    if (Carried(rx) < Carried(ry)) std::swap(rx, ry);  // move the smaller lists
    parent_[ry] = rx;
    if (label_[rx] == 0) label_[rx] = label_[ry];
    for (std::uint32_t r : {rx, ry}) {
      if (!members_.count(r)) members_[r].push_back(r);
    }
    Move(&curated_, ry, rx);
    Move(&unlinked_, ry, rx);
    Move(&members_, ry, rx);
  }

  // Every report in x's group (only groups of more than one keep a list).
  const std::vector<std::uint32_t>& Members(std::uint32_t x, std::vector<std::uint32_t>* own) {
    const std::uint32_t r = Find(x);
    auto it = members_.find(r);
    if (it != members_.end()) return it->second;
    own->assign(1, r);
    return *own;
  }

 private:
  // A root's curated rows. A group of one keeps no list: its own row is it.
  const std::vector<std::uint32_t>& Curated(std::uint32_t root, std::vector<std::uint32_t>* own) const {
    auto it = curated_.find(root);
    if (it != curated_.end()) return it->second;
    if (features_[root].curated) own->push_back(root);
    return *own;
  }
  std::size_t Carried(std::uint32_t r) const {
    auto a = curated_.find(r);
    auto b = unlinked_.find(r);
    return (a == curated_.end() ? 0 : a->second.size()) + (b == unlinked_.end() ? 0 : b->second.size());
  }
  static void Move(std::unordered_map<std::uint32_t, std::vector<std::uint32_t>>* m, std::uint32_t from,
                   std::uint32_t to) {
    auto it = m->find(from);
    if (it == m->end()) return;
    std::vector<std::uint32_t> moved = std::move(it->second);
    m->erase(it);
    std::vector<std::uint32_t>& dest = (*m)[to];
    dest.insert(dest.end(), moved.begin(), moved.end());
  }

  const std::vector<LeanReport>& lean_;
  const std::vector<Features>& features_;
  std::vector<std::uint32_t> parent_;
  std::vector<std::int64_t> label_;
  // Per root: its curated rows; its members' unlink partners; its members.
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> curated_, unlinked_, members_;
};

// Candidate edges that pass the threshold, best first. `wanted(i, j)` filters
// pairs before they are scored (MatchNew: at least one fresh report).
template <typename Wanted>
std::vector<Edge> ScoredEdges(const Config& config, const std::vector<LeanReport>& lean,
                              const std::vector<Features>& features, const std::vector<std::int64_t>& ids,
                              const Wanted& wanted) {
  const CandidateIndex index(features, config.max_day_gap, config.distance_slack_m);
  const std::uint32_t n = static_cast<std::uint32_t>(lean.size());
  // Queries in order of day and place: consecutive reports look up the same
  // cells, which then stay in the cache (in input order every lookup missed).
  std::vector<std::uint32_t> order(n);
  for (std::uint32_t i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
    const Features &a = features[x], &b = features[y];
    if (a.first_day != b.first_day) return a.first_day < b.first_day;
    return a.lat_deg != b.lat_deg ? a.lat_deg < b.lat_deg : x < y;
  });
  const unsigned threads = n < 20000 ? 1 : std::max(1u, std::min(2u, std::thread::hardware_concurrency()));
  constexpr std::uint32_t kChunk = 4096;
  std::atomic<std::uint32_t> next{0};
  std::vector<std::vector<Edge>> found(threads);
  auto work = [&](unsigned t) {
    std::vector<Edge> mine;  // a vector per thread, not beside the other's
    std::vector<std::uint32_t> seen(n, 0);
    for (std::uint32_t from = next.fetch_add(kChunk); from < n; from = next.fetch_add(kChunk)) {
      for (std::uint32_t k = from; k < std::min(n, from + kChunk); ++k) {
        const std::uint32_t i = order[k];
        index.ForEachCandidate(i, &seen, i + 1, [&](std::uint32_t j) {
          if (!wanted(i, j)) return;
          const Parts p = QuickParts(config, lean[i].source_id, features[i], lean[j].source_id, features[j]);
          if (p.allowed && p.score >= config.threshold) mine.push_back({p.score, std::min(i, j), std::max(i, j)});
        });
      }
    }
    found[t] = std::move(mine);
  };
  if (threads == 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work, t);
    for (std::thread& th : pool) th.join();
  }
  std::vector<Edge> edges;
  for (std::vector<Edge>& f : found) edges.insert(edges.end(), f.begin(), f.end());
  // Best first; ties by report ids, so that the grouping never depends on threads.
  std::sort(edges.begin(), edges.end(), [&](const Edge& x, const Edge& y) {
    if (x.score != y.score) return x.score > y.score;
    const std::int64_t xa = std::min(ids[x.a], ids[x.b]), ya = std::min(ids[y.a], ids[y.b]);
    if (xa != ya) return xa < ya;
    return std::max(ids[x.a], ids[x.b]) < std::max(ids[y.a], ids[y.b]);
  });
  return edges;
}

// "ACLED AFG44612 (report 12)", "news report 12".
std::string Named(const model::Report& r) {
  const std::string label = ReportLabel(r);
  return r.dataset == "news" || r.source_id.empty() ? label : label + " (report " + std::to_string(r.id) + ")";
}

// Everything MatchAll and MatchNew share: features, rules, links, edges, and
// the placements read from the tree of joining edges.
class Run {
 public:
  Run(const Config& config, PreparedReports prepared) : config_(config), p_(std::move(prepared)) {
    groups_ = std::make_unique<Groups>(p_.lean, p_.features);
  }

  Groups& groups() { return *groups_; }
  std::size_t size() const { return p_.lean.size(); }
  std::int64_t id(std::uint32_t i) const { return p_.ids[i]; }

  // Unlinks become rules; links are joined (when `may_link` lets them).
  template <typename MayLink>
  void ApplyOverrides(const std::vector<Override>& overrides, const MayLink& may_link) {
    const std::vector<int> standing = LatestOverrides(overrides);
    if (standing.empty()) return;
    std::unordered_map<std::int64_t, std::uint32_t> at_;  // report id -> index
    at_.reserve(p_.lean.size());
    for (std::uint32_t i = 0; i < p_.ids.size(); ++i) at_[p_.ids[i]] = i;
    for (int k : standing) {
      const Override& o = overrides[k];
      auto a = at_.find(o.report_a), b = at_.find(o.report_b);
      if (a == at_.end() || b == at_.end() || o.link) continue;
      groups_->AddUnlink(a->second, b->second);
    }
    for (int k : standing) {
      const Override& o = overrides[k];
      auto a = at_.find(o.report_a), b = at_.find(o.report_b);
      if (a == at_.end() || b == at_.end() || !o.link) continue;
      if (groups_->Find(a->second) == groups_->Find(b->second) || !may_link(a->second, b->second)) continue;
      groups_->Join(a->second, b->second);
      tree_.push_back({a->second, b->second, 1, k});
    }
  }

  template <typename Wanted>
  void MergeEdges(const Wanted& wanted) {
    for (const Edge& e : ScoredEdges(config_, p_.lean, p_.features, p_.ids, wanted)) {
      if (groups_->Find(e.a) == groups_->Find(e.b) || !groups_->MayJoin(e.a, e.b)) continue;
      if (!CompleteLinkage(e)) continue;
      groups_->Join(e.a, e.b);
      tree_.push_back({e.a, e.b, e.score, -1});
    }
  }

  // config.group_floor: every pair across the two groups is allowed and
  // scores at least the floor; else a report close to two happenings (a
  // province's centroid) would chain them into one incident.
  bool CompleteLinkage(const Edge& e) {
    if (config_.group_floor <= 0) return true;
    std::vector<std::uint32_t> own_a, own_b;
    const std::vector<std::uint32_t>& xs = groups_->Members(e.a, &own_a);
    const std::vector<std::uint32_t>& ys = groups_->Members(e.b, &own_b);
    auto fits = [&](std::uint32_t i, std::uint32_t j) {
      if ((i == e.a && j == e.b) || (i == e.b && j == e.a)) return true;
      const Parts p = QuickParts(config_, p_.lean[i].source_id, p_.features[i], p_.lean[j].source_id, p_.features[j]);
      return p.allowed && p.score >= config_.group_floor;
    };
    // Rows of one curated dataset with one id are one row told in parts
    // (ACLED's monadic files: a row per actor): a member fits when another
    // part of its row, in either group, does.
    auto same_row = [&](std::uint32_t i, std::uint32_t k) {
      const std::vector<Features>& f = p_.features;
      return i != k && f[i].curated && f[i].dataset == f[k].dataset && f[i].source == f[k].source &&
             p_.lean[i].source_id == p_.lean[k].source_id;
    };
    for (std::uint32_t i : xs) {
      for (std::uint32_t j : ys) {
        if (fits(i, j)) continue;
        bool rescued = false;
        for (const std::vector<std::uint32_t>* zs : {&xs, &ys}) {
          for (std::uint32_t k : *zs) {
            rescued = rescued || (k != j && same_row(i, k) && fits(k, j)) || (k != i && same_row(j, k) && fits(i, k));
          }
        }
        if (!rescued) return false;
      }
    }
    return true;
  }

  // Placements of `wanted` reports: each under the tree edge towards its
  // group's root set (`is_root`), labelled with `incident_of(root)`.
  template <typename IsRoot, typename IncidentOf, typename WantedOut>
  std::vector<Placement> Place(const std::vector<Override>& overrides, const IsRoot& is_root,
                               const IncidentOf& incident_of, const WantedOut& wanted_out) {
    const std::uint32_t n = static_cast<std::uint32_t>(p_.lean.size());
    std::vector<std::uint32_t> degree(n + 1, 0);
    for (const TreeEdge& e : tree_) {
      ++degree[e.a + 1];
      ++degree[e.b + 1];
    }
    for (std::uint32_t i = 0; i < n; ++i) degree[i + 1] += degree[i];
    std::vector<std::uint32_t> adjacent(degree[n]);
    std::vector<std::uint32_t> fill(degree.begin(), degree.end() - 1);
    for (std::uint32_t k = 0; k < tree_.size(); ++k) {
      adjacent[fill[tree_[k].a]++] = k;
      adjacent[fill[tree_[k].b]++] = k;
    }
    // Breadth first from the roots: the edge that reached each report.
    constexpr std::uint32_t kNone = ~0u;
    std::vector<std::uint32_t> via(n, kNone);
    std::vector<char> reached(n, 0);
    std::vector<std::uint32_t> queue;
    for (std::uint32_t i = 0; i < n; ++i) {
      if (is_root(i)) {
        reached[i] = 1;
        queue.push_back(i);
      }
    }
    for (std::size_t q = 0; q < queue.size(); ++q) {
      const std::uint32_t x = queue[q];
      for (std::uint32_t k = degree[x]; k < degree[x + 1]; ++k) {
        const TreeEdge& e = tree_[adjacent[k]];
        const std::uint32_t y = e.a == x ? e.b : e.a;
        if (reached[y]) continue;
        reached[y] = 1;
        via[y] = adjacent[k];
        queue.push_back(y);
      }
    }
    std::vector<std::uint32_t> order;
    for (std::uint32_t i = 0; i < n; ++i) {
      if (wanted_out(i)) order.push_back(i);
    }
    std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) { return id(x) < id(y); });
    std::vector<Placement> out;
    out.reserve(order.size());
    for (std::uint32_t i : order) {
      Placement p;
      p.report_id = id(i);
      p.incident_id = incident_of(groups_->Find(i));
      p.decided_by = "matcher";
      if (via[i] != kNone) {
        const TreeEdge& e = tree_[via[i]];
        const std::uint32_t from = e.a == i ? e.b : e.a;
        p.score = e.score;
        const model::Report other = p_.Report(from);
        if (e.override_index >= 0) {
          p.decided_by = overrides[e.override_index].decided_by;
          p.reason = "linked with " + Named(other) + " by the analyst";
        } else {
          const model::Report self = p_.Report(i);
          const std::vector<Features>& f = p_.features;
          const Parts parts = ScoreParts(config_, self, f[i], other, f[from]);
          p.reason = "with " + Named(other) + ": " + Reason(config_, self, f[i], other, f[from], parts);
        }
      }
      out.push_back(std::move(p));
    }
    return out;
  }

 private:
  const Config& config_;
  PreparedReports p_;
  std::unique_ptr<Groups> groups_;
  std::vector<TreeEdge> tree_;
};

}  // namespace

Matcher::Matcher(std::shared_ptr<const Config> config, ActorResolver resolve)
    : config_(std::move(config)), resolve_(std::move(resolve)) {}

PairScore Matcher::Score(const model::Report& a, const model::Report& b) const {
  FeatureBuilder builder(*config_, resolve_);
  const Features fa = builder.Build(a), fb = builder.Build(b);
  const Parts p = ScoreParts(*config_, a, fa, b, fb);
  PairScore out;
  out.allowed = p.allowed;
  out.score = p.allowed ? p.score : 0;
  out.reason = Reason(*config_, a, fa, b, fb, p);
  return out;
}

std::vector<Placement> Matcher::MatchAll(const std::vector<model::Report>& reports,
                                         const std::vector<Override>& overrides) const {
  PreparedReports prepared(*config_, resolve_);
  prepared.Reserve(reports.size());
  for (const model::Report& r : reports) prepared.Add(r);
  Run run(*config_, std::move(prepared));
  run.ApplyOverrides(overrides, [](std::uint32_t, std::uint32_t) { return true; });
  run.MergeEdges([](std::uint32_t, std::uint32_t) { return true; });
  // The incident's id is its smallest report id; its report is the root.
  std::unordered_map<std::uint32_t, std::uint32_t> lead;  // group root -> index of the smallest id
  for (std::uint32_t i = 0; i < run.size(); ++i) {
    const std::uint32_t g = run.groups().Find(i);
    auto [it, added] = lead.try_emplace(g, i);
    if (!added && run.id(i) < run.id(it->second)) it->second = i;
  }
  return run.Place(
      overrides, [&](std::uint32_t i) { return lead[run.groups().Find(i)] == i; },
      [&](std::uint32_t root) { return run.id(lead[root]); }, [](std::uint32_t) { return true; });
}

// Fresh and known reports in the order they were added, interleaved as they
// come: what a report's index decides (which known member a placement's tree
// is read from first) depends only on the order of the known reports among
// themselves, as MatchNew gives them.
struct NewReports::State {
  State(std::shared_ptr<const Config> c, ActorResolver r)
      : config_ptr(std::move(c)), config(*config_ptr), resolve(std::move(r)), prepared(config, resolve) {}
  std::shared_ptr<const Config> config_ptr;  // its own: the Matcher may go first
  const Config& config;
  ActorResolver resolve;
  PreparedReports prepared;
  std::vector<std::int64_t> incident;  // per report: the existing incident of a known one, 0 for a fresh one
  bool placed = false;
};

NewReports::NewReports(std::unique_ptr<State> state) : state_(std::move(state)) {}
NewReports::NewReports(NewReports&&) noexcept = default;
NewReports& NewReports::operator=(NewReports&&) noexcept = default;
NewReports::~NewReports() = default;

void NewReports::AddFresh(const model::Report& r) {
  state_->prepared.Add(r);
  state_->incident.push_back(0);
}

void NewReports::AddKnown(const model::Report& r, std::int64_t incident_id) {
  state_->prepared.Add(r);
  state_->incident.push_back(incident_id != 0 ? incident_id : r.id);
}

std::size_t NewReports::size() const { return state_->incident.size(); }


std::vector<Placement> NewReports::Place(const std::vector<Override>& overrides) {
  if (state_->placed) return {};
  state_->placed = true;
  const std::vector<std::int64_t> incident = std::move(state_->incident);
  Run run(state_->config, std::move(state_->prepared));
  auto is_fresh = [&](std::uint32_t i) { return incident[i] == 0; };
  // The known grouping as it stands; each existing incident is one group.
  std::unordered_map<std::int64_t, std::uint32_t> first_of;  // incident id -> a known member
  for (std::uint32_t i = 0; i < run.size(); ++i) {
    if (is_fresh(i)) continue;
    auto [first, added] = first_of.try_emplace(incident[i], i);
    if (!added) run.groups().Join(first->second, i);
    run.groups().Label(i, incident[i]);
  }
  // Links place fresh reports; links between existing incidents wait for MatchAll.
  run.ApplyOverrides(overrides, [&](std::uint32_t a, std::uint32_t b) {
    return (is_fresh(a) || is_fresh(b)) && (run.groups().LabelOf(a) == 0 || run.groups().LabelOf(b) == 0);
  });
  run.MergeEdges([&](std::uint32_t a, std::uint32_t b) { return is_fresh(a) || is_fresh(b); });
  // New incidents: their smallest id leads.
  std::unordered_map<std::uint32_t, std::uint32_t> lead;
  for (std::uint32_t i = 0; i < run.size(); ++i) {
    if (!is_fresh(i) || run.groups().LabelOf(i) != 0) continue;
    auto [it, added] = lead.try_emplace(run.groups().Find(i), i);
    if (!added && run.id(i) < run.id(it->second)) it->second = i;
  }
  return run.Place(
      overrides,
      [&](std::uint32_t i) {
        if (run.groups().LabelOf(i) != 0) return !is_fresh(i);
        return lead[run.groups().Find(i)] == i;
      },
      [&](std::uint32_t root) {
        const std::int64_t label = run.groups().LabelOf(root);
        return label != 0 ? label : run.id(lead[root]);
      },
      is_fresh);
}

NewReports Matcher::StartNew() const { return NewReports(std::make_unique<NewReports::State>(config_, resolve_)); }

std::vector<Placement> Matcher::MatchNew(const std::vector<model::Report>& known, const std::vector<Placement>& current,
                                         const std::vector<model::Report>& fresh,
                                         const std::vector<Override>& overrides) const {
  std::unordered_map<std::int64_t, std::int64_t> incident_of_report;
  for (const Placement& p : current) incident_of_report[p.report_id] = p.incident_id;
  NewReports run = StartNew();
  run.state_->prepared.Reserve(known.size() + fresh.size());
  run.state_->incident.reserve(known.size() + fresh.size());
  for (const model::Report& r : known) {
    auto it = incident_of_report.find(r.id);
    run.AddKnown(r, it == incident_of_report.end() ? r.id : it->second);
  }
  for (const model::Report& r : fresh) run.AddFresh(r);
  return run.Place(overrides);
}

}  // namespace truce::reconcile
