// Store: where agreements, reports, incidents, findings and obligation
// statuses live. One interface over SQLite and PostgreSQL, so the SQL stays
// portable (no SQLite-only syntax outside the SQLite
// file; parameters always bound, never spliced into SQL).
// Thread-safety: one Store per thread; the database handles concurrency.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "truce/core/status.h"
#include "truce/model/model.h"
#include "truce/store/evidence.h"

namespace truce::store {

// An agreement as stored: its files exactly as they were read, so that it can
// be re-parsed (and re-validated) on load.
struct StoredAgreement {
  std::string id;
  std::string title;
  std::string source_file;
  std::string content_hash;
  std::vector<std::pair<std::string, std::string>> files;  // (path, contents); the YAML first
  std::string added_at;  // ISO-8601 UTC
};

// One ingested file.
struct FileRecord {
  std::string file_hash;
  std::string path;
  std::string dataset;   // variant name, e.g. "acled-2023"
  std::int64_t records = 0;
  std::int64_t added = 0;
  std::string ingested_at;
};

// An API token of `truce serve` (schema version 3). The token itself is never
// stored, only its SHA-256 (hex).
struct TokenRecord {
  std::int64_t id = 0;
  std::string name;
  std::string role;  // "viewer", "analyst", "admin"
  std::string token_hash;
  std::string created_at;  // ISO-8601 UTC
  std::optional<std::string> revoked_at;
};

struct ReportFilter {
  std::optional<time::Days> from_day;   // incidents whose last day >= from_day
  std::optional<time::Days> to_day;     // incidents whose first day <= to_day
  std::optional<std::int64_t> after_id; // id > after_id (for paging)
  std::int64_t limit = 0;               // 0 = all
};

struct FindingFilter {
  std::string agreement_id;  // empty = any
  std::string side;
  std::string status;        // "violation" ...
  std::string zone_id;
  std::optional<time::Days> from_day, to_day;  // on the incident's first day
  std::int64_t incident_id = 0;  // 0 = any
  std::string event_type;        // the incident's
  std::optional<geo::BBox> bbox;  // the incident's point in it
  std::string support;            // "single", "corroborated", "observed"; empty = any (unknown = InvalidArgument)
  // Paging: findings after this one in the query's order (the last row of
  // the previous page), at most `limit` of them (0 = all).
  struct Position {
    time::Days date{};
    std::int64_t incident_id = 0;
    std::string agreement_id, provision_id;
    std::int64_t finding_id = 0;
  };
  std::optional<Position> after;
  std::int64_t limit = 0;
  // The order: a key of truce::FindingSortKeys() ("" = date, the order
  // above), descending or not, ties in the order above. Paging in it needs
  // `after` and the sort value of that row (its number for numeric keys,
  // else its text, as the sort key's SQL gives it). Unknown key = InvalidArgument.
  std::string sort_key;
  bool descending = false;
  struct SortValue {
    double number = 0;
    std::string text;
  };
  std::optional<SortValue> after_value;
};

// How many findings match a filter (its paging ignored), by status and by
// side ("" for findings of no side).
struct FindingCounts {
  std::int64_t total = 0;
  std::map<std::string, std::int64_t> by_status, by_side;
};

// A report's place in an incident (schema version 6). Only a report that
// joined another report's incident has a row; a report without one is an
// incident of its own, whose id is the report's.
struct IncidentMember {
  std::int64_t report_id = 0;
  std::int64_t incident_id = 0;  // the incident's lead report; never report_id in a stored row
  double score = 0;
  std::string reason;            // in words
  std::string decided_by;        // "matcher", or "analyst NAME at TIME"
};

// An analyst's decision about two reports (schema version 6): "link" (the
// same incident) or "unlink" (never the same incident). Kept across
// re-ingest and re-matching; the latest decision about a pair wins.
struct MatchOverride {
  std::int64_t id = 0;
  std::string kind;  // "link" or "unlink"
  std::int64_t report_a = 0, report_b = 0;
  std::string analyst;
  std::string decided_at;  // ISO-8601 UTC
  std::string note;
};

// A finding with what a reader needs of its incident: the incident's best
// estimate as it was ruled (stored with the finding, so that reading
// findings needs no reconciling).
struct FindingRow {
  std::int64_t finding_id = 0;  // the stored row's id (changes with every `truce rule`)
  model::Finding finding;
  time::Days date{};         // the incident's first day
  time::Days last_date{};
  std::string location;
  std::string admin1;
  geo::LatLon point;
  std::string event_type, sub_event_type, actor1, actor2;
  std::int64_t fatalities = 0;
  std::int64_t fatalities_low = 0, fatalities_high = 0;  // the range the sources give
  std::string dataset, source_id;  // the lead report's
};

// A page of incidents (Store::ReadIncidentPage): each incident's reports,
// its lead first then its members by id, incidents by lead id; `members`
// beside `reports` (a lead's row has report_id 0). The reports are held in
// `leads_held` and `members_held`, which are kept from page to page: read
// into the same IncidentPage again, a page reuses the reports (and their
// strings' buffers) of the one before, so that reading millions of incidents
// allocates about once, not once a report. Not copyable (`reports` points
// into the page itself); moving keeps the pointers valid.
struct IncidentPage {
  std::vector<const model::Report*> reports;
  std::vector<IncidentMember> members;
  std::vector<model::Report> leads_held, members_held;  // more than in use, after a larger page

