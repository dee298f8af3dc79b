#include <algorithm>
#include <chrono>
#include <map>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "features.h"
#include "index.h"
#include "testing.h"

namespace truce::reconcile {
namespace {

using namespace testing;

class MatcherTest : public ::testing::Test {
 protected:
  std::shared_ptr<const Config> config_ = RepoConfig();
  Matcher matcher_{config_, nullptr};
};

TEST_F(MatcherTest, AcledAndUcdpOfOneShellingMerge) {
  const std::vector<model::Report> reports = {Acled(1, "SYR1", Saraqib()), Ucdp(2, "342211", Away(3100))};
  const PairScore s = matcher_.Score(reports[0], reports[1]);
  EXPECT_TRUE(s.allowed);
  EXPECT_GE(s.score, config_->threshold);
  EXPECT_EQ(s.reason,
            "3.1 km apart, within ACLED's 10 km radius; same day; shelling ~ UCDP state-based; "
            "Military Forces of Syria ~ Government of Syria, Hayat Tahrir al-Sham ~ HTS; fatalities agree (3; 2-6)");

  auto placed = ById(matcher_.MatchAll(reports, {}));
  ASSERT_EQ(placed.size(), 2u);
  EXPECT_EQ(placed[1].incident_id, 1);
  EXPECT_EQ(placed[1].reason, "");
  EXPECT_EQ(placed[2].incident_id, 1);
  EXPECT_EQ(placed[2].decided_by, "matcher");
  EXPECT_DOUBLE_EQ(placed[2].score, s.score);
  EXPECT_EQ(placed[2].reason, "with ACLED SYR1 (report 1): 3.1 km apart, within ACLED's 10 km radius; same day; "
                              "UCDP state-based ~ shelling; Government of Syria ~ Military Forces of Syria, "
                              "HTS ~ Hayat Tahrir al-Sham; fatalities agree (2-6; 3)");
}

TEST_F(MatcherTest, TooFarApartIsNotACandidate) {
  model::Report near = Ucdp(2, "342211", Away(40000), 2000);
  const PairScore s = matcher_.Score(Acled(1, "SYR1", Saraqib()), near);
  EXPECT_FALSE(s.allowed);
  EXPECT_EQ(s.score, 0);
  EXPECT_NE(s.reason.find(" km apart, beyond both radii and the slack (14 km)"), std::string::npos) << s.reason;
  auto placed = ById(matcher_.MatchAll({Acled(1, "SYR1", Saraqib()), near}, {}));
  EXPECT_EQ(placed[2].incident_id, 2);
}

TEST_F(MatcherTest, ACountryWideRadiusIsTooVagueToMatch) {
  model::Report country = Ucdp(2, "342211", Saraqib(), 250000);
  const PairScore s = matcher_.Score(Acled(1, "SYR1", Saraqib()), country);
  EXPECT_FALSE(s.allowed);
  EXPECT_EQ(s.reason, "UCDP's 250 km radius is too vague to match (over 100 km); an analyst may link it");
  EXPECT_EQ(ById(matcher_.MatchAll({Acled(1, "SYR1", Saraqib()), country}, {}))[2].incident_id, 2);
  EXPECT_EQ(ById(matcher_.MatchAll({Acled(1, "SYR1", Saraqib()), country}, {{true, 1, 2, "analyst a at t"}}))[2]
                .incident_id,
            1);
}

TEST_F(MatcherTest, DaysTooFarApartAreNotACandidate) {
  model::Report later = Ucdp(2, "342211", Saraqib());
  later.time.first_day = later.time.last_day = Day("2020-03-09");
  const PairScore s = matcher_.Score(Acled(1, "SYR1", Saraqib()), later);
  EXPECT_FALSE(s.allowed);
  EXPECT_EQ(s.reason, "4 days apart, more than 2");
}

TEST_F(MatcherTest, UnrelatedTypesDoNotMerge) {
  model::Report protest = News(2, 20, "Enab Baladi", Away(1500));
  protest.event_type = "Protests";
  protest.sub_event_type = "Peaceful protest";
  protest.actor1.clear();  // no actor: only the type and the figures tell them apart
  protest.fatalities = 0;
  const PairScore s = matcher_.Score(Acled(1, "SYR1", Saraqib()), protest);
  EXPECT_TRUE(s.allowed);
  EXPECT_LT(s.score, config_->threshold);
  EXPECT_NE(s.reason.find("shelling vs peaceful protest: unrelated types"), std::string::npos) << s.reason;
  EXPECT_NE(s.reason.find("actors not given on both sides"), std::string::npos) << s.reason;
  EXPECT_NE(s.reason.find("fatalities differ (3; 0)"), std::string::npos) << s.reason;
  auto placed = ById(matcher_.MatchAll({Acled(1, "SYR1", Saraqib()), protest}, {}));
  EXPECT_EQ(placed[2].incident_id, 2);
}

TEST_F(MatcherTest, KnownDisjointActorsAreVetoed) {
  // A communal clash beside an army operation, in one town on one day, both
  // observed: the place, the day and the type would merge them; the actors,
  // known on both sides and none in common, do not.
  model::Report army = Observation(1, Saraqib());
  army.event_type = "Battles";
  army.sub_event_type = "Armed clash";
  army.actor1 = "Military Forces of Syria (2000-)";
  army.actor2 = "Hayat Tahrir al-Sham";
  army.uncertainty_m = 2000;
  model::Report clan = army;
  clan.id = clan.record_id = 2;
  clan.source_id = "obs-2";
  clan.point = Away(900);
  clan.actor1 = "Communal Militia (Syria)";
  clan.actor2 = "Clan Militia (Syria)";
  const PairScore s = matcher_.Score(army, clan);
  EXPECT_FALSE(s.allowed);
  EXPECT_EQ(s.reason,
            "Military Forces of Syria, Hayat Tahrir al-Sham vs Communal Militia, Clan Militia: no actor in common");
  auto placed = ById(matcher_.MatchAll({army, clan}, {}));
  EXPECT_EQ(placed[2].incident_id, 2);

  // Without the veto the same pair merges: the veto is what keeps them apart.
  auto config = std::make_shared<Config>(*config_);
  config->disjoint_veto = false;
  const PairScore without = Matcher(config, nullptr).Score(army, clan);
  EXPECT_TRUE(without.allowed);
  EXPECT_GE(without.score, config->threshold) << without.reason;

  // One row of ACLED told in two (a row per actor, as monadic files have
  // it) is one happening whatever its actor columns say.
  model::Report rioters = Acled(3, "BGD1", Saraqib());
  rioters.actor1 = "Rioters (Bangladesh)";
  rioters.actor2.clear();
  model::Report civilians = rioters;
  civilians.id = civilians.record_id = 4;
  civilians.actor1 = "Civilians (Bangladesh)";
  EXPECT_TRUE(matcher_.Score(rioters, civilians).allowed);
}

TEST_F(MatcherTest, NewsMergesWithAnyDatasetAndOtherNews) {
  const std::vector<model::Report> reports = {Acled(1, "SYR1", Saraqib()), News(2, 20, "Reuters", Away(2000)),
                                              News(3, 30, "AFP", Away(2500, 180))};
  auto placed = ById(matcher_.MatchAll(reports, {}));
  EXPECT_EQ(placed[2].incident_id, 1);
  EXPECT_EQ(placed[3].incident_id, 1);
  EXPECT_NE(placed[2].reason.find("Syrian army ~ Military Forces of Syria"), std::string::npos) << placed[2].reason;
}

TEST_F(MatcherTest, TwoEventsOfOneArticleStayApart) {
  const PairScore s = matcher_.Score(News(2, 20, "Reuters", Saraqib()), News(3, 20, "Reuters", Saraqib()));
  EXPECT_FALSE(s.allowed);
  EXPECT_NE(s.reason.find("one source record"), std::string::npos);
}

TEST_F(MatcherTest, CuratedRowsNeverShareAnIncidentEvenThroughOthers) {
  // Two ACLED rows of one place and day: ACLED de-duplicates its own data.
  const PairScore s = matcher_.Score(Acled(1, "SYR1", Saraqib()), Acled(2, "SYR2", Away(500)));
  EXPECT_FALSE(s.allowed);
  EXPECT_EQ(s.reason, "two ACLED rows (SYR1, SYR2): a curated dataset's own rows are never merged");
  // The same row in two vintages (one id) may.
  EXPECT_TRUE(matcher_.Score(Acled(1, "SYR1", Saraqib()), Acled(2, "SYR1", Saraqib())).allowed);

  // A news report and a UCDP row match both ACLED rows: the group still
  // never holds the two.
  const std::vector<model::Report> reports = {Acled(1, "SYR1", Saraqib()), Acled(2, "SYR2", Away(400)),
                                              News(3, 30, "Reuters", Away(200)), Ucdp(4, "342211", Away(300))};
  auto placed = ById(matcher_.MatchAll(reports, {}));
  EXPECT_NE(placed[1].incident_id, placed[2].incident_id);
  EXPECT_TRUE(placed[3].incident_id == placed[1].incident_id || placed[3].incident_id == placed[2].incident_id);
  EXPECT_TRUE(placed[4].incident_id == placed[1].incident_id || placed[4].incident_id == placed[2].incident_id);
}

TEST_F(MatcherTest, AnalystLinkJoinsWhatTheMatcherKeepsApart) {
  const std::vector<model::Report> reports = {Acled(1, "SYR1", Saraqib()), Ucdp(2, "342211", Away(90000), 2000)};
  auto placed = ById(matcher_.MatchAll(reports, {{true, 2, 1, "analyst ana at 2026-01-02T10:00:00Z"}}));
  EXPECT_EQ(placed[2].incident_id, 1);
  EXPECT_EQ(placed[2].decided_by, "analyst ana at 2026-01-02T10:00:00Z");
  EXPECT_EQ(placed[2].reason, "linked with ACLED SYR1 (report 1) by the analyst");
  EXPECT_EQ(placed[2].score, 1);
  // Even two rows of one curated dataset: the analyst decides last.
  placed = ById(matcher_.MatchAll({Acled(1, "SYR1", Saraqib()), Acled(2, "SYR2", Saraqib())},
                                  {{true, 1, 2, "analyst ana at 2026-01-02T10:00:00Z"}}));
  EXPECT_EQ(placed[2].incident_id, 1);
}

TEST_F(MatcherTest, UnlinkKeepsApartAndTheLatestDecisionWins) {
  const std::vector<model::Report> reports = {Acled(1, "SYR1", Saraqib()), Ucdp(2, "342211", Away(3100)),
                                              News(3, 30, "Reuters", Away(1000))};
  EXPECT_EQ(ById(matcher_.MatchAll(reports, {}))[2].incident_id, 1);

  const Override unlink{false, 1, 2, "analyst ana at 2026-01-02T10:00:00Z"};
  const Override link{true, 2, 1, "analyst bo at 2026-01-03T10:00:00Z"};
  auto apart = ById(matcher_.MatchAll(reports, {unlink}));
  // No path joins 1 and 2, not even through the news report that matches both.
  EXPECT_NE(apart[1].incident_id, apart[2].incident_id);

  auto together = ById(matcher_.MatchAll(reports, {unlink, link}));
  EXPECT_EQ(together[2].incident_id, 1);
  EXPECT_EQ(together[2].decided_by, "analyst bo at 2026-01-03T10:00:00Z");

  auto apart_again = ById(matcher_.MatchAll(reports, {link, unlink}));
  EXPECT_NE(apart_again[1].incident_id, apart_again[2].incident_id);
}

TEST_F(MatcherTest, GroupingDoesNotDependOnInputOrder) {
  std::vector<model::Report> reports = {Acled(1, "SYR1", Saraqib()), Acled(2, "SYR2", Away(400)),
                                        News(3, 30, "Reuters", Away(200)), Ucdp(4, "342211", Away(300)),
                                        News(5, 50, "AFP", Away(250, 0)), Ucdp(6, "9", Away(60000), 2000)};
  const std::vector<Placement> first = matcher_.MatchAll(reports, {});
  std::mt19937 rng(7);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(reports.begin(), reports.end(), rng);
    const std::vector<Placement> again = matcher_.MatchAll(reports, {});
    ASSERT_EQ(again.size(), first.size());
    for (std::size_t i = 0; i < first.size(); ++i) {
      EXPECT_EQ(again[i].report_id, first[i].report_id);
      EXPECT_EQ(again[i].incident_id, first[i].incident_id);
      EXPECT_EQ(again[i].reason, first[i].reason);
    }
  }
}

TEST_F(MatcherTest, MatchNewJoinsAnExistingIncidentButNeverMergesTwo) {
  // Known: ACLED 1 and UCDP 2 of one incident (1); ACLED 3 alone, 6 km east.
  const std::vector<model::Report> known = {Acled(1, "SYR1", Saraqib()), Ucdp(2, "342211", Away(3100)),
                                            Acled(3, "SYR3", Away(6000))};
  const std::vector<Placement> current = {{1, 1, 1, "", "matcher"}, {2, 1, 0.9, "...", "matcher"},
                                          {3, 3, 1, "", "matcher"}};
  // Fresh: a news report between the two incidents, and two news reports of
  // something 80 km away.
  model::Report far_a = News(5, 50, "Reuters", Away(80000)), far_b = News(6, 60, "AFP", Away(81000));
  const std::vector<model::Report> fresh = {News(4, 40, "Reuters", Away(3000)), far_a, far_b};
  auto placed = ById(matcher_.MatchNew(known, current, fresh, {}));
  ASSERT_EQ(placed.size(), 3u);
  EXPECT_TRUE(placed[4].incident_id == 1 || placed[4].incident_id == 3);
  EXPECT_NE(placed[4].reason, "");
  EXPECT_EQ(placed[5].incident_id, 5);
  EXPECT_EQ(placed[6].incident_id, 5);
  EXPECT_EQ(placed[5].reason, "");
  EXPECT_NE(placed[6].reason.find("with news report 5: "), std::string::npos) << placed[6].reason;

  // What MatchAll would do: 1 and 3 are both ACLED, so never one incident
  // either way; MatchNew did not try.
  auto all = ById(matcher_.MatchAll([&] {
    std::vector<model::Report> v = known;
    v.insert(v.end(), fresh.begin(), fresh.end());
    return v;
  }(), {}));
  EXPECT_NE(all[1].incident_id, all[3].incident_id);
}

TEST_F(MatcherTest, MatchNewKeepsTwoExistingIncidentsApartEvenWhenTheyMatch) {
  // Known: a news report and a UCDP row of one happening, stored apart (an
  // analyst split them, say). A fresh report matching both joins one only.
  const std::vector<model::Report> known = {News(1, 10, "Reuters", Saraqib()), Ucdp(2, "342211", Away(500))};
  const std::vector<Placement> current = {{1, 1, 1, "", "matcher"}, {2, 2, 1, "", "matcher"}};
  auto placed = ById(matcher_.MatchNew(known, current, {Acled(3, "SYR3", Away(200))}, {}));
  ASSERT_EQ(placed.size(), 1u);
  EXPECT_TRUE(placed[3].incident_id == 1 || placed[3].incident_id == 2);
  // A link between the two existing incidents waits for MatchAll.
  placed = ById(matcher_.MatchNew(known, current, {Acled(3, "SYR3", Away(90000), 2000)},
                                  {{true, 1, 2, "analyst ana at t"}, {true, 3, 2, "analyst ana at t"}}));
  EXPECT_EQ(placed[3].incident_id, 2);
  EXPECT_EQ(placed[3].decided_by, "analyst ana at t");
}

// Reports of a few happenings a few km apart over two weeks, of every
// dataset, ids 1..n: enough chains that placement order could matter.
std::vector<model::Report> RandomReports(int n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> metres(0, 12000), azimuth(0, 360);
  std::uniform_int_distribution<int> day(0, 13), kind(0, 2), fatalities(0, 6);
  std::vector<model::Report> out;
  for (int id = 1; id <= n; ++id) {
    const geo::LatLon at = Away(metres(rng), azimuth(rng));
    const int k = kind(rng);
    model::Report r = k == 0 ? Acled(id, "SYR" + std::to_string(id), at)
                      : k == 1 ? Ucdp(id, std::to_string(900 + id), at)
                               : News(id, 1000 + id / 2, "Outlet " + std::to_string(id % 3), at);
    r.time.first_day = r.time.last_day = Day("2020-03-01") + std::chrono::days{day(rng)};
    r.fatalities = fatalities(rng);
    out.push_back(std::move(r));
  }
  return out;
}

void ExpectSamePlacements(const std::vector<Placement>& got, const std::vector<Placement>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].report_id, want[i].report_id);
    EXPECT_EQ(got[i].incident_id, want[i].incident_id) << "report " << want[i].report_id;
    EXPECT_EQ(got[i].score, want[i].score) << "report " << want[i].report_id;
    EXPECT_EQ(got[i].reason, want[i].reason);
    EXPECT_EQ(got[i].decided_by, want[i].decided_by);
  }
}

