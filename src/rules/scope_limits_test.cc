// The limits `against:` and `daily:` put on a prohibition, asked directly:
// what ruler.cc makes of them is in tests/scenarios/048-059.
#include "scope_limits.h"

#include <gtest/gtest.h>

#include "truce/core/env.h"

namespace truce::rules::internal {
namespace {

constexpr const char* kScopeAgreement = R"yaml(id: pause
title: Pause
timezone: Asia/Gaza
entry_into_force: 2023-11-24T07:00
actors:
  army: {name: Army, kind: armed_forces, aliases: ["Military Forces of Israel (2022-)"]
}
  group: {name: Group, kind: armed_group, aliases: ["Hamas Movement"]}
  loner: {name: Loner, kind: armed_group}
sides:
  one: {actors: [army]}
  two: {actors: [group]}
zones:
  north: {polygon: [[31.45, 34.40], [31.45, 34.60], [31.60, 34.60], [31.60, 34.40]]}
provisions:
  - id: p1
    article: Art. 1
    prohibits: [Battles]
    where: north
    against: other_sides
    daily: {from: "10:00", to: "14:00"}
)yaml";

struct Fixture {
    agreement::LoadedAgreement loaded;
    agreement::ActorRegistry actors;
    const model::Provision* p = nullptr;
  };

  Fixture Load() {
    MemFileSystem files;
    auto loaded = agreement::ParseAgreement(kScopeAgreement, "pause.yaml", files);
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    Fixture f{std::move(loaded).value(), {}, nullptr};
    for (const model::Actor& a : f.loaded.actors) f.actors.Add(a);
    f.p = f.loaded.agreement.FindProvision("p1");
    return f;
  }

  model::Report Incident(const char* actor2, const char* day, const char* at = nullptr) {
    model::Report r;
    r.actor1 = "Military Forces of Israel (2022-)";
    r.actor2 = actor2;
    r.time.first_day = r.time.last_day = *time::ParseIsoDate(day);
    if (at) r.time.exact = *time::ParseInstant(at);
    return r;
  }

  ScopeLimits Check(const Fixture& f, const model::Report& r, const model::Side* actor_side) {
    auto span = time::ToInterval(r.time, f.loaded.agreement.timezone);
    EXPECT_TRUE(span.ok());
    return CheckScopeLimits(f.loaded.agreement, *f.p, f.actors, IncidentView::Of(r), *span, actor_side, f.p->article);
  }

  TEST(ScopeLimitsTest, ADayKnownOnlyToTheDayIsAsLikelyInsideAsTheWindowIsLong) {
    const Fixture f = Load();
    const model::Side* one = f.loaded.agreement.SideOfActor("army");
    ScopeLimits l = Check(f, Incident("Hamas Movement", "2023-11-25"), one);
    EXPECT_FALSE(l.outside);
    EXPECT_TRUE(l.uncertain);
    EXPECT_DOUBLE_EQ(l.inside_share, 4.0 / 24.0);
    EXPECT_EQ(l.condition, "within that window");
    // And an unknown target halves it again, both conditions named.
    l = Check(f, Incident("Unidentified Armed Group (Palestine)", "2023-11-25"), one);
    EXPECT_DOUBLE_EQ(l.inside_share, 4.0 / 24.0 / 2);
    EXPECT_EQ(l.condition, "within that window and against other sides");
  }

  TEST(ScopeLimitsTest, OutsideTheWindowIsCertainEvenWhenTheTargetIsNot) {
    const Fixture f = Load();
    ScopeLimits l =
        Check(f, Incident("", "2023-11-25", "2023-11-25T16:30:00+02:00"), f.loaded.agreement.SideOfActor("army"));
    EXPECT_TRUE(l.outside);
    EXPECT_EQ(l.why, "at 16:30 local time, outside the daily window 10:00\u201314:00 of Art. 1");
  }

  TEST(ScopeLimitsTest, OtherSidesWaitsForTheActorsSide) {
    const Fixture f = Load();
    const model::Report r = Incident("Hamas Movement", "2023-11-25", "2023-11-25T11:00:00+02:00");
    // The actor's side unknown: neither outside nor uncertain here; the
    // ruler's question about the actor decides.
    ScopeLimits l = Check(f, r, nullptr);
    EXPECT_FALSE(l.outside);
    EXPECT_FALSE(l.uncertain);
    // On the target's own side: not protected.
    l = Check(f, r, f.loaded.agreement.SideOfActor("group"));
    EXPECT_TRUE(l.outside);
    EXPECT_EQ(l.why,
              "against Group (two side), which Art. 1 does not protect (it binds acts against other sides only)");
    // A known actor on no side is on no other side either.
    l = Check(f, Incident("Loner", "2023-11-25", "2023-11-25T11:00:00+02:00"), f.loaded.agreement.SideOfActor("army"));
    EXPECT_TRUE(l.outside);
    // The other side: protected, and the note says so with the window.
    l = Check(f, r, f.loaded.agreement.SideOfActor("army"));
    EXPECT_FALSE(l.outside || l.uncertain);
    EXPECT_EQ(l.note,
              ", at 11:00 local time, inside its daily window 10:00\u201314:00, against Group (two side), whom it "
              "protects");
  }

  }  // namespace
  }  // namespace truce::rules::internal
