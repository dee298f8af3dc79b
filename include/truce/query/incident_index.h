// An in-memory index of every incident (reconciled from reports) with the outline of its findings, for
// the questions a dashboard asks many times a second: which incidents match
// these filters (a page of them), how many violations per side per day, and
// where they are, clustered on a grid. Built from the store in one pass and
// immutable; a new one is built when the store's generation changes
// (IndexCache). Thread-safety: an IncidentIndex is immutable and may be read
// from many threads; IndexCache is thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "truce/core/status.h"
#include "truce/geo/geo.h"
#include "truce/model/model.h"
#include "truce/store/store.h"

namespace truce::query {

// What the index keeps of one finding.
struct FindingOutline {
  std::string agreement_id;
  int agreement = -1;  // agreement_id's number in the index (compared instead of the string)
  std::string provision_id;
  model::FindingStatus status = model::FindingStatus::kUndetermined;
  std::string side;
  // The finding as one JSON object, written once when the index was built
  // with an OutlineRenderer (a view into the index's own text); empty
  // otherwise.
  std::string_view json;
};

// What the index keeps of one incident: enough to list it and draw it.
struct IncidentOutline {
  std::int64_t id = 0;
  time::Days date{};
  geo::LatLon point;
  double uncertainty_m = 0;
  std::string location, admin1, event_type;
  model::Support support = model::Support::kSingle;
  std::vector<FindingOutline> findings;
  // What lists show of it beyond these and the findings, as JSON members
  // written once when the index was built with an OutlineRenderer (a view
  // into the index's own text, valid as long as the index); empty otherwise.
  std::string_view fixed_json;
};

// All optional; an incident matches when every given field does. agreement,
// status and side select incidents with at least one finding that has all of
// the given ones (so status=violation, side=government is "a violation
// imputed to the government side").
struct Filter {
  std::string agreement_id;
  std::optional<model::FindingStatus> status;
  std::string side;
  std::string event_type;
  std::optional<model::Support> support;
  std::optional<geo::BBox> bbox;               // the incident's point in it
  std::optional<time::Days> from_day, to_day;  // on the incident's first day, inclusive
};

// Where a page ended: the last incident returned, in (date, id) order.
struct Cursor {
  time::Days date{};
  std::int64_t id = 0;
};

// The most severe status of an incident's findings under the filter's
// agreement (any agreement when none): violation > undetermined > exempt >
// no_violation > outside_scope. nullopt: no finding.
std::optional<model::FindingStatus> WorstStatus(const IncidentOutline& incident, const std::string& agreement_id);
// The same for an outline of an index, the agreement given by its number in
// that index (IncidentIndex::AgreementNumber; -1: any agreement): compares
// integers instead of reading each finding's agreement id.
std::optional<model::FindingStatus> WorstStatus(const IncidentOutline& incident, int agreement);

struct Page {
  std::vector<const IncidentOutline*> items;
  std::optional<Cursor> next;  // set when more match
};

struct Timeline {
  std::vector<time::Days> days;         // every day from the first to the last (the filter's range when given)
  std::vector<std::int64_t> incidents;  // matching incidents per day
  // Per side (of findings with status violation and the filter's agreement):
  // incidents with such a finding per day.
  std::map<std::string, std::vector<std::int64_t>> violations;
};

struct Cluster {
  geo::LatLon centre;  // mean of its incidents' points
  std::int64_t count = 0;
  std::map<std::string, std::int64_t> by_status;  // status name (or "none") -> incidents
};

// Gives every incident (reconciled from the store's reports) to `fn`; the
// index is built from what it gives, and from the stored findings.
using IncidentLoader = std::function<Status(const std::function<void(const model::Incident&)>& fn)>;
// What an index keeps written as JSON text (IncidentOutline::fixed_json,
// FindingOutline::json), once per index instead of once per answer that
// lists it: each function appends one incident's or one finding's text.
struct OutlineRenderer {
  std::function<void(const model::Incident& incident, std::string* out)> incident;
  std::function<void(const FindingOutline& finding, std::string* out)> finding;
};

class IncidentIndex {
 public:
  static Result<std::shared_ptr<const IncidentIndex>> Build(store::Store& store, const IncidentLoader& load,
                                                            const OutlineRenderer& render = {});

