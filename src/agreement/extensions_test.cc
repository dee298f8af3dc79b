// Relative times, extensions and renewals (inline and as documents), and
// per-item deadlines.
#include <gtest/gtest.h>

#include "internal.h"
#include "testing.h"
#include "truce/core/strings.h"

namespace truce::agreement {
namespace {

using testing::Utc;

// A small agreement in Damascus time; `top` after entry into force, `provisions`
// replacing the default one.
std::string AgreementYaml(const std::string& id, const std::string& top, const std::string& provisions = "") {
  return "id: " + id +
         "\ntitle: T\ntimezone: Asia/Damascus\nentry_into_force: 2020-03-06T00:01\n" + top +
         "actors: {army: {name: Army}}\n"
         "sides: {government: {actors: [army]}}\n"
         "zones:\n"
         "  area: {polygon: [[35.5, 36.0], [35.5, 37.0], [36.1, 37.0], [36.1, 36.0]]}\n"
         "  north: {polygon: [[35.8, 36.0], [35.8, 37.0], [36.1, 37.0], [36.1, 36.0]]}\n"
         "provisions:\n" +
         (provisions.empty() ? "  - {id: p1, prohibits: Battles, where: area}\n" : provisions);
}

Result<LoadedAgreement> ParseYaml(const std::string& yaml, const std::string& file = "t.yaml") {
  MemFileSystem fs;
  return ParseAgreement(yaml, file, fs);
}

std::optional<time::Instant> Relative(const char* text, time::Instant anchor, std::string* error) {
  return internal::ResolveRelativeTime(text, anchor, "Asia/Damascus", error);
}

TEST(RelativeTime, CalendarDaysKeepTheLocalClockAcrossSummerTime) {
  std::string error;
  // 2020-03-20 12:00 EET (UTC+2); Damascus moved to UTC+3 at 00:00 on 27 March.
  const time::Instant anchor = Utc("2020-03-20T10:00:00Z");
  EXPECT_EQ(Relative("+10d", anchor, &error), Utc("2020-03-30T09:00:00Z")) << error;  // 12:00 EEST
  EXPECT_EQ(Relative("+240h", anchor, &error), Utc("2020-03-30T10:00:00Z"));           // exact hours: 13:00 EEST
  EXPECT_EQ(Relative("+2w", anchor, &error), Utc("2020-04-03T09:00:00Z"));
  EXPECT_EQ(Relative("+1d", anchor, &error), Utc("2020-03-21T10:00:00Z"));
}

TEST(RelativeTime, DayNumbersStartAtLocalMidnightWithDayOneTheDayOfEntry) {
  std::string error;
  const time::Instant anchor = Utc("2020-03-05T22:01:00Z");  // 2020-03-06 00:01 EET
  EXPECT_EQ(Relative("day 1", anchor, &error), Utc("2020-03-05T22:00:00Z"));
  EXPECT_EQ(Relative("day 3", anchor, &error), Utc("2020-03-07T22:00:00Z"));
  // Day 22 is 27 March, whose midnight the clock skips: the moment of the change.
  EXPECT_EQ(Relative("day 22", anchor, &error), Utc("2020-03-26T22:00:00Z"));
  EXPECT_EQ(Relative("day 23", anchor, &error), Utc("2020-03-27T21:00:00Z"));
}

TEST(RelativeTime, RefusesWhatItCannotRead) {
  std::string error;
  const time::Instant anchor = Utc("2020-03-05T22:01:00Z");
  EXPECT_FALSE(Relative("day 0", anchor, &error));
  EXPECT_EQ(error, "there is no 'day 0': the day of entry into force is day 1");
  EXPECT_FALSE(Relative("+10m", anchor, &error));
  EXPECT_EQ(error, "not a relative time: '+10m' (write +10d, +72h, +2w or day 42)");
  EXPECT_FALSE(Relative("+d", anchor, &error));
  EXPECT_FALSE(Relative("+-3d", anchor, &error));
  EXPECT_FALSE(Relative("+99999w", anchor, &error));
  EXPECT_EQ(error, "'+99999w' is more than a century after entry into force");
  EXPECT_FALSE(Relative("2020-03-06", anchor, &error));
  EXPECT_TRUE(error.empty()) << "not relative at all";
}

TEST(RelativeTime, ProvisionsKeepTheWrittenForm) {
  auto loaded =
      ParseYaml(AgreementYaml("t", "", "  - {id: p1, prohibits: Battles, where: area, from: day 3, until: +2w}\n"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const model::Provision& p = loaded->agreement.provisions[0];
  EXPECT_EQ(p.from, Utc("2020-03-07T22:00:00Z"));
  EXPECT_EQ(p.from_written, "day 3");
  EXPECT_EQ(p.from_text, "day 3 (2020-03-08 00:00 EET)");
  EXPECT_EQ(p.until, Utc("2020-03-19T22:01:00Z"));
  EXPECT_EQ(p.until_written, "+2w");
}

TEST(RelativeTime, EntryIntoForceCannotBeRelative) {
  std::string yaml = AgreementYaml("t", "");
  yaml.replace(yaml.find("2020-03-06T00:01"), 16, "+3d");
  auto loaded = ParseYaml(yaml);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().message(),
            "t.yaml:4:19: 'entry_into_force' cannot be relative ('+3d'): relative times count from it");
}

TEST(InlineExtensions, PeriodsFollowEachOtherOrLeaveALapse) {
  auto loaded = ParseYaml(AgreementYaml("t", "end: 2020-03-20\n"
                                             "extensions:\n"
                                             "  - {until: 2020-03-25, signed: 2020-03-19, source: S1}\n"
                                             "  - {from: 2020-03-27, until: +30d, note: renewed}\n"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const model::Agreement& a = loaded->agreement;
  ASSERT_EQ(a.periods.size(), 3u);
  EXPECT_FALSE(a.periods[0].extension);
  EXPECT_EQ(a.periods[0].until, Utc("2020-03-19T22:00:00Z"));
  EXPECT_TRUE(a.periods[1].extension);
  EXPECT_EQ(a.periods[1].from, *a.periods[0].until);  // contiguous by default
  EXPECT_EQ(a.periods[1].source, "S1");
  ASSERT_TRUE(a.periods[1].signed_on);
  EXPECT_EQ(time::FormatDate(*a.periods[1].signed_on), "2020-03-19");
  EXPECT_EQ(a.periods[2].from, Utc("2020-03-26T22:00:00Z"));  // a lapse of two days
  EXPECT_EQ(a.periods[2].note, "renewed");
  EXPECT_EQ(a.end, a.periods[2].until);
  EXPECT_EQ(a.end, Utc("2020-04-04T21:01:00Z"));  // +30d: 00:01 summer time
}

// Stored agreements are re-read from their files: relative times, periods and
// items come back the same.
TEST(InlineExtensions, ReloadTheSame) {
  auto first = ParseYaml(AgreementYaml("t",
                                       "end: day 15\n"
                                       "extensions: [{from: +16d, until: +30d, signed: 2020-03-19}]\n",
                                       "  - {id: p1, prohibits: Battles, where: area, until: +3w}\n"
                                       "  - {id: p2, obligation: other, by: government,\n"
                                       "     items: [{id: a, due: +2d}, {id: b, due: day 9}]}\n"));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto again = ReloadAgreement(first->files);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(testing::Dump(*first), testing::Dump(*again));
  EXPECT_NE(testing::Dump(*first).find("period 2020-03-21T22:01:00Z"), std::string::npos) << testing::Dump(*first);
}

TEST(ExtensionDocuments, ResolveOntoTheOriginalInOrder) {
  auto original = ParseYaml(AgreementYaml("orig", "end: 2020-03-20\n"), "orig.yaml");
  auto ext2 = ParseYaml(
      "id: ext2\ntitle: E2\nextends: ext1\ntimezone: Asia/Damascus\nentry_into_force: 2020-04-02\nend: +10d\n",
      "ext2.yaml");
  auto ext1 = ParseYaml("id: ext1\ntitle: E1\nextends: orig\nsigned: 2020-03-19\nend: 2020-03-30T00:00 Asia/Damascus\n",
                        "ext1.yaml");
  ASSERT_TRUE(original.ok()) << original.status().ToString();
  ASSERT_TRUE(ext1.ok()) << ext1.status().ToString();
  ASSERT_TRUE(ext2.ok()) << ext2.status().ToString();
  EXPECT_EQ(ext1->agreement.extends, "orig");
  EXPECT_TRUE(ext1->agreement.provisions.empty());
  std::vector<const model::Agreement*> set = {&original->agreement, &ext2->agreement, &ext1->agreement};
  ASSERT_TRUE(CheckReferences(set).ok()) << CheckReferences(set).ToString();
  std::vector<model::Agreement*> all = {&original->agreement, &ext2->agreement, &ext1->agreement};
  for (int round = 0; round < 2; ++round) {  // resolving again changes nothing
    ASSERT_TRUE(ResolveExtensions(all).ok());
    const model::Agreement& a = original->agreement;
    ASSERT_EQ(a.periods.size(), 3u) << "round " << round;
    EXPECT_EQ(a.periods[1].by, "ext1");
    EXPECT_EQ(a.periods[1].from, Utc("2020-03-19T22:00:00Z"));  // no entry into force: follows on
    EXPECT_EQ(a.periods[2].by, "ext2");
    EXPECT_EQ(a.periods[2].from, Utc("2020-04-01T21:00:00Z"));
    EXPECT_EQ(a.end, Utc("2020-04-11T21:00:00Z"));
    EXPECT_EQ(ext1->agreement.entry_into_force, a.periods[1].from);
  }
}

TEST(ExtensionDocuments, CheckedAcrossAgreements) {
  auto original = ParseYaml(AgreementYaml("orig", "end: 2020-03-20\n"), "orig.yaml");
  auto open = ParseYaml(AgreementYaml("open", ""), "open.yaml");
  auto typo = ParseYaml("id: ext\ntitle: E\nextends: origg\ntimezone: UTC\nend: 2020-05-01\n", "ext.yaml");
  auto overlap =
      ParseYaml("id: ext2\ntitle: E\nextends: orig\ntimezone: UTC\nentry_into_force: 2020-03-10\nend: 2020-05-01\n",
                "ext2.yaml");
  auto of_open = ParseYaml("id: ext3\ntitle: E\nextends: open\ntimezone: UTC\nend: 2020-05-01\n", "ext3.yaml");
  ASSERT_TRUE(original.ok() && open.ok() && typo.ok() && overlap.ok() && of_open.ok());
  Status st = CheckReferences({&original->agreement, &open->agreement, &typo->agreement, &overlap->agreement,
                               &of_open->agreement});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(),
            "ext.yaml:3:10: 'ext' extends unknown agreement 'origg' (did you mean 'orig'?)\n"
            "ext3.yaml:3:10: 'ext3' extends 'open', which has no 'end' to extend\n"
            "ext2.yaml:5:19: extension 'ext2' starts at 2020-03-10 UTC, before the period it follows ends "
            "(2020-03-20 Asia/Damascus)");
}

TEST(ExtensionDocuments, RefuseRulesAndRelativeTimesWithoutAStart) {
  auto loaded = ParseYaml("id: e\ntitle: E\nextends: orig\ntimezone: UTC\nend: +3d\nsides: {}\n", "e.yaml");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().message(),
            "e.yaml:5:6: 'end' '+3d' is relative to 'entry_into_force', which this document does not give\n"
            "e.yaml:6:1: 'sides' in an extension document: an extension changes only when the agreement is in "
            "force; to change its rules write an amendment (amends:)");
  EXPECT_FALSE(ParseYaml("id: e\ntitle: E\nextends: e\ntimezone: UTC\nend: 2020-05-01\n").ok());
}

TEST(Items, EachItemIsAProvisionOfItsOwn) {
  auto loaded = ParseYaml(AgreementYaml("t", "",
                                        "  - id: art4\n"
                                        "    article: Art. 4\n"
                                        "    obligation: withdraw\n"
                                        "    by: government\n"
                                        "    weapons: [tanks]\n"
                                        "    text: Withdraw from the districts.\n"
                                        "    items:\n"
                                        "      - {id: aghdam, name: Aghdam, zone: north, due: 2020-03-20}\n"
                                        "      - {id: kalbajar, zone: area, due: +10d, note: extended}\n"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const auto& ps = loaded->agreement.provisions;
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ps[0].id, "art4.aghdam");
  EXPECT_EQ(ps[0].article, "Art. 4 (Aghdam)");
  EXPECT_EQ(ps[0].zone, "north");
  EXPECT_EQ(ps[0].weapons, std::vector<std::string>{"tanks"});
  EXPECT_EQ(ps[0].obligated, std::vector<std::string>{"government"});
  EXPECT_EQ(ps[0].text, "Withdraw from the districts.");
  EXPECT_EQ(ps[0].due, Utc("2020-03-19T22:00:00Z"));
  EXPECT_EQ(ps[1].id, "art4.kalbajar");
  EXPECT_EQ(ps[1].article, "Art. 4 (kalbajar)");
  EXPECT_EQ(ps[1].due_written, "+10d");
  EXPECT_EQ(ps[1].note, "extended");
  EXPECT_EQ(ps[1].pos.line, 19);
}

TEST(Items, DuplicateIdsAndUnknownZonesAreReported) {
  auto loaded = ParseYaml(AgreementYaml("t", "",
                                        "  - id: art4\n"
                                        "    obligation: withdraw\n"
                                        "    by: government\n"
                                        "    items:\n"
                                        "      - {id: a, zone: nort, due: 2020-03-20}\n"
                                        "      - {id: a, zone: area, due: 2020-03-20}\n"));
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().message(),
            "t.yaml:15:23: unknown zone 'nort' in 'zone' (did you mean 'north'?)\n"
            "t.yaml:16:14: duplicate item id 'a' in 'art4' (first at line 15)");
}

}  // namespace
}  // namespace truce::agreement
