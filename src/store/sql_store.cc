// The Store over the SQL layer (sql.h): one implementation for SQLite and
// PostgreSQL. SQL here stays portable (ON CONFLICT, RETURNING, SAVEPOINT,
// row values, bound parameters); what differs is behind sql::Db.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "schema.h"
#include "evidence.h"
#include "gis.h"
#include "sql.h"
#include "sql_store.h"
#include "truce/core/utf8.h"
#include "truce/store/store.h"

namespace truce::store {
namespace {

using sql::Db;
using sql::ScopedReset;
using sql::Stmt;

std::string NowUtc() {
  return time::FormatInstantUtc(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

std::optional<time::TimePrecision> ParseTimePrecision(std::string_view s) {
  for (time::TimePrecision p : {time::TimePrecision::kExact, time::TimePrecision::kDay, time::TimePrecision::kWeek,
                                time::TimePrecision::kMonth, time::TimePrecision::kYear, time::TimePrecision::kRange}) {
    if (s == time::TimePrecisionName(p)) return p;
  }
  return std::nullopt;
}

std::optional<model::ObligationState> ParseObligationState(std::string_view s) {
  for (model::ObligationState st : {model::ObligationState::kMet, model::ObligationState::kPartlyMet,
                                    model::ObligationState::kUnmet, model::ObligationState::kPending}) {
    if (s == model::ObligationStateName(st)) return st;
  }
  return std::nullopt;
}

// A track as a GeoJSON MultiLineString ([lon, lat] positions); NULL when empty.
std::optional<std::string> TrackToGeoJson(const std::vector<geo::LineString>& track) {
  if (track.empty()) return std::nullopt;
  nlohmann::json lines = nlohmann::json::array();
  for (const geo::LineString& line : track) {
    nlohmann::json coords = nlohmann::json::array();
    for (const geo::LatLon& p : line) coords.push_back({p.lon_deg, p.lat_deg});
    lines.push_back(std::move(coords));
  }
  return nlohmann::json{{"type", "MultiLineString"}, {"coordinates", std::move(lines)}}.dump();
}

// Parses what TrackToGeoJson wrote; an error message, or empty on success.
std::string TrackFromGeoJson(const std::string& text, std::vector<geo::LineString>* track) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || j.value("type", "") != "MultiLineString" || !j.contains("coordinates") ||
      !j["coordinates"].is_array()) {
    return "not a GeoJSON MultiLineString";
  }
  for (const nlohmann::json& line : j["coordinates"]) {
    if (!line.is_array()) return "a line is not an array";
    geo::LineString out;
    for (const nlohmann::json& pos : line) {
      if (!pos.is_array() || pos.size() < 2 || !pos[0].is_number() || !pos[1].is_number()) {
        return "a position is not [lon, lat]";
      }
      out.push_back({pos[1].get<double>(), pos[0].get<double>()});
    }
    track->push_back(std::move(out));
  }
  return {};
}

std::string EvidenceToJson(const std::vector<std::int64_t>& ids) { return nlohmann::json(ids).dump(); }

std::string EvidenceFromJson(const std::string& text, std::vector<std::int64_t>* ids) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_array()) return "not a JSON array";
  for (const nlohmann::json& v : j) {
    if (!v.is_number_integer()) return "not an array of incident ids";
    ids->push_back(v.get<std::int64_t>());
  }
  return {};
}

// The incident columns after id, in the order ReadIncident takes them; an
// insert also gives notes_at and notes_len (schema version 10).
constexpr const char* kIncidentColumns =
    "report_id, dataset, source_id, first_day, last_day, date_precision, exact_utc, event_type, "
    "sub_event_type, native_code, actor1, assoc_actor1, actor2, assoc_actor2, country, iso3, admin1, admin2, "
    "admin3, location, lat_deg, lon_deg, uncertainty_m, geo_precision, time_precision, track, fatalities, "
    "fatalities_low, fatalities_high, source, notes, span_begin, span_end, confidence";

// Whether `column` is one of kIncidentTextColumns (schema.h).
bool IsIncidentTextColumn(std::string_view column) {
  for (const char* c : kIncidentTextColumns) {
    if (column == c) return true;
  }
  return false;
}

// What ReadIncident reads, of the incidents row `i` (FROM incidents AS i):
// its id, then kIncidentColumns with the notes as TRUCE_INCIDENT_NOTES_SQL
// gives them, and each of kIncidentTextColumns followed by its `_ref`: the
// value a ref names is looked up by ReadIncidentInto, once per read call
// (TRUCE_INCIDENT_TEXT_SQL's subquery per row and column made reading
// 100 000 incidents for `truce rule` 0.51 -> 0.80 s of CPU).
const std::string& IncidentSelect() {
  static const std::string kSelect = [] {
    std::string cols = "i.id";
    const std::string_view all = kIncidentColumns;
    for (std::size_t at = 0; at < all.size();) {
      const std::size_t end = std::min(all.find(", ", at), all.size());
      const std::string_view column = all.substr(at, end - at);
      if (column == "notes") {
        cols += ", " TRUCE_INCIDENT_NOTES_SQL("i") " AS notes";
      } else if (IsIncidentTextColumn(column)) {
        cols.append(", i.").append(column).append(", i.").append(column).append("_ref");
      } else {
        cols.append(", i.").append(column);
      }
      at = end + 2;
    }
    return cols;
  }();
  return kSelect;
}

// incident_texts values by id, as one read call has met them.
using TextValues = std::unordered_map<std::int64_t, std::string>;

class SqlStore final : public Store {
 public:
  explicit SqlStore(std::unique_ptr<Db> db) : db_(std::move(db)) {}
  ~SqlStore() override {
    if (db_->InTransaction()) (void)db_->Exec("ROLLBACK", "rolling back on close");
  }

  Status Migrate() override;
  Result<int> SchemaVersion() override;

  Status Begin() override;
  Status BeginBulk() override;
  Status Commit() override;
  Status Rollback() override;
  Result<std::int64_t> Generation() override;
  Result<bool> TryLockJobs() override { return db_->TryLockJobs(); }
  Status UnlockJobs() override { return db_->UnlockJobs(); }

  Result<std::int64_t> InsertToken(const TokenRecord& token) override;
  Result<std::optional<TokenRecord>> FindToken(const std::string& token_hash) override;
  Result<std::vector<TokenRecord>> ListTokens() override;
  Status RevokeToken(std::int64_t id, const std::string& revoked_at) override;

  Result<std::optional<FileRecord>> FindFile(const std::string& file_hash) override;
  Status PutFile(const FileRecord& file) override;

  Result<std::optional<std::int64_t>> InsertSourceRecord(const model::SourceRecord& report) override;
  Result<std::int64_t> InsertReport(const model::Report& incident) override;
  Result<std::vector<std::optional<std::int64_t>>> InsertSourceRecords(
      const std::vector<const model::SourceRecord*>& records) override;
  Result<std::vector<std::int64_t>> InsertReports(const std::vector<const model::Report*>& reports,
                                                  const std::vector<std::string_view>& raw_records) override;
  Result<std::optional<model::Report>> GetReport(std::int64_t id) override;
  Result<std::optional<model::SourceRecord>> GetSourceRecord(std::int64_t id) override;
  Status ForEachReport(const ReportFilter& filter,
                       const std::function<Status(const model::Report&)>& fn) override;
  Status ForEachPlacedReport(const ReportFilter& filter,
                             const std::function<Status(const model::Report&, std::int64_t)>& fn) override;
  Result<std::int64_t> CountReports() override;
  Result<std::int64_t> InsertClaim(const model::Claim& claim) override;
  Result<std::vector<model::Claim>> ListClaims(std::int64_t report_id) override;

  Status PutAgreement(const StoredAgreement& agreement) override;
  Result<std::vector<StoredAgreement>> ListAgreements() override;
  Result<std::optional<StoredAgreement>> GetAgreement(const std::string& id) override;

  Status ReplaceFindings(const std::vector<FindingRow>& findings,
                         const std::vector<model::ObligationStatus>& obligations) override;
  Result<std::vector<FindingRow>> QueryFindings(const FindingFilter& filter) override;
  Result<FindingCounts> CountFindings(const FindingFilter& filter) override;
  Result<std::vector<model::ObligationStatus>> ListObligationStatuses(const std::string& agreement_id) override;

  Result<EvidenceReport> VerifyEvidence() override;
  Status ForEachEvidence(const std::function<Status(const EvidenceExport&)>& fn) override;

  Result<FindingsState> GetFindingsState() override;
  Status MarkFindingsStale() override;
  Status ReplaceRuledFindings(const std::vector<FindingRow>& findings,
                              const std::vector<model::ObligationStatus>& obligations,
                              std::int64_t changes_seen) override;
  Status DeleteFindings(const FindingScope& scope) override;
  Status AppendFindings(const std::vector<FindingRow>& findings) override;
  Status ReplaceObligationStatuses(const std::vector<model::ObligationStatus>& obligations) override;
  Status MarkFindingsRuled(std::int64_t changes_seen) override;

  Status SetMembers(const std::vector<IncidentMember>& members, bool replace_all) override;
  Result<std::vector<IncidentMember>> ListMembers(std::int64_t incident_id) override;
  Result<std::int64_t> CountMembers() override;
  Status ReadIncidentPage(std::int64_t after_id, std::int64_t limit, IncidentPage* page) override;
  Result<std::int64_t> InsertOverride(const MatchOverride& override_row) override;
  Result<std::vector<MatchOverride>> ListOverrides() override;

 private:
  // ForEachReport and ForEachPlacedReport: each report, with its incident when `placed`.
  Status ScanReports(const ReportFilter& filter, bool placed,
                     const std::function<Status(const model::Report&, std::int64_t)>& fn);
  // The body of ReplaceFindings, inside the caller's transaction or savepoint.
  Status WriteFindings(const std::vector<FindingRow>& findings,
                       const std::vector<model::ObligationStatus>& obligations);
  // Its parts, inside the caller's transaction or savepoint.
  Status InsertFindingRows(const std::vector<FindingRow>& findings);
  Status InsertObligationRows(const std::vector<model::ObligationStatus>& obligations);
  Status RecordRuled(std::int64_t changes_seen);
  // MarkFindingsStale's statement, inside the caller's transaction or savepoint.
  Status CountChange();
  // How many rows `table` holds (CountReports, CountMembers).
  Result<std::int64_t> CountRows(const char* table, const char* what);
  // InvalidArgument naming `what` unless report `id` is stored.
  Status CheckReportStored(std::int64_t id, const std::string& what);

  // The applied version, or nullopt when there is no schema_version table.
  Result<std::optional<int>> ReadVersion();
  // FailedPrecondition unless the schema is exactly the one this code knows.
  Status EnsureReady();
  // The id of an incident's text value in incident_texts, added if new.
  Result<std::int64_t> IncidentTextId(std::string_view value);
  // The id of a report's (path, file hash) in source_files, added if new.
  Result<std::int64_t> SourceFileId(const std::string& path, const std::string& file_hash);
  // Runs `body` atomically: in its own transaction, or inside a savepoint
  // when the caller has one open (Begin), so the caller's stays whole.
  Status Atomically(const char* savepoint, const std::function<Status()>& body);
  // Counts a write transaction: called right after BEGIN. Nothing when the
  // schema is not ready yet (migrations; the writes that follow fail anyway).
  Status BumpGeneration();

