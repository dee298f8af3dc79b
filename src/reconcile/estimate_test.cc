#include <gtest/gtest.h>

#include <cmath>
#include <tuple>

#include "testing.h"

namespace truce::reconcile {
namespace {

using namespace testing;

model::Incident Of(const std::vector<model::Report>& reports, const std::vector<model::Claim>& claims,
                   const Config& config, std::vector<Placement> placements = {}) {
  if (placements.empty()) {
    for (const model::Report& r : reports) placements.push_back({r.id, reports.front().id, 0.8, "why", "matcher"});
  }
  std::vector<const model::Report*> rp;
  std::vector<const Placement*> pp;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    rp.push_back(&reports[i]);
    pp.push_back(&placements[i]);
  }
  return Estimate(rp, pp, claims, config);
}

class EstimateTest : public ::testing::Test {
 protected:
  std::shared_ptr<const Config> config_ = RepoConfig();
};

TEST_F(EstimateTest, AloneIsItself) {
  const model::Report r = Acled(7, "SYR7", Saraqib());
  const model::Incident in = Of({r}, {}, *config_);
  EXPECT_EQ(in.id, 7);
  EXPECT_EQ(in.estimate.dataset, "acled");
  EXPECT_EQ(in.estimate.source_id, "SYR7");
  EXPECT_EQ(in.support, model::Support::kSingle);
  EXPECT_EQ(in.independent_sources, 1);
  ASSERT_EQ(in.sources.size(), 1u);
  EXPECT_EQ(in.sources[0].grade, "B");
  EXPECT_EQ(in.sources[0].reason, "");
  EXPECT_EQ(in.fatalities_low, 3);
  EXPECT_EQ(in.fatalities_high, 3);
  EXPECT_EQ(ReportedBy(in), "ACLED SYR7");
  EXPECT_EQ(Grades(in), "ACLED B");
}

// Every field of two reports, for EstimateIsReport's promise.
void ExpectSameReport(const model::Report& a, const model::Report& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.record_id, b.record_id);
  EXPECT_EQ(a.dataset, b.dataset);
  EXPECT_EQ(a.source_id, b.source_id);
  EXPECT_EQ(a.time.first_day, b.time.first_day);
  EXPECT_EQ(a.time.last_day, b.time.last_day);
  EXPECT_EQ(a.time.precision, b.time.precision);
  EXPECT_EQ(a.time.exact, b.time.exact);
  EXPECT_EQ(std::tie(a.event_type, a.sub_event_type, a.native_code), std::tie(b.event_type, b.sub_event_type, b.native_code));
  EXPECT_EQ(std::tie(a.actor1, a.assoc_actor1, a.actor2, a.assoc_actor2),
            std::tie(b.actor1, b.assoc_actor1, b.actor2, b.assoc_actor2));
  EXPECT_EQ(std::tie(a.country, a.iso3, a.admin1, a.admin2, a.admin3, a.location),
            std::tie(b.country, b.iso3, b.admin1, b.admin2, b.admin3, b.location));
  EXPECT_EQ(a.point.lat_deg, b.point.lat_deg);
  EXPECT_EQ(a.point.lon_deg, b.point.lon_deg);
  EXPECT_EQ(a.uncertainty_m, b.uncertainty_m);
  EXPECT_EQ(std::tie(a.geo_precision, a.time_precision), std::tie(b.geo_precision, b.time_precision));
  ASSERT_EQ(a.track.size(), b.track.size());
  for (std::size_t i = 0; i < a.track.size(); ++i) {
    ASSERT_EQ(a.track[i].size(), b.track[i].size());
    for (std::size_t j = 0; j < a.track[i].size(); ++j) {
      EXPECT_EQ(a.track[i][j].lat_deg, b.track[i][j].lat_deg);
      EXPECT_EQ(a.track[i][j].lon_deg, b.track[i][j].lon_deg);
    }
  }
  EXPECT_EQ(std::tie(a.fatalities, a.fatalities_low, a.fatalities_high),
            std::tie(b.fatalities, b.fatalities_low, b.fatalities_high));
  EXPECT_EQ(std::tie(a.source, a.notes), std::tie(b.source, b.notes));
  EXPECT_EQ(std::tie(a.span_begin, a.span_end), std::tie(b.span_begin, b.span_end));
  EXPECT_EQ(a.confidence, b.confidence);
}

