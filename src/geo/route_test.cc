#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/GeodesicLine.hpp>
#include <gtest/gtest.h>

#include <algorithm>

#include "testing.h"
#include "truce/geo/geo.h"

namespace truce::geo {
namespace {

using geo_testing::kAriha;
using geo_testing::kJisr;
using geo_testing::kM4;
using geo_testing::kSaraqib;

// The route's points every `step_m` from `from_m` to `to_m` (both included),
// moved `off_m` to the left of it.
LineString Shifted(const Route& route, double from_m, double to_m, double off_m, double step_m = 250) {
  LineString out;
  for (double s = from_m;; s = std::min(to_m, s + step_m)) {
    const double s0 = std::min(s, route.length_m() - 1);
    const LineString piece = route.Slice(s0, s0 + 1);
    const LatLon a = piece.front(), b = piece.back();
    double azi, unused;
    GeographicLib::Geodesic::WGS84().Inverse(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg, unused, azi, unused);
    const LatLon on = s0 == s ? a : b;
    out.push_back(off_m == 0 ? on : GeodesicDirect(on, azi - 90, off_m));
    if (s >= to_m) break;
  }
  return out;
}

TEST(RouteTest, LengthAndAlong) {
  const Route r(kM4);
  const double first = GeodesicDistanceM(kJisr, kAriha), second = GeodesicDistanceM(kAriha, kSaraqib);
  EXPECT_NEAR(r.length_m(), first + second, 1e-6);
  EXPECT_NEAR(r.AlongM(kJisr), 0, 1e-6);
  EXPECT_NEAR(r.AlongM(kAriha), first, 1e-6);
  EXPECT_NEAR(r.AlongM(kSaraqib), r.length_m(), 1e-6);
  EXPECT_NEAR(r.AlongM(GeodesicDirect(kJisr, 270, 3000)), 0, 1e-6);  // before the start
  // 2 km off the middle of the second leg.
  const LineString mid = Shifted(r, first + second / 2, first + second / 2, 2000);
  EXPECT_NEAR(r.AlongM(mid[0]), first + second / 2, 0.01);
  EXPECT_EQ(Route({}).length_m(), 0);
  EXPECT_EQ(Route({kAriha}).length_m(), 0);
}

TEST(RouteTest, Slices) {
  const Route r(kM4);
  const double first = GeodesicDistanceM(kJisr, kAriha);
  const LineString s = r.Slice(1000, r.length_m() - 1000);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[1], kAriha);
  EXPECT_NEAR(GeodesicDistanceM(kJisr, s.front()), 1000, 1e-6);
  EXPECT_NEAR(GeodesicDistanceM(s.back(), kSaraqib), 1000, 1e-6);
  EXPECT_NEAR(Route(s).length_m(), r.length_m() - 2000, 1e-6);
  const LineString head = r.Slice(-50, first / 2);  // clamped at the start
  ASSERT_EQ(head.size(), 2u);
  EXPECT_EQ(head[0], kJisr);
  EXPECT_NEAR(Route(head).length_m(), first / 2, 1e-6);
  const LineString all = r.Slice(0, 1e9);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all.back(), kSaraqib);
  EXPECT_TRUE(r.Slice(5000, 4000).empty());
}

TEST(RouteTest, TrackAlongTheFirstThirdCoversAThird) {
  const Route r(kM4);
  const double third = r.length_m() / 3;
  // A patrol 60 m beside the road for the first third.
  const LineString track = Shifted(r, 0, third, 60);
  auto intervals = r.CoveredIntervals(track, 100, 100);
  ASSERT_EQ(intervals.size(), 1u);
  EXPECT_EQ(intervals[0].first, 0);
  EXPECT_NEAR(intervals[0].second, third, 100);
  EXPECT_NEAR(r.CoveredFraction(track, 100, 100), 1.0 / 3, 100 / r.length_m());
  // Too far beside the road for a 50 m tolerance.
  EXPECT_EQ(r.CoveredFraction(track, 50, 100), 0);
  // The same patrol with a coarser step still covers about a third.
  EXPECT_NEAR(r.CoveredFraction(track, 100, 1000), 1.0 / 3, 1000 / r.length_m());
}

TEST(RouteTest, GapsMakeSeparateIntervals) {
  const Route r(kM4);
  const double len = r.length_m();
  LineString first = Shifted(r, 0, 0.2 * len, 0), second = Shifted(r, 0.6 * len, len, -30);
  // Two tracks joined by a long detour far to the north: the detour covers nothing.
  LineString track = first;
  track.push_back(GeodesicDirect(track.back(), 0, 20000));
  track.push_back(GeodesicDirect(second.front(), 0, 20000));
  track.insert(track.end(), second.begin(), second.end());
  auto intervals = r.CoveredIntervals(track, 100, 100);
  ASSERT_EQ(intervals.size(), 2u);
  EXPECT_NEAR(intervals[0].second, 0.2 * len, 100);
  EXPECT_NEAR(intervals[1].first, 0.6 * len, 100);
  EXPECT_EQ(intervals[1].second, len);
  EXPECT_NEAR(r.CoveredFraction(track, 100, 100), 0.6, 200 / len);
}

TEST(RouteTest, DegenerateTracks) {
  const Route r(kM4);
  EXPECT_EQ(r.CoveredFraction({}, 100), 0);
  EXPECT_TRUE(r.CoveredIntervals({}, 100).empty());
  EXPECT_EQ(r.CoveredFraction({GeodesicDirect(kAriha, 0, 30000)}, 100), 0);
  // One position at Ariha covers the samples within the tolerance around it.
  auto one = r.CoveredIntervals({kAriha}, 250, 100);
  ASSERT_EQ(one.size(), 1u);
  const double at = GeodesicDistanceM(kJisr, kAriha);
  EXPECT_NEAR(one[0].first, at - 250, 100);
  EXPECT_NEAR(one[0].second, at + 250, 100);
  EXPECT_EQ(Route({}).CoveredFraction({kAriha}, 100), 0);
  EXPECT_EQ(r.CoveredFraction(kM4, 1, 100), 1);  // the route covers itself
}

}  // namespace
}  // namespace truce::geo
