// ObligationTally: statuses from reports fed one at a time in any order equal
// those computed from all of them at once, and what it keeps of the reports
// (ids, a patrol's covered stretches, the first observations) is what the
// statuses show, checked against references computed here.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "truce/core/env.h"
#include "truce/rules/rules.h"

namespace truce::rules {
namespace {

const char* kObligationsAgreement = R"yaml(id: t
title: T
timezone: Asia/Damascus
entry_into_force: 2018-09-17T00:00
places:
  west-end: {name: West End, lat: 35.8, lon: 36.0}
  east-end: {name: East End, lat: 35.8, lon: 37.0}
actors:
  army: {name: Army, kind: armed_forces, aliases: ["Military Forces of Syria (2000-)"]}
  rebels: {name: Rebels, kind: armed_group, aliases: ["National Liberation Front"]}
sides:
  government: {guarantor: RUS, actors: [army]}
  opposition: {guarantor: TUR, actors: [rebels]}
zones:
  box: {name: box, polygon: box.geojson}
  road: {name: road, corridor: {line: road.geojson, half_width_km: 6}}
provisions:
  - id: patrol
    obligation: joint_patrol
    by: [RUS, TUR]
    along: road
    between: [west-end, east-end]
    evidence: {acts: [Strategic developments], notes_contain: [patrol]}
  - id: leave
    obligation: withdraw
    by: [government]
    zone: box
    due: 2018-10-10
    evidence: {acts: ["Explosions/Remote violence / Shelling/artillery/missile attack"]}
  - id: other
    obligation: other
    by: [RUS, TUR]
    due: 2019-03-13
    evidence: {acts: ["Strategic developments / Agreement"], notes_contain: [corridor]}
)yaml";

std::unique_ptr<Ruler> MakeRuler() {
  MemFileSystem fs;
  fs.Put("box.geojson", R"({"type":"Polygon","coordinates":[[[36,35.5],[36.5,35.5],[36.5,36],[36,36],[36,35.5]]]})");
  fs.Put("road.geojson", R"({"type":"LineString","coordinates":[[36.0,35.8],[36.5,35.8],[37.0,35.8]]})");
  auto a = agreement::ParseAgreement(kObligationsAgreement, "t.yaml", fs);
  EXPECT_TRUE(a.ok()) << a.status().ToString();
  std::vector<agreement::LoadedAgreement> all;
  all.push_back(std::move(a).value());
  auto r = Ruler::Build(std::move(all));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return std::move(r).value();
}

model::Report At(std::int64_t id, const char* day, double lat, double lon) {
  model::Report r;
  r.id = id;
  r.time.first_day = r.time.last_day = *time::ParseIsoDate(day);
  r.point = {lat, lon};
  return r;
}

// Reports of every kind, with ids in no particular order of their kind or
// place; `withdraw`, `observed` and `patrols` get the ids that should count.
struct Data {
  std::vector<model::Report> reports;
  std::vector<std::int64_t> withdraw, observed;
  std::vector<geo::LatLon> patrols;
};

Data MakeData() {
  Data d;
  std::mt19937_64 rng(7);
  std::vector<std::int64_t> ids(700);
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<std::int64_t>(i) * 3 + 11;
  std::shuffle(ids.begin(), ids.end(), rng);
  std::size_t next = 0;
  std::uniform_real_distribution<double> u(0, 1);
  // Patrol sightings along the first 60 % of the road (each covers 1 km
  // either side): hundreds of stretches, most overlapping.
  for (int i = 0; i < 100; ++i) {
    model::Report r = At(ids[next++], "2019-01-05", 35.8, 36.0 + 0.6 * u(rng));
    r.event_type = "Strategic developments";
    r.sub_event_type = "Other";
    r.notes = "a joint patrol passed";
    d.patrols.push_back(r.point);
    d.reports.push_back(r);
  }
  // Shellings: by the army in the box after the deadline (count), before
  // it, outside the box, or by the other side (do not).
  for (int i = 0; i < 400; ++i) {
    const bool inside = i % 4 != 1, after = i % 4 != 2, army = i % 4 != 3;
    model::Report r = At(ids[next++], after ? "2018-11-01" : "2018-10-01", inside ? 35.6 + 0.3 * u(rng) : 36.5,
                         inside ? 36.1 + 0.3 * u(rng) : 36.8);
    r.event_type = "Explosions/Remote violence";
    r.sub_event_type = "Shelling/artillery/missile attack";
    r.actor1 = army ? "Military Forces of Syria (2000-)" : "National Liberation Front";
    if (inside && after && army) d.withdraw.push_back(r.id);
    d.reports.push_back(r);
  }
  // Observations that the other obligation was done; and reports that bear on nothing.
  for (int i = 0; i < 120; ++i) {
    model::Report r = At(ids[next++], "2019-02-01", 35.7, 36.2);
    r.event_type = "Strategic developments";
    r.sub_event_type = "Agreement";
    r.notes = i % 2 ? "the corridor was opened" : "talks";
    if (i % 2) d.observed.push_back(r.id);
    d.reports.push_back(r);
  }
  while (next < ids.size()) {
    model::Report r = At(ids[next++], "2019-01-01", 35.7, 36.2);
    r.event_type = "Battles";
    r.sub_event_type = "Armed clash";
    d.reports.push_back(r);
  }
  std::sort(d.withdraw.begin(), d.withdraw.end());
  std::sort(d.observed.begin(), d.observed.end());
  return d;
}

void ExpectSame(const std::vector<model::ObligationStatus>& a, const std::vector<model::ObligationStatus>& b,
                const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].provision_id, b[i].provision_id) << what;
    EXPECT_EQ(a[i].state, b[i].state) << what << " " << a[i].provision_id;
    EXPECT_EQ(a[i].reason, b[i].reason) << what << " " << a[i].provision_id;
    EXPECT_EQ(a[i].covered_fraction, b[i].covered_fraction) << what << " " << a[i].provision_id;
    EXPECT_EQ(a[i].evidence_incident_ids, b[i].evidence_incident_ids) << what << " " << a[i].provision_id;
  }
}