// NewReports (what an ingest feeds a batch at a time, keeping only what
// matching reads of each report) places exactly as MatchNew and, with no
// known reports, as MatchAll: whatever the order the fresh reports come in
// and however they mix with the known ones.
TEST_F(MatcherTest, NewReportsPlaceAsMatchNewAndMatchAllInAnyOrder) {
  const std::vector<model::Report> all = RandomReports(120, 11);
  const std::vector<model::Report> known(all.begin(), all.begin() + 60), fresh(all.begin() + 60, all.end());
  const std::vector<Placement> current = matcher_.MatchAll(known, {});
  const std::vector<Override> overrides = {{false, 61, 62, "analyst a at t"}, {true, 70, 3, "analyst a at t"}};
  const std::vector<Placement> want = matcher_.MatchNew(known, current, fresh, overrides);
  // The case is worth testing: fresh reports join existing incidents, and
  // make new ones of several reports.
  std::set<std::int64_t> joined_known, new_groups;
  for (const Placement& p : want) {
    if (p.incident_id <= 60) joined_known.insert(p.report_id);
    if (p.incident_id > 60 && p.incident_id != p.report_id) new_groups.insert(p.incident_id);
  }
  EXPECT_GE(joined_known.size(), 5u);
  EXPECT_GE(new_groups.size(), 3u);

  std::mt19937 rng(5);
  for (int round = 0; round < 4; ++round) {
    std::vector<model::Report> shuffled = fresh;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    NewReports run = matcher_.StartNew();
    std::size_t k = 0, f = 0;
    std::bernoulli_distribution pick_known(0.5);
    while (k < known.size() || f < shuffled.size()) {
      if (f == shuffled.size() || (k < known.size() && pick_known(rng))) {
        const model::Report& r = known[k++];
        std::int64_t incident = r.id;
        for (const Placement& p : current) incident = p.report_id == r.id ? p.incident_id : incident;
        run.AddKnown(r, incident);
      } else {
        run.AddFresh(shuffled[f++]);
      }
    }
    EXPECT_EQ(run.size(), all.size());
    ExpectSamePlacements(run.Place(overrides), want);
    EXPECT_TRUE(run.Place(overrides).empty());  // once

    NewReports alone = matcher_.StartNew();
    std::vector<model::Report> every = all;
    std::shuffle(every.begin(), every.end(), rng);
    for (const model::Report& r : every) alone.AddFresh(r);
    ExpectSamePlacements(alone.Place({}), matcher_.MatchAll(all, {}));
  }
}

