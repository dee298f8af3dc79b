#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/GeodesicLine.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "testing.h"
#include "truce/geo/geo.h"

namespace truce::geo {
namespace {

using geo_testing::kAriha;
using geo_testing::kJisr;
using geo_testing::kSaraqib;

// Brute force: the minimum over a dense sampling of the geodesic a-b, refined by
// golden-section search around the best sample.
double BruteForceDistance(LatLon p, LatLon a, LatLon b) {
  const auto& g = GeographicLib::Geodesic::WGS84();
  const GeographicLib::GeodesicLine line = g.InverseLine(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg);
  const double len = line.Distance();
  auto at = [&](double s) {
    double lat, lon, d;
    line.Position(s, lat, lon);
    g.Inverse(p.lat_deg, p.lon_deg, lat, lon, d);
    return d;
  };
  constexpr int kSamples = 2000;
  int best = 0;
  double best_d = at(0);
  for (int i = 1; i <= kSamples; ++i) {
    const double d = at(len * i / kSamples);
    if (d < best_d) best_d = d, best = i;
  }
  double lo = len * std::max(0, best - 1) / kSamples, hi = len * std::min(kSamples, best + 1) / kSamples;
  const double r = (std::sqrt(5.0) - 1) / 2;
  while (hi - lo > 1e-7) {
    const double m1 = hi - r * (hi - lo), m2 = lo + r * (hi - lo);
    if (at(m1) < at(m2)) hi = m2; else lo = m1;
  }
  return std::min(best_d, at((lo + hi) / 2));
}

TEST(GeodesyTest, DistancesBetweenIdlibTowns) {
  // Saraqib-Ariha ~19.3 km, Ariha-Jisr al-Shughur ~25.5 km (geodesic).
  const double sa = GeodesicDistanceM(kSaraqib, kAriha);
  EXPECT_GT(sa, 19000);
  EXPECT_LT(sa, 20000);
  EXPECT_NEAR(GeodesicDistanceM(kAriha, kSaraqib), sa, 1e-6);
  EXPECT_EQ(GeodesicDistanceM(kAriha, kAriha), 0);
  // One degree of latitude at the equator is 110574 m on WGS84.
  EXPECT_NEAR(GeodesicDistanceM({0, 0}, {1, 0}), 110574.4, 0.5);
  // Direct then inverse comes back.
  const LatLon q = GeodesicDirect(kAriha, 90, 6000);
  EXPECT_NEAR(GeodesicDistanceM(kAriha, q), 6000, 1e-6);
  EXPECT_GT(q.lon_deg, kAriha.lon_deg);
}

TEST(GeodesyTest, SegmentDistanceSimpleCases) {
  // On a vertex, on the segment, beyond each end.
  SegmentDistance d = DistanceToGeodesicSegment(kAriha, kJisr, kSaraqib);
  EXPECT_GT(d.distance_m, 0);  // Ariha lies south of the Jisr-Saraqib geodesic
  d = DistanceToGeodesicSegment(kJisr, kJisr, kSaraqib);
  EXPECT_NEAR(d.distance_m, 0, 1e-6);
  EXPECT_NEAR(d.fraction, 0, 1e-9);
  d = DistanceToGeodesicSegment(kSaraqib, kJisr, kSaraqib);
  EXPECT_NEAR(d.distance_m, 0, 1e-6);
  EXPECT_NEAR(d.fraction, 1, 1e-9);
  // A point 3 km north of the segment's middle.
  const double len = GeodesicDistanceM(kJisr, kSaraqib);
  double lat, lon, azi;
  GeographicLib::Geodesic::WGS84().InverseLine(kJisr.lat_deg, kJisr.lon_deg, kSaraqib.lat_deg, kSaraqib.lon_deg)
      .Position(len / 2, lat, lon, azi);
  const LatLon north = GeodesicDirect({lat, lon}, azi - 90, 3000);
  d = DistanceToGeodesicSegment(north, kJisr, kSaraqib);
  EXPECT_NEAR(d.distance_m, 3000, 1e-3);
  EXPECT_NEAR(d.fraction, 0.5, 1e-6);
  // Beyond the start: the distance is to the start.
  const LatLon west = GeodesicDirect(kJisr, 270, 5000);
  d = DistanceToGeodesicSegment(west, kJisr, kSaraqib);
  EXPECT_NEAR(d.distance_m, GeodesicDistanceM(west, kJisr), 1e-6);
  EXPECT_EQ(d.fraction, 0);
  // Degenerate segment: the distance to the point.
  d = DistanceToGeodesicSegment(kSaraqib, kAriha, kAriha);
  EXPECT_NEAR(d.distance_m, GeodesicDistanceM(kSaraqib, kAriha), 1e-6);
  EXPECT_EQ(d.fraction, 0);
}

TEST(GeodesyTest, SegmentDistanceMatchesBruteForce) {
  std::mt19937 rng(20200305);
  std::uniform_real_distribution<double> lat_dist(0, 70), lon_dist(-20, 60), azi_dist(-180, 180),
      len_exp(1, std::log10(200e3)), unit(0, 1);
  int checked = 0;
  for (int i = 0; i < 300; ++i) {
    const LatLon a{lat_dist(rng), lon_dist(rng)};
    const double len = std::pow(10.0, len_exp(rng));  // 10 m .. 200 km
    const LatLon b = GeodesicDirect(a, azi_dist(rng), len);
    // p near the segment: from a point along it, off by up to 3 lengths (and at
    // least a few metres), sometimes beyond the ends.
    const double along = (unit(rng) * 1.6 - 0.3) * len;
    const GeographicLib::GeodesicLine line = GeographicLib::Geodesic::WGS84().InverseLine(
        a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg);
    LatLon on;
    line.Position(along, on.lat_deg, on.lon_deg);
    const double off = unit(rng) < 0.1 ? 0 : std::pow(10.0, unit(rng) * 5.5);  // 0, or 1 m .. 300 km
    const LatLon p = GeodesicDirect(on, azi_dist(rng), off);
    const SegmentDistance got = DistanceToGeodesicSegment(p, a, b);
    const double want = BruteForceDistance(p, a, b);
    ASSERT_NEAR(got.distance_m, want, 1e-3) << "case " << i << " len " << len << " off " << off;
    ASSERT_GE(got.fraction, 0);
    ASSERT_LE(got.fraction, 1);
    // The fraction names the closest point.
    LatLon foot;
    line.Position(got.fraction * len, foot.lat_deg, foot.lon_deg);
    ASSERT_NEAR(GeodesicDistanceM(p, foot), got.distance_m, 1e-3);
    ++checked;
  }
  EXPECT_EQ(checked, 300);
}

TEST(GeodesyTest, BoxesGrowConservatively) {
  BBox box;
  EXPECT_FALSE(box.Contains(kAriha));  // empty
  box.Extend(kJisr);
  box.Extend(kSaraqib);
  EXPECT_TRUE(box.Contains(kAriha));
  EXPECT_EQ(box.min_lon_deg, kJisr.lon_deg);
  EXPECT_EQ(box.max_lat_deg, kSaraqib.lat_deg);
  const BBox grown = box.Expanded(6000);
  // Every point 6 km from a corner in any direction is in the grown box.
  for (const LatLon corner : {LatLon{box.min_lat_deg, box.min_lon_deg}, LatLon{box.max_lat_deg, box.max_lon_deg},
                              LatLon{box.min_lat_deg, box.max_lon_deg}, LatLon{box.max_lat_deg, box.min_lon_deg}}) {
    for (double azi = -180; azi < 180; azi += 5) {
      EXPECT_TRUE(grown.Contains(GeodesicDirect(corner, azi, 6000))) << azi;
    }
  }
  // ... but not much bigger: 6.1 km due north of the top edge is outside.
  EXPECT_FALSE(grown.Contains(GeodesicDirect({box.max_lat_deg, 36.5}, 0, 6100)));
  EXPECT_TRUE(grown.Contains(GeodesicDirect({box.max_lat_deg, 36.5}, 0, 5900)));
  EXPECT_EQ(BBox().Expanded(1000).min_lat_deg, 90);  // empty stays empty
  // Near a pole every longitude is in.
  BBox polar;
  polar.Extend({89.95, 10});
  EXPECT_EQ(polar.Expanded(1000).min_lon_deg, -180);
}

TEST(GeodesyTest, ContainmentNames) {
  EXPECT_STREQ(ContainmentName(Containment::kInside), "inside");
  EXPECT_STREQ(ContainmentName(Containment::kOutside), "outside");
  EXPECT_STREQ(ContainmentName(Containment::kStraddles), "straddles");
  EXPECT_STREQ(ZoneShapeName(ZoneShape::kPolygon), "polygon");
  EXPECT_STREQ(ZoneShapeName(ZoneShape::kCorridor), "corridor");
  EXPECT_STREQ(ZoneShapeName(ZoneShape::kBand), "band");
  EXPECT_STREQ(ZoneShapeName(ZoneShape::kCircle), "circle");
}

}  // namespace
}  // namespace truce::geo