  IncidentPage() = default;
  IncidentPage(const IncidentPage&) = delete;
  IncidentPage& operator=(const IncidentPage&) = delete;
  IncidentPage(IncidentPage&&) = default;
  IncidentPage& operator=(IncidentPage&&) = default;
};

// Which stored findings Store::DeleteFindings removes: all of them, or
// those of the incidents and those of the agreements named.
struct FindingScope {
  bool all = false;
  std::vector<std::int64_t> incident_ids;
  std::vector<std::string> agreement_ids;
};

// Changes to incidents and agreements counted, and how many of them the
// stored findings cover; both only grow.
struct FindingsState {
  std::int64_t changes = 0;
  std::int64_t ruled = 0;
  bool stale() const { return changes > ruled; }
};

class Store {
 public:
  virtual ~Store() = default;

  // Creates or upgrades the schema to the latest version (each migration in
  // its own transaction). Idempotent. FailedPrecondition when the database is
  // newer than this code, or when a transaction is open.
  virtual Status Migrate() = 0;
  // The applied schema version; 0 for a database never migrated.
  virtual Result<int> SchemaVersion() = 0;

  // The data operations below (files onwards) return FailedPrecondition
  // ("database not initialised; run 'truce init'") until the schema is at the
  // latest version.

  // Explicit transactions; one ingest = one transaction. Begin takes the write
  // lock at once (waiting up to OpenOptions::busy_timeout_ms for another
  // writer, then Busy). Begin inside Begin and
  // Commit/Rollback without Begin are FailedPrecondition. Destroying the store
  // rolls back an open transaction.
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
  // Begin for a transaction that adds many rows (an ingest of a dataset
  // file). SQLite: when no other connection has the database open, the
  // transaction goes through a rollback journal (synchronous FULL) instead of
  // the WAL, so that its new pages are written once rather than twice (into
  // the WAL, then copied by the checkpoint); the WAL is back at Commit or
  // Rollback. Meanwhile another process that opens the database waits for
  // it (busy, as for a writer). Crash-safe either way: a rollback journal
  // left by a crash is rolled back by the next open. With other connections
  // open, and on PostgreSQL, the same as Begin.
  virtual Status BeginBulk() { return Begin(); }

  // A number that grows with every write transaction, by any process: equal
  // generations mean equal data (caches key on it). Counted: transactions
  // opened by Begin and the store's own atomic writes (agreements, findings,
  // tokens); single inserts made outside Begin/Commit are not.
  virtual Result<std::int64_t> Generation() = 0;

