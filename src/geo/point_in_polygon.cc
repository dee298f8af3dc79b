// Point in polygon in the longitude/latitude plane (RFC 7946 straight edges),
// with a CLOSED boundary decided by an exact orientation predicate, so a point
// exactly on an edge or a vertex is always found on it, whatever the rounding.
#include <cmath>

#include "point_in_polygon.h"

namespace truce::geo::detail {

namespace {

// a + b = s + e exactly (Knuth's TwoSum).
inline void TwoSum(double a, double b, double* s, double* e) {
  *s = a + b;
  const double bv = *s - a;
  const double av = *s - bv;
  *e = (a - av) + (b - bv);
}

// a * b = p + e exactly (barring underflow, impossible for degree values).
inline void TwoProduct(double a, double b, double* p, double* e) {
  *p = a * b;
  *e = std::fma(a, b, -*p);
}

// Adds x to a nonoverlapping expansion (components in increasing magnitude),
// keeping it one (Shewchuk's Grow-Expansion, with zero elimination).
inline void Grow(double* comp, int* n, double x) {
  double q = x;
  int out = 0;
  for (int i = 0; i < *n; ++i) {
    double s, e;
    TwoSum(q, comp[i], &s, &e);
    q = s;
    if (e != 0) comp[out++] = e;
  }
  if (q != 0) comp[out++] = q;
  *n = out;
}

// Exact sign of (b - a) x (c - a) by expansion arithmetic.
int OrientExact(LatLon a, LatLon b, LatLon c) {
  double d[4][2];  // each difference as hi + lo, exactly
  TwoSum(b.lon_deg, -a.lon_deg, &d[0][0], &d[0][1]);
  TwoSum(c.lat_deg, -a.lat_deg, &d[1][0], &d[1][1]);
  TwoSum(b.lat_deg, -a.lat_deg, &d[2][0], &d[2][1]);
  TwoSum(c.lon_deg, -a.lon_deg, &d[3][0], &d[3][1]);
  double comp[40];
  int n = 0;
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 2; ++j) {
      double p, e;
      TwoProduct(d[0][i], d[1][j], &p, &e);
      Grow(comp, &n, p);
      Grow(comp, &n, e);
      TwoProduct(-d[2][i], d[3][j], &p, &e);
      Grow(comp, &n, p);
      Grow(comp, &n, e);
    }
  }
  if (n == 0) return 0;
  return comp[n - 1] > 0 ? 1 : -1;
}

}  // namespace

int Orient(LatLon a, LatLon b, LatLon c) {
  const double left = (b.lon_deg - a.lon_deg) * (c.lat_deg - a.lat_deg);
  const double right = (b.lat_deg - a.lat_deg) * (c.lon_deg - a.lon_deg);
  const double det = left - right;
  // Shewchuk's error bound for this evaluation is ~3.3e-16 (|left| + |right|).
  const double bound = 1e-15 * (std::fabs(left) + std::fabs(right));
  if (det > bound) return 1;
  if (det < -bound) return -1;
  return OrientExact(a, b, c);
}

RingLocation LocateInRing(const Ring& ring, LatLon p) {
  bool inside = false;
  const double x = p.lon_deg, y = p.lat_deg;
  for (size_t i = 0; i + 1 < ring.size(); ++i) {
    const LatLon a = ring[i], b = ring[i + 1];
    const bool in_x = (x >= std::fmin(a.lon_deg, b.lon_deg)) && (x <= std::fmax(a.lon_deg, b.lon_deg));
    const bool in_y = (y >= std::fmin(a.lat_deg, b.lat_deg)) && (y <= std::fmax(a.lat_deg, b.lat_deg));
    if (in_x && in_y && Orient(a, b, p) == 0) return RingLocation::kBoundary;
    // Half-open rule on y so a ray through a vertex is counted once.
    if ((a.lat_deg > y) != (b.lat_deg > y)) {
      const int o = Orient(a, b, p);
      // Upward edge: crossing to the right of p when p is left of a->b.
      if (b.lat_deg > a.lat_deg ? o > 0 : o < 0) inside = !inside;
    }
  }
  return inside ? RingLocation::kInside : RingLocation::kOutside;
}

bool PolygonContains(const Polygon& poly, LatLon p) {
  const RingLocation outer = LocateInRing(poly.outer, p);
  if (outer == RingLocation::kOutside) return false;
  if (outer == RingLocation::kBoundary) return true;
  for (const Ring& hole : poly.holes) {
    // A hole's edge is the zone's edge too: on it is inside.
    if (LocateInRing(hole, p) == RingLocation::kInside) return false;
  }
  return true;
}

}  // namespace truce::geo::detail
