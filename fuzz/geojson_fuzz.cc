// libFuzzer target: GeoJSON as zones come in (geo::ParseGeoJson, then the
// checks an agreement's zone file goes through and the zone built from it)
// and as a dataset comes in (the GeoJSON feature reader, read every way).
#include <cstddef>
#include <cstdint>
#include <string>

#include "read_check.h"
#include "truce/geo/geo.h"

namespace {

using truce::fuzz::Require;

void RequireInRange(truce::geo::LatLon p) {
  Require(std::isfinite(p.lat_deg) && std::fabs(p.lat_deg) <= 90, "parsed latitude in [-90, 90]");
  Require(std::isfinite(p.lon_deg) && std::fabs(p.lon_deg) <= 180, "parsed longitude in [-180, 180]");
}

void CheckZones(const truce::geo::Geometry& g) {
  using truce::geo::Zone;
  if (!g.polygons.empty() && truce::geo::ValidatePolygons(g.polygons).ok()) {
    Zone zone = Zone::MakePolygons(g.polygons);
    // Boundary inclusive (docs/design.md): a vertex of an outer ring is in.
    const truce::geo::LatLon vertex = g.polygons.front().outer.front();
    Require(zone.Contains(vertex), "a polygon contains its own vertex");
    Require(zone.DistanceM(vertex) == 0, "a polygon is at distance 0 from its own vertex");
    const auto rel = zone.Relate(vertex, 1000);
    Require(rel.center_inside && rel.edge_distance_m >= 0, "Relate agrees with Contains");
    (void)truce::geo::ZoneOutline(zone, 100'000);
  }
  for (const auto& line : g.lines) {
    if (!truce::geo::ValidateLineString(line).ok()) continue;
    Zone corridor = Zone::MakeCorridor(line, 6000);
    Require(corridor.Contains(line.front()), "a corridor contains its centre line");
    const double d = corridor.DistanceM(truce::geo::LatLon{0, 0});
    Require(std::isfinite(d) && d >= 0, "distances are finite and >= 0");
    // Long lines make many outline vertices; 100 km edges keep it quick.
    (void)truce::geo::ZoneOutline(corridor, 100'000);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto features = truce::geo::ParseGeoJson(text, "fuzz.geojson");
  if (features.ok()) {
    for (const auto& f : *features) {
      truce::fuzz::TouchText(f.properties_json, "properties_json");
      const auto& g = f.geometry;
      if (g.type == truce::geo::Geometry::Type::kPoint) RequireInRange(g.point);
      for (const auto& line : g.lines)
        for (const auto& p : line) RequireInRange(p);
      for (const auto& poly : g.polygons) {
        for (const auto& p : poly.outer) RequireInRange(p);
        for (const auto& hole : poly.holes)
          for (const auto& p : hole) RequireInRange(p);
      }
      CheckZones(g);
    }
  } else {
    truce::fuzz::Touch(features.status().message());  // may quote the bad bytes
  }
  truce::fuzz::ReadEveryWay(text, truce::ingest::Format::kGeoJson, /*delimited=*/false);
  return 0;
}
