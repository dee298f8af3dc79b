#include "sqlite_db.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <filesystem>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

#include "sql_store.h"
#include "truce/core/strings.h"
#include "truce/store/store.h"

namespace truce::store::sqlite {
namespace {

std::int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// SQLITE_BUSY and SQLITE_LOCKED (with their extended codes): another
// connection holds the lock; the caller may try again later.
bool IsBusy(int rc) {
  const int primary = rc & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

class SqliteStatement final : public sql::Statement {
 public:
  SqliteStatement(const SqliteDb* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}

  void BindNull(int i) override { sqlite3_bind_null(stmt_.get(), i); }
  void BindInt(int i, std::int64_t v) override { sqlite3_bind_int64(stmt_.get(), i, v); }
  void BindReal(int i, double v) override { sqlite3_bind_double(stmt_.get(), i, v); }
  void BindText(int i, std::string_view v) override {
    sqlite3_bind_text64(stmt_.get(), i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  }
  void BindTextUntilReset(int i, std::string_view v) override {
    sqlite3_bind_text64(stmt_.get(), i, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
  }
  Result<bool> Step(std::string_view what) override {
    int rc = sqlite3_step(stmt_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return db_->Error(what, rc);
  }
  void Reset() override {
    sqlite3_reset(stmt_.get());
    sqlite3_clear_bindings(stmt_.get());
  }

  int ColumnCount() const override { return sqlite3_column_count(stmt_.get()); }
  std::string_view ColumnName(int col) const override { return sqlite3_column_name(stmt_.get(), col); }
  sql::Type ColumnType(int col) const override {
    switch (sqlite3_column_type(stmt_.get(), col)) {
      case SQLITE_NULL: return sql::Type::kNull;
      case SQLITE_INTEGER: return sql::Type::kInteger;
      case SQLITE_FLOAT: return sql::Type::kReal;
      case SQLITE_TEXT: return sql::Type::kText;
      default: return sql::Type::kBlob;
    }
  }
  std::int64_t Int(int col) const override { return sqlite3_column_int64(stmt_.get(), col); }
  double Real(int col) const override { return sqlite3_column_double(stmt_.get(), col); }
  std::string_view TextView(int col) const override {
    // Text or blob bytes as stored (column_blob does not convert).
    const void* p = sqlite3_column_type(stmt_.get(), col) == SQLITE_BLOB
                        ? sqlite3_column_blob(stmt_.get(), col)
                        : static_cast<const void*>(sqlite3_column_text(stmt_.get(), col));
    if (p == nullptr) return {};
    return std::string_view(static_cast<const char*>(p),
                            static_cast<size_t>(sqlite3_column_bytes(stmt_.get(), col)));
  }

 private:
  const SqliteDb* db_;
  std::unique_ptr<sqlite3_stmt, StmtFinalizer> stmt_;
};

}  // namespace

int BusyWait::Handler(void* self, int count) {
  auto* w = static_cast<BusyWait*>(self);
  const std::int64_t now = NowNs();
  if (count == 0) {
    w->started_ns = now;
    if (w->timeout_ms > 0 && w->on_wait) w->on_wait();
  }
  const std::int64_t waited_ms = (now - w->started_ns) / 1'000'000;
  if (waited_ms >= w->timeout_ms) return 0;
  const std::int64_t step_ms = std::min<std::int64_t>(std::int64_t{1} << std::min(count, 7), 100);
  std::this_thread::sleep_for(std::chrono::milliseconds(std::min(step_ms, w->timeout_ms - waited_ms)));
  return 1;
}

SqliteDb::SqliteDb(std::unique_ptr<sqlite3, DbCloser> db, std::string path, std::unique_ptr<BusyWait> busy)
    : sql::Db(std::move(path)), busy_(std::move(busy)), db_(std::move(db)) {}

SqliteDb::~SqliteDb() {
  DropStatements();
  if (InTransaction()) (void)Exec("ROLLBACK", "rolling back on close");
  (void)UnlockJobs();
}

Result<bool> SqliteDb::TryLockJobs() {
  if (jobs_fd_ >= 0) return Status::FailedPrecondition(path() + ": the job lock is already held here");
  const std::string file = path() + "-jobs";
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IoError(file + ": opening the job lock: " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) return false;
    return Status::IoError(file + ": taking the job lock: " + std::strerror(err));
  }
  jobs_fd_ = fd;
  return true;
}

Status SqliteDb::UnlockJobs() {
  if (jobs_fd_ < 0) return Status::Ok();
  ::close(jobs_fd_);  // drops the flock
  jobs_fd_ = -1;
  return Status::Ok();
}

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path, std::int64_t busy_timeout_ms,
                                                 std::function<void()> on_wait) {
  // Once per process, before SQLite initializes (sqlite3_open does; a later
  // call is refused and changes nothing): a statement's journal (the old
  // contents of the pages one statement changes, so that it alone can be
  // undone) is kept in memory up to 4 MiB instead of 64 KiB. An insert of
  // one row changes a few pages of its table and each index; with the 16 KiB
  // pages new databases had on 7-8 December (they keep them) that passed
  // 64 KiB, and from then on every statement of the transaction wrote its
  // journal to a temporary file in pieces of 4 bytes: a million pwrite calls
  // for 100 000 rows, 8 s of system time on a 600 000-row ingest. New
  // databases have 4 KiB pages again (OpenSqlite); a batch of many rows in
  // one statement can still pass 64 KiB.
  static const int kStmtJournalConfigured = sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 4 << 20);
  (void)kStmtJournalConfigured;
  auto busy = std::make_unique<BusyWait>();
  busy->timeout_ms = busy_timeout_ms;
  busy->on_wait = std::move(on_wait);
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  std::unique_ptr<sqlite3, DbCloser> handle(raw);  // closed on every path, even when open failed
  if (rc != SQLITE_OK) {
    std::string msg = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    return Status::DatabaseError(path + ": cannot open the database: " + msg);
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_handler(raw, &BusyWait::Handler, busy.get());
  return std::make_unique<SqliteDb>(std::move(handle), path, std::move(busy));
}

Result<sql::Stmt> SqliteDb::Prepare(std::string_view sql, std::string_view what) {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &s, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(s);
    return Error(what, rc);
  }
  return sql::Stmt(std::make_unique<SqliteStatement>(this, s));
}

Status SqliteDb::Failure(std::string_view what, int rc, const std::string& msg) const {
  if (IsBusy(rc)) {
    return Status::Busy(path() + ": " + std::string(what) + ": another writer holds the database (" + msg + ")");
  }
  return Status::DatabaseError(path() + ": " + std::string(what) + ": " + msg);
}

Status SqliteDb::Exec(std::string_view sql, std::string_view what) {
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

Result<std::vector<std::optional<std::int64_t>>> SqliteDb::InsertRows(
    const sql::InsertSpec& spec, const sql::Rows& rows, const std::function<std::string(std::size_t)>& what) {
  std::string text = "INSERT INTO " + spec.table + " (";
  std::string marks;
  for (std::size_t c = 0; c < spec.columns.size(); ++c) {
    text += (c > 0 ? ", " : "") + spec.columns[c].first;
    marks += c > 0 ? ", ?" : "?";
  }
  text += ") VALUES (" + marks + ")";
  if (!spec.on_conflict.empty()) text += " " + spec.on_conflict;
  text += " RETURNING id";
  TRUCE_ASSIGN_OR_RETURN(sql::Stmt * s, Cached(text, what(rows.size())));
  std::vector<std::optional<std::int64_t>> ids;
  ids.reserve(rows.size());
  // A row's description is built only when it failed: building it for
  // every row of a large ingest cost more than binding the row.
  auto failed = [&](std::size_t r) { return Error(what(r), sqlite3_extended_errcode(db_.get())); };
  for (std::size_t r = 0; r < rows.size(); ++r) {
    sql::ScopedReset reset(s);  // before `rows` goes: the text is bound without a copy
    for (std::size_t c = 0; c < rows.columns(); ++c) {
      const sql::Rows::Value& v = rows.at(r, c);
      const int i = static_cast<int>(c) + 1;
      switch (v.type) {
        case sql::Type::kInteger: s->Bind(i, v.i); break;
        case sql::Type::kReal: s->Bind(i, v.r); break;
        case sql::Type::kText:
        case sql::Type::kBlob: s->BindUntilReset(i, v.text); break;
        case sql::Type::kNull: s->BindNull(i); break;
      }
    }
    // RETURNING yields no row when the conflict clause skipped the row.
    Result<bool> row = s->Step("");
    if (!row.ok()) return failed(r);
    if (!*row) {
      ids.emplace_back();
      continue;
    }
    ids.emplace_back(s->Int(0));
    if (!s->Run("").ok()) return failed(r);
  }
  return ids;
}

Result<std::string> SqliteDb::SwitchJournal(std::string_view mode) {
  const std::string what = "switching to journal mode " + std::string(mode);
  TRUCE_ASSIGN_OR_RETURN(sql::Stmt s, Prepare("PRAGMA journal_mode = " + std::string(mode), what));
  const std::int64_t timeout_ms = busy_->timeout_ms;
  busy_->timeout_ms = 0;
  Result<bool> row = s.Step(what);
  busy_->timeout_ms = timeout_ms;
  if (!row.ok()) {
    if (row.status().code() == StatusCode::kBusy) return std::string();
    return row.status();
  }
  if (!*row) return Status::Internal(path() + ": " + what + ": no answer");
  std::string now = ToLowerAscii(s.TextView(0));
  return now;
}

// Leaving WAL takes the database's exclusive lock, which SQLite grants only
// when no other connection has it open: tried once, not waited for, and the
// WAL kept when it is refused. New pages then go once into the database
// file (a rollback journal holds only the old contents of the pages the
// transaction changes), where WAL writes each twice: into the WAL, then the
// checkpoint's copy. synchronous FULL: the journal reaches the disk before
// the database is changed (NORMAL may lose a rollback journal's commit on
// power loss).
Status SqliteDb::BeginBulkWrite(std::string_view what) {
  if (!bulk_) {
    TRUCE_ASSIGN_OR_RETURN(std::string mode, SwitchJournal("DELETE"));
    bulk_ = mode == "delete";
  }
  if (bulk_) TRUCE_RETURN_IF_ERROR(Exec("PRAGMA synchronous = FULL", "setting synchronous mode"));
  return BeginWrite(what);
}

// Back to WAL, tried once: when another connection opened the database
// meanwhile, it stays in the rollback journal until the next open switches
// it (OpenSqlite), and the commit stands.
Status SqliteDb::EndBulk() {
  if (!bulk_ || InTransaction()) return Status::Ok();
  TRUCE_RETURN_IF_ERROR(Exec("PRAGMA synchronous = NORMAL", "setting synchronous mode"));
  TRUCE_ASSIGN_OR_RETURN(std::string mode, SwitchJournal("WAL"));
  if (mode == "wal") bulk_ = false;
  return Status::Ok();
}

Result<bool> SqliteDb::TableExists(std::string_view table) {
  const char* what = "reading the schema version";
  TRUCE_ASSIGN_OR_RETURN(sql::Stmt* s,
                         Cached("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", what));
  sql::ScopedReset reset(s);
  s->Bind(1, table);
  TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
  return row && s->Int(0) > 0;
}

Status SqliteDb::Error(std::string_view what, int rc) const {
  // sqlite3_errmsg describes the most recent failure on this connection,
  // which is the one that returned `rc`; fall back to the code's text.
  const char* msg = sqlite3_errcode(db_.get()) == (rc & 0xff) || sqlite3_extended_errcode(db_.get()) == rc
                        ? sqlite3_errmsg(db_.get())
                        : sqlite3_errstr(rc);
  return Failure(what, rc, msg);
}

}  // namespace truce::store::sqlite

namespace truce::store {

Result<std::unique_ptr<Store>> OpenSqlite(const std::string& path, const OpenOptions& options) {
  if (path.empty()) return Status::InvalidArgument("no database path given");
  if (path != ":memory:") {
    // SQLite's own message here is only "unable to open database file".
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path p(path);
    if (fs::is_directory(p, ec)) return Status::IoError(path + ": is a directory, not a database file");
    fs::path dir = p.parent_path();
    if (!dir.empty() && !fs::is_directory(dir, ec)) {
      return Status::IoError(path + ": cannot create the database: directory '" + dir.string() +
                             "' does not exist");
    }
  }
  if (options.busy_timeout_ms < 0) {
    return Status::InvalidArgument("busy timeout " + std::to_string(options.busy_timeout_ms) + " ms: must be >= 0");
  }
  TRUCE_ASSIGN_OR_RETURN(std::unique_ptr<sqlite::SqliteDb> db,
                         sqlite::SqliteDb::Open(path, options.busy_timeout_ms, options.on_wait));
  // The first read: a file that is not a database fails here ("file is not a database").
  TRUCE_RETURN_IF_ERROR(db->Exec("SELECT COUNT(*) FROM sqlite_master", "opening the database"));
  TRUCE_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys = ON", "enabling foreign keys"));
  // A new database keeps SQLite's default 4 KiB pages. 16 KiB pages (6 %
  // smaller for a large ingest) made `truce rule` fail with "database or
  // disk is full" while storing the findings of 100 000 incidents
  // (bench/serve's data; 4 KiB pages rule the same data); until that is
  // understood and tested, not again (docs/design.md).
  TRUCE_RETURN_IF_ERROR(db->Exec("PRAGMA journal_mode = WAL", "switching to WAL journal mode"));
  TRUCE_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous = NORMAL", "setting synchronous mode"));
  // A page cache of up to 256 MiB (taken only as pages are used; SQLite's
  // default is 2 MiB): a large ingest's transaction keeps its index pages
  // (content hashes land all over the index) in memory instead of spilling
  // them to the WAL and reading them back, which cost most of the time.
  TRUCE_RETURN_IF_ERROR(db->Exec("PRAGMA cache_size = -262144", "setting the page cache size"));
  return NewSqlStore(std::move(db));
}

}  // namespace truce::store
