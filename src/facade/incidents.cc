// Core: incidents reconciled from reports (docs/reconcile.md): the matcher
// as configured, matching on ingest and in full, the analysts' overrides,
// and incidents as the ruler, the index and `truce incident show` see them.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "core.h"
#include "matching_default.h"

namespace truce::facade {

namespace {

// How far around new reports' days stored reports are read to match them:
// the widest window a report may have (a month) and then some.
constexpr int kNearDays = 40;

std::string DecidedBy(const store::MatchOverride& o) { return "analyst " + o.analyst + " at " + o.decided_at; }

std::vector<reconcile::Override> ToOverrides(const std::vector<store::MatchOverride>& rows) {
  std::vector<reconcile::Override> out;
  out.reserve(rows.size());
  for (const store::MatchOverride& o : rows) out.push_back({o.kind == "link", o.report_a, o.report_b, DecidedBy(o)});
  return out;
}

// Stored rows: only reports that joined another report's incident.
std::vector<store::IncidentMember> ToMembers(const std::vector<reconcile::Placement>& placements) {
  std::vector<store::IncidentMember> out;
  for (const reconcile::Placement& p : placements) {
    out.push_back({p.report_id, p.incident_id, p.score, p.reason, p.decided_by});
  }
  return out;
}

reconcile::Placement ToPlacement(const model::Report& r, const store::IncidentMember* m) {
  if (!m) return {r.id, r.id, 1, "", "matcher"};
  return {r.id, m->incident_id, m->score, m->reason, m->decided_by};
}

}  // namespace

Result<const reconcile::Matcher*> Core::Matcher() {
  if (!matching_config_) {  // the rules: read once per Core
    if (matching_path_.empty()) {
      TRUCE_ASSIGN_OR_RETURN(matching_config_,
                             reconcile::ParseConfig(DefaultMatchingYaml(), "data/reconcile/matching.yaml"));
    } else {
      TRUCE_ASSIGN_OR_RETURN(std::string text, fs_.ReadFile(matching_path_));
      TRUCE_ASSIGN_OR_RETURN(matching_config_, reconcile::ParseConfig(text, matching_path_));
    }
  }
  // The actor names: those of the agreements as cached now.
  TRUCE_ASSIGN_OR_RETURN(std::shared_ptr<const LoadedAgreements> agreements, Agreements());
  if (matcher_ && matcher_agreements_ == agreements) return matcher_.get();
  auto registry = std::make_shared<agreement::ActorRegistry>();
  std::set<std::string> seen;
  for (const agreement::LoadedAgreement& la : *agreements) {
    for (const model::Actor& a : la.actors) {
      if (seen.insert(a.id).second) registry->Add(a);
    }
  }
  reconcile::ActorResolver resolve = [registry](std::string_view name) {
    const model::Actor* a = registry->Resolve(name);
    return a ? a->id : std::string();
  };
  matcher_ = std::make_unique<reconcile::Matcher>(matching_config_, std::move(resolve));
  matcher_agreements_ = std::move(agreements);
  return matcher_.get();
}

Result<std::vector<model::Report>> Core::AllReports() {
  std::vector<model::Report> reports;
  TRUCE_RETURN_IF_ERROR(store_->ForEachReport({}, [&](const model::Report& r) {
    reports.push_back(r);
    return Status::Ok();
  }));
  std::sort(reports.begin(), reports.end(), [](const model::Report& a, const model::Report& b) { return a.id < b.id; });
  return reports;
}

Result<std::vector<reconcile::Placement>> Core::PlacementsOf(const std::vector<model::Report>& reports) {
  std::vector<reconcile::Placement> out;
  out.reserve(reports.size());
  if (reports.empty()) return out;
  TRUCE_ASSIGN_OR_RETURN(std::vector<store::IncidentMember> members, store_->ListMembers(0));
  std::unordered_map<std::int64_t, const store::IncidentMember*> of;
  for (const store::IncidentMember& m : members) of[m.report_id] = &m;
  for (const model::Report& r : reports) {
    auto it = of.find(r.id);
    out.push_back(ToPlacement(r, it == of.end() ? nullptr : it->second));
  }
  return out;
}

Result<model::Incident> Core::EstimateOf(const std::vector<const model::Report*>& reports,
                                         const std::vector<const reconcile::Placement*>& placements) {
  TRUCE_ASSIGN_OR_RETURN(const reconcile::Matcher* matcher, Matcher());
  // The figures news articles state beside their events, for incidents that
  // have something to compare them with.
  std::vector<model::Claim> claims;
  std::set<std::int64_t> records;
  for (const model::Report* r : reports) {
    if (reports.size() < 2 || r->dataset != "news" || !records.insert(r->record_id).second) continue;
    TRUCE_ASSIGN_OR_RETURN(std::vector<model::Claim> stated, store_->ListClaims(r->record_id));
    claims.insert(claims.end(), stated.begin(), stated.end());
  }
  return reconcile::Estimate(reports, placements, claims, matcher->config());
}

Status Core::AddFresh(const model::Report& r, FreshReports* fresh) {
  if (!fresh->run) {
    TRUCE_ASSIGN_OR_RETURN(const reconcile::Matcher* matcher, Matcher());
    fresh->run = matcher->StartNew();
    fresh->first_day = r.time.first_day;
    fresh->last_day = r.time.last_day;
  }
  fresh->run->AddFresh(r);
  fresh->ids.push_back(r.id);
  fresh->first_day = std::min(fresh->first_day, r.time.first_day);
  fresh->last_day = std::max(fresh->last_day, r.time.last_day);
  return Status::Ok();
}

Status Core::PlaceNewReports(FreshReports* fresh, std::set<std::int64_t>* changed) {
  if (!fresh->run) return Status::Ok();
  std::sort(fresh->ids.begin(), fresh->ids.end());
  auto is_fresh = [&](std::int64_t id) { return std::binary_search(fresh->ids.begin(), fresh->ids.end(), id); };
  store::ReportFilter near;
  near.from_day = fresh->first_day - std::chrono::days{kNearDays};
  near.to_day = fresh->last_day + std::chrono::days{kNearDays};
  // The known reports near them, with their incidents now (read in the same
  // scan: not every member row of the database).
  TRUCE_RETURN_IF_ERROR(store_->ForEachPlacedReport(near, [&](const model::Report& r, std::int64_t incident_id) {
    if (is_fresh(r.id)) return Status::Ok();
    fresh->run->AddKnown(r, incident_id);
    return Status::Ok();
  }));
  TRUCE_ASSIGN_OR_RETURN(std::vector<store::MatchOverride> overrides, store_->ListOverrides());
  std::vector<reconcile::Placement> placed = fresh->run->Place(ToOverrides(overrides));
  fresh->run.reset();
  // The incidents whose reports change: each fresh report's own and the one
  // it joins (only fresh reports are placed: none leaves an incident).
  changed->insert(fresh->ids.begin(), fresh->ids.end());
  std::vector<reconcile::Placement> joined;
  for (reconcile::Placement& p : placed) {
    changed->insert(p.incident_id);
    if (p.incident_id != p.report_id) joined.push_back(std::move(p));
  }
  if (joined.empty()) return Status::Ok();
  return store_->SetMembers(ToMembers(joined), /*replace_all=*/false);
}

Result<Reconciled> Core::LoadIncidents() {
  Reconciled out;
  TRUCE_ASSIGN_OR_RETURN(out.reports, AllReports());
  TRUCE_ASSIGN_OR_RETURN(std::vector<reconcile::Placement> placements, PlacementsOf(out.reports));
  // Reports by incident, the lead (smallest id, read first) first.
  std::map<std::int64_t, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < out.reports.size(); ++i) groups[placements[i].incident_id].push_back(i);
  out.incidents.reserve(groups.size());
  for (const auto& [id, at] : groups) {
    std::vector<const model::Report*> reports;
    std::vector<const reconcile::Placement*> placed;
    for (std::size_t i : at) {
      reports.push_back(&out.reports[i]);
      placed.push_back(&placements[i]);
    }
    TRUCE_ASSIGN_OR_RETURN(model::Incident incident, EstimateOf(reports, placed));
    out.incidents.push_back(std::move(incident));
  }
  return out;
}

