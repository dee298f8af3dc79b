// Core: ruling the stored incidents, obligation statuses and the daily
// report.
#include <algorithm>
#include <chrono>

#include "core.h"
#include "truce/report/report.h"

namespace truce::facade {

namespace {

time::Days Today(const Clock& clock) { return std::chrono::floor<std::chrono::days>(clock.Now()); }

}  // namespace

Result<RuleResult> Core::Rule(const rules::RuleOptions& options, std::optional<time::Days> as_of) {
  // Read before the data: a write committed while ruling counts a change
  // past this one, and the findings stay marked stale (ReplaceRuledFindings).
  TRUCE_ASSIGN_OR_RETURN(store::FindingsState seen, store_->GetFindingsState());
  TRUCE_ASSIGN_OR_RETURN(auto agreements, LoadAgreements());
  TRUCE_ASSIGN_OR_RETURN(auto ruler, rules::Ruler::Build(std::move(agreements), options));
  RuleResult result;
  std::vector<model::Finding> findings;
  std::vector<model::Report> evidence;
  TRUCE_RETURN_IF_ERROR(store_->ForEachReport({}, [&](const model::Report& inc) {
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

Result<std::optional<RuleResult>> Core::RuleIfStale(const rules::RuleOptions& options) {
  TRUCE_ASSIGN_OR_RETURN(bool stale, FindingsStale());
  if (!stale) return std::optional<RuleResult>();
  TRUCE_ASSIGN_OR_RETURN(RuleResult ruled, Rule(options));
  return std::optional<RuleResult>(std::move(ruled));
}

Result<std::vector<store::FindingRow>> Core::Findings(const store::FindingFilter& filter) {
  return store_->QueryFindings(filter);
}

Result<std::vector<model::ObligationStatus>> Core::ObligationsAsOf(const std::string& agreement_id, time::Days day,
                                                                     const rules::RuleOptions& options) {
  // The agreements as cached for the store's generation (GET .../obligations
  // asks this per request): copied, not read and validated again.
  TRUCE_ASSIGN_OR_RETURN(std::shared_ptr<const LoadedAgreements> agreements, Agreements());
  if (std::none_of(agreements->begin(), agreements->end(),
                   [&](const auto& la) { return la.agreement.id == agreement_id; })) {
    return Status::NotFound("no agreement '" + agreement_id + "' in the database");
  }
  TRUCE_ASSIGN_OR_RETURN(auto ruler, rules::Ruler::Build(*agreements, options));
  std::vector<model::Report> evidence;
  store::ReportFilter filter;
  filter.to_day = day;
  TRUCE_RETURN_IF_ERROR(store_->ForEachReport(filter, [&](const model::Report& inc) {
    if (ruler->BearsOnObligations(inc)) evidence.push_back(inc);
    return Status::Ok();
  }));
  std::vector<model::ObligationStatus> out;
  for (auto& st : ruler->Obligations(evidence, day)) {
    if (st.agreement_id == agreement_id) out.push_back(std::move(st));
  }
  return out;
}

Result<std::string> Core::DailyReport(const std::string& agreement_id, time::Days day, const std::string& format) {
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

}  // namespace truce::facade
