// Writes that finish (issue 8): findings are re-ruled after a crash, files are
// read and checked before the write lock, what a dataset door refuses.
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "truce/core/utf8.h"
#include "core.h"
#include "testing.h"

namespace truce {
namespace {

namespace fs = std::filesystem;

const char* kWritesAgreement = R"yaml(id: test-ceasefire
title: Test ceasefire
signed: 2020-03-05
timezone: Asia/Damascus
entry_into_force: 2020-03-06T00:01
actors:
  gov-army: {name: Government Army, kind: armed_forces, aliases: ["Military Forces of Syria (2000-)"]}
sides:
  government: {guarantor: RUS, actors: [gov-army]}
zones:
  box: {name: test box, polygon: box.geojson}
provisions:
  - id: art1
    article: Art. 1
    prohibits: [Battles, Explosions/Remote violence]
    by: [government]
    where: box
)yaml";

std::string Row(const std::string& id, const std::string& lat = "35.75") {
  return id +
         ",15 March 2020,2020,1,Political violence,Explosions/Remote violence,Shelling/artillery/missile attack,"
         "Military Forces of Syria (2000-),,State forces,Civilians (Syria),,Civilians,State forces-Civilians,"
         "Civilian targeting,760,Middle East,Syria,Idlib,Ariha,,Testville," +
         lat + ",36.25,1,Test source,National,\"Shelling, reported.\",2,,1600000000\n";
}

class WritesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = facade::testing::FreshTestDir("truce_writes_");
    Write("agreement.yaml", kWritesAgreement);
    Write("box.geojson", facade::testing::kBox);
    engine_ = Open();
    ASSERT_TRUE(engine_);
    ASSERT_TRUE(engine_->Init().ok());
  }
  void TearDown() override {
    engine_.reset();
    fs::remove_all(dir_);
  }
  std::unique_ptr<facade::Core> Open(const store::OpenOptions& options = {}) {
    auto e = facade::Core::Open(db(), files_, clock_, options);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return e.ok() ? std::move(e).value() : nullptr;
  }
  std::string db() const { return (dir_ / "t.db").string(); }
  std::string Write(const std::string& name, const std::string& text) {
    return facade::testing::WriteFile(dir_, name, text);
  }
  bool Stale(facade::Core& e) {
    Result<bool> s = e.FindingsStale();
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() && *s;
  }
  // Incidents that have no finding at all.
  std::int64_t Unruled(facade::Core& e) {
    std::set<std::int64_t> ruled;
    auto rows = e.Findings({});
    EXPECT_TRUE(rows.ok());
    for (const auto& r : *rows) ruled.insert(r.finding.incident_id);
    std::int64_t n = 0;
    EXPECT_TRUE(e.store()
                    .ForEachReport({},
                                     [&](const model::Report& in) {
                                       n += ruled.count(in.id) == 0;
                                       return Status::Ok();
                                     })
                    .ok());
    return n;
  }

  fs::path dir_;
  RealFileSystem files_;
  FixedClock clock_{std::chrono::sys_seconds(std::chrono::seconds(1584230400))};  // 2020-03-15
  std::unique_ptr<facade::Core> engine_;
};

TEST_F(WritesTest, KilledBeforeRulingTheRetryIsToldAndRuleIfStaleCatchesUp) {
  ASSERT_TRUE(engine_->AddAgreements({(dir_ / "agreement.yaml").string()}).ok());
  EXPECT_TRUE(Stale(*engine_));  // an agreement was added
  ASSERT_TRUE(engine_->Rule({}).ok());
  EXPECT_FALSE(Stale(*engine_));

  const std::string csv = Write("a.csv", std::string(facade::testing::kAcledHeader) + Row("SYR1") + Row("SYR2"));
  auto r = engine_->Ingest(csv, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->findings_stale);
  // The process dies here, before it rules: a new one sees the mark.
  engine_.reset();
  engine_ = Open();
  EXPECT_TRUE(Stale(*engine_));
  EXPECT_EQ(Unruled(*engine_), 2);
  auto again = engine_->Ingest(csv, {});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_ingested);
  EXPECT_TRUE(again->findings_stale);  // the retry's answer says so

  auto ruled = engine_->RuleIfStale({});
  ASSERT_TRUE(ruled.ok()) << ruled.status().ToString();
  ASSERT_TRUE(ruled->has_value());
  EXPECT_EQ((*ruled)->incidents, 2);
  EXPECT_EQ(Unruled(*engine_), 0);
  EXPECT_FALSE(Stale(*engine_));
  auto third = engine_->Ingest(csv, {});
  ASSERT_TRUE(third.ok());
  EXPECT_FALSE(third->findings_stale);
  auto nothing = engine_->RuleIfStale({});
  ASSERT_TRUE(nothing.ok());
  EXPECT_FALSE(nothing->has_value());  // fresh: no work
}

