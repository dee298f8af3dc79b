// truce copy's engine (store/copy.cc) on SQLite files: what is copied, the
// refusals, a target that changes what it is given, a tampered source.
#include "truce/store/copy.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_db.h"
#include "truce/core/sha256.h"

namespace truce::store {
namespace {

namespace fs = std::filesystem;

void Sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << msg;
}

std::vector<std::string> SqliteTables(const std::string& path) {
  std::vector<std::string> out;
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'schema_version' ORDER BY name",
                     -1, &s, nullptr);
  while (sqlite3_step(s) == SQLITE_ROW) out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

std::string NotesOf(int r) { return "the \"notes\" of row " + std::to_string(r) + " \xc3\xa9"; }
std::string RawOf(int r) {
  return "row " + std::to_string(r) + ",\"quoted\"\nnext line \xc3\xa9,\"the \"\"notes\"\" of row " + std::to_string(r) +
         " \xc3\xa9\"";
}

class CopyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = ::testing::TempDir() + "truce_copy_" + std::to_string(getpid()) + "_" + info->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    from_ = dir_ + "/from.db";
    to_ = dir_ + "/to.db";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Store> Open(const std::string& path) {
    auto s = OpenStore(path);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    if (!s.ok()) return nullptr;
    EXPECT_TRUE((*s)->Migrate().ok());
    return std::move(s).value();
  }

  // Reports with their incidents, an agreement and a token: every kind of
  // row the evidence log covers. The incidents' notes are kept as their place
  // in the raw record (schema 10), after a multibyte character, in characters.
  void Fill(const std::string& path, int rows) {
    auto store = Open(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->Begin().ok());
    for (int r = 1; r <= rows; ++r) {
      model::SourceRecord rec;
      rec.dataset = "acled";
      rec.source_file = "a.csv";
      rec.file_hash = Sha256Hex("a.csv");
      rec.row = r;
      rec.raw = RawOf(r);
      rec.content_hash = Sha256Hex("acled" + rec.raw);
      auto id = store->InsertSourceRecord(rec);
      ASSERT_TRUE(id.ok() && id->has_value());
      model::Report rep;
      rep.record_id = **id;
      rep.dataset = "acled";
      // Not "S" + std::to_string(r): GCC 12 at -O3 warns falsely
      // (-Wrestrict) about the copy it inlines for that.
      rep.source_id = std::string(1, 'S') + std::to_string(r);
      rep.time.first_day = rep.time.last_day = *time::ParseIsoDate("2020-03-07");
      rep.location = "Saraqib";
      rep.point = {35.86 + r * 1e-7, 36.8};
      rep.uncertainty_m = 0.1 * r;
      rep.event_type = "Battles";
      rep.notes = NotesOf(r);
      ASSERT_TRUE(store->InsertReports({&rep}, {rec.raw}).ok());
    }
    FileRecord f{Sha256Hex("a.csv"), "a.csv", "acled-2023", rows, rows, "2024-01-01T00:00:00Z"};
    ASSERT_TRUE(store->PutFile(f).ok());
    ASSERT_TRUE(store->Commit().ok());
    StoredAgreement a{"b-agreement", "B", "b.yaml", "h", {{"b.yaml", "id: b\n"}, {"zone.geojson", "{}"}}, "2024-01-02T00:00:00Z"};
    ASSERT_TRUE(store->PutAgreement(a).ok());
    a.id = "a-agreement";
    ASSERT_TRUE(store->PutAgreement(a).ok());
    ASSERT_TRUE(store->InsertToken({0, "field", "analyst", Sha256Hex("t"), "2024-01-03T00:00:00Z", std::nullopt}).ok());
  }

  std::string dir_, from_, to_;
};

TEST_F(CopyTest, EveryTableOfTheSchemaIsCopied) {
  Open(from_);
  std::vector<std::string> copied = CopiedTables();
  std::sort(copied.begin(), copied.end());
  EXPECT_EQ(copied, SqliteTables(from_));
}