Result<std::vector<model::Incident>> Core::Incidents(const query::Filter& filter) {
  TRUCE_ASSIGN_OR_RETURN(Reconciled all, LoadIncidents());
  // Chosen as the API's lists choose them: through an index of these incidents.
  TRUCE_ASSIGN_OR_RETURN(std::shared_ptr<const query::IncidentIndex> index,
                         query::IncidentIndex::Build(*store_, [&](const auto& fn) {
                           for (const model::Incident& incident : all.incidents) fn(incident);
                           return Status::Ok();
                         }));
  std::unordered_map<std::int64_t, std::size_t> at;
  for (std::size_t i = 0; i < all.incidents.size(); ++i) at[all.incidents[i].id] = i;
  std::vector<model::Incident> out;
  index->ForEach(filter, [&](const query::IncidentOutline& o) {
    out.push_back(std::move(all.incidents[at.at(o.id)]));
    return true;
  });
  return out;
}

Result<ReconcileResult> Core::Reconcile() {
  TRUCE_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(*store_));
  ReconcileResult result;
  TRUCE_ASSIGN_OR_RETURN(store::FindingsState start, store_->GetFindingsState());
  std::set<std::int64_t> changed;
  TRUCE_RETURN_IF_ERROR(MatchAllLocked(&result, nullptr, &changed));
  TRUCE_ASSIGN_OR_RETURN(std::optional<PendingChanges> pending, Pending(start, changed, {}));
  TRUCE_RETURN_IF_ERROR(tx.Commit());
  pending_ = std::move(pending);
  return result;
}

