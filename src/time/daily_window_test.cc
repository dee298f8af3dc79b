#include "truce/time/daily_window.h"

#include <gtest/gtest.h>

namespace truce::time {
namespace {

DailyWindow Window(const char* from, const char* to) {
  const int f = *ParseClockMinutes(from), t = *ParseClockMinutes(to);
  return DailyWindow{f, t, DailyWindowText(f, t)};
}

Instant Utc(const char* s) { return *ParseInstant(s); }

// The whole local day `day` in `tz`, as ToInterval gives it for a date known to the day.
Interval LocalDay(const char* day, const char* tz) {
  IncidentTime t;
  t.first_day = t.last_day = *ParseIsoDate(day);
  return *ToInterval(t, tz);
}

Interval At(const char* instant) { return Interval{Utc(instant), Utc(instant) + std::chrono::seconds{1}}; }

std::vector<std::string> Utcs(const std::vector<Interval>& v) {
  std::vector<std::string> out;
  for (const Interval& i : v) out.push_back(FormatInstantUtc(i.begin) + "/" + FormatInstantUtc(i.end));
  return out;
}

TEST(DailyWindowTest, ClockTimesAreExactlyHHMM) {
  EXPECT_EQ(*ParseClockMinutes("00:00"), 0);
  EXPECT_EQ(*ParseClockMinutes("10:00"), 600);
  EXPECT_EQ(*ParseClockMinutes("23:59"), 1439);
  for (const char* bad : {"24:00", "9:00", "10:60", "10h00", "10:00:00", "", "ten"}) {
    EXPECT_FALSE(ParseClockMinutes(bad).ok()) << bad;
  }
  EXPECT_EQ(DailyWindowText(600, 840), "10:00\u201314:00");
  EXPECT_EQ(FormatLocalClock(Utc("2023-11-25T14:30:00Z"), "Asia/Gaza"), "16:30");
}

TEST(DailyWindowTest, OneOccurrencePerLocalDayInWinterGaza) {
  // Gaza is UTC+2 in November 2023: 10:00-14:00 local is 08:00-12:00 UTC.
  auto occ = WindowOccurrences(Window("10:00", "14:00"), LocalDay("2023-11-25", "Asia/Gaza"), "Asia/Gaza");
  ASSERT_TRUE(occ.ok()) << occ.status().ToString();
  EXPECT_EQ(Utcs(*occ), (std::vector<std::string>{"2023-11-25T08:00:00Z/2023-11-25T12:00:00Z"}));
}

TEST(DailyWindowTest, SpringForwardDayMovesTheWindowInUtc) {
  // Asia/Gaza went from UTC+2 to UTC+3 at 02:00 local on 29 April 2023 (02:00 -> 03:00).
  const DailyWindow w = Window("10:00", "14:00");
  auto before = WindowOccurrences(w, LocalDay("2023-04-28", "Asia/Gaza"), "Asia/Gaza");
  auto on = WindowOccurrences(w, LocalDay("2023-04-29", "Asia/Gaza"), "Asia/Gaza");
  ASSERT_TRUE(before.ok() && on.ok());
  EXPECT_EQ(Utcs(*before), (std::vector<std::string>{"2023-04-28T08:00:00Z/2023-04-28T12:00:00Z"}));
  EXPECT_EQ(Utcs(*on), (std::vector<std::string>{"2023-04-29T07:00:00Z/2023-04-29T11:00:00Z"}));
  // That local day has 23 hours; the window still holds 4 of them.
  const Interval day = LocalDay("2023-04-29", "Asia/Gaza");
  EXPECT_EQ((day.end - day.begin).count(), 23 * 3600);
  // A window starting in the skipped hour starts at the jump (03:00 EEST = 00:00 UTC).
  auto skipped = WindowOccurrences(Window("02:30", "04:00"), day, "Asia/Gaza");
  ASSERT_TRUE(skipped.ok());
  EXPECT_EQ(Utcs(*skipped), (std::vector<std::string>{"2023-04-29T00:00:00Z/2023-04-29T01:00:00Z"}));
}

TEST(DailyWindowTest, AutumnBackDayInBeirut) {
  // Asia/Beirut went back from UTC+3 to UTC+2 at 00:00 local on 29 October 2023
  // (23:00-24:00 on the 28th happened twice). 22:00-02:00 past midnight spans it.
  const DailyWindow w = Window("22:00", "02:00");
  auto occ = WindowOccurrences(w, LocalDay("2023-10-28", "Asia/Beirut"), "Asia/Beirut");
  ASSERT_TRUE(occ.ok());
  // The one starting on the 27th (ending 02:00 on the 28th, UTC+3) and the one
  // starting 22:00 on the 28th (UTC+3) ending 02:00 on the 29th (UTC+2): 5 hours.
  EXPECT_EQ(Utcs(*occ), (std::vector<std::string>{"2023-10-27T19:00:00Z/2023-10-27T23:00:00Z",
                                                  "2023-10-28T19:00:00Z/2023-10-29T00:00:00Z"}));
  // The local 28th is 25 hours long.
  const Interval day = LocalDay("2023-10-28", "Asia/Beirut");
  EXPECT_EQ((day.end - day.begin).count(), 25 * 3600);
}

TEST(DailyWindowTest, BoundariesAreHalfOpen) {
  const DailyWindow w = Window("10:00", "14:00");
  auto fit = [&](const char* at) { return RelateToWindow(w, At(at), "Asia/Gaza")->fit; };
  EXPECT_EQ(fit("2023-11-25T10:00:00+02:00"), WindowFit::kInside);  // from: inclusive
  EXPECT_EQ(fit("2023-11-25T13:59:59+02:00"), WindowFit::kInside);
  EXPECT_EQ(fit("2023-11-25T14:00:00+02:00"), WindowFit::kOutside);  // to: exclusive
  EXPECT_EQ(fit("2023-11-25T09:59:59+02:00"), WindowFit::kOutside);
}

TEST(DailyWindowTest, PastMidnightWindow) {
  const DailyWindow w = Window("22:00", "02:00");
  auto fit = [&](const char* at) { return RelateToWindow(w, At(at), "Asia/Gaza")->fit; };
  EXPECT_EQ(fit("2023-11-25T23:30:00+02:00"), WindowFit::kInside);
  EXPECT_EQ(fit("2023-11-26T01:59:00+02:00"), WindowFit::kInside);  // the 25th's window, on the 26th
  EXPECT_EQ(fit("2023-11-26T02:00:00+02:00"), WindowFit::kOutside);
  EXPECT_EQ(fit("2023-11-26T12:00:00+02:00"), WindowFit::kOutside);
}

TEST(DailyWindowTest, ADayKnownOnlyToTheDayStraddles) {
  auto r = RelateToWindow(Window("10:00", "14:00"), LocalDay("2023-11-25", "Asia/Gaza"), "Asia/Gaza");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->fit, WindowFit::kPartly);
  EXPECT_DOUBLE_EQ(r->inside_share, 4.0 / 24.0);
  // Past midnight, the day holds the end of one occurrence and the start of the next.
  auto night = RelateToWindow(Window("22:00", "02:00"), LocalDay("2023-11-25", "Asia/Gaza"), "Asia/Gaza");
  ASSERT_TRUE(night.ok());
  EXPECT_EQ(night->fit, WindowFit::kPartly);
  EXPECT_DOUBLE_EQ(night->inside_share, 4.0 / 24.0);
}

TEST(DailyWindowTest, BadZoneOrEmptyWindowIsAnError) {
  EXPECT_FALSE(RelateToWindow(Window("10:00", "14:00"), At("2023-11-25T10:00:00Z"), "Asia/Gazza").ok());
  EXPECT_FALSE(RelateToWindow(DailyWindow{600, 600, ""}, At("2023-11-25T10:00:00Z"), "UTC").ok());
}

}  // namespace
}  // namespace truce::time