  Status Corrupt(const std::string& what) const { return Status::DatabaseError(db_->path() + ": " + what); }
  // A day column's value; on a bad one, an error naming row_name() (called
  // only then) and the column.
  template <class RowName>
  Result<time::Days> DayColumn(const Stmt& s, int col, const RowName& row_name, const char* column) const;
  // `values`: the incident_texts values this read call has met (by id).
  Result<model::Report> ReadIncident(const Stmt& s, TextValues* values) const;
  Status ReadIncidentInto(const Stmt& s, model::Report* out, TextValues* values) const;
  // The incident_texts value `id`, read once into `values`; null if none.
  Result<const std::string*> IncidentText(std::int64_t id, TextValues* values) const;
  Status ReadIncidentPageInto(std::int64_t after_id, std::int64_t limit, IncidentPage* page);
  Result<std::vector<StoredAgreement>> LoadAgreements(const std::string* only_id);

  std::unique_ptr<Db> db_;
  bool in_tx_ = false;  // opened by Begin()
  bool ready_ = false;  // schema checked once
  // Appends the evidence log's entries inside this store's writes (evidence.h).
  evidence::Recorder evidence_{db_.get()};
};

// ---------------------------------------------------------------- schema

Result<std::optional<int>> SqlStore::ReadVersion() {
  TRUCE_ASSIGN_OR_RETURN(bool has, db_->TableExists("schema_version"));
  if (!has) return std::optional<int>();
  TRUCE_ASSIGN_OR_RETURN(Stmt* max, db_->Cached("SELECT MAX(version) FROM schema_version",
                                                "reading the schema version"));
  ScopedReset reset_max(max);
  TRUCE_ASSIGN_OR_RETURN(bool row, max->Step("reading the schema version"));
  return std::optional<int>(row && !max->IsNull(0) ? static_cast<int>(max->Int(0)) : 0);
}

Status NewerSchema(const std::string& path, int version) {
  return Status::FailedPrecondition(path + ": the database schema is version " + std::to_string(version) +
                                    ", newer than this truce knows (" + std::to_string(LatestSchemaVersion()) +
                                    "); use a newer truce");
}

Status SqlStore::EnsureReady() {
  if (ready_) return Status::Ok();
  TRUCE_ASSIGN_OR_RETURN(std::optional<int> version, ReadVersion());
  if (!version || *version == 0) {
    return Status::FailedPrecondition(db_->path() + ": database not initialised; run 'truce init'");
  }
  if (*version > LatestSchemaVersion()) return NewerSchema(db_->path(), *version);
  if (*version < LatestSchemaVersion()) {
    return Status::FailedPrecondition(db_->path() + ": the database schema is version " + std::to_string(*version) +
                                      ", this truce needs " + std::to_string(LatestSchemaVersion()) +
                                      "; run 'truce init' to upgrade it");
  }
  ready_ = true;
  return Status::Ok();
}

Status SqlStore::Migrate() {
  if (in_tx_) return Status::FailedPrecondition("Migrate: cannot run inside an open transaction");
  for (const Migration& m : Migrations()) {
    TRUCE_RETURN_IF_ERROR(Atomically("migrate", [&]() -> Status {
      TRUCE_RETURN_IF_ERROR(db_->Exec(db_->Ddl(kCreateSchemaVersionTable), "creating the schema_version table"));
      TRUCE_ASSIGN_OR_RETURN(std::optional<int> version, ReadVersion());
      int v = version.value_or(0);
      if (v > LatestSchemaVersion()) return NewerSchema(db_->path(), v);
      if (v >= m.version) return Status::Ok();  // applied already (perhaps by another process)
      const std::string what = "applying schema migration " + std::to_string(m.version);
      for (const std::string& sql : m.statements) TRUCE_RETURN_IF_ERROR(db_->Exec(db_->Ddl(sql), what));
      // The evidence log starts with an entry covering what is stored already.
      if (m.version == 4) TRUCE_RETURN_IF_ERROR(evidence_.EnsureGenesis());
      TRUCE_ASSIGN_OR_RETURN(Stmt ins, db_->Prepare("INSERT INTO schema_version (version, description, applied_at) "
                                                    "VALUES (?, ?, ?)",
                                                    what));
      ins.Bind(1, m.version);
      ins.Bind(2, m.description);
      ins.Bind(3, NowUtc());
      return ins.Run(what);
    }));
  }
  ready_ = false;
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  // The PostGIS layers, where the server has PostGIS (gis.h): not part of the
  // schema versions; created or brought in step, zones rebuilt.
  if (!gis::OnPostgres(*db_)) return Status::Ok();
  return Atomically("migrate", [&]() -> Status {
    TRUCE_ASSIGN_OR_RETURN(std::vector<StoredAgreement> agreements, LoadAgreements(nullptr));
    return gis::EnsureLayers(*db_, agreements).status();
  });
}

Result<int> SqlStore::SchemaVersion() {
  TRUCE_ASSIGN_OR_RETURN(std::optional<int> version, ReadVersion());
  return version.value_or(0);
}

// ---------------------------------------------------------------- transactions

Status SqlStore::Begin() {
  if (in_tx_) return Status::FailedPrecondition(db_->path() + ": Begin: a transaction is already open");
  TRUCE_RETURN_IF_ERROR(db_->BeginWrite("beginning a transaction"));
  in_tx_ = true;
  evidence_.Discard();
  return BumpGeneration();
}

Status SqlStore::BeginBulk() {
  if (in_tx_) return Status::FailedPrecondition(db_->path() + ": Begin: a transaction is already open");
  Status s = db_->BeginBulkWrite("beginning a transaction");
  if (!s.ok()) {
    (void)db_->EndBulk();
    return s;
  }
  in_tx_ = true;
  evidence_.Discard();
  return BumpGeneration();
}

Status SqlStore::BumpGeneration() {
  if (!EnsureReady().ok()) return Status::Ok();
  return db_->Exec("UPDATE generation SET value = value + 1 WHERE id = 1", "counting a write");
}

Result<std::int64_t> SqlStore::Generation() {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  const char* what = "reading the data generation";
  TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached("SELECT value FROM generation WHERE id = 1", what));
  ScopedReset reset(s);
  TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
  if (!row) return Corrupt("the generation row is missing");
  return s->Int(0);
}

Status SqlStore::Commit() {
  if (!in_tx_) return Status::FailedPrecondition(db_->path() + ": Commit: no transaction is open");
  // The batch's evidence entry goes in the same transaction as its rows.
  TRUCE_RETURN_IF_ERROR(evidence_.Flush());
  Status s = db_->Exec("COMMIT", "committing");
  // A failed COMMIT may leave the transaction open (SQLITE_BUSY) or rolled
  // back (I/O errors); the connection knows which.
  in_tx_ = db_->InTransaction();
  // The commit stands whatever putting the WAL back says (the next open
  // does it): not a failure of the transaction.
  if (!in_tx_) (void)db_->EndBulk();
  return s;
}

Status SqlStore::Rollback() {
  if (!in_tx_) return Status::FailedPrecondition(db_->path() + ": Rollback: no transaction is open");
  in_tx_ = false;
  evidence_.Discard();
  // SQLite rolls back by itself after some errors (disk full, I/O).
  Status s = db_->InTransaction() ? db_->Exec("ROLLBACK", "rolling back") : Status::Ok();
  (void)db_->EndBulk();
  return s;
}

Status SqlStore::Atomically(const char* savepoint, const std::function<Status()>& body) {
  const std::string name(savepoint);
  if (in_tx_) {
    TRUCE_RETURN_IF_ERROR(db_->Exec("SAVEPOINT " + name, "opening savepoint " + name));
    Status s = body();
    if (s.ok()) return db_->Exec("RELEASE SAVEPOINT " + name, "releasing savepoint " + name);
    if (db_->InTransaction()) {
      (void)db_->Exec("ROLLBACK TO SAVEPOINT " + name, "rolling back to savepoint " + name);
      (void)db_->Exec("RELEASE SAVEPOINT " + name, "releasing savepoint " + name);
    }
    return s;
  }
  TRUCE_RETURN_IF_ERROR(db_->BeginWrite("beginning a transaction"));
  Status s = std::string_view(savepoint) == "migrate" ? Status::Ok() : BumpGeneration();
  if (s.ok()) s = body();
  if (s.ok()) s = db_->Exec("COMMIT", "committing");
  if (!s.ok() && db_->InTransaction()) (void)db_->Exec("ROLLBACK", "rolling back");
  return s;
}

// ---------------------------------------------------------------- tokens

Result<std::int64_t> SqlStore::InsertToken(const TokenRecord& t) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  const char* what = "storing a token";
  std::int64_t id = 0;
  TRUCE_RETURN_IF_ERROR(Atomically("insert_token", [&]() -> Status {
    TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached("INSERT INTO tokens (name, role, token_hash, created_at, revoked_at) "
                                                "VALUES (?, ?, ?, ?, ?) RETURNING id",
                                                what));
    ScopedReset reset(s);
    s->Bind(1, t.name);
    s->Bind(2, t.role);
    s->Bind(3, t.token_hash);
    s->Bind(4, t.created_at);
    s->Bind(5, t.revoked_at);
    TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
    if (!row) return Corrupt("inserting a token returned no id");
    id = s->Int(0);
    TRUCE_RETURN_IF_ERROR(s->Run(what));
    return evidence_.TokenChanged(id, kEvidenceTokenCreated);
  }));
  return id;
}

namespace {
constexpr const char* kTokenColumns = "id, name, role, token_hash, created_at, revoked_at";
TokenRecord ReadToken(const Stmt& s) {
  TokenRecord t;
  t.id = s.Int(0);
  t.name = s.Text(1);
  t.role = s.Text(2);
  t.token_hash = s.Text(3);
  t.created_at = s.Text(4);
  t.revoked_at = s.OptText(5);
  return t;
}
}  // namespace

Result<std::optional<TokenRecord>> SqlStore::FindToken(const std::string& token_hash) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  const char* what = "looking up a token";
  TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached(std::string("SELECT ") + kTokenColumns +
                                                  " FROM tokens WHERE token_hash = ?",
                                              what));
  ScopedReset reset(s);
  s->Bind(1, token_hash);
  TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
  if (!row) return std::optional<TokenRecord>();
  return std::optional<TokenRecord>(ReadToken(*s));
}

Result<std::vector<TokenRecord>> SqlStore::ListTokens() {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  const char* what = "listing tokens";
  TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached(std::string("SELECT ") + kTokenColumns + " FROM tokens ORDER BY id",
                                              what));
  ScopedReset reset(s);
  std::vector<TokenRecord> out;
  for (;;) {
    TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
    if (!row) return out;
    out.push_back(ReadToken(*s));
  }
}

