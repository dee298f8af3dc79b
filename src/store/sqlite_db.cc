#include "sqlite_db.h"

#include <string>

namespace truce::store::sqlite {

Result<bool> Stmt::Step(std::string_view what) {
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db_->Error(what, rc);
}

Status Stmt::Run(std::string_view what) {
  for (;;) {
    TRUCE_ASSIGN_OR_RETURN(bool row, Step(what));
    if (!row) return Status::Ok();
  }
}

std::string Stmt::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_.get(), col);
  if (p == nullptr) return {};
  int n = sqlite3_column_bytes(stmt_.get(), col);
  return std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  std::unique_ptr<sqlite3, DbCloser> handle(raw);  // closed on every path, even when open failed
  if (rc != SQLITE_OK) {
    std::string msg = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    return Status::DatabaseError(path + ": cannot open the database: " + msg);
  }
  sqlite3_extended_result_codes(raw, 1);
  return std::make_unique<Db>(std::move(handle), path);
}

Result<Stmt> Db::Prepare(std::string_view sql, std::string_view what) {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &s, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(s);
    return Error(what, rc);
  }
  return Stmt(this, s, std::string(sql));
}

Result<Stmt*> Db::Cached(const std::string& sql, std::string_view what) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return it->second.get();
  TRUCE_ASSIGN_OR_RETURN(Stmt s, Prepare(sql, what));
  auto owned = std::make_unique<Stmt>(std::move(s));
  Stmt* p = owned.get();
  cache_.emplace(sql, std::move(owned));
  return p;
}

namespace {

// SQLITE_BUSY and SQLITE_LOCKED (with their extended codes): another
// connection holds the lock; the caller may try again later.
bool IsBusy(int rc) {
  const int primary = rc & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

}  // namespace

Status Db::Failure(std::string_view what, int rc, const std::string& msg) const {
  if (IsBusy(rc)) {
    return Status::Busy(path_ + ": " + std::string(what) + ": another writer holds the database (" + msg + ")");
  }
  return Status::DatabaseError(path_ + ": " + std::string(what) + ": " + msg);
}

Status Db::Exec(std::string_view sql, std::string_view what) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err != nullptr ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return Failure(what, rc, msg);
  }
  return Status::Ok();
}

Status Db::Error(std::string_view what) const {
  return Failure(what, sqlite3_extended_errcode(db_.get()), sqlite3_errmsg(db_.get()));
}

Status Db::Error(std::string_view what, int rc) const {
  // sqlite3_errmsg describes the most recent failure on this connection,
  // which is the one that returned `rc`; fall back to the code's text.
  const char* msg = sqlite3_errcode(db_.get()) == (rc & 0xff) || sqlite3_extended_errcode(db_.get()) == rc
                        ? sqlite3_errmsg(db_.get())
                        : sqlite3_errstr(rc);
  return Failure(what, rc, msg);
}

}  // namespace truce::store::sqlite