  std::int64_t generation() const { return generation_; }
  std::size_t size() const { return incidents_.size(); }
  // An agreement id's number in this index (FindingOutline::agreement): -1
  // for "" (any agreement), -2 when no finding of the index has it.
  int AgreementNumber(const std::string& agreement_id) const;

  // Matching incidents in (date, id) order after `after`, at most `limit`.
  Page Find(const Filter& filter, std::optional<Cursor> after, std::size_t limit) const;
  // Every matching incident, in (date, id) order; stop by returning false.
  void ForEach(const Filter& filter, const std::function<bool(const IncidentOutline&)>& fn) const;
  std::size_t Count(const Filter& filter) const;
  Timeline Daily(const Filter& filter) const;
  // Matching incidents grouped on a grid of `cell_deg` degrees.
  std::vector<Cluster> Clusters(const Filter& filter, double cell_deg) const;

 private:
  IncidentIndex() = default;
  // The filter with its agreement as a number: -1 any, -2 none stored.
  struct Compiled {
    const Filter* filter;
    int agreement;
    std::uint64_t bits;  // Hot::findings bits one of which a match must have; 0: no such test
    bool decided;        // a match of bits, day and box is a match (Matches need not read the outline)
  };
  Compiled Compile(const Filter& filter) const;
  bool Matches(const IncidentOutline& incident, const Compiled& c) const;

  std::int64_t generation_ = 0;
  std::vector<IncidentOutline> incidents_;  // sorted by (date, id)
  std::string text_;                        // every fixed_json and FindingOutline::json, one after another
  // The same incidents' day and point, packed: most filters are decided by
  // these alone, and a scan over them stays in cache.
  struct Hot {
    time::Days date;
    double lat_deg, lon_deg;
    // Which (agreement, status) pairs its findings have: bit agreement * 5 +
    // status for the first 12 agreements, bit 63 for any other. A filter on
    // agreement or status skips an incident without reading its outline.
    std::uint64_t findings = 0;
  };
  static constexpr int kBitAgreements = 12;
  static int FindingBit(int agreement, model::FindingStatus status) {
    return agreement < kBitAgreements ? agreement * 5 + static_cast<int>(status) : 63;
  }
  std::vector<Hot> hot_;
  // For each bit of Hot::findings, the positions (in hot_ order) of the
  // incidents that have it: a filter asking for one (agreement, status) pair
  // that few incidents of its date window have walks these instead of the
  // window (a page of violations among 20 000 incidents reads 1 000).
  std::vector<std::vector<std::uint32_t>> postings_;
  std::vector<std::string> agreements_;  // FindingOutline::agreement -> id
};

// The current index for a store, shared by every thread of a server: Get
// returns the index built at the store's current generation, building it
// (once, whichever thread asks first) when the data changed. A caller that
// asks for an older generation than the one being built (a server's readers
// at the generation it has published) gets the current index at once: one
// build at a time, outside the lock the readers take.
class IndexCache {
 public:
  // `generation`, when the caller has just read it, saves reading it again:
  // an index at least that new is returned as it is.
  Result<std::shared_ptr<const IncidentIndex>> Get(store::Store& store, const IncidentLoader& load,
                                                   std::optional<std::int64_t> generation = std::nullopt,
                                                   const OutlineRenderer& render = {});

 private:
  std::shared_ptr<const IncidentIndex> AtLeast(std::int64_t generation);

  std::mutex build_mu_;  // held while one builds
  std::mutex mu_;        // guards current_
  std::shared_ptr<const IncidentIndex> current_;
};

}  // namespace truce::query