Status SqlStore::RevokeToken(std::int64_t id, const std::string& revoked_at) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  const std::string what = "revoking token " + std::to_string(id);
  return Atomically("revoke_token", [&]() -> Status {
    TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached("UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?) "
                                                "WHERE id = ? RETURNING id",
                                                what));
    ScopedReset reset(s);
    s->Bind(1, revoked_at);
    s->Bind(2, id);
    TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
    if (!row) return Status::NotFound("no token with id " + std::to_string(id));
    TRUCE_RETURN_IF_ERROR(s->Run(what));
    return evidence_.TokenChanged(id, kEvidenceTokenRevoked);
  });
}

// ---------------------------------------------------------------- files

Result<std::optional<FileRecord>> SqlStore::FindFile(const std::string& file_hash) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  const char* what = "looking up an ingested file";
  TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached("SELECT file_hash, path, dataset, records, added, ingested_at "
                                              "FROM files WHERE file_hash = ?",
                                              what));
  ScopedReset reset(s);
  s->Bind(1, file_hash);
  TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
  if (!row) return std::optional<FileRecord>();
  FileRecord f;
  f.file_hash = s->Text(0);
  f.path = s->Text(1);
  f.dataset = s->Text(2);
  f.records = s->Int(3);
  f.added = s->Int(4);
  f.ingested_at = s->Text(5);
  return std::optional<FileRecord>(std::move(f));
}

Status SqlStore::PutFile(const FileRecord& file) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  if (file.file_hash.empty()) return Status::InvalidArgument("PutFile: '" + file.path + "' has no file hash");
  const std::string what = "recording ingested file '" + file.path + "'";
  TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached("INSERT INTO files (file_hash, path, dataset, records, added, "
                                              "ingested_at) VALUES (?, ?, ?, ?, ?, ?) "
                                              "ON CONFLICT (file_hash) DO UPDATE SET path = excluded.path, "
                                              "dataset = excluded.dataset, records = excluded.records, "
                                              "added = excluded.added, ingested_at = excluded.ingested_at",
                                              what));
  ScopedReset reset(s);
  s->Bind(1, file.file_hash);
  s->Bind(2, file.path);
  s->Bind(3, file.dataset);
  s->Bind(4, file.records);
  s->Bind(5, file.added);
  s->Bind(6, file.ingested_at);
  TRUCE_RETURN_IF_ERROR(s->Run(what));
  return evidence_.FileRecorded(file.file_hash, file.path);
}

// ---------------------------------------------------------------- reports and incidents

Result<std::optional<std::int64_t>> SqlStore::InsertSourceRecord(const model::SourceRecord& report) {
  TRUCE_ASSIGN_OR_RETURN(std::vector<std::optional<std::int64_t>> ids, InsertSourceRecords({&report}));
  return ids.front();
}

Result<std::int64_t> SqlStore::InsertReport(const model::Report& in) {
  TRUCE_ASSIGN_OR_RETURN(std::vector<std::int64_t> ids, InsertReports({&in}, {}));
  return ids.front();
}

namespace {

const sql::InsertSpec& ReportsInsert() {
  using sql::Type;
  static const sql::InsertSpec spec{"reports",
                                    {{"dataset", Type::kText},
                                     {"source_file_id", Type::kInteger},
                                     {"file_row", Type::kInteger},
                                     {"raw", Type::kText},
                                     {"content_hash", Type::kText}},
                                    "ON CONFLICT (content_hash) DO NOTHING"};
  return spec;
}

// kIncidentColumns, then notes_at and notes_len, then the `_ref` of each of
// kIncidentTextColumns, with their types.
const sql::InsertSpec& IncidentsInsert() {
  using sql::Type;
  static const sql::InsertSpec spec = [] {
    sql::InsertSpec s;
    s.table = "incidents";
    const Type types[] = {Type::kInteger, Type::kText,    Type::kText,    Type::kText,    Type::kText,
                          Type::kText,    Type::kText,    Type::kText,    Type::kText,    Type::kText,
                          Type::kText,    Type::kText,    Type::kText,    Type::kText,    Type::kText,
                          Type::kText,    Type::kText,    Type::kText,    Type::kText,    Type::kText,
                          Type::kReal,    Type::kReal,    Type::kReal,    Type::kInteger, Type::kInteger,
                          Type::kText,    Type::kInteger, Type::kInteger, Type::kInteger, Type::kText,
                          Type::kText,    Type::kInteger, Type::kInteger, Type::kReal};
    std::string_view names = kIncidentColumns;
    std::size_t k = 0;
    while (!names.empty()) {
      const std::size_t comma = names.find(',');
      s.columns.emplace_back(std::string(names.substr(0, comma)), types[k++]);
      names = comma == std::string_view::npos ? std::string_view() : names.substr(comma + 2);
    }
    s.columns.emplace_back("notes_at", Type::kInteger);
    s.columns.emplace_back("notes_len", Type::kInteger);
    for (const char* c : kIncidentTextColumns) s.columns.emplace_back(std::string(c) + "_ref", Type::kInteger);
    return s;
  }();
  return spec;
}

// The fields of kIncidentTextColumns (schema.h), in their order.
constexpr std::string model::Report::*kIncidentTextFields[] = {
    &model::Report::event_type, &model::Report::sub_event_type, &model::Report::actor1,
    &model::Report::assoc_actor1, &model::Report::actor2, &model::Report::assoc_actor2,
    &model::Report::country, &model::Report::admin1, &model::Report::admin2,
    &model::Report::admin3, &model::Report::location, &model::Report::source};
static_assert(std::size(kIncidentTextFields) == std::size(kIncidentTextColumns));

// Whether a text value is kept in incident_texts (schema version 11): 4 to
// 200 bytes. A shorter one takes no more room in the row than its ref; a
// longer one (a free-text actor list, say) is seldom repeated, and stays
// well under PostgreSQL's limit for a B-tree key (the UNIQUE index).
bool KeptInTexts(std::string_view v) { return v.size() >= 4 && v.size() <= 200; }

}  // namespace

Result<std::int64_t> SqlStore::IncidentTextId(std::string_view value) {
  const char* what = "recording an incident's text value";
  for (int attempt = 0; attempt < 2; ++attempt) {
    {
      TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached("SELECT id FROM incident_texts WHERE value = ?", what));
      ScopedReset reset(s);
      s->Bind(1, value);
      TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
      if (row) return s->Int(0);
    }
    if (attempt == 0) {
      TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached("INSERT INTO incident_texts (value) VALUES (?) "
                                                  "ON CONFLICT (value) DO NOTHING",
                                                  what));
      ScopedReset reset(s);
      s->Bind(1, value);
      TRUCE_RETURN_IF_ERROR(s->Run(what));
    }
  }
  return Status::Internal(db_->path() + ": " + what + ": no incident_texts row after inserting it");
}

Result<std::int64_t> SqlStore::SourceFileId(const std::string& path, const std::string& file_hash) {
  const std::string what = "recording source file '" + path + "'";
  {
    TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached("INSERT INTO source_files (path, file_hash) VALUES (?, ?) "
                                                "ON CONFLICT (file_hash, path) DO NOTHING",
                                                what));
    ScopedReset reset(s);
    s->Bind(1, path);
    s->Bind(2, file_hash);
    TRUCE_RETURN_IF_ERROR(s->Run(what));
  }
  TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached("SELECT id FROM source_files WHERE file_hash = ? AND path = ?", what));
  ScopedReset reset(s);
  s->Bind(1, file_hash);
  s->Bind(2, path);
  TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
  if (!row) return Status::Internal(db_->path() + ": " + what + ": no source_files row after inserting it");
  return s->Int(0);
}

Result<std::vector<std::optional<std::int64_t>>> SqlStore::InsertSourceRecords(
    const std::vector<const model::SourceRecord*>& records) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  if (records.empty()) return std::vector<std::optional<std::int64_t>>();
  const sql::InsertSpec& spec = ReportsInsert();
  sql::Rows rows(spec.columns.size());
  rows.Reserve(records.size());
  // A batch's records come from one file: its source_files id looked up
  // once, and again only where the (path, hash) pair changes.
  const model::SourceRecord* file_of = nullptr;
  std::int64_t file_id = 0;
  for (const model::SourceRecord* report : records) {
    if (report->content_hash.empty()) {
      return Status::InvalidArgument("InsertSourceRecord: " + report->source_file + ": row " +
                                     std::to_string(report->row) + " has no content hash");
    }
    if (file_of == nullptr || file_of->source_file != report->source_file ||
        file_of->file_hash != report->file_hash) {
      TRUCE_ASSIGN_OR_RETURN(file_id, SourceFileId(report->source_file, report->file_hash));
      file_of = report;
    }
    rows.Text(report->dataset);
    rows.Int(file_id);
    rows.Int(report->row);
    rows.Text(report->raw);
    rows.Text(report->content_hash);
  }
  auto what = [&](std::size_t i) {
    if (i < records.size()) {
      return "inserting report (" + records[i]->source_file + ", row " + std::to_string(records[i]->row) + ")";
    }
    return "inserting reports (" + records.front()->source_file + ", rows " + std::to_string(records.front()->row) +
           "-" + std::to_string(records.back()->row) + ")";
  };
  TRUCE_ASSIGN_OR_RETURN(std::vector<std::optional<std::int64_t>> ids, db_->InsertRows(spec, rows, what));
  std::vector<std::int64_t> added;
  added.reserve(ids.size());
  for (const std::optional<std::int64_t>& id : ids) {
    if (id) added.push_back(*id);
  }
  // Ids are drawn in order: ascending, as the evidence log reads them.
  std::sort(added.begin(), added.end());
  TRUCE_RETURN_IF_ERROR(evidence_.RowsAdded(evidence::RowTable::kReports, added));
  return ids;
}

