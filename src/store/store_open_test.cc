// Opening, schema versions and migrations of the SQLite store.
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <gtest/gtest.h>

#include "evidence.h"
#include "schema.h"
#include "sqlite_db.h"
#include "truce/store/store.h"

namespace truce::store {
namespace {

namespace fs = std::filesystem;

void RemoveDb(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
}

// Database files the tests made, removed when the binary exits.
struct Cleanup {
  std::vector<std::string> paths;
  ~Cleanup() {
    for (const std::string& p : paths) RemoveDb(p);
  }
};
Cleanup cleanup;

// A fresh database path per test (the file and its WAL companions removed).
std::string FreshDbPath() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  // The pid keeps concurrent runs (two build trees) apart.
  std::string path = ::testing::TempDir() + "truce_open_" + std::to_string(getpid()) + "_" + info->test_suite_name() +
                     "_" + info->name() + ".db";
  RemoveDb(path);
  cleanup.paths.push_back(path);
  return path;
}

// Runs SQL on the file behind the store's back, as another program would.
void RawExec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string msg = err != nullptr ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << msg;
}

std::string RawQueryText(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  std::string out = "<error>";
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
    const unsigned char* t = sqlite3_column_text(s, 0);
    out = t != nullptr ? reinterpret_cast<const char*>(t) : "<null>";
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

std::unique_ptr<Store> OpenOrDie(const std::string& path) {
  Result<std::unique_ptr<Store>> s = OpenSqlite(path);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(s).value() : nullptr;
}

TEST(SchemaTest, MigrationsAreAscendingWithoutGaps) {
  const auto& ms = Migrations();
  ASSERT_FALSE(ms.empty());
  for (size_t i = 0; i < ms.size(); ++i) {
    EXPECT_EQ(ms[i].version, static_cast<int>(i) + 1);
    EXPECT_FALSE(ms[i].statements.empty());
  }
  EXPECT_EQ(LatestSchemaVersion(), ms.back().version);
}

TEST(StoreOpenTest, MigrateTwiceIsIdempotentAndReportsTheVersion) {
  std::string path = FreshDbPath();
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  Result<int> before = store->SchemaVersion();
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_EQ(*before, 0);

  ASSERT_TRUE(store->Migrate().ok());
  Result<int> v = store->SchemaVersion();
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, LatestSchemaVersion());
  Status again = store->Migrate();
  EXPECT_TRUE(again.ok()) << again.ToString();
  EXPECT_EQ(*store->SchemaVersion(), LatestSchemaVersion());
  // One bookkeeping row per migration, not per Migrate() call.
  EXPECT_EQ(RawQueryText(path, "SELECT COUNT(*) FROM schema_version"), std::to_string(Migrations().size()));

  // A second process migrating the same file changes nothing either.
  store.reset();
  auto other = OpenOrDie(path);
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->Migrate().ok());
  EXPECT_EQ(RawQueryText(path, "SELECT COUNT(*) FROM schema_version"), std::to_string(Migrations().size()));
  Result<std::int64_t> n = other->CountReports();
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 0);
}

// A database as a truce with only migration 1 wrote it, with one report and
// one incident in it.
void MakeVersion1Database(const std::string& path) {
  std::string sql = std::string(kCreateSchemaVersionTable) + ";\n";
  for (const std::string& stmt : Migrations().at(0).statements) sql += stmt + ";\n";
  sql += "INSERT INTO schema_version (version, description, applied_at) VALUES (1, 'v1', '2024-01-01T00:00:00Z');\n"
         "INSERT INTO reports (dataset, source_file, file_hash, file_row, raw, content_hash) "
         "VALUES ('acled', 'a.csv', 'fh', 2, 'the row', 'ch');\n"
         "INSERT INTO incidents (report_id, dataset, source_id, first_day, last_day, date_precision, event_type, "
         "sub_event_type, native_code, actor1, assoc_actor1, actor2, assoc_actor2, country, iso3, admin1, admin2, "
         "admin3, location, lat_deg, lon_deg, uncertainty_m, geo_precision, time_precision, fatalities, source, "
         "notes) VALUES (1, 'acled', 'SYR1', '2020-03-07', '2020-03-07', 'day', 'Battles', 'Armed clash', '', "
         "'A', '', 'B', '', 'Syria', 'SYR', 'Idlib', '', '', 'Saraqib', 35.86, 36.8, 0, 1, 1, 2, 'src', 'old');\n";
  RawExec(path, sql);
}

