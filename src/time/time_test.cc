#include "truce/time/time.h"

#include <gtest/gtest.h>

namespace truce::time {
namespace {

Days D(const char* s) { return *ParseIsoDate(s); }

TEST(TimeTest, EntryIntoForceInDamascus) {
  // 00:01 on 6 March 2020 in Syria (UTC+2 until 27 March 2020) is 22:01 UTC on 5 March.
  auto t = ParseLocalDateTime("2020-03-06T00:01", "Asia/Damascus");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(FormatInstantUtc(*t), "2020-03-05T22:01:00Z");
  EXPECT_EQ(FormatLocal(*t, "Asia/Damascus"), "2020-03-06 00:01 EET");
  // After the switch to summer time Syria was UTC+3.
  EXPECT_EQ(FormatInstantUtc(*ParseLocalDateTime("2020-04-01 12:00", "Asia/Damascus")), "2020-04-01T09:00:00Z");
}

TEST(TimeTest, InstantsNeedAZone) {
  EXPECT_EQ(FormatInstantUtc(*ParseInstant("2020-03-05T22:01Z")), "2020-03-05T22:01:00Z");
  EXPECT_EQ(FormatInstantUtc(*ParseInstant("2020-03-06T00:01+02:00")), "2020-03-05T22:01:00Z");
  auto bad = ParseInstant("2020-03-06T00:01");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("no zone"), std::string::npos);
  EXPECT_FALSE(ParseInstant("2020-03-06T00:01+2").ok());
}

TEST(TimeTest, BadDatesAndZones) {
  EXPECT_FALSE(ParseIsoDate("2020-02-30").ok());
  EXPECT_FALSE(ParseIsoDate("06/03/2020").ok());
  EXPECT_FALSE(ParseIsoDate("2020-03-06x").ok());
  EXPECT_FALSE(ParseLocalDateTime("2020-03-06T25:00", "Asia/Damascus").ok());
  EXPECT_FALSE(ParseLocalDateTime("2020-03-06T00:01Z", "Asia/Damascus").ok());
  EXPECT_EQ(ParseLocalDateTime("2020-03-06T00:01", "Mars/Olympus").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(IsKnownTimeZone("Asia/Damascus"));
  EXPECT_FALSE(IsKnownTimeZone("Asia/Nowhere"));
}

TEST(TimeTest, AcledPrecisionIntervals) {
  IncidentTime day = FromAcledPrecision(D("2020-03-15"), 1);
  EXPECT_EQ(day.first_day, D("2020-03-15"));
  EXPECT_EQ(day.last_day, D("2020-03-15"));
  IncidentTime week = FromAcledPrecision(D("2020-03-15"), 2);
  EXPECT_EQ(week.first_day, D("2020-03-12"));
  EXPECT_EQ(week.last_day, D("2020-03-18"));
  EXPECT_EQ(week.precision, TimePrecision::kWeek);
  IncidentTime month = FromAcledPrecision(D("2020-02-15"), 3);
  EXPECT_EQ(month.first_day, D("2020-02-01"));
  EXPECT_EQ(month.last_day, D("2020-02-29"));
}

TEST(TimeTest, LocalDayToInterval) {
  IncidentTime day = FromAcledPrecision(D("2020-03-06"), 1);
  auto iv = ToInterval(day, "Asia/Damascus");
  ASSERT_TRUE(iv.ok());
  EXPECT_EQ(FormatInstantUtc(iv->begin), "2020-03-05T22:00:00Z");
  EXPECT_EQ(FormatInstantUtc(iv->end), "2020-03-06T22:00:00Z");
  EXPECT_TRUE(iv->Contains(*ParseInstant("2020-03-05T22:01Z")));
  EXPECT_FALSE(iv->Contains(iv->end));
  EXPECT_FALSE(ToInterval(day, "Nowhere/Else").ok());
}

TEST(TimeTest, Durations) {
  EXPECT_EQ(FormatDuration(std::chrono::seconds(35 * 60)), "35 min");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(-4 * 3600)), "4 h");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(4 * 3600 + 60 * 59)), "4 h 59 min");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(9 * 86400 + 2 * 3600)), "9 days 2 h");
}

}  // namespace
}  // namespace truce::time

namespace truce::time {
namespace {

TEST(LocalDateTest, TheDayInTheZoneNotInUtc) {
  // 00:01 on 6 March 2020 in Damascus is 22:01 on 5 March UTC.
  const Instant t = *ParseInstant("2020-03-05T22:01:00Z");
  EXPECT_EQ(FormatDate(LocalDate(t, "Asia/Damascus")), "2020-03-06");
  EXPECT_EQ(FormatDate(LocalDate(t, "UTC")), "2020-03-05");
  EXPECT_EQ(FormatDate(LocalDate(t, "No/Such_Zone")), "2020-03-05");
  EXPECT_EQ(FormatDate(LocalDate(*ParseInstant("2020-03-05T21:59:00Z"), "Asia/Damascus")), "2020-03-05");
}

TEST(FormatDateTest, RoundTripsEveryDayOverFourCenturiesAndPadsSmallYears) {
  const Days start = *ParseIsoDate("1800-01-01");
  for (int k = 0; k < 146097; k += 7) {  // 400 years, a day in seven
    const Days d = start + Days::duration(k);
    const std::string text = FormatDate(d);
    ASSERT_EQ(text.size(), 10u) << text;
    ASSERT_EQ(*ParseIsoDate(text), d) << text;
  }
  EXPECT_EQ(FormatDate(*ParseIsoDate("2020-02-29")), "2020-02-29");
  EXPECT_EQ(FormatDate(Days{} + Days::duration(0)), "1970-01-01");
  EXPECT_EQ(FormatDate(std::chrono::sys_days{std::chrono::year{33} / 3 / 5}), "0033-03-05");
}

}  // namespace
}  // namespace truce::time