TEST_F(MatcherTest, MatchNewHonoursUnlinks) {
  const std::vector<model::Report> known = {Acled(1, "SYR1", Saraqib())};
  const std::vector<Placement> current = {{1, 1, 1, "", "matcher"}};
  auto placed = ById(matcher_.MatchNew(known, current, {Ucdp(2, "342211", Away(3100))}, {}));
  EXPECT_EQ(placed[2].incident_id, 1);
  placed = ById(matcher_.MatchNew(known, current, {Ucdp(2, "342211", Away(3100))}, {{false, 1, 2, "analyst a at t"}}));
  EXPECT_EQ(placed[2].incident_id, 2);
}

// The index finds every pair within the day gap and the radii: compared with
// all pairs on random reports of every radius, with windows of a day to a month.
TEST(CandidateIndexTest, FindsEveryPairAllPairsWould) {
  auto config = RepoConfig();
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> lat(35.0, 37.0), lon(36.0, 38.0), north(55.0, 62.0);
  const double radii[] = {500, 2000, 5000, 10000, 25000, 50000, 100000};
  std::vector<Features> features(3000);
  for (std::size_t k = 0; k < features.size(); ++k) {
    Features& f = features[k];
    f.lat_deg = k % 3 == 0 ? north(rng) : lat(rng);  // and far north, where degrees of longitude are short
    f.lon_deg = lon(rng);
    f.cos_lat = std::cos(f.lat_deg * 3.14159265358979323846 / 180);
    f.radius_m = radii[rng() % 7];
    f.first_day = 18300 + static_cast<int>(rng() % 40);
    const int spans[] = {0, 0, 0, 6, 30};
    f.last_day = f.first_day + spans[rng() % 5];
  }
  const CandidateIndex index(features, config->max_day_gap, config->distance_slack_m);
  std::set<std::pair<std::uint32_t, std::uint32_t>> found;
  std::vector<std::uint32_t> seen(features.size(), 0);
  for (std::uint32_t i = 0; i < features.size(); ++i) {
    index.ForEachCandidate(i, &seen, i + 1, [&](std::uint32_t j) {
      EXPECT_TRUE(found.insert({std::min(i, j), std::max(i, j)}).second) << "pair reported twice";
    });
  }
  int expected = 0;
  for (std::uint32_t i = 0; i < features.size(); ++i) {
    for (std::uint32_t j = i + 1; j < features.size(); ++j) {
      const Features &a = features[i], &b = features[j];
      const int gap = std::max(a.first_day, b.first_day) - std::min(a.last_day, b.last_day);
      if (gap > config->max_day_gap) continue;
      const double d = SphereDistanceM(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg);
      if (d > a.radius_m + b.radius_m + config->distance_slack_m) continue;
      ++expected;
      EXPECT_TRUE(found.count({i, j})) << i << " " << j << " " << d;
    }
  }
  EXPECT_GT(expected, 1000);  // the case is not empty
}

}  // namespace
}  // namespace truce::reconcile