TEST(StoreOpenTest, Version1DatabaseIsRefusedUntilMigratedThenKeepsItsData) {
  std::string path = FreshDbPath();
  MakeVersion1Database(path);
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  EXPECT_EQ(*store->SchemaVersion(), 1);
  Result<std::int64_t> before = store->CountReports();
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(before.status().message().find("run 'truce init' to upgrade"), std::string::npos)
      << before.status().message();

  Status m = store->Migrate();
  ASSERT_TRUE(m.ok()) << m.ToString();
  EXPECT_EQ(*store->SchemaVersion(), LatestSchemaVersion());
  EXPECT_GE(LatestSchemaVersion(), 2);
  // Migration 1 was not run again: one bookkeeping row per version.
  EXPECT_EQ(RawQueryText(path, "SELECT COUNT(*) FROM schema_version"), std::to_string(Migrations().size()));
  EXPECT_EQ(RawQueryText(path, "SELECT description FROM schema_version WHERE version = 1"), "v1");

  // The old incident is kept, with no span.
  Result<std::optional<model::Report>> old = store->GetReport(1);
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  ASSERT_TRUE(old->has_value());
  EXPECT_EQ((*old)->source_id, "SYR1");
  EXPECT_EQ((*old)->notes, "old");
  EXPECT_EQ((*old)->fatalities, 2);
  EXPECT_FALSE((*old)->span_begin.has_value());
  EXPECT_FALSE((*old)->span_end.has_value());
  Result<std::optional<model::SourceRecord>> rep = store->GetSourceRecord(1);
  ASSERT_TRUE(rep.ok() && rep->has_value());
  EXPECT_EQ((*rep)->raw, "the row");

  // The new parts work on the upgraded file.
  model::Report in = **old;
  in.source_id = "news#e1";
  in.span_begin = 3;
  in.span_end = 40;
  Result<std::int64_t> id = store->InsertReport(in);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ((*store->GetReport(*id))->span_end, std::optional<std::int64_t>(40));
  model::Claim c;
  c.record_id = 1;
  c.kind = "killed";
  c.count = 2;
  ASSERT_TRUE(store->InsertClaim(c).ok());
  EXPECT_EQ(store->ListClaims(1)->size(), 1u);
  EXPECT_EQ(*store->CountReports(), 2);

  // Migrating again changes nothing.
  ASSERT_TRUE(store->Migrate().ok());
  EXPECT_EQ(RawQueryText(path, "SELECT COUNT(*) FROM schema_version"), std::to_string(Migrations().size()));
}

