// The library facade: the one door the CLI and the HTTP server go through.
// An Engine owns a store and turns user-level operations (add an agreement,
// ingest a file, rule, query, report, tokens, the evidence log) into calls on
// the modules behind it, which this header does not name: parameters and
// answers are the facade's own (facade/types.h), and every output format
// (findings tables, CSV, JSON and GeoJSON, daily reports, the extraction JSON
// and agreement drafts, the API's JSON views) is rendered here, so that
// callers write what they get. Nothing behind it knows about the CLI or HTTP.
// Thread-safety: one Engine per thread; EngineCaches may be shared.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "truce/core/env.h"
#include "truce/core/status.h"
#include "truce/facade/types.h"

namespace truce {

namespace facade {
class Core;  // src/facade/core.h
}

// What the engines of one process share (one per server): the incident index
// and the loaded agreements, each rebuilt when the store's generation
// changes. Thread-safe.
class EngineCaches;
std::shared_ptr<EngineCaches> MakeEngineCaches();

// A page of a list, rendered: the JSON (or GeoJSON, CSV) body and its media type.
struct Rendered {
  std::string body;
  std::string content_type = "application/json";
};

class Engine {
 public:
  // Opens the store `db` names (a SQLite path). Does not create the schema.
  static Result<std::unique_ptr<Engine>> Open(const std::string& db, FileSystem& fs, Clock& clock,
                                              const EngineOptions& options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Creates or upgrades the schema.
  Status Init();
  Result<int> SchemaVersion();
  // The store's generation: it changes with every write, by any process.
  Result<std::int64_t> Generation();
  // Engines given the same caches (one per server) share one incident index
  // and one set of loaded agreements.
  void ShareCaches(std::shared_ptr<EngineCaches> caches);
  // Builds the incident index now rather than on the first query (about a
  // second per 100 000 incidents).
  Status BuildIndex();
  // The database's job lock (store::Store::TryLockJobs): the writes of
  // several servers on one database run one at a time. true when taken,
  // false at once when another connection holds it.
  Result<bool> TryLockJobs();
  Status UnlockJobs();

  // ---------------------------------------------------------------- agreements
  // Reads and validates a file without storing it (no database needed).
  static Result<AgreementSummary> CheckAgreement(const std::string& path, FileSystem& fs);
  // Validates every file, checks references against what is stored, then
  // stores them all in one transaction (all or nothing). Returns their ids.
  Result<std::vector<std::string>> AddAgreements(const std::vector<std::string>& paths);
  // Adds one agreement from files received rather than read (the HTTP API):
  // (path, contents), the YAML first; it may reference only the others.
  // Returns its id.
  Result<std::string> AddAgreementFiles(const std::vector<std::pair<std::string, std::string>>& files);
  Result<std::vector<AgreementSummary>> ListAgreements();
  // `truce agreement show`: the agreement as text; NotFound for an unknown id.
  Result<std::string> AgreementText(const std::string& id);

  // ---------------------------------------------------------------- ingest
  // Reads a dataset file and stores its source records and incidents in one
  // transaction. With options.skip_bad_rows false, a bad row stores nothing.
  // The whole file is read and checked before the write lock is taken. A
  // file that yields no records and skips none is a ParseError. A path that
  // is not a regular file (a FIFO, /dev/zero) is InvalidArgument; a missing
  // one NotFound. A path that is not valid UTF-8 is stored repaired (U+FFFD),
  // with a warning.
  Result<IngestResult> Ingest(const std::string& path, const DatasetOptions& options);
  // The same for a file's bytes received rather than read; `name` stands for
  // the file in messages and records.
  Result<IngestResult> IngestBytes(const std::string& name, std::string bytes, const DatasetOptions& options);
  // Reads a news report (plain text, headline first, or HTML; see
  // docs/extraction.md), extracts it with dates resolved against `published`,
  // and stores in one transaction the article, one incident per extracted
  // event that has a day and coordinates, and its claims. A file ingested
  // before adds nothing. Binary, oversized or empty input (no sentences) is a
  // ParseError naming the file, and nothing is stored.
  Result<IngestResult> IngestArticle(const std::string& path, time::Days published, const ArticleOptions& options);
  Result<IngestResult> IngestArticleBytes(const std::string& name, std::string bytes, time::Days published,
                                          const ArticleOptions& options);

  // ---------------------------------------------------------------- ruling and reports
  // Rules every stored incident against every stored agreement and replaces
  // the stored findings; obligation statuses are as of `as_of` (DEFAULT:
  // today by the clock). Clears the stale-findings mark. One write
  // transaction, held throughout (other writers wait), reading incidents
  // and writing findings a page at a time: memory is bounded by a page, not
  // by the database.
  Result<RuleResult> Rule(const RuleOptions& options, std::optional<time::Days> as_of = std::nullopt);
  // What Rule would give, ruling only what this engine's own writes changed
  // since the findings were last whole (the API's jobs, after each ingest,
  // agreement, link, unlink, split or reconcile): the incidents whose
  // reports changed (new, joined, merged, left), against every agreement;
  // every incident against the agreements stored and those linked to them
  // (amends, supersedes, extends, replaces); obligation statuses again when
  // new evidence, a changed agreement or another day asks for it. Read and
  // written in one transaction. A full Rule when anything else changed the
  // data or the findings meanwhile (another engine, process or server), or
  // when they lagged before the write. RuleResult::incremental says which.
  Result<RuleResult> RuleChanges(const RuleOptions& options = {}, std::optional<time::Days> as_of = std::nullopt);
  // Whether the stored findings lag the stored incidents or agreements (a
  // durable mark, set by each ingest that adds incidents and each agreement
  // add, cleared by Rule).
  Result<bool> FindingsStale();
  // Rule(options) when FindingsStale(); nullopt when the findings are fresh.
  Result<std::optional<RuleResult>> RuleIfStale(const RuleOptions& options = {});
  // Obligation statuses of one agreement at the end of `day`, computed now.
  Result<std::vector<model::ObligationStatus>> ObligationsAsOf(const std::string& agreement_id, time::Days day);
  // The stored findings as "table", "csv", "json" or "geojson" (docs/cli.md).
  Result<std::string> FindingsText(const FindingQuery& query, const std::string& format);
  // The daily report for one agreement and day: "markdown" (or "md"),
  // "json" or "html".
  Result<std::string> DailyReport(const std::string& agreement_id, time::Days day, const std::string& format);

  // ---------------------------------------------------------------- incidents (docs/reconcile.md)
  // Ingest places new reports in incidents as it stores them (MatchNew);
  // Reconcile re-matches every report from scratch, honouring the analysts'
  // overrides, and stores the grouping in one transaction (the findings go
  // stale: rule again).
  Result<ReconcileResult> Reconcile();
  // One incident, "text" or "json": its best estimate, its reports and why
  // each was merged, the figures each source gives, its support and its
  // findings. The id of a report merged into another's incident answers with
  // that incident. NotFound for an unknown id.
  Result<std::string> IncidentText(std::int64_t id, const std::string& format);
  // Incidents matching `query`, one row each: "table", "csv" or "json", with
  // their report ids ("3;7") and datasets' ids ("acled:SYR1;ucdp:2").
  Result<std::string> IncidentsText(const IncidentQuery& query, const std::string& format);
  // The analyst decides last: the override is stored with who (`analyst`)
  // and when (the clock), then the reports are re-matched. Link: the
  // incidents of reports a and b become one. Unlink: reports a and b are
  // never in one incident. Split: every report of incident `id` stands alone
  // (unlink of each pair). InvalidArgument for an unknown report or a == b.
  Result<OverrideResult> LinkReports(std::int64_t a, std::int64_t b, const std::string& analyst,
                                     const std::string& note);
  Result<OverrideResult> UnlinkReports(std::int64_t a, std::int64_t b, const std::string& analyst,
                                       const std::string& note);
  Result<OverrideResult> SplitIncident(std::int64_t id, const std::string& analyst, const std::string& note);

  // ---------------------------------------------------------------- the API's views (docs/api.md)
  // `generation`, where taken: as just read by the caller (saves a read).
  Result<std::string> AgreementsJson();
  Result<std::string> AgreementJson(const std::string& id);
  Result<std::string> AgreementZonesGeoJson(const std::string& id);
  Result<std::string> ObligationsJson(const std::string& agreement_id, time::Days as_of);
  // A page of incidents: `format` "json" or "geojson"; `cursor` (nullopt:
  // the first page) as a previous page gave it (InvalidArgument when it is
  // not one).
  Result<Rendered> IncidentsPage(const IncidentQuery& query, std::size_t limit,
                                 const std::optional<std::string>& cursor,
                                 const std::string& format, std::optional<std::int64_t> generation);
  // One incident with everything behind it; NotFound for an unknown id.
  Result<std::string> IncidentJson(std::int64_t id);
  // A page of findings, "json" or "geojson" (FindingsText for CSV).
  Result<Rendered> FindingsPage(const FindingQuery& query, std::size_t limit, const std::optional<std::string>& cursor,
                                const std::string& format);
  // Incidents for a map view at `zoom`: points when few match, else clusters.
  Result<std::string> MapGeoJson(const IncidentQuery& query, int zoom, std::optional<std::int64_t> generation);
  // Violations per side per day, and the agreements' entries into force.
  Result<std::string> TimelineJson(const IncidentQuery& query, std::optional<std::int64_t> generation);
  // Labels for a map view: the places the agreements name, then gazetteer
  // towns, thinned on a grid to at most `limit`, spread over `bbox`.
  Result<std::string> PlacesJson(const geo::BBox& bbox, std::size_t limit, const ArticleOptions& options);
  // Extracts a news report without storing anything (POST /extract): the
  // extraction JSON on one line. `name` names the text in messages.
  Result<std::string> ExtractJson(const std::string& name, const std::string& bytes, time::Days published,
                                  const ArticleOptions& options);

  // ---------------------------------------------------------------- tokens
  // The token is 256 random bits, shown once; only its SHA-256 is stored.
  Result<TokenGrant> CreateToken(Role role, const std::string& name);
  Result<std::vector<TokenInfo>> ListTokens();
  Status RevokeToken(std::int64_t id);
  // The token's record; nullopt when unknown or revoked.
  Result<std::optional<TokenInfo>> Authenticate(const std::string& token);

  // ---------------------------------------------------------------- the evidence log (docs/evidence.md)
  // Recomputes every entry, link and covered row; with `kept_head`, also
  // fails unless the chain still holds that entry hash.
  Result<EvidenceAnswer> VerifyEvidence(const std::string& kept_head = "");
  // Verifies, then, when intact, writes the bundle into `dir`, whose
  // subdirectories entries/ and records/ must exist: entries/SEQ.txt,
  // records/SEQ.payload and records/SEQ.TABLE.txt, HEAD, VERIFY.md and
  // MANIFEST.sha256. When the log does not verify it writes nothing.
  Result<EvidenceAnswer> ExportEvidence(const std::string& dir);

 private:
  explicit Engine(std::unique_ptr<facade::Core> core);
  std::unique_ptr<facade::Core> core_;
};

// Reads news reports without a database (`truce extract`): the dictionaries
// and gazetteer are loaded on first use and kept.
class NewsReader {
 public:
  explicit NewsReader(FileSystem& fs);
  ~NewsReader();
  NewsReader(const NewsReader&) = delete;
  NewsReader& operator=(const NewsReader&) = delete;

  // Extracts `bytes` (named `name` in messages) with dates resolved against
  // `published`. Warnings are appended to `warnings` as they arise, so that a
  // caller can say them even when a later step fails.
  Result<ExtractAnswer> Extract(const std::string& name, const std::string& bytes, time::Days published,
                                const ArticleOptions& options, const ExtractFormat& format,
                                std::vector<std::string>* warnings);

 private:
  std::unique_ptr<facade::Core> core_;
};

}  // namespace truce
