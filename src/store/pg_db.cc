#include "pg_db.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "sql_store.h"
#include "truce/core/strings.h"
#include "truce/store/store.h"

namespace truce::store::pg {
namespace {

// The key of the database's write lock (a transaction-scoped advisory lock;
// advisory locks are per database): "truce" in ASCII.
constexpr const char* kTryWriteLock = "SELECT pg_try_advisory_xact_lock(499918954341)";
constexpr const char* kWriteLock = "SELECT pg_advisory_xact_lock(499918954341)";
// The job lock (Store::TryLockJobs), session-level: the write lock's key + 1.
constexpr const char* kTryJobLock = "SELECT pg_try_advisory_lock(499918954342)";
constexpr const char* kJobUnlock = "SELECT pg_advisory_unlock(499918954342)";

// Type OIDs (pg_type.dat), for typing result columns.
constexpr Oid kBoolOid = 16, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kOidOid = 26, kFloat4Oid = 700,
              kFloat8Oid = 701, kNumericOid = 1700, kByteaOid = 17;

struct ResultClear {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultClear>;

bool IdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Calls `code(begin, end)` for each stretch of `sql` outside quoted literals,
// quoted identifiers and comments, `quoted(begin, end)` for the rest, in order.
template <typename Code, typename Quoted>
void SplitQuoted(std::string_view sql, Code code, Quoted quoted) {
  size_t i = 0, start = 0;
  const size_t n = sql.size();
  while (i < n) {
    char c = sql[i];
    size_t end = 0;
    if (c == '\'' || c == '"') {
      end = i + 1;
      while (end < n) {
        if (sql[end] == c) {
          if (end + 1 < n && sql[end + 1] == c) {
            end += 2;  // a doubled quote
            continue;
          }
          ++end;
          break;
        }
        ++end;
      }
    } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      end = sql.find('\n', i);
      end = end == std::string_view::npos ? n : end;
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      end = sql.find("*/", i + 2);
      end = end == std::string_view::npos ? n : end + 2;
    } else {
      ++i;
      continue;
    }
    if (i > start) code(start, i);
    quoted(i, end);
    i = start = end;
  }
  if (n > start) code(start, n);
}

// Replaces whole words `word` (case-sensitive) in `text` by `by`.
std::string ReplaceWord(const std::string& text, std::string_view word, std::string_view by) {
  std::string out;
  size_t i = 0;
  for (;;) {
    size_t at = text.find(word, i);
    if (at == std::string::npos) break;
    const size_t after = at + word.size();
    const bool starts = at == 0 || !IdentChar(text[at - 1]);
    const bool ends = after == text.size() || !IdentChar(text[after]);
    out.append(text, i, at - i);
    out.append(starts && ends ? by : word);
    i = after;
  }
  out.append(text, i, std::string::npos);
  return out;
}

std::string Trimmed(const char* msg) {
  std::string s = msg != nullptr ? msg : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

class PgStatement final : public sql::Statement {
 public:
  PgStatement(PgDb* db, std::string name, int params)
      : db_(db), name_(std::move(name)), values_(static_cast<size_t>(params)), set_(static_cast<size_t>(params)) {}
  ~PgStatement() override {
    res_.reset();
    desc_.reset();
    // Not transactional: a prepared statement outlives a rollback. A failed
    // transaction refuses even this; the statement then lives as long as the
    // connection.
    if (PQstatus(db_->conn()) == CONNECTION_OK && PQtransactionStatus(db_->conn()) != PQTRANS_INERROR) {
      ResultPtr r(PQexec(db_->conn(), ("DEALLOCATE " + name_).c_str()));
    }
  }

  void BindNull(int i) override {
    if (Slot(i)) set_[static_cast<size_t>(i - 1)] = false;
  }
  void BindInt(int i, std::int64_t v) override { Set(i, std::to_string(v)); }
  void BindReal(int i, double v) override {
    // The shortest text that reads back as the same double.
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    (void)ec;
    Set(i, std::string(buf, end));
  }
  void BindText(int i, std::string_view v) override {
    // Text parameters go as C strings: a NUL byte would cut the value short
    // without a word. PostgreSQL's text cannot hold one anyway.
    if (v.find('\0') != std::string_view::npos) nul_param_ = i;
    Set(i, std::string(v));
  }

  Result<bool> Step(std::string_view what) override {
    if (!res_) {
      if (nul_param_ != 0) {
        return Status::DatabaseError(db_->path() + ": " + std::string(what) + ": parameter " +
                                     std::to_string(nul_param_) +
                                     " holds a NUL byte, which PostgreSQL's text cannot store");
      }
      std::vector<const char*> values(values_.size());
      for (size_t k = 0; k < values_.size(); ++k) values[k] = set_[k] ? values_[k].c_str() : nullptr;
      res_.reset(PQexecPrepared(db_->conn(), name_.c_str(), static_cast<int>(values.size()), values.data(), nullptr,
                                nullptr, 0));
      ExecStatusType st = res_ ? PQresultStatus(res_.get()) : PGRES_FATAL_ERROR;
      if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        Status s = db_->Error(what, res_.get());
        res_.reset();
        return s;
      }
      row_ = -1;
      rows_ = PQntuples(res_.get());
    }
    ++row_;
    return row_ < rows_;
  }

  void Reset() override {
    res_.reset();
    row_ = -1;
    rows_ = 0;
    nul_param_ = 0;
    for (size_t k = 0; k < set_.size(); ++k) set_[k] = false;
  }

  int ColumnCount() const override { return PQnfields(Described()); }
  std::string_view ColumnName(int col) const override {
    const char* name = PQfname(Described(), col);
    return name != nullptr ? name : "";
  }
  sql::Type ColumnType(int col) const override {
    if (!res_ || row_ < 0 || row_ >= rows_ || PQgetisnull(res_.get(), row_, col)) return sql::Type::kNull;
    switch (PQftype(res_.get(), col)) {
      case kBoolOid:
      case kInt2Oid:
      case kInt4Oid:
      case kInt8Oid:
      case kOidOid:
        return sql::Type::kInteger;
      case kFloat4Oid:
      case kFloat8Oid:
        return sql::Type::kReal;
      case kNumericOid:
        // SUM of integers is numeric: an integer when it has no fraction.
        return std::strpbrk(Value(col), ".eEN") == nullptr ? sql::Type::kInteger : sql::Type::kReal;
      case kByteaOid:
        return sql::Type::kBlob;
      default:
        return sql::Type::kText;
    }
  }
  std::int64_t Int(int col) const override {
    const char* v = Value(col);
    if (PQftype(res_.get(), col) == kBoolOid) return v[0] == 't' ? 1 : 0;
    std::int64_t out = 0;
    const char* end = v + std::strlen(v);
    auto [p, ec] = std::from_chars(v, end, out);
    if (ec == std::errc() && p == end) return out;
    return static_cast<std::int64_t>(Real(col));  // a real read as an integer, as SQLite does
  }
  double Real(int col) const override {
    const char* v = Value(col);
    double out = 0;
    auto [p, ec] = std::from_chars(v, v + std::strlen(v), out);
    (void)p;
    return ec == std::errc() ? out : 0.0;
  }
  std::string_view TextView(int col) const override {
    if (!res_ || row_ < 0 || row_ >= rows_ || PQgetisnull(res_.get(), row_, col)) return {};
    return std::string_view(PQgetvalue(res_.get(), row_, col),
                            static_cast<size_t>(PQgetlength(res_.get(), row_, col)));
  }

 private:
  bool Slot(int i) const { return i >= 1 && i <= static_cast<int>(values_.size()); }
  void Set(int i, std::string v) {
    if (!Slot(i)) return;
    values_[static_cast<size_t>(i - 1)] = std::move(v);
    set_[static_cast<size_t>(i - 1)] = true;
  }
  const char* Value(int col) const {
    if (!res_ || row_ < 0 || row_ >= rows_) return "";
    return PQgetvalue(res_.get(), row_, col);
  }
  // The result's columns: from the last execution, or described by the
  // server before the first (SQLite knows them once prepared).
  const PGresult* Described() const {
    if (res_) return res_.get();
    if (!desc_) desc_.reset(PQdescribePrepared(db_->conn(), name_.c_str()));
    return desc_.get();
  }

  PgDb* db_;
  std::string name_;
  std::vector<std::string> values_;
  std::vector<bool> set_;
  int nul_param_ = 0;
  ResultPtr res_;
  mutable ResultPtr desc_;
  int row_ = -1;
  int rows_ = 0;
};

void IgnoreNotice(void*, const char*) {}

}  // namespace

bool IsUrl(std::string_view db) {
  std::string lower = ToLowerAscii(std::string(db.substr(0, 16)));
  return StartsWith(lower, "postgresql://") || StartsWith(lower, "postgres://");
}

std::string RedactUrl(std::string_view url) {
  std::string out(url);
  const size_t scheme = out.find("://");
  if (scheme == std::string::npos) return out;
  const size_t auth = scheme + 3;
  const size_t path = out.find_first_of("/?", auth);
  const size_t at = out.rfind('@', path == std::string::npos ? std::string::npos : path);
  if (at != std::string::npos && at >= auth) {
    const size_t colon = out.find(':', auth);
    if (colon != std::string::npos && colon < at) out.erase(colon, at - colon);
  }
  // password=... among the query parameters
  const size_t query = out.find('?', auth);
  if (query != std::string::npos) {
    std::string kept;
    size_t i = query + 1;
    while (i <= out.size()) {
      size_t amp = out.find('&', i);
      if (amp == std::string::npos) amp = out.size();
      std::string param = out.substr(i, amp - i);
      if (!StartsWith(ToLowerAscii(param), "password=") && !param.empty()) {
        kept += (kept.empty() ? "" : "&") + param;
      }
      i = amp + 1;
    }
    out.erase(query);
    if (!kept.empty()) out += "?" + kept;
  }
  return out;
}

std::string RewriteParams(std::string_view sql, int* params) {
  std::string out;
  out.reserve(sql.size() + 16);
  int highest = 0;
  SplitQuoted(
      sql,
      [&](size_t b, size_t e) {
        for (size_t i = b; i < e; ++i) {
          if (sql[i] != '?') {
            out.push_back(sql[i]);
            continue;
          }
          size_t j = i + 1;
          while (j < e && sql[j] >= '0' && sql[j] <= '9') ++j;
          int n = 0;
          if (j > i + 1) {
            std::from_chars(sql.data() + i + 1, sql.data() + j, n);
          } else {
            n = highest + 1;
          }
          if (n > highest) highest = n;
          out.push_back('$');
          out.append(std::to_string(n));
          i = j - 1;
        }
      },
      [&](size_t b, size_t e) { out.append(sql.substr(b, e - b)); });
  if (params != nullptr) *params = highest;
  return out;
}

std::string TranslateDdl(std::string_view sql) {
  std::string head = ToLowerAscii(std::string(sql.substr(0, 12)));
  if (!StartsWith(head, "create table") && !StartsWith(head, "alter table")) return std::string(sql);
  std::string out;
  SplitQuoted(
      sql,
      [&](size_t b, size_t e) {
        std::string code(sql.substr(b, e - b));
        code = ReplaceWord(code, "INTEGER PRIMARY KEY", "ID_IDENTITY_PRIMARY_KEY");
        code = ReplaceWord(code, "INTEGER", "BIGINT");
        code = ReplaceWord(code, "TEXT", "TEXT COLLATE \"C\"");
        code = ReplaceWord(code, "ID_IDENTITY_PRIMARY_KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
        out += code;
      },
      [&](size_t b, size_t e) { out.append(sql.substr(b, e - b)); });
  return out;
}

PgDb::PgDb(std::unique_ptr<PGconn, ConnCloser> conn, std::string name, std::int64_t busy_timeout_ms,
           std::function<void()> on_wait)
    : sql::Db(std::move(name)),
      conn_(std::move(conn)),
      busy_timeout_ms_(busy_timeout_ms),
      on_wait_(std::move(on_wait)) {}

PgDb::~PgDb() {
  DropStatements();
  if (InTransaction()) (void)Exec("ROLLBACK", "rolling back on close");
  // Released here, not when the server notices the closed connection (its
  // backend exits after PQfinish returns): whoever tries next finds it free.
  (void)UnlockJobs();
}

Result<std::unique_ptr<PgDb>> PgDb::Open(const std::string& url, std::int64_t busy_timeout_ms,
                                         std::function<void()> on_wait) {
  const std::string name = RedactUrl(url);
  // The URL's own parameters come first; the encoding is ours (every text
  // Truce stores is UTF-8), and the name shows in pg_stat_activity.
  const char* keys[] = {"dbname", "fallback_application_name", "client_encoding", nullptr};
  const char* values[] = {url.c_str(), "truce", "UTF8", nullptr};
  std::unique_ptr<PGconn, ConnCloser> conn(PQconnectdbParams(keys, values, /*expand_dbname=*/1));
  if (!conn) return Status::DatabaseError(name + ": cannot connect: out of memory");
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return Status::DatabaseError(name + ": cannot connect: " + Trimmed(PQerrorMessage(conn.get())));
  }
  // Notices ("relation ... already exists, skipping") are not errors; libpq
  // would print them on stderr.
  PQsetNoticeProcessor(conn.get(), &IgnoreNotice, nullptr);
  auto db = std::make_unique<PgDb>(std::move(conn), name, busy_timeout_ms, std::move(on_wait));
  // Reals as the shortest text that reads back exactly (PostgreSQL 12 and
  // later; 17 digits before).
  TRUCE_RETURN_IF_ERROR(db->Exec("SET extra_float_digits = 3", "setting the float format"));
  return db;
}

Status PgDb::Error(std::string_view what, const PGresult* res) const {
  std::string msg;
  const char* state = nullptr;
  if (res != nullptr) {
    const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    if (primary != nullptr) {
      msg = primary;
      if (const char* detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL)) msg += " (" + std::string(detail) + ")";
    }
    state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
  }
  if (msg.empty()) msg = Trimmed(PQerrorMessage(conn_.get()));
  if (msg.empty()) msg = "unknown error";
  // lock_not_available: a lock wait ran out (lock_timeout).
  if (state != nullptr && std::strcmp(state, "55P03") == 0) {
    return Status::Busy(path() + ": " + std::string(what) + ": another writer holds the database (" + msg + ")");
  }
  return Status::DatabaseError(path() + ": " + std::string(what) + ": " + msg);
}

