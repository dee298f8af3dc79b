// Behind the facade's door: facade::Core does the work of truce::Engine (and
// of NewsReader, without a store) in the modules' own types. Engine
// translates its small types to these and renders the answers. Private to
// src/facade; its tests use Core directly (store() included).
// Thread-safety: one Core per thread; EngineCaches is shared.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "truce/agreement/agreement.h"
#include "truce/core/env.h"
#include "truce/core/status.h"
#include "truce/extract/extractor.h"
#include "truce/facade/engine.h"
#include "truce/facade/types.h"
#include "truce/ingest/ingest.h"
#include "truce/model/model.h"
#include "truce/query/incident_index.h"
#include "truce/reconcile/reconcile.h"
#include "truce/rules/rules.h"
#include "truce/store/store.h"

namespace truce {

using LoadedAgreements = std::vector<agreement::LoadedAgreement>;

class EngineCaches {
 public:
  query::IndexCache index;

  // The stored agreements as loaded (validated again) at `generation`; loaded
  // again when the store's generation is another one. Failures are not kept.
  Result<std::shared_ptr<const LoadedAgreements>> Agreements(
      std::int64_t generation, const std::function<Result<LoadedAgreements>()>& load);

 private:
  std::mutex mu_;
  std::int64_t agreements_generation_ = -1;
  std::shared_ptr<const LoadedAgreements> agreements_;
};

namespace facade {

// An incident with everything behind it: its reports (each source's own
// values, in incident.sources order), the source records they came from,
// what those claimed, its findings with their reasons, and the analysts'
// decisions about its reports.
struct IncidentDetail {
  model::Incident incident;
  std::vector<model::Report> reports;
  std::vector<model::SourceRecord> records;
  std::vector<model::Claim> claims;
  std::vector<store::FindingRow> findings;
  std::vector<store::MatchOverride> overrides;
};

// Every stored report and the incidents they make (incidents.cc).
struct Reconciled {
  std::vector<model::Report> reports;    // by id
  std::vector<model::Incident> incidents;  // by id
};

// A name to write on a map.
struct PlaceLabel {
  std::string name;
  geo::LatLon point;
  std::string kind;  // "place" (named by an agreement), "town" (gazetteer)
};

class Core {
 public:
  // Opens the store `db` names (see store::OpenStore). Does not create the
  // schema. `options.busy_timeout_ms`: how long a write waits for another
  // writer (DEFAULT 5 s, then StatusCode::kBusy).
  static Result<std::unique_ptr<Core>> Open(const std::string& db, FileSystem& fs, Clock& clock,
                                            const store::OpenOptions& options = {});
  // No store: extraction only (NewsReader).
  static std::unique_ptr<Core> WithoutStore(FileSystem& fs, Clock& clock);

  // Creates or upgrades the schema.
  Status Init();

  // Agreements (agreements.cc). Check reads and validates a file without
  // storing it. Add validates every file, checks references against what is
  // stored, then stores them all in one transaction (all or nothing).
  Result<agreement::LoadedAgreement> CheckAgreement(const std::string& path);
  Result<std::vector<std::string>> AddAgreements(const std::vector<std::string>& paths);
  Result<std::string> AddAgreementFiles(const std::vector<std::pair<std::string, std::string>>& files);
  Result<std::vector<AgreementSummary>> ListAgreements();
  Result<agreement::LoadedAgreement> GetAgreement(const std::string& id);
  // Every stored agreement, read and validated now.
  Result<LoadedAgreements> LoadAgreements();
  // The same, kept in the shared caches until the store's generation changes
  // (the API's views ask for them on every request).
  Result<std::shared_ptr<const LoadedAgreements>> Agreements(std::optional<std::int64_t> generation = std::nullopt);