Result<std::vector<std::int64_t>> SqlStore::InsertReports(const std::vector<const model::Report*>& reports,
                                                          const std::vector<std::string_view>& raw_records) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  if (reports.empty()) return std::vector<std::int64_t>();
  if (!raw_records.empty() && raw_records.size() != reports.size()) {
    return Status::InvalidArgument("InsertReports: " + std::to_string(raw_records.size()) + " raw records for " +
                                   std::to_string(reports.size()) + " reports");
  }
  const sql::InsertSpec& spec = IncidentsInsert();
  const bool utf8 = db_->CharactersAreUtf8();
  // The ids of this batch's text values kept in incident_texts, each looked
  // up (or added) once. Only for this call: values are never deleted, and a
  // failed insert of the batch is the caller's to roll back with them.
  std::unordered_map<std::string_view, std::int64_t> text_ids;
  for (const model::Report* in : reports) {
    for (std::string model::Report::*field : kIncidentTextFields) {
      const std::string_view v = in->*field;
      if (!KeptInTexts(v) || text_ids.count(v) != 0) continue;
      TRUCE_ASSIGN_OR_RETURN(std::int64_t id, IncidentTextId(v));
      text_ids.emplace(v, id);
    }
  }
  // A text column's value in the row: '' where the value is kept in
  // incident_texts ("", not NULL: a null view binds NULL).
  auto text = [&](const std::string& v) { return KeptInTexts(v) ? std::string_view("") : std::string_view(v); };
  std::string escaped;
  sql::Rows rows(spec.columns.size());
  rows.Reserve(reports.size());
  for (std::size_t k = 0; k < reports.size(); ++k) {
    const model::Report& in = *reports[k];
    std::optional<std::pair<std::int64_t, std::int64_t>> place;
    if (!raw_records.empty()) place = NotesPlace(raw_records[k], in.notes, utf8, &escaped);
    rows.Int(in.record_id);
    rows.Text(in.dataset);
    rows.Text(in.source_id);
    rows.Text(time::FormatDate(in.time.first_day));
    rows.Text(time::FormatDate(in.time.last_day));
    rows.Text(time::TimePrecisionName(in.time.precision));
    if (in.time.exact) {
      rows.Text(time::FormatInstantUtc(*in.time.exact));
    } else {
      rows.Null();
    }
    rows.Text(text(in.event_type));
    rows.Text(text(in.sub_event_type));
    rows.Text(in.native_code);
    rows.Text(text(in.actor1));
    rows.Text(text(in.assoc_actor1));
    rows.Text(text(in.actor2));
    rows.Text(text(in.assoc_actor2));
    rows.Text(text(in.country));
    rows.Text(in.iso3);
    rows.Text(text(in.admin1));
    rows.Text(text(in.admin2));
    rows.Text(text(in.admin3));
    rows.Text(text(in.location));
    rows.Real(in.point.lat_deg);
    rows.Real(in.point.lon_deg);
    rows.Real(in.uncertainty_m);
    rows.Int(in.geo_precision);
    rows.Int(in.time_precision);
    rows.Opt(TrackToGeoJson(in.track));
    rows.Int(in.fatalities);
    rows.Opt(in.fatalities_low);
    rows.Opt(in.fatalities_high);
    rows.Text(text(in.source));
    rows.Text(place ? std::string_view("") : std::string_view(in.notes));  // "", not NULL: a null view binds NULL
    rows.Opt(in.span_begin);
    rows.Opt(in.span_end);
    rows.Real(in.confidence);
    if (place) {
      rows.Int(place->first);
      rows.Int(place->second);
    } else {
      rows.Null();
      rows.Null();
    }
    for (std::string model::Report::*field : kIncidentTextFields) {
      const std::string& v = in.*field;
      if (KeptInTexts(v)) {
        rows.Int(text_ids.at(v));
      } else {
        rows.Null();
      }
    }
  }
  auto what = [&](std::size_t i) {
    const model::Report& in = i < reports.size() ? *reports[i] : *reports.front();
    std::string w = "inserting incident '" + in.source_id + "' (report " + std::to_string(in.record_id) + ")";
    if (i >= reports.size() && reports.size() > 1) {
      w += " and " + std::to_string(reports.size() - 1) + " more";
    }
    return w;
  };
  TRUCE_ASSIGN_OR_RETURN(std::vector<std::optional<std::int64_t>> got, db_->InsertRows(spec, rows, what));
  std::vector<std::int64_t> ids;
  ids.reserve(got.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (!got[i]) return Status::Internal(db_->path() + ": " + what(i) + ": no id returned");
    ids.push_back(*got[i]);
  }
  std::vector<std::int64_t> sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  TRUCE_RETURN_IF_ERROR(evidence_.RowsAdded(evidence::RowTable::kIncidents, sorted));
  return ids;
}

template <class RowName>
Result<time::Days> SqlStore::DayColumn(const Stmt& s, int col, const RowName& row_name,
                                          const char* column) const {
  const std::string_view text = s.TextView(col);
  Result<time::Days> d = time::ParseIsoDate(text);
  if (!d.ok()) return Corrupt(row_name() + ": bad " + column + " '" + std::string(text) + "'");
  return d;
}

Result<model::Report> SqlStore::ReadIncident(const Stmt& s, TextValues* values) const {
  model::Report in;
  TRUCE_RETURN_IF_ERROR(ReadIncidentInto(s, &in, values));
  return in;
}

Result<const std::string*> SqlStore::IncidentText(std::int64_t id, TextValues* values) const {
  auto it = values->find(id);
  if (it != values->end()) return &it->second;
  const char* what = "reading an incident's text value";
  TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached("SELECT value FROM incident_texts WHERE id = ?", what));
  ScopedReset reset(s);
  s->Bind(1, id);
  TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
  if (!row) return static_cast<const std::string*>(nullptr);
  return &values->emplace(id, std::string(s->TextView(0))).first->second;
}

namespace {

// Assigns a column's text to a string, keeping its buffer when it is large
// enough (a page of reports read into again allocates nothing).
void TextInto(const Stmt& s, int col, std::string* out) {
  const std::string_view v = s.TextView(col);
  out->assign(v.data(), v.size());
}

}  // namespace

Status SqlStore::ReadIncidentInto(const Stmt& s, model::Report* out, TextValues* values) const {
  // Every field of model::Report is set (or reset) here: `out` may hold the
  // report of an earlier row.
  model::Report& in = *out;
  int c = 0;
  in.id = s.Int(c++);
  auto name = [&] { return "incident " + std::to_string(in.id); };
  // A text column and its ref (schema version 11): the column's text, then
  // the value the ref names, as TRUCE_INCIDENT_TEXT_SQL reads them.
  auto text_column = [&](std::string* field, const char* column) -> Status {
    TextInto(s, c++, field);
    if (s.IsNull(c)) {
      ++c;
      return Status::Ok();
    }
    const std::int64_t ref = s.Int(c++);
    TRUCE_ASSIGN_OR_RETURN(const std::string* value, IncidentText(ref, values));
    if (value == nullptr) {
      return Corrupt(name() + ": " + column + "_ref " + std::to_string(ref) + " names no incident_texts row");
    }
    field->append(*value);
    return Status::Ok();
  };
  in.record_id = s.Int(c++);
  TextInto(s, c++, &in.dataset);
  TextInto(s, c++, &in.source_id);
  TRUCE_ASSIGN_OR_RETURN(in.time.first_day, DayColumn(s, c++, name, "first_day"));
  TRUCE_ASSIGN_OR_RETURN(in.time.last_day, DayColumn(s, c++, name, "last_day"));
  const std::string_view precision = s.TextView(c++);
  std::optional<time::TimePrecision> p = ParseTimePrecision(precision);
  if (!p) return Corrupt(name() + ": unknown date_precision '" + std::string(precision) + "'");
  in.time.precision = *p;
  in.time.exact.reset();
  if (!s.IsNull(c)) {
    const std::string_view exact = s.TextView(c);
    Result<time::Instant> t = time::ParseInstant(exact);
    if (!t.ok()) return Corrupt(name() + ": bad exact_utc '" + std::string(exact) + "'");
    in.time.exact = *t;
  }
  ++c;
  TRUCE_RETURN_IF_ERROR(text_column(&in.event_type, "event_type"));
  TRUCE_RETURN_IF_ERROR(text_column(&in.sub_event_type, "sub_event_type"));
  TextInto(s, c++, &in.native_code);
  TRUCE_RETURN_IF_ERROR(text_column(&in.actor1, "actor1"));
  TRUCE_RETURN_IF_ERROR(text_column(&in.assoc_actor1, "assoc_actor1"));
  TRUCE_RETURN_IF_ERROR(text_column(&in.actor2, "actor2"));
  TRUCE_RETURN_IF_ERROR(text_column(&in.assoc_actor2, "assoc_actor2"));
  TRUCE_RETURN_IF_ERROR(text_column(&in.country, "country"));
  TextInto(s, c++, &in.iso3);
  TRUCE_RETURN_IF_ERROR(text_column(&in.admin1, "admin1"));
  TRUCE_RETURN_IF_ERROR(text_column(&in.admin2, "admin2"));
  TRUCE_RETURN_IF_ERROR(text_column(&in.admin3, "admin3"));
  TRUCE_RETURN_IF_ERROR(text_column(&in.location, "location"));
  in.point.lat_deg = s.Real(c++);
  in.point.lon_deg = s.Real(c++);
  in.uncertainty_m = s.Real(c++);
  in.geo_precision = static_cast<int>(s.Int(c++));
  in.time_precision = static_cast<int>(s.Int(c++));
  in.track.clear();
  if (std::optional<std::string> track = s.OptText(c++)) {
    std::string err = TrackFromGeoJson(*track, &in.track);
    if (!err.empty()) return Corrupt(name() + ": bad track: " + err);
  }
  in.fatalities = static_cast<int>(s.Int(c++));
  in.fatalities_low.reset();
  in.fatalities_high.reset();
  if (std::optional<std::int64_t> v = s.OptInt(c++)) in.fatalities_low = static_cast<int>(*v);
  if (std::optional<std::int64_t> v = s.OptInt(c++)) in.fatalities_high = static_cast<int>(*v);
  TRUCE_RETURN_IF_ERROR(text_column(&in.source, "source"));
  TextInto(s, c++, &in.notes);
  in.span_begin = s.OptInt(c++);
  in.span_end = s.OptInt(c++);
  in.confidence = s.Real(c++);
  return Status::Ok();
}

Result<std::optional<model::Report>> SqlStore::GetReport(std::int64_t id) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  const std::string what = "reading incident " + std::to_string(id);
  static const std::string kSql = "SELECT " + IncidentSelect() + " FROM incidents AS i WHERE i.id = ?";
  TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached(kSql, what));
  ScopedReset reset(s);
  s->Bind(1, id);
  TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
  if (!row) return std::optional<model::Report>();
  TextValues values;
  TRUCE_ASSIGN_OR_RETURN(model::Report in, ReadIncident(*s, &values));
  return std::optional<model::Report>(std::move(in));
}

Result<std::optional<model::SourceRecord>> SqlStore::GetSourceRecord(std::int64_t id) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  const std::string what = "reading report " + std::to_string(id);
  TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached("SELECT r.id, r.dataset, f.path, f.file_hash, r.file_row, r.raw, "
                                              "r.content_hash FROM reports AS r LEFT JOIN source_files AS f "
                                              "ON f.id = r.source_file_id WHERE r.id = ?",
                                              what));
  ScopedReset reset(s);
  s->Bind(1, id);
  TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
  if (!row) return std::optional<model::SourceRecord>();
  model::SourceRecord r;
  r.id = s->Int(0);
  r.dataset = s->Text(1);
  if (std::optional<std::string> path = s->OptText(2)) r.source_file = std::move(*path);
  if (std::optional<std::string> hash = s->OptText(3)) r.file_hash = std::move(*hash);
  r.row = s->Int(4);
  r.raw = s->Text(5);
  r.content_hash = s->Text(6);
  return std::optional<model::SourceRecord>(std::move(r));
}

Status SqlStore::ForEachReport(const ReportFilter& filter,
                               const std::function<Status(const model::Report&)>& fn) {
  return ScanReports(filter, /*placed=*/false, [&](const model::Report& r, std::int64_t) { return fn(r); });
}