TEST_F(CopyTest, CopiesWithIdsHashesAndTheSameEvidenceHead) {
  Fill(from_, 30);
  Result<CopyReport> r = CopyDatabase(from_, to_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->ok());
  EXPECT_TRUE(r->target_intact);
  EXPECT_EQ(r->source_head, r->target_head);
  EXPECT_GT(r->source_entries, 2);
  for (const TableCopy& t : r->tables) {
    EXPECT_TRUE(t.matches()) << t.table;
    if (t.table == "reports" || t.table == "incidents") { EXPECT_EQ(t.source_rows, 30) << t.table; }
    if (t.table == "agreement_files") { EXPECT_EQ(t.source_rows, 4); }
  }
  auto target = Open(to_);
  auto rec = target->GetSourceRecord(17);
  ASSERT_TRUE(rec.ok() && rec->has_value());
  EXPECT_EQ((*rec)->raw, RawOf(17));
  auto in = target->GetReport(17);
  ASSERT_TRUE(in.ok() && in->has_value());
  EXPECT_EQ((*in)->notes, NotesOf(17));
  auto tokens = target->ListTokens();
  ASSERT_TRUE(tokens.ok() && tokens->size() == 1);
  EXPECT_EQ((*tokens)[0].token_hash, Sha256Hex("t"));
  // The next row gets the next id, as in the source.
  model::SourceRecord more;
  more.dataset = "acled";
  more.raw = "more";
  more.content_hash = Sha256Hex("acledmore");
  auto id = target->InsertSourceRecord(more);
  ASSERT_TRUE(id.ok() && id->has_value());
  EXPECT_EQ(**id, 31);
}

TEST_F(CopyTest, ATargetWithDataIsRefusedUnlessReplaced) {
  Fill(from_, 3);
  Fill(to_, 5);
  auto before = Open(to_)->Generation();
  Result<CopyReport> r = CopyDatabase(from_, to_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(r.status().message().find("--replace"), std::string::npos) << r.status().message();
  EXPECT_EQ(*Open(to_)->CountReports(), 5);

  CopyOptions replace;
  replace.replace = true;
  r = CopyDatabase(from_, to_, replace);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->ok());
  auto target = Open(to_);
  EXPECT_EQ(*target->CountReports(), 3);
  // Servers on the target see a change: the generation only grows.
  EXPECT_GT(*target->Generation(), *before);
}

TEST_F(CopyTest, ATargetThatChangesRowsIsRolledBack) {
  Fill(from_, 4);
  Open(to_);
  Sql(to_, "CREATE TRIGGER forge AFTER INSERT ON incidents WHEN NEW.id = 3 BEGIN "
           "UPDATE incidents SET location = 'elsewhere' WHERE id = 3; END");
  Result<CopyReport> r = CopyDatabase(from_, to_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->ok());
  ASSERT_FALSE(r->tables.empty());
  const TableCopy& last = r->tables.back();
  EXPECT_EQ(last.table, "incidents");
  EXPECT_EQ(last.source_rows, last.target_rows);
  EXPECT_NE(last.source_sha256, last.target_sha256);
  EXPECT_EQ(*Open(to_)->CountReports(), 0);  // nothing written
}

TEST_F(CopyTest, ATamperedSourceIsCopiedAsReadAndSaidSo) {
  Fill(from_, 4);
  Sql(from_, "UPDATE reports SET raw = 'forged' WHERE id = 2");
  Result<CopyReport> r = CopyDatabase(from_, to_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->ok());
  EXPECT_FALSE(r->source_intact);
  EXPECT_FALSE(r->target_intact);
  EXPECT_EQ(r->source_head, r->target_head);
}

TEST_F(CopyTest, BadSourcesAndTargets) {
  Result<CopyReport> r = CopyDatabase(from_, to_);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(fs::exists(to_));
  Fill(from_, 1);
  r = CopyDatabase(from_, dir_ + "/../" + fs::path(dir_).filename().string() + "/from.db");
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  r = CopyDatabase(from_, dir_ + "/no/such/dir.db");
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);
  Sql(to_, "CREATE TABLE t (x INTEGER)");
  r = CopyDatabase(to_, dir_ + "/x.db");
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition) << r.status().ToString();
  Sql(from_, "UPDATE schema_version SET version = 99 WHERE version = (SELECT MAX(version) FROM schema_version)");
  r = CopyDatabase(from_, dir_ + "/y.db");
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition) << r.status().ToString();
}

// ---------------------------------------------------------------- across engines

