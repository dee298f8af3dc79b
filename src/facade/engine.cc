#include "truce/facade/engine.h"

#include <algorithm>
#include <chrono>
#include <string_view>

#include "truce/report/report.h"

namespace truce {

Result<std::unique_ptr<Engine>> Engine::Open(const std::string& db, FileSystem& fs, Clock& clock,
                                              const store::OpenOptions& options) {
  TRUCE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> s, store::OpenStore(db, options));
  return std::unique_ptr<Engine>(new Engine(std::move(s), fs, clock));
}

Status Engine::Init() { return store_->Migrate(); }

Result<agreement::LoadedAgreement> Engine::CheckAgreement(const std::string& path) {
  return agreement::LoadAgreementFile(path, fs_);
}

Result<agreement::LoadedAgreement> Engine::FromStored(const store::StoredAgreement& s) {
  // Re-read from exactly the stored files, so that it is validated again.
  auto loaded = agreement::ReloadAgreement(s.files);
  if (!loaded.ok()) return loaded.status().WithContext("stored agreement " + s.id);
  return loaded;
}

Result<std::vector<agreement::LoadedAgreement>> Engine::LoadAgreements() {
  TRUCE_ASSIGN_OR_RETURN(auto stored, store_->ListAgreements());
  std::vector<agreement::LoadedAgreement> out;
  for (const auto& s : stored) {
    TRUCE_ASSIGN_OR_RETURN(auto la, FromStored(s));
    out.push_back(std::move(la));
  }
  return out;
}

Result<std::vector<std::string>> Engine::AddAgreements(const std::vector<std::string>& paths) {
  std::vector<agreement::LoadedAgreement> fresh;
  for (const std::string& p : paths) {
    TRUCE_ASSIGN_OR_RETURN(auto la, agreement::LoadAgreementFile(p, fs_));
    for (const auto& other : fresh) {
      if (other.agreement.id == la.agreement.id) {
        return Status::AlreadyExists(p + ": agreement id '" + la.agreement.id + "' is also used by " +
                                     other.agreement.source_file);
      }
    }
    fresh.push_back(std::move(la));
  }
  return StoreAgreements(std::move(fresh));
}

Result<std::string> Engine::AddAgreementFiles(const std::vector<std::pair<std::string, std::string>>& files) {
  if (files.empty()) return Status::InvalidArgument("no agreement file given");
  // Only the files given: references to anything else fail as missing files.
  MemFileSystem given;
  for (const auto& [path, contents] : files) given.Put(path, contents);
  TRUCE_ASSIGN_OR_RETURN(auto la, agreement::LoadAgreementFile(files.front().first, given));
  std::vector<agreement::LoadedAgreement> fresh;
  fresh.push_back(std::move(la));
  TRUCE_ASSIGN_OR_RETURN(auto ids, StoreAgreements(std::move(fresh)));
  return ids.front();
}

Result<std::vector<std::string>> Engine::StoreAgreements(std::vector<agreement::LoadedAgreement> fresh) {
  // References are checked against the stored agreements that stay and the new ones.
  TRUCE_ASSIGN_OR_RETURN(auto stored, LoadAgreements());
  std::vector<const model::Agreement*> all;
  for (const auto& la : fresh) all.push_back(&la.agreement);
  for (const auto& la : stored) {
    bool replaced = std::any_of(fresh.begin(), fresh.end(),
                                [&](const auto& f) { return f.agreement.id == la.agreement.id; });
    if (!replaced) all.push_back(&la.agreement);
  }
  TRUCE_RETURN_IF_ERROR(agreement::CheckReferences(all));

  const std::string now = time::FormatInstantUtc(clock_.Now());
  TRUCE_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(*store_));
  std::vector<std::string> ids;
  for (const auto& la : fresh) {
    store::StoredAgreement s;
    s.id = la.agreement.id;
    s.title = la.agreement.title;
    s.source_file = la.agreement.source_file;
    s.content_hash = la.agreement.content_hash;
    s.files = la.files;
    s.added_at = now;
    TRUCE_RETURN_IF_ERROR(store_->PutAgreement(s));
    ids.push_back(s.id);
  }
  // New or replaced agreements change what the stored incidents are ruled against.
  TRUCE_RETURN_IF_ERROR(store_->MarkFindingsStale());
  TRUCE_RETURN_IF_ERROR(tx.Commit());
  return ids;
}

Result<std::vector<AgreementSummary>> Engine::ListAgreements() {
  TRUCE_ASSIGN_OR_RETURN(auto all, LoadAgreements());
  std::vector<AgreementSummary> out;
  for (const auto& la : all) {
    const model::Agreement& a = la.agreement;
    out.push_back({a.id, a.title, a.source_file, time::FormatLocal(a.entry_into_force, a.timezone), a.amends,
                   a.supersedes, a.provisions.size(), a.zones.size()});
  }
  return out;
}

Result<agreement::LoadedAgreement> Engine::GetAgreement(const std::string& id) {
  TRUCE_ASSIGN_OR_RETURN(auto s, store_->GetAgreement(id));
  if (!s) return Status::NotFound("no agreement '" + id + "' in the database");
  return FromStored(*s);
}

Result<const extract::Extractor*> Engine::ExtractorFor(const extract::ExtractorOptions& options,
                                                       std::vector<std::string>* warnings) {
  const std::string key = options.data_dir + '\n' + options.gazetteer_path;
  if (!extractor_ || key != extractor_key_) {
    extractor_.reset();
    extractor_warnings_.clear();
    TRUCE_ASSIGN_OR_RETURN(extractor_, extract::Extractor::Create(fs_, options, &extractor_warnings_));
    extractor_key_ = key;
  }
  warnings->insert(warnings->end(), extractor_warnings_.begin(), extractor_warnings_.end());
  return extractor_.get();
}