Status SqlStore::ForEachPlacedReport(const ReportFilter& filter,
                                     const std::function<Status(const model::Report&, std::int64_t)>& fn) {
  return ScanReports(filter, /*placed=*/true, fn);
}

Status SqlStore::ScanReports(const ReportFilter& filter, bool placed,
                             const std::function<Status(const model::Report&, std::int64_t)>& fn) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  if (filter.limit < 0) return Status::InvalidArgument("ForEachReport: negative limit " + std::to_string(filter.limit));
  std::string sql = "SELECT " + IncidentSelect();
  // Each report's member row looked up by its key; the report's own id where it has none.
  if (placed) sql += ", COALESCE(m.incident_id, i.id)";
  sql += " FROM incidents AS i";
  if (placed) sql += " LEFT JOIN reconciled_members AS m ON m.report_id = i.id";
  sql += " WHERE 1 = 1";
  if (filter.from_day) sql += " AND i.last_day >= ?";
  if (filter.to_day) sql += " AND i.first_day <= ?";
  if (filter.after_id) sql += " AND i.id > ?";
  sql += " ORDER BY i.id";
  if (filter.limit > 0) sql += " LIMIT ?";
  const char* what = "reading incidents";
  // Prepared per call, not cached: `fn` may call back into the store.
  TRUCE_ASSIGN_OR_RETURN(Stmt s, db_->Prepare(sql, what));
  int i = 1;
  if (filter.from_day) s.Bind(i++, time::FormatDate(*filter.from_day));
  if (filter.to_day) s.Bind(i++, time::FormatDate(*filter.to_day));
  if (filter.after_id) s.Bind(i++, *filter.after_id);
  if (filter.limit > 0) s.Bind(i++, filter.limit);
  const int incident_col = s.ColumnCount() - 1;
  TextValues values;
  for (;;) {
    TRUCE_ASSIGN_OR_RETURN(bool row, s.Step(what));
    if (!row) return Status::Ok();
    TRUCE_ASSIGN_OR_RETURN(model::Report in, ReadIncident(s, &values));
    TRUCE_RETURN_IF_ERROR(fn(in, placed ? s.Int(incident_col) : in.id));
  }
}

Status SqlStore::ReadIncidentPage(std::int64_t after_id, std::int64_t limit, IncidentPage* page) {
  page->reports.clear();
  page->members.clear();
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  if (limit <= 0) return Status::InvalidArgument("ReadIncidentPage: limit must be positive, not " + std::to_string(limit));
  Status st = ReadIncidentPageInto(after_id, limit, page);
  if (!st.ok()) {
    page->reports.clear();
    page->members.clear();
  }
  return st;
}

Status SqlStore::ReadIncidentPageInto(std::int64_t after_id, std::int64_t limit, IncidentPage* page) {
  // The next report of a store: one held before, read into again, or a new one.
  auto next_of = [](std::vector<model::Report>* held, std::size_t* used) -> model::Report* {
    if (*used == held->size()) held->emplace_back();
    return &(*held)[(*used)++];
  };
  // The leads: reports that joined no other report's incident.
  const char* what = "reading a page of incidents";
  TextValues values;
  static const std::string kLeads = "SELECT " + IncidentSelect() +
                                    " FROM incidents AS i WHERE i.id > ? AND NOT EXISTS (SELECT 1 FROM "
                                    "reconciled_members AS m WHERE m.report_id = i.id) ORDER BY i.id LIMIT ?";
  std::size_t leads = 0;
  {
    TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached(kLeads, what));
    ScopedReset reset(s);
    s->Bind(1, after_id);
    s->Bind(2, limit);
    for (;;) {
      TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
      if (!row) break;
      TRUCE_RETURN_IF_ERROR(ReadIncidentInto(*s, next_of(&page->leads_held, &leads), &values));
    }
  }
  if (leads == 0) return Status::Ok();
  const std::vector<model::Report>& held = page->leads_held;
  // Their members: rows whose incident is one of these leads (ids in range).
  static const std::string kMembers = [] {
    return "SELECT " + IncidentSelect() +
           ", m.incident_id, m.score, m.reason, m.decided_by FROM reconciled_members AS m JOIN incidents AS i "
           "ON i.id = m.report_id WHERE m.incident_id > ? AND m.incident_id <= ? ORDER BY m.incident_id, m.report_id";
  }();
  TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached(kMembers, what));
  ScopedReset reset(s);
  s->Bind(1, after_id);
  s->Bind(2, held[leads - 1].id);
  const int extra = s->ColumnCount() - 4;
  std::size_t next = 0;     // the next lead to give
  std::int64_t lead = 0;    // the last one given
  std::size_t members = 0;  // of members_held in use
  auto give_leads_up_to = [&](std::int64_t incident_id) {
    while (next < leads && held[next].id <= incident_id) {
      lead = held[next].id;
      page->members.emplace_back();
      page->reports.push_back(&held[next++]);
    }
  };
  for (;;) {
    TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
    if (!row) break;
    IncidentMember m;
    m.incident_id = s->Int(extra);
    m.score = s->Real(extra + 1);
    m.reason = s->Text(extra + 2);
    m.decided_by = s->Text(extra + 3);
    give_leads_up_to(m.incident_id);
    if (lead != m.incident_id) {
      return Corrupt("report of incident " + std::to_string(m.incident_id) + ", which is not an incident's lead");
    }
    model::Report* r = next_of(&page->members_held, &members);
    TRUCE_RETURN_IF_ERROR(ReadIncidentInto(*s, r, &values));
    m.report_id = r->id;
    page->members.push_back(std::move(m));
    page->reports.push_back(nullptr);  // members_held may still grow: pointed to below
  }
  give_leads_up_to(held[leads - 1].id);
  for (std::size_t i = 0, k = 0; i < page->reports.size(); ++i) {
    if (page->members[i].report_id != 0) page->reports[i] = &page->members_held[k++];
  }
  return Status::Ok();
}

Result<std::int64_t> SqlStore::CountRows(const char* table, const char* what) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached(std::string("SELECT COUNT(*) FROM ") + table, what));
  ScopedReset reset(s);
  TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
  return row ? s->Int(0) : 0;
}

Result<std::int64_t> SqlStore::CountReports() { return CountRows("incidents", "counting incidents"); }

// ---------------------------------------------------------------- claims

// NULL for "not given", so that the column says so to SQL readers too.
std::optional<std::string> OptString(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

Result<std::int64_t> SqlStore::InsertClaim(const model::Claim& c) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  const std::string what = "inserting claim '" + c.kind + "' (report " + std::to_string(c.record_id) + ")";
  if (c.kind.empty()) return Status::InvalidArgument(what + ": the claim has no kind");
  TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached("INSERT INTO claims (report_id, kind, count, qualifier, claimant_name, "
                                              "claimant_country, claimant_kind, subject_name, subject_country, "
                                              "by_name, by_country, from_day, to_day, area, text, span_begin, "
                                              "span_end, sentence, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                              "?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                              what));
  ScopedReset reset(s);
  int i = 1;
  s->Bind(i++, c.record_id);
  s->Bind(i++, c.kind);
  s->Bind(i++, c.count);
  s->Bind(i++, c.qualifier);
  s->Bind(i++, c.claimant_name);
  s->Bind(i++, c.claimant_country);
  s->Bind(i++, c.claimant_kind);
  s->Bind(i++, c.subject_name);
  s->Bind(i++, c.subject_country);
  s->Bind(i++, c.by_name);
  s->Bind(i++, c.by_country);
  s->Bind(i++, OptString(c.from_day));
  s->Bind(i++, OptString(c.to_day));
  s->Bind(i++, c.area);
  s->Bind(i++, c.text);
  s->Bind(i++, c.span_begin);
  s->Bind(i++, c.span_end);
  s->Bind(i++, c.sentence);
  s->Bind(i++, c.confidence);
  TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
  if (!row) return Status::Internal(db_->path() + ": " + what + ": no id returned");
  std::int64_t id = s->Int(0);
  TRUCE_RETURN_IF_ERROR(s->Run(what));
  TRUCE_RETURN_IF_ERROR(evidence_.RowAdded(evidence::RowTable::kClaims, id));
  return id;
}

Result<std::vector<model::Claim>> SqlStore::ListClaims(std::int64_t report_id) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  std::string sql =
      "SELECT id, report_id, kind, count, qualifier, claimant_name, claimant_country, claimant_kind, subject_name, "
      "subject_country, by_name, by_country, from_day, to_day, area, text, span_begin, span_end, sentence, "
      "confidence FROM claims";
  if (report_id != 0) sql += " WHERE report_id = ?";
  sql += " ORDER BY id";
  const char* what = "reading claims";
  TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached(sql, what));
  ScopedReset reset(s);
  if (report_id != 0) s->Bind(1, report_id);
  std::vector<model::Claim> out;
  for (;;) {
    TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
    if (!row) return out;
    model::Claim c;
    int k = 0;
    c.id = s->Int(k++);
    c.record_id = s->Int(k++);
    c.kind = s->Text(k++);
    if (!s->IsNull(k)) c.count = s->Real(k);
    ++k;
    c.qualifier = s->Text(k++);
    c.claimant_name = s->Text(k++);
    c.claimant_country = s->Text(k++);
    c.claimant_kind = s->Text(k++);
    c.subject_name = s->Text(k++);
    c.subject_country = s->Text(k++);
    c.by_name = s->Text(k++);
    c.by_country = s->Text(k++);
    c.from_day = s->OptText(k++).value_or("");
    c.to_day = s->OptText(k++).value_or("");
    c.area = s->Text(k++);
    c.text = s->Text(k++);
    c.span_begin = s->OptInt(k++);
    c.span_end = s->OptInt(k++);
    c.sentence = s->Text(k++);
    c.confidence = s->Real(k++);
    out.push_back(std::move(c));
  }
}

// ---------------------------------------------------------------- agreements

Status SqlStore::PutAgreement(const StoredAgreement& a) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  if (a.id.empty()) return Status::InvalidArgument("PutAgreement: " + a.source_file + ": the agreement has no id");
  const std::string what = "storing agreement '" + a.id + "'";
  return Atomically("put_agreement", [&]() -> Status {
    // Replacing: the cascade removes the old files.
    TRUCE_ASSIGN_OR_RETURN(Stmt* del, db_->Cached("DELETE FROM agreements WHERE id = ?", what));
    {
      ScopedReset reset(del);
      del->Bind(1, a.id);
      TRUCE_RETURN_IF_ERROR(del->Run(what));
    }
    TRUCE_ASSIGN_OR_RETURN(Stmt* ins, db_->Cached("INSERT INTO agreements (id, title, source_file, content_hash, "
                                                  "added_at) VALUES (?, ?, ?, ?, ?)",
                                                  what));
    {
      ScopedReset reset(ins);
      ins->Bind(1, a.id);
      ins->Bind(2, a.title);
      ins->Bind(3, a.source_file);
      ins->Bind(4, a.content_hash);
      ins->Bind(5, a.added_at);
      TRUCE_RETURN_IF_ERROR(ins->Run(what));
    }
    TRUCE_ASSIGN_OR_RETURN(Stmt* file, db_->Cached("INSERT INTO agreement_files (agreement_id, ord, path, contents) "
                                                   "VALUES (?, ?, ?, ?)",
                                                   what));
    for (size_t k = 0; k < a.files.size(); ++k) {
      ScopedReset reset(file);
      file->Bind(1, a.id);
      file->Bind(2, static_cast<std::int64_t>(k));
      file->Bind(3, a.files[k].first);
      file->Bind(4, a.files[k].second);
      TRUCE_RETURN_IF_ERROR(file->Run(what + ", file '" + a.files[k].first + "'"));
    }
    TRUCE_RETURN_IF_ERROR(evidence_.AgreementStored(a.id));
    // Its zones in the PostGIS layer (gis.h); the old ones went with the cascade.
    return gis::PutZones(*db_, a);
  });
}