const model::ObligationStatus& Of(const std::vector<model::ObligationStatus>& all, const std::string& id) {
  for (const auto& s : all) {
    if (s.provision_id == id) return s;
  }
  ADD_FAILURE() << "no status " << id;
  return all.front();
}

TEST(ObligationTallyTest, StatusesShowWhatWasKept) {
  auto ruler = MakeRuler();
  Data d = MakeData();
  const time::Days as_of = *time::ParseIsoDate("2019-06-01");
  auto st = ruler->Obligations(d.reports, as_of);
  ASSERT_EQ(st.size(), 3u);

  // Withdrawal: every contradicting incident, in id order.
  const auto& leave = Of(st, "leave");
  EXPECT_EQ(leave.state, model::ObligationState::kUnmet) << leave.reason;
  EXPECT_EQ(leave.evidence_incident_ids, d.withdraw);
  EXPECT_NE(leave.reason.find(std::to_string(d.withdraw.size()) + " incident(s)"), std::string::npos) << leave.reason;

  // Other: all counted, the 50 smallest ids shown.
  const auto& other = Of(st, "other");
  EXPECT_EQ(other.state, model::ObligationState::kMet) << other.reason;
  EXPECT_NE(other.reason.find(std::to_string(d.observed.size()) + " observation(s)"), std::string::npos)
      << other.reason;
  ASSERT_GT(d.observed.size(), 50u);
  EXPECT_EQ(other.evidence_incident_ids, std::vector<std::int64_t>(d.observed.begin(), d.observed.begin() + 50));

  // Patrol: the union of every sighting's stretch, measured here on its own.
  const auto& patrol = Of(st, "patrol");
  geo::Route route({{35.8, 36.0}, {35.8, 36.5}, {35.8, 37.0}});
  std::vector<std::pair<double, double>> all;
  for (const geo::LatLon& p : d.patrols) {
    auto got = route.CoveredIntervals({p, p}, RuleOptions().route_tolerance_m);
    all.insert(all.end(), got.begin(), got.end());
  }
  std::sort(all.begin(), all.end());
  double covered_m = 0, b = -1, e = -1;
  for (const auto& [lo, hi] : all) {
    if (lo > e) {
      covered_m += e - b;
      b = lo;
      e = hi;
    } else {
      e = std::max(e, hi);
    }
  }
  covered_m += e - b;
  EXPECT_NEAR(patrol.covered_fraction, covered_m / route.length_m(), 1e-12);
  EXPECT_GT(patrol.covered_fraction, 0.5);
  EXPECT_LT(patrol.covered_fraction, 0.7);
  EXPECT_EQ(patrol.state, model::ObligationState::kPartlyMet) << patrol.reason;
  EXPECT_EQ(patrol.evidence_incident_ids.size(), d.patrols.size());
  EXPECT_TRUE(std::is_sorted(patrol.evidence_incident_ids.begin(), patrol.evidence_incident_ids.end()));
}

TEST(ObligationTallyTest, AnyOrderGivesTheSameStatuses) {
  auto ruler = MakeRuler();
  Data d = MakeData();
  for (const char* day : {"2018-09-01", "2018-10-05", "2019-06-01"}) {
    const time::Days as_of = *time::ParseIsoDate(day);
    std::vector<model::Report> sorted = d.reports;
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    const auto want = ruler->Obligations(sorted, as_of);
    std::vector<model::Report> order = sorted;
    std::reverse(order.begin(), order.end());
    ExpectSame(ruler->Obligations(order, as_of), want, std::string("reversed, ") + day);
    std::mt19937_64 rng(3);
    for (int k = 0; k < 2; ++k) {
      std::shuffle(order.begin(), order.end(), rng);
      ObligationTally tally(*ruler, as_of);
      for (const model::Report& r : order) tally.Add(r);
      ExpectSame(tally.Finish(), want, std::string("shuffled, ") + day);
    }
  }
}

TEST(ObligationTallyTest, BeforeTheStartAndBeforeTheDeadlineNothingCounts) {
  auto ruler = MakeRuler();
  Data d = MakeData();
  // Before entry into force: all pending, no evidence kept.
  auto before = ruler->Obligations(d.reports, *time::ParseIsoDate("2018-09-01"));
  for (const auto& s : before) {
    EXPECT_EQ(s.state, model::ObligationState::kPending) << s.provision_id << ": " << s.reason;
    EXPECT_TRUE(s.evidence_incident_ids.empty()) << s.provision_id;
  }
  // In force, withdrawal not yet due: pending whatever is reported.
  auto due = ruler->Obligations(d.reports, *time::ParseIsoDate("2018-10-05"));
  EXPECT_EQ(Of(due, "leave").state, model::ObligationState::kPending) << Of(due, "leave").reason;
  EXPECT_TRUE(Of(due, "leave").evidence_incident_ids.empty());
  // No report at all.
  auto none = ruler->Obligations({}, *time::ParseIsoDate("2019-06-01"));
  EXPECT_EQ(Of(none, "leave").state, model::ObligationState::kPending);
  EXPECT_EQ(Of(none, "other").state, model::ObligationState::kUnmet);
  EXPECT_EQ(Of(none, "patrol").state, model::ObligationState::kUnmet);
}

}  // namespace
}  // namespace truce::rules