Result<sql::Stmt> PgDb::Prepare(std::string_view sql, std::string_view what) {
  int params = 0;
  const std::string text = RewriteParams(sql, &params);
  std::string name = NextName();
  ResultPtr res(PQprepare(conn_.get(), name.c_str(), text.c_str(), 0, nullptr));
  if (!res || PQresultStatus(res.get()) != PGRES_COMMAND_OK) return Error(what, res.get());
  return sql::Stmt(std::make_unique<PgStatement>(this, std::move(name), params));
}

void AppendArrayText(std::string* out, std::string_view v) {
  out->push_back('"');
  for (char c : v) {
    if (c == '"' || c == '\\') out->push_back('\\');
    out->push_back(c);
  }
  out->push_back('"');
}

Result<std::vector<std::optional<std::int64_t>>> PgDb::InsertRows(
    const sql::InsertSpec& spec, const sql::Rows& rows, const std::function<std::string(std::size_t)>& what) {
  std::vector<std::optional<std::int64_t>> ids;
  const std::size_t n = rows.size();
  if (n == 0) return ids;
  // Checked before anything is sent: a text parameter goes as a C string.
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t c = 0; c < rows.columns(); ++c) {
      const sql::Rows::Value& v = rows.at(r, c);
      if (v.type == sql::Type::kText && v.text.find('\0') != std::string::npos) {
        return Status::DatabaseError(path() + ": " + what(r) + ": " + spec.columns[c].first +
                                     " holds a NUL byte, which PostgreSQL's text cannot store");
      }
    }
  }
  const std::string batch = what(n);
  // The ids first, so that each row's is known whatever order the rows are
  // inserted and returned in (a sequence is ours alone while the write lock
  // is held; a skipped row leaves a gap, as a one-row insert's would).
  std::vector<std::int64_t> drawn;
  drawn.reserve(n);
  {
    TRUCE_ASSIGN_OR_RETURN(sql::Stmt * next, Cached("SELECT nextval(pg_get_serial_sequence(?1, 'id')) "
                                                    "FROM generate_series(1, ?2)",
                                                    batch));
    sql::ScopedReset reset(next);
    next->Bind(1, spec.table);
    next->Bind(2, static_cast<std::int64_t>(n));
    for (;;) {
      TRUCE_ASSIGN_OR_RETURN(bool row, next->Step(batch));
      if (!row) break;
      drawn.push_back(next->Int(0));
    }
    if (drawn.size() != n) return Status::Internal(path() + ": " + batch + ": the sequence gave too few ids");
  }
  std::string text = "INSERT INTO " + spec.table + " (id";
  std::string select = "SELECT * FROM unnest(?1::bigint[]";
  for (std::size_t c = 0; c < spec.columns.size(); ++c) {
    text += ", " + spec.columns[c].first;
    const char* type = spec.columns[c].second == sql::Type::kInteger ? "bigint"
                       : spec.columns[c].second == sql::Type::kReal  ? "float8"
                                                                      : "text";
    select += ", ?" + std::to_string(c + 2) + "::" + type + "[]";
  }
  text += ") " + select + ")";
  if (!spec.on_conflict.empty()) text += " " + spec.on_conflict;
  text += " RETURNING id";
  TRUCE_ASSIGN_OR_RETURN(sql::Stmt * ins, Cached(text, batch));
  sql::ScopedReset reset(ins);
  // One array literal per column.
  std::string array = "{";
  char num[64];
  for (std::size_t r = 0; r < n; ++r) {
    if (r > 0) array.push_back(',');
    auto [end, ec] = std::to_chars(num, num + sizeof num, drawn[r]);
    (void)ec;
    array.append(num, end);
  }
  array.push_back('}');
  ins->Bind(1, array);
  for (std::size_t c = 0; c < rows.columns(); ++c) {
    array.assign("{");
    for (std::size_t r = 0; r < n; ++r) {
      if (r > 0) array.push_back(',');
      const sql::Rows::Value& v = rows.at(r, c);
      switch (v.type) {
        case sql::Type::kNull: array.append("NULL"); break;
        case sql::Type::kInteger: {
          auto [end, ec] = std::to_chars(num, num + sizeof num, v.i);
          (void)ec;
          array.append(num, end);
          break;
        }
        case sql::Type::kReal: {
          // The shortest text that reads back as the same double, as BindReal.
          auto [end, ec] = std::to_chars(num, num + sizeof num, v.r);
          (void)ec;
          array.append(num, end);
          break;
        }
        case sql::Type::kText:
        case sql::Type::kBlob: AppendArrayText(&array, v.text); break;
      }
    }
    array.push_back('}');
    ins->Bind(static_cast<int>(c) + 2, array);
  }
  std::unordered_set<std::int64_t> inserted;
  inserted.reserve(n);
  for (;;) {
    TRUCE_ASSIGN_OR_RETURN(bool row, ins->Step(batch));
    if (!row) break;
    inserted.insert(ins->Int(0));
  }
  ids.reserve(n);
  for (std::size_t r = 0; r < n; ++r) {
    if (inserted.count(drawn[r])) {
      ids.emplace_back(drawn[r]);
    } else {
      ids.emplace_back();
    }
  }
  return ids;
}

