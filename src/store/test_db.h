// Test support for the store's unit tests (linked into store_test and
// facade_test): a fresh database per test on either engine, SQL run behind
// the store's back, as another program would, and a civil day.
//
// PostgreSQL databases live on the server of the CTest fixture truce_pg (its
// URL in the file TRUCE_TEST_PG_URL_FILE names); a test binary run by hand
// starts a server of its own through tests/pglib.py (stopped at exit, and by
// its watchdog if the binary is killed). Each TestDatabase is a database of
// its own, dropped when it goes.
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "sql.h"
#include "truce/core/status.h"
#include "truce/time/time.h"

namespace truce::store::testdb {

enum class Engine { kSqlite, kPostgres };

// "Sqlite" / "Postgres": the instantiation names of value-parameterised
// suites (so that ctest can tell the PostgreSQL half apart).
std::string EngineName(Engine e);
// The same as the name generator of INSTANTIATE_TEST_SUITE_P.
inline std::string ParamName(const ::testing::TestParamInfo<Engine>& info) { return EngineName(info.param); }

// A civil day from "YYYY-MM-DD" (a test failure, and day 0, if it is not one).
inline time::Days Day(const std::string& iso) {
  Result<time::Days> d = time::ParseIsoDate(iso);
  EXPECT_TRUE(d.ok()) << iso;
  return d.ok() ? *d : time::Days{};
}

// One database for one test: a file under the test temp directory (removed
// with its WAL companions), or a PostgreSQL database (dropped).
class TestDatabase {
 public:
  TestDatabase(Engine engine, const std::string& hint);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // What --db would be given: a path or a postgresql:// URL.
  const std::string& db() const { return db_; }
  Engine engine() const { return engine_; }

  // Runs SQL statements (no results) outside any store.
  Status Exec(const std::string& sql) const;
  // The first column of the first row as text ("<null>" for NULL).
  Result<std::string> QueryText(const std::string& sql) const;
  // A migration statement (SQLite's spelling) as this engine's store runs it.
  std::string Ddl(const std::string& sql) const;
  // SQL that makes a database as the migrations up to `version` left it (their
  // own statements, each recorded in schema_version), to test an upgrade.
  std::string SchemaAt(int version) const;
  // A raw connection, for tests that hold locks or read rows themselves.
  Result<std::unique_ptr<sql::Db>> Connect() const;

 private:
  Engine engine_;
  std::string db_;
  std::string pg_name_;
};

}  // namespace truce::store::testdb
