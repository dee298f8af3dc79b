// Internals of the geo module shared by its .cc files: unit constants, the
// exact geodesic point-to-segment solver and SegmentSet, a set of geodesic
// segments with cheap rigorous distance bounds used as a fast path.
#pragma once

#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "truce/geo/geo.h"

namespace truce::geo::detail {

// WGS84 constants, and the one place where metres become degrees.
inline constexpr double kWgs84A = 6378137.0;
inline constexpr double kWgs84F = 1 / 298.257223563;
inline constexpr double kWgs84E2 = kWgs84F * (2 - kWgs84F);
// Smallest radius of curvature on WGS84 (meridional, at the equator: b^2/a):
// bounds the curvature of every geodesic from above.
inline constexpr double kMinCurvatureRadiusM = 6335439.327;
// Fewest metres per degree: of latitude anywhere (meridian at the equator) and of
// longitude at the equator (a * pi / 180). Dividing by them gives degrees that
// are never too few.
inline constexpr double kMetresPerDegreeLat = kMinCurvatureRadiusM * std::numbers::pi / 180.0;
inline constexpr double kMetresPerDegreeLonAtEquator = kWgs84A * std::numbers::pi / 180.0;
// Mean Earth radius, used only as a step-size guess in iterations.
inline constexpr double kMeanRadiusM = 6371008.8;
// Slack added to the rigorous bounds before they may decide anything: covers the
// rounding of ECEF arithmetic (~1e-8 m) and the exact solver's tolerance.
inline constexpr double kBoundSlackM = 1e-3;
// A point this close to a line is on it (band zones: on the line is inside).
inline constexpr double kOnLineM = 1e-6;

struct Vec3 {
  double x = 0, y = 0, z = 0;
};
inline Vec3 operator-(Vec3 a, Vec3 b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
inline Vec3 operator+(Vec3 a, Vec3 b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
inline Vec3 operator*(double k, Vec3 a) { return {k * a.x, k * a.y, k * a.z}; }
inline double Dot(Vec3 a, Vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
inline double Norm(Vec3 a) { return std::sqrt(Dot(a, a)); }

// Earth-centred Cartesian coordinates of a point on the WGS84 ellipsoid, metres.
Vec3 ToEcef(LatLon p);

// Euclidean distance from `p` to the 3-D segment [a, b].
double DistanceToChord(Vec3 p, Vec3 a, Vec3 b);

// A geodesic of length s with curvature <= 1/kMinCurvatureRadiusM has chord
// c >= 2R sin(s / 2R) (Schur), so s <= 2R asin(c / 2R): an upper bound on the
// geodesic distance between two points whose chord is c.
double GeodesicUpperBoundFromChord(double chord_m);

// Sagitta bound: a geodesic arc of length L lies within L^2 / (8R) of its chord,
// and every chord point lies within that distance of the arc.
inline double ArcChordDeviationM(double length_m) {
  return length_m * length_m / (8 * kMinCurvatureRadiusM) * 1.001 + 1e-9;
}

// The exact solution of the point-to-geodesic-segment problem, with what band
// zones need besides the distance.
struct SegmentFoot {
  double distance_m = 0;
  double fraction = 0;   // 0..1 along the segment
  double along_m = 0;    // s of the foot from the segment start
  // At the foot, the component of the direction to p along the segment's
  // direction (gnomonic metres; < 0 when p lies behind a clamped start) and
  // across it (> 0 when p lies to the right, looking along the segment).
  double along_offset_m = 0;
  double cross_offset_m = 0;
};

// A geodesic segment with what the solver and the bounds need.
struct Segment {
  LatLon a, b;
  double length_m = 0;
  Vec3 a_ecef, b_ecef;
};
Segment MakeSegment(LatLon a, LatLon b);

// Exact shortest distance from p to the segment (iterated gnomonic projection).
SegmentFoot SolveSegment(const Segment& seg, LatLon p, Vec3 p_ecef);

// A set of geodesic segments (a polyline, or polygon rings' edges) that answers
// "nearest segment" and "within distance t?" exactly, using rigorous ECEF chord
// bounds to skip the geodesic solver for segments that cannot matter. Immutable.
class SegmentSet {
 public:
  SegmentSet() = default;
  // Adds the segments of a polyline (consecutive vertices).
  void AddPolyline(const std::vector<LatLon>& line);
  void AddSegment(LatLon a, LatLon b);

  struct Hit {
    int segment = -1;  // -1 when the set is empty
    SegmentFoot foot;
  };
  // The segment closest to p and the exact foot on it. The first of equals wins.
  Hit Nearest(LatLon p) const;
  // Exactly whether min distance <= threshold_m (same answer as Nearest).
  bool Within(LatLon p, double threshold_m) const;

  const Segment& segment(int i) const { return segments_[i]; }
  int size() const { return static_cast<int>(segments_.size()); }
  bool empty() const { return segments_.empty(); }
  // Covers every point of every geodesic segment.
  const BBox& bbox() const { return bbox_; }

 private:
  // Sub-chords of a segment, each <= kPieceM long, for tight bounds.
  struct Piece {
    Vec3 a, b;
    double deviation_m = 0;
  };
  struct Entry {
    int first_piece = 0, end_piece = 0;
    Vec3 centre;           // midpoint of the segment's chord
    double radius_m = 0;   // every point of the geodesic lies within this of centre
  };
  std::vector<Segment> segments_;
  std::vector<Entry> entries_;
  std::vector<Piece> pieces_;
  BBox bbox_;
};

// The exact azimuth (degrees) of geodesic a->b at its start and end.
void SegmentAzimuths(LatLon a, LatLon b, double* azi_start_deg, double* azi_end_deg);

}  // namespace truce::geo::detail