  // The database's job lock: the jobs of every `truce serve` on one database
  // run one at a time (docs/design.md, "Several servers"). A lock of its own
  // beside the write lock, held across transactions: TryLockJobs takes it
  // when it is free (true) or answers false at once; it is held until
  // UnlockJobs, the store's end or the process's. PostgreSQL: a session-level
  // advisory lock; SQLite: flock(2) on the file `PATH-jobs` beside the
  // database. Taking it twice on one store is FailedPrecondition on SQLite.
  virtual Result<bool> TryLockJobs() = 0;
  virtual Status UnlockJobs() = 0;

  // Tokens. FindToken looks up by hash (revoked ones too); RevokeToken sets
  // revoked_at, NotFound for an unknown id.
  virtual Result<std::int64_t> InsertToken(const TokenRecord& token) = 0;
  virtual Result<std::optional<TokenRecord>> FindToken(const std::string& token_hash) = 0;
  virtual Result<std::vector<TokenRecord>> ListTokens() = 0;
  virtual Status RevokeToken(std::int64_t id, const std::string& revoked_at) = 0;

  // Files.
  virtual Result<std::optional<FileRecord>> FindFile(const std::string& file_hash) = 0;
  virtual Status PutFile(const FileRecord& file) = 0;

  // Reports and incidents. InsertSourceRecord returns nullopt when a report with the
  // same content hash exists (nothing is added).
  virtual Result<std::optional<std::int64_t>> InsertSourceRecord(const model::SourceRecord& report) = 0;
  virtual Result<std::int64_t> InsertReport(const model::Report& incident) = 0;
  // The same for a batch (an ingest stores a file this way, a few thousand
  // rows at a time): each record's id in order, nullopt for one whose content
  // hash is stored already or appeared earlier in the batch; each report's id
  // in order. The same rows and evidence as one call per row, in a fraction
  // of the round trips on PostgreSQL (sql::Db::InsertRows).
  virtual Result<std::vector<std::optional<std::int64_t>>> InsertSourceRecords(
      const std::vector<const model::SourceRecord*>& records) = 0;
  // `raw_records` is empty, or each report's raw record as its reports row
  // holds it (model::SourceRecord::raw of its record_id): where a report's
  // notes (16 bytes or more) are in it, with each '"' doubled as a CSV
  // holds them, the row keeps their place instead of their text (schema
  // version 10; docs/design.md, "Where a large ingest's time and bytes go")
  // and every read takes them from the raw record. Else, or when they are
  // not there, the notes are stored as they are. Text values of 4 to 200
  // bytes in the columns of store/schema.h's kIncidentTextColumns (event
  // types, actors, admin areas, place, source) are kept once in
  // incident_texts and named by id from the row (schema version 11).
  virtual Result<std::vector<std::int64_t>> InsertReports(const std::vector<const model::Report*>& reports,
                                                          const std::vector<std::string_view>& raw_records) = 0;
  virtual Result<std::optional<model::Report>> GetReport(std::int64_t id) = 0;
  virtual Result<std::optional<model::SourceRecord>> GetSourceRecord(std::int64_t id) = 0;
  virtual Status ForEachReport(const ReportFilter& filter,
                                 const std::function<Status(const model::Report&)>& fn) = 0;
  // ForEachReport that also gives each report's incident (its lead's id; its
  // own when it leads one or stands alone), read in the same scan: an ingest
  // reads the placements of the reports it matches against, not every
  // member row of the database.
  virtual Status ForEachPlacedReport(const ReportFilter& filter,
                                     const std::function<Status(const model::Report&, std::int64_t)>& fn) = 0;
  virtual Result<std::int64_t> CountReports() = 0;

  // Claims stated in news reports (schema version 2). ListClaims: those of one
  // report, or all when report_id is 0; by id.
  virtual Result<std::int64_t> InsertClaim(const model::Claim& claim) = 0;
  virtual Result<std::vector<model::Claim>> ListClaims(std::int64_t report_id) = 0;

  // Agreements. PutAgreement replaces one with the same id. Listed by id, files
  // in the order given.
  virtual Status PutAgreement(const StoredAgreement& agreement) = 0;
  virtual Result<std::vector<StoredAgreement>> ListAgreements() = 0;
  virtual Result<std::optional<StoredAgreement>> GetAgreement(const std::string& id) = 0;

