// Core: ruling the stored incidents, obligation statuses and the daily
// report.
#include <algorithm>
#include <chrono>
#include <set>
#include <tuple>

#include "core.h"
#include "truce/report/report.h"

namespace truce::facade {

namespace {

time::Days Today(const Clock& clock) { return std::chrono::floor<std::chrono::days>(clock.Now()); }

// A full rule reads this many incidents at a time (enough that the two
// queries of a page cost little; a page of reports takes tens of MB) and
// writes findings this many at a time.
constexpr std::int64_t kIncidentsPerPage = 20000;
constexpr std::size_t kFindingsPerWrite = 20000;

}  // namespace

Status Core::ForEachIncident(const std::function<Status(const std::vector<const model::Report*>&,
                                                        const std::vector<const reconcile::Placement*>&)>& fn) {
  std::vector<const model::Report*> reports;
  std::vector<const reconcile::Placement*> placed;
  std::vector<reconcile::Placement> placements;
  store::IncidentPage page;  // read into again and again: its reports' storage is reused
  for (std::int64_t after = 0;;) {
    TRUCE_RETURN_IF_ERROR(store_->ReadIncidentPage(after, kIncidentsPerPage, &page));
    if (page.reports.empty()) return Status::Ok();
    placements.clear();
    for (std::size_t i = 0; i < page.reports.size(); ++i) {
      const store::IncidentMember& m = page.members[i];
      const std::int64_t id = page.reports[i]->id;
      if (m.report_id == 0) {
        placements.push_back(reconcile::Placement{id, id, 1, "", "matcher"});
      } else {
        placements.push_back(reconcile::Placement{id, m.incident_id, m.score, m.reason, m.decided_by});
      }
    }
    for (std::size_t i = 0; i < page.reports.size();) {
      reports.clear();
      placed.clear();
      std::size_t j = i;
      do {
        reports.push_back(page.reports[j]);
        placed.push_back(&placements[j]);
        ++j;
      } while (j < page.reports.size() && page.members[j].report_id != 0);
      TRUCE_RETURN_IF_ERROR(fn(reports, placed));
      after = page.reports[i]->id;
      i = j;
    }
  }
}

Status Core::RuleIncident(const rules::Ruler& ruler, const std::vector<const model::Report*>& reports,
                          const std::vector<const reconcile::Placement*>& placed, std::vector<model::Finding>* found,
                          model::Incident* incident) {
  const std::size_t before = found->size();
  if (const model::Report* alone = reconcile::EstimateIsReport(reports)) {
    ruler.Rule(*alone, found);
    if (found->size() == before) return Status::Ok();
    TRUCE_ASSIGN_OR_RETURN(*incident, EstimateOf(reports, placed));
    return Status::Ok();
  }
  TRUCE_ASSIGN_OR_RETURN(*incident, EstimateOf(reports, placed));
  ruler.Rule(incident->estimate, found);
  return Status::Ok();
}

Result<RuleResult> Core::Rule(const rules::RuleOptions& options, std::optional<time::Days> as_of) {
  pending_.reset();  // everything is ruled: nothing of it is pending any more
  // One transaction, all or nothing, in bounded memory: the findings are
  // replaced as the incidents are read page by page. The write lock is held
  // throughout, so the changes counted now are exactly those ruled.
  TRUCE_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(*store_));
  TRUCE_ASSIGN_OR_RETURN(store::FindingsState seen, store_->GetFindingsState());
  TRUCE_ASSIGN_OR_RETURN(auto agreements, LoadAgreements());
  TRUCE_ASSIGN_OR_RETURN(auto ruler, rules::Ruler::Build(std::move(agreements), options));
  store::FindingScope everything;
  everything.all = true;
  TRUCE_RETURN_IF_ERROR(store_->DeleteFindings(everything));
  RuleResult result;
  std::vector<store::FindingRow> rows;
  std::vector<model::Finding> found;
  // Obligations are met by observations, each report on its own (a patrol
  // track is one report's): each is counted as it comes, only what a status
  // reads of it kept.
  rules::ObligationTally tally(*ruler, as_of.value_or(Today(clock_)));
  auto flush = [&]() -> Status {
    result.findings += static_cast<std::int64_t>(rows.size());
    for (const auto& r : rows) ++result.by_status[model::FindingStatusName(r.finding.status)];
    TRUCE_RETURN_IF_ERROR(store_->AppendFindings(rows));
    rows.clear();
    return Status::Ok();
  };
  model::Incident incident;
  TRUCE_RETURN_IF_ERROR(ForEachIncident([&](const std::vector<const model::Report*>& reports,
                                            const std::vector<const reconcile::Placement*>& placed) -> Status {
    ++result.incidents;
    for (const model::Report* r : reports) tally.Add(*r);
    found.clear();
    TRUCE_RETURN_IF_ERROR(RuleIncident(*ruler, reports, placed, &found, &incident));
    for (model::Finding& f : found) rows.push_back(RowOf(incident, std::move(f)));
    return rows.size() >= kFindingsPerWrite ? flush() : Status::Ok();
  }));
  TRUCE_RETURN_IF_ERROR(flush());
  result.incidents_ruled = result.incidents;
  result.obligations = tally.Finish();
  TRUCE_RETURN_IF_ERROR(store_->ReplaceObligationStatuses(result.obligations));
  TRUCE_RETURN_IF_ERROR(store_->MarkFindingsRuled(seen.changes));
  TRUCE_RETURN_IF_ERROR(tx.Commit());
  return result;
}

