#include "truce/model/model.h"

#include <gtest/gtest.h>

namespace truce::model {
namespace {

TEST(ModelTest, NamesRoundTrip) {
  for (FindingStatus s : {FindingStatus::kViolation, FindingStatus::kExempt, FindingStatus::kNoViolation,
                          FindingStatus::kOutsideScope, FindingStatus::kUndetermined}) {
    EXPECT_EQ(ParseFindingStatus(FindingStatusName(s)), s);
  }
  EXPECT_FALSE(ParseFindingStatus("violations").has_value());
  EXPECT_EQ(ParseObligationKind("joint_patrol"), ObligationKind::kJointPatrol);
  EXPECT_FALSE(ParseObligationKind("patrol").has_value());
  EXPECT_EQ(ParseActorKind("armed_group"), ActorKind::kArmedGroup);
  EXPECT_STREQ(ObligationStateName(ObligationState::kPartlyMet), "partly_met");
}

TEST(ModelTest, AgreementLookups) {
  Agreement a;
  a.sides["government"] = Side{"government", "RUS", {"syrian-army"}};
  a.sides["opposition"] = Side{"opposition", "TUR", {"turkish-forces"}};
  Provision p;
  p.id = "art1";
  a.provisions.push_back(p);
  ASSERT_NE(a.SideOfActor("turkish-forces"), nullptr);
  EXPECT_EQ(a.SideOfActor("turkish-forces")->guarantor, "TUR");
  EXPECT_EQ(a.SideOfActor("hts"), nullptr);
  EXPECT_NE(a.FindProvision("art1"), nullptr);
  EXPECT_EQ(a.FindZone("m4"), nullptr);
}

TEST(ModelTest, DesignationValidity) {
  Designation d{"UNSC", "terrorist", time::Days{std::chrono::days{100}}, std::nullopt};
  EXPECT_FALSE(d.ValidOn(time::Days{std::chrono::days{99}}));
  EXPECT_TRUE(d.ValidOn(time::Days{std::chrono::days{100}}));
  EXPECT_TRUE(d.ValidOn(time::Days{std::chrono::days{100000}}));
}

TEST(ModelTest, ActPatternText) {
  EXPECT_EQ((ActPattern{"Battles", ""}).ToString(), "Battles");
  EXPECT_EQ((ActPattern{"Explosions/Remote violence", "Air/drone strike"}).ToString(),
            "Explosions/Remote violence / Air/drone strike");
}

}  // namespace
}  // namespace truce::model
