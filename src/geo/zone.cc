// Zones: construction, containment (CLOSED boundary), distance and how a disc
// of uncertainty relates to a zone. See docs/design.md, "Space".
#include <algorithm>
#include <cmath>
#include <limits>

#include "geo_internal.h"
#include "point_in_polygon.h"
#include "truce/geo/geo.h"

namespace truce::geo {

namespace detail {
// What a zone precomputes for fast, exact queries.
struct ZoneGeometry {
  SegmentSet segments;  // polygon ring edges as geodesics, or the centre line
  // Band ends: the geodesic from each end of the line, perpendicular to it,
  // `width` long, on the band's side.
  Segment cap_start, cap_end;
  Vec3 centre_ecef;  // circles
};
}  // namespace detail

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

void ExtendBox(BBox* box, const BBox& other) {
  if (other.min_lat_deg > other.max_lat_deg) return;
  box->Extend({other.min_lat_deg, other.min_lon_deg});
  box->Extend({other.max_lat_deg, other.max_lon_deg});
}

}  // namespace

Result<Zone> Zone::MakeArea(std::vector<Polygon> polygons) {
  if (polygons.size() <= 1) return FromDisjointPolygons(std::move(polygons));
  TRUCE_ASSIGN_OR_RETURN(std::vector<Polygon> joined, UnionPolygons(polygons));
  return FromDisjointPolygons(std::move(joined));
}

Zone Zone::MakePolygons(std::vector<Polygon> polygons) {
  if (polygons.size() <= 1) return FromDisjointPolygons(std::move(polygons));
  Result<std::vector<Polygon>> joined = UnionPolygons(polygons);
  return FromDisjointPolygons(joined.ok() ? std::move(joined).value() : std::move(polygons));
}

// Every ring edge is an edge of the zone: the polygons must not overlap or
// share borders (MakeArea joins them first).
Zone Zone::FromDisjointPolygons(std::vector<Polygon> polygons) {
  Zone z;
  z.shape_ = ZoneShape::kPolygon;
  auto geometry = std::make_shared<detail::ZoneGeometry>();
  for (const Polygon& poly : polygons) {
    for (const LatLon& v : poly.outer) z.bbox_.Extend(v);
    geometry->segments.AddPolyline(poly.outer);
    for (const Ring& hole : poly.holes) {
      for (const LatLon& v : hole) z.bbox_.Extend(v);
      geometry->segments.AddPolyline(hole);
    }
  }
  // Containment uses straight edges (inside the vertices' box); distances use
  // geodesic edges, which may bulge a little beyond it.
  ExtendBox(&z.bbox_, geometry->segments.bbox());
  z.polygons_ = std::move(polygons);
  z.geometry_ = std::move(geometry);
  return z;
}

Zone Zone::MakeCorridor(LineString center_line, double half_width_m) {
  Zone z;
  z.shape_ = ZoneShape::kCorridor;
  z.half_width_m_ = half_width_m;
  auto geometry = std::make_shared<detail::ZoneGeometry>();
  geometry->segments.AddPolyline(center_line);
  if (center_line.size() == 1) geometry->segments.AddSegment(center_line[0], center_line[0]);
  z.bbox_ = geometry->segments.bbox().Expanded(half_width_m);
  z.line_ = std::move(center_line);
  z.geometry_ = std::move(geometry);
  return z;
}

Zone Zone::MakeBand(LineString line, double width_m, BandSide side) {
  Zone z;
  z.shape_ = ZoneShape::kBand;
  z.half_width_m_ = width_m;
  z.band_side_ = side;
  auto geometry = std::make_shared<detail::ZoneGeometry>();
  geometry->segments.AddPolyline(line);
  if (line.size() >= 2) {
    const double turn = side == BandSide::kRight ? 90 : -90;
    double azi_start, azi_end, unused;
    detail::SegmentAzimuths(line[0], line[1], &azi_start, &unused);
    detail::SegmentAzimuths(line[line.size() - 2], line.back(), &unused, &azi_end);
    geometry->cap_start = detail::MakeSegment(line[0], GeodesicDirect(line[0], azi_start + turn, width_m));
    geometry->cap_end = detail::MakeSegment(line.back(), GeodesicDirect(line.back(), azi_end + turn, width_m));
  }
  z.bbox_ = geometry->segments.bbox().Expanded(width_m);
  z.line_ = std::move(line);
  z.geometry_ = std::move(geometry);
  return z;
}

Zone Zone::MakeCircle(LatLon center, double radius_m) {
  Zone z;
  z.shape_ = ZoneShape::kCircle;
  z.center_ = center;
  z.half_width_m_ = radius_m;
  auto geometry = std::make_shared<detail::ZoneGeometry>();
  geometry->centre_ecef = detail::ToEcef(center);
  z.bbox_.Extend(center);
  z.bbox_ = z.bbox_.Expanded(radius_m);
  z.geometry_ = std::move(geometry);
  return z;
}

bool Zone::PolygonsContain(LatLon p) const {
  for (const Polygon& poly : polygons_) {
    if (detail::PolygonContains(poly, p)) return true;
  }
  return false;
}

double Zone::DistanceToPolygonEdgesM(LatLon p) const {
  if (!geometry_ || geometry_->segments.empty()) return kInf;
  return geometry_->segments.Nearest(p).foot.distance_m;
}

double Zone::DistanceToLineM(LatLon p) const {
  if (!geometry_ || geometry_->segments.empty()) return kInf;
  return geometry_->segments.Nearest(p).foot.distance_m;
}