  // Ingest (ingest.cc): see Engine::Ingest, IngestBytes, IngestArticle.
  Result<IngestResult> Ingest(const std::string& path, const ingest::ReadOptions& options);
  Result<IngestResult> IngestBytes(const std::string& name, std::string bytes, const ingest::ReadOptions& options);
  Result<IngestResult> IngestArticle(const std::string& path, time::Days published, const ArticleOptions& options);
  Result<IngestResult> IngestArticleBytes(const std::string& name, std::string bytes, time::Days published,
                                          const ArticleOptions& options);

  // Extraction (extraction.cc): a news report without storing anything.
  // `name` names the text in messages; warnings are also appended to
  // `warnings` as they arise (when given).
  Result<extract::Extraction> Extract(const std::string& name, const std::string& bytes, time::Days published,
                                      const ArticleOptions& options, std::vector<std::string>* warnings = nullptr);

  // Ruling and reports (ruling.cc): see Engine::Rule, FindingsStale,
  // RuleIfStale, ObligationsAsOf, DailyReport.
  Result<RuleResult> Rule(const rules::RuleOptions& options, std::optional<time::Days> as_of = std::nullopt);
  // See Engine::RuleChanges: what this Core's own writes changed since the
  // findings were last whole (incidents whose reports changed, against
  // every agreement; agreements stored, with those they are linked to by
  // amends/supersedes/extends/replaces, against every incident), in one
  // transaction; Rule when anything else changed meanwhile.
  Result<RuleResult> RuleChanges(const rules::RuleOptions& options, std::optional<time::Days> as_of = std::nullopt);
  Result<bool> FindingsStale();
  Result<std::optional<RuleResult>> RuleIfStale(const rules::RuleOptions& options = {});
  Result<std::vector<store::FindingRow>> Findings(const store::FindingFilter& filter);
  Result<store::FindingCounts> CountFindings(const store::FindingFilter& filter);
  // The per-report view for audits: every report ruled on its own now (as
  // if nothing were reconciled), filtered as Findings filters stored ones.
  Result<std::vector<store::FindingRow>> FindingsByReport(const store::FindingFilter& filter,
                                                          const rules::RuleOptions& options = {});
  Result<std::vector<model::ObligationStatus>> ObligationsAsOf(const std::string& agreement_id, time::Days day,
                                                               const rules::RuleOptions& options = {});
  Result<std::string> DailyReport(const std::string& agreement_id, time::Days day, const std::string& format);

  // Queries (queries.cc): the incident index at the store's current
  // generation (built when the data changed), shared by the Cores given the
  // same caches. `generation`: as just read by the caller (saves a read).
  Result<std::shared_ptr<const query::IncidentIndex>> Index(std::optional<std::int64_t> generation = std::nullopt);
  void ShareCaches(std::shared_ptr<EngineCaches> caches) { caches_ = std::move(caches); }
  Result<std::vector<PlaceLabel>> Places(const geo::BBox& bbox, std::size_t limit, const ArticleOptions& options);
  Result<std::int64_t> Generation() { return store_->Generation(); }

  // Incidents (incidents.cc): see Engine::Reconcile, IncidentText,
  // LinkReports, UnlinkReports, SplitIncident. Incident: NotFound for an
  // unknown id; a merged report's id gives its incident.
  Result<ReconcileResult> Reconcile();
  Result<IncidentDetail> Incident(std::int64_t id);
  Result<Reconciled> LoadIncidents();
  // The incidents `filter` chooses, in (first day, id) order, as the
  // incident index chooses them for the API's lists.
  Result<std::vector<model::Incident>> Incidents(const query::Filter& filter);
  Result<OverrideResult> Override(const std::vector<std::pair<std::int64_t, std::int64_t>>& pairs, bool link,
                                  const std::string& analyst, const std::string& note);
  // The matcher: data/reconcile/matching.yaml as built in (or the file
  // EngineOptions::matching_path names; read once), actors resolved through
  // every stored agreement's registry (built again when the cached
  // agreements change). Valid until the next call.
  Result<const reconcile::Matcher*> Matcher();
  // An incident from its reports (the lead first) and their placements:
  // reconcile::Estimate with the claims of its news reports' articles.
  Result<model::Incident> EstimateOf(const std::vector<const model::Report*>& reports,
                                     const std::vector<const reconcile::Placement*>& placements);
  void SetMatchingPath(std::string path) { matching_path_ = std::move(path); }
  // How many records an ingest stores at a time, at most (tests lower it).
  void SetStoreBatchRows(std::size_t rows) { store_batch_rows_ = rows; }

