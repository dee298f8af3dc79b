// The store's SQL layer, private to the store module: the one interface the
// Store (sql_store.cc) and the evidence log (evidence.cc) are written
// against, with an engine behind it per database: SQLite (sqlite_db.h) and
// PostgreSQL (pg_db.h). Statements use `?` or numbered `?N` parameters
// (1-based, as in SQLite) and portable SQL; what differs between engines is
// behind Db (how a write transaction starts, a read snapshot, whether a table
// exists, the DDL spellings of Ddl()). Errors come back as
// Status::DatabaseError naming the database, what was being done and the
// engine's own message, or Status::Busy when another writer holds the lock.
// Thread-safety: one Db per thread, like the Store.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "truce/core/status.h"

namespace truce::store::sql {

// A column value's type in the current row.
enum class Type { kNull, kInteger, kReal, kText, kBlob };

// What an engine implements for one prepared statement. Bind indices are
// 1-based; column indices 0-based. Text is bound by copy (BindText).
class Statement {
 public:
  virtual ~Statement() = default;
  virtual void BindNull(int i) = 0;
  virtual void BindInt(int i, std::int64_t v) = 0;
  virtual void BindReal(int i, double v) = 0;
  virtual void BindText(int i, std::string_view v) = 0;
  // Binds text that stays valid and unchanged until the statement is reset
  // (Db::InsertRows binds its Rows): no copy where the engine allows it.
  virtual void BindTextUntilReset(int i, std::string_view v) { BindText(i, v); }
  // True with a row, false when done.
  virtual Result<bool> Step(std::string_view what) = 0;
  // Ready for reuse: the results dropped, the bindings cleared.
  virtual void Reset() = 0;

  virtual int ColumnCount() const = 0;
  virtual std::string_view ColumnName(int col) const = 0;
  virtual Type ColumnType(int col) const = 0;
  virtual std::int64_t Int(int col) const = 0;
  virtual double Real(int col) const = 0;
  // Valid until the next Step or Reset.
  virtual std::string_view TextView(int col) const = 0;
};

// A prepared statement: the engine's, with the overloads callers use.
class Stmt {
 public:
  Stmt() = default;
  explicit Stmt(std::unique_ptr<Statement> impl) : impl_(std::move(impl)) {}

  void BindNull(int i) { impl_->BindNull(i); }
  void Bind(int i, std::int64_t v) { impl_->BindInt(i, v); }
  void Bind(int i, int v) { impl_->BindInt(i, v); }
  void Bind(int i, double v) { impl_->BindReal(i, v); }
  void Bind(int i, std::string_view v) { impl_->BindText(i, v); }
  void Bind(int i, const std::string& v) { impl_->BindText(i, v); }
  void Bind(int i, const char* v) { impl_->BindText(i, v); }
  void BindUntilReset(int i, std::string_view v) { impl_->BindTextUntilReset(i, v); }
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
  Result<bool> Step(std::string_view what) { return impl_->Step(what); }
  // Steps to the end, for statements that return no rows.
  Status Run(std::string_view what) {
    for (;;) {
      TRUCE_ASSIGN_OR_RETURN(bool row, Step(what));
      if (!row) return Status::Ok();
    }
  }
  void Reset() { impl_->Reset(); }

  int ColumnCount() const { return impl_->ColumnCount(); }
  std::string_view ColumnName(int col) const { return impl_->ColumnName(col); }
  Type ColumnType(int col) const { return impl_->ColumnType(col); }
  bool IsNull(int col) const { return impl_->ColumnType(col) == Type::kNull; }
  std::int64_t Int(int col) const { return impl_->Int(col); }
  double Real(int col) const { return impl_->Real(col); }
  std::string_view TextView(int col) const { return impl_->TextView(col); }
  std::string Text(int col) const { return std::string(impl_->TextView(col)); }
  std::optional<std::string> OptText(int col) const {
    return IsNull(col) ? std::nullopt : std::optional<std::string>(Text(col));
  }
  std::optional<std::int64_t> OptInt(int col) const {
    return IsNull(col) ? std::nullopt : std::optional<std::int64_t>(Int(col));
  }

 private:
  std::unique_ptr<Statement> impl_;
};

// Resets a (cached) statement when it leaves scope, so that an unfinished
// SELECT does not keep a read open.
class ScopedReset {
 public:
  explicit ScopedReset(Stmt* s) : s_(s) {}
  ~ScopedReset() { s_->Reset(); }
  ScopedReset(const ScopedReset&) = delete;
  ScopedReset& operator=(const ScopedReset&) = delete;

 private:
  Stmt* s_;
};

// A multi-row INSERT into a table whose `id` is assigned on insert
// (Db::InsertRows): the columns after `id` with their types, and an optional
// `ON CONFLICT (...) DO NOTHING` clause. Names and clause come from the code,
// never from input.
struct InsertSpec {
  std::string table;
  std::vector<std::pair<std::string, Type>> columns;
  std::string on_conflict;
};

// The values of Db::InsertRows, row by row, each row's in the order of the
// spec's columns (the caller adds exactly that many per row). Text is not
// copied: Text(string_view) and Opt(const optional&) borrow the caller's
// bytes, which must stay valid until InsertRows returns (a large ingest's
// rows are its records, already in memory: copying them cost ~10 % of its
// CPU); a temporary string (Text(std::string&&), Opt(optional&&)) is moved
// into the Rows and kept there.
class Rows {
 public:
  struct Value {
    Type type = Type::kNull;
    std::int64_t i = 0;
    double r = 0;
    std::string_view text;
  };
  explicit Rows(std::size_t columns) : columns_(columns) {}
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;