Result<std::vector<StoredAgreement>> SqlStore::LoadAgreements(const std::string* only_id) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  const char* what = "reading agreements";
  std::string sql =
      "SELECT a.id, a.title, a.source_file, a.content_hash, a.added_at, f.path, f.contents "
      "FROM agreements AS a LEFT JOIN agreement_files AS f ON f.agreement_id = a.id";
  if (only_id != nullptr) sql += " WHERE a.id = ?";
  sql += " ORDER BY a.id, f.ord";
  TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached(sql, what));
  ScopedReset reset(s);
  if (only_id != nullptr) s->Bind(1, *only_id);
  std::vector<StoredAgreement> out;
  for (;;) {
    TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
    if (!row) break;
    std::string id = s->Text(0);
    if (out.empty() || out.back().id != id) {
      StoredAgreement a;
      a.id = std::move(id);
      a.title = s->Text(1);
      a.source_file = s->Text(2);
      a.content_hash = s->Text(3);
      a.added_at = s->Text(4);
      out.push_back(std::move(a));
    }
    if (!s->IsNull(5)) out.back().files.emplace_back(s->Text(5), s->Text(6));
  }
  return out;
}

Result<std::vector<StoredAgreement>> SqlStore::ListAgreements() { return LoadAgreements(nullptr); }

Result<std::optional<StoredAgreement>> SqlStore::GetAgreement(const std::string& id) {
  TRUCE_ASSIGN_OR_RETURN(std::vector<StoredAgreement> found, LoadAgreements(&id));
  if (found.empty()) return std::optional<StoredAgreement>();
  return std::optional<StoredAgreement>(std::move(found.front()));
}

// ---------------------------------------------------------------- findings

Status SqlStore::ReplaceFindings(const std::vector<FindingRow>& findings,
                                    const std::vector<model::ObligationStatus>& obligations) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  return Atomically("replace_findings", [&]() { return WriteFindings(findings, obligations); });
}

Status SqlStore::ReplaceRuledFindings(const std::vector<FindingRow>& findings,
                                         const std::vector<model::ObligationStatus>& obligations,
                                         std::int64_t changes_seen) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  return Atomically("replace_findings", [&]() -> Status {
    TRUCE_RETURN_IF_ERROR(WriteFindings(findings, obligations));
    return RecordRuled(changes_seen);
  });
}

Status SqlStore::RecordRuled(std::int64_t changes_seen) {
  const char* what = "recording what the findings cover";
  TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached("UPDATE findings_state SET ruled = CASE WHEN ruled < ? THEN ? "
                                              "ELSE ruled END WHERE id = 1",
                                              what));
  ScopedReset reset(s);
  s->Bind(1, changes_seen);
  s->Bind(2, changes_seen);
  return s->Run(what);
}

Status SqlStore::DeleteFindings(const FindingScope& scope) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  return Atomically("delete_findings", [&]() -> Status {
    if (scope.all) return db_->Exec("DELETE FROM findings", "deleting old findings");
    const char* what = "deleting the findings of changed incidents";
    if (!scope.incident_ids.empty()) {
      TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached("DELETE FROM findings WHERE incident_id = ?", what));
      for (std::int64_t id : scope.incident_ids) {
        ScopedReset reset(s);
        s->Bind(1, id);
        TRUCE_RETURN_IF_ERROR(s->Run(what));
      }
    }
    what = "deleting the findings of changed agreements";
    if (!scope.agreement_ids.empty()) {
      TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached("DELETE FROM findings WHERE agreement_id = ?", what));
      for (const std::string& id : scope.agreement_ids) {
        ScopedReset reset(s);
        s->Bind(1, id);
        TRUCE_RETURN_IF_ERROR(s->Run(what));
      }
    }
    return Status::Ok();
  });
}

Status SqlStore::AppendFindings(const std::vector<FindingRow>& findings) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  return Atomically("append_findings", [&]() { return InsertFindingRows(findings); });
}

Status SqlStore::ReplaceObligationStatuses(const std::vector<model::ObligationStatus>& obligations) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  return Atomically("replace_obligations", [&]() -> Status {
    TRUCE_RETURN_IF_ERROR(db_->Exec("DELETE FROM obligation_status", "deleting old obligation statuses"));
    return InsertObligationRows(obligations);
  });
}

Status SqlStore::MarkFindingsRuled(std::int64_t changes_seen) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  return Atomically("mark_findings_ruled", [&]() { return RecordRuled(changes_seen); });
}

Result<FindingsState> SqlStore::GetFindingsState() {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  const char* what = "reading whether the findings are stale";
  TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached("SELECT changes, ruled FROM findings_state WHERE id = 1", what));
  ScopedReset reset(s);
  TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
  if (!row) return Corrupt("the findings_state row is missing");
  FindingsState st;
  st.changes = s->Int(0);
  st.ruled = s->Int(1);
  return st;
}

Status SqlStore::MarkFindingsStale() {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  return Atomically("mark_findings_stale", [&]() { return CountChange(); });
}

Status SqlStore::CountChange() {
  return db_->Exec("UPDATE findings_state SET changes = changes + 1 WHERE id = 1", "marking the findings stale");
}

// The findings columns after id, in the order WriteFindings binds them and
// QueryFindings reads them: the finding, then its incident's estimate as
// ruled and its support.
constexpr const char* kFindingColumns =
    "incident_id, agreement_id, provision_id, status, side, guarantor, actor_id, zone_id, distance_m, "
    "seconds_from_start, confidence, reason, first_day, last_day, lat_deg, lon_deg, location, admin1, event_type, "
    "sub_event_type, actor1, actor2, fatalities, fatalities_low, fatalities_high, dataset, source_id, support, "
    "sources, independent_sources, reported_by, grades";

Status SqlStore::WriteFindings(const std::vector<FindingRow>& findings,
                                  const std::vector<model::ObligationStatus>& obligations) {
  TRUCE_RETURN_IF_ERROR(db_->Exec("DELETE FROM findings", "deleting old findings"));
  TRUCE_RETURN_IF_ERROR(db_->Exec("DELETE FROM obligation_status", "deleting old obligation statuses"));
  TRUCE_RETURN_IF_ERROR(InsertFindingRows(findings));
  return InsertObligationRows(obligations);
}

Status SqlStore::InsertFindingRows(const std::vector<FindingRow>& findings) {
  static const std::string kSql = std::string("INSERT INTO findings (") + kFindingColumns +
                                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                  "?, ?, ?, ?, ?, ?, ?, ?, ?)";
  TRUCE_ASSIGN_OR_RETURN(Stmt* f, db_->Cached(kSql, "storing findings"));
  for (const FindingRow& r : findings) {
    const model::Finding& x = r.finding;
    ScopedReset reset(f);
    int i = 1;
    f->Bind(i++, x.incident_id);
    f->Bind(i++, x.agreement_id);
    f->Bind(i++, x.provision_id);
    f->Bind(i++, model::FindingStatusName(x.status));
    f->Bind(i++, x.side);
    f->Bind(i++, x.guarantor);
    f->Bind(i++, x.actor_id);
    f->Bind(i++, x.zone_id);
    f->Bind(i++, x.distance_m);
    f->Bind(i++, static_cast<std::int64_t>(x.seconds_from_start));
    f->Bind(i++, x.confidence);
    f->Bind(i++, x.reason);
    f->Bind(i++, time::FormatDate(r.date));
    f->Bind(i++, time::FormatDate(r.last_date));
    f->Bind(i++, r.point.lat_deg);
    f->Bind(i++, r.point.lon_deg);
    f->Bind(i++, r.location);
    f->Bind(i++, r.admin1);
    f->Bind(i++, r.event_type);
    f->Bind(i++, r.sub_event_type);
    f->Bind(i++, r.actor1);
    f->Bind(i++, r.actor2);
    f->Bind(i++, r.fatalities);
    f->Bind(i++, r.fatalities_low);
    f->Bind(i++, r.fatalities_high);
    f->Bind(i++, r.dataset);
    f->Bind(i++, r.source_id);
    f->Bind(i++, model::SupportName(x.support));
    f->Bind(i++, x.sources);
    f->Bind(i++, x.independent_sources);
    f->Bind(i++, x.reported_by);
    f->Bind(i++, x.grades);
    TRUCE_RETURN_IF_ERROR(f->Run("storing finding (incident " + std::to_string(x.incident_id) + ", " +
                                 x.agreement_id + "#" + x.provision_id + ")"));
  }
  return Status::Ok();
}

Status SqlStore::InsertObligationRows(const std::vector<model::ObligationStatus>& obligations) {
  TRUCE_ASSIGN_OR_RETURN(Stmt* o, db_->Cached("INSERT INTO obligation_status (agreement_id, provision_id, as_of, "
                                              "state, covered_fraction, evidence, reason) "
                                              "VALUES (?, ?, ?, ?, ?, ?, ?)",
                                              "storing obligation statuses"));
  for (const model::ObligationStatus& x : obligations) {
    ScopedReset reset(o);
    o->Bind(1, x.agreement_id);
    o->Bind(2, x.provision_id);
    o->Bind(3, time::FormatDate(x.as_of));
    o->Bind(4, model::ObligationStateName(x.state));
    o->Bind(5, x.covered_fraction);
    o->Bind(6, EvidenceToJson(x.evidence_incident_ids));
    o->Bind(7, x.reason);
    TRUCE_RETURN_IF_ERROR(o->Run("storing obligation status " + x.agreement_id + "#" + x.provision_id));
  }
  return Status::Ok();
}

std::string StatusNames() {
  std::string names;
  for (model::FindingStatus s : {model::FindingStatus::kViolation, model::FindingStatus::kExempt,
                                 model::FindingStatus::kNoViolation, model::FindingStatus::kOutsideScope,
                                 model::FindingStatus::kUndetermined}) {
    if (!names.empty()) names += ", ";
    names += model::FindingStatusName(s);
  }
  return names;
}

std::string SupportNames() {
  std::string names;
  for (model::Support s : {model::Support::kSingle, model::Support::kCorroborated, model::Support::kObserved}) {
    if (!names.empty()) names += ", ";
    names += model::SupportName(s);
  }
  return names;
}