  // Findings and obligation statuses: replaced wholesale by each `truce rule`,
  // in one transaction (a savepoint inside the caller's, if one is open).
  // Each row carries its incident's estimate as ruled (FindingRow; its
  // finding_id is ignored) and QueryFindings reads them back from the
  // findings alone (schema version 6), ordered by the incident's first day,
  // incident id, agreement, provision (or by FindingFilter::sort_key first);
  // an unknown status or support name is InvalidArgument. CountFindings
  // counts what QueryFindings would give without paging.
  // ListObligationStatuses: empty agreement_id = all agreements.
  virtual Status ReplaceFindings(const std::vector<FindingRow>& findings,
                                 const std::vector<model::ObligationStatus>& obligations) = 0;
  virtual Result<std::vector<FindingRow>> QueryFindings(const FindingFilter& filter) = 0;
  virtual Result<FindingCounts> CountFindings(const FindingFilter& filter) = 0;
  virtual Result<std::vector<model::ObligationStatus>> ListObligationStatuses(
      const std::string& agreement_id) = 0;

  // Whether the findings lag the data (schema version 5), kept durably so
  // that a process killed between an ingest and its re-ruling leaves a trace:
  // every write that adds incidents or agreements counts a change inside its
  // own transaction (MarkFindingsStale). ReplaceRuledFindings is
  // ReplaceFindings that also records, in the same transaction, that the
  // findings cover the changes counted up to `changes_seen` (read by the
  // caller before it read the data it ruled: a change committed meanwhile
  // keeps the findings stale). ReplaceFindings leaves the state as it is.
  virtual Result<FindingsState> GetFindingsState() = 0;
  virtual Status MarkFindingsStale() = 0;
  virtual Status ReplaceRuledFindings(const std::vector<FindingRow>& findings,
                                      const std::vector<model::ObligationStatus>& obligations,
                                      std::int64_t changes_seen) = 0;

  // The findings written in pieces (an incremental re-rule, a full one in
  // batches): inside the caller's transaction (Begin) so that readers see the
  // whole change or none of it, else each in its own. DeleteFindings removes
  // the findings `scope` names; AppendFindings inserts rows after those
  // stored (ids in the order given); ReplaceObligationStatuses replaces them
  // all; MarkFindingsRuled records that the findings cover the changes
  // counted up to `changes_seen` (as ReplaceRuledFindings does; never less
  // than already recorded).
  virtual Status DeleteFindings(const FindingScope& scope) = 0;
  virtual Status AppendFindings(const std::vector<FindingRow>& findings) = 0;
  virtual Status ReplaceObligationStatuses(const std::vector<model::ObligationStatus>& obligations) = 0;
  virtual Status MarkFindingsRuled(std::int64_t changes_seen) = 0;

  // Incidents (schema version 6): which reports make one incident, and the
  // analysts' overrides. SetMembers writes placements: a member whose
  // incident_id equals its report_id makes that report an incident of its own
  // again (its row is removed); with replace_all, every row not given is
  // removed first (a full re-match). ListMembers: the members of one incident
  // (by report id; the id of a member gives its incident's members), or all
  // rows when incident_id is 0, ordered by incident then report; a lead has
  // no row, so it is not listed. CountMembers: how many rows there are.
  // Both SetMembers and
  // InsertOverride count a change (MarkFindingsStale) in their transaction: the
  // findings rule incidents. InvalidArgument for a report id not stored; for a
  // member whose incident_id is above its report_id (the lead is the smallest);
  // and when the placements would leave a chain (a member's incident_id is
  // itself a member, or a report placed in an incident still leads members):
  // move a whole incident in one call.
  // InsertOverride also appends a `decision` entry to the evidence log, and
  // needs a kind of "link" or "unlink", two different stored reports, an
  // analyst and decided_at (InvalidArgument otherwise). ListOverrides: by id.
  // The incidents whose lead's id is above `after_id`, at most `limit` of
  // them (> 0), with all their reports, into `page` (replacing what it
  // held, reusing its storage): a full rule reads them page by page in
  // bounded memory (the next page after the last lead given; an empty page
  // at the end). Two queries, the leads and their members; inside a
  // transaction they read one snapshot. On an error `page` is empty.
  virtual Status ReadIncidentPage(std::int64_t after_id, std::int64_t limit, IncidentPage* page) = 0;
  virtual Status SetMembers(const std::vector<IncidentMember>& members, bool replace_all) = 0;
  virtual Result<std::vector<IncidentMember>> ListMembers(std::int64_t incident_id) = 0;
  virtual Result<std::int64_t> CountMembers() = 0;
  virtual Result<std::int64_t> InsertOverride(const MatchOverride& override_row) = 0;
  virtual Result<std::vector<MatchOverride>> ListOverrides() = 0;