Status Core::MatchAllLocked(ReconcileResult* result, std::vector<reconcile::Placement>* placements_out,
                            std::set<std::int64_t>* changed) {
  TRUCE_ASSIGN_OR_RETURN(std::vector<model::Report> reports, AllReports());
  TRUCE_ASSIGN_OR_RETURN(const reconcile::Matcher* matcher, Matcher());
  TRUCE_ASSIGN_OR_RETURN(std::vector<store::MatchOverride> overrides, store_->ListOverrides());
  TRUCE_ASSIGN_OR_RETURN(std::vector<store::IncidentMember> before, store_->ListMembers(0));
  std::vector<reconcile::Placement> placements = matcher->MatchAll(reports, ToOverrides(overrides));
  std::map<std::int64_t, int> sizes;
  std::vector<reconcile::Placement> joined;
  for (const reconcile::Placement& p : placements) {
    ++sizes[p.incident_id];
    if (p.incident_id != p.report_id) joined.push_back(p);
  }
  // What changed, row by row: a report placed elsewhere (or its placement's
  // score or reason) changes the incident it leaves and the one it joins.
  std::unordered_map<std::int64_t, const store::IncidentMember*> was;
  for (const store::IncidentMember& m : before) was[m.report_id] = &m;
  for (const reconcile::Placement& p : placements) {
    auto it = was.find(p.report_id);
    const bool alone = p.incident_id == p.report_id;
    if (it == was.end()) {
      if (!alone) changed->insert({p.report_id, p.incident_id});
      continue;
    }
    const store::IncidentMember& m = *it->second;
    if (alone || m.incident_id != p.incident_id || m.score != p.score || m.reason != p.reason ||
        m.decided_by != p.decided_by) {
      changed->insert({m.incident_id, p.incident_id, p.report_id});
    }
  }
  TRUCE_RETURN_IF_ERROR(store_->SetMembers(ToMembers(joined), /*replace_all=*/true));
  result->reports = static_cast<std::int64_t>(reports.size());
  result->incidents = static_cast<std::int64_t>(sizes.size());
  result->merged = std::count_if(sizes.begin(), sizes.end(), [](const auto& s) { return s.second > 1; });
  result->overrides = static_cast<std::int64_t>(overrides.size());
  if (placements_out) *placements_out = std::move(placements);
  return Status::Ok();
}