TEST_F(WritesTest, IngestAddingNothingLeavesTheFindingsFresh) {
  const std::string a = Write("a.csv", std::string(facade::testing::kAcledHeader) + Row("SYR1"));
  ASSERT_TRUE(engine_->Ingest(a, {}).ok());
  ASSERT_TRUE(engine_->Rule({}).ok());
  // The same row in another file: stored already, nothing added.
  const std::string b = Write("b.csv", std::string(facade::testing::kAcledHeader) + Row("SYR1") + "\n");
  auto r = engine_->Ingest(b, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->added, 0);
  EXPECT_FALSE(r->findings_stale);
}

TEST_F(WritesTest, FileIsReadAndCheckedBeforeTheWriteLock) {
  // Another writer holds the lock; this engine does not wait.
  auto holder = store::OpenSqlite(db());
  ASSERT_TRUE(holder.ok());
  ASSERT_TRUE((*holder)->Begin().ok());
  store::OpenOptions no_wait;
  no_wait.busy_timeout_ms = 0;
  auto engine = Open(no_wait);
  // A bad file fails on its row, not on the lock: it never asked for it.
  const std::string bad = Write("bad.csv", std::string(facade::testing::kAcledHeader) + Row("SYR1") + Row("SYR2", "91"));
  auto r = engine->Ingest(bad, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kParseError) << r.status().ToString();
  EXPECT_NE(r.status().message().find("row 3, field 'latitude'"), std::string::npos);
  // A good one is Busy, and stores nothing.
  const std::string good = Write("good.csv", std::string(facade::testing::kAcledHeader) + Row("SYR1"));
  auto busy = engine->Ingest(good, {});
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.status().code(), StatusCode::kBusy) << busy.status().ToString();
  ASSERT_TRUE((*holder)->Rollback().ok());
  EXPECT_EQ(*engine->store().CountReports(), 0);
  auto later = engine->Ingest(good, {});
  ASSERT_TRUE(later.ok()) << later.status().ToString();
  EXPECT_FALSE(later->already_ingested);
  EXPECT_EQ(later->added, 1);
}

TEST_F(WritesTest, NoRecordsIsAnErrorAndTheFileIsNotMarkedIngested) {
  struct Case {
    std::string name, text, message;
  };
  std::string cr = std::string(facade::testing::kAcledHeader) + Row("SYR1") + Row("SYR2");
  for (char& c : cr) c = c == '\n' ? '\r' : c;
  for (const Case& c : {Case{"header.csv", facade::testing::kAcledHeader, "no records: nothing follows the header; nothing stored"},
                        Case{"cr.csv", cr, "row 1: line ends are CR alone"},
                        Case{"empty.geojson", R"({"type": "FeatureCollection", "features": []})",
                             "no records: the document holds no features"}}) {
    SCOPED_TRACE(c.name);
    const std::string path = Write(c.name, c.text);
    for (int attempt = 0; attempt < 2; ++attempt) {  // the second is not "already ingested"
      auto r = engine_->Ingest(path, {});
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.status().code(), StatusCode::kParseError);
      EXPECT_NE(r.status().message().find(c.message), std::string::npos) << r.status().message();
    }
  }
  // Every row bad and skipped is said (each skipped row), so it is no error.
  const std::string all_bad = Write("all_bad.csv", std::string(facade::testing::kAcledHeader) + Row("SYR1", "91"));
  ingest::ReadOptions skip;
  skip.skip_bad_rows = true;
  auto r = engine_->Ingest(all_bad, skip);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->records, 0);
  EXPECT_EQ(r->skipped.size(), 1u);
}

TEST_F(WritesTest, OnlyRegularFilesAreRead) {
  const std::string fifo = (dir_ / "fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  for (const std::string& path : {fifo, std::string("/dev/zero"), dir_.string()}) {
    SCOPED_TRACE(path);
    auto r = engine_->Ingest(path, {});  // returns at once: nothing is opened
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << r.status().ToString();
    auto a = engine_->IngestArticle(path, time::Days{}, {});
    ASSERT_FALSE(a.ok());
    EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument) << a.status().ToString();
  }
  auto missing = engine_->Ingest((dir_ / "no-such.csv").string(), {});
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST_F(WritesTest, NonUtf8FileNameIsStoredRepairedWithAWarning) {
  const std::string path = Write("incidents-\xFF\xFE.csv", std::string(facade::testing::kAcledHeader) + Row("SYR1"));
  auto r = engine_->Ingest(path, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(FindInvalidUtf8(r->path).has_value());
  EXPECT_NE(r->path.find("incidents-\xEF\xBF\xBD"), std::string::npos) << r->path;
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_NE(r->warnings[0].find("not valid UTF-8 (byte 0xFF)"), std::string::npos) << r->warnings[0];
  auto detail = engine_->Incident(1);
  ASSERT_TRUE(detail.ok()) << detail.status().ToString();
  ASSERT_EQ(detail->records.size(), 1u);
  EXPECT_EQ(detail->records[0].source_file, r->path);
  // Errors name the file as stored too.
  const std::string bad = Write("bad-\xFF.csv", std::string(facade::testing::kAcledHeader) + Row("SYR2", "91"));
  auto e = engine_->Ingest(bad, {});
  ASSERT_FALSE(e.ok());
  EXPECT_FALSE(FindInvalidUtf8(e.status().message()).has_value()) << e.status().message();
}

}  // namespace
}  // namespace truce
