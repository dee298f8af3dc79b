// The PostgreSQL engine of the store's SQL layer (sql.h), private to the
// store module: one PgDb owns a libpq connection, a statement is a
// server-side prepared statement (PQprepare/PQexecPrepared, parameters sent
// as values, never spliced into SQL). `?` and `?N` become `$N`; every
// parameter is sent untyped and takes the type its place in the statement
// gives it (a column's, LIMIT's bigint), like SQLite's affinity. Results come
// as text and are typed by their column (int2/4/8 integer, float4/8 real,
// the rest text). Errors name the URL without its password.
// Thread-safety: one Db per thread, like the Store.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "sql.h"
#include "truce/core/status.h"

namespace truce::store::pg {

struct ConnCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};

// Whether a --db value is a PostgreSQL URL (postgresql:// or postgres://).
bool IsUrl(std::string_view db);

// The URL as messages show it: its password (user:PASSWORD@, ?password=)
// removed.
std::string RedactUrl(std::string_view url);

// `?` and `?N` placeholders rewritten to `$N` (a bare `?` takes the next
// number after the highest so far, as in SQLite), outside quoted literals,
// quoted identifiers and comments. `*params` gets the highest number.
std::string RewriteParams(std::string_view sql, int* params);

// A migration statement (SQLite's spelling, schema.cc) in PostgreSQL's:
// `INTEGER PRIMARY KEY` (an id assigned on insert) becomes a BIGINT identity
// that also takes explicit ids (truce copy); INTEGER is BIGINT (SQLite's are
// 64-bit); TEXT compares byte by byte (COLLATE "C", SQLite's BINARY), so that
// orders and paging do not depend on the database's locale.
std::string TranslateDdl(std::string_view sql);

// Appends `v` to a PostgreSQL array literal as one element: double-quoted,
// with `"` and `\` escaped by a backslash (so that NULL, braces, commas and
// spaces stay text).
void AppendArrayText(std::string* out, std::string_view v);

class PgDb final : public sql::Db {
 public:
  // Connects to `url` (postgresql://user[:pw]@host:port/db or postgres://).
  static Result<std::unique_ptr<PgDb>> Open(const std::string& url, std::int64_t busy_timeout_ms,
                                            std::function<void()> on_wait);
  ~PgDb() override;

  Result<sql::Stmt> Prepare(std::string_view sql, std::string_view what) override;
  Status Exec(std::string_view sql, std::string_view what) override;
  // Ids from the table's sequence (one statement), then one INSERT ... SELECT
  // FROM unnest($1::bigint[], $2::text[], ...) RETURNING id: the rows go as
  // one array literal per column, parameters like any other.
  Result<std::vector<std::optional<std::int64_t>>> InsertRows(
      const sql::InsertSpec& spec, const sql::Rows& rows,
      const std::function<std::string(std::size_t)>& what) override;
  // BEGIN, then the database's write lock (a transaction-scoped advisory
  // lock: one writer at a time, as SQLite's BEGIN IMMEDIATE), waiting up to
  // the busy timeout (then Busy).
  Status BeginWrite(std::string_view what) override;
  // A REPEATABLE READ READ ONLY transaction: one snapshot throughout.
  Status BeginRead(std::string_view what) override;
  bool InTransaction() const override;
  Result<bool> TableExists(std::string_view table) override;
  std::string Ddl(std::string_view sql) const override { return TranslateDdl(sql); }
  // The server's encoding (server_encoding, as the server reported it when
  // the connection opened) is UTF8.
  bool CharactersAreUtf8() const override;
  Status RowsCopied(const std::string& table, std::string_view what) override;
  // A session-level advisory lock on its own key (the write lock's is
  // transaction-level): held across transactions until unlocked or the
  // connection ends.
  Result<bool> TryLockJobs() override;
  Status UnlockJobs() override;

  // "URL: what: the server's message": DatabaseError, or Busy for a lock
  // timeout. Takes the result (may be null: the connection's message).
  Status Error(std::string_view what, const PGresult* res) const;
  PGconn* conn() const { return conn_.get(); }
  // A name for the next prepared statement on this connection.
  std::string NextName() { return "truce_s" + std::to_string(++statements_); }

  // Use Open().
  PgDb(std::unique_ptr<PGconn, ConnCloser> conn, std::string name, std::int64_t busy_timeout_ms,
       std::function<void()> on_wait);

 private:
  std::unique_ptr<PGconn, ConnCloser> conn_;
  bool jobs_locked_ = false;  // the job lock is this session's
  std::int64_t busy_timeout_ms_;
  std::function<void()> on_wait_;
  std::int64_t statements_ = 0;
};

}  // namespace truce::store::pg
