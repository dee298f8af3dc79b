// Geometry on the WGS84 ellipsoid: points, zones (polygons, corridors, circles),
// and how a point known to within a radius relates to a zone.
//
// Conventions (see docs/design.md, "Space"):
// - Coordinates are WGS84 degrees; distances are geodesic metres on WGS84.
// - Polygon edges are straight in longitude/latitude, as RFC 7946 (GeoJSON) and
//   PostGIS `geometry` take them; corridor centre lines are geodesics between
//   their vertices, as PostGIS `geography` takes them.
// - Boundary rule (CLOSED): a point exactly on a zone's edge is inside it.
// - A location with uncertainty radius r is Inside when the whole disc of radius
//   r lies in the zone, Outside when the whole disc lies outside, otherwise
//   Straddles. r = 0 is a point.
// Thread-safety: all types here are immutable values after construction and
// safe to share between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "truce/core/status.h"

namespace truce::geo {

namespace detail {
struct ZoneGeometry;  // precomputed geodesic pieces for fast distance bounds (src/geo)
class SegmentSet;
}  // namespace detail

struct LatLon {
  double lat_deg = 0;
  double lon_deg = 0;
  friend bool operator==(const LatLon&, const LatLon&) = default;
};

// Exact geodesic distance on WGS84 (GeographicLib), metres.
double GeodesicDistanceM(LatLon a, LatLon b);

// The point `distance_m` along the geodesic from `from` at `azimuth_deg`.
LatLon GeodesicDirect(LatLon from, double azimuth_deg, double distance_m);

// Shortest geodesic distance from `p` to the geodesic segment a-b, metres, and
// the fraction (0..1) along the segment of the closest point. Exact to well
// under a millimetre (iterated gnomonic projection, as GeographicLib documents
// for the interception problem).
struct SegmentDistance {
  double distance_m = 0;
  double fraction = 0;
};
SegmentDistance DistanceToGeodesicSegment(LatLon p, LatLon a, LatLon b);

struct BBox {
  double min_lat_deg = 90, min_lon_deg = 180, max_lat_deg = -90, max_lon_deg = -180;
  bool Contains(LatLon p) const {
    return p.lat_deg >= min_lat_deg && p.lat_deg <= max_lat_deg && p.lon_deg >= min_lon_deg &&
           p.lon_deg <= max_lon_deg;
  }
  bool Intersects(const BBox& o) const {
    return !(o.min_lat_deg > max_lat_deg || o.max_lat_deg < min_lat_deg || o.min_lon_deg > max_lon_deg ||
             o.max_lon_deg < min_lon_deg);
  }
  void Extend(LatLon p);
  // Grown by `margin_m` on every side (conservatively, in degrees).
  BBox Expanded(double margin_m) const;
};

using Ring = std::vector<LatLon>;  // closed: first == last
struct Polygon {
  Ring outer;
  std::vector<Ring> holes;
};
using LineString = std::vector<LatLon>;

enum class ZoneShape { kPolygon, kCorridor, kBand, kCircle };
enum class BandSide { kLeft, kRight };  // relative to the line's direction

enum class Containment { kInside, kOutside, kStraddles };
const char* ContainmentName(Containment c);
const char* ZoneShapeName(ZoneShape s);  // "polygon", "corridor", "band", "circle"

struct ZoneRelation {
  Containment containment = Containment::kOutside;
  // Distance from the location's centre to the zone's edge, metres (>= 0).
  double edge_distance_m = 0;
  // Whether the centre itself is in the zone (boundary included).
  bool center_inside = false;
};

// A zone: one of a (multi)polygon, a corridor (a line buffered by a half-width
// on each side: "6 km north and 6 km south of the M4") or a circle around a place.
class Zone {
 public:
  // One area from several polygons: their union (UnionPolygons), so borders
  // the polygons share are not edges of the zone and distances to the edge
  // are to the union's boundary; holes stay holes. Fails only when GEOS does.
  // REQUIRES: valid rings (use ValidatePolygons first for user input).
  static Result<Zone> MakeArea(std::vector<Polygon> polygons);
  // MakeArea, keeping the polygons as given in the (unexpected) case that the
  // union fails. REQUIRES: valid rings.
  static Zone MakePolygons(std::vector<Polygon> polygons);
  static Zone MakeCorridor(LineString center_line, double half_width_m);
  static Zone MakeCircle(LatLon center, double radius_m);
  // A band along a line (a line of contact): the points within width_m of the
  // line on one side of it, looking along the line from its first vertex.
  static Zone MakeBand(LineString line, double width_m, BandSide side);