Result<std::optional<Core::PendingChanges>> Core::Pending(const store::FindingsState& start,
                                                          const std::set<std::int64_t>& incidents,
                                                          const std::set<std::string>& agreements) {
  std::optional<PendingChanges> p;
  if (!start.stale()) {
    p = PendingChanges{};
    p->base = start.changes;
  } else if (pending_ && start.ruled == pending_->base && start.changes == pending_->after) {
    p = pending_;  // lagging only by this Core's own writes: they add up
  } else {
    return p;  // lagging by writes not known here: a full rule
  }
  TRUCE_ASSIGN_OR_RETURN(store::FindingsState now, store_->GetFindingsState());
  p->after = now.changes;
  p->incidents.insert(incidents.begin(), incidents.end());
  p->agreements.insert(agreements.begin(), agreements.end());
  return p;
}

Result<RuleResult> Core::RuleChanges(const rules::RuleOptions& options, std::optional<time::Days> as_of) {
  if (!pending_) return Rule(options, as_of);
  const PendingChanges p = std::move(*pending_);
  pending_.reset();
  {
    // Read and written under the write lock: nothing changes in between.
    TRUCE_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(*store_));
    TRUCE_ASSIGN_OR_RETURN(store::FindingsState st, store_->GetFindingsState());
    if (st.ruled == p.base && st.changes == p.after) {
      TRUCE_ASSIGN_OR_RETURN(RuleResult result, RuleChangesLocked(p, options, as_of.value_or(Today(clock_))));
      TRUCE_RETURN_IF_ERROR(tx.Commit());
      return result;
    }
  }  // rolled back: another write (or ruling) came in between
  return Rule(options, as_of);
}

