// Engine and NewsReader: the door. Each call translates the facade's small
// types to the modules' (convert.cc), asks Core, and renders what the CLI
// prints (text.cc) or the API answers (api_views.cc).
#include "truce/facade/engine.h"

#include <algorithm>

#include "core.h"
#include "text.h"
#include "truce/report/report.h"
#include "views.h"

namespace truce {

Engine::Engine(std::unique_ptr<facade::Core> core) : core_(std::move(core)) {}
Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::Open(const std::string& db, FileSystem& fs, Clock& clock,
                                              const EngineOptions& options) {
  store::OpenOptions o;
  o.busy_timeout_ms = options.busy_timeout_ms;
  o.on_wait = options.on_wait;
  TRUCE_ASSIGN_OR_RETURN(std::unique_ptr<facade::Core> core, facade::Core::Open(db, fs, clock, o));
  core->SetMatchingPath(options.matching_path);
  return std::unique_ptr<Engine>(new Engine(std::move(core)));
}

Status Engine::Init() { return core_->Init(); }
Result<int> Engine::SchemaVersion() { return core_->store().SchemaVersion(); }
Result<std::int64_t> Engine::Generation() { return core_->Generation(); }
void Engine::ShareCaches(std::shared_ptr<EngineCaches> caches) { core_->ShareCaches(std::move(caches)); }
Status Engine::BuildIndex() { return core_->Index().status(); }
Result<bool> Engine::TryLockJobs() { return core_->store().TryLockJobs(); }
Status Engine::UnlockJobs() { return core_->store().UnlockJobs(); }

// ---------------------------------------------------------------- agreements

Result<AgreementSummary> Engine::CheckAgreement(const std::string& path, FileSystem& fs) {
  TRUCE_ASSIGN_OR_RETURN(agreement::LoadedAgreement la, agreement::LoadAgreementFile(path, fs));
  const model::Agreement& a = la.agreement;
  return AgreementSummary{a.id,       a.title,      a.source_file, time::FormatLocal(a.entry_into_force, a.timezone),
                          a.amends,   a.supersedes, a.provisions.size(), a.zones.size()};
}

Result<std::vector<std::string>> Engine::AddAgreements(const std::vector<std::string>& paths) {
  return core_->AddAgreements(paths);
}

Result<std::string> Engine::AddAgreementFiles(const std::vector<std::pair<std::string, std::string>>& files) {
  return core_->AddAgreementFiles(files);
}

Result<std::vector<AgreementSummary>> Engine::ListAgreements() { return core_->ListAgreements(); }

Result<std::string> Engine::AgreementText(const std::string& id) {
  TRUCE_ASSIGN_OR_RETURN(agreement::LoadedAgreement la, core_->GetAgreement(id));
  return facade::AgreementText(la.agreement);
}

// ---------------------------------------------------------------- ingest

namespace {

Result<ingest::ReadOptions> ToReadOptions(const DatasetOptions& o) {
  ingest::ReadOptions r;
  TRUCE_ASSIGN_OR_RETURN(r.format, ingest::ParseFormat(o.format));
  r.skip_bad_rows = o.skip_bad_rows;
  r.progress = o.progress;
  return r;
}

}  // namespace

Result<IngestResult> Engine::Ingest(const std::string& path, const DatasetOptions& options) {
  TRUCE_ASSIGN_OR_RETURN(ingest::ReadOptions read, ToReadOptions(options));
  return core_->Ingest(path, read);
}

Result<IngestResult> Engine::IngestBytes(const std::string& name, std::string bytes, const DatasetOptions& options) {
  TRUCE_ASSIGN_OR_RETURN(ingest::ReadOptions read, ToReadOptions(options));
  return core_->IngestBytes(name, std::move(bytes), read);
}

Result<IngestResult> Engine::IngestArticle(const std::string& path, time::Days published,
                                           const ArticleOptions& options) {
  return core_->IngestArticle(path, published, options);
}

Result<IngestResult> Engine::IngestArticleBytes(const std::string& name, std::string bytes, time::Days published,
                                                const ArticleOptions& options) {
  return core_->IngestArticleBytes(name, std::move(bytes), published, options);
}

// ---------------------------------------------------------------- ruling and reports

Result<RuleResult> Engine::Rule(const RuleOptions& options, std::optional<time::Days> as_of) {
  return core_->Rule(facade::ToRuleOptions(options), as_of);
}

Result<RuleResult> Engine::RuleChanges(const RuleOptions& options, std::optional<time::Days> as_of) {
  return core_->RuleChanges(facade::ToRuleOptions(options), as_of);
}

Result<bool> Engine::FindingsStale() { return core_->FindingsStale(); }

Result<std::optional<RuleResult>> Engine::RuleIfStale(const RuleOptions& options) {
  return core_->RuleIfStale(facade::ToRuleOptions(options));
}

Result<std::vector<model::ObligationStatus>> Engine::ObligationsAsOf(const std::string& agreement_id,
                                                                     time::Days day) {
  return core_->ObligationsAsOf(agreement_id, day);
}

Result<std::string> Engine::FindingsText(const FindingQuery& query, const std::string& format) {
  const store::FindingFilter filter = facade::ToFindingFilter(query);
  TRUCE_ASSIGN_OR_RETURN(auto rows, query.by_report ? core_->FindingsByReport(filter) : core_->Findings(filter));
  if (!query.sort.empty()) {
    TRUCE_ASSIGN_OR_RETURN(rows, facade::SortFindings(std::move(rows), query.sort));
  }
  if (format == "csv") return report::FindingsCsv(rows);
  if (format == "json") return report::FindingsJson(rows);
  if (format == "geojson") return report::FindingsGeoJson(rows);
  if (format == "table") return report::FindingsTable(rows);
  return Status::InvalidArgument("unknown findings format '" + format + "' (table, csv, json, geojson)");
}

Result<std::string> Engine::DailyReport(const std::string& agreement_id, time::Days day, const std::string& format) {
  return core_->DailyReport(agreement_id, day, format);
}

// ---------------------------------------------------------------- tokens

Result<TokenGrant> Engine::CreateToken(Role role, const std::string& name) { return core_->CreateToken(role, name); }

Result<std::vector<TokenInfo>> Engine::ListTokens() {
  TRUCE_ASSIGN_OR_RETURN(auto tokens, core_->ListTokens());
  std::vector<TokenInfo> out;
  for (const auto& t : tokens) out.push_back(facade::ToTokenInfo(t));
  return out;
}

Status Engine::RevokeToken(std::int64_t id) { return core_->RevokeToken(id); }

Result<std::optional<TokenInfo>> Engine::Authenticate(const std::string& token) {
  TRUCE_ASSIGN_OR_RETURN(auto record, core_->Authenticate(token));
  if (!record) return std::optional<TokenInfo>();
  return std::optional<TokenInfo>(facade::ToTokenInfo(*record));
}

// ---------------------------------------------------------------- the evidence log

Result<EvidenceAnswer> Engine::VerifyEvidence(const std::string& kept_head) {
  TRUCE_ASSIGN_OR_RETURN(store::EvidenceReport r, core_->VerifyEvidence());
  if (!kept_head.empty() && std::find(r.chain.begin(), r.chain.end(), kept_head) == r.chain.end()) {
    store::EvidenceProblem p;
    p.what = "the kept head " + kept_head + " is not in the chain: entries up to it were rewritten or removed";
    r.problems.insert(r.problems.begin(), std::move(p));
  }
  if (!r.intact()) return EvidenceAnswer{false, facade::EvidenceProblemsText(r)};
  return EvidenceAnswer{true, std::to_string(r.entries) + (r.entries == 1 ? " entry" : " entries") +
                                  ", chain intact (" + std::to_string(r.rows) + " rows recomputed)\nhead " +
                                  r.head_sha256 + "\n"};
}

Result<EvidenceAnswer> Engine::ExportEvidence(const std::string& dir) {
  TRUCE_ASSIGN_OR_RETURN(store::EvidenceReport r, core_->ExportEvidence(dir));
  if (!r.intact()) return EvidenceAnswer{false, facade::EvidenceProblemsText(r)};
  return EvidenceAnswer{true, "exported " + std::to_string(r.entries) + (r.entries == 1 ? " entry" : " entries") +
                                  " to " + dir + "\nhead " + r.head_sha256 + "\n"};
}

// ---------------------------------------------------------------- NewsReader

namespace {

// Never read: a NewsReader has no store, and extraction asks no clock.
class NoClock final : public Clock {
 public:
  std::chrono::sys_seconds Now() const override { return {}; }
};

}  // namespace

NewsReader::NewsReader(FileSystem& fs) {
  static NoClock no_clock;
  core_ = facade::Core::WithoutStore(fs, no_clock);
}

NewsReader::~NewsReader() = default;

Result<ExtractAnswer> NewsReader::Extract(const std::string& name, const std::string& bytes, time::Days published,
                                          const ArticleOptions& options, const ExtractFormat& format,
                                          std::vector<std::string>* warnings) {
  TRUCE_ASSIGN_OR_RETURN(extract::Extraction x, core_->Extract(name, bytes, published, options, warnings));
  ExtractAnswer answer;
  answer.json = extract::ToJson(x, format.pretty);
  answer.sentences = x.sentence_count;
  answer.warnings = x.warnings;
  if (!format.draft_name.empty()) {
    Result<std::string> yaml = extract::AgreementDraftYaml(x, format.draft_name);
    if (yaml.ok()) {
      answer.draft_yaml = std::move(yaml).value();
    } else {
      answer.draft_status = yaml.status();
    }
  }
  return answer;
}

}  // namespace truce
