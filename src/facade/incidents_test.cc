// Incidents reconciled from reports, through the facade: ingest places
// reports, rule rules incidents, analysts' overrides hold across re-ingest
// and re-matching. Real SQLite, real files.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "core.h"
#include "testing.h"

namespace truce {
namespace {

namespace fs = std::filesystem;

const char* kIncidentsAgreement = R"yaml(id: test-ceasefire
title: Test ceasefire
timezone: Asia/Damascus
entry_into_force: 2020-03-06T00:01
actors:
  gov-army: {name: Government Army, kind: armed_forces, aliases: ["Military Forces of Syria (2000-)", "Government of Syria"]}
  rebels: {name: Rebel Front, kind: armed_group, aliases: ["National Liberation Front", "Syrian insurgents"]}
sides:
  government: {guarantor: RUS, actors: [gov-army]}
  opposition: {guarantor: TUR, actors: [rebels]}
zones:
  box: {name: test box, polygon: box.geojson}
provisions:
  - id: art1
    article: Art. 1
    prohibits: [Battles, Explosions/Remote violence]
    by: [government, opposition]
    where: box
)yaml";

// An ACLED shelling by the government side at Testville.
std::string AcledRow(const std::string& id, const std::string& date, const std::string& lat, const std::string& lon,
                     int fatalities) {
  return id + "," + date +
         ",2020,1,Political violence,Explosions/Remote violence,Shelling/artillery/missile attack,"
         "Military Forces of Syria (2000-),,State forces,Civilians (Syria),,Civilians,State forces-Civilians,"
         "Civilian targeting,760,Middle East,Syria,Idlib,Ariha,,Testville," +
         lat + "," + lon + ",1,Test source,National,\"Shelling, reported.\"," + std::to_string(fatalities) +
         ",,1600000000\n";
}

// A UCDP GED state-based event, known to the day and the place.
std::string UcdpRow(const std::string& id, const std::string& date, const std::string& lat, const std::string& lon,
                    int best, int low, int high) {
  return id + ",SYR-2020-1-" + id +
         ",2020,1,Clear,1,299,299,Syria: Government,411,411,Government of Syria - Syrian insurgents,116,116,"
         "Government of Syria,1235,1235,Syrian insurgents,1,\"Test wire, 2020\",,,Shelling,,1,Testville,Testville,"
         "Idlib governorate,,"
         + lat + "," + lon + ",,180000,Syria,652,Middle East,1,1," + date + "," + date + ",0,0," + std::to_string(best) +
         ",0," + std::to_string(best) + "," + std::to_string(high) + "," + std::to_string(low) + ",652,\n";
}

class IncidentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = facade::testing::FreshTestDir("truce_incidents_");
    Write("agreement.yaml", kIncidentsAgreement);
    Write("box.geojson", facade::testing::kBox);
    auto core = facade::Core::Open((dir_ / "t.db").string(), files_, clock_);
    ASSERT_TRUE(core.ok()) << core.status().ToString();
    core_ = std::move(core).value();
    ASSERT_TRUE(core_->Init().ok());
    ASSERT_TRUE(core_->AddAgreements({(dir_ / "agreement.yaml").string()}).ok());
  }
  std::string Write(const std::string& name, const std::string& text) {
    return facade::testing::WriteFile(dir_, name, text);
  }
  void Ingest(const std::string& name, const std::string& text) {
    auto r = core_->Ingest(Write(name, text), {});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  // The same shelling from ACLED (report 1) and UCDP (report 2), 1.1 km
  // apart, the same day; and another ACLED shelling 60 km away (report 3).
  void IngestThree() {
    Ingest("acled.csv", std::string(facade::testing::kAcledHeader) + AcledRow("SYR1", "2020-03-07", "35.75", "36.25", 3) +
                            AcledRow("SYR2", "2020-03-07", "35.75", "36.95", 1));
    Ingest("ucdp.csv",
           std::string(facade::testing::kUcdpHeader) + UcdpRow("900001", "2020-03-07", "35.76", "36.25", 4, 2, 6));
  }
  std::vector<model::Incident> Incidents() {
    auto all = core_->LoadIncidents();
    EXPECT_TRUE(all.ok()) << all.status().ToString();
    return all.ok() ? all->incidents : std::vector<model::Incident>{};
  }
  const model::Incident* Find(const std::vector<model::Incident>& all, std::int64_t id) {
    for (const auto& in : all) {
      if (in.id == id) return &in;
    }
    return nullptr;
  }

  fs::path dir_;
  RealFileSystem files_;
  FixedClock clock_{std::chrono::sys_seconds(std::chrono::seconds(1584230400))};  // 2020-03-15
  std::unique_ptr<facade::Core> core_;
};

