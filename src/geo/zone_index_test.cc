#include <gtest/gtest.h>

#include <algorithm>

#include <random>

#include "truce/geo/geo.h"
#include "truce/geo/polygon_cells.h"

namespace truce::geo {
namespace {

Ring Square(LatLon sw, double size_deg) {
  return {sw, {sw.lat_deg, sw.lon_deg + size_deg}, {sw.lat_deg + size_deg, sw.lon_deg + size_deg},
          {sw.lat_deg + size_deg, sw.lon_deg}, sw};
}

TEST(ZoneIndexTest, CandidatesMatchBruteForceOnRandomZones) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> lat(35.0, 37.0), lon(35.5, 38.5), size(0.001, 0.3), kind(0, 1);
  std::vector<Zone> zones;
  for (int i = 0; i < 1200; ++i) {
    const LatLon c{lat(rng), lon(rng)};
    const double k = kind(rng);
    if (k < 0.5) {
      zones.push_back(Zone::MakePolygons({Polygon{Square(c, size(rng)), {}}}));
    } else if (k < 0.8) {
      zones.push_back(Zone::MakeCorridor({c, GeodesicDirect(c, 360 * kind(rng), 30000 * kind(rng))}, 3000 * kind(rng)));
    } else {
      zones.push_back(Zone::MakeCircle(c, 20000 * kind(rng)));
    }
  }
  std::vector<const Zone*> ptrs;
  for (const Zone& z : zones) ptrs.push_back(&z);
  for (double margin : {0.0, 25000.0}) {
    ZoneIndex index;
    index.Build(ptrs, margin);
    std::vector<int> got, want;
    std::uniform_real_distribution<double> qlat(34.5, 37.5), qlon(35.0, 39.0);
    long long total = 0;
    for (int q = 0; q < 3000; ++q) {
      const LatLon p{qlat(rng), qlon(rng)};
      index.Candidates(p, &got);
      want.clear();
      for (size_t i = 0; i < zones.size(); ++i) {
        if (zones[i].bbox().Expanded(margin).Contains(p)) want.push_back(static_cast<int>(i));
      }
      ASSERT_EQ(got, want) << q;
      total += static_cast<long long>(got.size());
      // Every zone that contains the point, or is within the margin, is a candidate.
      for (size_t i = q % 7; q < 300 && i < zones.size(); i += 7) {
        if (zones[i].DistanceM(p) <= margin) {
          ASSERT_TRUE(std::binary_search(got.begin(), got.end(), static_cast<int>(i))) << q << " zone " << i;
        }
      }
    }
    EXPECT_GT(total, 3000);  // the test has something to find
  }
}

// With the zones' cells, an exact point's candidates leave out zones far from
// its grid cell, and never one that holds the point or is within the margin;
// a point with a radius still gets every box that holds it.
TEST(ZoneIndexTest, ExactPointsSkipZonesFarFromTheirCell) {
  std::mt19937 rng(29);
  std::uniform_real_distribution<double> lat(35.0, 37.0), lon(35.5, 38.5), unit(0, 1);
  std::vector<Zone> zones;
  for (int i = 0; i < 300; ++i) {
    const LatLon c{lat(rng), lon(rng)};
    if (i % 3 == 0) {
      zones.push_back(Zone::MakePolygons({Polygon{Square(c, 0.05 + 0.3 * unit(rng)), {}}}));
    } else {  // long diagonal corridors: large boxes, mostly empty
      zones.push_back(Zone::MakeCorridor({c, GeodesicDirect(c, 20 + 50 * unit(rng), 60000 + 140000 * unit(rng))},
                                         1000 + 9000 * unit(rng)));
    }
  }
  std::vector<const Zone*> ptrs;
  std::vector<ZoneCells> cells;
  for (const Zone& z : zones) {
    ptrs.push_back(&z);
    cells.push_back(ZoneCells::Build(z));
  }
  std::uniform_real_distribution<double> qlat(34.5, 38.5), qlon(35.0, 40.0);
  for (double margin : {0.0, 5000.0}) {
    ZoneIndex plain, classified;
    plain.Build(ptrs, margin);
    classified.Build(ptrs, margin, &cells);
    long long boxes = 0, exact = 0, near = 0;
    std::vector<int> all, got, radius;
    for (int q = 0; q < 1500; ++q) {
      const LatLon p{qlat(rng), qlon(rng)};
      plain.Candidates(p, &all);
      classified.Candidates(p, &got, /*exact_point=*/true);
      classified.Candidates(p, &radius);
      ASSERT_EQ(radius, all) << q;
      ASSERT_TRUE(std::includes(all.begin(), all.end(), got.begin(), got.end())) << q;
      for (int i : all) {
        if (zones[i].Contains(p) || zones[i].DistanceM(p) <= margin) {
          ++near;
          ASSERT_TRUE(std::binary_search(got.begin(), got.end(), i)) << q << " zone " << i;
        }
      }
      boxes += static_cast<long long>(all.size());
      exact += static_cast<long long>(got.size());
    }
    EXPECT_GT(near, 50) << margin;           // points in and near zones were tried
    EXPECT_LT(exact * 4, boxes * 3) << margin;  // and over a quarter of the box candidates were far
  }
}

TEST(ZoneIndexTest, OutsideTheExtentAndEmpty) {
  const Zone a = Zone::MakeCircle({35.8645, 36.8059}, 5000);
  ZoneIndex index;
  index.Build({&a}, 1000);
  std::vector<int> out = {99};
  index.Candidates({35.8645, 36.8059}, &out);
  EXPECT_EQ(out, std::vector<int>{0});
  index.Candidates({10, 10}, &out);
  EXPECT_TRUE(out.empty());
  ZoneIndex empty;
  empty.Build({}, 1000);
  empty.Candidates({35.8645, 36.8059}, &out);
  EXPECT_TRUE(out.empty());
  ZoneIndex unbuilt;
  unbuilt.Candidates({35.8645, 36.8059}, &out);
  EXPECT_TRUE(out.empty());
}

TEST(ZoneIndexTest, WorldWideZonesStillWork) {
  const Zone world = Zone::MakePolygons({Polygon{{{-80, -170}, {-80, 170}, {80, 170}, {80, -170}, {-80, -170}}, {}}});
  const Zone idlib = Zone::MakeCircle({35.8645, 36.8059}, 5000);
  ZoneIndex index;
  index.Build({&world, &idlib}, 0);
  std::vector<int> out;
  index.Candidates({35.8645, 36.8059}, &out);
  EXPECT_EQ(out, (std::vector<int>{0, 1}));
  index.Candidates({-50, 100}, &out);
  EXPECT_EQ(out, std::vector<int>{0});
}

}  // namespace
}  // namespace truce::geo
