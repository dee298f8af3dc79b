// Engine: incidents reconciled from reports, as the CLI asks for them
// (`truce reconcile`, `truce incident ...`).
#include <algorithm>
#include <set>

#include "core.h"
#include "truce/report/report.h"
#include "views.h"

namespace truce {

namespace {

// Whether an incident matches the query's own fields (those that need no
// finding).
bool Matches(const model::Incident& in, const IncidentQuery& q) {
  const model::Report& e = in.estimate;
  if (q.from_day && e.time.first_day < *q.from_day) return false;
  if (q.to_day && e.time.first_day > *q.to_day) return false;
  if (!q.event_type.empty() && e.event_type != q.event_type) return false;
  if (q.bbox && !q.bbox->Contains(e.point)) return false;
  if (!q.support.empty() && q.support != model::SupportName(in.support)) return false;
  return true;
}

}  // namespace

Result<ReconcileResult> Engine::Reconcile() { return core_->Reconcile(); }

Result<std::string> Engine::IncidentText(std::int64_t id, const std::string& format) {
  if (format != "text" && format != "json") {
    return Status::InvalidArgument("unknown incident format '" + format + "' (text, json)");
  }
  if (format == "json") return IncidentJson(id);
  TRUCE_ASSIGN_OR_RETURN(facade::IncidentDetail d, core_->Incident(id));
  report::IncidentView v;
  v.reported_by = reconcile::ReportedBy(d.incident);
  v.grades = reconcile::Grades(d.incident);
  v.incident = std::move(d.incident);
  v.reports = std::move(d.reports);
  v.findings = std::move(d.findings);
  v.overrides = std::move(d.overrides);
  return report::IncidentText(v);
}

Result<std::string> Engine::IncidentsText(const IncidentQuery& query, const std::string& format) {
  if (format != "table" && format != "csv" && format != "json") {
    return Status::InvalidArgument("unknown incidents format '" + format + "' (table, csv, json)");
  }
  if (!query.support.empty() && !model::ParseSupport(query.support)) {
    return Status::InvalidArgument("unknown support '" + query.support + "' (single, corroborated, observed)");
  }
  TRUCE_ASSIGN_OR_RETURN(facade::Reconciled all, core_->LoadIncidents());
  // Filters on findings (agreement, side, status): the incidents that have one.
  std::optional<std::set<std::int64_t>> with_finding;
  if (!query.agreement_id.empty() || !query.side.empty() || query.status) {
    store::FindingFilter f;
    f.agreement_id = query.agreement_id;
    f.side = query.side;
    if (query.status) f.status = model::FindingStatusName(*query.status);
    TRUCE_ASSIGN_OR_RETURN(auto rows, core_->Findings(f));
    with_finding.emplace();
    for (const store::FindingRow& r : rows) with_finding->insert(r.finding.incident_id);
  }
  std::vector<model::Incident> chosen;
  for (model::Incident& in : all.incidents) {
    if (!Matches(in, query)) continue;
    if (with_finding && !with_finding->count(in.id)) continue;
    chosen.push_back(std::move(in));
  }
  std::stable_sort(chosen.begin(), chosen.end(), [](const model::Incident& a, const model::Incident& b) {
    return a.estimate.time.first_day < b.estimate.time.first_day;
  });
  if (format == "csv") return report::IncidentsCsv(chosen);
  if (format == "json") return report::IncidentsJson(chosen);
  return report::IncidentsTable(chosen);
}

Result<OverrideResult> Engine::LinkReports(std::int64_t a, std::int64_t b, const std::string& analyst,
                                           const std::string& note) {
  return core_->Override({{a, b}}, /*link=*/true, analyst, note);
}

Result<OverrideResult> Engine::UnlinkReports(std::int64_t a, std::int64_t b, const std::string& analyst,
                                             const std::string& note) {
  return core_->Override({{a, b}}, /*link=*/false, analyst, note);
}

Result<OverrideResult> Engine::SplitIncident(std::int64_t id, const std::string& analyst, const std::string& note) {
  TRUCE_ASSIGN_OR_RETURN(facade::IncidentDetail d, core_->Incident(id));
  if (d.incident.sources.size() < 2) {
    return Status::InvalidArgument("incident " + std::to_string(d.incident.id) +
                                   " has one report; there is nothing to split");
  }
  std::vector<std::pair<std::int64_t, std::int64_t>> pairs;
  for (std::size_t i = 0; i < d.incident.sources.size(); ++i) {
    for (std::size_t j = i + 1; j < d.incident.sources.size(); ++j) {
      pairs.emplace_back(d.incident.sources[i].report_id, d.incident.sources[j].report_id);
    }
  }
  return core_->Override(pairs, /*link=*/false, analyst, note);
}

}  // namespace truce