// The orders FindingFilter::sort_key names, as SQL over the findings' own
// columns (every one NOT NULL); text compares byte by byte (BINARY), as
// std::string does in the per-report view (facade/findings_page.cc).
struct FindingSortColumn {
  const char* key;
  const char* sql;
  bool numeric;
};
constexpr FindingSortColumn kFindingSorts[] = {
    {"date", "first_day", false},
    // By severity: violations first in ascending order.
    {"status",
     "CASE status WHEN 'violation' THEN 0 WHEN 'undetermined' THEN 1 WHEN 'exempt' THEN 2 "
     "WHEN 'no_violation' THEN 3 WHEN 'outside_scope' THEN 4 ELSE 5 END",
     true},
    {"side", "side", false},
    {"location", "location || '\t' || admin1", false},
    {"support", "CASE support WHEN 'single' THEN 1 WHEN 'corroborated' THEN 2 WHEN 'observed' THEN 3 ELSE 0 END", true},
    {"agreement", "agreement_id || '\t' || provision_id", false},
    {"event_type", "event_type || '\t' || sub_event_type", false},
    {"actor", "CASE WHEN actor1 = '' THEN actor_id ELSE actor1 END", false},
    {"fatalities", "fatalities", true},
    {"distance_m", "distance_m", true},
    {"incident", "incident_id", true},
    {"confidence", "confidence", true},
};

// The filter's conditions (not its paging), appended to "... WHERE 1 = 1";
// BindFindingWhere binds their values in the same order.
Status AppendFindingWhere(std::string& sql, const FindingFilter& filter) {
  if (!filter.status.empty() && !model::ParseFindingStatus(filter.status)) {
    return Status::InvalidArgument("unknown finding status '" + filter.status + "' (expected one of " +
                                   StatusNames() + ")");
  }
  if (!filter.support.empty() && !model::ParseSupport(filter.support)) {
    return Status::InvalidArgument("unknown support level '" + filter.support + "' (expected one of " +
                                   SupportNames() + ")");
  }
  // Every value is bound; nothing is spliced in.
  if (!filter.agreement_id.empty()) sql += " AND agreement_id = ?";
  if (!filter.side.empty()) sql += " AND side = ?";
  if (!filter.status.empty()) sql += " AND status = ?";
  if (!filter.zone_id.empty()) sql += " AND zone_id = ?";
  if (filter.from_day) sql += " AND first_day >= ?";
  if (filter.to_day) sql += " AND first_day <= ?";
  if (filter.incident_id != 0) sql += " AND incident_id = ?";
  if (!filter.event_type.empty()) sql += " AND event_type = ?";
  if (filter.bbox) sql += " AND lat_deg BETWEEN ? AND ? AND lon_deg BETWEEN ? AND ?";
  if (!filter.support.empty()) sql += " AND support = ?";
  return Status::Ok();
}

void BindFindingWhere(Stmt* s, const FindingFilter& filter, int& k) {
  if (!filter.agreement_id.empty()) s->Bind(k++, filter.agreement_id);
  if (!filter.side.empty()) s->Bind(k++, filter.side);
  if (!filter.status.empty()) s->Bind(k++, filter.status);
  if (!filter.zone_id.empty()) s->Bind(k++, filter.zone_id);
  if (filter.from_day) s->Bind(k++, time::FormatDate(*filter.from_day));
  if (filter.to_day) s->Bind(k++, time::FormatDate(*filter.to_day));
  if (filter.incident_id != 0) s->Bind(k++, filter.incident_id);
  if (!filter.event_type.empty()) s->Bind(k++, filter.event_type);
  if (filter.bbox) {
    s->Bind(k++, filter.bbox->min_lat_deg);
    s->Bind(k++, filter.bbox->max_lat_deg);
    s->Bind(k++, filter.bbox->min_lon_deg);
    s->Bind(k++, filter.bbox->max_lon_deg);
  }
  if (!filter.support.empty()) s->Bind(k++, filter.support);
}

Result<FindingCounts> SqlStore::CountFindings(const FindingFilter& filter) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  std::string sql = "SELECT status, side, COUNT(*) FROM findings WHERE 1 = 1";
  TRUCE_RETURN_IF_ERROR(AppendFindingWhere(sql, filter));
  sql += " GROUP BY status, side";
  const char* what = "counting findings";
  TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached(sql, what));
  ScopedReset reset(s);
  int k = 1;
  BindFindingWhere(s, filter, k);
  FindingCounts out;
  for (;;) {
    TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
    if (!row) return out;
    const std::int64_t n = s->Int(2);
    out.total += n;
    out.by_status[s->Text(0)] += n;
    out.by_side[s->Text(1)] += n;
  }
}

Result<std::vector<FindingRow>> SqlStore::QueryFindings(const FindingFilter& filter) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  const FindingSortColumn* order = nullptr;
  if (!filter.sort_key.empty()) {
    for (const FindingSortColumn& c : kFindingSorts) {
      if (filter.sort_key == c.key) order = &c;
    }
    if (!order) return Status::InvalidArgument("unknown findings order '" + filter.sort_key + "'");
    if (filter.after && !filter.after_value) {
      return Status::InvalidArgument("paging findings in order '" + filter.sort_key + "' needs the sort value");
    }
  }
  // The findings alone: each row holds its incident's estimate as ruled.
  std::string sql = std::string("SELECT ") + kFindingColumns + ", id FROM findings WHERE 1 = 1";
  TRUCE_RETURN_IF_ERROR(AppendFindingWhere(sql, filter));
  const char* tuple = "(first_day, incident_id, agreement_id, provision_id, id) > (?, ?, ?, ?, ?)";
  // Appended piece by piece: GCC 12 warns (-Wrestrict) on one long concatenation.
  if (filter.after && order) {
    sql += " AND (";
    sql += order->sql;
    sql += filter.descending ? " < ?" : " > ?";
    sql += " OR (";
    sql += order->sql;
    sql += " = ? AND ";
    sql += tuple;
    sql += "))";
  } else if (filter.after) {
    sql += " AND ";
    sql += tuple;
  }
  sql += " ORDER BY ";
  if (order) {
    sql += order->sql;
    sql += filter.descending ? " DESC, " : ", ";
  }
  sql += "first_day, incident_id, agreement_id, provision_id, id";
  if (filter.limit > 0) sql += " LIMIT ?";
  const char* what = "querying findings";
  TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached(sql, what));
  ScopedReset reset(s);
  int k = 1;
  BindFindingWhere(s, filter, k);
  if (filter.after && order) {
    for (int i = 0; i < 2; ++i) {
      if (order->numeric) {
        s->Bind(k++, filter.after_value->number);
      } else {
        s->Bind(k++, filter.after_value->text);
      }
    }
  }
  if (filter.after) {
    s->Bind(k++, time::FormatDate(filter.after->date));
    s->Bind(k++, filter.after->incident_id);
    s->Bind(k++, filter.after->agreement_id);
    s->Bind(k++, filter.after->provision_id);
    s->Bind(k++, filter.after->finding_id);
  }
  if (filter.limit > 0) s->Bind(k++, filter.limit);

  std::vector<FindingRow> out;
  for (;;) {
    TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
    if (!row) return out;
    FindingRow r;
    model::Finding& f = r.finding;
    int c = 0;
    f.incident_id = s->Int(c++);
    const std::string name = "finding for incident " + std::to_string(f.incident_id);
    f.agreement_id = s->Text(c++);
    f.provision_id = s->Text(c++);
    std::string status = s->Text(c++);
    std::optional<model::FindingStatus> st = model::ParseFindingStatus(status);
    if (!st) return Corrupt(name + ": unknown status '" + status + "'");
    f.status = *st;
    f.side = s->Text(c++);
    f.guarantor = s->Text(c++);
    f.actor_id = s->Text(c++);
    f.zone_id = s->Text(c++);
    f.distance_m = s->Real(c++);
    f.seconds_from_start = s->Int(c++);
    f.confidence = s->Real(c++);
    f.reason = s->Text(c++);
    auto row_name = [&] { return name; };
    TRUCE_ASSIGN_OR_RETURN(r.date, DayColumn(*s, c++, row_name, "first_day"));
    TRUCE_ASSIGN_OR_RETURN(r.last_date, DayColumn(*s, c++, row_name, "last_day"));
    r.point.lat_deg = s->Real(c++);
    r.point.lon_deg = s->Real(c++);
    r.location = s->Text(c++);
    r.admin1 = s->Text(c++);
    r.event_type = s->Text(c++);
    r.sub_event_type = s->Text(c++);
    r.actor1 = s->Text(c++);
    r.actor2 = s->Text(c++);
    r.fatalities = s->Int(c++);
    r.fatalities_low = s->Int(c++);
    r.fatalities_high = s->Int(c++);
    r.dataset = s->Text(c++);
    r.source_id = s->Text(c++);
    std::string support = s->Text(c++);
    std::optional<model::Support> sup = model::ParseSupport(support);
    if (!sup) return Corrupt(name + ": unknown support '" + support + "'");
    f.support = *sup;
    f.sources = static_cast<int>(s->Int(c++));
    f.independent_sources = static_cast<int>(s->Int(c++));
    f.reported_by = s->Text(c++);
    f.grades = s->Text(c++);
    r.finding_id = s->Int(c++);
    out.push_back(std::move(r));
  }
}

Result<std::vector<model::ObligationStatus>> SqlStore::ListObligationStatuses(const std::string& agreement_id) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  std::string sql =
      "SELECT agreement_id, provision_id, as_of, state, covered_fraction, evidence, reason FROM obligation_status";
  if (!agreement_id.empty()) sql += " WHERE agreement_id = ?";
  sql += " ORDER BY agreement_id, provision_id, as_of, id";
  const char* what = "reading obligation statuses";
  TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached(sql, what));
  ScopedReset reset(s);
  if (!agreement_id.empty()) s->Bind(1, agreement_id);
  std::vector<model::ObligationStatus> out;
  for (;;) {
    TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
    if (!row) return out;
    model::ObligationStatus o;
    o.agreement_id = s->Text(0);
    o.provision_id = s->Text(1);
    const std::string name = "obligation status " + o.agreement_id + "#" + o.provision_id;
    TRUCE_ASSIGN_OR_RETURN(o.as_of, DayColumn(*s, 2, [&] { return name; }, "as_of"));
    std::string state = s->Text(3);
    std::optional<model::ObligationState> st = ParseObligationState(state);
    if (!st) return Corrupt(name + ": unknown state '" + state + "'");
    o.state = *st;
    o.covered_fraction = s->Real(4);
    std::string err = EvidenceFromJson(s->Text(5), &o.evidence_incident_ids);
    if (!err.empty()) return Corrupt(name + ": bad evidence: " + err);
    o.reason = s->Text(6);
    out.push_back(std::move(o));
  }
}

// ---------------------------------------------------------------- incidents: members and overrides

Status SqlStore::CheckReportStored(std::int64_t id, const std::string& what) {
  TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached("SELECT 1 FROM incidents WHERE id = ?", what));
  ScopedReset reset(s);
  s->Bind(1, id);
  TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
  if (!row) return Status::InvalidArgument(what + ": no report " + std::to_string(id) + " is stored");
  return Status::Ok();
}

