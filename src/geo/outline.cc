// Zone outlines for display: polygons a map can draw for any zone shape.
// Corridors and bands are buffered by GEOS in a local azimuthal equidistant
// projection (GeographicLib) centred on the line, whose distances from the
// centre are exact and whose other distances are off by about (d/R)^2/6 at
// d from it (0.4% at 1000 km): outlines are for drawing, Zone::Contains
// stays the rule.
#include <GeographicLib/AzimuthalEquidistant.hpp>
#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/GeodesicLine.hpp>
#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>

#include "geos_handles.h"
#include "truce/geo/geo.h"

namespace truce::geo {
namespace {

constexpr int kMinCircleVertices = 64;
constexpr int kMinQuadrantSegments = 16;  // 64 vertices on a full round cap

const GeographicLib::Geodesic& Wgs84() { return GeographicLib::Geodesic::WGS84(); }

// Twice the signed area in the longitude/latitude plane: > 0 counterclockwise.
double SignedArea2(const Ring& ring) {
  double a = 0;
  for (size_t i = 0; i + 1 < ring.size(); ++i) {
    a += ring[i].lon_deg * ring[i + 1].lat_deg - ring[i + 1].lon_deg * ring[i].lat_deg;
  }
  return a;
}

void Close(Ring* ring) {
  if (!ring->empty() && !(ring->front() == ring->back())) ring->push_back(ring->front());
}

// Closed rings, the outer counterclockwise and holes clockwise.
Polygon Oriented(Polygon p) {
  Close(&p.outer);
  if (SignedArea2(p.outer) < 0) std::reverse(p.outer.begin(), p.outer.end());
  for (Ring& h : p.holes) {
    Close(&h);
    if (SignedArea2(h) > 0) std::reverse(h.begin(), h.end());
  }
  return p;
}

Ring GeodesicCircle(LatLon center, double radius_m, double max_segment_m) {
  const int n =
      std::max(kMinCircleVertices, static_cast<int>(std::ceil(2 * std::numbers::pi * radius_m / max_segment_m)));
  Ring ring;
  ring.reserve(n + 1);
  // Azimuths decrease (north, west, south, east): counterclockwise on the map.
  for (int i = 0; i < n; ++i) ring.push_back(GeodesicDirect(center, -360.0 * i / n, radius_m));
  ring.push_back(ring.front());
  return ring;
}

// The line with geodesic points added so that no piece is longer than max_segment_m.
LineString Densify(const LineString& line, double max_segment_m) {
  LineString out;
  for (size_t i = 0; i + 1 < line.size(); ++i) {
    const GeographicLib::GeodesicLine g =
        Wgs84().InverseLine(line[i].lat_deg, line[i].lon_deg, line[i + 1].lat_deg, line[i + 1].lon_deg);
    const int n = std::max(1, static_cast<int>(std::ceil(g.Distance() / max_segment_m)));
    out.push_back(line[i]);
    for (int k = 1; k < n; ++k) {
      LatLon p;
      g.Position(g.Distance() * k / n, p.lat_deg, p.lon_deg);
      out.push_back(p);
    }
  }
  if (!line.empty()) out.push_back(line.back());
  return out;
}

using detail::BufferParamsDeleter;
using detail::Context;
using detail::GeometryDeleter;
using detail::GeosBufferParams;
using detail::GeosGeometry;

// A local azimuthal equidistant projection: x east, y north, metres.
class LocalProjection {
 public:
  explicit LocalProjection(LatLon origin) : proj_(Wgs84()), origin_(origin) {}
  void Forward(LatLon p, double* x, double* y) const {
    proj_.Forward(origin_.lat_deg, origin_.lon_deg, p.lat_deg, p.lon_deg, *x, *y);
  }
  LatLon Reverse(double x, double y) const {
    LatLon p;
    proj_.Reverse(origin_.lat_deg, origin_.lon_deg, x, y, p.lat_deg, p.lon_deg);
    return p;
  }