Result<OverrideResult> Core::Override(const std::vector<std::pair<std::int64_t, std::int64_t>>& pairs, bool link,
                                      const std::string& analyst, const std::string& note) {
  for (const auto& [a, b] : pairs) {
    if (a == b) return Status::InvalidArgument("report " + std::to_string(a) + " given twice; name two reports");
    for (std::int64_t id : {a, b}) {
      TRUCE_ASSIGN_OR_RETURN(std::optional<model::Report> r, store_->GetReport(id));
      if (!r) return Status::InvalidArgument("no report " + std::to_string(id) + " in the database");
    }
  }
  TRUCE_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(*store_));
  TRUCE_ASSIGN_OR_RETURN(store::FindingsState start, store_->GetFindingsState());
  const std::string at = time::FormatInstantUtc(clock_.Now());
  for (const auto& [a, b] : pairs) {
    store::MatchOverride o;
    o.kind = link ? "link" : "unlink";
    o.report_a = a;
    o.report_b = b;
    o.analyst = analyst;
    o.decided_at = at;
    o.note = note;
    TRUCE_ASSIGN_OR_RETURN(std::int64_t id, store_->InsertOverride(o));
    (void)id;
  }
  ReconcileResult matched;
  std::vector<reconcile::Placement> placements;
  std::set<std::int64_t> changed;
  TRUCE_RETURN_IF_ERROR(MatchAllLocked(&matched, &placements, &changed));
  TRUCE_ASSIGN_OR_RETURN(std::optional<PendingChanges> pending, Pending(start, changed, {}));
  TRUCE_RETURN_IF_ERROR(tx.Commit());
  pending_ = std::move(pending);

  std::map<std::int64_t, std::int64_t> incident_of;
  for (const reconcile::Placement& p : placements) incident_of[p.report_id] = p.incident_id;
  OverrideResult out;
  std::set<std::int64_t> named;
  for (const auto& [a, b] : pairs) named.insert({a, b});
  std::string where;
  for (std::int64_t id : named) {
    const std::int64_t incident = incident_of.count(id) ? incident_of[id] : id;
    if (std::find(out.incidents.begin(), out.incidents.end(), incident) == out.incidents.end()) {
      out.incidents.push_back(incident);
    }
    if (!where.empty()) where += ", ";
    where += "report " + std::to_string(id) + " is in incident " + std::to_string(incident);
  }
  out.message = std::string(link ? "linked" : "unlinked") + " by " + analyst + ": " + where;
  return out;
}

Status Core::IncidentReports(std::int64_t id, std::vector<model::Report>* reports,
                             std::vector<reconcile::Placement>* placements) {
  TRUCE_ASSIGN_OR_RETURN(std::vector<store::IncidentMember> members, store_->ListMembers(id));
  const std::int64_t lead = members.empty() ? id : members.front().incident_id;
  std::vector<std::int64_t> ids = {lead};
  std::vector<const store::IncidentMember*> rows = {nullptr};
  for (const store::IncidentMember& m : members) {
    ids.push_back(m.report_id);
    rows.push_back(&m);
  }
  for (std::size_t i = 0; i < ids.size(); ++i) {
    TRUCE_ASSIGN_OR_RETURN(std::optional<model::Report> r, store_->GetReport(ids[i]));
    if (!r && i == 0 && members.empty()) return Status::Ok();  // no such report
    if (!r) return Status::DatabaseError("report " + std::to_string(ids[i]) + " of incident " + std::to_string(lead) +
                                         " is missing");
    placements->push_back(ToPlacement(*r, rows[i]));
    reports->push_back(std::move(*r));
  }
  return Status::Ok();
}

Result<IncidentDetail> Core::Incident(std::int64_t id) {
  IncidentDetail d;
  std::vector<reconcile::Placement> placements;
  TRUCE_RETURN_IF_ERROR(IncidentReports(id, &d.reports, &placements));
  if (d.reports.empty()) return Status::NotFound("no incident " + std::to_string(id) + " in the database");
  const std::int64_t lead = d.reports.front().id;
  std::vector<std::int64_t> ids;
  for (const model::Report& r : d.reports) ids.push_back(r.id);
  std::set<std::int64_t> records;
  for (const model::Report& r : d.reports) {
    if (!records.insert(r.record_id).second) continue;
    TRUCE_ASSIGN_OR_RETURN(std::optional<model::SourceRecord> record, store_->GetSourceRecord(r.record_id));
    if (!record) continue;
    TRUCE_ASSIGN_OR_RETURN(std::vector<model::Claim> claims, store_->ListClaims(record->id));
    d.claims.insert(d.claims.end(), claims.begin(), claims.end());
    d.records.push_back(std::move(*record));
  }
  std::vector<const model::Report*> reports;
  std::vector<const reconcile::Placement*> placed;
  for (std::size_t i = 0; i < d.reports.size(); ++i) {
    reports.push_back(&d.reports[i]);
    placed.push_back(&placements[i]);
  }
  TRUCE_ASSIGN_OR_RETURN(d.incident, EstimateOf(reports, placed));
  store::FindingFilter f;
  f.incident_id = lead;
  TRUCE_ASSIGN_OR_RETURN(d.findings, store_->QueryFindings(f));
  TRUCE_ASSIGN_OR_RETURN(std::vector<store::MatchOverride> overrides, store_->ListOverrides());
  const std::set<std::int64_t> mine(ids.begin(), ids.end());
  for (store::MatchOverride& o : overrides) {
    if (mine.count(o.report_a) || mine.count(o.report_b)) d.overrides.push_back(std::move(o));
  }
  return d;
}

}  // namespace truce::facade