Status PgDb::Exec(std::string_view sql, std::string_view what) {
  const std::string text(sql);
  ResultPtr res(PQexec(conn_.get(), text.c_str()));
  ExecStatusType st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) return Error(what, res.get());
  // COMMIT of a transaction that failed earlier rolls it back and says only
  // "ROLLBACK": not a success.
  if (text == "COMMIT" && std::strcmp(PQcmdStatus(res.get()), "ROLLBACK") == 0) {
    return Status::DatabaseError(path() + ": " + std::string(what) +
                                 ": the transaction had failed and was rolled back");
  }
  return Status::Ok();
}

bool PgDb::InTransaction() const {
  PGTransactionStatusType st = PQtransactionStatus(conn_.get());
  return st == PQTRANS_INTRANS || st == PQTRANS_INERROR || st == PQTRANS_ACTIVE;
}

Status PgDb::BeginWrite(std::string_view what) {
  TRUCE_RETURN_IF_ERROR(Exec("BEGIN", what));
  auto fail = [&](Status s) {
    (void)Exec("ROLLBACK", "rolling back");
    return s;
  };
  {
    ResultPtr res(PQexec(conn_.get(), kTryWriteLock));
    if (!res || PQresultStatus(res.get()) != PGRES_TUPLES_OK) return fail(Error(what, res.get()));
    if (PQgetvalue(res.get(), 0, 0)[0] == 't') return Status::Ok();
  }
  if (busy_timeout_ms_ <= 0) {
    return fail(Status::Busy(path() + ": " + std::string(what) + ": another writer holds the database"));
  }
  if (on_wait_) on_wait_();
  TRUCE_RETURN_IF_ERROR(
      Exec("SET LOCAL lock_timeout = '" + std::to_string(busy_timeout_ms_) + "ms'", "setting the lock wait"));
  ResultPtr res(PQexec(conn_.get(), kWriteLock));
  if (!res || PQresultStatus(res.get()) != PGRES_TUPLES_OK) {
    Status s = Error(what, res.get());
    if (s.code() == StatusCode::kBusy) {
      s = Status::Busy(path() + ": " + std::string(what) + ": another writer holds the database (waited " +
                       std::to_string(busy_timeout_ms_) + " ms)");
    }
    return fail(s);
  }
  return Exec("SET LOCAL lock_timeout = 0", "resetting the lock wait");
}

