#include "truce/store/copy.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <optional>
#include <regex>
#include <string>
#include <system_error>
#include <vector>

#include "schema.h"
#include "sql.h"
#include "pg_db.h"
#include "sqlite_db.h"
#include "truce/core/sha256.h"
#include "truce/core/strings.h"

namespace truce::store {
namespace {

bool IsUrl(const std::string& db) { return pg::IsUrl(db); }

// How a database is named in messages: by its flag, the same for a file and
// a URL (which is never echoed: it may hold a password).
std::string Name(const std::string&, const char* flag) { return flag; }

// The SQL connection a --db value names, for reading and writing rows as
// they are. The Store (OpenStore) migrates and verifies; this moves rows.
Result<std::unique_ptr<sql::Db>> OpenDb(const std::string& db, const OpenOptions& options) {
  if (IsUrl(db)) {
    TRUCE_ASSIGN_OR_RETURN(std::unique_ptr<pg::PgDb> pg, pg::PgDb::Open(db, options.busy_timeout_ms, options.on_wait));
    return std::unique_ptr<sql::Db>(std::move(pg));
  }
  TRUCE_ASSIGN_OR_RETURN(std::unique_ptr<sqlite::SqliteDb> sqlite,
                         sqlite::SqliteDb::Open(db, options.busy_timeout_ms, options.on_wait));
  TRUCE_RETURN_IF_ERROR(sqlite->Exec("PRAGMA foreign_keys = ON", "enabling foreign keys"));
  return std::unique_ptr<sql::Db>(std::move(sqlite));
}

// Tables whose rows are the schema's own bookkeeping: a migrated, empty
// database holds rows in them (the generation and findings counters, the
// evidence log's genesis entry); the copy replaces them.
bool Bookkeeping(const std::string& table) {
  return table == "generation" || table == "findings_state" || table == "evidence" || table == "evidence_parts";
}

// One value's canonical text: a type letter, the value, a tab. Integers in
// decimal, reals with 17 significant digits (every double reads back the
// same), text and blobs length-prefixed bytes; so that the same row reads the
// same from any engine.
void AppendValue(const sql::Stmt& s, int col, std::string* out) {
  switch (s.ColumnType(col)) {
    case sql::Type::kNull:
      out->append("n");
      break;
    case sql::Type::kInteger:
      out->append("i").append(std::to_string(s.Int(col)));
      break;
    case sql::Type::kReal: {
      char buf[40];
      std::snprintf(buf, sizeof buf, "r%.17g", s.Real(col));
      out->append(buf);
      break;
    }
    case sql::Type::kText:
    case sql::Type::kBlob: {
      std::string_view v = s.TextView(col);
      out->append("t").append(std::to_string(v.size())).append(":").append(v);
      break;
    }
  }
  out->push_back('\t');
}

void BindValue(const sql::Stmt& from, int col, sql::Stmt* to) {
  switch (from.ColumnType(col)) {
    case sql::Type::kNull:
      to->BindNull(col + 1);
      break;
    case sql::Type::kInteger:
      to->Bind(col + 1, from.Int(col));
      break;
    case sql::Type::kReal:
      to->Bind(col + 1, from.Real(col));
      break;
    case sql::Type::kText:
    case sql::Type::kBlob:
      to->Bind(col + 1, from.TextView(col));
      break;
  }
}

// Reads a table in key order (its first two columns: every table's key is
// its first column, or its first two), calling `row` for each; returns the
// row count and the SHA-256 of the rows' canonical text. Rows keyed by text
// are hashed sorted by their canonical text, since engines order text by
// their own collations.
struct TableHash {
  std::int64_t rows = 0;
  std::string sha256;
};
Result<TableHash> ReadTable(sql::Db& db, const std::string& table, const std::function<Status(sql::Stmt&)>& row) {
  TRUCE_ASSIGN_OR_RETURN(sql::Stmt s, db.Prepare("SELECT * FROM " + table + " ORDER BY 1, 2", "reading " + table));
  Sha256Hasher hasher;
  std::vector<std::string> by_text;
  bool text_key = false;
  TableHash out;
  std::string line;
  for (;;) {
    TRUCE_ASSIGN_OR_RETURN(bool has, s.Step("reading " + table));
    if (!has) break;
    if (out.rows == 0) {
      text_key = s.ColumnType(0) == sql::Type::kText;
      std::string header;
      for (int c = 0; c < s.ColumnCount(); ++c) header.append(s.ColumnName(c)).push_back('\t');
      hasher.Update(table + "\n" + header + "\n");
    }
    ++out.rows;
    line.clear();
    for (int c = 0; c < s.ColumnCount(); ++c) AppendValue(s, c, &line);
    line.push_back('\n');
    if (text_key) {
      by_text.push_back(line);
    } else {
      hasher.Update(line);
    }
    if (row) TRUCE_RETURN_IF_ERROR(row(s));
  }
  std::sort(by_text.begin(), by_text.end());
  for (const std::string& l : by_text) hasher.Update(l);
  out.sha256 = hasher.Hex();
  return out;
}

Result<std::int64_t> CountRows(sql::Db& db, const std::string& table) {
  TRUCE_ASSIGN_OR_RETURN(sql::Stmt s, db.Prepare("SELECT COUNT(*) FROM " + table, "counting " + table));
  TRUCE_ASSIGN_OR_RETURN(bool has, s.Step("counting " + table));
  return has ? s.Int(0) : 0;
}

Result<std::int64_t> GenerationValue(sql::Db& db) {
  TRUCE_ASSIGN_OR_RETURN(sql::Stmt s, db.Prepare("SELECT value FROM generation WHERE id = 1", "reading generation"));
  TRUCE_ASSIGN_OR_RETURN(bool has, s.Step("reading generation"));
  return has ? s.Int(0) : 0;
}

// Copies one table's rows (read in one snapshot of `from`) into `to`.
Result<TableCopy> CopyTable(sql::Db& from, sql::Db& to, const std::string& table) {
  TableCopy t;
  t.table = table;
  std::optional<sql::Stmt> insert;
  TRUCE_ASSIGN_OR_RETURN(TableHash src, ReadTable(from, table, [&](sql::Stmt& row) -> Status {
    if (!insert) {
      std::string cols, params;
      for (int c = 0; c < row.ColumnCount(); ++c) {
        if (c > 0) cols += ", ", params += ", ";
        cols.append(row.ColumnName(c));
        params += "?" + std::to_string(c + 1);
      }
      TRUCE_ASSIGN_OR_RETURN(sql::Stmt s, to.Prepare("INSERT INTO " + table + " (" + cols + ") VALUES (" + params +
                                                         ")",
                                                     "copying " + table));
      insert = std::move(s);
    }
    for (int c = 0; c < row.ColumnCount(); ++c) BindValue(row, c, &*insert);
    TRUCE_RETURN_IF_ERROR(insert->Run("copying " + table));
    insert->Reset();
    return Status::Ok();
  }));
  // Ids were given: the target's id sequence (PostgreSQL) moves past them.
  TRUCE_RETURN_IF_ERROR(to.RowsCopied(table, "copying " + table));
  t.source_rows = src.rows;
  t.source_sha256 = src.sha256;
  // Read back inside the target's transaction: what would be committed.
  TRUCE_ASSIGN_OR_RETURN(TableHash dst, ReadTable(to, table, nullptr));
  t.target_rows = dst.rows;
  t.target_sha256 = dst.sha256;
  return t;
}

bool SameDatabase(const std::string& a, const std::string& b) {
  if (IsUrl(a) || IsUrl(b)) return a == b;
  namespace fs = std::filesystem;
  std::error_code ec1, ec2;
  fs::path pa = fs::weakly_canonical(a, ec1), pb = fs::weakly_canonical(b, ec2);
  return !ec1 && !ec2 ? pa == pb : a == b;
}

}  // namespace

bool CopyReport::ok() const {
  for (const TableCopy& t : tables) {
    if (!t.matches()) return false;
  }
  return source_intact && target_intact && source_head == target_head && source_entries == target_entries;
}

std::vector<std::string> CopiedTables() {
  static const std::regex kCreate(R"(^\s*CREATE TABLE (?:IF NOT EXISTS )?([a-z_0-9]+))", std::regex::icase);
  static const std::regex kDrop(R"(^\s*DROP TABLE (?:IF EXISTS )?([a-z_0-9]+))", std::regex::icase);
  // A column added later that refers to a later table (reports.source_file_id,
  // schema 9): that table's rows go in first.
  static const std::regex kAddReference(R"(^\s*ALTER TABLE ([a-z_0-9]+) ADD COLUMN .* REFERENCES ([a-z_0-9]+))",
                                        std::regex::icase);
  std::vector<std::string> tables;
  for (const Migration& m : Migrations()) {
    for (const std::string& statement : m.statements) {
      std::smatch match;
      if (std::regex_search(statement, match, kCreate)) {
        tables.push_back(match[1]);
      } else if (std::regex_search(statement, match, kDrop)) {
        tables.erase(std::remove(tables.begin(), tables.end(), match[1].str()), tables.end());
      } else if (std::regex_search(statement, match, kAddReference)) {
        auto from = std::find(tables.begin(), tables.end(), match[1].str());
        auto to = std::find(tables.begin(), tables.end(), match[2].str());
        if (from != tables.end() && to != tables.end() && to > from) {
          std::string referenced = *to;
          tables.erase(to);
          tables.insert(std::find(tables.begin(), tables.end(), match[1].str()), referenced);
        }
      }
    }
  }
  return tables;
}

Result<CopyReport> CopyDatabase(const std::string& from, const std::string& to, const CopyOptions& options) {
  if (from.empty() || to.empty()) return Status::InvalidArgument("copy: --from and --to are both needed");
  if (SameDatabase(from, to)) return Status::InvalidArgument("copy: --from and --to name the same database");
  if (!IsUrl(from)) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(from, ec)) return Status::NotFound("--from: " + from + ": no such database file");
  }
  CopyReport report;
  // The source's schema as it is (never upgraded by a copy); the target's
  // created or upgraded to the same version.
  TRUCE_ASSIGN_OR_RETURN(std::unique_ptr<Store> source, OpenStore(from, options.open));
  TRUCE_ASSIGN_OR_RETURN(int version, source->SchemaVersion());
  if (version == 0) {
    return Status::FailedPrecondition(Name(from, "--from") + ": not a Truce database (no schema; nothing to copy)");
  }
  if (version != LatestSchemaVersion()) {
    return Status::FailedPrecondition(Name(from, "--from") + ": schema version " + std::to_string(version) +
                                      ", this binary copies version " + std::to_string(LatestSchemaVersion()) +
                                      " ('truce --db FROM init' upgrades it)");
  }
  report.schema_version = version;
  TRUCE_ASSIGN_OR_RETURN(std::unique_ptr<Store> target, OpenStore(to, options.open));
  TRUCE_RETURN_IF_ERROR(target->Migrate());

  TRUCE_ASSIGN_OR_RETURN(std::unique_ptr<sql::Db> src, OpenDb(from, options.open));
  TRUCE_ASSIGN_OR_RETURN(std::unique_ptr<sql::Db> dst, OpenDb(to, options.open));
  TRUCE_RETURN_IF_ERROR(src->BeginRead("reading the source"));
  TRUCE_RETURN_IF_ERROR(dst->BeginWrite("copying"));
  // Every way out before the commit rolls the target back and ends the read.
  struct Ends {
    sql::Db* src;
    sql::Db* dst;
    ~Ends() {
      if (dst->InTransaction()) (void)dst->Exec("ROLLBACK", "rolling back the copy");
      if (src->InTransaction()) (void)src->Exec("ROLLBACK", "ending the read");
    }
  } ends{src.get(), dst.get()};

  const std::vector<std::string> tables = CopiedTables();
  if (!options.replace) {
    for (const std::string& table : tables) {
      if (Bookkeeping(table)) continue;
      TRUCE_ASSIGN_OR_RETURN(std::int64_t n, CountRows(*dst, table));
      if (n > 0) {
        return Status::AlreadyExists(Name(to, "--to") + ": holds data (" + std::to_string(n) + " rows in " + table +
                                     "); --replace overwrites it");
      }
    }
  }
  TRUCE_ASSIGN_OR_RETURN(std::int64_t old_generation, GenerationValue(*dst));
  for (auto it = tables.rbegin(); it != tables.rend(); ++it) {
    TRUCE_RETURN_IF_ERROR(dst->Exec("DELETE FROM " + *it, "emptying " + *it));
  }
  std::int64_t source_generation = 0;
  for (const std::string& table : tables) {
    if (table == "generation") {
      TRUCE_ASSIGN_OR_RETURN(source_generation, GenerationValue(*src));
      continue;
    }
    TRUCE_ASSIGN_OR_RETURN(TableCopy t, CopyTable(*src, *dst, table));
    report.tables.push_back(std::move(t));
    if (!report.tables.back().matches()) return report;  // the first that differs; rolled back by `ends`
  }
  // Servers on the target key their caches on the generation: it only grows.
  TRUCE_ASSIGN_OR_RETURN(sql::Stmt gen, dst->Prepare("INSERT INTO generation (id, value) VALUES (1, ?1)",
                                                     "setting the generation"));
  gen.Bind(1, std::max(source_generation, old_generation + 1));
  TRUCE_RETURN_IF_ERROR(gen.Run("setting the generation"));
  TRUCE_RETURN_IF_ERROR(dst->Exec("COMMIT", "committing the copy"));
  TRUCE_RETURN_IF_ERROR(src->Exec("ROLLBACK", "ending the read"));
  // The target's PostGIS layers (store/gis.h), if it has them: its zones
  // rebuilt from the agreements copied (the old ones went with the rows).
  TRUCE_RETURN_IF_ERROR(target->Migrate());

  TRUCE_ASSIGN_OR_RETURN(EvidenceReport src_log, source->VerifyEvidence());
  TRUCE_ASSIGN_OR_RETURN(EvidenceReport dst_log, target->VerifyEvidence());
  report.source_intact = src_log.intact();
  report.target_intact = dst_log.intact();
  report.source_entries = src_log.entries;
  report.target_entries = dst_log.entries;
  report.source_head = src_log.head_sha256;
  report.target_head = dst_log.head_sha256;
  return report;
}

}  // namespace truce::store