  void Reserve(std::size_t rows) { values_.reserve(rows * columns_); }
  void Null() { values_.emplace_back(); }
  void Int(std::int64_t v) { values_.push_back({Type::kInteger, v, 0, {}}); }
  void Real(double v) { values_.push_back({Type::kReal, 0, v, {}}); }
  void Text(std::string_view v) { values_.push_back({Type::kText, 0, 0, v}); }
  void Text(const char* v) { Text(std::string_view(v)); }
  void Text(std::string&& v) {
    owned_.push_back(std::move(v));
    Text(std::string_view(owned_.back()));
  }
  template <typename T>
  void Opt(const std::optional<T>& v) {
    if (!v) {
      Null();
    } else if constexpr (std::is_floating_point_v<T>) {
      Real(*v);
    } else if constexpr (std::is_integral_v<T>) {
      Int(*v);
    } else {
      Text(std::string_view(*v));
    }
  }
  void Opt(std::optional<std::string>&& v) {
    if (!v) {
      Null();
    } else {
      Text(std::move(*v));
    }
  }

  std::size_t columns() const { return columns_; }
  std::size_t size() const { return columns_ == 0 ? 0 : values_.size() / columns_; }
  const Value& at(std::size_t row, std::size_t col) const { return values_[row * columns_ + col]; }
  void Clear() {
    values_.clear();
    owned_.clear();
  }

 private:
  std::size_t columns_;
  std::vector<Value> values_;
  std::deque<std::string> owned_;  // stable addresses: values_ point into it
};

// One connection.
class Db {
 public:
  virtual ~Db() = default;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Prepares a one-off statement.
  virtual Result<Stmt> Prepare(std::string_view sql, std::string_view what) = 0;
  // A statement prepared once per connection and kept, for hot paths. The
  // returned pointer stays valid for the Db's life; reset by the caller
  // (ScopedReset) before the next use. Not reentrant: do not use the same SQL
  // from inside a loop over it.
  Result<Stmt*> Cached(const std::string& sql, std::string_view what) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return it->second.get();
    TRUCE_ASSIGN_OR_RETURN(Stmt s, Prepare(sql, what));
    auto owned = std::make_unique<Stmt>(std::move(s));
    Stmt* p = owned.get();
    cache_.emplace(sql, std::move(owned));
    return p;
  }
  // Runs one or more statements with no parameters.
  virtual Status Exec(std::string_view sql, std::string_view what) = 0;
  // Inserts `rows` into `spec.table`: each row's new id in order, or nullopt
  // for a row the conflict clause skipped (a row may conflict with an earlier
  // row of the same call). SQLite: the one-row prepared statement in a loop
  // (no round trips to save); PostgreSQL: ids drawn from the table's sequence
  // in one statement, then one INSERT ... SELECT FROM unnest(arrays) for
  // all the rows (two round trips, not one per row). `what(i)` names row i in
  // errors; `what(rows.size())` names the whole batch. All or nothing only
  // within the caller's transaction.
  virtual Result<std::vector<std::optional<std::int64_t>>> InsertRows(
      const InsertSpec& spec, const Rows& rows, const std::function<std::string(std::size_t)>& what) = 0;

  // Opens a write transaction holding the database's write lock, waiting for
  // another writer as the store was opened to (then Busy).
  virtual Status BeginWrite(std::string_view what) = 0;
  // BeginWrite for a transaction that adds many rows (Store::BeginBulk);
  // EndBulk after its COMMIT or ROLLBACK puts back what it changed.
  virtual Status BeginBulkWrite(std::string_view what) { return BeginWrite(what); }
  virtual Status EndBulk() { return Status::Ok(); }
  // Opens a read-only transaction that sees one snapshot throughout.
  virtual Status BeginRead(std::string_view what) = 0;
  virtual bool InTransaction() const = 0;
  // Whether the table exists (the schema_version bookkeeping).
  virtual Result<bool> TableExists(std::string_view table) = 0;
  // Whether the SQL function substr counts a text's characters as UTF-8
  // code points (SQLite; PostgreSQL when the server's encoding is UTF8).
  // When not, a place in a text given in characters is only meant where
  // every character before its end is one byte (ASCII).
  virtual bool CharactersAreUtf8() const { return true; }
  // A migration's statement in this engine's spelling (schema.cc writes
  // SQLite's: `id INTEGER PRIMARY KEY` for an id assigned on insert).
  virtual std::string Ddl(std::string_view sql) const { return std::string(sql); }
  // Called after rows were inserted into `table` with their ids given (truce
  // copy): an engine whose ids come from a sequence moves it past them.
  virtual Status RowsCopied(const std::string& /*table*/, std::string_view /*what*/) { return Status::Ok(); }
  // The database's job lock (Store::TryLockJobs): taken at once or not.
  virtual Result<bool> TryLockJobs() = 0;
  virtual Status UnlockJobs() = 0;

  // How errors name the database: its file, or its URL without a password.
  const std::string& path() const { return name_; }

 protected:
  explicit Db(std::string name) : name_(std::move(name)) {}
  // Engines call it first in their destructor: statements go before the
  // connection they were prepared on.
  void DropStatements() { cache_.clear(); }

 private:
  std::string name_;
  std::unordered_map<std::string, std::unique_ptr<Stmt>> cache_;
};

}  // namespace truce::store::sql
