// What the geo tests share: three Idlib towns on the M4 and the road between
// them, a closed ring from its corners, a point abreast of a geodesic, and a
// message check.
#pragma once

#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/GeodesicLine.hpp>

#include <initializer_list>
#include <string>

#include "truce/core/status.h"
#include "truce/geo/geo.h"

namespace truce::geo::geo_testing {

inline constexpr LatLon kSaraqib{35.8645, 36.8059};
inline constexpr LatLon kAriha{35.8167, 36.6000};
inline constexpr LatLon kJisr{35.8126, 36.3176};
// The M4 between Jisr al-Shughur and Saraqib through Ariha.
inline const LineString kM4 = {kJisr, kAriha, kSaraqib};

// A closed ring from its corners (the first repeated at the end).
inline Ring R(std::initializer_list<LatLon> pts) {
  Ring r(pts);
  r.push_back(r.front());
  return r;
}

// The point `off_m` to the left (negative: right) of the geodesic a-b, abreast
// of the point `fraction` along it (fractions outside 0..1 extend the geodesic).
inline LatLon Abreast(LatLon a, LatLon b, double fraction, double off_m) {
  const GeographicLib::GeodesicLine line =
      GeographicLib::Geodesic::WGS84().InverseLine(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg);
  LatLon on;
  double azi = 0;
  line.Position(fraction * line.Distance(), on.lat_deg, on.lon_deg, azi);
  return GeodesicDirect(on, azi - 90, off_m);
}

// Whether the status's message contains `text`.
inline bool Has(const Status& s, const std::string& text) { return s.message().find(text) != std::string::npos; }

}  // namespace truce::geo::geo_testing
