#include <gtest/gtest.h>

#include "testing.h"
#include "truce/geo/geo.h"

namespace truce::geo {
namespace {

using geo_testing::Has;

TEST(GeoJsonTest, FeatureCollectionInOrderWithProperties) {
  // Saraqib and Ariha as points, the M4 between them as a line ([lon, lat] order).
  const std::string text = R"({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"name": "Saraqib"}, "geometry": {"type": "Point", "coordinates": [36.8059, 35.8645]}},
    {"type": "Feature", "properties": null, "geometry": {"type": "LineString", "coordinates": [[36.8059, 35.8645], [36.6, 35.8167]]}},
    {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[36.5, 35.75], [36.75, 35.75], [36.75, 36.0], [36.5, 35.75]]]}}
  ]})";
  auto r = ParseGeoJson(text, "zones/idlib.geojson");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].index, 0);
  EXPECT_EQ((*r)[0].geometry.type, Geometry::Type::kPoint);
  EXPECT_EQ((*r)[0].geometry.point, (LatLon{35.8645, 36.8059}));
  EXPECT_EQ((*r)[0].properties_json, R"({"name":"Saraqib"})");
  EXPECT_EQ((*r)[1].geometry.type, Geometry::Type::kLineString);
  ASSERT_EQ((*r)[1].geometry.lines.size(), 1u);
  EXPECT_EQ((*r)[1].geometry.lines[0][1], (LatLon{35.8167, 36.6}));
  EXPECT_EQ((*r)[1].properties_json, "{}");
  EXPECT_EQ((*r)[2].index, 2);
  EXPECT_EQ((*r)[2].geometry.type, Geometry::Type::kPolygon);
  ASSERT_EQ((*r)[2].geometry.polygons.size(), 1u);
  EXPECT_EQ((*r)[2].geometry.polygons[0].outer.size(), 4u);
  EXPECT_EQ((*r)[2].properties_json, "{}");
}

TEST(GeoJsonTest, BareGeometriesAndMultiTypes) {
  auto mp = ParseGeoJson(R"({"type": "MultiPolygon", "coordinates": [
      [[[36, 35], [37, 35], [37, 36], [36, 35]], [[36.5, 35.1], [36.9, 35.1], [36.9, 35.4], [36.5, 35.1]]],
      [[[38, 35], [39, 35], [39, 36], [38, 35]]]]})",
                         "mp.geojson");
  ASSERT_TRUE(mp.ok()) << mp.status().ToString();
  ASSERT_EQ(mp->size(), 1u);
  const Geometry& g = (*mp)[0].geometry;
  EXPECT_EQ(g.type, Geometry::Type::kMultiPolygon);
  ASSERT_EQ(g.polygons.size(), 2u);
  EXPECT_EQ(g.polygons[0].holes.size(), 1u);
  EXPECT_EQ(g.polygons[1].holes.size(), 0u);
  EXPECT_EQ(g.polygons[1].outer[1], (LatLon{35, 39}));

  auto ml = ParseGeoJson(R"({"type": "Feature", "properties": {"road": "M4"}, "geometry":
      {"type": "MultiLineString", "coordinates": [[[36.3176, 35.8126], [36.6, 35.8167]], [[36.6, 35.8167], [36.8059, 35.8645, 350]]]}})",
                         "m4.geojson");
  ASSERT_TRUE(ml.ok()) << ml.status().ToString();
  EXPECT_EQ((*ml)[0].geometry.type, Geometry::Type::kMultiLineString);
  ASSERT_EQ((*ml)[0].geometry.lines.size(), 2u);
  EXPECT_EQ((*ml)[0].geometry.lines[1][1], (LatLon{35.8645, 36.8059}));  // altitude ignored
  EXPECT_EQ((*ml)[0].properties_json, R"({"road":"M4"})");

  auto empty = ParseGeoJson(R"({"type": "FeatureCollection", "features": []})", "e.geojson");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(GeoJsonTest, InvalidJsonNamesLineAndColumn) {
  // The second comma is on line 3, column 31.
  const std::string text = "{\"type\": \"LineString\",\n  \"coordinates\": [\n    [36.8059, 35.8645], [36.6,, 35.8167]]}";
  auto r = ParseGeoJson(text, "zones/m4.geojson");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kParseError);
  EXPECT_TRUE(Has(r.status(), "zones/m4.geojson:3:31: invalid JSON")) << r.status().message();

  auto eof = ParseGeoJson("{\"type\": \"Point\"", "p.geojson");
  ASSERT_FALSE(eof.ok());
  EXPECT_TRUE(Has(eof.status(), "p.geojson:1:")) << eof.status().message();
  EXPECT_FALSE(ParseGeoJson("", "empty.geojson").ok());
}

