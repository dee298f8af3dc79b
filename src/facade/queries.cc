// Core: what the dashboard asks (the incident index, an incident's detail,
// map labels).
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core.h"
#include "views.h"

namespace truce::facade {
namespace {

// Incidents placed within this of a named town give that town a label.
constexpr double kTownLevelM = 2000;

struct IncidentPlace {
  std::string name;
  geo::LatLon point;  // mean of its incidents' points
  std::int64_t incidents = 0;
};

// Location names of the incidents in `bbox` that some incident places to a town, most
// incidents first (all that name it, however precisely: how often a place is named is how
// much it matters), then by name, for a stable order. The label goes at the mean of the
// points placed to the town.
std::vector<IncidentPlace> IncidentPlaces(const query::IncidentIndex& index, const geo::BBox& bbox) {
  struct Acc {
    IncidentPlace place;
    std::int64_t at_town = 0;
  };
  std::map<std::string, Acc> by_name;
  query::Filter filter;
  filter.bbox = bbox;
  index.ForEach(filter, [&](const query::IncidentOutline& in) {
    if (in.location.empty()) return true;
    Acc& a = by_name[in.location];
    ++a.place.incidents;
    if (in.uncertainty_m > kTownLevelM) return true;
    a.place.point.lat_deg += in.point.lat_deg;
    a.place.point.lon_deg += in.point.lon_deg;
    ++a.at_town;
    return true;
  });
  std::vector<IncidentPlace> out;
  out.reserve(by_name.size());
  for (auto& [name, a] : by_name) {
    if (a.at_town == 0) continue;
    IncidentPlace& p = a.place;
    p.name = name;
    p.point = {p.point.lat_deg / static_cast<double>(a.at_town), p.point.lon_deg / static_cast<double>(a.at_town)};
    out.push_back(std::move(p));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const IncidentPlace& a, const IncidentPlace& b) { return a.incidents > b.incidents; });
  return out;
}

}  // namespace

Result<std::shared_ptr<const query::IncidentIndex>> Core::Index(std::optional<std::int64_t> generation) {
  return caches_->index.Get(
      *store_,
      [this](const std::function<void(const model::Incident&)>& fn) -> Status {
        TRUCE_ASSIGN_OR_RETURN(Reconciled all, LoadIncidents());
        for (const model::Incident& incident : all.incidents) fn(incident);
        return Status::Ok();
      },
      generation, IncidentRenderer());
}

Result<std::vector<PlaceLabel>> Core::Places(const geo::BBox& bbox, std::size_t limit,
                                               const ArticleOptions& options) {
  std::vector<PlaceLabel> out;
  if (limit == 0) return out;
  // A grid of about `limit` cells over the box. The agreements' own places,
  // then the towns incidents name, come in rank order whatever their cell
  // (the dashboard keeps those whose text has room); gazetteer towns only
  // fill cells still free.
  const double side = std::max(1.0, std::floor(std::sqrt(static_cast<double>(limit))));
  const double cell_lat = std::max(1e-9, (bbox.max_lat_deg - bbox.min_lat_deg) / side);
  const double cell_lon = std::max(1e-9, (bbox.max_lon_deg - bbox.min_lon_deg) / side);
  std::set<std::pair<long long, long long>> taken;
  std::set<std::string> names;
  auto offer = [&](std::string name, geo::LatLon p, const char* kind, bool ranked = true) {
    if (out.size() >= limit || !bbox.Contains(p) || names.count(name)) return;
    const auto cell = std::make_pair(static_cast<long long>((p.lat_deg - bbox.min_lat_deg) / cell_lat),
                                     static_cast<long long>((p.lon_deg - bbox.min_lon_deg) / cell_lon));
    if (!taken.insert(cell).second && !ranked) return;
    names.insert(name);
    out.push_back({std::move(name), p, kind});
  };
  TRUCE_ASSIGN_OR_RETURN(auto agreements, Agreements());
  for (const auto& la : *agreements) {
    for (const model::PlaceDef& p : la.agreement.places) offer(p.name, p.position, "place");
  }
  // Then the towns the stored incidents name, most named first: the gazetteer
  // has no populations, and in its file order small villages took the cells
  // of Idlib or Saraqib. Only points known to a town (kTownLevelM) place a
  // label, so a province centre does not pull a town's label.
  TRUCE_ASSIGN_OR_RETURN(auto index, Index(std::nullopt));
  for (IncidentPlace& p : IncidentPlaces(*index, bbox)) offer(std::move(p.name), p.point, "town");
  // Without dictionaries or gazetteer (not found from here), the agreements'
  // places are the labels.
  std::vector<std::string> warnings;
  Result<const extract::Extractor*> ex = ExtractorFor(options, &warnings);
  if (!ex.ok()) return out;
  (*ex)->ForEachPlace([&](std::string_view name, double lat_deg, double lon_deg) {
    if (out.size() >= limit) return false;
    offer(std::string(name), {lat_deg, lon_deg}, "town", /*ranked=*/false);
    return true;
  });
  return out;
}

}  // namespace truce::facade
