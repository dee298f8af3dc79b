// Reconciling reports into incidents: which reports (dataset rows, GeoJSON
// observations, events read from news articles) describe the same happening,
// why, and the incident's best estimate and support. Pure: reports,
// placements and overrides in, placements and incidents out; the facade
// loads and stores them. Weights, thresholds, compatibility tables and
// reliability grades are data (data/reconcile/matching.yaml, documented in
// docs/reconcile.md). Thread-safety: a Matcher is immutable once made.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "truce/core/status.h"
#include "truce/model/model.h"

namespace truce::reconcile {

// The matcher's data: weights of the score's parts, the threshold, event-type
// and actor-name compatibility across datasets, which datasets are curated
// (their own rows are never merged with each other), reliability grades.
struct Config;

// Parses matching.yaml; ParseError naming `name`, line and column for bad
// input (an unknown key, a weight that is not a number, a grade not A..F).
Result<std::shared_ptr<const Config>> ParseConfig(std::string_view yaml_text, const std::string& name);

// Resolves an actor's name as a dataset spells it to an actor id of the
// agreements' registries ("Military Forces of Syria (2000-)" and "Government
// of Syria" both to "syrian-army"); "" when unknown.
using ActorResolver = std::function<std::string(std::string_view name)>;

// One report placed in an incident. incident_id == report_id: the report is
// the incident's lead (or alone).
struct Placement {
  std::int64_t report_id = 0;
  std::int64_t incident_id = 0;
  double score = 1;
  std::string reason;      // why it joined, in words ("3.1 km apart, within ACLED's 10 km radius; same day; ...")
  std::string decided_by;  // "matcher" or the override's "analyst NAME at TIME"
};

// An analyst's decision, as stored (store::MatchOverride without the store).
struct Override {
  bool link = true;  // false: unlink
  std::int64_t report_a = 0, report_b = 0;
  std::string decided_by;  // "analyst NAME at TIME"
};

// A pair's score and its parts in words.
struct PairScore {
  bool allowed = true;  // false: never merged (same curated dataset, different ids; too far; ...)
  double score = 0;     // 0..1
  std::string reason;
};

// MatchNew fed one report at a time, for files too large to hold as reports:
// each report is kept as what matching reads of it (its features, ids, and
// the names its reasons give, interned: about 240 bytes), never whole. Add
// the fresh reports and the known ones near them in time (in any mix; the
// known ones in the order MatchNew would be given them), then Place once:
// the placements of the fresh reports, exactly as MatchNew gives them.
// Made by Matcher::StartNew (it keeps its own copy of the rules).
class NewReports {
 public:
  NewReports(NewReports&&) noexcept;
  NewReports& operator=(NewReports&&) noexcept;
  ~NewReports();

  void AddFresh(const model::Report& r);
  // A known report and the incident it is in now (its own id when alone).
  void AddKnown(const model::Report& r, std::int64_t incident_id);
  std::size_t size() const;  // reports added
  // Placements of the fresh reports, in report-id order (empty after the first call).
  std::vector<Placement> Place(const std::vector<Override>& overrides);

 private:
  friend class Matcher;
  struct State;
  explicit NewReports(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

class Matcher {
 public:
  Matcher(std::shared_ptr<const Config> config, ActorResolver resolve);

  // Scores one pair, with its reason.
  PairScore Score(const model::Report& a, const model::Report& b) const;

  // Groups all `reports` from scratch, honouring `overrides` (the latest
  // decision about a pair wins; a link joins the two reports' incidents, an
  // unlink keeps the two reports apart). Candidates come from an index over
  // days and cells, not all pairs. Returns one placement per report, in
  // report-id order; an incident's id is its smallest report id.
  std::vector<Placement> MatchAll(const std::vector<model::Report>& reports,
                                  const std::vector<Override>& overrides) const;

  // Places `fresh` reports (ids larger than any in `known`) into the grouping
  // `current` of `known` (one placement per known report): each joins the
  // best-scoring existing incident it may join, or a new incident with other
  // fresh reports, or stays alone. Existing incidents are never merged with
  // each other here (MatchAll does that). Returns placements of the fresh
  // reports only. `known` may be only the reports near the fresh ones in
  // time; `current` must cover every report of `known`.
  std::vector<Placement> MatchNew(const std::vector<model::Report>& known, const std::vector<Placement>& current,
                                  const std::vector<model::Report>& fresh,
                                  const std::vector<Override>& overrides) const;

  // MatchNew a report at a time (NewReports).
  NewReports StartNew() const;

  const Config& config() const { return *config_; }

 private:
  std::shared_ptr<const Config> config_;
  ActorResolver resolve_;
};

// The incident made of `reports` (its lead, the smallest id, is the incident's
// id) with their placements: best estimate, fatality range and figures per
// source, support, independent sources, each source's grade. `claims` are the
// claims of the news articles its news reports come from (figures are taken
// from those of kind killed). Every report's own values stay in `reports`.
model::Incident Estimate(const std::vector<const model::Report*>& reports,
                         const std::vector<const Placement*>& placements,
                         const std::vector<model::Claim>& claims, const Config& config);

// The one report whose values are the estimate of an incident made of
// `reports` alone — that of an incident of one report, except when its
// confidence is below 0 or NaN (Estimate gives 0 then) — else nullptr: what
// rules such an incident without estimating it (Estimate's estimate equals
// the report field for field).
const model::Report* EstimateIsReport(const std::vector<const model::Report*>& reports);

// "ACLED AFG44612, UCDP 342211 and 2 news reports": who reported an incident.
std::string ReportedBy(const model::Incident& incident);
// "ACLED B, UCDP B, news C": the sources' reliability grades.
std::string Grades(const model::Incident& incident);

}  // namespace truce::reconcile
