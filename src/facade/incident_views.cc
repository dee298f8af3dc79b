// Engine: incidents reconciled from reports, as the CLI asks for them
// (`truce reconcile`, `truce incident ...`).
#include "core.h"
#include "truce/report/report.h"
#include "views.h"

namespace truce {

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
  TRUCE_ASSIGN_OR_RETURN(std::vector<model::Incident> chosen, core_->Incidents(facade::ToFilter(query)));
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