TEST_F(IncidentsTest, IngestMergesTheSameHappeningFromTwoDatasets) {
  IngestThree();
  const auto all = Incidents();
  ASSERT_EQ(all.size(), 2u);
  const model::Incident* merged = Find(all, 1);
  ASSERT_NE(merged, nullptr);
  ASSERT_EQ(merged->sources.size(), 2u);
  EXPECT_EQ(merged->sources[0].report_id, 1);
  EXPECT_EQ(merged->sources[1].report_id, 3);  // the UCDP row was stored third
  EXPECT_EQ(merged->sources[1].dataset, "ucdp");
  EXPECT_FALSE(merged->sources[1].reason.empty());
  EXPECT_EQ(merged->support, model::Support::kCorroborated);
  // The figures are kept side by side, never averaged: 3 from ACLED, 4 (2-6) from UCDP.
  EXPECT_EQ(merged->fatalities_low, 2);
  EXPECT_EQ(merged->fatalities_high, 6);
  const model::Incident* alone = Find(all, 2);
  ASSERT_NE(alone, nullptr);
  EXPECT_EQ(alone->sources.size(), 1u);
  EXPECT_EQ(alone->support, model::Support::kSingle);
}

TEST_F(IncidentsTest, ListsChooseIncidentsAsTheIndexDoes) {
  IngestThree();
  ASSERT_TRUE(core_->Rule({}).ok());
  query::Filter corroborated;
  corroborated.support = model::Support::kCorroborated;
  auto chosen = core_->Incidents(corroborated);
  ASSERT_TRUE(chosen.ok()) << chosen.status().ToString();
  ASSERT_EQ(chosen->size(), 1u);
  EXPECT_EQ(chosen->front().id, 1);
  EXPECT_EQ(chosen->front().sources.size(), 2u);
  query::Filter violations;
  violations.status = model::FindingStatus::kViolation;
  EXPECT_EQ(core_->Incidents(violations)->size(), 1u);  // report 2 lies outside the zone
  query::Filter later;
  later.from_day = *time::ParseIsoDate("2020-03-08");
  EXPECT_TRUE(core_->Incidents(later)->empty());
  EXPECT_EQ(core_->Incidents({})->size(), 2u);
}

TEST_F(IncidentsTest, RuleGivesOneFindingPerIncidentWithItsSupportAndSources) {
  IngestThree();
  auto ruled = core_->Rule({});
  ASSERT_TRUE(ruled.ok()) << ruled.status().ToString();
  EXPECT_EQ(ruled->incidents, 2);
  auto rows = core_->Findings({});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  const store::FindingRow& r = rows->front().finding.incident_id == 1 ? rows->front() : rows->back();
  EXPECT_EQ(r.finding.status, model::FindingStatus::kViolation);
  EXPECT_EQ(r.finding.support, model::Support::kCorroborated);
  EXPECT_EQ(r.finding.sources, 2);
  EXPECT_NE(r.finding.reported_by.find("SYR1"), std::string::npos) << r.finding.reported_by;
  EXPECT_NE(r.finding.reported_by.find("900001"), std::string::npos) << r.finding.reported_by;
  EXPECT_NE(r.finding.reason.find("Reported by"), std::string::npos) << r.finding.reason;
  store::FindingFilter corroborated;
  corroborated.support = "corroborated";
  EXPECT_EQ(core_->Findings(corroborated)->size(), 1u);
  // The per-report view rules every report on its own: three findings.
  auto by_report = core_->FindingsByReport({});
  ASSERT_TRUE(by_report.ok()) << by_report.status().ToString();
  EXPECT_EQ(by_report->size(), 3u);
  for (const auto& row : *by_report) EXPECT_EQ(row.finding.support, model::Support::kSingle);
  store::FindingFilter bad;
  bad.support = "rumoured";
  EXPECT_EQ(core_->FindingsByReport(bad).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(IncidentsTest, DailyReportCountsViolationsBySupport) {
  IngestThree();
  ASSERT_TRUE(core_->Rule({}).ok());
  auto md = core_->DailyReport("test-ceasefire", *time::ParseIsoDate("2020-03-07"), "markdown");
  ASSERT_TRUE(md.ok()) << md.status().ToString();
  EXPECT_NE(md->find("## Violations by support"), std::string::npos) << *md;
  EXPECT_NE(md->find("| corroborated | 1 | 0 | +1 |"), std::string::npos) << *md;
  // Report 2 lies outside the zone: no violation.
  EXPECT_NE(md->find("| single | 0 | 0 | 0 |"), std::string::npos) << *md;
}

TEST_F(IncidentsTest, UnlinkHoldsAcrossReingestAndReconcile) {
  IngestThree();
  auto r = core_->Override({{1, 3}}, /*link=*/false, "alice", "different shells");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Incidents().size(), 3u);
  // A new file and a full re-match keep the analyst's decision.
  Ingest("more.csv",
         std::string(facade::testing::kUcdpHeader) + UcdpRow("900002", "2020-03-20", "35.6", "36.1", 1, 1, 1));
  ASSERT_TRUE(core_->Reconcile().ok());
  EXPECT_EQ(Incidents().size(), 4u);
  auto d = core_->Incident(3);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->incident.id, 3);
  ASSERT_EQ(d->overrides.size(), 1u);
  EXPECT_EQ(d->overrides[0].analyst, "alice");
  EXPECT_EQ(d->overrides[0].kind, "unlink");
  EXPECT_EQ(d->overrides[0].decided_at, "2020-03-15T00:00:00Z");
}