Result<bool> PgDb::TryLockJobs() {
  // Session locks stack: taken twice, it would need two unlocks.
  if (jobs_locked_) return Status::FailedPrecondition(path() + ": the job lock is already held here");
  ResultPtr res(PQexec(conn_.get(), kTryJobLock));
  if (!res || PQresultStatus(res.get()) != PGRES_TUPLES_OK) return Error("taking the job lock", res.get());
  jobs_locked_ = PQgetvalue(res.get(), 0, 0)[0] == 't';
  return jobs_locked_;
}

Status PgDb::UnlockJobs() {
  if (!jobs_locked_) return Status::Ok();  // (PostgreSQL would warn on stderr)
  ResultPtr res(PQexec(conn_.get(), kJobUnlock));
  if (!res || PQresultStatus(res.get()) != PGRES_TUPLES_OK) return Error("releasing the job lock", res.get());
  jobs_locked_ = false;
  return Status::Ok();
}

Status PgDb::BeginRead(std::string_view what) {
  return Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", what);
}

bool PgDb::CharactersAreUtf8() const {
  // Reported by the server at connection start (libpq keeps it): no query.
  const char* encoding = PQparameterStatus(conn_.get(), "server_encoding");
  return encoding != nullptr && std::strcmp(encoding, "UTF8") == 0;
}

