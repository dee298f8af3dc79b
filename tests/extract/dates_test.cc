// Dates and times on phrases written for these tests (none taken or reworded from
// ../shared/corpus; a 4-word overlap scan against it finds none).
#include "dates.h"
#include "test_data.h"

#include <gtest/gtest.h>

namespace truce::extract {
namespace {

using testing::IsoDay;

// The first date (not time) found, formatted; "" when none.
std::string FirstDate(std::string_view text, const char* published) {
  for (const Temporal& t : FindTemporalsInText(text, IsoDay(published))) {
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
  EXPECT_EQ(FirstDate("on Tuesday, June 13, 2017, the", "2017-06-14"), "2017-06-13");
  EXPECT_EQ(FirstDate("on Sunday evening, October 8, 2017", "2017-10-08"), "2017-10-08");
  EXPECT_EQ(FirstDate("at 00:01 on 6 March", "2020-03-05"), "2020-03-06");
  EXPECT_EQ(FirstDate("on 6 March 2019", "2020-03-05"), "2019-03-06");
  EXPECT_EQ(FirstDate("monitors will arrive July 21 at", "2019-07-02"), "2019-07-21");
  EXPECT_EQ(FirstDate("the 6th of March", "2020-03-05"), "2020-03-06");
}

TEST(Dates, SinceDatesAreNeverInTheFuture) {
  EXPECT_EQ(FirstDate("Since Jan. 9, 41 soldiers", "2019-02-20"), "2019-01-09");
  EXPECT_EQ(FirstDate("since Dec. 20", "2020-01-05"), "2019-12-20");
  EXPECT_EQ(FirstDate("since the offensive began in December", "2020-03-05"), "2019-12");
}

TEST(Dates, MonthsYearsAndRelativeWords) {
  EXPECT_EQ(FirstDate("a 2015 cease-fire deal", "2017-03-05"), "2015");
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

// The range's first and last day, "" when the first date found is no range.
std::string RangeOf(std::string_view text, const char* published) {
  for (const Temporal& t : FindTemporalsInText(text, IsoDay(published))) {
    if (t.is_time) continue;
    if (!t.range_end) return "";
    return FormatTemporalDate(t) + ".." + time::FormatDate(*t.range_end);
  }
  return "";
}

TEST(Dates, RangesOfDays) {
  EXPECT_EQ(RangeOf("patrols ran on Aug. 4-6 near the dam", "2021-08-10"), "2021-08-04..2021-08-06");
  EXPECT_EQ(RangeOf("from March 28 to April 3 the border", "2021-04-10"), "2021-03-28..2021-04-03");
  EXPECT_EQ(RangeOf("recorded between Oct. 2 and 9 in the", "2021-10-12"), "2021-10-02..2021-10-09");
  EXPECT_EQ(RangeOf("from Monday through Wednesday the", "2021-10-15"), "2021-10-11..2021-10-13");
  EXPECT_EQ(RangeOf("on 3 May \xE2\x80\x93 9 May talks", "2021-05-20"), "2021-05-03..2021-05-09");
  // Not ranges: no "from" / "between" before "to" / "and", a day before the
  // first, a spaced dash before a bare number (a heading's figure), two days.
  EXPECT_EQ(RangeOf("extended on June 2 to 30 days", "2021-06-05"), "");
  EXPECT_EQ(RangeOf("from Aug. 14 to 9 other towns", "2021-08-20"), "");
  EXPECT_EQ(RangeOf("Aug. 3 \xE2\x80\x94 12 killed in a raid", "2021-08-05"), "");
  EXPECT_EQ(RangeOf("on Aug. 3 and 12 more on", "2021-08-05"), "");
  // The number after a range is no figure: it is inside the date.
  auto v = FindTemporalsInText("between Oct. 2 and 9 the monitors", IsoDay("2021-10-12"));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].last, 6u);
}

TEST(Dates, OrdinalDayOfTheCeasefire) {
  auto v = FindTemporalsInText("on the tenth day of the ceasefire", IsoDay("2020-03-05"));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].ordinal_day_of, 10);
  auto w = FindTemporalsInText("on the 3rd day of the truce", IsoDay("2020-03-05"));
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].ordinal_day_of, 3);
}

TEST(Times, ClockTimes) {
  auto v = FindTemporalsInText("at 8:30 pm (1730 GMT)", IsoDay("2019-06-11"));
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].minutes, 20 * 60 + 30);
  EXPECT_FALSE(v[0].in_parens);
  EXPECT_EQ(v[1].minutes, 17 * 60 + 30);
  EXPECT_TRUE(v[1].utc);
  EXPECT_TRUE(v[1].in_parens);
  auto w = FindTemporalsInText("at 4am local time on Sunday, June 16", IsoDay("2019-06-11"));
  ASSERT_GE(w.size(), 2u);
  EXPECT_EQ(w[0].minutes, 240);
  EXPECT_EQ(FormatTemporalDate(w[1]), "2019-06-16");
  auto m = FindTemporalsInText("at midnight", IsoDay("2020-03-05"));
  ASSERT_NE(FirstTime(m), nullptr);
  EXPECT_TRUE(FirstTime(m)->midnight);
  auto k = FindTemporalsInText("at 6:15 pm Kabul time", IsoDay("2019-06-11"));
  ASSERT_NE(FirstTime(k), nullptr);
  EXPECT_EQ(FirstTime(k)->minutes, 18 * 60 + 15);
  EXPECT_EQ(FormatDateTime(IsoDay("2020-03-06"), 1), "2020-03-06T00:01");
}

TEST(Times, NotTimes) {
  EXPECT_EQ(FirstTime(FindTemporalsInText("7 soldiers", IsoDay("2020-03-05"))), nullptr);
  EXPECT_EQ(FirstTime(FindTemporalsInText("25:00 pm", IsoDay("2020-03-05"))), nullptr);
  EXPECT_EQ(FirstTime(FindTemporalsInText("13 pm", IsoDay("2020-03-05"))), nullptr);
}

TEST(Dates, InvalidDatesAreSkipped) {
  EXPECT_EQ(FirstDate("on February 30, 2020", "2020-03-05"), "2020");  // only the year survives
  EXPECT_EQ(FirstDate("31 April", "2020-03-05"), "");
  EXPECT_TRUE(FindTemporalsInText("", IsoDay("2020-03-05")).empty());
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