TEST(GeoJsonTest, ErrorsNameFileFeatureAndProblem) {
  auto short_line = ParseGeoJson(R"({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [36.8, 35.8]}},
    {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [36.8, 35.8]}},
    {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[36.8, 35.8]]}}]})",
                                 "zones/m4.geojson");
  ASSERT_FALSE(short_line.ok());
  EXPECT_EQ(short_line.status().message(), "zones/m4.geojson: feature 2: LineString needs at least 2 positions, got 1");

  struct Case {
    const char* text;
    const char* expect;
  };
  const Case cases[] = {
      {R"({"type": "Polygon"})", "f.geojson: Polygon has no \"coordinates\""},
      {R"({"type": "Feature", "properties": {}, "geometry": null})", "feature 0: geometry is null"},
      {R"({"type": "Feature", "properties": {}})", "feature 0: feature has no \"geometry\""},
      {R"({"type": "Feature", "properties": [1], "geometry": {"type": "Point", "coordinates": [1, 2]}})", "\"properties\" must be an object"},
      {R"({"type": "GeometryCollection", "geometries": []})", "unsupported geometry type 'GeometryCollection'"},
      {R"({"type": "MultiPoint", "coordinates": [[1, 2]]})", "unsupported geometry type 'MultiPoint'"},
      {R"({"type": "Point", "coordinates": ["36.8", 35.8]})", "coordinate 0 must be a number, got string"},
      {R"({"type": "Point", "coordinates": [36.8]})", "a position needs [lon, lat]"},
      {R"({"type": "Point", "coordinates": [35.8, 136.8]})", "latitude 136.8 out of range"},
      {R"({"type": "Point", "coordinates": [200, 35.8]})", "longitude 200 out of range"},
      {R"({"type": "Point", "coordinates": [1e400, 35.8]})", "f.geojson: invalid JSON: number overflow parsing '1e400'"},
      {"{\"type\": \"Feature\", \"properties\": {\"name\": \"\xff\"}, \"geometry\": null}", "f.geojson:1:"},
      {R"({"type": "Polygon", "coordinates": [[[36, 35], [37, 35], [36, 35]]]})", "ring 0: a ring needs at least 4 positions"},
      {R"({"type": "Polygon", "coordinates": [[[36, 35], [37, 35], [37, 36], [36, 36]]]})", "ring 0: ring is not closed"},
      {R"({"type": "Polygon", "coordinates": []})", "polygon has no rings"},
      {R"({"type": "MultiPolygon", "coordinates": [[[[36, 35], [37, 35], [37, 36], [36, 35]]], [[[1, 1], [2, 2]]]]})",
       "polygon 1, ring 0: a ring needs at least 4 positions"},
      {R"({"type": "LineString", "coordinates": {"a": 1}})", "expected an array of positions, got object"},
      {R"({"type": "FeatureCollection"})", "FeatureCollection needs a \"features\" array"},
      {R"({"type": "FeatureCollection", "features": [7]})", "feature 0: a feature must be an object"},
      {R"([1, 2])", "a GeoJSON document must be an object"},
      {R"({"coordinates": [1, 2]})", "no string \"type\""},
  };
  for (const Case& c : cases) {
    auto r = ParseGeoJson(c.text, "f.geojson");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_TRUE(Has(r.status(), c.expect)) << c.text << " -> " << r.status().message();
    EXPECT_EQ(r.status().message().rfind("f.geojson:", 0), 0u) << r.status().message();
  }
}

TEST(GeoJsonTest, ScalarPropertiesAsText) {
  auto features = ParseGeoJson(
      R"({"type":"Feature","properties":{"ADM1_EN":"Hilmand","ID":12,"area":1.5,"coastal":false,"alt":null,"tags":["a"]},
          "geometry":{"type":"Point","coordinates":[64.3,31.6]}})",
      "f.geojson");
  ASSERT_TRUE(features.ok()) << features.status().ToString();
  const auto props = ScalarProperties(features->at(0));
  const std::vector<std::pair<std::string, std::string>> want = {
      {"ADM1_EN", "Hilmand"}, {"ID", "12"}, {"area", "1.5"}, {"coastal", "false"}};
  EXPECT_EQ(props, want);
}

}  // namespace
}  // namespace truce::geo