// Ruling rules an incident of one report as that report, unestimated: the
// estimate must be that report, field for field.
TEST_F(EstimateTest, EstimateOfOneReportIsThatReport) {
  model::Report ucdp = Ucdp(2, "342211", Saraqib(), 25000);
  ucdp.time.first_day = Day("2020-03-02");
  ucdp.time.last_day = Day("2020-03-08");
  ucdp.time.precision = time::TimePrecision::kWeek;
  ucdp.fatalities_low = 2;
  ucdp.fatalities_high = 9;
  ucdp.track = {{Saraqib(), Away(900)}};
  ucdp.notes = "a patrol";
  ucdp.assoc_actor1 = "X";
  model::Report news = News(3, 30, "Enab Baladi", Away(500));
  news.span_begin = 4;
  news.span_end = 40;
  news.confidence = 0.41;
  for (const model::Report& r : {Acled(7, "SYR7", Saraqib()), ucdp, news}) {
    const std::vector<const model::Report*> one = {&r};
    ASSERT_EQ(EstimateIsReport(one), &r);
    ExpectSameReport(Of({r}, {}, *config_).estimate, r);
  }
  // Not when the estimate differs: two reports, a confidence it clamps.
  const model::Report a = Acled(7, "SYR7", Saraqib()), b = Acled(8, "SYR8", Saraqib());
  EXPECT_EQ(EstimateIsReport({&a, &b}), nullptr);
  EXPECT_EQ(EstimateIsReport({}), nullptr);
  for (double c : {-0.5, -0.0, std::nan("")}) {
    model::Report odd = a;
    odd.confidence = c;
    EXPECT_EQ(EstimateIsReport({&odd}), nullptr) << c;
    EXPECT_FALSE(std::signbit(Of({odd}, {}, *config_).estimate.confidence)) << c;
  }
}

TEST_F(EstimateTest, RangeFiguresPlaceAndTightestWindow) {
  model::Report acled = Acled(1, "AFG44612", Away(1000), 2000);
  model::Report ucdp = Ucdp(2, "342211", Saraqib(), 25000);
  ucdp.time.first_day = Day("2020-03-02");
  ucdp.time.last_day = Day("2020-03-08");
  ucdp.time.precision = time::TimePrecision::kWeek;
  model::Report news = News(3, 30, "Enab Baladi", Away(500));
  news.time.first_day = Day("2020-03-04");
  news.time.last_day = Day("2020-03-06");
  model::Report ministry = News(4, 40, "SANA", Away(700));
  const std::vector<model::Claim> claims = {Killed(11, 30, "Syrian Observatory for Human Rights", 5, "at_least"),
                                            Killed(12, 40, "the defence ministry", 0)};
  const model::Incident in = Of({ucdp, acled, news, ministry}, claims, *config_);

  EXPECT_EQ(in.id, 1);  // the smallest report id leads, whatever the order given
  EXPECT_EQ(in.estimate.id, 1);
  EXPECT_EQ(in.estimate.dataset, "reconciled");
  // Place: ACLED's 2 km is the most precise.
  EXPECT_EQ(in.estimate.point, acled.point);
  EXPECT_EQ(in.estimate.uncertainty_m, 2000);
  // Time: the day all windows share.
  EXPECT_EQ(in.estimate.time.first_day, Day("2020-03-05"));
  EXPECT_EQ(in.estimate.time.last_day, Day("2020-03-05"));
  EXPECT_EQ(in.estimate.time.precision, time::TimePrecision::kDay);
  // Type and actors: ACLED's, the most specific.
  EXPECT_EQ(in.estimate.sub_event_type, "Shelling/artillery/missile attack");
  EXPECT_EQ(in.estimate.actor1, "Military Forces of Syria (2000-)");
  // Fatalities: the range of every figure, never an average; best from the
  // most reliable source (ACLED B before UCDP B by id, news C).
  EXPECT_EQ(in.fatalities_low, 0);
  EXPECT_EQ(in.fatalities_high, 6);
  EXPECT_EQ(in.estimate.fatalities, 3);
  ASSERT_EQ(in.figures.size(), 4u);
  EXPECT_EQ(in.figures[0].source, "ACLED AFG44612");
  EXPECT_EQ(*in.figures[0].best, 3);
  EXPECT_EQ(in.figures[1].source, "UCDP 342211");
  EXPECT_EQ(*in.figures[1].best, 4);
  EXPECT_EQ(*in.figures[1].low, 2);
  EXPECT_EQ(*in.figures[1].high, 6);
  EXPECT_EQ(in.figures[2].source, "Syrian Observatory for Human Rights");
  EXPECT_EQ(*in.figures[2].best, 5);
  EXPECT_EQ(in.figures[2].qualifier, "at_least");
  EXPECT_EQ(in.figures[3].source, "the defence ministry");
  EXPECT_EQ(*in.figures[3].best, 0);

  EXPECT_EQ(ReportedBy(in), "ACLED AFG44612, UCDP 342211 and 2 news reports");
  EXPECT_EQ(Grades(in), "ACLED B, UCDP B, news C, news D");
  EXPECT_EQ(in.support, model::Support::kCorroborated);
  EXPECT_EQ(in.independent_sources, 4);
  ASSERT_EQ(in.sources.size(), 4u);
  EXPECT_EQ(in.sources[0].report_id, 1);
  EXPECT_EQ(in.sources[0].reason, "");
  EXPECT_EQ(in.sources[1].reason, "why");
}

