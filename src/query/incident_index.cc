#include "truce/query/incident_index.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <unordered_map>

namespace truce::query {
namespace {

// Higher is more severe.
int Severity(model::FindingStatus s) {
  switch (s) {
    case model::FindingStatus::kViolation: return 5;
    case model::FindingStatus::kUndetermined: return 4;
    case model::FindingStatus::kExempt: return 3;
    case model::FindingStatus::kNoViolation: return 2;
    case model::FindingStatus::kOutsideScope: return 1;
  }
  return 0;
}

bool Before(const IncidentOutline& a, const Cursor& c) { return a.date < c.date || (a.date == c.date && a.id <= c.id); }

}  // namespace

std::optional<model::FindingStatus> WorstStatus(const IncidentOutline& incident, const std::string& agreement_id) {
  std::optional<model::FindingStatus> worst;
  for (const FindingOutline& f : incident.findings) {
    if (!agreement_id.empty() && f.agreement_id != agreement_id) continue;
    if (!worst || Severity(f.status) > Severity(*worst)) worst = f.status;
  }
  return worst;
}

std::optional<model::FindingStatus> WorstStatus(const IncidentOutline& incident, int agreement) {
  std::optional<model::FindingStatus> worst;
  for (const FindingOutline& f : incident.findings) {
    if (agreement != -1 && f.agreement != agreement) continue;
    if (!worst || Severity(f.status) > Severity(*worst)) worst = f.status;
  }
  return worst;
}

int IncidentIndex::AgreementNumber(const std::string& agreement_id) const {
  if (agreement_id.empty()) return -1;
  auto it = std::find(agreements_.begin(), agreements_.end(), agreement_id);
  return it == agreements_.end() ? -2 : static_cast<int>(it - agreements_.begin());
}

Result<std::shared_ptr<const IncidentIndex>> IncidentIndex::Build(store::Store& store, const IncidentLoader& load,
                                                                  const OutlineRenderer& render) {
  std::shared_ptr<IncidentIndex> index(new IncidentIndex());
  // The generation first: a write that lands while we read makes the index
  // look older than it is, so the next Get rebuilds it (never the reverse).
  TRUCE_ASSIGN_OR_RETURN(index->generation_, store.Generation());
  // Each incident's text is written as it comes (render), into one string;
  // `spans` holds where, until the text is laid out in list order below.
  const bool rendered = render.incident && render.finding;
  std::string& text = index->text_;
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  std::vector<IncidentOutline> loaded;
  TRUCE_RETURN_IF_ERROR(load([&](const model::Incident& incident) {
    const model::Report& in = incident.estimate;
    IncidentOutline o;
    o.id = incident.id;
    o.date = in.time.first_day;
    o.point = in.point;
    o.uncertainty_m = in.uncertainty_m;
    o.location = in.location;
    o.admin1 = in.admin1;
    o.event_type = in.event_type;
    o.support = incident.support;
    loaded.push_back(std::move(o));
    if (rendered) {
      const std::size_t begin = text.size();
      render.incident(incident, &text);
      spans.emplace_back(begin, text.size());
    }
  }));
  // Sorted by (date, id), each with its text.
  std::vector<std::size_t> order(loaded.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return loaded[a].date < loaded[b].date || (loaded[a].date == loaded[b].date && loaded[a].id < loaded[b].id);
  });
  index->incidents_.reserve(loaded.size());
  for (std::size_t k : order) index->incidents_.push_back(std::move(loaded[k]));
  std::unordered_map<std::int64_t, std::size_t> at;
  for (std::size_t k = 0; k < index->incidents_.size(); ++k) {
    const IncidentOutline& o = index->incidents_[k];
    at[o.id] = k;
    index->hot_.push_back({o.date, o.point.lat_deg, o.point.lon_deg, 0});
  }
  TRUCE_ASSIGN_OR_RETURN(std::vector<store::FindingRow> rows, store.QueryFindings({}));
  std::unordered_map<std::string, int> numbers;
  for (store::FindingRow& r : rows) {
    auto it = at.find(r.finding.incident_id);
    if (it == at.end()) continue;  // written after we read the incidents: the next build has it
    auto [number, added] = numbers.try_emplace(r.finding.agreement_id, static_cast<int>(numbers.size()));
    if (added) index->agreements_.push_back(r.finding.agreement_id);
    FindingOutline f{std::move(r.finding.agreement_id), number->second, std::move(r.finding.provision_id),
                     r.finding.status, std::move(r.finding.side)};
    index->hot_[it->second].findings |= std::uint64_t{1} << FindingBit(f.agreement, f.status);
    index->incidents_[it->second].findings.push_back(std::move(f));
  }
  index->postings_.resize(64);
  for (std::size_t k = 0; k < index->hot_.size(); ++k) {
    for (std::uint64_t bits = index->hot_[k].findings; bits != 0; bits &= bits - 1) {
      index->postings_[static_cast<std::size_t>(std::countr_zero(bits))].push_back(static_cast<std::uint32_t>(k));
    }
  }
  if (rendered) {
    // Laid out again in the order lists read it: each incident's text, then
    // its findings', incidents by (date, id); a page copies from one run of
    // memory instead of from wherever each incident was loaded.
    std::string sorted;
    sorted.reserve(text.size() + 128 * rows.size());
    std::vector<std::size_t> ends;  // of each incident's text and each of its findings', in order
    for (std::size_t k = 0; k < index->incidents_.size(); ++k) {
      const auto [begin, end] = spans[order[k]];
      sorted.append(text, begin, end - begin);
      ends.push_back(sorted.size());
      for (const FindingOutline& f : index->incidents_[k].findings) {
        render.finding(f, &sorted);
        ends.push_back(sorted.size());
      }
    }
    sorted.shrink_to_fit();
    text = std::move(sorted);
    const std::string_view all(text);
    std::size_t begin = 0, e = 0;
    auto next = [&]() {
      const std::string_view v = all.substr(begin, ends[e] - begin);
      begin = ends[e++];
      return v;
    };
    for (IncidentOutline& o : index->incidents_) {
      o.fixed_json = next();
      for (FindingOutline& f : o.findings) f.json = next();
    }
  }
  return std::shared_ptr<const IncidentIndex>(std::move(index));
}

