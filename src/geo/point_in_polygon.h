// Exact point-in-polygon in the longitude/latitude plane (internal to src/geo).
#pragma once

#include "truce/geo/geo.h"

namespace truce::geo::detail {

// Sign of the cross product (b - a) x (c - a) in (lon, lat): +1 when c lies to
// the left of a->b, -1 to the right, 0 exactly on the line. Exact for all doubles.
int Orient(LatLon a, LatLon b, LatLon c);

enum class RingLocation { kInside, kOutside, kBoundary };
// Where p lies with respect to a closed ring (first == last).
RingLocation LocateInRing(const Ring& ring, LatLon p);
// Inside the outer ring and not strictly inside a hole; boundaries included.
bool PolygonContains(const Polygon& poly, LatLon p);

}  // namespace truce::geo::detail
