// Zones of several polygons are one area (issue 12): shared borders are not
// edges, holes stay holes, disjoint parts stay parts.
#include <gtest/gtest.h>

#include <cmath>

#include "testing.h"
#include "truce/geo/geo.h"

namespace truce::geo {
namespace {

using geo_testing::R;

// Two 0.5 x 0.5 degree squares sharing the meridian 37.0 (Idlib's latitudes).
const Ring kWest = R({{35.5, 36.5}, {35.5, 37.0}, {36.0, 37.0}, {36.0, 36.5}});
const Ring kEast = R({{35.5, 37.0}, {35.5, 37.5}, {36.0, 37.5}, {36.0, 37.0}});

TEST(AreaUnionTest, SharedBorderIsNotAnEdge) {
  const LatLon near_border = GeodesicDirect({35.75, 37.0}, 270, 1000);  // 1 km west of it
  // Alone, the west square's east edge is 1 km away: a 20 km disc straddles it.
  const Zone west_only = Zone::MakePolygons({Polygon{kWest, {}}});
  EXPECT_EQ(west_only.Relate(near_border, 20000).containment, Containment::kStraddles);

  Result<Zone> both = Zone::MakeArea({Polygon{kWest, {}}, Polygon{kEast, {}}});
  ASSERT_TRUE(both.ok()) << both.status().ToString();
  ASSERT_EQ(both->polygons().size(), 1u);
  EXPECT_TRUE(both->polygons()[0].holes.empty());
  const ZoneRelation r = both->Relate(near_border, 20000);
  EXPECT_TRUE(r.center_inside);
  EXPECT_EQ(r.containment, Containment::kInside);
  // The nearest edge is now the outer one, a quarter degree south (or north):
  // the same as for the one ring through the same vertices.
  const Zone reference = Zone::MakePolygons({Polygon{
      R({{35.5, 36.5}, {35.5, 37.0}, {35.5, 37.5}, {36.0, 37.5}, {36.0, 37.0}, {36.0, 36.5}}), {}}});
  EXPECT_NEAR(r.edge_distance_m, reference.Relate(near_border, 0).edge_distance_m, 1e-6);
  EXPECT_GT(r.edge_distance_m, 27000);
  // Outside, distances are to the union as well.
  const LatLon east_of_all = GeodesicDirect({35.75, 37.5}, 90, 1000);
  EXPECT_NEAR(both->DistanceM(east_of_all), 1000, 1e-3);
  // A point on the former border is inside, and far from any edge.
  EXPECT_TRUE(both->Contains({35.75, 37.0}));
  EXPECT_GT(both->Relate({35.75, 37.0}, 0).edge_distance_m, 27000);
}

TEST(AreaUnionTest, MakePolygonsJoinsToo) {
  const Zone z = Zone::MakePolygons({Polygon{kWest, {}}, Polygon{kEast, {}}});
  ASSERT_EQ(z.polygons().size(), 1u);
  EXPECT_EQ(z.Relate(GeodesicDirect({35.75, 37.0}, 90, 1000), 20000).containment, Containment::kInside);
}

TEST(AreaUnionTest, HolesStayHoles) {
  const Ring hole = R({{35.625, 36.625}, {35.625, 36.875}, {35.875, 36.875}, {35.875, 36.625}});
  Result<Zone> z = Zone::MakeArea({Polygon{kWest, {hole}}, Polygon{kEast, {}}});
  ASSERT_TRUE(z.ok()) << z.status().ToString();
  ASSERT_EQ(z->polygons().size(), 1u);
  EXPECT_EQ(z->polygons()[0].holes.size(), 1u);
  EXPECT_FALSE(z->Contains({35.75, 36.75}));  // in the hole
  EXPECT_TRUE(z->Contains({35.625, 36.75}));  // on its edge: the zone's edge (closed)
  // 1 km inside the hole's east edge, from the zone's side: the hole's edge is near.
  const LatLon beside_hole = GeodesicDirect({35.75, 36.875}, 90, 1000);
  const ZoneRelation r = z->Relate(beside_hole, 5000);
  EXPECT_TRUE(r.center_inside);
  EXPECT_NEAR(r.edge_distance_m, 1000, 1);
  EXPECT_EQ(r.containment, Containment::kStraddles);
}

TEST(AreaUnionTest, AHoleMadeByTheUnionStays) {
  // Four bars round an empty square: the square is a hole of the union.
  const Ring south = R({{35.0, 36.0}, {35.0, 37.0}, {35.25, 37.0}, {35.25, 36.0}});
  const Ring north = R({{35.75, 36.0}, {35.75, 37.0}, {36.0, 37.0}, {36.0, 36.0}});
  const Ring west = R({{35.25, 36.0}, {35.25, 36.25}, {35.75, 36.25}, {35.75, 36.0}});
  const Ring east = R({{35.25, 36.75}, {35.25, 37.0}, {35.75, 37.0}, {35.75, 36.75}});
  Result<Zone> z = Zone::MakeArea({{south, {}}, {north, {}}, {west, {}}, {east, {}}});
  ASSERT_TRUE(z.ok()) << z.status().ToString();
  ASSERT_EQ(z->polygons().size(), 1u);
  EXPECT_EQ(z->polygons()[0].holes.size(), 1u);
  EXPECT_FALSE(z->Contains({35.5, 36.5}));
  EXPECT_GT(z->DistanceM({35.5, 36.5}), 20000);
}

TEST(AreaUnionTest, SliversBetweenNeighboursClose) {
  // Neighbours whose common border was drawn twice, `gap_deg` apart, closed by
  // bars north and south: the gap is a hole of the union, a sliver when thin.
  auto area = [](double gap_deg) {
    const Ring west = R({{35.5, 36.5}, {35.5, 37.0}, {36.0, 37.0}, {36.0, 36.5}});
    const Ring east = R({{35.5, 37.0 + gap_deg}, {35.5, 37.5}, {36.0, 37.5}, {36.0, 37.0 + gap_deg}});
    const Ring south = R({{35.4, 36.5}, {35.4, 37.5}, {35.5, 37.5}, {35.5, 36.5}});
    const Ring north = R({{36.0, 36.5}, {36.0, 37.5}, {36.1, 37.5}, {36.1, 36.5}});
    return Zone::MakeArea({{west, {}}, {east, {}}, {south, {}}, {north, {}}});
  };
  Result<Zone> sliver = area(1e-6);  // ~0.09 m wide
  ASSERT_TRUE(sliver.ok()) << sliver.status().ToString();
  ASSERT_EQ(sliver->polygons().size(), 1u);
  EXPECT_TRUE(sliver->polygons()[0].holes.empty());
  EXPECT_EQ(sliver->Relate({35.75, 36.9}, 20000).containment, Containment::kInside);

  Result<Zone> wider = area(5e-5);  // ~4.5 m wide: still a sliver
  ASSERT_TRUE(wider.ok()) << wider.status().ToString();
  EXPECT_TRUE(wider->polygons()[0].holes.empty());

  Result<Zone> gap = area(1e-3);  // ~90 m wide: a real gap
  ASSERT_TRUE(gap.ok()) << gap.status().ToString();
  ASSERT_EQ(gap->polygons().size(), 1u);
  EXPECT_EQ(gap->polygons()[0].holes.size(), 1u);
  EXPECT_EQ(gap->Relate({35.75, 36.9}, 20000).containment, Containment::kStraddles);
}

TEST(AreaUnionTest, DisjointPartsStayParts) {
  const Ring far_east = R({{35.5, 38.0}, {35.5, 38.5}, {36.0, 38.5}, {36.0, 38.0}});
  Result<Zone> z = Zone::MakeArea({Polygon{kWest, {}}, Polygon{far_east, {}}});
  ASSERT_TRUE(z.ok()) << z.status().ToString();
  EXPECT_EQ(z->polygons().size(), 2u);
  EXPECT_TRUE(z->Contains({35.75, 36.75}));
  EXPECT_TRUE(z->Contains({35.75, 38.25}));
  const LatLon between{35.75, 37.5};  // half a degree from each
  EXPECT_FALSE(z->Contains(between));
  EXPECT_NEAR(z->DistanceM(between), GeodesicDistanceM(between, {35.75, 37.0}), 50);
  EXPECT_LE(z->bbox().min_lon_deg, 36.5);
  EXPECT_GE(z->bbox().max_lon_deg, 38.5);
}

TEST(AreaUnionTest, DisjointPartsInEachOthersBoxStayParts) {
  // An L and a square in its crook, 0.1 degree apart: the boxes meet, the parts do not.
  const Ring ell = R({{35.0, 36.0}, {35.0, 37.0}, {35.25, 37.0}, {35.25, 36.25}, {36.0, 36.25}, {36.0, 36.0}});
  const Ring square = R({{35.35, 36.35}, {35.35, 37.0}, {36.0, 37.0}, {36.0, 36.35}});
  Result<Zone> z = Zone::MakeArea({Polygon{ell, {}}, Polygon{square, {}}});
  ASSERT_TRUE(z.ok()) << z.status().ToString();
  EXPECT_EQ(z->polygons().size(), 2u);
  EXPECT_FALSE(z->Contains({35.3, 36.6}));  // in the gap between them
  EXPECT_TRUE(z->Contains({35.1, 36.6}));
  EXPECT_TRUE(z->Contains({35.6, 36.6}));
}

TEST(AreaUnionTest, OverlapsMerge) {
  // The east square shifted west by a tenth of a degree overlaps the west one.
  const Ring overlapping = R({{35.5, 36.9}, {35.5, 37.4}, {36.0, 37.4}, {36.0, 36.9}});
  Result<Zone> z = Zone::MakeArea({Polygon{kWest, {}}, Polygon{overlapping, {}}});
  ASSERT_TRUE(z.ok()) << z.status().ToString();
  ASSERT_EQ(z->polygons().size(), 1u);
  // Near both former inner edges (36.9 and 37.0), neither is an edge now.
  EXPECT_EQ(z->Relate({35.75, 36.95}, 20000).containment, Containment::kInside);
}

TEST(AreaUnionTest, TheOutlineIsTheUnion) {
  const Zone z = Zone::MakePolygons({Polygon{kWest, {}}, Polygon{kEast, {}}});
  const std::vector<Polygon> outline = ZoneOutline(z);
  ASSERT_EQ(outline.size(), 1u);
  EXPECT_TRUE(outline[0].holes.empty());
  // No vertex of the outline lies inside the outer boundary: the shared border is gone.
  for (const LatLon& v : outline[0].outer) {
    const bool on_outer = v.lat_deg == 35.5 || v.lat_deg == 36.0 || v.lon_deg == 36.5 || v.lon_deg == 37.5;
    EXPECT_TRUE(on_outer) << v.lat_deg << ", " << v.lon_deg;
  }
}

TEST(AreaUnionTest, OnePolygonIsKeptAsItIs) {
  Result<std::vector<Polygon>> u = UnionPolygons({Polygon{kWest, {}}});
  ASSERT_TRUE(u.ok());
  ASSERT_EQ(u->size(), 1u);
  EXPECT_EQ((*u)[0].outer, kWest);
}

}  // namespace
}  // namespace truce::geo