Result<RuleResult> Core::RuleChangesLocked(const PendingChanges& p, const rules::RuleOptions& options,
                                           time::Days as_of) {
  TRUCE_ASSIGN_OR_RETURN(auto agreements, LoadAgreements());
  TRUCE_ASSIGN_OR_RETURN(auto ruler, rules::Ruler::Build(std::move(agreements), options));
  RuleResult result;
  result.incremental = true;
  std::vector<store::FindingRow> rows;
  std::vector<model::Finding> found;
  bool new_evidence = false;  // a report of a changed incident bears on an obligation
  model::Incident incident;
  auto rule = [&](const std::vector<const model::Report*>& reports,
                  const std::vector<const reconcile::Placement*>& placed, bool whole) -> Status {
    ++result.incidents_ruled;
    found.clear();
    TRUCE_RETURN_IF_ERROR(RuleIncident(*ruler, reports, placed, &found, &incident));
    for (model::Finding& f : found) {
      if (whole || p.agreements.count(f.agreement_id)) rows.push_back(RowOf(incident, std::move(f)));
    }
    return Status::Ok();
  };
  store::FindingScope scope;
  scope.incident_ids.assign(p.incidents.begin(), p.incidents.end());
  scope.agreement_ids.assign(p.agreements.begin(), p.agreements.end());
  TRUCE_RETURN_IF_ERROR(store_->DeleteFindings(scope));
  if (!p.agreements.empty()) {
    // Every incident against the changed agreements; the changed incidents
    // against all of them. Read page by page; written as they come.
    TRUCE_RETURN_IF_ERROR(ForEachIncident([&](const std::vector<const model::Report*>& reports,
                                              const std::vector<const reconcile::Placement*>& placed) -> Status {
      TRUCE_RETURN_IF_ERROR(rule(reports, placed, p.incidents.count(reports.front()->id) > 0));
      if (rows.size() < kFindingsPerWrite) return Status::Ok();
      TRUCE_RETURN_IF_ERROR(store_->AppendFindings(rows));
      rows.clear();
      return Status::Ok();
    }));
  } else {
    // The changed incidents that still are incidents (one merged into
    // another has no findings of its own any more).
    std::vector<model::Report> reports;
    std::vector<reconcile::Placement> placements;
    for (std::int64_t id : p.incidents) {
      reports.clear();
      placements.clear();
      TRUCE_RETURN_IF_ERROR(IncidentReports(id, &reports, &placements));
      if (reports.empty() || reports.front().id != id) continue;
      std::vector<const model::Report*> of;
      std::vector<const reconcile::Placement*> placed;
      for (std::size_t i = 0; i < reports.size(); ++i) {
        of.push_back(&reports[i]);
        placed.push_back(&placements[i]);
        new_evidence = new_evidence || ruler->BearsOnObligations(reports[i]);
      }
      TRUCE_RETURN_IF_ERROR(rule(of, placed, true));
    }
  }
  TRUCE_RETURN_IF_ERROR(store_->AppendFindings(rows));

  // Obligations are met by reports, each on its own: their statuses change
  // with new evidence, changed agreements or another day; else the stored
  // ones stand.
  TRUCE_ASSIGN_OR_RETURN(result.obligations, store_->ListObligationStatuses(""));
  const bool another_day = std::any_of(result.obligations.begin(), result.obligations.end(),
                                       [&](const model::ObligationStatus& o) { return o.as_of != as_of; });
  // No stored status: either there are no obligations at all (none without
  // evidence either) or they were never written.
  const bool none_stored = result.obligations.empty() && !ruler->Obligations({}, as_of).empty();
  if (!p.agreements.empty() || new_evidence || another_day || none_stored) {
    rules::ObligationTally tally(*ruler, as_of);
    TRUCE_RETURN_IF_ERROR(store_->ForEachReport({}, [&](const model::Report& r) {
      tally.Add(r);
      return Status::Ok();
    }));
    result.obligations = tally.Finish();
    TRUCE_RETURN_IF_ERROR(store_->ReplaceObligationStatuses(result.obligations));
  }
  TRUCE_RETURN_IF_ERROR(store_->MarkFindingsRuled(p.after));

  // The totals, as a full rule gives them.
  TRUCE_ASSIGN_OR_RETURN(store::FindingCounts counts, store_->CountFindings({}));
  result.findings = counts.total;
  for (const auto& [status, n] : counts.by_status) {
    if (n > 0) result.by_status[status] = n;
  }
  TRUCE_ASSIGN_OR_RETURN(std::int64_t reports, store_->CountReports());
  TRUCE_ASSIGN_OR_RETURN(std::int64_t members, store_->CountMembers());
  result.incidents = reports - members;
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
  rules::ObligationTally tally(*ruler, day);
  store::ReportFilter filter;
  filter.to_day = day;
  TRUCE_RETURN_IF_ERROR(store_->ForEachReport(filter, [&](const model::Report& inc) {
    tally.Add(inc);
    return Status::Ok();
  }));
  std::vector<model::ObligationStatus> out;
  for (auto& st : tally.Finish()) {
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
