// The ruling benchmark's data: a deterministic (fixed-seed) set of polygon
// zones and corridors with validity intervals, and incidents over the same
// region; the agreements that put them in force; and the files PostGIS loads.
// The same seed gives the same doubles on every machine (own uniform and normal
// draws over std::mt19937_64, whose output the standard fixes).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "truce/agreement/agreement.h"
#include "truce/core/status.h"
#include "truce/geo/geo.h"
#include "truce/model/model.h"
#include "truce/time/time.h"

namespace truce::bench {

// Days are taken in this zone, by the agreements and by the PostGIS side.
inline constexpr const char* kBenchTimeZone = "Asia/Damascus";

struct BenchOptions {
  std::uint64_t seed = 20200305;
  int zones = 1000;        // polygon zones, 5-40 km across, 6-24 vertices
  int corridors = 300;     // polylines of 3-10 vertices, 20-200 km, half-widths 1-10 km
  int incidents = 1'000'000;
  int zones_per_agreement = 10;     // and corridors in the same proportion
  // Share of incidents placed around zones (2/3 of it) and corridors (1/3);
  // the rest fall anywhere in the region. Sets the share of hits.
  double near_share = 0.6;
};

struct BenchZone {
  std::string id;  // "z0001"
  geo::Polygon polygon;
  time::Instant valid_from, valid_until;  // [from, until), local midnights
};

struct BenchCorridor {
  std::string id;  // "c0001"
  geo::LineString line;
  double half_width_m = 0;
  time::Instant valid_from, valid_until;
};

struct BenchData {
  std::vector<BenchZone> zones;
  std::vector<BenchCorridor> corridors;
  std::vector<model::Report> incidents;  // ids 1..n
  // The instant the incident's day begins (in kBenchTimeZone): what PostGIS compares.
  std::vector<time::Instant> day_start;
  // Whether the incident's event type is one the agreements prohibit.
  std::vector<bool> prohibited_act;
};

// The event types the benchmark's provisions prohibit.
const std::vector<std::string>& ProhibitedEventTypes();

Result<BenchData> Generate(const BenchOptions& options);

// One agreement per `zones_per_agreement` zones (and a proportional share of
// the corridors), one prohibition per zone or corridor with its validity
// interval; sides whose actors match the incidents' actor names. `kinds`
// restricts them to the polygon zones or the corridors.
enum class ZoneKinds { kAll, kPolygons, kCorridors };
Result<std::vector<agreement::LoadedAgreement>> MakeAgreements(const BenchData& data, const BenchOptions& options,
                                                               ZoneKinds kinds = ZoneKinds::kAll);

// Writes zones.csv, corridors.csv, incidents.csv (COPY ... CSV, EWKT geometry,
// coordinates in shortest round-trip form so PostGIS reads the same doubles).
Status WritePostgisFiles(const BenchData& data, const std::string& dir);

// Uniform and normal draws that do not depend on the standard library's
// distribution algorithms.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : gen_(seed) {}
  double Uniform() { return static_cast<double>(gen_() >> 11) * 0x1.0p-53; }  // [0, 1)
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  int Int(int lo, int hi_inclusive) {
    return lo + static_cast<int>(gen_() % static_cast<std::uint64_t>(hi_inclusive - lo + 1));
  }
  double Normal();  // Box-Muller

 private:
  std::mt19937_64 gen_;
};

}  // namespace truce::bench
