// The SQLite engine of the store's SQL layer (sql.h), private to the store
// module: one SqliteDb owns a connection (WAL, foreign keys on), a statement
// owns its sqlite3_stmt. Errors name the database file. Thread-safety: one
// Db per thread, like the Store.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "sql.h"
#include "truce/core/status.h"

namespace truce::store::sqlite {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};

// How a write waits for another writer's lock (OpenOptions): 1 ms, doubling
// up to 100 ms, until timeout_ms have passed since the wait began.
struct BusyWait {
  std::int64_t timeout_ms = 0;
  std::function<void()> on_wait;
  std::int64_t started_ns = 0;
  static int Handler(void* self, int count);
};

class SqliteDb final : public sql::Db {
 public:
  // Opens (creating when missing) the file at `path`. Does not touch its
  // contents: a file that is not a database fails on the first statement.
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path, std::int64_t busy_timeout_ms,
                                                std::function<void()> on_wait);
  ~SqliteDb() override;

  Result<sql::Stmt> Prepare(std::string_view sql, std::string_view what) override;
  Status Exec(std::string_view sql, std::string_view what) override;
  // The one-row INSERT, prepared once, run per row.
  Result<std::vector<std::optional<std::int64_t>>> InsertRows(
      const sql::InsertSpec& spec, const sql::Rows& rows,
      const std::function<std::string(std::size_t)>& what) override;
  Status BeginWrite(std::string_view what) override { return Exec("BEGIN IMMEDIATE", what); }
  // Through a rollback journal when this is the database's only connection
  // (Store::BeginBulk); EndBulk puts the WAL back.
  Status BeginBulkWrite(std::string_view what) override;
  Status EndBulk() override;
  Status BeginRead(std::string_view what) override { return Exec("BEGIN", what); }
  bool InTransaction() const override { return sqlite3_get_autocommit(db_.get()) == 0; }
  Result<bool> TableExists(std::string_view table) override;
  // An exclusive flock(2) on the file beside the database, `path`-jobs
  // (created when missing; never the database file itself, whose POSIX locks
  // a close(2) of another descriptor would drop).
  Result<bool> TryLockJobs() override;
  Status UnlockJobs() override;

  // "file.db: what: SQLite's message": DatabaseError, or Busy when another
  // connection holds the lock (SQLITE_BUSY, SQLITE_LOCKED).
  Status Error(std::string_view what, int rc) const;

  // Use Open().
  SqliteDb(std::unique_ptr<sqlite3, DbCloser> db, std::string path, std::unique_ptr<BusyWait> busy);

 private:
  Status Failure(std::string_view what, int rc, const std::string& msg) const;
  // Sets the journal mode, trying once (no busy wait): the mode in force
  // after it, lower case, or "" when the database was busy.
  Result<std::string> SwitchJournal(std::string_view mode);

  std::unique_ptr<BusyWait> busy_;  // outlives the connection that calls it
  std::unique_ptr<sqlite3, DbCloser> db_;
  int jobs_fd_ = -1;  // the job lock's file while held
  bool bulk_ = false;  // in a rollback journal since BeginBulkWrite
};

}  // namespace truce::store::sqlite
