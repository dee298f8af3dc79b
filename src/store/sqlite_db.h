// A small RAII layer over the sqlite3 C API, private to the store module:
// one Db owns a connection, a Stmt owns a prepared statement. Errors come back
// as Status::DatabaseError naming the database file, what was being done and
// SQLite's own message. Thread-safety: one Db per thread, like the Store.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "truce/core/status.h"

namespace truce::store::sqlite {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

class Db;

// A prepared statement. Bind indices are 1-based, as in SQLite; column
// indices are 0-based. Text is bound by copy (SQLITE_TRANSIENT).
class Stmt {
 public:
  Stmt() = default;
  Stmt(Db* db, sqlite3_stmt* stmt, std::string sql) : db_(db), stmt_(stmt), sql_(std::move(sql)) {}

  void BindNull(int i) { sqlite3_bind_null(stmt_.get(), i); }
  void Bind(int i, std::int64_t v) { sqlite3_bind_int64(stmt_.get(), i, v); }
  void Bind(int i, int v) { sqlite3_bind_int64(stmt_.get(), i, v); }
  void Bind(int i, double v) { sqlite3_bind_double(stmt_.get(), i, v); }
  void Bind(int i, std::string_view v) {
    sqlite3_bind_text64(stmt_.get(), i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  }
  void Bind(int i, const std::string& v) { Bind(i, std::string_view(v)); }
  void Bind(int i, const char* v) { Bind(i, std::string_view(v)); }
  template <typename T>
  void Bind(int i, const std::optional<T>& v) {
    if (v) {
      Bind(i, *v);
    } else {
      BindNull(i);
    }
  }

  // Steps once: true with a row, false when done; `what` names the operation
  // in the error ("inserting incident").
  Result<bool> Step(std::string_view what);
  // Steps to the end, for statements that return no rows.
  Status Run(std::string_view what);
  // Ready for reuse: resets and clears bindings.
  void Reset() {
    sqlite3_reset(stmt_.get());
    sqlite3_clear_bindings(stmt_.get());
  }

  bool IsNull(int col) const { return sqlite3_column_type(stmt_.get(), col) == SQLITE_NULL; }
  std::int64_t Int(int col) const { return sqlite3_column_int64(stmt_.get(), col); }
  double Real(int col) const { return sqlite3_column_double(stmt_.get(), col); }
  std::string Text(int col) const;
  std::optional<std::string> OptText(int col) const {
    return IsNull(col) ? std::nullopt : std::optional<std::string>(Text(col));
  }
  std::optional<std::int64_t> OptInt(int col) const {
    return IsNull(col) ? std::nullopt : std::optional<std::int64_t>(Int(col));
  }

  sqlite3_stmt* get() const { return stmt_.get(); }

 private:
  Db* db_ = nullptr;
  std::unique_ptr<sqlite3_stmt, StmtFinalizer> stmt_;
  std::string sql_;
};

// Resets a (cached) statement when it leaves scope, so that an unfinished
// SELECT does not keep a read transaction open.
class ScopedReset {
 public:
  explicit ScopedReset(Stmt* s) : s_(s) {}
  ~ScopedReset() { s_->Reset(); }
  ScopedReset(const ScopedReset&) = delete;
  ScopedReset& operator=(const ScopedReset&) = delete;

 private:
  Stmt* s_;
};

class Db {
 public:
  // Opens (creating when missing) the file at `path`. Does not touch its
  // contents: a file that is not a database fails on the first statement.
  static Result<std::unique_ptr<Db>> Open(const std::string& path);

  // Prepares a one-off statement.
  Result<Stmt> Prepare(std::string_view sql, std::string_view what);
  // A statement prepared once per connection and kept, for hot paths. The
  // returned pointer stays valid for the Db's life; reset by the caller
  // (ScopedReset) before the next use. Not reentrant: do not use the same SQL
  // from inside a loop over it.
  Result<Stmt*> Cached(const std::string& sql, std::string_view what);
  // Runs one or more statements with no parameters.
  Status Exec(std::string_view sql, std::string_view what);

  // "file.db: what: SQLite's message": DatabaseError, or Busy when another
  // connection holds the lock (SQLITE_BUSY, SQLITE_LOCKED).
  Status Error(std::string_view what) const;
  Status Error(std::string_view what, int rc) const;

  bool InTransaction() const { return sqlite3_get_autocommit(db_.get()) == 0; }
  const std::string& path() const { return path_; }
  sqlite3* get() const { return db_.get(); }

  // Use Open().
  Db(std::unique_ptr<sqlite3, DbCloser> db, std::string path) : db_(std::move(db)), path_(std::move(path)) {}

 private:
  Status Failure(std::string_view what, int rc, const std::string& msg) const;

  // Declared first so that it is destroyed last, after the statements.
  std::unique_ptr<sqlite3, DbCloser> db_;
  std::string path_;
  std::unordered_map<std::string, std::unique_ptr<Stmt>> cache_;
};

}  // namespace truce::store::sqlite