TEST_F(IncidentsTest, LinkJoinsWhatTheMatcherKeptApartAndTheLatestDecisionWins) {
  IngestThree();
  ASSERT_TRUE(core_->Override({{2, 3}}, /*link=*/true, "bob", "").ok());
  ASSERT_TRUE(core_->Reconcile().ok());
  // The UCDP row joins ACLED's SYR2; SYR1 cannot follow it there (two rows of
  // one curated dataset are never one incident) and stands alone.
  auto d = core_->Incident(3);  // a member's id gives its incident
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->incident.id, 2);
  EXPECT_EQ(d->incident.sources.size(), 2u);
  EXPECT_EQ(core_->Incident(1)->incident.sources.size(), 1u);
  bool by_analyst = false;
  for (const auto& s : d->incident.sources) by_analyst |= s.decided_by.find("analyst bob") != std::string::npos;
  EXPECT_TRUE(by_analyst);
  ASSERT_TRUE(core_->Override({{2, 3}}, /*link=*/false, "bob", "on second thought").ok());
  EXPECT_EQ(core_->Incident(2)->incident.sources.size(), 1u);
}

TEST_F(IncidentsTest, SplitAndBadOverridesAreRefused) {
  IngestThree();
  EXPECT_EQ(core_->Override({{1, 1}}, true, "x", "").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(core_->Override({{1, 99}}, true, "x", "").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(core_->Incident(99).status().code(), StatusCode::kNotFound);
  ASSERT_EQ(Find(Incidents(), 1)->sources.size(), 2u);
  // split: every pair of its reports unlinked.
  auto d = core_->Incident(1);
  ASSERT_TRUE(d.ok());
  std::vector<std::pair<std::int64_t, std::int64_t>> pairs = {{1, 3}};
  ASSERT_TRUE(core_->Override(pairs, false, "carol", "split").ok());
  EXPECT_EQ(Incidents().size(), 3u);
}

// Rows of a few happenings around Testville over ten days, in no order of
// day: UCDP events, and ACLED events told in parts (a row per actor, one
// event id), the parts far apart in the file.
struct Happenings {
  std::string ucdp, acled;
};
Happenings RandomHappenings(int n, std::uint32_t seed, const std::string& month = "2020-03-", int first_id = 0) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> day(1, 10), hundredths(0, 12), fatalities(0, 5);
  auto date = [&](int d) { return month + (d < 10 ? "0" : "") + std::to_string(d); };
  auto at = [&](double base) { return std::to_string(base + hundredths(rng) / 100.0); };
  Happenings h;
  h.ucdp = facade::testing::kUcdpHeader;
  h.acled = facade::testing::kAcledHeader;
  std::vector<std::string> parts;
  for (int k = first_id; k < first_id + n; ++k) {
    const std::string d = date(day(rng)), lat = at(35.70), lon = at(36.20);
    const int f = fatalities(rng);
    if (k % 3 == 0) h.ucdp += UcdpRow(std::to_string(910000 + k), d, lat, lon, f, f, f + 2);
    const std::string row = AcledRow("SYR" + std::to_string(k), d, lat, lon, f);
    parts.push_back(row);
    if (k % 2 == 0) {  // a second part: the same event with the other actor first
      std::string other = row;
      other.replace(other.find("Military Forces of Syria (2000-)"), 32, "National Liberation Front");
      parts.push_back(other);
    }
  }
  std::shuffle(parts.begin(), parts.end(), rng);
  for (const std::string& row : parts) h.acled += row;
  return h;
}

std::vector<model::Report> StoredReports(facade::Core& core) {
  std::vector<model::Report> out;
  EXPECT_TRUE(core.store()
                  .ForEachReport({}, [&](const model::Report& r) {
                    out.push_back(r);
                    return Status::Ok();
                  })
                  .ok());
  return out;
}

// What one MatchNew over every report of `known` (placed as `current`) gives
// the reports stored after them: the placements an ingest must have made.
Result<std::vector<reconcile::Placement>> OneMatchNew(facade::Core& core, const std::vector<model::Report>& known,
                                                      const std::vector<reconcile::Placement>& current) {
  std::vector<model::Report> fresh;
  for (model::Report& r : StoredReports(core)) {
    if (r.id > known.back().id) fresh.push_back(std::move(r));
  }
  TRUCE_ASSIGN_OR_RETURN(auto matcher, core.Matcher());
  return matcher->MatchNew(known, current, fresh, {});
}

// An ingest stores its records a batch at a time and keeps of each new
// report only what matching reads (reconcile::NewReports): its placements
// are still those of one MatchNew over all of its reports, whole, even when
// the batches split incidents (rows of one event far apart in the file; a
// later row joining an incident of earlier ones).
TEST_F(IncidentsTest, IngestPlacesAsOneMatchOverWholeReportsWhateverTheBatches) {
  const Happenings h = RandomHappenings(40, 3);
  Ingest("ucdp.csv", h.ucdp);
  auto before_members = core_->store().ListMembers(0);
  ASSERT_TRUE(before_members.ok());
  const std::vector<model::Report> known = StoredReports(*core_);
  std::vector<reconcile::Placement> current;
  for (const model::Report& r : known) current.push_back({r.id, r.id, 1, "", "matcher"});
  for (const store::IncidentMember& m : *before_members) {
    for (reconcile::Placement& p : current) {
      if (p.report_id == m.report_id) p.incident_id = m.incident_id;
    }
  }

  core_->SetStoreBatchRows(2);
  Ingest("acled.csv", h.acled);
  auto matched_new = OneMatchNew(*core_, known, current);
  ASSERT_TRUE(matched_new.ok()) << matched_new.status().ToString();
  const std::vector<reconcile::Placement>& want = *matched_new;
  auto after = core_->store().ListMembers(0);
  ASSERT_TRUE(after.ok());
  std::map<std::int64_t, const store::IncidentMember*> row;
  for (const store::IncidentMember& m : *after) row[m.report_id] = &m;
  int joined_known = 0, spanning = 0;
  for (const reconcile::Placement& p : want) {
    auto it = row.find(p.report_id);
    if (p.incident_id == p.report_id) {
      EXPECT_EQ(it, row.end()) << "report " << p.report_id;
      continue;
    }
    ASSERT_NE(it, row.end()) << "report " << p.report_id;
    EXPECT_EQ(it->second->incident_id, p.incident_id);
    EXPECT_EQ(it->second->score, p.score);
    EXPECT_EQ(it->second->reason, p.reason);
    joined_known += p.incident_id <= known.back().id;
    spanning += p.incident_id > known.back().id && p.report_id - p.incident_id > 2;  // stored in another batch
  }
  EXPECT_GE(joined_known, 3);
  EXPECT_GE(spanning, 3);

  // Into an empty database, the same file's placements are MatchAll's.
  core_.reset();
  SetUp();
  core_->SetStoreBatchRows(3);
  Ingest("acled.csv", h.acled);
  auto ingested = core_->store().ListMembers(0);
  ASSERT_TRUE(ingested.ok());
  ASSERT_TRUE(core_->Reconcile().ok());
  auto matched = core_->store().ListMembers(0);
  ASSERT_TRUE(matched.ok());
  ASSERT_EQ(ingested->size(), matched->size());
  EXPECT_GE(ingested->size(), 10u);
  for (std::size_t i = 0; i < matched->size(); ++i) {
    EXPECT_EQ((*ingested)[i].report_id, (*matched)[i].report_id);
    EXPECT_EQ((*ingested)[i].incident_id, (*matched)[i].incident_id);
    EXPECT_EQ((*ingested)[i].reason, (*matched)[i].reason);
  }
}

// The known reports an ingest matches against are those near its own days,
// with their placements read in the same scan (Store::ForEachPlacedReport):
// members far from the file's days (a year before) are not read, and the
// placements are still those of one MatchNew over every known report and
// its placement. The file's rows join incidents whose other reports (leads
// and members) came in earlier files.
TEST_F(IncidentsTest, IngestReadsThePlacementsNearItsReportsAndPlacesAsOverAll) {
  const Happenings old = RandomHappenings(30, 7, "2019-01-", 100);
  Ingest("old_ucdp.csv", old.ucdp);
  Ingest("old_acled.csv", old.acled);
  const Happenings h = RandomHappenings(40, 11);
  Ingest("ucdp.csv", h.ucdp);
  // The ACLED parts in two files: the second's join incidents of the first's.
  std::string first = facade::testing::kAcledHeader, second = facade::testing::kAcledHeader;
  {
    std::size_t at = std::string(facade::testing::kAcledHeader).size(), row = 0;
    while (at < h.acled.size()) {
      const std::size_t end = h.acled.find('\n', at) + 1;
      (row++ % 2 == 0 ? first : second) += h.acled.substr(at, end - at);
      at = end;
    }
  }
  Ingest("acled_1.csv", first);
  auto before = core_->store().ListMembers(0);
  ASSERT_TRUE(before.ok());
  const std::vector<model::Report> known = StoredReports(*core_);
  std::vector<reconcile::Placement> current;
  std::map<std::int64_t, const store::IncidentMember*> was;
  for (const store::IncidentMember& m : *before) was[m.report_id] = &m;
  int old_members = 0, near_members = 0;
  for (const model::Report& r : known) {
    auto it = was.find(r.id);
    if (it == was.end()) {
      current.push_back({r.id, r.id, 1, "", "matcher"});
      continue;
    }
    current.push_back({r.id, it->second->incident_id, it->second->score, it->second->reason, it->second->decided_by});
    (r.time.first_day.time_since_epoch().count() < 18000 ? old_members : near_members)++;  // 2019-04-14
  }
  EXPECT_GE(old_members, 5);
  EXPECT_GE(near_members, 5);

  core_->SetStoreBatchRows(3);
  Ingest("acled_2.csv", second);
  auto matched_new = OneMatchNew(*core_, known, current);
  ASSERT_TRUE(matched_new.ok()) << matched_new.status().ToString();
  const std::vector<reconcile::Placement>& want = *matched_new;
  auto after = core_->store().ListMembers(0);
  ASSERT_TRUE(after.ok());
  std::map<std::int64_t, const store::IncidentMember*> row;
  for (const store::IncidentMember& m : *after) row[m.report_id] = &m;
  int joined_member_incident = 0;
  for (const reconcile::Placement& p : want) {
    auto it = row.find(p.report_id);
    if (p.incident_id == p.report_id) {
      EXPECT_EQ(it, row.end()) << "report " << p.report_id;
      continue;
    }
    ASSERT_NE(it, row.end()) << "report " << p.report_id;
    EXPECT_EQ(it->second->incident_id, p.incident_id) << "report " << p.report_id;
    EXPECT_EQ(it->second->score, p.score);
    EXPECT_EQ(it->second->reason, p.reason);
    // An incident that held a member before this file.
    for (const store::IncidentMember& m : *before) {
      if (m.incident_id == p.incident_id) {
        ++joined_member_incident;
        break;
      }
    }
  }
  EXPECT_GE(joined_member_incident, 3);
  // Every row before the file is still there as it was (only fresh reports are placed).
  for (const store::IncidentMember& m : *before) {
    auto it = row.find(m.report_id);
    ASSERT_NE(it, row.end());
    EXPECT_EQ(it->second->incident_id, m.incident_id);
  }
  EXPECT_EQ(after->size(), before->size() + static_cast<std::size_t>(std::count_if(
                                                 want.begin(), want.end(),
                                                 [](const reconcile::Placement& p) {
                                                   return p.incident_id != p.report_id;
                                                 })));
}

}  // namespace
}  // namespace truce
