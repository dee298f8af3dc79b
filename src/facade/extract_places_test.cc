// Extraction with the places the monitors know: names the gazetteer lacks are
// placed from the stored agreements' places and the stored incidents'
// locations, and an event word that gives no event says why.
#include "core.h"
#include "testing.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace truce {
namespace {

namespace fs = std::filesystem;

// The test ceasefire with a place of its own (Testhill) that no gazetteer has.
const char* kPlacesAgreement = R"yaml(id: test-ceasefire
title: Test ceasefire
signed: 2020-03-05
timezone: Asia/Damascus
entry_into_force: 2020-03-06T00:01
actors:
  gov-army: {name: Government Army, kind: armed_forces, aliases: ["Military Forces of Syria (2000-)"]}
  rebels: {name: Rebel Front, kind: armed_group, aliases: ["National Liberation Front"]}
sides:
  government: {guarantor: RUS, actors: [gov-army]}
  opposition: {guarantor: TUR, actors: [rebels]}
places:
  testhill: {name: Testhill, lat: 35.6, lon: 36.1, approximate: true}
zones:
  box: {name: test box, polygon: box.geojson}
provisions:
  - id: art1
    article: Art. 1
    prohibits: [Battles, Explosions/Remote violence]
    by: [government, opposition]
    where: box
)yaml";

// One town in Syria (Idlib governorate, code 12), 9 km from Testville.
const char* kPlacesCities =
    R"([{"name":"Jisr ash Shugh\u016br","lat":"35.81418","lng":"36.31983","country":"SY","admin1":"12","admin2":""}])";
const char* kPlacesAdmin1 = R"([{"code":"SY.12","name":"Idlib"}])";

std::string AcledRow(const char* id, const char* location, const char* lat, const char* lon, int geo_precision) {
  return std::string(id) +
         ",10 March 2020,2020,1,Political violence,Explosions/Remote violence,Shelling/artillery/missile attack,"
         "Military Forces of Syria (2000-),,State forces,Civilians (Syria),,Civilians,State forces-Civilians,"
         "Civilian targeting,760,Middle East,Syria,Idlib,Ariha,," +
         location + "," + lat + "," + lon + "," + std::to_string(geo_precision) + ",Test source,National,Shelling.,0,,1600000000\n";
}

const char* kReport =
    "Shelling hits Testville despite the truce\n"
    "Government artillery shelled the village of Testville on Sunday, killing two civilians, a local "
    "rescue group said.\n";

class ExtractPlacesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = facade::testing::FreshTestDir("truce_extract_places_");
    facade::testing::WriteFile(dir_, "agreement.yaml", kPlacesAgreement);
    facade::testing::WriteFile(dir_, "box.geojson", facade::testing::kBox);
    facade::testing::WriteFile(dir_, "cities.json", kPlacesCities);
    facade::testing::WriteFile(dir_, "admin1.json", kPlacesAdmin1);
    options_.data_dir = std::string(TRUCE_SOURCE_DIR) + "/data/extract";
    options_.gazetteer_path = (dir_ / "cities.json").string();
    auto e = facade::Core::Open((dir_ / "t.db").string(), files_, clock_);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    core_ = std::move(e).value();
    ASSERT_TRUE(core_->Init().ok());
  }
  void TearDown() override { fs::remove_all(dir_); }

  extract::Extraction Extract(const std::string& text) {
    auto x = core_->Extract("report.txt", text, *time::ParseIsoDate("2020-03-16"), options_);
    EXPECT_TRUE(x.ok()) << x.status().ToString();
    return x.ok() ? std::move(x).value() : extract::Extraction{};
  }
  void IngestRows(const std::string& rows) {
    const std::string csv = facade::testing::WriteFile(dir_, "rows.csv", std::string(facade::testing::kAcledHeader) + rows);
    auto r = core_->Ingest(csv, {});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }

  fs::path dir_;
  RealFileSystem files_;
  FixedClock clock_{std::chrono::sys_seconds(std::chrono::seconds(1584316800))};  // 2020-03-16
  std::unique_ptr<facade::Core> core_;
  ArticleOptions options_;
};

TEST_F(ExtractPlacesTest, AnUnknownPlaceSaysWhyThenAStoredIncidentPlacesIt) {
  extract::Extraction before = Extract(kReport);
  EXPECT_TRUE(before.events.empty());
  ASSERT_EQ(before.event_misses.size(), 1u);
  EXPECT_NE(before.event_misses[0].cue.find("shelled"), std::string::npos) << before.event_misses[0].cue;
  EXPECT_EQ(before.event_misses[0].reason.rfind("no place found for 'Testville'", 0), 0u) << before.event_misses[0].reason;

  // Two reports of Testville: the more precise one's point names it; a
  // province-level one elsewhere is too loose to name a place.
  IngestRows(AcledRow("SYR1", "Testville", "35.7600", "36.2600", 2) + AcledRow("SYR2", "Testville", "35.7500", "36.2500", 1) +
             AcledRow("SYR3", "Loosetown", "35.9000", "36.6000", 3));
  extract::Extraction after = Extract(kReport);
  ASSERT_EQ(after.events.size(), 1u);
  const extract::LocationRef& at = after.events[0].location;
  EXPECT_EQ(at.name, "Testville");
  ASSERT_TRUE(at.lat && at.lon);
  EXPECT_NEAR(*at.lat, 35.75, 1e-4);
  EXPECT_NEAR(*at.lon, 36.25, 1e-4);
  EXPECT_EQ(at.country, "SYR");  // the nearest gazetteer town's
  EXPECT_EQ(at.admin1, "Idlib");
  EXPECT_EQ(after.events[0].date, "2020-03-15");
  EXPECT_TRUE(after.event_misses.empty());

  extract::Extraction loose = Extract(
      "Shelling hits Loosetown\nGovernment artillery shelled the village of Loosetown on Sunday, a rescue group said.\n");
  EXPECT_TRUE(loose.events.empty());
}

TEST_F(ExtractPlacesTest, AnAgreementsOwnPlaceIsKnown) {
  ASSERT_TRUE(core_->AddAgreements({(dir_ / "agreement.yaml").string()}).ok());
  extract::Extraction x = Extract(
      "Shelling near Testhill\nGovernment artillery shelled positions near Testhill on Sunday, a monitor said.\n");
  ASSERT_EQ(x.events.size(), 1u) << (x.event_misses.empty() ? "" : x.event_misses[0].reason);
  EXPECT_EQ(x.events[0].location.name, "Testhill");
  ASSERT_TRUE(x.events[0].location.lat);
  EXPECT_NEAR(*x.events[0].location.lat, 35.6, 1e-4);
}

TEST_F(ExtractPlacesTest, AnEventWithoutADaySaysSo) {
  IngestRows(AcledRow("SYR1", "Testville", "35.7500", "36.2500", 1));
  extract::Extraction x = Extract("Shelling hits Testville\nGovernment artillery shelled the village of Testville, a rescue group said.\n");
  EXPECT_TRUE(x.events.empty());
  ASSERT_EQ(x.event_misses.size(), 1u);
  EXPECT_EQ(x.event_misses[0].reason.rfind("no date", 0), 0u) << x.event_misses[0].reason;
  EXPECT_NE(x.event_misses[0].source.sentence.find("Testville"), std::string::npos);
}

}  // namespace
}  // namespace truce
