// Reports for the reconcile tests, written as short readable lines.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "config.h"
#include "truce/geo/geo.h"
#include "truce/reconcile/reconcile.h"

namespace truce::reconcile::testing {

// data/reconcile/matching.yaml as the repository has it.
inline std::shared_ptr<const Config> RepoConfig() {
  const char* dir = std::getenv("TRUCE_SOURCE_DIR");
  std::string root = dir != nullptr ? dir : TRUCE_SOURCE_DIR;
  std::ifstream in(root + "/data/reconcile/matching.yaml");
  std::stringstream text;
  text << in.rdbuf();
  auto config = ParseConfig(text.str(), "data/reconcile/matching.yaml");
  EXPECT_TRUE(config.ok()) << config.status().ToString();
  return config.ok() ? *config : nullptr;
}

inline time::Days Day(const char* iso) { return *time::ParseIsoDate(iso); }

// Saraqib, and points at a distance and bearing from it.
inline geo::LatLon Saraqib() { return {35.8644, 36.8006}; }
inline geo::LatLon Away(double distance_m, double azimuth_deg = 90) {
  return geo::GeodesicDirect(Saraqib(), azimuth_deg, distance_m);
}

inline model::Report Acled(std::int64_t id, const std::string& event_id, geo::LatLon at, double radius_m = 10000) {
  model::Report r;
  r.id = id;
  r.record_id = id;
  r.dataset = "acled";
  r.source_id = event_id;
  r.time.first_day = r.time.last_day = Day("2020-03-05");
  r.event_type = "Explosions/Remote violence";
  r.sub_event_type = "Shelling/artillery/missile attack";
  r.actor1 = "Military Forces of Syria (2000-)";
  r.actor2 = "Hayat Tahrir al-Sham";
  r.point = at;
  r.uncertainty_m = radius_m;
  r.fatalities = 3;
  r.source = "Syrian Observatory for Human Rights";
  return r;
}

inline model::Report Ucdp(std::int64_t id, const std::string& ged_id, geo::LatLon at, double radius_m = 25000) {
  model::Report r;
  r.id = id;
  r.record_id = id;
  r.dataset = "ucdp";
  r.source_id = ged_id;
  r.time.first_day = r.time.last_day = Day("2020-03-05");
  r.event_type = "Battles";
  r.native_code = "ucdp:1";
  r.actor1 = "Government of Syria";
  r.actor2 = "HTS";
  r.point = at;
  r.uncertainty_m = radius_m;
  r.fatalities = 4;
  r.fatalities_low = 2;
  r.fatalities_high = 6;
  return r;
}

inline model::Report News(std::int64_t id, std::int64_t record_id, const std::string& outlet, geo::LatLon at) {
  model::Report r;
  r.id = id;
  r.record_id = record_id;
  r.dataset = "news";
  r.source_id = "abc#e" + std::to_string(id);
  r.time.first_day = r.time.last_day = Day("2020-03-05");
  r.event_type = "Explosions/Remote violence";
  r.sub_event_type = "Shelling/artillery/missile attack";
  r.actor1 = "Syrian army";
  r.point = at;
  r.uncertainty_m = 10000;
  r.fatalities = 5;
  r.source = outlet;
  return r;
}

inline model::Report Observation(std::int64_t id, geo::LatLon at) {
  model::Report r;
  r.id = id;
  r.record_id = id;
  r.dataset = "geojson";
  r.source_id = "obs-" + std::to_string(id);
  r.time.first_day = r.time.last_day = Day("2020-03-05");
  r.event_type = "Explosions/Remote violence";
  r.sub_event_type = "Shelling/artillery/missile attack";
  r.point = at;
  r.uncertainty_m = 500;
  return r;
}

inline model::Claim Killed(std::int64_t id, std::int64_t record_id, const std::string& claimant, double count,
                           const std::string& qualifier = "exact") {
  model::Claim c;
  c.id = id;
  c.record_id = record_id;
  c.kind = "killed";
  c.count = count;
  c.qualifier = qualifier;
  c.claimant_name = claimant;
  return c;
}

// The placements keyed by their report's id.
inline std::map<std::int64_t, Placement> ById(const std::vector<Placement>& placements) {
  std::map<std::int64_t, Placement> out;
  for (const Placement& p : placements) out[p.report_id] = p;
  return out;
}

}  // namespace truce::reconcile::testing