IncidentIndex::Compiled IncidentIndex::Compile(const Filter& filter) const {
  Compiled c{&filter, AgreementNumber(filter.agreement_id), 0, false};
  if (c.agreement == -2) {
    c.bits = std::uint64_t{1} << 62;  // no incident has it (bit 62 is never set)
  } else if (c.agreement >= 0 || filter.status) {
    const int first = c.agreement >= 0 ? c.agreement : 0;
    const int last = c.agreement >= 0 ? c.agreement : static_cast<int>(agreements_.size()) - 1;
    for (int a = first; a <= last; ++a) {
      for (int st = 0; st < 5; ++st) {
        if (filter.status && st != static_cast<int>(*filter.status)) continue;
        c.bits |= std::uint64_t{1} << FindingBit(a, static_cast<model::FindingStatus>(st));
      }
    }
  }
  // The bits alone decide when the filter asks nothing but an agreement and
  // a status and each (agreement, status) pair asked has a bit of its own:
  // an incident whose bits pass then has a finding with both.
  const bool bits_exact =
      c.agreement >= 0 ? c.agreement < kBitAgreements : static_cast<int>(agreements_.size()) <= kBitAgreements;
  // (No bits for a status when no incident has a finding: Matches says no.)
  const bool asks_finding = c.agreement != -1 || filter.status;
  c.decided = filter.event_type.empty() && !filter.support && filter.side.empty() && c.agreement != -2 && bits_exact &&
              (c.bits != 0 || !asks_finding);
  return c;
}

