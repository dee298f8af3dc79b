#include <gtest/gtest.h>

#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/GeodesicLine.hpp>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <numbers>
#include <random>
#include <sstream>
#include <string>

#include "testing.h"
#include "truce/geo/geo.h"

namespace truce::geo {
namespace {

using geo_testing::Abreast;
using geo_testing::kAriha;
using geo_testing::kJisr;
using geo_testing::kSaraqib;

const LatLon kMaarrat{35.6461, 36.6732};

// Twice the signed area in the lon/lat plane: > 0 counterclockwise.
double SignedArea2(const Ring& ring) {
  double a = 0;
  for (size_t i = 0; i + 1 < ring.size(); ++i) {
    a += ring[i].lon_deg * ring[i + 1].lat_deg - ring[i + 1].lon_deg * ring[i].lat_deg;
  }
  return a;
}

double DistanceToLineM(LatLon p, const LineString& line) {
  double d = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i + 1 < line.size(); ++i) {
    d = std::min(d, DistanceToGeodesicSegment(p, line[i], line[i + 1]).distance_m);
  }
  return d;
}

// Every ring closed and valid, outer counterclockwise, holes clockwise.
void ExpectWellFormed(const std::vector<Polygon>& polys) {
  ASSERT_FALSE(polys.empty());
  for (const Polygon& p : polys) {
    ASSERT_GE(p.outer.size(), 4u);
    EXPECT_EQ(p.outer.front(), p.outer.back());
    EXPECT_GT(SignedArea2(p.outer), 0);
    for (const Ring& h : p.holes) {
      ASSERT_GE(h.size(), 4u);
      EXPECT_EQ(h.front(), h.back());
      EXPECT_LT(SignedArea2(h), 0);
    }
  }
  const Status valid = ValidatePolygons(polys);
  EXPECT_TRUE(valid.ok()) << valid.ToString();
}

double LongestEdgeM(const std::vector<Polygon>& polys) {
  double longest = 0;
  for (const Polygon& p : polys) {
    for (size_t i = 0; i + 1 < p.outer.size(); ++i)
      longest = std::max(longest, GeodesicDistanceM(p.outer[i], p.outer[i + 1]));
  }
  return longest;
}

// Random points around the zone: those clearly inside the outline (more than
// margin_m from its edge) are in the zone, those clearly outside are not.
// Returns how many points were clearly inside and clearly outside.
std::pair<int, int> ExpectOutlineAgreesWithContains(const Zone& zone, const std::vector<Polygon>& outline,
                                                    double margin_m, int samples, unsigned seed) {
  const Zone drawn = Zone::MakePolygons(outline);
  const BBox box = zone.bbox().Expanded(2 * margin_m);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> lat(box.min_lat_deg, box.max_lat_deg), lon(box.min_lon_deg, box.max_lon_deg);
  int inside = 0, outside = 0;
  for (int i = 0; i < samples; ++i) {
    const LatLon p{lat(rng), lon(rng)};
    const Containment c = drawn.Relate(p, margin_m).containment;
    if (c == Containment::kInside) {
      ++inside;
      EXPECT_TRUE(zone.Contains(p)) << p.lat_deg << " " << p.lon_deg << " is inside the outline";
    } else if (c == Containment::kOutside) {
      ++outside;
      EXPECT_FALSE(zone.Contains(p)) << p.lat_deg << " " << p.lon_deg << " is outside the outline";
    }
  }
  return {inside, outside};
}

TEST(ZoneOutlineTest, CircleVerticesLieOnTheGeodesicCircle) {
  for (double radius_m : {500.0, 5000.0, 50000.0}) {
    const Zone z = Zone::MakeCircle(kSaraqib, radius_m);
    const auto outline = ZoneOutline(z);
    ExpectWellFormed(outline);
    ASSERT_EQ(outline.size(), 1u);
    const Ring& ring = outline[0].outer;
    EXPECT_TRUE(outline[0].holes.empty());
    // At least 64 vertices, and one at least every 1000 m along the circle.
    const size_t expected =
        std::max<size_t>(64, static_cast<size_t>(std::ceil(2 * std::numbers::pi * radius_m / 1000)));
    EXPECT_EQ(ring.size(), expected + 1);
    for (const LatLon& v : ring) EXPECT_NEAR(GeodesicDistanceM(kSaraqib, v), radius_m, 1e-6 * radius_m);
    EXPECT_LE(LongestEdgeM(outline), 1000);
    // The first vertex is due north; the next one turns west (counterclockwise).
    EXPECT_GT(ring[0].lat_deg, kSaraqib.lat_deg);
    EXPECT_NEAR(ring[0].lon_deg, kSaraqib.lon_deg, 1e-9);
    EXPECT_LT(ring[1].lon_deg, kSaraqib.lon_deg);
  }
  // A finer max_segment_m gives more vertices.
  EXPECT_EQ(ZoneOutline(Zone::MakeCircle(kSaraqib, 5000), 100)[0].outer.size(), 315u + 1);
  const Zone z = Zone::MakeCircle(kSaraqib, 5000);
  auto [in, out] = ExpectOutlineAgreesWithContains(z, ZoneOutline(z), 50, 2000, 1);
  EXPECT_GT(in, 100);
  EXPECT_GT(out, 100);
}

TEST(ZoneOutlineTest, CorridorIsTheLineBufferedOnBothSides) {
  // Jisr al-Shughur - Ariha - Saraqib, 6 km either side: a bend at Ariha.
  const LineString m4 = {kJisr, kAriha, kSaraqib};
  const double half_width_m = 6000;
  const Zone z = Zone::MakeCorridor(m4, half_width_m);
  const auto outline = ZoneOutline(z);
  ExpectWellFormed(outline);
  ASSERT_EQ(outline.size(), 1u);
  // Every vertex at the half-width from the line (round caps included).
  for (const LatLon& v : outline[0].outer) {
    EXPECT_NEAR(DistanceToLineM(v, m4), half_width_m, 0.01 * half_width_m) << v.lat_deg << " " << v.lon_deg;
  }
  EXPECT_LE(LongestEdgeM(outline), 1000);
  // Round caps: the outline reaches the half-width beyond each end, along the line.
  const double last_m = GeodesicDistanceM(kAriha, kSaraqib), first_m = GeodesicDistanceM(kJisr, kAriha);
  EXPECT_TRUE(Zone::MakePolygons(outline).Contains(Abreast(kAriha, kSaraqib, 1 + 5900 / last_m, 0)));
  EXPECT_FALSE(Zone::MakePolygons(outline).Contains(Abreast(kAriha, kSaraqib, 1 + 6100 / last_m, 0)));
  EXPECT_TRUE(Zone::MakePolygons(outline).Contains(Abreast(kJisr, kAriha, -5900 / first_m, 0)));
  EXPECT_FALSE(Zone::MakePolygons(outline).Contains(Abreast(kJisr, kAriha, -6100 / first_m, 0)));
  EXPECT_TRUE(Zone::MakePolygons(outline).Contains(Abreast(kJisr, kAriha, 0.5, 5900)));
  EXPECT_TRUE(Zone::MakePolygons(outline).Contains(Abreast(kJisr, kAriha, 0.5, -5900)));
  EXPECT_FALSE(Zone::MakePolygons(outline).Contains(Abreast(kJisr, kAriha, 0.5, 6100)));
  EXPECT_FALSE(Zone::MakePolygons(outline).Contains(Abreast(kJisr, kAriha, 0.5, -6100)));
  auto [in, out] = ExpectOutlineAgreesWithContains(z, outline, 0.01 * half_width_m, 4000, 2);
  EXPECT_GT(in, 500);
  EXPECT_GT(out, 500);
  // A finer max_segment_m gives shorter edges.
  EXPECT_LE(LongestEdgeM(ZoneOutline(z, 250)), 250);
}

TEST(ZoneOutlineTest, LongCorridorKeepsItsWidth) {
  // ~720 km: the local projection's error grows with the distance from its centre.
  const LineString line = {{33.5, 36.3}, {36.2, 37.1}, {39.0, 40.5}};
  const Zone z = Zone::MakeCorridor(line, 10000);
  const auto outline = ZoneOutline(z, 2000);
  ExpectWellFormed(outline);
  for (const LatLon& v : outline[0].outer) EXPECT_NEAR(DistanceToLineM(v, line), 10000, 100);
}

TEST(ZoneOutlineTest, OnePointCorridorIsACircle) {
  const Zone z = Zone::MakeCorridor({kAriha}, 3000);
  const auto outline = ZoneOutline(z);
  ExpectWellFormed(outline);
  ASSERT_EQ(outline.size(), 1u);
  for (const LatLon& v : outline[0].outer) EXPECT_NEAR(GeodesicDistanceM(kAriha, v), 3000, 1e-3);
}

TEST(ZoneOutlineTest, BandLiesOnItsSide) {
  // A line of contact with a bend (Jisr - Ariha - Maarrat: turning south).
  const LineString line = {kJisr, kAriha, kMaarrat};
  const double width_m = 5000;
  for (BandSide side : {BandSide::kLeft, BandSide::kRight}) {
    SCOPED_TRACE(side == BandSide::kLeft ? "left" : "right");
    const Zone z = Zone::MakeBand(line, width_m, side);
    const auto outline = ZoneOutline(z);
    ExpectWellFormed(outline);
    ASSERT_EQ(outline.size(), 1u);
    // Each vertex is on the line, on an end's cap (the perpendicular from an
    // end, nearest to that end) or at the width from the line.
    int on_line = 0, on_caps = 0, at_width = 0;
    for (const LatLon& v : outline[0].outer) {
      const double d = DistanceToLineM(v, line);
      const bool on_cap =
          std::fabs(GeodesicDistanceM(v, line.front()) - d) < 1 || std::fabs(GeodesicDistanceM(v, line.back()) - d) < 1;
      if (d < 1) {
        ++on_line;
      } else if (on_cap && d < 0.99 * width_m) {
        ++on_caps;
      } else {
        ++at_width;
        EXPECT_NEAR(d, width_m, 0.01 * width_m) << v.lat_deg << " " << v.lon_deg;
      }
    }
    EXPECT_GE(on_line, 3);
    EXPECT_GE(on_caps, 2 * 4);  // 5 km caps cut into edges of at most 1 km
    EXPECT_LE(on_caps, 2 * 5);
    EXPECT_GE(at_width, 3);
    // The band's side, not the other.
    const double sign = side == BandSide::kLeft ? 1 : -1;
    const Zone drawn = Zone::MakePolygons(outline);
    for (double f : {0.2, 0.5, 0.8}) {
      EXPECT_TRUE(drawn.Contains(Abreast(kJisr, kAriha, f, sign * 2500)));
      EXPECT_FALSE(drawn.Contains(Abreast(kJisr, kAriha, f, -sign * 2500)));
      EXPECT_TRUE(drawn.Contains(Abreast(kAriha, kMaarrat, f, sign * 4900)));
      EXPECT_FALSE(drawn.Contains(Abreast(kAriha, kMaarrat, f, sign * 5100)));
      EXPECT_TRUE(z.Contains(Abreast(kAriha, kMaarrat, f, sign * 4900)));
    }
    // Flat ends: nothing beyond the line's ends.
    EXPECT_FALSE(drawn.Contains(Abreast(kJisr, kAriha, -0.05, sign * 2500)));
    EXPECT_FALSE(drawn.Contains(Abreast(kAriha, kMaarrat, 1.05, sign * 2500)));
    auto [in, out] = ExpectOutlineAgreesWithContains(z, outline, 0.01 * width_m, 4000, 3);
    EXPECT_GT(in, 300);
    EXPECT_GT(out, 300);
  }
}

LineString ExampleLine(const std::string& name) {
  const std::string path = std::string(TRUCE_SOURCE_DIR) + "/examples/idlib-2020/zones/" + name;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto features = ParseGeoJson(text.str(), path);
  if (!features.ok() || features->empty() || features->front().geometry.lines.empty()) return {};
  return features->front().geometry.lines.front();
}

TEST(ZoneOutlineTest, ExampleZonesAgreeWithContains) {
  // The Sochi memorandum's band along the line of contact (a U, the band on
  // its inside) and the protocol's M4 corridor.
  const LineString contact = ExampleLine("contact-line.geojson"), m4 = ExampleLine("m4.geojson");
  ASSERT_GE(contact.size(), 3u);
  ASSERT_GE(m4.size(), 3u);
  const Zone band = Zone::MakeBand(contact, 15000, BandSide::kLeft);
  const Zone corridor = Zone::MakeCorridor(m4, 6000);
  for (const Zone* z : {&band, &corridor}) {
    const auto outline = ZoneOutline(*z);
    ExpectWellFormed(outline);
    EXPECT_LE(LongestEdgeM(outline), 1000);
    auto [in, out] = ExpectOutlineAgreesWithContains(*z, outline, 0.01 * z->half_width_m(), 3000, 4);
    EXPECT_GT(in, 100);
    EXPECT_GT(out, 100);
  }
}

TEST(ZoneOutlineTest, PolygonsAsTheyAreOrientedForGeoJson) {
  // A square given clockwise with a counterclockwise hole.
  const Ring cw = {{35.5, 36.5}, {36.0, 36.5}, {36.0, 37.0}, {35.5, 37.0}, {35.5, 36.5}};
  const Ring ccw_hole = {{35.625, 36.625}, {35.625, 36.875}, {35.875, 36.875}, {35.875, 36.625}, {35.625, 36.625}};
  ASSERT_LT(SignedArea2(cw), 0);
  const Zone z = Zone::MakePolygons(
      {Polygon{cw, {ccw_hole}}, Polygon{{{35.0, 36.0}, {35.0, 36.2}, {35.2, 36.2}, {35.0, 36.0}}, {}}});
  const auto outline = ZoneOutline(z);
  ExpectWellFormed(outline);
  ASSERT_EQ(outline.size(), 2u);
  Ring reversed(cw.rbegin(), cw.rend());
  EXPECT_EQ(outline[0].outer, reversed);
  ASSERT_EQ(outline[0].holes.size(), 1u);
  EXPECT_EQ(outline[0].holes[0], Ring(ccw_hole.rbegin(), ccw_hole.rend()));
  EXPECT_EQ(outline[1].outer, z.polygons()[1].outer);  // already counterclockwise
}

TEST(ZoneOutlineTest, EmptyZonesHaveNoOutline) {
  EXPECT_TRUE(ZoneOutline(Zone::MakeCorridor({}, 1000)).empty());
  EXPECT_TRUE(ZoneOutline(Zone::MakeCorridor({kJisr, kAriha}, 0)).empty());
  EXPECT_TRUE(ZoneOutline(Zone::MakeBand({kJisr}, 1000, BandSide::kLeft)).empty());
  EXPECT_TRUE(ZoneOutline(Zone::MakeCircle(kJisr, 0)).empty());
  EXPECT_TRUE(ZoneOutline(Zone::MakePolygons({})).empty());
}

}  // namespace
}  // namespace truce::geo