namespace {
std::string PlacingWhat(const IncidentMember& m) {
  return "placing report " + std::to_string(m.report_id) + " in incident " + std::to_string(m.incident_id);
}
}  // namespace

Status SqlStore::SetMembers(const std::vector<IncidentMember>& members, bool replace_all) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  for (const IncidentMember& m : members) {
    if (m.incident_id > m.report_id) {
      return Status::InvalidArgument(PlacingWhat(m) + ": an incident's id is its smallest report's id, so a "
                                     "member's report id is above its incident's");
    }
  }
  // A placement the foreign keys refused: which id is missing is named after
  // the rollback (PostgreSQL runs nothing more in a failed transaction).
  const IncidentMember* refused = nullptr;
  Status written = Atomically("set_members", [&]() -> Status {
    if (replace_all) {
      TRUCE_RETURN_IF_ERROR(db_->Exec("DELETE FROM reconciled_members", "removing the incidents' members"));
    }
    TRUCE_ASSIGN_OR_RETURN(Stmt* put, db_->Cached("INSERT INTO reconciled_members (report_id, incident_id, score, "
                                                  "reason, decided_by) VALUES (?, ?, ?, ?, ?) "
                                                  "ON CONFLICT (report_id) DO UPDATE SET incident_id = "
                                                  "excluded.incident_id, score = excluded.score, reason = "
                                                  "excluded.reason, decided_by = excluded.decided_by",
                                                  "placing reports in incidents"));
    TRUCE_ASSIGN_OR_RETURN(Stmt* del, db_->Cached("DELETE FROM reconciled_members WHERE report_id = ?",
                                                  "making reports incidents of their own"));
    for (const IncidentMember& m : members) {
      if (m.incident_id == m.report_id) {
        // No foreign key checks a delete: the report must be stored all the same.
        TRUCE_RETURN_IF_ERROR(CheckReportStored(m.report_id, PlacingWhat(m)));
        ScopedReset reset(del);
        del->Bind(1, m.report_id);
        TRUCE_RETURN_IF_ERROR(del->Run(PlacingWhat(m)));
        continue;
      }
      Status s;
      {
        ScopedReset reset(put);
        put->Bind(1, m.report_id);
        put->Bind(2, m.incident_id);
        put->Bind(3, m.score);
        put->Bind(4, m.reason);
        put->Bind(5, m.decided_by);
        s = put->Run(PlacingWhat(m));
      }
      if (!s.ok()) {
        refused = &m;
        return s;
      }
    }
    // One level only: a report placed in an incident leads none, and an
    // incident's id is not itself a member (its lead is in no other).
    TRUCE_ASSIGN_OR_RETURN(Stmt* lead_of, db_->Cached("SELECT incident_id FROM reconciled_members WHERE report_id = ?",
                                                      "checking the incidents' members"));
    TRUCE_ASSIGN_OR_RETURN(Stmt* led_by, db_->Cached("SELECT report_id FROM reconciled_members WHERE incident_id = ? "
                                                     "ORDER BY report_id LIMIT 1",
                                                     "checking the incidents' members"));
    for (const IncidentMember& m : members) {
      if (m.incident_id == m.report_id) continue;
      {
        ScopedReset reset(lead_of);
        lead_of->Bind(1, m.incident_id);
        TRUCE_ASSIGN_OR_RETURN(bool row, lead_of->Step("checking the incidents' members"));
        if (row) {
          return Status::InvalidArgument(PlacingWhat(m) + ": report " + std::to_string(m.incident_id) +
                                         " is itself in incident " + std::to_string(lead_of->Int(0)) +
                                         " (a report belongs to one incident, named by its lead)");
        }
      }
      ScopedReset reset(led_by);
      led_by->Bind(1, m.report_id);
      TRUCE_ASSIGN_OR_RETURN(bool row, led_by->Step("checking the incidents' members"));
      if (row) {
        return Status::InvalidArgument(PlacingWhat(m) + ": report " + std::to_string(led_by->Int(0)) +
                                       " is still in incident " + std::to_string(m.report_id) +
                                       " (move the whole incident in one call)");
      }
    }
    return CountChange();
  });
  if (!written.ok() && refused != nullptr) {
    // The foreign keys checked the ids in the same step; only a failure pays
    // for naming the one that is missing.
    TRUCE_RETURN_IF_ERROR(CheckReportStored(refused->report_id, PlacingWhat(*refused)));
    TRUCE_RETURN_IF_ERROR(CheckReportStored(refused->incident_id, PlacingWhat(*refused)));
  }
  return written;
}

Result<std::vector<IncidentMember>> SqlStore::ListMembers(std::int64_t incident_id) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  std::string sql = "SELECT report_id, incident_id, score, reason, decided_by FROM reconciled_members";
  // A member's id stands for its incident.
  if (incident_id != 0) {
    sql += " WHERE incident_id = COALESCE((SELECT incident_id FROM reconciled_members WHERE report_id = ?1), ?1)";
  }
  sql += " ORDER BY incident_id, report_id";
  const char* what = "reading the incidents' members";
  TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached(sql, what));
  ScopedReset reset(s);
  if (incident_id != 0) s->Bind(1, incident_id);
  std::vector<IncidentMember> out;
  for (;;) {
    TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
    if (!row) return out;
    IncidentMember m;
    m.report_id = s->Int(0);
    m.incident_id = s->Int(1);
    m.score = s->Real(2);
    m.reason = s->Text(3);
    m.decided_by = s->Text(4);
    out.push_back(std::move(m));
  }
}

Result<std::int64_t> SqlStore::CountMembers() {
  return CountRows("reconciled_members", "counting the incidents' members");
}

Result<std::int64_t> SqlStore::InsertOverride(const MatchOverride& o) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  const std::string what = "recording " + o.kind + " of reports " + std::to_string(o.report_a) + " and " +
                           std::to_string(o.report_b);
  if (o.kind != "link" && o.kind != "unlink") {
    return Status::InvalidArgument("recording an override of reports " + std::to_string(o.report_a) + " and " +
                                   std::to_string(o.report_b) + ": unknown kind '" + o.kind +
                                   "' (expected link or unlink)");
  }
  if (o.report_a == o.report_b) return Status::InvalidArgument(what + ": a report cannot be linked with itself");
  if (o.analyst.empty()) return Status::InvalidArgument(what + ": no analyst named (who decided is recorded)");
  if (o.decided_at.empty()) return Status::InvalidArgument(what + ": no time of decision given");
  std::int64_t id = 0;
  TRUCE_RETURN_IF_ERROR(Atomically("insert_override", [&]() -> Status {
    TRUCE_RETURN_IF_ERROR(CheckReportStored(o.report_a, what));
    TRUCE_RETURN_IF_ERROR(CheckReportStored(o.report_b, what));
    TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached("INSERT INTO match_overrides (kind, report_a, report_b, analyst, "
                                                "decided_at, note) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                                                what));
    ScopedReset reset(s);
    s->Bind(1, o.kind);
    s->Bind(2, o.report_a);
    s->Bind(3, o.report_b);
    s->Bind(4, o.analyst);
    s->Bind(5, o.decided_at);
    s->Bind(6, o.note);
    TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
    if (!row) return Status::Internal(db_->path() + ": " + what + ": no id returned");
    id = s->Int(0);
    TRUCE_RETURN_IF_ERROR(s->Run(what));
    // An analyst's decision: covered by an evidence entry of its own.
    TRUCE_RETURN_IF_ERROR(evidence_.DecisionStored(id, "override " + std::to_string(id) + ": " + o.kind +
                                                           " reports " + std::to_string(o.report_a) + " and " +
                                                           std::to_string(o.report_b) + " by " + o.analyst));
    return CountChange();
  }));
  return id;
}

Result<std::vector<MatchOverride>> SqlStore::ListOverrides() {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  const char* what = "reading the analysts' overrides";
  TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached("SELECT id, kind, report_a, report_b, analyst, decided_at, note "
                                              "FROM match_overrides ORDER BY id",
                                              what));
  ScopedReset reset(s);
  std::vector<MatchOverride> out;
  for (;;) {
    TRUCE_ASSIGN_OR_RETURN(bool row, s->Step(what));
    if (!row) return out;
    MatchOverride o;
    o.id = s->Int(0);
    o.kind = s->Text(1);
    o.report_a = s->Int(2);
    o.report_b = s->Int(3);
    o.analyst = s->Text(4);
    o.decided_at = s->Text(5);
    o.note = s->Text(6);
    out.push_back(std::move(o));
  }
}

// ---------------------------------------------------------------- evidence

Result<EvidenceReport> SqlStore::VerifyEvidence() {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  return evidence::Verify(*db_);
}

Status SqlStore::ForEachEvidence(const std::function<Status(const EvidenceExport&)>& fn) {
  TRUCE_RETURN_IF_ERROR(EnsureReady());
  return evidence::ForEach(*db_, fn);
}

}  // namespace

std::unique_ptr<Store> NewSqlStore(std::unique_ptr<sql::Db> db) { return std::make_unique<SqlStore>(std::move(db)); }

namespace {

// Notes shorter than this (as the raw record holds them) are stored as
// they are: two integers and a reports lookup on every read save little.
constexpr std::size_t kPlacedNotesMinBytes = 16;
// A raw record longer than this (a long news article, whose many incidents
// each have a sentence of it as notes) is not searched: finding and counting
// a place in it for each of its incidents would cost more than the bytes
// saved. A dataset row is far shorter.
constexpr std::size_t kPlacedNotesMaxRawBytes = 64 << 10;

}  // namespace

// sql_store.h
std::optional<std::pair<std::int64_t, std::int64_t>> NotesPlace(std::string_view raw, std::string_view notes,
                                                                bool utf8, std::string* escaped) {
  std::string_view want = notes;
  if (notes.find('"') != std::string_view::npos) {
    escaped->clear();
    for (char c : notes) {
      escaped->push_back(c);
      if (c == '"') escaped->push_back('"');
    }
    want = *escaped;
  }
  if (want.size() < kPlacedNotesMinBytes || raw.size() > kPlacedNotesMaxRawBytes) return std::nullopt;
  const std::size_t at = raw.find(want);
  if (at == std::string_view::npos) return std::nullopt;
  const std::string_view upto = raw.substr(0, at + want.size());
  if (upto.find('\0') != std::string_view::npos) return std::nullopt;
  auto continuation = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; };
  // Something after them: a notes_len changed later then changes the text
  // (substr past the end would not).
  if (upto.size() == raw.size() || continuation(raw[upto.size()])) return std::nullopt;
  if (!utf8) {
    for (char c : upto) {
      if (static_cast<unsigned char>(c) >= 0x80) return std::nullopt;
    }
    return std::make_pair(static_cast<std::int64_t>(at), static_cast<std::int64_t>(want.size()));
  }
  if (FindInvalidUtf8(upto)) return std::nullopt;
  return std::make_pair(static_cast<std::int64_t>(CountCodePoints(raw.substr(0, at))),
                        static_cast<std::int64_t>(CountCodePoints(want)));
}

}  // namespace truce::store