  ZoneShape shape() const { return shape_; }
  const std::vector<Polygon>& polygons() const { return polygons_; }
  const LineString& line() const { return line_; }
  double half_width_m() const { return half_width_m_; }  // corridors; band width; circle radius
  BandSide band_side() const { return band_side_; }
  LatLon center() const { return center_; }               // circles
  const BBox& bbox() const { return bbox_; }              // covers the whole zone

  // Boundary inclusive.
  bool Contains(LatLon p) const;
  // 0 inside the zone (boundary included), else the geodesic distance to it.
  double DistanceM(LatLon p) const;
  // Where a location with uncertainty radius `radius_m` lies.
  ZoneRelation Relate(LatLon p, double radius_m) const;

 private:
  double DistanceToPolygonEdgesM(LatLon p) const;
  double DistanceToLineM(LatLon p) const;
  bool PolygonsContain(LatLon p) const;
  static Zone FromDisjointPolygons(std::vector<Polygon> polygons);

  ZoneShape shape_ = ZoneShape::kPolygon;
  std::vector<Polygon> polygons_;
  LineString line_;
  double half_width_m_ = 0;
  BandSide band_side_ = BandSide::kLeft;
  LatLon center_;
  BBox bbox_;
  std::shared_ptr<const detail::ZoneGeometry> geometry_;  // shared, immutable
};

// Polygons a map can draw for a zone, rings closed, outer rings counterclockwise
// and holes clockwise in the longitude/latitude plane (as GeoJSON wants):
// - polygons: as they are;
// - corridor: the centre line buffered by the half-width on both sides, round
//   caps and joins (a one-point line gives a circle);
// - band: the line buffered on the band's side only, round joins, ends cut
//   square to the line (as Contains takes them);
// - circle: vertices on the geodesic circle, at least 64.
// Edges of corridor, band and circle outlines are at most `max_segment_m` long
// (DEFAULT 1000 m; <= 0 means the default). Corridors and bands are buffered in
// a local azimuthal equidistant projection: widths are within 1% for zones
// reaching up to ~1500 km from their centre (docs/design.md, "Outlines for
// display"). For display only: Zone::Contains is the rule, and a point within
// 1% of the width of an outline's edge may go either way. An empty zone (no
// line, zero width) gives no polygons. The antimeridian is not handled.
// Reentrant.
std::vector<Polygon> ZoneOutline(const Zone& zone, double max_segment_m = 1000);

// Checks rings for user input: at least 4 positions, closed, coordinates in range,
// no self-intersection (GEOS). The message names the polygon/ring/position.
Status ValidatePolygons(const std::vector<Polygon>& polygons);
Status ValidateLineString(const LineString& line);

// Holes of a union narrower than this on average (twice the area over the
// perimeter) are slivers between neighbours whose shared border was drawn
// twice, slightly apart, and are closed. Far below any location's precision,
// far above the metres a digitised border strays.
inline constexpr double kSliverWidthM = 10.0;
// The union of valid polygons in the longitude/latitude plane: overlaps merge,
// shared borders dissolve, holes remain (except slivers, above). Disjoint
// parts stay separate polygons. One polygon, or polygons whose boxes are
// apart, come back as they are.
Result<std::vector<Polygon>> UnionPolygons(const std::vector<Polygon>& polygons);

// A route along a line (a patrol route between two places): measures how much of
// it a track covers.
class Route {
 public:
  explicit Route(LineString line);
  double length_m() const { return length_m_; }
  // Distance along the route of the point on it closest to p, metres.
  double AlongM(LatLon p) const;
  // Fraction (0..1) of the route's length that lies within `tolerance_m` of the
  // track (sampled every `step_m` metres along the route).
  double CoveredFraction(const LineString& track, double tolerance_m, double step_m = 100) const;
  // Covered intervals [begin_m, end_m] along the route, merged.
  std::vector<std::pair<double, double>> CoveredIntervals(const LineString& track, double tolerance_m,
                                                          double step_m = 100) const;
  // The sub-line between two distances along the route.
  LineString Slice(double from_m, double to_m) const;