// SQLite -> PostgreSQL, PostgreSQL -> SQLite, PostgreSQL -> PostgreSQL: the
// same rows, hashes and evidence head, ids kept and the next id after them,
// and a copy back that hashes as the original.
class CopyEnginesTest : public CopyTest,
                        public ::testing::WithParamInterface<std::pair<testdb::Engine, testdb::Engine>> {};

TEST_P(CopyEnginesTest, CopiesBothWaysWithIdsHashesAndTheSameEvidenceHead) {
  testdb::TestDatabase from(GetParam().first, "copy_from");
  testdb::TestDatabase to(GetParam().second, "copy_to");
  testdb::TestDatabase back(GetParam().first, "copy_back");
  Fill(from.db(), 30);
  Result<CopyReport> r = CopyDatabase(from.db(), to.db());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->ok());
  EXPECT_TRUE(r->source_intact);
  EXPECT_TRUE(r->target_intact);
  EXPECT_EQ(r->source_head, r->target_head);
  for (const TableCopy& t : r->tables) {
    EXPECT_TRUE(t.matches()) << t.table;
    if (t.table == "reports" || t.table == "incidents") { EXPECT_EQ(t.target_rows, 30) << t.table; }
  }
  {
    auto target = Open(to.db());
    ASSERT_TRUE(target);
    auto rec = target->GetSourceRecord(17);
    ASSERT_TRUE(rec.ok() && rec->has_value()) << rec.status().ToString();
    EXPECT_EQ((*rec)->raw, RawOf(17));
    auto in = target->GetReport(17);
    ASSERT_TRUE(in.ok() && in->has_value());
    EXPECT_EQ((*in)->notes, NotesOf(17));
    EXPECT_EQ(to.QueryText("SELECT COUNT(*) FROM incidents WHERE notes_at IS NOT NULL AND notes = ''").value(), "30");
    EXPECT_EQ((*in)->location, "Saraqib");
    EXPECT_EQ((*in)->event_type, "Battles");
    EXPECT_EQ(to.QueryText("SELECT COUNT(*) FROM incidents WHERE location = '' AND location_ref IS NOT NULL").value(),
              "30");
    EXPECT_EQ(to.QueryText("SELECT COUNT(*) FROM incident_texts").value(), "2");
    EXPECT_EQ((*in)->point.lat_deg, 35.86 + 17 * 1e-7);  // every bit of the double
    EXPECT_EQ((*in)->uncertainty_m, 0.1 * 17);
    model::SourceRecord more;
    more.dataset = "acled";
    more.raw = "more";
    more.content_hash = Sha256Hex("acledmore");
    auto id = target->InsertSourceRecord(more);
    ASSERT_TRUE(id.ok() && id->has_value()) << id.status().ToString();
    EXPECT_EQ(**id, 31);
    auto verify = target->VerifyEvidence();
    ASSERT_TRUE(verify.ok());
    EXPECT_TRUE(verify->intact());
  }
  // And back: what arrives hashes as what left (the row added above included).
  Result<CopyReport> b = CopyDatabase(to.db(), back.db());
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_TRUE(b->ok());
  for (size_t i = 0; i < b->tables.size() && i < r->tables.size(); ++i) {
    const std::string& t = b->tables[i].table;
    // The row added, its file's (path, hash) pair and its entry.
    if (t == "reports" || t == "source_files" || t == "evidence" || t == "evidence_parts") continue;
    EXPECT_EQ(b->tables[i].target_sha256, r->tables[i].source_sha256) << b->tables[i].table;
  }
}

std::string PairName(const ::testing::TestParamInfo<std::pair<testdb::Engine, testdb::Engine>>& info) {
  return testdb::EngineName(info.param.first) + "To" + testdb::EngineName(info.param.second);
}
INSTANTIATE_TEST_SUITE_P(Postgres, CopyEnginesTest,
                         ::testing::Values(std::make_pair(testdb::Engine::kSqlite, testdb::Engine::kPostgres),
                                           std::make_pair(testdb::Engine::kPostgres, testdb::Engine::kSqlite),
                                           std::make_pair(testdb::Engine::kPostgres, testdb::Engine::kPostgres)),
                         PairName);

}  // namespace
}  // namespace truce::store
