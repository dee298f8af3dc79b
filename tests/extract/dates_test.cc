#include "dates.h"

#include <gtest/gtest.h>

namespace truce::extract {
namespace {

time::Days D(const char* s) { return *time::ParseIsoDate(s); }

// The first date (not time) found, formatted; "" when none.
std::string FirstDate(std::string_view text, const char* published) {
  for (const Temporal& t : FindTemporalsInText(text, D(published))) {
    if (!t.is_time && !t.ordinal_day_of) return FormatTemporalDate(t);
  }
  return "";
}

const Temporal* FirstTime(const std::vector<Temporal>& v) {
  for (const Temporal& t : v) {
    if (t.is_time) return &t;
  }
  return nullptr;
}

TEST(Dates, Weekdays) {
  // 2020-03-05 was a Thursday.
  EXPECT_EQ(FirstDate("agreed Thursday", "2020-03-05"), "2020-03-05");
  EXPECT_EQ(FirstDate("talks on Thursday", "2020-03-06"), "2020-03-05");
  EXPECT_EQ(FirstDate("on Monday", "2020-03-05"), "2020-03-02");
  EXPECT_EQ(FirstDate("talks will resume on Monday", "2020-03-05"), "2020-03-09");
}

TEST(Dates, ExplicitDates) {
  EXPECT_EQ(FirstDate("on Thursday, March 5, 2020, the", "2020-03-06"), "2020-03-05");
  EXPECT_EQ(FirstDate("on Monday evening, May 22, 2023", "2023-05-22"), "2023-05-22");
  EXPECT_EQ(FirstDate("at 00:01 on 6 March", "2020-03-05"), "2020-03-06");
  EXPECT_EQ(FirstDate("on 6 March 2019", "2020-03-05"), "2019-03-06");
  EXPECT_EQ(FirstDate("patrols will begin March 15 along", "2020-03-05"), "2020-03-15");
  EXPECT_EQ(FirstDate("the 6th of March", "2020-03-05"), "2020-03-06");
}

TEST(Dates, SinceDatesAreNeverInTheFuture) {
  EXPECT_EQ(FirstDate("Since Feb. 3, 58 soldiers", "2020-03-05"), "2020-02-03");
  EXPECT_EQ(FirstDate("since Dec. 20", "2020-01-05"), "2019-12-20");
  EXPECT_EQ(FirstDate("since the offensive began in December", "2020-03-05"), "2019-12");
}

TEST(Dates, MonthsYearsAndRelativeWords) {
  EXPECT_EQ(FirstDate("a 2018 cease-fire deal", "2020-03-05"), "2018");
  EXPECT_EQ(FirstDate("in March 2019", "2020-03-05"), "2019-03");
  EXPECT_EQ(FirstDate("last week", "2020-03-05"), "2020-02-27");
  EXPECT_EQ(FirstDate("yesterday", "2020-03-05"), "2020-03-04");
  EXPECT_EQ(FirstDate("last year", "2020-03-05"), "2019");
  EXPECT_EQ(FirstDate("in the 1990s", "2020-03-05"), "1990");
}

TEST(Dates, LowerCaseMayAndMarchAreWords) {
  EXPECT_EQ(FirstDate("troops may 5 times", "2020-03-05"), "");
  EXPECT_EQ(FirstDate("they march 10 miles", "2020-03-05"), "");
  EXPECT_EQ(FirstDate("on May 10", "2021-05-20"), "2021-05-10");
}

TEST(Dates, OrdinalDayOfTheCeasefire) {
  auto v = FindTemporalsInText("on the tenth day of the ceasefire", D("2020-03-05"));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].ordinal_day_of, 10);
  auto w = FindTemporalsInText("on the 3rd day of the truce", D("2020-03-05"));
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].ordinal_day_of, 3);
}

TEST(Times, ClockTimes) {
  auto v = FindTemporalsInText("at 7:00 pm (1600 GMT)", D("2022-04-02"));
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].minutes, 19 * 60);
  EXPECT_FALSE(v[0].in_parens);
  EXPECT_EQ(v[1].minutes, 16 * 60);
  EXPECT_TRUE(v[1].utc);
  EXPECT_TRUE(v[1].in_parens);
  auto w = FindTemporalsInText("at 2am local time on Friday, May 21", D("2021-05-20"));
  ASSERT_GE(w.size(), 2u);
  EXPECT_EQ(w[0].minutes, 120);
  EXPECT_EQ(FormatTemporalDate(w[1]), "2021-05-21");
  auto m = FindTemporalsInText("at midnight", D("2020-03-05"));
  ASSERT_NE(FirstTime(m), nullptr);
  EXPECT_TRUE(FirstTime(m)->midnight);
  auto k = FindTemporalsInText("at 9:45 pm Khartoum time", D("2023-05-22"));
  ASSERT_NE(FirstTime(k), nullptr);
  EXPECT_EQ(FirstTime(k)->minutes, 21 * 60 + 45);
  EXPECT_EQ(FormatDateTime(D("2020-03-06"), 1), "2020-03-06T00:01");
}

TEST(Times, NotTimes) {
  EXPECT_EQ(FirstTime(FindTemporalsInText("7 soldiers", D("2020-03-05"))), nullptr);
  EXPECT_EQ(FirstTime(FindTemporalsInText("25:00 pm", D("2020-03-05"))), nullptr);
  EXPECT_EQ(FirstTime(FindTemporalsInText("13 pm", D("2020-03-05"))), nullptr);
}

TEST(Dates, InvalidDatesAreSkipped) {
  EXPECT_EQ(FirstDate("on February 30, 2020", "2020-03-05"), "2020");  // only the year survives
  EXPECT_EQ(FirstDate("31 April", "2020-03-05"), "");
  EXPECT_TRUE(FindTemporalsInText("", D("2020-03-05")).empty());
}

TEST(Dates, Names) {
  EXPECT_EQ(MonthNumber("sept"), 9);
  EXPECT_EQ(MonthNumber("feb"), 2);
  EXPECT_EQ(MonthNumber("febr"), 0);
  EXPECT_EQ(WeekdayNumber("thurs"), 3);
  EXPECT_EQ(WeekdayNumber("sunday"), 6);
}

}  // namespace
}  // namespace truce::extract