 private:
  GeographicLib::AzimuthalEquidistant proj_;
  LatLon origin_;
};

// The ring back in longitude/latitude, edges longer than max_segment_m in the
// projection (where lengths are never shorter than on the ground) split.
Ring Unproject(GEOSContextHandle_t ctx, const GEOSGeometry* ring, const LocalProjection& proj, double max_segment_m) {
  Ring out;
  const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx, ring);
  unsigned n = 0;
  if (seq == nullptr || !GEOSCoordSeq_getSize_r(ctx, seq, &n)) return out;
  out.reserve(n);
  double px = 0, py = 0;
  for (unsigned i = 0; i < n; ++i) {
    double x = 0, y = 0;
    GEOSCoordSeq_getXY_r(ctx, seq, i, &x, &y);
    if (i > 0) {
      const int pieces = static_cast<int>(std::ceil(std::hypot(x - px, y - py) / max_segment_m));
      for (int k = 1; k < pieces; ++k) {
        const double t = static_cast<double>(k) / pieces;
        out.push_back(proj.Reverse(px + t * (x - px), py + t * (y - py)));
      }
    }
    out.push_back(proj.Reverse(x, y));
    px = x;
    py = y;
  }
  return out;
}

// The line buffered by width_m: on both sides with round caps, or (single
// sided) on its left (width_m > 0) or right (width_m < 0) with flat ends.
// Round joins either way.
std::vector<Polygon> BufferLine(const LineString& line, double width_m, bool single_sided, double max_segment_m) {
  std::vector<Polygon> out;
  BBox box;
  for (const LatLon& p : line) box.Extend(p);
  const LocalProjection proj({(box.min_lat_deg + box.max_lat_deg) / 2, (box.min_lon_deg + box.max_lon_deg) / 2});
  const LineString dense = Densify(line, max_segment_m);

  Context ctx(GEOS_init_r());
  GEOSContextHandle_t c = ctx.get();
  GEOSCoordSequence* seq = GEOSCoordSeq_create_r(c, static_cast<unsigned>(dense.size()), 2);
  for (size_t i = 0; i < dense.size(); ++i) {
    double x = 0, y = 0;
    proj.Forward(dense[i], &x, &y);
    GEOSCoordSeq_setXY_r(c, seq, static_cast<unsigned>(i), x, y);
  }
  GeosGeometry geom(GEOSGeom_createLineString_r(c, seq), GeometryDeleter{c});
  if (!geom) return out;

  GeosBufferParams params(GEOSBufferParams_create_r(c), BufferParamsDeleter{c});
  // GEOS rounds a join's number of segments to the nearest integer, so a
  // join's segments may span up to 1.5 times the quadrant's: ask for 1.5 times more.
  const double quadrant_m = std::numbers::pi / 2 * std::fabs(width_m);
  const int quad_segs = std::max(kMinQuadrantSegments, static_cast<int>(std::ceil(1.5 * quadrant_m / max_segment_m)));
  GEOSBufferParams_setQuadrantSegments_r(c, params.get(), quad_segs);
  GEOSBufferParams_setJoinStyle_r(c, params.get(), GEOSBUF_JOIN_ROUND);
  GEOSBufferParams_setEndCapStyle_r(c, params.get(), single_sided ? GEOSBUF_CAP_FLAT : GEOSBUF_CAP_ROUND);
  GEOSBufferParams_setSingleSided_r(c, params.get(), single_sided ? 1 : 0);
  GeosGeometry buffered(GEOSBufferWithParams_r(c, geom.get(), params.get(), width_m), GeometryDeleter{c});
  if (!buffered) return out;

  const int parts = GEOSGetNumGeometries_r(c, buffered.get());
  for (int i = 0; i < parts; ++i) {
    const GEOSGeometry* poly = GEOSGetGeometryN_r(c, buffered.get(), i);
    if (GEOSGeomTypeId_r(c, poly) != GEOS_POLYGON || GEOSisEmpty_r(c, poly) == 1) continue;
    Polygon p;
    p.outer = Unproject(c, GEOSGetExteriorRing_r(c, poly), proj, max_segment_m);
    const int holes = GEOSGetNumInteriorRings_r(c, poly);
    for (int h = 0; h < holes; ++h)
      p.holes.push_back(Unproject(c, GEOSGetInteriorRingN_r(c, poly, h), proj, max_segment_m));
    if (p.outer.size() >= 4) out.push_back(Oriented(std::move(p)));
  }
  return out;
}

bool AllSame(const LineString& line) {
  return std::all_of(line.begin(), line.end(), [&](const LatLon& p) { return p == line.front(); });
}

}  // namespace

std::vector<Polygon> ZoneOutline(const Zone& zone, double max_segment_m) {
  if (!(max_segment_m > 0)) max_segment_m = 1000;
  std::vector<Polygon> out;
  switch (zone.shape()) {
    case ZoneShape::kPolygon:
      for (const Polygon& p : zone.polygons()) out.push_back(Oriented(p));
      break;
    case ZoneShape::kCircle:
      if (zone.half_width_m() > 0)
        out.push_back({GeodesicCircle(zone.center(), zone.half_width_m(), max_segment_m), {}});
      break;
    case ZoneShape::kCorridor:
      if (zone.line().empty() || !(zone.half_width_m() > 0)) break;
      if (AllSame(zone.line())) {
        out.push_back({GeodesicCircle(zone.line().front(), zone.half_width_m(), max_segment_m), {}});
      } else {
        out = BufferLine(zone.line(), zone.half_width_m(), false, max_segment_m);
      }
      break;
    case ZoneShape::kBand:
      if (zone.line().size() < 2 || AllSame(zone.line()) || !(zone.half_width_m() > 0)) break;
      out = BufferLine(zone.line(), zone.band_side() == BandSide::kLeft ? zone.half_width_m() : -zone.half_width_m(),
                       true, max_segment_m);
      break;
  }
  return out;
}

}  // namespace truce::geo