Result<extract::Extraction> Engine::Extract(const std::string& name, const std::string& bytes, time::Days published,
                                            const ArticleOptions& options) {
  std::optional<std::chrono::steady_clock::time_point> deadline;
  if (options.extract_budget_ms > 0) {
    deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.extract_budget_ms);
  }
  TRUCE_ASSIGN_OR_RETURN(extract::PreparedText prepared, extract::PrepareText(bytes, name, options.prepare));
  std::vector<std::string> warnings = prepared.warnings;
  TRUCE_ASSIGN_OR_RETURN(const extract::Extractor* ex, ExtractorFor(options.extractor, &warnings));
  extract::Extraction x = ex->Extract(prepared.text, published, deadline);
  if (x.stopped_at_deadline) {
    return Status::InvalidArgument(name + ": the text took more than " + std::to_string(options.extract_budget_ms) +
                                   " ms to extract (" + std::to_string(bytes.size()) +
                                   " bytes); send a shorter one");
  }
  x.warnings = std::move(warnings);
  return x;
}

namespace {

time::Days Today(const Clock& clock) { return std::chrono::floor<std::chrono::days>(clock.Now()); }

}  // namespace

Result<RuleResult> Engine::Rule(const rules::RuleOptions& options, std::optional<time::Days> as_of) {
  // Read before the data: a write committed while ruling counts a change
  // past this one, and the findings stay marked stale (ReplaceRuledFindings).
  TRUCE_ASSIGN_OR_RETURN(store::FindingsState seen, store_->GetFindingsState());
  TRUCE_ASSIGN_OR_RETURN(auto agreements, LoadAgreements());
  TRUCE_ASSIGN_OR_RETURN(auto ruler, rules::Ruler::Build(std::move(agreements), options));
  RuleResult result;
  std::vector<model::Finding> findings;
  std::vector<model::Incident> evidence;
  TRUCE_RETURN_IF_ERROR(store_->ForEachIncident({}, [&](const model::Incident& inc) {
    ++result.incidents;
    ruler->Rule(inc, &findings);
    if (ruler->BearsOnObligations(inc)) evidence.push_back(inc);
    return Status::Ok();
  }));
  result.obligations = ruler->Obligations(evidence, as_of.value_or(Today(clock_)));
  result.findings = static_cast<std::int64_t>(findings.size());
  for (const auto& f : findings) ++result.by_status[model::FindingStatusName(f.status)];
  TRUCE_RETURN_IF_ERROR(store_->ReplaceRuledFindings(findings, result.obligations, seen.changes));
  return result;
}

Result<std::optional<RuleResult>> Engine::RuleIfStale(const rules::RuleOptions& options) {
  TRUCE_ASSIGN_OR_RETURN(bool stale, FindingsStale());
  if (!stale) return std::optional<RuleResult>();
  TRUCE_ASSIGN_OR_RETURN(RuleResult ruled, Rule(options));
  return std::optional<RuleResult>(std::move(ruled));
}

Result<std::vector<store::FindingRow>> Engine::Findings(const store::FindingFilter& filter) {
  return store_->QueryFindings(filter);
}

Result<std::vector<model::ObligationStatus>> Engine::ObligationsAsOf(const std::string& agreement_id, time::Days day,
                                                                     const rules::RuleOptions& options) {
  TRUCE_ASSIGN_OR_RETURN(auto agreements, LoadAgreements());
  if (std::none_of(agreements.begin(), agreements.end(),
                   [&](const auto& la) { return la.agreement.id == agreement_id; })) {
    return Status::NotFound("no agreement '" + agreement_id + "' in the database");
  }
  TRUCE_ASSIGN_OR_RETURN(auto ruler, rules::Ruler::Build(std::move(agreements), options));
  std::vector<model::Incident> evidence;
  store::IncidentFilter filter;
  filter.to_day = day;
  TRUCE_RETURN_IF_ERROR(store_->ForEachIncident(filter, [&](const model::Incident& inc) {
    if (ruler->BearsOnObligations(inc)) evidence.push_back(inc);
    return Status::Ok();
  }));
  std::vector<model::ObligationStatus> out;
  for (auto& st : ruler->Obligations(evidence, day)) {
    if (st.agreement_id == agreement_id) out.push_back(std::move(st));
  }
  return out;
}

Result<std::string> Engine::DailyReport(const std::string& agreement_id, time::Days day, const std::string& format) {
  TRUCE_ASSIGN_OR_RETURN(auto la, GetAgreement(agreement_id));
  report::DailyInput in;
  in.agreement = &la.agreement;
  in.day = day;
  store::FindingFilter f;
  f.agreement_id = agreement_id;
  f.from_day = f.to_day = day;
  TRUCE_ASSIGN_OR_RETURN(in.today, store_->QueryFindings(f));
  f.from_day = f.to_day = day - std::chrono::days{1};
  TRUCE_ASSIGN_OR_RETURN(in.previous, store_->QueryFindings(f));
  TRUCE_ASSIGN_OR_RETURN(in.obligations, ObligationsAsOf(agreement_id, day));
  if (format == "markdown" || format == "md") return report::DailyMarkdown(in);
  if (format == "json") return report::DailyJson(in);
  if (format == "html") return report::DailyHtml(in);
  return Status::InvalidArgument("unknown report format '" + format + "' (markdown, json, html)");
}

}  // namespace truce
