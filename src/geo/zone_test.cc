#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/GeodesicLine.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

#include "testing.h"
#include "truce/geo/geo.h"

namespace truce::geo {
namespace {

using geo_testing::Abreast;
using geo_testing::kAriha;
using geo_testing::kJisr;
using geo_testing::kM4;
using geo_testing::kSaraqib;
using geo_testing::R;

// Corners and hole on 1/8 degree: every test coordinate below is exactly representable.
const Ring kOuter = R({{35.5, 36.5}, {35.5, 37.0}, {36.0, 37.0}, {36.0, 36.5}});
const Ring kHole = R({{35.625, 36.625}, {35.625, 36.875}, {35.875, 36.875}, {35.875, 36.625}});
constexpr double kTiny = 1.0 / (1 << 20);  // ~0.1 m in degrees

TEST(PolygonZoneTest, BoundaryIsClosedOnEdgesAndVertices) {
  const Zone z = Zone::MakePolygons({Polygon{kOuter, {kHole}}});
  EXPECT_EQ(z.shape(), ZoneShape::kPolygon);
  EXPECT_TRUE(z.Contains({35.5625, 36.75}));          // between the rings
  EXPECT_TRUE(z.Contains({35.5, 36.75}));             // on the outer edge
  EXPECT_TRUE(z.Contains({35.5, 36.5}));              // on an outer vertex
  EXPECT_TRUE(z.Contains({36.0, 37.0}));              // on the opposite vertex
  EXPECT_TRUE(z.Contains({35.75, 37.0}));             // on the east edge
  EXPECT_FALSE(z.Contains({35.5 - kTiny, 36.75}));    // just south of it
  EXPECT_FALSE(z.Contains({35.75, 37.0 + kTiny}));    // just east of it
  EXPECT_FALSE(z.Contains({35.75, 36.75}));           // in the hole
  EXPECT_TRUE(z.Contains({35.625, 36.75}));           // on the hole's edge: the zone's edge
  EXPECT_TRUE(z.Contains({35.875, 36.875}));          // on a hole vertex
  EXPECT_FALSE(z.Contains({35.625 + kTiny, 36.75}));  // just inside the hole
  EXPECT_TRUE(z.Contains({35.625 - kTiny, 36.75}));   // just outside the hole
  EXPECT_FALSE(z.Contains(kJisr));
}

TEST(PolygonZoneTest, DiagonalEdgesAreExact) {
  // Triangle with a diagonal edge from (35.5, 36.5) to (36.0, 37.0).
  const Zone z = Zone::MakePolygons({Polygon{R({{35.5, 36.5}, {35.5, 37.0}, {36.0, 37.0}}), {}}});
  EXPECT_TRUE(z.Contains({35.75, 36.75}));
  EXPECT_TRUE(z.Contains({35.625, 36.625}));
  EXPECT_TRUE(z.Contains({35.75, 36.75 + kTiny}));
  EXPECT_FALSE(z.Contains({35.75, 36.75 - kTiny}));
  EXPECT_FALSE(z.Contains({std::nextafter(35.75, 90), 36.75}));  // one ulp off the edge
  EXPECT_TRUE(z.Contains({std::nextafter(35.75, 0), 36.75}));
  // A ray through a vertex is counted once: points level with the vertices.
  EXPECT_TRUE(z.Contains({35.5, 36.9}));
  EXPECT_FALSE(z.Contains({36.0, 36.9}));
  EXPECT_FALSE(z.Contains({36.0, 37.1}));
  EXPECT_FALSE(z.Contains({35.5, 37.1}));
}

TEST(PolygonZoneTest, MultiPolygonsAndSharedEdges) {
  const Ring east = R({{35.5, 37.0}, {35.5, 37.5}, {36.0, 37.5}, {36.0, 37.0}});
  const Zone west_only = Zone::MakePolygons({Polygon{kOuter, {}}});
  const Zone east_only = Zone::MakePolygons({Polygon{east, {}}});
  const Zone both = Zone::MakePolygons({Polygon{kOuter, {kHole}}, Polygon{east, {}}});
  EXPECT_TRUE(both.Contains({35.75, 37.25}));
  EXPECT_TRUE(both.Contains({35.5625, 36.75}));
  EXPECT_FALSE(both.Contains({35.75, 36.75}));  // the first polygon's hole
  EXPECT_FALSE(both.Contains({35.75, 37.75}));
  // A point on the shared edge lies in both neighbours.
  EXPECT_TRUE(west_only.Contains({35.8125, 37.0}));
  EXPECT_TRUE(east_only.Contains({35.8125, 37.0}));
  // The box covers every polygon.
  EXPECT_LE(both.bbox().min_lon_deg, 36.5);
  EXPECT_GE(both.bbox().max_lon_deg, 37.5);
}

TEST(PolygonZoneTest, DistancesAndRelations) {
  const Zone z = Zone::MakePolygons({Polygon{kOuter, {kHole}}});
  // 1 km due east of the east edge (a meridian, so straight and geodesic agree).
  const LatLon east_1km = GeodesicDirect({35.75, 37.0}, 90, 1000);
  EXPECT_NEAR(z.DistanceM(east_1km), 1000, 1e-3);
  EXPECT_EQ(z.DistanceM({35.5625, 36.75}), 0);
  EXPECT_EQ(z.DistanceM({35.5, 36.75}), 0);
  // In the hole's centre: nearest are its west and east edges, 0.125 degree of
  // longitude away (along the parallel N cos(lat) * 0.125 deg = 11306.0 m; the
  // perpendicular geodesic is a hair shorter), nearer than north/south (~13.9 km).
  EXPECT_NEAR(z.DistanceM({35.75, 36.75}), 11306, 0.5);
  ZoneRelation r = z.Relate(east_1km, 0);
  EXPECT_EQ(r.containment, Containment::kOutside);
  EXPECT_FALSE(r.center_inside);
  EXPECT_NEAR(r.edge_distance_m, 1000, 1e-3);
  EXPECT_EQ(z.Relate(east_1km, 500).containment, Containment::kOutside);
  EXPECT_EQ(z.Relate(east_1km, 1500).containment, Containment::kStraddles);
  // A disc touching the edge from outside shares the edge with the zone.
  EXPECT_EQ(z.Relate(east_1km, r.edge_distance_m).containment, Containment::kStraddles);
  EXPECT_EQ(z.Relate(east_1km, std::nextafter(r.edge_distance_m, 0)).containment, Containment::kOutside);

  const LatLon west_of_east_edge = GeodesicDirect({35.75, 37.0}, 270, 1000);  // 1 km inside
  r = z.Relate(west_of_east_edge, 500);
  EXPECT_TRUE(r.center_inside);
  EXPECT_NEAR(r.edge_distance_m, 1000, 1e-3);
  EXPECT_EQ(r.containment, Containment::kInside);
  EXPECT_EQ(z.Relate(west_of_east_edge, 1500).containment, Containment::kStraddles);
  // A disc touching the edge from inside lies wholly in the (closed) zone.
  EXPECT_EQ(z.Relate(west_of_east_edge, r.edge_distance_m).containment, Containment::kInside);
  EXPECT_EQ(z.Relate(west_of_east_edge, 0).containment, Containment::kInside);
  // On the edge: radius 0 is inside, any disc straddles.
  EXPECT_EQ(z.Relate({35.75, 37.0}, 0).containment, Containment::kInside);
  EXPECT_EQ(z.Relate({35.75, 37.0}, 1).containment, Containment::kStraddles);
}

TEST(PolygonZoneTest, StraightAndGeodesicEdgesDifferLittle) {
  // Containment takes edges straight in lon/lat, distance takes them as
  // geodesics; the gap is about L^2 tan(lat) / 8R (docs/design.md).
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> azi(-180, 180);
  for (double lat : {0.0, 36.0, 70.0}) {
    for (int i = 0; i < 20; ++i) {
      const double len = 50e3;
      const LatLon a{lat, 36.5};
      const LatLon b = GeodesicDirect(a, azi(rng), len);
      const LatLon mid{(a.lat_deg + b.lat_deg) / 2, (a.lon_deg + b.lon_deg) / 2};
      const double phi = std::max(std::fabs(a.lat_deg), std::fabs(b.lat_deg)) * std::numbers::pi / 180;
      const double bound = 1.1 * len * len * std::tan(phi) / (8 * 6371e3) + 0.2;
      EXPECT_LE(DistanceToGeodesicSegment(mid, a, b).distance_m, bound) << lat;
    }
  }
  // At Idlib's latitude a 50 km east-west edge bows 35.6 m.
  const LatLon a{36, 36.5};
  const LatLon b = GeodesicDirect(a, 90, 50e3);
  EXPECT_NEAR(DistanceToGeodesicSegment({36, (a.lon_deg + b.lon_deg) / 2}, a, b).distance_m, 35.6, 0.2);
}

double ExactLineDistance(const LineString& line, LatLon p) {
  double d = INFINITY;
  for (size_t i = 0; i + 1 < line.size(); ++i) d = std::min(d, DistanceToGeodesicSegment(p, line[i], line[i + 1]).distance_m);
  return d;
}

TEST(CorridorZoneTest, InsideOutsideAndExactlyAtHalfWidth) {
  const Zone z = Zone::MakeCorridor(kM4, 6000);
  EXPECT_EQ(z.shape(), ZoneShape::kCorridor);
  EXPECT_EQ(z.half_width_m(), 6000);
  EXPECT_TRUE(z.Contains(kAriha));
  EXPECT_TRUE(z.Contains(Abreast(kJisr, kAriha, 0.5, 5999)));
  EXPECT_TRUE(z.Contains(Abreast(kJisr, kAriha, 0.5, -5999)));
  EXPECT_FALSE(z.Contains(Abreast(kJisr, kAriha, 0.5, 6001)));
  EXPECT_FALSE(z.Contains(Abreast(kAriha, kSaraqib, 0.3, -6001)));
  // Round the ends: within 6 km of Jisr al-Shughur, west of it.
  EXPECT_TRUE(z.Contains(GeodesicDirect(kJisr, 270, 5990)));
  EXPECT_FALSE(z.Contains(GeodesicDirect(kJisr, 270, 6010)));
  // Exactly at the half width: inside; a hair beyond: outside.
  for (const LatLon p : {Abreast(kJisr, kAriha, 0.5, 6000), Abreast(kAriha, kSaraqib, 0.9, -6000),
                         GeodesicDirect(kSaraqib, 60, 6000)}) {
    const double d = ExactLineDistance(kM4, p);
    EXPECT_NEAR(d, 6000, 1);
    EXPECT_TRUE(Zone::MakeCorridor(kM4, d).Contains(p));
    EXPECT_FALSE(Zone::MakeCorridor(kM4, std::nextafter(d, 0)).Contains(p));
  }
}

TEST(CorridorZoneTest, FastPathAgreesWithExactDistance) {
  const Zone z = Zone::MakeCorridor(kM4, 6000);
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> frac(-0.1, 1.1), near(-1.0, 1.0), wide(-20000, 20000);
  int inside = 0, outside = 0;
  for (int i = 0; i < 600; ++i) {
    const bool first = i % 2 == 0;
    const LatLon a = first ? kJisr : kAriha, b = first ? kAriha : kSaraqib;
    // Half near the boundary (within a metre of 6 km), half anywhere within 20 km.
    const double off = i % 4 < 2 ? (6000 + near(rng)) * (near(rng) < 0 ? -1 : 1) : wide(rng);
    const LatLon p = Abreast(a, b, frac(rng), off);
    const bool exact = ExactLineDistance(kM4, p) <= 6000;
    ASSERT_EQ(z.Contains(p), exact) << i;
    (exact ? inside : outside)++;
    EXPECT_NEAR(z.DistanceM(p), std::max(0.0, ExactLineDistance(kM4, p) - 6000), 1e-6);
  }
  EXPECT_GT(inside, 100);
  EXPECT_GT(outside, 100);
}

TEST(CorridorZoneTest, RelateAndDistance) {
  const Zone z = Zone::MakeCorridor(kM4, 6000);
  const LatLon four_km = Abreast(kJisr, kAriha, 0.5, 4000);
  ZoneRelation r = z.Relate(four_km, 1000);
  EXPECT_TRUE(r.center_inside);
  EXPECT_NEAR(r.edge_distance_m, 2000, 1e-3);
  EXPECT_EQ(r.containment, Containment::kInside);
  EXPECT_EQ(z.Relate(four_km, 2500).containment, Containment::kStraddles);
  EXPECT_EQ(z.DistanceM(four_km), 0);

  const LatLon ten_km = Abreast(kJisr, kAriha, 0.5, -10000);
  r = z.Relate(ten_km, 3000);
  EXPECT_FALSE(r.center_inside);
  EXPECT_NEAR(r.edge_distance_m, 4000, 1e-3);
  EXPECT_EQ(r.containment, Containment::kOutside);
  EXPECT_EQ(z.Relate(ten_km, r.edge_distance_m).containment, Containment::kStraddles);
  EXPECT_EQ(z.Relate(ten_km, 0).containment, Containment::kOutside);
  EXPECT_NEAR(z.DistanceM(ten_km), 4000, 1e-3);
  // The box covers the corridor.
  EXPECT_TRUE(z.bbox().Contains(Abreast(kJisr, kAriha, 0.5, 5999)));
  EXPECT_TRUE(z.bbox().Contains(GeodesicDirect(kSaraqib, 45, 5999)));
}

TEST(BandZoneTest, SidesEndsAndTheLineItself) {
  // Jisr al-Shughur -> Saraqib runs east: left is north.
  const LineString line = {kJisr, kSaraqib};
  const Zone north = Zone::MakeBand(line, 5000, BandSide::kLeft);
  const Zone south = Zone::MakeBand(line, 5000, BandSide::kRight);
  EXPECT_EQ(north.shape(), ZoneShape::kBand);
  EXPECT_EQ(north.band_side(), BandSide::kLeft);
  const LatLon n2 = Abreast(kJisr, kSaraqib, 0.5, 2000), s2 = Abreast(kJisr, kSaraqib, 0.5, -2000);
  EXPECT_GT(n2.lat_deg, s2.lat_deg);
  EXPECT_TRUE(north.Contains(n2));
  EXPECT_FALSE(north.Contains(s2));
  EXPECT_TRUE(south.Contains(s2));
  EXPECT_FALSE(south.Contains(n2));
  EXPECT_FALSE(north.Contains(Abreast(kJisr, kSaraqib, 0.5, 5100)));
  EXPECT_TRUE(north.Contains(Abreast(kJisr, kSaraqib, 0.5, 4900)));
  // On the line: in both bands.
  for (const LatLon p : {kJisr, kSaraqib, Abreast(kJisr, kSaraqib, 0.3, 0)}) {
    EXPECT_TRUE(north.Contains(p));
    EXPECT_TRUE(south.Contains(p));
  }
  // Beyond the ends: outside, even on the right side and near.
  EXPECT_FALSE(north.Contains(Abreast(kJisr, kSaraqib, 1.02, 1000)));
  EXPECT_FALSE(north.Contains(Abreast(kJisr, kSaraqib, -0.02, 1000)));
  EXPECT_TRUE(north.Contains(Abreast(kJisr, kSaraqib, 0.99, 1000)));
}

TEST(BandZoneTest, BentLineDistancesAndRelations) {
  const Zone north = Zone::MakeBand(kM4, 5000, BandSide::kLeft);
  const LatLon n2 = Abreast(kAriha, kSaraqib, 0.5, 2000), s2 = Abreast(kAriha, kSaraqib, 0.5, -2000);
  EXPECT_TRUE(north.Contains(n2));
  EXPECT_FALSE(north.Contains(s2));
  EXPECT_EQ(north.DistanceM(n2), 0);
  EXPECT_NEAR(north.DistanceM(s2), 2000, 1e-3);  // across the line
  EXPECT_NEAR(north.DistanceM(Abreast(kAriha, kSaraqib, 0.5, 7000)), 2000, 1e-3);  // past the far edge
  ZoneRelation r = north.Relate(n2, 1000);
  EXPECT_TRUE(r.center_inside);
  EXPECT_NEAR(r.edge_distance_m, 2000, 1e-3);
  EXPECT_EQ(r.containment, Containment::kInside);
  EXPECT_EQ(north.Relate(n2, 2500).containment, Containment::kStraddles);
  r = north.Relate(s2, 1000);
  EXPECT_EQ(r.containment, Containment::kOutside);
  EXPECT_EQ(north.Relate(s2, 2000.5).containment, Containment::kStraddles);
  // The line turns left at Ariha. Round the outside of the bend (south, between
  // the two legs' perpendiculars) the vertex is nearest: in the right-hand band.
  const Zone south = Zone::MakeBand(kM4, 5000, BandSide::kRight);
  const LatLon outer_bend = GeodesicDirect(kAriha, 171, 2000);
  EXPECT_TRUE(south.Contains(outer_bend));
  EXPECT_FALSE(north.Contains(outer_bend));
  EXPECT_NEAR(north.DistanceM(outer_bend), 2000, 1e-3);
  const LatLon inner_bend = GeodesicDirect(kAriha, 351, 2000);
  EXPECT_TRUE(north.Contains(inner_bend));
  EXPECT_FALSE(south.Contains(inner_bend));
  // Saraqib, the end, is on the line; past it the band is closed by its end cap,
  // the perpendicular there: 10% of the leg past the end is that far from the band.
  EXPECT_TRUE(north.Contains(Abreast(kAriha, kSaraqib, 1.0, 0)));
  const double past_m = 0.1 * GeodesicDistanceM(kAriha, kSaraqib);
  EXPECT_NEAR(north.DistanceM(Abreast(kAriha, kSaraqib, 1.1, 2000)), past_m, 5);
  EXPECT_EQ(north.Relate(Abreast(kAriha, kSaraqib, 1.1, 2000), past_m - 10).containment, Containment::kOutside);
  EXPECT_EQ(north.Relate(Abreast(kAriha, kSaraqib, 1.1, 2000), past_m + 10).containment, Containment::kStraddles);
}

TEST(CircleZoneTest, RadiusIsClosed) {
  const Zone z = Zone::MakeCircle(kSaraqib, 10000);
  EXPECT_EQ(z.shape(), ZoneShape::kCircle);
  EXPECT_EQ(z.center(), kSaraqib);
  EXPECT_EQ(z.half_width_m(), 10000);
  EXPECT_TRUE(z.Contains(kSaraqib));
  EXPECT_TRUE(z.Contains(GeodesicDirect(kSaraqib, 123, 9999)));
  EXPECT_FALSE(z.Contains(GeodesicDirect(kSaraqib, 123, 10001)));
  EXPECT_FALSE(z.Contains(kAriha));
  const double d = GeodesicDistanceM(kSaraqib, kAriha);
  EXPECT_TRUE(Zone::MakeCircle(kSaraqib, d).Contains(kAriha));
  EXPECT_FALSE(Zone::MakeCircle(kSaraqib, std::nextafter(d, 0)).Contains(kAriha));
  EXPECT_NEAR(z.DistanceM(kAriha), d - 10000, 1e-6);
  EXPECT_EQ(z.DistanceM(GeodesicDirect(kSaraqib, 0, 5000)), 0);
  // Relate from inside and outside.
  const LatLon in5 = GeodesicDirect(kSaraqib, 200, 5000);
  EXPECT_EQ(z.Relate(in5, 4999).containment, Containment::kInside);
  EXPECT_EQ(z.Relate(in5, 5001).containment, Containment::kStraddles);
  const LatLon out15 = GeodesicDirect(kSaraqib, 200, 15000);
  ZoneRelation r = z.Relate(out15, 4999);
  EXPECT_EQ(r.containment, Containment::kOutside);
  EXPECT_NEAR(r.edge_distance_m, 5000, 1e-6);
  EXPECT_EQ(z.Relate(out15, r.edge_distance_m).containment, Containment::kStraddles);
  // Fast path agrees with the exact distance all around the edge.
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> azi(-180, 180), off(-2, 2);
  for (int i = 0; i < 500; ++i) {
    const LatLon p = GeodesicDirect(kSaraqib, azi(rng), 10000 + (i % 2 ? off(rng) : 1e3 * off(rng)));
    ASSERT_EQ(z.Contains(p), GeodesicDistanceM(kSaraqib, p) <= 10000) << i;
  }
}

TEST(ZoneTest, CopiesShareAndDefaultContainsNothing) {
  const Zone z = Zone::MakeCorridor(kM4, 6000);
  const Zone copy = z;
  EXPECT_TRUE(copy.Contains(kAriha));
  EXPECT_EQ(copy.line().size(), 3u);
  const Zone none;
  EXPECT_FALSE(none.Contains(kAriha));
  EXPECT_EQ(none.Relate(kAriha, 10).containment, Containment::kOutside);
}

}  // namespace
}  // namespace truce::geo