 private:
  LineString line_;
  std::vector<double> cumulative_m_;
  double length_m_ = 0;
  std::shared_ptr<const detail::SegmentSet> segments_;  // shared, immutable
};

// A geometry read from GeoJSON.
struct Geometry {
  enum class Type { kPoint, kLineString, kPolygon, kMultiPolygon, kMultiLineString } type = Type::kPoint;
  LatLon point;
  std::vector<LineString> lines;    // LineString (one) / MultiLineString
  std::vector<Polygon> polygons;    // Polygon (one) / MultiPolygon
};

// Parses a GeoJSON document (Feature, FeatureCollection or bare geometry) given
// as text. For a collection, the geometries of all features in order.
// `file` names the source in error messages ("zones/m4.geojson: feature 2: ...").
struct GeoFeature {
  Geometry geometry;
  std::string properties_json;  // the feature's "properties" object as JSON text ("{}" if none)
  int index = 0;                // 0-based position in the collection
};
Result<std::vector<GeoFeature>> ParseGeoJson(const std::string& text, const std::string& file);

// A feature's properties whose values are strings, numbers or booleans, as
// text (strings as they are, numbers as JSON writes them), sorted by name;
// other values (null, arrays, objects) are left out.
std::vector<std::pair<std::string, std::string>> ScalarProperties(const GeoFeature& feature);

class ZoneCells;

// A grid index over zone bounding boxes for bulk lookups: which zones can
// possibly be within `margin_m` of a point. Cells are 0.25 degree.
class ZoneIndex {
 public:
  ZoneIndex() = default;
  // `zones` must outlive the index. margin_m widens every zone's box.
  // `cells` (optional: ZoneCells::Build of each zone, in the same order)
  // classify the zones on the index's grid: where a zone's cells show no
  // point of it within margin_m of an index cell, the zone is marked far
  // from that cell, and Candidates for an exact point leave it out there.
  void Build(const std::vector<const Zone*>& zones, double margin_m, const std::vector<ZoneCells>* cells = nullptr);
  // Indices (into the vector passed to Build) of candidate zones, ascending:
  // those whose grown box holds p, less, for an `exact_point` (no
  // uncertainty radius), the zones marked far from p's cell.
  void Candidates(LatLon p, std::vector<int>* out, bool exact_point = false) const;

 private:
  int RowOf(double lat_deg) const;
  int ColOf(double lon_deg) const;
  // The grid cell that holds p (row-major), or -1 outside the extent.
  long long CellOf(LatLon p) const;

  double cell_deg_ = 0.25, inv_cell_deg_ = 4;
  // Cell k's candidates are entries [cell_start_[k], cell_start_[k + 1]): a
  // zone's index, whether it is near the cell, and its grown box side by
  // side, so that a query reads one run of memory (cells row-major over the
  // covered extent).
  struct Entry {
    BBox box;
    int zone = 0;
    bool near = true;
  };
  std::vector<std::uint32_t> cell_start_;
  std::vector<Entry> entries_;
  BBox extent_;
  int rows_ = 0, cols_ = 0;
};

}  // namespace truce::geo