bool IncidentIndex::Matches(const IncidentOutline& in, const Compiled& c) const {
  const Filter& f = *c.filter;  // day and box: checked on hot_ by the caller
  if (!f.event_type.empty() && in.event_type != f.event_type) return false;
  if (f.support && in.support != *f.support) return false;
  if (f.agreement_id.empty() && !f.status && f.side.empty()) return true;
  for (const FindingOutline& x : in.findings) {
    if (c.agreement != -1 && x.agreement != c.agreement) continue;
    if (f.status && x.status != *f.status) continue;
    if (!f.side.empty() && x.side != f.side) continue;
    return true;
  }
  return false;
}

void IncidentIndex::ForEach(const Filter& filter, const std::function<bool(const IncidentOutline&)>& fn) const {
  // The date range bounds the scan: incidents are sorted by date.
  const auto day_less = [](const Hot& a, time::Days d) { return a.date < d; };
  const auto less_day = [](time::Days d, const Hot& a) { return d < a.date; };
  const std::size_t begin =
      filter.from_day ? static_cast<std::size_t>(
                            std::lower_bound(hot_.begin(), hot_.end(), *filter.from_day, day_less) - hot_.begin())
                      : 0;
  const std::size_t end = filter.to_day
                              ? static_cast<std::size_t>(
                                    std::upper_bound(hot_.begin(), hot_.end(), *filter.to_day, less_day) - hot_.begin())
                              : hot_.size();
  if (begin >= end) return;
  const Compiled compiled = Compile(filter);
  const geo::BBox* box = filter.bbox ? &*filter.bbox : nullptr;
  // Position k (its bits already passed) to fn if its point and outline pass.
  auto visit = [&](std::size_t k, bool* stop) {
    const Hot& h = hot_[k];
    if (box && (h.lat_deg < box->min_lat_deg || h.lat_deg > box->max_lat_deg || h.lon_deg < box->min_lon_deg ||
                h.lon_deg > box->max_lon_deg)) {
      return;
    }
    if ((compiled.decided || Matches(incidents_[k], compiled)) && !fn(incidents_[k])) *stop = true;
  };
  bool stop = false;
  if (std::popcount(compiled.bits) == 1) {
    // One (agreement, status) bit: its positions in the window, when they are
    // few enough that reading them beats reading the window.
    const std::vector<std::uint32_t>& at = postings_[static_cast<std::size_t>(std::countr_zero(compiled.bits))];
    const auto first = std::lower_bound(at.begin(), at.end(), begin);
    const auto last = std::lower_bound(first, at.end(), end);
    if (static_cast<std::size_t>(last - first) * 4 < end - begin) {
      for (auto it = first; it != last && !stop; ++it) visit(*it, &stop);
      return;
    }
  }
  for (std::size_t k = begin; k < end && !stop; ++k) {
    if (compiled.bits != 0 && (hot_[k].findings & compiled.bits) == 0) continue;
    visit(k, &stop);
  }
}

Page IncidentIndex::Find(const Filter& filter, std::optional<Cursor> after, std::size_t limit) const {
  Page page;
  Filter f = filter;
  if (after && (!f.from_day || *f.from_day < after->date)) f.from_day = after->date;
  ForEach(f, [&](const IncidentOutline& in) {
    if (after && Before(in, *after)) return true;
    if (page.items.size() == limit) {
      const IncidentOutline& last = *page.items.back();
      page.next = Cursor{last.date, last.id};
      return false;
    }
    page.items.push_back(&in);
    return true;
  });
  return page;
}

std::size_t IncidentIndex::Count(const Filter& filter) const {
  std::size_t n = 0;
  ForEach(filter, [&](const IncidentOutline&) {
    ++n;
    return true;
  });
  return n;
}

