// Several polygons as one area: their union in the longitude/latitude plane,
// where polygon edges are straight (as containment takes them), by GEOS.
// Without it the border between two adjacent provinces of one zone would be
// an edge of the zone (issue 12: an event 95 km inside a five-province area
// was undetermined, 28 km from an internal border).
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "geo_internal.h"
#include "geos_handles.h"
#include "truce/geo/geo.h"

namespace truce::geo {
namespace {

using detail::Context;
using detail::GeometryDeleter;
using detail::GeosGeometry;

void IgnoreMessage(const char*, void*) {}

Ring ReadRing(GEOSContextHandle_t ctx, const GEOSGeometry* ring) {
  Ring out;
  const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx, ring);
  unsigned n = 0;
  if (!seq || GEOSCoordSeq_getSize_r(ctx, seq, &n) == 0) return out;
  out.reserve(n);
  for (unsigned i = 0; i < n; ++i) {
    double x = 0, y = 0;
    GEOSCoordSeq_getXY_r(ctx, seq, i, &x, &y);
    out.push_back({y, x});
  }
  return out;
}

// Twice the area over the perimeter of a ring in a local plane, metres: the
// width of a long thin ring (a sliver), the radius of a round one.
double MeanWidthM(const Ring& ring) {
  if (ring.size() < 4) return 0;
  double lat0 = 0;
  for (const LatLon& p : ring) lat0 += p.lat_deg;
  lat0 /= static_cast<double>(ring.size());
  const double my = detail::kMetresPerDegreeLat;
  const double mx = detail::kMetresPerDegreeLonAtEquator * std::cos(lat0 * std::numbers::pi / 180);
  double area2 = 0, perimeter = 0;
  for (size_t i = 0; i + 1 < ring.size(); ++i) {
    const double x0 = ring[i].lon_deg * mx, y0 = ring[i].lat_deg * my;
    const double x1 = ring[i + 1].lon_deg * mx, y1 = ring[i + 1].lat_deg * my;
    area2 += x0 * y1 - x1 * y0;
    perimeter += std::hypot(x1 - x0, y1 - y0);
  }
  return perimeter > 0 ? std::fabs(area2) / perimeter : 0;
}

void AppendPolygon(GEOSContextHandle_t ctx, const GEOSGeometry* poly, std::vector<Polygon>* out) {
  if (GEOSisEmpty_r(ctx, poly) == 1) return;
  Polygon p;
  p.outer = ReadRing(ctx, GEOSGetExteriorRing_r(ctx, poly));
  const int holes = GEOSGetNumInteriorRings_r(ctx, poly);
  for (int h = 0; h < holes; ++h) {
    Ring ring = ReadRing(ctx, GEOSGetInteriorRingN_r(ctx, poly, h));
    if (MeanWidthM(ring) >= kSliverWidthM) p.holes.push_back(std::move(ring));
  }
  if (p.outer.size() >= 4) out->push_back(std::move(p));
}

// Whether no two polygons' boxes meet, so that no two can share a border or
// overlap (islands of one MultiPolygon): then they are their own union.
bool BoxesApart(const std::vector<Polygon>& polygons) {
  std::vector<BBox> boxes(polygons.size());
  for (size_t i = 0; i < polygons.size(); ++i) {
    for (const LatLon& v : polygons[i].outer) boxes[i].Extend(v);
    for (size_t j = 0; j < i; ++j) {
      if (boxes[i].Intersects(boxes[j])) return false;
    }
  }
  return true;
}

}  // namespace

Result<std::vector<Polygon>> UnionPolygons(const std::vector<Polygon>& polygons) {
  // Kept as given when there is nothing to join: the same rings, in the same order.
  if (polygons.size() <= 1 || BoxesApart(polygons)) return polygons;
  Context ctx(GEOS_init_r());
  if (!ctx) return Status::Internal("GEOS: cannot create a context");
  GEOSContextHandle_t c = ctx.get();
  GEOSContext_setNoticeMessageHandler_r(c, IgnoreMessage, nullptr);
  GEOSContext_setErrorMessageHandler_r(c, IgnoreMessage, nullptr);
  std::vector<GEOSGeometry*> parts;
  parts.reserve(polygons.size());
  for (size_t i = 0; i < polygons.size(); ++i) {
    GeosGeometry g = detail::MakePolygon(c, polygons[i].outer, polygons[i].holes);
    if (!g) {
      for (GEOSGeometry* p : parts) GEOSGeom_destroy_r(c, p);
      return Status::ValidationError("polygon " + std::to_string(i) + ": GEOS cannot build the polygon");
    }
    parts.push_back(g.release());
  }
  // A collection, not a MultiPolygon: the parts may overlap.
  GeosGeometry all(GEOSGeom_createCollection_r(c, GEOS_GEOMETRYCOLLECTION, parts.data(),
                                               static_cast<unsigned>(parts.size())),
                   GeometryDeleter{c});
  if (!all) {
    for (GEOSGeometry* p : parts) GEOSGeom_destroy_r(c, p);
    return Status::Internal("GEOS: cannot collect the polygons");
  }
  GeosGeometry joined(GEOSUnaryUnion_r(c, all.get()), GeometryDeleter{c});
  if (!joined) return Status::ValidationError("GEOS cannot join the polygons into one area");
  std::vector<Polygon> out;
  const int n = GEOSGetNumGeometries_r(c, joined.get());
  for (int i = 0; i < n; ++i) {
    const GEOSGeometry* part = GEOSGetGeometryN_r(c, joined.get(), i);
    if (GEOSGeomTypeId_r(c, part) == GEOS_POLYGON) AppendPolygon(c, part, &out);
  }
  if (out.empty()) return Status::ValidationError("the polygons join into an empty area");
  return out;
}

}  // namespace truce::geo