// A database of schema version 7 (before reports_file_hash was dropped),
// with a report and its evidence entry: migrating drops the index, keeps the
// report and leaves the evidence log intact.
TEST(StoreOpenTest, Version7DatabaseLosesTheUnusedFileHashIndexAndKeepsItsData) {
  std::string path = FreshDbPath();
  // Version 7 as its migrations wrote it, with a report, and the evidence
  // log's genesis entry covering it (as migration 4 writes it).
  std::string sql = std::string(kCreateSchemaVersionTable) + ";\n";
  for (const Migration& m : Migrations()) {
    if (m.version > 7) break;
    for (const std::string& stmt : m.statements) sql += stmt + ";\n";
    sql += "INSERT INTO schema_version VALUES (" + std::to_string(m.version) + ", 'v', '2024-01-01T00:00:00Z');\n";
  }
  sql += "INSERT INTO reports (dataset, source_file, file_hash, file_row, raw, content_hash) "
         "VALUES ('acled', 'a.csv', 'fh', 2, 'the row', 'ch');\n";
  RawExec(path, sql);
  {
    Result<std::unique_ptr<sqlite::SqliteDb>> raw = sqlite::SqliteDb::Open(path, 0, nullptr);
    ASSERT_TRUE(raw.ok()) << raw.status().ToString();
    evidence::Recorder recorder(raw->get());
    Status genesis = recorder.EnsureGenesis();
    ASSERT_TRUE(genesis.ok()) << genesis.ToString();
  }
  ASSERT_EQ(RawQueryText(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'reports_file_hash'"), "1");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  EXPECT_EQ(*store->SchemaVersion(), 7);
  Status m = store->Migrate();
  ASSERT_TRUE(m.ok()) << m.ToString();
  EXPECT_EQ(*store->SchemaVersion(), LatestSchemaVersion());
  EXPECT_EQ(RawQueryText(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'reports_file_hash'"), "0");
  Result<std::optional<model::SourceRecord>> rep = store->GetSourceRecord(1);
  ASSERT_TRUE(rep.ok() && rep->has_value());
  EXPECT_EQ((*rep)->raw, "the row");
  Result<EvidenceReport> v = store->VerifyEvidence();
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(v->intact());
  EXPECT_EQ(v->rows, 1);
  ASSERT_TRUE(store->Migrate().ok());
  EXPECT_EQ(RawQueryText(path, "SELECT COUNT(*) FROM schema_version"), std::to_string(Migrations().size()));
}

TEST(StoreOpenTest, FailedMigrationLeavesVersion1Intact) {
  std::string path = FreshDbPath();
  MakeVersion1Database(path);
  // Someone made a claims table by hand: migration 2 fails and is rolled back whole.
  RawExec(path, "CREATE TABLE claims (x INTEGER)");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  Status m = store->Migrate();
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.message().find("migration 2"), std::string::npos) << m.message();
  EXPECT_EQ(*store->SchemaVersion(), 1);
  // The ALTER TABLEs of the failed migration were rolled back too.
  EXPECT_EQ(RawQueryText(path, "SELECT COUNT(*) FROM pragma_table_info('incidents') WHERE name = 'span_begin'"),
            "0");
  EXPECT_EQ(RawQueryText(path, "SELECT notes FROM incidents WHERE id = 1"), "old");
}

TEST(StoreOpenTest, OpensInWalModeWithForeignKeys) {
  std::string path = FreshDbPath();
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  EXPECT_EQ(RawQueryText(path, "PRAGMA journal_mode"), "wal");
}

// A new database has SQLite's default 4 KiB pages (16 KiB pages made a
// large `truce rule` fail, sqlite_db.cc); a version-1 database opens,
// migrates and keeps its pages.
TEST(StoreOpenTest, NewDatabaseHas4KiBPagesAndAnOldOneMigrates) {
  std::string path = FreshDbPath();
  {
    auto store = OpenOrDie(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->Migrate().ok());
  }
  EXPECT_EQ(RawQueryText(path, "PRAGMA page_size"), "4096");

  std::string old = path + "-old.db";
  RemoveDb(old);
  cleanup.paths.push_back(old);
  MakeVersion1Database(old);
  ASSERT_EQ(RawQueryText(old, "PRAGMA page_size"), "4096");
  auto store = OpenOrDie(old);
  ASSERT_TRUE(store);
  Status m = store->Migrate();
  ASSERT_TRUE(m.ok()) << m.ToString();
  Result<std::int64_t> n = store->CountReports();
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(RawQueryText(old, "PRAGMA page_size"), "4096");
  EXPECT_EQ(RawQueryText(old, "SELECT notes FROM incidents WHERE id = 1"), "old");
}

TEST(StoreOpenTest, UnmigratedDatabaseIsRefused) {
  std::string path = FreshDbPath();
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  Result<std::int64_t> n = store->CountReports();
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(n.status().message().find("database not initialised; run 'truce init'"), std::string::npos)
      << n.status().message();
  EXPECT_NE(n.status().message().find(path), std::string::npos);

  model::SourceRecord r;
  r.content_hash = "h";
  Result<std::optional<std::int64_t>> ins = store->InsertSourceRecord(r);
  ASSERT_FALSE(ins.ok());
  EXPECT_EQ(ins.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store->ListAgreements().status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store->QueryFindings({}).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store->ReplaceFindings({}, {}).code(), StatusCode::kFailedPrecondition);

  // A foreign SQLite database (tables, but not ours) is refused the same way.
  RawExec(path, "CREATE TABLE something_else (x INTEGER)");
  auto again = OpenOrDie(path);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->CountReports().status().code(), StatusCode::kFailedPrecondition);
  // And Migrate then brings it up.
  ASSERT_TRUE(again->Migrate().ok());
  EXPECT_TRUE(again->CountReports().ok());
}

TEST(StoreOpenTest, NewerSchemaIsRefused) {
  std::string path = FreshDbPath();
  {
    auto store = OpenOrDie(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->Migrate().ok());
  }
  const int newer = LatestSchemaVersion() + 1;
  RawExec(path, "INSERT INTO schema_version (version, description, applied_at) VALUES (" + std::to_string(newer) +
                    ", 'from the future', '2031-01-01T00:00:00Z')");
  auto store = OpenOrDie(path);
  ASSERT_TRUE(store);
  EXPECT_EQ(*store->SchemaVersion(), newer);
  Status m = store->Migrate();
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(m.message().find("newer"), std::string::npos) << m.message();
  EXPECT_NE(m.message().find(std::to_string(newer)), std::string::npos) << m.message();
  EXPECT_EQ(store->CountReports().status().code(), StatusCode::kFailedPrecondition);
  // Migrate did not touch the bookkeeping.
  EXPECT_EQ(RawQueryText(path, "SELECT COUNT(*) FROM schema_version"), std::to_string(Migrations().size() + 1));
}

TEST(StoreOpenTest, MigrateInsideATransactionIsRefused) {
  auto store = OpenOrDie(FreshDbPath());
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Migrate().ok());
  ASSERT_TRUE(store->Begin().ok());
  EXPECT_EQ(store->Migrate().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(store->Rollback().ok());
}

TEST(StoreOpenTest, FileThatIsNotADatabaseGivesAClearError) {
  for (size_t size : {size_t{4096}, size_t{20}}) {
    std::string path = FreshDbPath() + std::to_string(size);
    {
      std::ofstream out(path, std::ios::binary);
      for (size_t i = 0; i < size; ++i) out.put(static_cast<char>('a' + i % 26));
    }
    Result<std::unique_ptr<Store>> s = OpenSqlite(path);
    ASSERT_FALSE(s.ok()) << "size " << size;
    EXPECT_EQ(s.status().code(), StatusCode::kDatabaseError);
    EXPECT_NE(s.status().message().find(path), std::string::npos) << s.status().message();
    EXPECT_NE(s.status().message().find("not a database"), std::string::npos) << s.status().message();
    fs::remove(path);
  }
}

TEST(StoreOpenTest, MissingDirectoryNamesThePath) {
  std::string dir = ::testing::TempDir() + "truce_no_such_dir_for_store";
  fs::remove_all(dir);
  std::string path = dir + "/truce.db";
  Result<std::unique_ptr<Store>> s = OpenSqlite(path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kIoError);
  EXPECT_NE(s.status().message().find(path), std::string::npos) << s.status().message();
  EXPECT_NE(s.status().message().find("does not exist"), std::string::npos) << s.status().message();
  EXPECT_FALSE(fs::exists(dir));
}

TEST(StoreOpenTest, DirectoryIsNotADatabase) {
  std::string dir = ::testing::TempDir() + "truce_store_dir_as_db";
  fs::create_directories(dir);
  Result<std::unique_ptr<Store>> s = OpenSqlite(dir);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kIoError);
  EXPECT_NE(s.status().message().find(dir), std::string::npos);
  fs::remove_all(dir);
}

TEST(StoreOpenTest, EmptyPathIsInvalid) {
  EXPECT_EQ(OpenSqlite("").status().code(), StatusCode::kInvalidArgument);
}

TEST(OpenStoreTest, AnUnreachablePostgresServerIsADatabaseErrorWithoutThePassword) {
  // Port 1 on the loopback: nothing listens there, the refusal is immediate.
  for (const char* url : {"postgresql://user:s3cret@127.0.0.1:1/truce?connect_timeout=5",
                          "postgres://user:s3cret@127.0.0.1:1/truce", "POSTGRESQL://user@127.0.0.1:1/truce?password=s3cret"}) {
    Result<std::unique_ptr<Store>> s = OpenStore(url);
    ASSERT_FALSE(s.ok()) << url;
    EXPECT_EQ(s.status().code(), StatusCode::kDatabaseError);
    EXPECT_NE(s.status().message().find("cannot connect"), std::string::npos) << s.status().message();
    EXPECT_NE(s.status().message().find("127.0.0.1:1/truce"), std::string::npos) << s.status().message();
    EXPECT_EQ(s.status().message().find("s3cret"), std::string::npos) << s.status().message();
  }
}

TEST(OpenStoreTest, PathOpensSqlite) {
  std::string path = FreshDbPath();
  Result<std::unique_ptr<Store>> s = OpenStore(path);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_TRUE((*s)->Migrate().ok());
  EXPECT_TRUE(fs::exists(path));
  // A path that merely contains "postgres" is still a path.
  std::string odd = ::testing::TempDir() + "postgres_truce_" + std::to_string(getpid()) + ".db";
  fs::remove(odd);
  EXPECT_TRUE(OpenStore(odd).ok());
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(odd + suffix);
}

}  // namespace
}  // namespace truce::store