Timeline IncidentIndex::Daily(const Filter& filter) const {
  Timeline t;
  std::optional<time::Days> first = filter.from_day, last = filter.to_day;
  if (!first || !last) {
    ForEach(filter, [&](const IncidentOutline& in) {
      if (!filter.from_day && (!first || in.date < *first)) first = in.date;
      if (!filter.to_day && (!last || in.date > *last)) last = in.date;
      return true;
    });
  }
  if (!first || !last || *last < *first) return t;
  const auto n = static_cast<std::size_t>((*last - *first).count() + 1);
  for (std::size_t k = 0; k < n; ++k) t.days.push_back(*first + time::Days::duration(k));
  t.incidents.assign(n, 0);
  const int agreement = AgreementNumber(filter.agreement_id);
  ForEach(filter, [&](const IncidentOutline& in) {
    const auto k = static_cast<std::size_t>((in.date - *first).count());
    ++t.incidents[k];
    std::vector<const std::string*> counted;  // one count per side per incident
    for (const FindingOutline& x : in.findings) {
      if (x.status != model::FindingStatus::kViolation) continue;
      if (agreement != -1 && x.agreement != agreement) continue;
      if (!filter.side.empty() && x.side != filter.side) continue;
      if (std::any_of(counted.begin(), counted.end(), [&](const std::string* s) { return *s == x.side; })) continue;
      counted.push_back(&x.side);
      auto& series = t.violations[x.side.empty() ? std::string("unattributed") : x.side];
      if (series.empty()) series.assign(n, 0);
      ++series[k];
    }
    return true;
  });
  return t;
}

std::vector<Cluster> IncidentIndex::Clusters(const Filter& filter, double cell_deg) const {
  struct Acc {
    double lat = 0, lon = 0;
    Cluster c;
  };
  std::map<std::pair<long long, long long>, Acc> cells;  // ordered: stable output
  const int agreement = AgreementNumber(filter.agreement_id);
  ForEach(filter, [&](const IncidentOutline& in) {
    const auto key = std::make_pair(static_cast<long long>(std::floor(in.point.lat_deg / cell_deg)),
                                    static_cast<long long>(std::floor(in.point.lon_deg / cell_deg)));
    Acc& a = cells[key];
    a.lat += in.point.lat_deg;
    a.lon += in.point.lon_deg;
    ++a.c.count;
    std::optional<model::FindingStatus> worst = WorstStatus(in, agreement);
    ++a.c.by_status[worst ? model::FindingStatusName(*worst) : "none"];
    return true;
  });
  std::vector<Cluster> out;
  out.reserve(cells.size());
  for (auto& [key, a] : cells) {
    a.c.centre = {a.lat / static_cast<double>(a.c.count), a.lon / static_cast<double>(a.c.count)};
    out.push_back(std::move(a.c));
  }
  return out;
}

Result<std::shared_ptr<const IncidentIndex>> IndexCache::Get(store::Store& store, const IncidentLoader& load,
                                                             std::optional<std::int64_t> known,
                                                             const OutlineRenderer& render) {
  std::int64_t generation = 0;
  if (known) {
    generation = *known;
  } else {
    TRUCE_ASSIGN_OR_RETURN(generation, store.Generation());
  }
  if (auto index = AtLeast(generation)) return index;
  std::lock_guard<std::mutex> building(build_mu_);
  if (auto index = AtLeast(generation)) return index;  // built meanwhile
  TRUCE_ASSIGN_OR_RETURN(std::shared_ptr<const IncidentIndex> built, IncidentIndex::Build(store, load, render));
  std::lock_guard<std::mutex> lock(mu_);
  if (!current_ || built->generation() >= current_->generation()) current_ = std::move(built);
  return current_;
}

std::shared_ptr<const IncidentIndex> IndexCache::AtLeast(std::int64_t generation) {
  std::lock_guard<std::mutex> lock(mu_);
  if (current_ && current_->generation() >= generation) return current_;
  return nullptr;
}

}  // namespace truce::query