namespace {

// Where p lies relative to a band's line: the facts containment and distance need.
struct BandPosition {
  double line_m = kInf;       // distance to the line
  bool on_line = false;       // within kOnLineM of it
  bool beyond_ends = false;   // the nearest point is an end and p lies past it
  bool on_side = false;       // on the band's side of the line
};

BandPosition LocateInBand(const detail::SegmentSet& segments, LatLon p, BandSide side) {
  BandPosition pos;
  const detail::SegmentSet::Hit hit = segments.Nearest(p);
  if (hit.segment < 0) return pos;
  const detail::SegmentFoot& f = hit.foot;
  pos.line_m = f.distance_m;
  pos.on_line = f.distance_m <= detail::kOnLineM;
  const bool at_start = hit.segment == 0 && f.along_m <= 0 && f.along_offset_m < -detail::kOnLineM;
  const bool at_end = hit.segment == segments.size() - 1 && f.fraction >= 1 &&
                      f.along_offset_m > detail::kOnLineM;
  pos.beyond_ends = at_start || at_end;
  pos.on_side = side == BandSide::kRight ? f.cross_offset_m > 0 : f.cross_offset_m < 0;
  return pos;
}

}  // namespace

bool Zone::Contains(LatLon p) const {
  if (!geometry_ || !bbox_.Contains(p)) return false;
  switch (shape_) {
    case ZoneShape::kPolygon:
      return PolygonsContain(p);
    case ZoneShape::kCorridor:
      return geometry_->segments.Within(p, half_width_m_);
    case ZoneShape::kBand: {
      if (!geometry_->segments.Within(p, half_width_m_)) return false;
      const BandPosition pos = LocateInBand(geometry_->segments, p, band_side_);
      if (pos.on_line) return true;
      return pos.line_m <= half_width_m_ && !pos.beyond_ends && pos.on_side;
    }
    case ZoneShape::kCircle: {
      // Chord <= geodesic <= its Schur bound: decide without the solver when clear.
      const double chord = detail::Norm(detail::ToEcef(p) - geometry_->centre_ecef);
      if (chord - detail::kBoundSlackM > half_width_m_) return false;
      if (detail::GeodesicUpperBoundFromChord(chord) + detail::kBoundSlackM <= half_width_m_) return true;
      return GeodesicDistanceM(center_, p) <= half_width_m_;
    }
  }
  return false;
}

namespace {

// Distances from p to the parts of a band's edge other than the line.
double DistanceToCaps(const detail::ZoneGeometry& g, LatLon p) {
  const detail::Vec3 pe = detail::ToEcef(p);
  return std::min(detail::SolveSegment(g.cap_start, p, pe).distance_m,
                  detail::SolveSegment(g.cap_end, p, pe).distance_m);
}

}  // namespace

double Zone::DistanceM(LatLon p) const {
  if (!geometry_) return kInf;
  switch (shape_) {
    case ZoneShape::kPolygon:
      return PolygonsContain(p) ? 0 : DistanceToPolygonEdgesM(p);
    case ZoneShape::kCorridor:
      return std::max(0.0, DistanceToLineM(p) - half_width_m_);
    case ZoneShape::kBand: {
      if (Contains(p)) return 0;
      const BandPosition pos = LocateInBand(geometry_->segments, p, band_side_);
      // The line itself is part of the band's edge; so are the two end caps and,
      // on the band's side, the far edge at width_m.
      double d = std::min(pos.line_m, DistanceToCaps(*geometry_, p));
      if (pos.on_side && !pos.beyond_ends) d = std::min(d, pos.line_m - half_width_m_);
      return std::max(0.0, d);
    }
    case ZoneShape::kCircle:
      return std::max(0.0, GeodesicDistanceM(center_, p) - half_width_m_);
  }
  return kInf;
}

ZoneRelation Zone::Relate(LatLon p, double radius_m) const {
  ZoneRelation rel;
  if (!geometry_) return rel;
  rel.center_inside = Contains(p);
  switch (shape_) {
    case ZoneShape::kPolygon:
      rel.edge_distance_m = DistanceToPolygonEdgesM(p);
      break;
    case ZoneShape::kCorridor:
      rel.edge_distance_m = std::fabs(DistanceToLineM(p) - half_width_m_);
      break;
    case ZoneShape::kBand:
      if (rel.center_inside) {
        const BandPosition pos = LocateInBand(geometry_->segments, p, band_side_);
        rel.edge_distance_m = std::min({pos.line_m, std::max(0.0, half_width_m_ - pos.line_m),
                                        DistanceToCaps(*geometry_, p)});
      } else {
        rel.edge_distance_m = DistanceM(p);
      }
      break;
    case ZoneShape::kCircle:
      rel.edge_distance_m = std::fabs(GeodesicDistanceM(center_, p) - half_width_m_);
      break;
  }
  if (radius_m <= 0) {
    rel.containment = rel.center_inside ? Containment::kInside : Containment::kOutside;
  } else if (rel.center_inside && rel.edge_distance_m >= radius_m) {
    rel.containment = Containment::kInside;
  } else if (!rel.center_inside && rel.edge_distance_m > radius_m) {
    rel.containment = Containment::kOutside;
  } else {
    // Includes a disc touching the boundary from outside: the boundary is in the
    // zone, so the disc shares a point with it.
    rel.containment = Containment::kStraddles;
  }
  return rel;
}

}  // namespace truce::geo