TEST_F(EstimateTest, WindowsThatDisagreeTakeTheMostPrecise) {
  model::Report a = News(1, 10, "Reuters", Saraqib());
  a.time.first_day = a.time.last_day = Day("2020-03-04");
  model::Report b = Acled(2, "SYR2", Saraqib());  // 2020-03-05
  const model::Incident in = Of({a, b}, {}, *config_);
  EXPECT_EQ(in.estimate.time.first_day, Day("2020-03-04"));  // both one day: the smaller id

  model::Report week = Ucdp(3, "9", Saraqib());
  week.time.first_day = Day("2020-03-06");
  week.time.last_day = Day("2020-03-12");
  const model::Incident in2 = Of({week, b}, {}, *config_);
  EXPECT_EQ(in2.estimate.time.first_day, Day("2020-03-05"));
}

TEST_F(EstimateTest, TwoNewsReportsQuotingOneMonitorAreOneSource) {
  const model::Report a = News(1, 10, "Reuters", Saraqib()), b = News(2, 20, "AFP", Away(800));
  const std::vector<model::Claim> claims = {Killed(1, 10, "Syrian Observatory for Human Rights", 5),
                                            Killed(2, 20, "the Syrian Observatory for Human Rights", 6)};
  // "the" is a word of the name: only equal names after folding count once.
  model::Incident in = Of({a, b}, claims, *config_);
  EXPECT_EQ(in.independent_sources, 2);
  const std::vector<model::Claim> same = {Killed(1, 10, "Syrian Observatory for Human Rights", 5),
                                          Killed(2, 20, "Syrian Observatory for Human Rights (SOHR)", 6)};
  in = Of({a, b}, same, *config_);
  EXPECT_EQ(in.independent_sources, 1);
  EXPECT_EQ(in.support, model::Support::kSingle);
  EXPECT_EQ(in.sources[0].independent_of, in.sources[1].independent_of);
  EXPECT_EQ(ReportedBy(in), "2 news reports");

  // Without a quoted claimant, the outlets are the originals.
  in = Of({a, b}, {}, *config_);
  EXPECT_EQ(in.independent_sources, 2);
  EXPECT_EQ(in.support, model::Support::kCorroborated);
  // And one outlet twice is one.
  in = Of({a, News(2, 20, "reuters", Away(800))}, {}, *config_);
  EXPECT_EQ(in.support, model::Support::kSingle);
}

TEST_F(EstimateTest, SupportLevels) {
  const model::Report acled = Acled(1, "SYR1", Saraqib());
  EXPECT_EQ(Of({acled}, {}, *config_).support, model::Support::kSingle);
  const model::Incident two = Of({acled, Ucdp(2, "342211", Away(3100))}, {}, *config_);
  EXPECT_EQ(two.support, model::Support::kCorroborated);
  EXPECT_EQ(two.independent_sources, 2);
  const model::Incident seen = Of({acled, Observation(3, Away(100))}, {}, *config_);
  EXPECT_EQ(seen.support, model::Support::kObserved);
  EXPECT_EQ(Grades(seen), "ACLED B, GeoJSON A");
  // The observation's 500 m radius is the most precise place.
  EXPECT_EQ(seen.estimate.uncertainty_m, 500);
  // An observation graded A gives the best figure.
  EXPECT_EQ(seen.estimate.fatalities, 0);
}

TEST_F(EstimateTest, AnalystDecisionsAreKeptOnSources) {
  const std::vector<model::Report> reports = {Acled(1, "SYR1", Saraqib()), Ucdp(2, "342211", Away(90000))};
  const model::Incident in =
      Of(reports, {}, *config_,
         {{1, 1, 1, "", "matcher"}, {2, 1, 1, "linked with ACLED SYR1 (report 1) by the analyst", "analyst ana at t"}});
  EXPECT_EQ(in.sources[1].decided_by, "analyst ana at t");
  EXPECT_EQ(in.sources[1].score, 1);
}

}  // namespace
}  // namespace truce::reconcile
