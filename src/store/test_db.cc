#include "test_db.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>

#include "pg_db.h"
#include "schema.h"
#include "sqlite_db.h"

namespace truce::store::testdb {
namespace {

namespace fs = std::filesystem;

// Runs tests/pglib.py with `args` as a child of this process (its watchdog
// watches our pid); true on exit status 0.
bool RunPglib(const std::vector<std::string>& args) {
  const char* src = std::getenv("TRUCE_SOURCE_DIR");
  std::string script = std::string(src != nullptr ? src : TRUCE_SOURCE_DIR) + "/tests/pglib.py";
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    std::string py = "python3";
    argv.push_back(py.data());
    argv.push_back(script.data());
    std::vector<std::string> copy = args;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execvp("python3", argv.data());
    _exit(127);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) < 0) return false;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// A server started by this binary (no fixture): stopped at exit.
struct OwnServer {
  std::string state_dir;
  ~OwnServer() {
    if (!state_dir.empty()) {
      RunPglib({"fixture-stop", state_dir});
      fs::remove_all(state_dir);
    }
  }
};
OwnServer own_server;

// The admin URL (…/postgres) of the test server.
std::string AdminUrl() {
  static std::once_flag once;
  static std::string url;
  std::call_once(once, [] {
    std::string file;
    if (const char* f = std::getenv("TRUCE_TEST_PG_URL_FILE"); f != nullptr && *f != '\0') {
      file = f;
    } else {
      own_server.state_dir = ::testing::TempDir() + "truce_pg_" + std::to_string(getpid());
      if (!RunPglib({"fixture-start", own_server.state_dir})) return;
      file = own_server.state_dir + "/url";
    }
    std::ifstream in(file);
    std::getline(in, url);
  });
  return url;
}

std::string Base(const std::string& admin) { return admin.substr(0, admin.rfind('/')); }

std::atomic<int> counter{0};

Status AdminExec(const std::string& sql) {
  TRUCE_ASSIGN_OR_RETURN(std::unique_ptr<pg::PgDb> admin, pg::PgDb::Open(AdminUrl(), 0, nullptr));
  return admin->Exec(sql, "administering the test server");
}

}  // namespace

std::string EngineName(Engine e) { return e == Engine::kSqlite ? "Sqlite" : "Postgres"; }

TestDatabase::TestDatabase(Engine engine, const std::string& hint) : engine_(engine) {
  std::string clean = std::regex_replace(hint, std::regex("[^A-Za-z0-9]+"), "_");
  if (engine == Engine::kSqlite) {
    db_ = ::testing::TempDir() + "truce_" + std::to_string(getpid()) + "_" + clean + "_" +
          std::to_string(++counter) + ".db";
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db_ + suffix);
    return;
  }
  const std::string admin = AdminUrl();
  if (admin.empty()) {
    ADD_FAILURE() << "no PostgreSQL test server (TRUCE_TEST_PG_URL_FILE unset and tests/pglib.py could not start one)";
    db_ = "postgresql://127.0.0.1:1/none";
    return;
  }
  // Database names are identifiers: the hint, shortened (63 bytes at most).
  pg_name_ = "t" + std::to_string(getpid()) + "_" + std::to_string(++counter) + "_" + clean.substr(0, 40);
  std::transform(pg_name_.begin(), pg_name_.end(), pg_name_.begin(), [](char c) { return std::tolower(c); });
  Status s = AdminExec("CREATE DATABASE \"" + pg_name_ + "\"");
  EXPECT_TRUE(s.ok()) << s.ToString();
  db_ = Base(admin) + "/" + pg_name_;
}

TestDatabase::~TestDatabase() {
  if (engine_ == Engine::kSqlite) {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db_ + suffix);
  } else if (!pg_name_.empty()) {
    (void)AdminExec("DROP DATABASE IF EXISTS \"" + pg_name_ + "\" WITH (FORCE)");
  }
}

Result<std::unique_ptr<sql::Db>> TestDatabase::Connect() const {
  if (engine_ == Engine::kSqlite) {
    TRUCE_ASSIGN_OR_RETURN(std::unique_ptr<sqlite::SqliteDb> db, sqlite::SqliteDb::Open(db_, 0, nullptr));
    return std::unique_ptr<sql::Db>(std::move(db));
  }
  TRUCE_ASSIGN_OR_RETURN(std::unique_ptr<pg::PgDb> db, pg::PgDb::Open(db_, 0, nullptr));
  return std::unique_ptr<sql::Db>(std::move(db));
}

std::string TestDatabase::Ddl(const std::string& sql) const {
  return engine_ == Engine::kSqlite ? sql : pg::TranslateDdl(sql);
}

std::string TestDatabase::SchemaAt(int version) const {
  std::string sql = Ddl(kCreateSchemaVersionTable) + ";\n";
  for (const Migration& m : Migrations()) {
    if (m.version > version) break;
    for (const std::string& stmt : m.statements) sql += Ddl(stmt) + ";\n";
    sql += "INSERT INTO schema_version (version, description, applied_at) VALUES (" + std::to_string(m.version) +
           ", 'old', '2024-01-01T00:00:00Z');\n";
  }
  return sql;
}

Status TestDatabase::Exec(const std::string& sql) const {
  TRUCE_ASSIGN_OR_RETURN(std::unique_ptr<sql::Db> db, Connect());
  return db->Exec(sql, "running test SQL");
}

Result<std::string> TestDatabase::QueryText(const std::string& sql) const {
  TRUCE_ASSIGN_OR_RETURN(std::unique_ptr<sql::Db> db, Connect());
  TRUCE_ASSIGN_OR_RETURN(sql::Stmt s, db->Prepare(sql, "running a test query"));
  TRUCE_ASSIGN_OR_RETURN(bool row, s.Step("running a test query"));
  if (!row) return Status::NotFound("no row: " + sql);
  return s.IsNull(0) ? std::string("<null>") : s.Text(0);
}

}  // namespace truce::store::testdb
