// Core: ruling the stored incidents, obligation statuses and the daily
// report.
#include <algorithm>
#include <chrono>
#include <tuple>

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
  TRUCE_ASSIGN_OR_RETURN(Reconciled all, LoadIncidents());
  RuleResult result;
  result.incidents = static_cast<std::int64_t>(all.incidents.size());
  std::vector<store::FindingRow> rows;
  std::vector<model::Finding> found;
  for (const model::Incident& incident : all.incidents) {
    found.clear();
    ruler->Rule(incident.estimate, &found);
    for (model::Finding& f : found) rows.push_back(RowOf(incident, std::move(f)));
  }
  // Obligations are met by observations, each report on its own (a patrol
  // track is one report's).
  std::vector<model::Report> evidence;
  for (const model::Report& r : all.reports) {
    if (ruler->BearsOnObligations(r)) evidence.push_back(r);
  }
  result.obligations = ruler->Obligations(evidence, as_of.value_or(Today(clock_)));
  result.findings = static_cast<std::int64_t>(rows.size());
  for (const auto& r : rows) ++result.by_status[model::FindingStatusName(r.finding.status)];
  TRUCE_RETURN_IF_ERROR(store_->ReplaceRuledFindings(rows, result.obligations, seen.changes));
  return result;
}

store::FindingRow RowOf(const model::Incident& incident, model::Finding finding) {
  const model::Report& e = incident.estimate;
  finding.support = incident.support;
  finding.sources = static_cast<int>(incident.sources.size());
  finding.independent_sources = incident.independent_sources;
  finding.reported_by = reconcile::ReportedBy(incident);
  finding.grades = reconcile::Grades(incident);
  if (incident.sources.size() > 1) finding.reason += " Reported by " + finding.reported_by + ".";
  store::FindingRow row;
  row.finding = std::move(finding);
  row.date = e.time.first_day;
  row.last_date = e.time.last_day;
  row.location = e.location;
  row.admin1 = e.admin1;
  row.point = e.point;
  row.event_type = e.event_type;
  row.sub_event_type = e.sub_event_type;
  row.actor1 = e.actor1;
  row.actor2 = e.actor2;
  row.fatalities = e.fatalities;
  row.fatalities_low = incident.fatalities_low;
  row.fatalities_high = incident.fatalities_high;
  row.dataset = e.dataset;
  row.source_id = e.source_id;
  return row;
}

namespace {

// Whether a finding ruled on the fly passes the filter the store applies to
// stored ones.
bool Passes(const store::FindingRow& r, const store::FindingFilter& f) {
  const model::Finding& x = r.finding;
  if (!f.agreement_id.empty() && x.agreement_id != f.agreement_id) return false;
  if (!f.side.empty() && x.side != f.side) return false;
  if (!f.status.empty() && f.status != model::FindingStatusName(x.status)) return false;
  if (!f.zone_id.empty() && x.zone_id != f.zone_id) return false;
  if (f.from_day && r.date < *f.from_day) return false;
  if (f.to_day && r.date > *f.to_day) return false;
  if (f.incident_id != 0 && x.incident_id != f.incident_id) return false;
  if (!f.event_type.empty() && r.event_type != f.event_type) return false;
  if (f.bbox && !f.bbox->Contains(r.point)) return false;
  if (!f.support.empty() && f.support != model::SupportName(x.support)) return false;
  return true;
}

}  // namespace

Result<std::vector<store::FindingRow>> Core::FindingsByReport(const store::FindingFilter& filter,
                                                                const rules::RuleOptions& options) {
  if (!filter.status.empty() && !model::ParseFindingStatus(filter.status)) {
    return Status::InvalidArgument("unknown status '" + filter.status + "'");
  }
  if (!filter.support.empty() && !model::ParseSupport(filter.support)) {
    return Status::InvalidArgument("unknown support '" + filter.support + "' (single, corroborated, observed)");
  }
  TRUCE_ASSIGN_OR_RETURN(std::shared_ptr<const LoadedAgreements> agreements, Agreements());
  TRUCE_ASSIGN_OR_RETURN(auto ruler, rules::Ruler::Build(*agreements, options));
  store::ReportFilter near;
  near.from_day = filter.from_day;
  near.to_day = filter.to_day;
  std::vector<store::FindingRow> rows;
  std::vector<model::Finding> found;
  TRUCE_RETURN_IF_ERROR(store_->ForEachReport(near, [&](const model::Report& r) {
    found.clear();
    ruler->Rule(r, &found);
    // Each report an incident of its own, estimated as any incident is.
    const reconcile::Placement alone_at{r.id, r.id, 1, "", "matcher"};
    TRUCE_ASSIGN_OR_RETURN(model::Incident alone, EstimateOf({&r}, {&alone_at}));
    for (model::Finding& f : found) {
      store::FindingRow row = RowOf(alone, std::move(f));
      if (Passes(row, filter)) rows.push_back(std::move(row));
    }
    return Status::Ok();
  }));
  std::sort(rows.begin(), rows.end(), [](const store::FindingRow& a, const store::FindingRow& b) {
    return std::tie(a.date, a.finding.incident_id, a.finding.agreement_id, a.finding.provision_id) <
           std::tie(b.date, b.finding.incident_id, b.finding.agreement_id, b.finding.provision_id);
  });
  if (filter.limit > 0 && rows.size() > static_cast<std::size_t>(filter.limit)) rows.resize(filter.limit);
  return rows;
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

Result<store::FindingCounts> Core::CountFindings(const store::FindingFilter& filter) {
  return store_->CountFindings(filter);
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