  // Tokens (tokens.cc).
  Result<TokenGrant> CreateToken(Role role, const std::string& name);
  Result<std::vector<store::TokenRecord>> ListTokens() { return store_->ListTokens(); }
  Status RevokeToken(std::int64_t id);
  Result<std::optional<store::TokenRecord>> Authenticate(const std::string& token);

  // The evidence log (evidence.cc): see Engine::VerifyEvidence, ExportEvidence.
  Result<store::EvidenceReport> VerifyEvidence();
  Result<store::EvidenceReport> ExportEvidence(const std::string& dir);

  store::Store& store() { return *store_; }
  Clock& clock() { return clock_; }
  FileSystem& fs() { return fs_; }

 private:
  Core(std::unique_ptr<store::Store> store, FileSystem& fs, Clock& clock)
      : store_(std::move(store)), fs_(fs), clock_(clock) {}
  static Result<agreement::LoadedAgreement> FromStored(const store::StoredAgreement& s);
  // Checks references against what is stored, then stores them all in one
  // transaction.
  Result<std::vector<std::string>> StoreAgreements(std::vector<agreement::LoadedAgreement> fresh);

  // The first step of every ingest: the name the file is stored under (valid
  // UTF-8, with a warning when repaired), its bytes and content hash, and,
  // when a file with that content was ingested before, the answer to give.
  struct IncomingFile {
    std::string path;
    std::vector<std::string> warnings;
    std::string bytes;
    std::string hash;
    std::optional<IngestResult> already;
  };
  Result<IncomingFile> Incoming(const std::string& given_name, std::string bytes);
  // The answer for a file stored before; says whether findings are stale.
  Result<IngestResult> AlreadyIngested(const std::string& path, const store::FileRecord& known);
  // The storing loop of every ingest, dataset file or news article: in one
  // transaction, each record `read` gives the sink and what it says, the
  // file's record, and the findings marked stale when incidents were added.
  using RecordSink = std::function<Status(ingest::Record&&)>;
  Status StoreRecords(const std::string& file_hash, IngestResult* result,
                      const std::function<Status(const RecordSink&)>& read);

  // What an ingest keeps of the reports it stores until it places them: what
  // matching reads of each (reconcile::NewReports, about a tenth of a
  // model::Report), their ids and days; never the reports themselves.
  struct FreshReports {
    std::optional<reconcile::NewReports> run;  // made with the first report
    std::vector<std::int64_t> ids;             // in the order stored
    time::Days first_day{}, last_day{};
  };
  Status AddFresh(const model::Report& r, FreshReports* fresh);
  // Places reports just stored (inside the ingest's transaction) in
  // incidents: MatchNew against the stored reports near them in time. Adds
  // to `changed` every incident id whose reports changed (new, joined, left).
  Status PlaceNewReports(FreshReports* fresh, std::set<std::int64_t>* changed);
  // Re-matches every report and stores the grouping, inside the caller's
  // transaction; the placements of all reports when `placements` is given;
  // adds to `changed` every incident id whose reports changed (or whose
  // placements' scores or reasons did), before or after.
  Status MatchAllLocked(ReconcileResult* result, std::vector<reconcile::Placement>* placements,
                        std::set<std::int64_t>* changed);
  // The reports of the incident report `id` belongs to, its lead first, and
  // their placements; nothing when no report `id` is stored.
  Status IncidentReports(std::int64_t id, std::vector<model::Report>* reports,
                         std::vector<reconcile::Placement>* placements);

