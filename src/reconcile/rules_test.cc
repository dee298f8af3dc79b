// The matcher's rules for how datasets code events: GDELT's news lag, its
// missing death count and CAMEO actor codes; UCDP's and ACLED's actor names;
// the veto of known disjoint actors; complete linkage. Each test shows the
// rule deciding: with it off (or the input changed) the outcome changes.
#include <gtest/gtest.h>

#include <map>

#include "config.h"
#include "testing.h"

namespace truce::reconcile {
namespace {

using testing::Acled;
using testing::Away;
using testing::ById;
using testing::Day;
using testing::News;
using testing::Observation;
using testing::RepoConfig;
using testing::Saraqib;
using testing::Ucdp;

// A GDELT event as the reader makes it: no death count (0), the CAMEO actor
// codes in the notes, a city point (5 km).
model::Report Gdelt(std::int64_t id, const char* day, geo::LatLon at, const std::string& code1,
                    const std::string& name1, const std::string& code2 = "", const std::string& name2 = "") {
  model::Report r;
  r.id = r.record_id = id;
  r.dataset = "gdelt";
  r.source_id = std::to_string(1100000000 + id);
  r.time.first_day = r.time.last_day = Day(day);
  r.native_code = "194";
  r.event_type = "Explosions/Remote violence";
  r.sub_event_type = "Shelling/artillery/missile attack";
  r.iso3 = "SYR";
  r.country = "Syria";
  r.point = at;
  r.uncertainty_m = 5000;
  r.actor1 = name1;
  r.actor2 = name2;
  r.notes = "EventCode=194; Actor1Code=" + code1 + (code2.empty() ? "" : "; Actor2Code=" + code2);
  return r;
}

class RulesTest : public ::testing::Test {
 protected:
  std::shared_ptr<const Config> config_ = RepoConfig();
  Matcher matcher_{config_, nullptr};
  std::shared_ptr<Config> Changed() { return std::make_shared<Config>(*config_); }
};

TEST_F(RulesTest, GdeltDatesReachBackItsNewsLag) {
  const model::Report acled = Acled(1, "SYR1", Saraqib());  // 2020-03-05
  const double same_day = matcher_.Score(acled, Gdelt(2, "2020-03-05", Away(1000), "SYRMIL", "SYRIA")).score;
  const PairScore next_day = matcher_.Score(acled, Gdelt(2, "2020-03-06", Away(1000), "SYRMIL", "SYRIA"));
  const double two_later = matcher_.Score(acled, Gdelt(2, "2020-03-07", Away(1000), "SYRMIL", "SYRIA")).score;
  const double day_before = matcher_.Score(acled, Gdelt(2, "2020-03-04", Away(1000), "SYRMIL", "SYRIA")).score;
  EXPECT_DOUBLE_EQ(next_day.score, same_day);
  EXPECT_DOUBLE_EQ(two_later, same_day);
  EXPECT_LT(day_before, same_day);  // the news does not come before the happening
  EXPECT_NE(next_day.reason.find("GDELT dated 1 day later (its dates are the news', up to 2 days late)"),
            std::string::npos)
      << next_day.reason;
  // Three days late is still a candidate (max_day_gap counts from the lag).
  EXPECT_TRUE(matcher_.Score(acled, Gdelt(2, "2020-03-08", Away(1000), "SYRMIL", "SYRIA")).allowed);

  auto no_lag = Changed();
  no_lag->datasets["gdelt"].date_lag_days = 0;
  EXPECT_LT(Matcher(no_lag, nullptr).Score(acled, Gdelt(2, "2020-03-06", Away(1000), "SYRMIL", "SYRIA")).score,
            next_day.score);
}

TEST_F(RulesTest, GdeltsMissingDeathCountIsUnknownNotNone) {
  model::Report acled = Acled(1, "SYR1", Saraqib());
  const model::Report gdelt = Gdelt(2, "2020-03-05", Away(1000), "SYRMIL", "SYRIA");
  const PairScore three = matcher_.Score(acled, gdelt);
  acled.fatalities = 40;
  const PairScore forty = matcher_.Score(acled, gdelt);
  EXPECT_DOUBLE_EQ(three.score, forty.score);
  EXPECT_NE(three.reason.find("no fatality count from GDELT"), std::string::npos) << three.reason;

  auto counted = Changed();
  counted->datasets["gdelt"].counts_fatalities = true;
  EXPECT_LT(Matcher(counted, nullptr).Score(acled, gdelt).score, forty.score);
}

TEST_F(RulesTest, CameoActorCodesNameTheirRoles) {
  model::Report ucdp = Ucdp(1, "342211", Saraqib());  // Government of Syria / HTS
  const PairScore army = matcher_.Score(ucdp, Gdelt(2, "2020-03-05", Away(1000), "SYRMIL", "SYRIA"));
  EXPECT_NE(army.reason.find("Government of Syria ~ SYRIA"), std::string::npos) << army.reason;
  // A foreign army is not the state forces of the country it is in.
  const PairScore foreign = matcher_.Score(ucdp, Gdelt(2, "2020-03-05", Away(1000), "TURMIL", "TURKEY"));
  EXPECT_EQ(foreign.reason.find("~ TURKEY"), std::string::npos) << foreign.reason;
  EXPECT_LT(foreign.score, army.score);

  // OPP is a demonstration's crowd: protesters, or rioters when the event is
  // 145 (protest violently, riot).
  model::Report protest = Observation(3, Saraqib());
  protest.event_type = "Protests";
  protest.sub_event_type = "Peaceful protest";
  protest.actor1 = "Protesters (Syria)";
  model::Report crowd = Gdelt(4, "2020-03-05", Away(800), "SYROPP", "PROTESTER");
  crowd.native_code = "141";
  EXPECT_NE(matcher_.Score(protest, crowd).reason.find("Protesters ~ PROTESTER"), std::string::npos);
  crowd.native_code = "145";
  const PairScore riot = matcher_.Score(protest, crowd);
  EXPECT_FALSE(riot.allowed);
  EXPECT_EQ(riot.reason, "Protesters vs PROTESTER: no actor in common");
}

TEST_F(RulesTest, StateAndGroupNamesAcrossDatasets) {
  struct Case {
    const char* acled;
    const char* ucdp;
  };
  const Case cases[] = {
      {"Police Forces of Kenya (2013-)", "Government of Kenya"},
      {"Military Forces of Libya (2014-) Special Forces", "Government of Libya"},
      {"Military Forces of Democratic Republic of Congo (2001-)", "Government of DR Congo (Zaire)"},
      {"NDC-C: Nduma Defense of Congo (Cheka)", "NDC-C"},
      {"Syrian army", "Government of Syria"},  // Syria's list holds "Military Forces of Syria"
  };
  for (const Case& c : cases) {
    model::Report a = Acled(1, "X1", Saraqib());
    a.actor1 = c.acled;
    a.actor2.clear();
    model::Report u = Ucdp(2, "1", Away(1000));
    u.actor1 = c.ucdp;
    u.actor2.clear();
    const PairScore s = matcher_.Score(a, u);
    EXPECT_TRUE(s.allowed) << c.acled << ": " << s.reason;
    EXPECT_EQ(s.reason.find("no actor in common"), std::string::npos) << s.reason;
    EXPECT_EQ(s.reason.find("different actors"), std::string::npos) << s.reason;
  }
  // Not any two states: Kenya's police are not Somalia's government.
  model::Report a = Acled(1, "X1", Saraqib());
  a.actor1 = "Police Forces of Kenya (2013-)";
  a.actor2.clear();
  model::Report u = Ucdp(2, "1", Away(1000));
  u.actor1 = "Government of Somalia";
  u.actor2.clear();
  EXPECT_FALSE(matcher_.Score(a, u).allowed);
}

TEST_F(RulesTest, NewsActorsAreFreeTextAndDoNotVeto) {
  model::Report news = News(2, 20, "Reuters", Away(1000));
  news.actor1 = "fighters";
  const PairScore s = matcher_.Score(Acled(1, "SYR1", Saraqib()), news);
  EXPECT_TRUE(s.allowed) << s.reason;
  EXPECT_NE(s.reason.find("different actors"), std::string::npos) << s.reason;
}

TEST_F(RulesTest, AVagueReportDoesNotChainTwoHappenings) {
  // Two observed shellings 20 km apart, and a news report placed at the
  // province (50 km) between them that matches each.
  model::Report west = Observation(1, Away(10000, 270));
  model::Report east = Observation(2, Away(10000, 90));
  model::Report vague = News(3, 30, "Reuters", Saraqib());
  vague.uncertainty_m = 50000;
  vague.actor1.clear();
  vague.fatalities = 0;
  ASSERT_FALSE(matcher_.Score(west, east).allowed);
  ASSERT_TRUE(matcher_.Score(west, vague).allowed);
  ASSERT_GE(matcher_.Score(east, vague).score, config_->threshold);
  auto placed = ById(matcher_.MatchAll({west, east, vague}, {}));
  EXPECT_NE(placed[1].incident_id, placed[2].incident_id);

  auto single = Changed();
  single->group_floor = 0;
  auto chained = ById(Matcher(single, nullptr).MatchAll({west, east, vague}, {}));
  EXPECT_EQ(chained[1].incident_id, chained[2].incident_id);
}

TEST_F(RulesTest, AVaguePointIsNotPenalisedForItsVagueness) {
  // A province's centroid (50 km) 35 or 45 km from the town the happening
  // was in: inside its radius either way, and it cannot tell which.
  const model::Report acled = Acled(1, "SYR1", Saraqib(), 2000);
  model::Report province = Gdelt(2, "2020-03-05", Away(35000), "SYRMIL", "SYRIA");
  province.uncertainty_m = 50000;
  const PairScore at35 = matcher_.Score(acled, province);
  province.point = Away(45000);
  const PairScore at45 = matcher_.Score(acled, province);
  EXPECT_TRUE(at45.allowed);
  EXPECT_DOUBLE_EQ(at35.score, at45.score);
  EXPECT_GE(at45.score, config_->threshold) << at45.reason;

  // Linear in the distance, the province's vagueness counts against it.
  auto linear = Changed();
  linear->within_radius = 0;
  EXPECT_LT(Matcher(linear, nullptr).Score(acled, province).score, config_->threshold);
}

TEST_F(RulesTest, GdeltRowsAreNotMergedWithEachOther) {
  // GDELT 2.0 files a repeat article about an event as a mention, not an
  // event: two of its events are two happenings as GDELT saw them.
  const auto placed = ById(matcher_.MatchAll({Gdelt(1, "2020-03-05", Saraqib(), "SYRMIL", "SYRIA"),
                                              Gdelt(2, "2020-03-05", Away(500), "SYRMIL", "SYRIA")},
                                             {}));
  EXPECT_NE(placed.at(1).incident_id, placed.at(2).incident_id);
}

}  // namespace
}  // namespace truce::reconcile