  // The evidence log (schema version 4, docs/evidence.md). Every report,
  // incident and claim an ingest stores, the ingested file's record, every
  // agreement version and every token created or revoked is covered by an
  // entry of a hash chain, appended inside the same transaction: one entry per
  // transaction's rows (at Commit), one per agreement stored or token changed.
  // VerifyEvidence recomputes every entry, link and covered row and finds rows
  // no entry covers; it reads one snapshot. ForEachEvidence gives each entry
  // with its parts' texts, in order, for an export bundle (DatabaseError when
  // rows no longer match: verify first).
  virtual Result<EvidenceReport> VerifyEvidence() = 0;
  virtual Status ForEachEvidence(const std::function<Status(const EvidenceExport&)>& fn) = 0;
};

// One write transaction held by a scope, so that every way out of it that
// does not Commit rolls back (an error returned early, an exception):
//
//   TRUCE_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(store));
//   ... writes, returning on the first error ...
//   return tx.Commit();
//
// Begin and Commit are Store::Begin and Store::Commit, with their errors
// (Busy when another writer holds the lock). A Commit that fails leaves the
// transaction to the destructor, which rolls back whatever is still open.
class Transaction {
 public:
  static Result<Transaction> Begin(Store& store);
  // Store::BeginBulk.
  static Result<Transaction> BeginBulk(Store& store);
  Transaction(Transaction&& other) noexcept : store_(other.store_) { other.store_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Status Commit();

 private:
  explicit Transaction(Store* store) : store_(store) {}
  Store* store_;  // null once committed (or moved from)
};

// The schema version this code writes and reads.
int LatestSchemaVersion();

// How a store is opened.
struct OpenOptions {
  // How long a write waits for another writer's lock (Begin, and the store's
  // own atomic writes) before failing with StatusCode::kBusy; it retries with
  // back-off (1 ms doubling to 100 ms). DEFAULT 5000 ms; 0 fails at once.
  std::int64_t busy_timeout_ms = 5000;
  // Called once each time a write starts waiting for another writer, e.g. to
  // say so on a terminal. DEFAULT none. Called on the waiting thread.
  std::function<void()> on_wait;
};

// Opens (creating if needed) a SQLite database file: WAL, foreign keys on.
// Does not migrate; call Migrate(). IoError when the path's directory does not
// exist; DatabaseError naming the path when the file is not a SQLite database.
Result<std::unique_ptr<Store>> OpenSqlite(const std::string& path, const OpenOptions& options = {});

// Opens a PostgreSQL database: `postgresql://user[:password]@host:port/db`
// (or postgres://, and libpq's own parameters after `?`). The database must
// exist; Migrate() creates the tables. Writes take the database's write lock
// (one writer at a time, waiting as `options` say, then Busy); reads in a
// transaction see one snapshot. DatabaseError naming the URL without its
// password when the server cannot be reached or refuses.
Result<std::unique_ptr<Store>> OpenPostgres(const std::string& url, const OpenOptions& options = {});

// Opens the store a --db value names: a postgresql:// or postgres:// URL
// (OpenPostgres), else a SQLite file path (OpenSqlite).
Result<std::unique_ptr<Store>> OpenStore(const std::string& db, const OpenOptions& options = {});

}  // namespace truce::store
