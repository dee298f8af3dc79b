// Polygon zones from boundary files: `polygon: {file:, where:}`, lists of
// files, and several polygons read as one area (issue 12). The boundary file
// is tests/data/agreements/files/provinces.geojson: three adjacent provinces
// drawn for the tests (Hilmand and Kandahar share a border running north from
// 65.10E 29.90N; Uruzgan lies north of both).
#include <gtest/gtest.h>

#include "testing.h"
#include "truce/core/strings.h"

namespace truce::agreement {
namespace {

// An agreement with one zone `south`, whose polygon is `polygon` (YAML).
std::string WithZone(const std::string& polygon) {
  return "id: t\n"
         "title: T\n"
         "entry_into_force: 2020-03-01T00:00Z\n"
         "actors:\n"
         "  army: {name: Army}\n"
         "sides:\n"
         "  government: {actors: [army]}\n"
         "zones:\n"
         "  south: {polygon: " +
         polygon +
         "}\n"
         "provisions:\n"
         "  - {id: p1, prohibits: Battles, where: south}\n";
}

Result<LoadedAgreement> Load(const std::string& polygon) {
  testing::RootedFileSystem fs(testing::FixtureDir());
  return ParseAgreement(WithZone(polygon), "t.yaml", fs);
}

// 10 km west of the Hilmand–Kandahar border at 31.5N (the border runs from
// 65.25E 31.20N to 65.15E 31.80N), about 90 km from the nearest outer edge.
const geo::LatLon kNearInnerBorder = geo::GeodesicDirect({31.5, 65.20}, 270, 10000);
// Inside Hilmand, 10 km south of its border with Uruzgan (64.90E 32.55N - 65.40E 32.30N).
const geo::LatLon kNearUruzgan = geo::GeodesicDirect({32.425, 65.15}, 180, 10000);

TEST(ZonesFromFiles, WhereSelectsFeaturesAndTheyAreOneArea) {
  auto loaded = Load("{file: files/provinces.geojson, where: {ADM1_EN: [Hilmand, Kandahar]}}");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const model::ZoneDef& z = loaded->agreement.zones.at(0);
  EXPECT_EQ(z.source, "files/provinces.geojson");
  ASSERT_EQ(z.zone.polygons().size(), 1u);  // joined along their border
  EXPECT_TRUE(z.zone.polygons()[0].holes.empty());
  const geo::ZoneRelation r = z.zone.Relate(kNearInnerBorder, 50000);
  EXPECT_TRUE(r.center_inside);
  EXPECT_GT(r.edge_distance_m, 50000);
  EXPECT_EQ(r.containment, geo::Containment::kInside);
  // The border with Uruzgan, not selected, is an edge.
  EXPECT_EQ(z.zone.Relate(kNearUruzgan, 50000).containment, geo::Containment::kStraddles);
  EXPECT_FALSE(z.zone.Contains({32.8, 65.5}));  // in Uruzgan
  // The file is recorded once, as written.
  ASSERT_EQ(loaded->files.size(), 2u);
  EXPECT_EQ(loaded->files[1].first, "files/provinces.geojson");
}

TEST(ZonesFromFiles, OneProvinceAloneHasItsBorderAsEdge) {
  auto loaded = Load("{file: files/provinces.geojson, where: {ADM1_EN: Hilmand}}");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const geo::Zone& z = loaded->agreement.zones.at(0).zone;
  EXPECT_EQ(z.Relate(kNearInnerBorder, 50000).containment, geo::Containment::kStraddles);
  EXPECT_NEAR(z.Relate(kNearInnerBorder, 0).edge_distance_m, 10000, 1500);
}

TEST(ZonesFromFiles, ValuesMatchExactlyThenIgnoringCase) {
  auto lower = Load("{file: files/provinces.geojson, where: {ADM1_EN: [hilmand, KANDAHAR]}}");
  ASSERT_TRUE(lower.ok()) << lower.status().ToString();
  EXPECT_EQ(lower->agreement.zones.at(0).zone.Relate(kNearInnerBorder, 50000).containment,
            geo::Containment::kInside);
  auto by_code = Load("{file: files/provinces.geojson, where: {ADM1_PCODE: [AF23, AF24]}}");
  ASSERT_TRUE(by_code.ok()) << by_code.status().ToString();
  EXPECT_EQ(by_code->agreement.zones.at(0).zone.polygons().size(), 1u);
}

TEST(ZonesFromFiles, WithoutWhereEveryFeature) {
  auto loaded = Load("files/provinces.geojson");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const geo::Zone& z = loaded->agreement.zones.at(0).zone;
  ASSERT_EQ(z.polygons().size(), 1u);
  EXPECT_TRUE(z.Contains({32.8, 65.5}));
  // With Uruzgan in the zone, its border with Hilmand is no edge either.
  EXPECT_EQ(z.Relate(kNearUruzgan, 30000).containment, geo::Containment::kInside);
}

TEST(ZonesFromFiles, AListOfSourcesIsTheirUnion) {
  auto loaded = Load(
      "[{file: files/provinces.geojson, where: {ADM1_EN: Hilmand}},"
      " {file: files/provinces.geojson, where: {ADM1_EN: Kandahar}}]");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const model::ZoneDef& z = loaded->agreement.zones.at(0);
  ASSERT_EQ(z.zone.polygons().size(), 1u);
  EXPECT_EQ(z.zone.Relate(kNearInnerBorder, 50000).containment, geo::Containment::kInside);
  EXPECT_EQ(z.source, "files/provinces.geojson, files/provinces.geojson");
}

TEST(ZonesFromFiles, ListOfPlainPaths) {
  MemFileSystem fs;
  fs.Put("d/w.geojson", R"({"type":"Polygon","coordinates":[[[36.5,35.5],[37,35.5],[37,36],[36.5,36],[36.5,35.5]]]})");
  fs.Put("d/e.geojson", R"({"type":"Polygon","coordinates":[[[37,35.5],[37.5,35.5],[37.5,36],[37,36],[37,35.5]]]})");
  auto loaded = ParseAgreement(WithZone("[w.geojson, e.geojson]"), "d/t.yaml", fs);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const geo::Zone& z = loaded->agreement.zones.at(0).zone;
  ASSERT_EQ(z.polygons().size(), 1u);
  EXPECT_EQ(z.Relate(geo::GeodesicDirect({35.75, 37.0}, 270, 1000), 20000).containment, geo::Containment::kInside);
  EXPECT_EQ(loaded->agreement.zones.at(0).source, "w.geojson, e.geojson");
}

TEST(ZonesFromFiles, ReloadsFromTheRecordedFile) {
  auto loaded = Load("{file: files/provinces.geojson, where: {ADM1_EN: [Hilmand, Kandahar]}}");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  auto again = ReloadAgreement(loaded->files);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->agreement.zones.at(0).zone.polygons().size(), 1u);
}

std::string ErrorOf(const std::string& polygon) {
  auto loaded = Load(polygon);
  return loaded.ok() ? "(loaded)" : loaded.status().message();
}

TEST(ZonesFromFiles, LocatedErrors) {
  // Every value that selects nothing is reported, at the value.
  EXPECT_EQ(ErrorOf("{file: files/provinces.geojson, where: {ADM1_EN: [Hilmnd, Kandahr, Nowhere]}}"),
            "t.yaml:9:70: zone 'south': no feature of 'files/provinces.geojson' has ADM1_EN 'Hilmnd' (closest: "
            "'Hilmand')\n"
            "t.yaml:9:78: zone 'south': no feature of 'files/provinces.geojson' has ADM1_EN 'Kandahr' (closest: "
            "'Kandahar')\n"
            "t.yaml:9:87: zone 'south': no feature of 'files/provinces.geojson' has ADM1_EN 'Nowhere'");
  EXPECT_EQ(ErrorOf("{file: files/provinces.geojson, where: {adm1_en: Hilmand}}"),
            "t.yaml:9:60: zone 'south': no feature of 'files/provinces.geojson' has a property 'adm1_en' (did you "
            "mean 'ADM1_EN'?)");
  EXPECT_EQ(ErrorOf("{file: files/provinces.geojson, where: Hilmand}"),
            "t.yaml:9:59: zone 'south': 'where' must be a map of one feature property to the values it selects "
            "({ADM1_EN: [Hilmand, Kandahar]}), not 'Hilmand'");
  EXPECT_EQ(ErrorOf("{file: files/provinces.geojson, where: {ADM1_EN: []}}"),
            "t.yaml:9:69: zone 'south': 'where' lists no values of 'ADM1_EN'");
  EXPECT_EQ(ErrorOf("{file: files/provinces.geojson, wehre: {ADM1_EN: Hilmand}}"),
            "t.yaml:9:52: unknown key 'wehre' (did you mean 'where'?)");
  EXPECT_EQ(ErrorOf("{file: files/nothere.geojson, where: {ADM1_EN: Hilmand}}"),
            "t.yaml:9:27: file not found: 'files/nothere.geojson'");
}

// A file with two spellings of one name and numeric ids, as converted files have.
TEST(ZonesFromFiles, SeveralClosestValuesAndNumbers) {
  MemFileSystem fs;
  fs.Put("d/p.geojson", R"({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"NAME":"Hilmand","ID":23},"geometry":{"type":"Polygon","coordinates":[[[64,31],[65,31],[65,32],[64,32],[64,31]]]}},
    {"type":"Feature","properties":{"NAME":"Helmand","ID":24},"geometry":{"type":"Polygon","coordinates":[[[65,31],[66,31],[66,32],[65,32],[65,31]]]}},
    {"type":"Feature","properties":{"NAME":"Kandahar","ID":25},"geometry":{"type":"Point","coordinates":[66,30]}}]})");
  auto bad = ParseAgreement(WithZone("{file: p.geojson, where: {NAME: Hilmandd}}"), "d/t.yaml", fs);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "d/t.yaml:9:52: zone 'south': no feature of 'd/p.geojson' has NAME 'Hilmandd' (closest: 'Hilmand', "
            "'Helmand')");
  // Numbers compare as text; the Point feature is not selected, so it does no harm.
  auto by_id = ParseAgreement(WithZone("{file: p.geojson, where: {ID: [23, 24]}}"), "d/t.yaml", fs);
  ASSERT_TRUE(by_id.ok()) << by_id.status().ToString();
  const geo::Zone& z = by_id->agreement.zones.at(0).zone;
  ASSERT_EQ(z.polygons().size(), 1u);
  EXPECT_EQ(z.Relate({31.5, 65.01}, 20000).containment, geo::Containment::kInside);
  // Selecting it is an error, at the file.
  auto point = ParseAgreement(WithZone("{file: p.geojson, where: {ID: 25}}"), "d/t.yaml", fs);
  ASSERT_FALSE(point.ok());
  EXPECT_EQ(point.status().message(),
            "d/t.yaml:9:27: zone 'south': feature 3 of 'd/p.geojson' is a Point; a polygon zone needs Polygon or "
            "MultiPolygon features");
}

}  // namespace
}  // namespace truce::agreement
