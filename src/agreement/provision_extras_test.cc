// `against:` and `daily:` as the loader reads them into the model (their
// errors are fixtures in tests/data/agreements/bad/).
#include <gtest/gtest.h>

#include "truce/agreement/agreement.h"
#include "truce/core/env.h"

namespace truce::agreement {
namespace {

constexpr const char* kAgreement = R"(id: pause
title: Daily pause
timezone: Asia/Gaza
entry_into_force: 2023-11-24T07:00
actors:
  army: {name: Army, kind: armed_forces}
  group: {name: Group, kind: armed_group}
sides:
  one: {actors: [army]}
  two: {actors: [group]}
zones:
  north: {polygon: [[31.5, 34.4], [31.5, 34.6], [31.6, 34.6], [31.6, 34.4]]}
provisions:
  - id: p1
    prohibits: [Battles]
    where: north
    against: [other_sides, civilians, group, two]
    daily: {from: "22:00", to: "02:00"}
  - id: p2
    prohibits: [Battles]
    where: north
  - id: p3
    obligation: open_road
    by: [one]
    along: road
    daily: {from: "10:00", to: "16:00"}
)";

TEST(ProvisionExtrasTest, AgainstAndDailyAreRead) {
  MemFileSystem files;
  std::string text = kAgreement;
  // p3 needs a corridor; keep the text above readable.
  text.insert(text.find("provisions:"),
              "  road: {corridor: {line: [[31.52, 34.45], [31.58, 34.55]], half_width_km: 1}}\n");
  auto loaded = ParseAgreement(text, "pause.yaml", files);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const model::Provision& p1 = *loaded->agreement.FindProvision("p1");
  EXPECT_TRUE(p1.against_other_sides);
  EXPECT_EQ(p1.against, (std::vector<std::string>{"civilians", "group", "two"}));
  ASSERT_TRUE(p1.daily.has_value());
  EXPECT_EQ(p1.daily->from_min, 22 * 60);
  EXPECT_EQ(p1.daily->to_min, 2 * 60);
  EXPECT_EQ(p1.daily->text, "22:00\u201302:00");

  const model::Provision& p2 = *loaded->agreement.FindProvision("p2");
  EXPECT_FALSE(p2.against_other_sides);  // DEFAULT: every target, all day
  EXPECT_TRUE(p2.against.empty());
  EXPECT_FALSE(p2.daily.has_value());

  EXPECT_TRUE(loaded->agreement.FindProvision("p3")->daily.has_value());  // read on open_road
}

TEST(ProvisionExtrasTest, AnUnknownTargetListsWhatIsExpectedWhenNothingIsClose) {
  MemFileSystem files;
  std::string text = kAgreement;
  text.replace(text.find("[other_sides, civilians, group, two]"), 36, "[everyone]");
  text = text.substr(0, text.find("  - id: p3"));
  auto loaded = ParseAgreement(text, "pause.yaml", files);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().message(),
            "pause.yaml:17:15: unknown side, actor or actor kind 'everyone' in 'against' (expected other_sides, a "
            "side (one, two), an actor id or an actor kind (state, armed_forces, government, armed_group, "
            "international, civilians, other))");
}

}  // namespace
}  // namespace truce::agreement