  // What this Core's writes changed since the findings were last whole, for
  // RuleChanges (ruling.cc). `base`: the changes counted when they were
  // whole; `after`: counted after this Core's last write. Unknown (nullopt)
  // when a write found the findings lagging for another reason.
  struct PendingChanges {
    std::int64_t base = 0;
    std::int64_t after = 0;
    std::set<std::int64_t> incidents;    // incident ids, old and new
    std::set<std::string> agreements;    // agreement ids, with those linked to them
  };
  std::optional<PendingChanges> pending_;
  // Inside a write's transaction: `start` read first, then the write's own
  // changes; what pending_ becomes when it commits.
  Result<std::optional<PendingChanges>> Pending(const store::FindingsState& start,
                                                const std::set<std::int64_t>& incidents,
                                                const std::set<std::string>& agreements);
  Result<RuleResult> RuleChangesLocked(const PendingChanges& p, const rules::RuleOptions& options, time::Days as_of);
  // Every stored report, by id.
  Result<std::vector<model::Report>> AllReports();
  // Every incident, by id, read from the store a page at a time (memory
  // holds one page): `fn` gets the reports of each, the lead first, with
  // their placements (EstimateOf them is the incident) (ruling.cc).
  Status ForEachIncident(const std::function<Status(const std::vector<const model::Report*>&,
                                                    const std::vector<const reconcile::Placement*>&)>& fn);
  // Appends to `found` the findings of the incident made of `reports`, and
  // sets `incident` to it when there are any: an incident of one report is
  // ruled as that report (reconcile::EstimateIsReport) and estimated only
  // when it has findings — most have none.
  Status RuleIncident(const rules::Ruler& ruler, const std::vector<const model::Report*>& reports,
                      const std::vector<const reconcile::Placement*>& placed, std::vector<model::Finding>* found,
                      model::Incident* incident);
  // Each report's place: its stored member row, else alone (its own incident).
  Result<std::vector<reconcile::Placement>> PlacementsOf(const std::vector<model::Report>& reports);

  // The extractor for `options`, built on first use and kept: building it
  // (dictionaries, gazetteer) costs far more than extracting one report.
  Result<const extract::Extractor*> ExtractorFor(const ArticleOptions& options, std::vector<std::string>* warnings);

  std::unique_ptr<store::Store> store_;  // null: WithoutStore
  FileSystem& fs_;
  Clock& clock_;
  std::shared_ptr<EngineCaches> caches_ = std::make_shared<EngineCaches>();
  std::size_t store_batch_rows_ = 2000;  // SetStoreBatchRows; bench/pg/README.md
  std::string matching_path_;  // "": the built-in matching.yaml
  std::shared_ptr<const reconcile::Config> matching_config_;    // parsed on first use
  std::unique_ptr<reconcile::Matcher> matcher_;                 // built for:
  std::shared_ptr<const LoadedAgreements> matcher_agreements_;  // these agreements
  std::unique_ptr<extract::Extractor> extractor_;
  std::string extractor_key_;                    // the options it was built with
  std::vector<std::string> extractor_warnings_;  // given to every result it serves

  // Names the gazetteer may lack, for Extract (extraction.cc): the agreements'
  // places and the stored incidents' locations, kept for one generation of
  // the store and one extractor. Null without a store.
  Result<std::shared_ptr<const extract::KnownPlaces>> KnownPlacesFor(const extract::Extractor& ex);
  std::shared_ptr<const extract::KnownPlaces> known_places_;
  std::int64_t known_places_generation_ = -1;
  const extract::Extractor* known_places_extractor_ = nullptr;
};

// A finding of `incident` with the incident's estimate and support, as the
// findings table keeps it (ruling.cc).
store::FindingRow RowOf(const model::Incident& incident, model::Finding finding);

// The facade's types to the modules' and back (convert.cc).
rules::RuleOptions ToRuleOptions(const RuleOptions& o);
store::FindingFilter ToFindingFilter(const FindingQuery& q);
query::Filter ToFilter(const IncidentQuery& q);
TokenInfo ToTokenInfo(const store::TokenRecord& t);

}  // namespace facade
}  // namespace truce
