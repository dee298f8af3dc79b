#include "truce/geo/polygon_cells.h"

#include <gtest/gtest.h>

#include <random>

namespace truce::geo {
namespace {

// A star polygon around `c` (simple: vertices at increasing angles).
Ring Star(LatLon c, double radius_m, int n, std::mt19937* rng) {
  std::uniform_real_distribution<double> jitter(-0.4, 0.4), scale(0.4, 1.0);
  Ring ring;
  for (int k = 0; k < n; ++k) ring.push_back(GeodesicDirect(c, (k + jitter(*rng)) * 360.0 / n, radius_m * scale(*rng)));
  ring.push_back(ring.front());
  return ring;
}

// Points that a grid is likely to get wrong: random ones over the box and
// around it, every vertex, points on edges, and points on the cells' lines.
std::vector<LatLon> Probes(const Zone& z, const ZoneCells& cells, std::mt19937* rng) {
  std::vector<LatLon> out;
  const BBox b = z.bbox().Expanded(2000);
  std::uniform_real_distribution<double> lat(b.min_lat_deg, b.max_lat_deg), lon(b.min_lon_deg, b.max_lon_deg),
      t(0, 1);
  for (int i = 0; i < 20000; ++i) out.push_back({lat(*rng), lon(*rng)});
  for (const Polygon& p : z.polygons()) {
    for (const Ring* ring : {&p.outer}) {
      for (size_t k = 0; k + 1 < ring->size(); ++k) {
        const LatLon a = (*ring)[k], e = (*ring)[k + 1];
        out.push_back(a);
        for (int s = 0; s < 20; ++s) {
          const double f = t(*rng);
          out.push_back({a.lat_deg + f * (e.lat_deg - a.lat_deg), a.lon_deg + f * (e.lon_deg - a.lon_deg)});
        }
      }
    }
  }
  const BBox& zb = z.bbox();
  const int n = cells.cells_per_side();
  for (int k = 0; k <= n; ++k) {
    const double la = zb.min_lat_deg + (zb.max_lat_deg - zb.min_lat_deg) * k / n;
    const double lo = zb.min_lon_deg + (zb.max_lon_deg - zb.min_lon_deg) * k / n;
    for (int s = 0; s < 50; ++s) {
      out.push_back({la, lon(*rng)});
      out.push_back({lat(*rng), lo});
    }
  }
  return out;
}

void ExpectSameAsZone(const Zone& z, const ZoneCells& cells, std::mt19937* rng) {
  int inside = 0;
  for (const LatLon p : Probes(z, cells, rng)) {
    ASSERT_EQ(cells.Contains(z, p), z.Contains(p)) << p.lat_deg << "," << p.lon_deg;
    inside += z.Contains(p);
  }
  EXPECT_GT(inside, 0);
}

TEST(ZoneCellsTest, StarPolygonsAnswerAsTheZone) {
  std::mt19937 rng(7);
  for (int i = 0; i < 20; ++i) {
    const Zone z = Zone::MakePolygons({Polygon{Star({35 + i * 0.1, 36 + i * 0.05}, 20000, 6 + i, &rng), {}}});
    const ZoneCells cells = ZoneCells::Build(z);
    ExpectSameAsZone(z, cells, &rng);
    // Most of the grid is decided without the exact test.
    EXPECT_GT(cells.Count(CellClass::kInside), 64 * 64 / 8) << i;
    EXPECT_GT(cells.Count(CellClass::kOutside), 64 * 64 / 8) << i;
    EXPECT_LT(cells.Count(CellClass::kBoundary), 64 * 64 / 3) << i;
  }
}

TEST(ZoneCellsTest, AHoleIsOutside) {
  std::mt19937 rng(3);
  const Ring outer = {{35, 36}, {35, 36.5}, {35.5, 36.5}, {35.5, 36}, {35, 36}};
  const Ring hole = {{35.1, 36.1}, {35.4, 36.1}, {35.4, 36.4}, {35.1, 36.4}, {35.1, 36.1}};
  const Zone z = Zone::MakePolygons({Polygon{outer, {hole}}});
  const ZoneCells cells = ZoneCells::Build(z, 32);
  ExpectSameAsZone(z, cells, &rng);
  EXPECT_EQ(cells.Classify({35.25, 36.25}), CellClass::kOutside);
  EXPECT_EQ(cells.Classify({35.05, 36.25}), CellClass::kInside);  // between the rings, far from both
  EXPECT_TRUE(cells.Contains(z, {35, 36.25}));  // on the outer edge: CLOSED
  EXPECT_TRUE(cells.Contains(z, {35.1, 36.25}));  // on the hole's edge: CLOSED
  EXPECT_EQ(cells.Classify({34, 36}), CellClass::kOutside);  // off the box
}

TEST(ZoneCellsTest, CorridorsByDistanceBands) {
  std::mt19937 rng(5);
  for (int i = 0; i < 4; ++i) {
    const LatLon a{35 + i * 0.2, 36};
    const Zone z = Zone::MakeCorridor({a, GeodesicDirect(a, 40.0 + i * 20, 60000), GeodesicDirect(a, 80, 120000)},
                                      1000 + 2000 * i);
    const ZoneCells cells = ZoneCells::Build(z);
    ExpectSameAsZone(z, cells, &rng);
    EXPECT_GT(cells.Count(CellClass::kOutside), 64 * 64 / 2) << i;
  }
}

// MayMeet is false only for a rectangle that holds no point of the zone.
TEST(ZoneCellsTest, MayMeetIsFalseOnlyWhereTheZoneIsNot) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> unit(0, 1);
  const LatLon a{36.0, 36.0};
  const std::vector<Zone> zones = {
      Zone::MakeCorridor({a, GeodesicDirect(a, 40, 150000)}, 4000),
      Zone::MakePolygons({Polygon{{{36.0, 36.0}, {36.0, 36.6}, {36.05, 36.6}, {36.5, 36.05}, {36.5, 36.0}, {36.0, 36.0}}, {}}}),
  };
  for (const Zone& zone : zones) {
    const ZoneCells cells = ZoneCells::Build(zone);
    const BBox& b = zone.bbox();
    int met = 0, missed = 0;
    for (int q = 0; q < 400; ++q) {
      BBox rect;
      const double size_deg = 0.02 + 0.1 * unit(rng);
      rect.min_lat_deg = b.min_lat_deg - 0.1 + (b.max_lat_deg - b.min_lat_deg + 0.2) * unit(rng);
      rect.min_lon_deg = b.min_lon_deg - 0.1 + (b.max_lon_deg - b.min_lon_deg + 0.2) * unit(rng);
      rect.max_lat_deg = rect.min_lat_deg + size_deg;
      rect.max_lon_deg = rect.min_lon_deg + size_deg;
      if (cells.MayMeet(rect)) {
        ++met;
        continue;
      }
      ++missed;
      for (int k = 0; k <= 20; ++k) {
        for (int m = 0; m <= 20; ++m) {
          const LatLon p{rect.min_lat_deg + size_deg * k / 20, rect.min_lon_deg + size_deg * m / 20};
          ASSERT_FALSE(zone.Contains(p)) << q << " " << p.lat_deg << "," << p.lon_deg;
        }
      }
    }
    EXPECT_GT(met, 20);
    EXPECT_GT(missed, 20);
  }
  EXPECT_FALSE(ZoneCells().MayMeet(zones[0].bbox()));  // an empty grid meets nothing
}

TEST(ZoneCellsTest, CirclesAndEmptyZonesTakeTheExactTest) {
  std::mt19937 rng(9);
  const Zone circle = Zone::MakeCircle({35, 36}, 5000);
  const ZoneCells cells = ZoneCells::Build(circle);
  EXPECT_EQ(cells.Count(CellClass::kBoundary), 64 * 64);
  ExpectSameAsZone(circle, cells, &rng);
  const ZoneCells none;
  EXPECT_EQ(none.Classify({35, 36}), CellClass::kOutside);
}

}  // namespace
}  // namespace truce::geo
