// The facade against a real SQLite file and real files on disk.
#include "truce/facade/engine.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace truce {
namespace {

namespace fs = std::filesystem;

const char* kAgreement = R"yaml(id: test-ceasefire
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
zones:
  box: {name: test box, polygon: box.geojson}
provisions:
  - id: art1
    article: Art. 1
    prohibits: [Battles, Explosions/Remote violence]
    by: [government, opposition]
    where: box
)yaml";

const char* kBox = R"({"type": "Polygon", "coordinates": [[[36.0, 35.5], [36.5, 35.5], [36.5, 36.0], [36.0, 36.0], [36.0, 35.5]]]})";

const char* kHeader =
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,"
    "inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n";

std::string Row(const char* id, const char* date, const char* actor1, const char* lat, const char* fatalities) {
  return std::string(id) + "," + date +
         ",2020,1,Political violence,Explosions/Remote violence,Shelling/artillery/missile attack," + actor1 +
         ",,State forces,Civilians (Syria),,Civilians,State forces-Civilians,Civilian targeting,760,Middle East,"
         "Syria,Idlib,Ariha,,Testville," + lat + ",36.25,1,Test source,National,\"Shelling, reported.\"," +
         fatalities + ",,1600000000\n";
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("truce_engine_" + std::to_string(::getpid()) + "_" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    Write("agreement.yaml", kAgreement);
    Write("box.geojson", kBox);
    auto e = Engine::Open((dir_ / "t.db").string(), files_, clock_);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    engine_ = std::move(e).value();
    ASSERT_TRUE(engine_->Init().ok());
  }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return (dir_ / name).string();
  }
  std::int64_t Incidents() { return *engine_->store().CountIncidents(); }

  fs::path dir_;
  RealFileSystem files_;
  FixedClock clock_{std::chrono::sys_seconds(std::chrono::seconds(1584230400))};  // 2020-03-15
  std::unique_ptr<Engine> engine_;
};

TEST_F(EngineTest, IngestRuleQueryReport) {
  ASSERT_TRUE(engine_->AddAgreements({(dir_ / "agreement.yaml").string()}).ok());
  std::string csv = Write("a.csv", std::string(kHeader) + Row("SYR1", "15 March 2020", "Military Forces of Syria (2000-)", "35.75", "2") +
                                       Row("SYR2", "14 March 2020", "National Liberation Front", "35.75", "0") +
                                       Row("SYR3", "05 March 2020", "Military Forces of Syria (2000-)", "35.75", "1"));
  auto r = engine_->Ingest(csv, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->added, 3);
  EXPECT_FALSE(r->already_ingested);

  auto again = engine_->Ingest(csv, {});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_ingested);
  EXPECT_EQ(Incidents(), 3);

  auto ruled = engine_->Rule({});
  ASSERT_TRUE(ruled.ok()) << ruled.status().ToString();
  EXPECT_EQ(ruled->incidents, 3);
  EXPECT_EQ(ruled->by_status["violation"], 2);
  EXPECT_EQ(ruled->by_status["outside_scope"], 1);

  store::FindingFilter f;
  f.status = "violation";
  f.side = "opposition";
  auto rows = engine_->Findings(f);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].location, "Testville");
  EXPECT_EQ((*rows)[0].finding.guarantor, "TUR");

  auto md = engine_->DailyReport("test-ceasefire", *time::ParseIsoDate("2020-03-15"), "markdown");
  ASSERT_TRUE(md.ok()) << md.status().ToString();
  EXPECT_NE(md->find("| violation | 1 | 1 | 0 |"), std::string::npos) << *md;
  EXPECT_EQ(engine_->DailyReport("nope", *time::ParseIsoDate("2020-03-15"), "markdown").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(engine_->DailyReport("test-ceasefire", *time::ParseIsoDate("2020-03-15"), "pdf").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(EngineTest, BadRowStoresNothingUnlessSkipped) {
  std::string csv = Write("bad.csv", std::string(kHeader) + Row("SYR1", "15 March 2020", "X", "35.75", "2") +
                                         Row("SYR2", "15 March 2020", "X", "north", "0") +
                                         Row("SYR3", "15 March 2020", "X", "35.70", "0"));
  auto r = engine_->Ingest(csv, {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("row 3"), std::string::npos) << r.status().ToString();
  EXPECT_NE(r.status().message().find("latitude"), std::string::npos) << r.status().ToString();
  EXPECT_EQ(Incidents(), 0);

  ingest::ReadOptions skip;
  skip.skip_bad_rows = true;
  auto s = engine_->Ingest(csv, skip);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->added, 2);
  ASSERT_EQ(s->skipped.size(), 1u);
  EXPECT_EQ(s->skipped[0].row, 3);
  EXPECT_EQ(Incidents(), 2);
}

TEST_F(EngineTest, SameRowsInAnotherFileAreNotAddedTwice) {
  std::string rows = Row("SYR1", "15 March 2020", "X", "35.75", "2");
  ASSERT_TRUE(engine_->Ingest(Write("one.csv", std::string(kHeader) + rows), {}).ok());
  auto r = engine_->Ingest(Write("two.csv", std::string(kHeader) + rows + Row("SYR9", "16 March 2020", "X", "35.7", "0")), {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->added, 1);
  EXPECT_EQ(r->duplicates, 1);
  EXPECT_EQ(Incidents(), 2);
}

TEST_F(EngineTest, AddAgreementsIsAllOrNothing) {
  std::string bad = Write("bad.yaml", std::string(kAgreement) + "zonez: {}\n");
  std::string good = (dir_ / "agreement.yaml").string();
  auto r = engine_->AddAgreements({good, bad});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("bad.yaml:"), std::string::npos) << r.status().ToString();
  auto listed = engine_->ListAgreements();
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
  ASSERT_TRUE(engine_->AddAgreements({good}).ok());
  auto got = engine_->GetAgreement("test-ceasefire");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->agreement.zones.size(), 1u);
  EXPECT_EQ(engine_->GetAgreement("other").status().code(), StatusCode::kNotFound);
}

TEST(EngineOpenTest, UninitialisedDatabaseIsRefused) {
  RealFileSystem files;
  FixedClock clock{std::chrono::sys_seconds{}};
  std::string path = ::testing::TempDir() + "truce_engine_uninit.db";
  std::filesystem::remove(path);
  auto e = Engine::Open(path, files, clock);
  ASSERT_TRUE(e.ok());
  auto r = (*e)->ListAgreements();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace truce