Result<bool> PgDb::TableExists(std::string_view table) {
  const char* what = "reading the schema version";
  TRUCE_ASSIGN_OR_RETURN(sql::Stmt* s, Cached("SELECT COUNT(*) FROM pg_catalog.pg_tables "
                                              "WHERE schemaname = current_schema() AND tablename = ?",
                                              what));
  sql::ScopedReset reset(s);
  s->Bind(1, table);
  TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
  return row && s->Int(0) > 0;
}

Status PgDb::RowsCopied(const std::string& table, std::string_view what) {
  // The table's identity column, if any (an `INTEGER PRIMARY KEY` of schema.cc).
  TRUCE_ASSIGN_OR_RETURN(sql::Stmt* col, Cached("SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = "
                                                "CAST(? AS regclass) AND attidentity <> '' AND NOT attisdropped",
                                                what));
  std::string column;
  {
    sql::ScopedReset reset(col);
    col->Bind(1, table);
    TRUCE_ASSIGN_OR_RETURN(bool row, col->Step(what));
    if (!row) return Status::Ok();
    column = col->Text(0);
  }
  // Table and column names from the schema and the catalogue, not from input.
  TRUCE_ASSIGN_OR_RETURN(sql::Stmt s, Prepare("SELECT setval(pg_get_serial_sequence(?1, ?2), (SELECT COALESCE(MAX(\"" +
                                                  column + "\"), 0) + 1 FROM \"" + table + "\"), false)",
                                              what));
  s.Bind(1, table);
  s.Bind(2, column);
  return s.Run(what);
}

}  // namespace truce::store::pg

namespace truce::store {

Result<std::unique_ptr<Store>> OpenPostgres(const std::string& url, const OpenOptions& options) {
  if (options.busy_timeout_ms < 0) {
    return Status::InvalidArgument("busy timeout " + std::to_string(options.busy_timeout_ms) + " ms: must be >= 0");
  }
  TRUCE_ASSIGN_OR_RETURN(std::unique_ptr<pg::PgDb> db, pg::PgDb::Open(url, options.busy_timeout_ms, options.on_wait));
  return NewSqlStore(std::move(db));
}

}  // namespace truce::store
