// Geodesics on WGS84: distances, the direct problem, and the exact shortest
// distance from a point to a geodesic segment. Also BBox and unit conversion.
#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/GeodesicLine.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "geo_internal.h"
#include "truce/geo/geo.h"

namespace truce::geo {

namespace {
const GeographicLib::Geodesic& Wgs84() { return GeographicLib::Geodesic::WGS84(); }
constexpr double kDegToRad = std::numbers::pi / 180.0;
}  // namespace

double GeodesicDistanceM(LatLon a, LatLon b) {
  double s12 = 0;
  Wgs84().Inverse(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg, s12);
  return s12;
}

LatLon GeodesicDirect(LatLon from, double azimuth_deg, double distance_m) {
  LatLon out;
  Wgs84().Direct(from.lat_deg, from.lon_deg, azimuth_deg, distance_m, out.lat_deg, out.lon_deg);
  return out;
}

SegmentDistance DistanceToGeodesicSegment(LatLon p, LatLon a, LatLon b) {
  detail::SegmentFoot foot = detail::SolveSegment(detail::MakeSegment(a, b), p, detail::ToEcef(p));
  return {foot.distance_m, foot.fraction};
}

const char* ZoneShapeName(ZoneShape s) {
  switch (s) {
    case ZoneShape::kPolygon: return "polygon";
    case ZoneShape::kCorridor: return "corridor";
    case ZoneShape::kBand: return "band";
    case ZoneShape::kCircle: return "circle";
  }
  return "polygon";
}

const char* ContainmentName(Containment c) {
  switch (c) {
    case Containment::kInside: return "inside";
    case Containment::kOutside: return "outside";
    case Containment::kStraddles: return "straddles";
  }
  return "unknown";
}

void BBox::Extend(LatLon p) {
  min_lat_deg = std::min(min_lat_deg, p.lat_deg);
  max_lat_deg = std::max(max_lat_deg, p.lat_deg);
  min_lon_deg = std::min(min_lon_deg, p.lon_deg);
  max_lon_deg = std::max(max_lon_deg, p.lon_deg);
}

// A path of length m changes latitude by at most m / (metres per degree of
// latitude at its smallest), and, while it stays within |lat| <= phi, longitude by
// at most m / (a cos phi) degrees-worth: so scaling at the most poleward latitude
// the grown box reaches is conservative. Boxes reaching within 0.1 degree of a
// pole take every longitude. The antimeridian is not handled (boxes may exceed
// +-180; zones crossing it are not supported).
BBox BBox::Expanded(double margin_m) const {
  if (min_lat_deg > max_lat_deg || margin_m <= 0) return *this;
  const double dlat = margin_m / detail::kMetresPerDegreeLat;
  BBox out;
  out.min_lat_deg = std::max(-90.0, min_lat_deg - dlat);
  out.max_lat_deg = std::min(90.0, max_lat_deg + dlat);
  const double pole_deg = std::max(std::fabs(out.min_lat_deg), std::fabs(out.max_lat_deg));
  if (pole_deg >= 89.9) {
    out.min_lon_deg = -180;
    out.max_lon_deg = 180;
    return out;
  }
  const double dlon = margin_m / (detail::kMetresPerDegreeLonAtEquator * std::cos(pole_deg * kDegToRad));
  out.min_lon_deg = min_lon_deg - dlon;
  out.max_lon_deg = max_lon_deg + dlon;
  return out;
}

namespace detail {

Vec3 ToEcef(LatLon p) {
  const double phi = p.lat_deg * kDegToRad, lam = p.lon_deg * kDegToRad;
  const double sphi = std::sin(phi), cphi = std::cos(phi);
  const double n = kWgs84A / std::sqrt(1 - kWgs84E2 * sphi * sphi);
  return {n * cphi * std::cos(lam), n * cphi * std::sin(lam), n * (1 - kWgs84E2) * sphi};
}

double DistanceToChord(Vec3 p, Vec3 a, Vec3 b) {
  const Vec3 ab = b - a, ap = p - a;
  const double len2 = Dot(ab, ab);
  double t = len2 > 0 ? Dot(ap, ab) / len2 : 0;
  t = std::clamp(t, 0.0, 1.0);
  return Norm(ap - t * ab);
}

double GeodesicUpperBoundFromChord(double chord_m) {
  const double r2 = 2 * kMinCurvatureRadiusM;
  if (chord_m >= r2) return std::numeric_limits<double>::infinity();
  return r2 * std::asin(chord_m / r2) * (1 + 1e-12);
}

Segment MakeSegment(LatLon a, LatLon b) {
  Segment s;
  s.a = a;
  s.b = b;
  s.length_m = GeodesicDistanceM(a, b);
  s.a_ecef = ToEcef(a);
  s.b_ecef = ToEcef(b);
  return s;
}

void SegmentAzimuths(LatLon a, LatLon b, double* azi_start_deg, double* azi_end_deg) {
  double s12, azi1, azi2;
  Wgs84().Inverse(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg, s12, azi1, azi2);
  if (azi_start_deg) *azi_start_deg = azi1;
  if (azi_end_deg) *azi_end_deg = azi2;
}

namespace {

// The gnomonic projection centred at c, of p: Gnomonic::Forward computes exactly
// this (rho = m12 / M12 along azimuth azi1); we call Inverse ourselves to get the
// distance s12 from the same call. Returns false when p is over the horizon.
struct Projected {
  double s12 = 0, azi1 = 0, rho = 0;
};
bool ProjectAround(LatLon c, LatLon p, Projected* out) {
  double s12, azi1, azi2, m12, M12, M21;
  Wgs84().Inverse(c.lat_deg, c.lon_deg, p.lat_deg, p.lon_deg, s12, azi1, azi2, m12, M12, M21);
  out->s12 = s12;
  out->azi1 = azi1;
  if (M12 <= 0) return false;
  out->rho = m12 / M12;
  return true;
}

// Brute force for the rare case where the projection cannot see p (p more than
// ~90 degrees of arc from the segment): sample, then golden-section refine.
SegmentFoot SolveBySampling(const GeographicLib::GeodesicLine& line, double length_m, LatLon p) {
  auto dist_at = [&](double s) {
    LatLon c;
    line.Position(s, c.lat_deg, c.lon_deg);
    return GeodesicDistanceM(c, p);
  };
  constexpr int kSamples = 256;
  int best_i = 0;
  double best_d = std::numeric_limits<double>::infinity();
  for (int i = 0; i <= kSamples; ++i) {
    double d = dist_at(length_m * i / kSamples);
    if (d < best_d) best_d = d, best_i = i;
  }
  double lo = length_m * std::max(0, best_i - 1) / kSamples;
  double hi = length_m * std::min(kSamples, best_i + 1) / kSamples;
  const double g = (std::sqrt(5.0) - 1) / 2;
  for (int it = 0; it < 100 && hi - lo > 1e-6; ++it) {
    double m1 = hi - g * (hi - lo), m2 = lo + g * (hi - lo);
    if (dist_at(m1) < dist_at(m2)) hi = m2; else lo = m1;
  }
  double s = (lo + hi) / 2;
  SegmentFoot foot;
  foot.distance_m = dist_at(s);
  foot.along_m = s;
  foot.fraction = length_m > 0 ? s / length_m : 0;
  return foot;
}

}  // namespace

// Iterated gnomonic projection. In the gnomonic projection centred at a point c
// of the geodesic, the geodesic is a straight line through the centre and
// azimuths at c are true, so the foot of the perpendicular from p's image is
// the closest point to first order in the flattening (exactly so on a sphere).
// Recentre on that foot (kept on the geodesic by moving along it) and repeat:
// each step shrinks the error by a factor of order f, so 2-4 steps reach 1e-5 m.
SegmentFoot SolveSegment(const Segment& seg, LatLon p, Vec3 p_ecef) {
  SegmentFoot foot;
  if (seg.length_m < 1e-9) {
    foot.distance_m = GeodesicDistanceM(p, seg.a);
    return foot;
  }
  const GeographicLib::GeodesicLine line =
      Wgs84().InverseLine(seg.a.lat_deg, seg.a.lon_deg, seg.b.lat_deg, seg.b.lon_deg,
                          GeographicLib::Geodesic::LATITUDE | GeographicLib::Geodesic::LONGITUDE |
                              GeographicLib::Geodesic::AZIMUTH | GeographicLib::Geodesic::DISTANCE_IN);
  const double len = seg.length_m;
  // Start from the foot on the 3-D chord: already within metres for short segments.
  const Vec3 ab = seg.b_ecef - seg.a_ecef;
  const double len2 = Dot(ab, ab);
  double s = len * std::clamp(len2 > 0 ? Dot(p_ecef - seg.a_ecef, ab) / len2 : 0.0, 0.0, 1.0);

  constexpr int kMaxIterations = 20;
  for (int it = 0;; ++it) {
    LatLon c;
    double line_azi;
    line.Position(s, c.lat_deg, c.lon_deg, line_azi);
    Projected proj;
    if (!ProjectAround(c, p, &proj)) return SolveBySampling(line, len, p);
    const double rel = (proj.azi1 - line_azi) * kDegToRad;
    const double along = proj.rho * std::cos(rel);
    // The image of a point at distance ds along a geodesic through the centre is
    // ~R tan(ds / R) from the centre; invert that to step along the geodesic.
    const double ds = kMeanRadiusM * std::atan(along / kMeanRadiusM);
    const double next = std::clamp(s + ds, 0.0, len);
    if (std::fabs(next - s) < 1e-5 || it + 1 == kMaxIterations) {
      foot.distance_m = proj.s12;
      foot.along_m = s;
      foot.fraction = s / len;
      foot.along_offset_m = along;
      foot.cross_offset_m = proj.rho * std::sin(rel);
      return foot;
    }
    s = next;
  }
}

}  // namespace detail
}  // namespace truce::geo
