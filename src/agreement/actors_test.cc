#include <gtest/gtest.h>

#include "testing.h"

namespace truce::agreement {
namespace {

model::Actor Make(const std::string& id, const std::string& name, std::vector<std::string> aliases) {
  model::Actor a;
  a.id = id;
  a.name = name;
  a.aliases = std::move(aliases);
  return a;
}

std::string IdOf(const model::Actor* a) { return a == nullptr ? "(none)" : a->id; }

class ActorRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    reg_.Add(Make("syrian-army", "Syrian Arab Army", {"Military Forces of Syria (2000-)"}));
    reg_.Add(Make("air-force", "Syrian Air Force", {"Military Forces of Syria (2000-) Air Force"}));
    reg_.Add(Make("hts", "Hayat Tahrir al-Sham", {"Hayat Tahrir al Sham", "HTS"}));
    reg_.Add(Make("army-x", "Army of X", {}));
  }
  ActorRegistry reg_;
};

TEST_F(ActorRegistryTest, ExactNameOrAliasIgnoringCaseAndSpaces) {
  EXPECT_EQ(IdOf(reg_.Resolve("Syrian Arab Army")), "syrian-army");
  EXPECT_EQ(IdOf(reg_.Resolve("  military forces of syria (2000-)  ")), "syrian-army");
  EXPECT_EQ(IdOf(reg_.Resolve("HAYAT TAHRIR AL SHAM")), "hts");
  EXPECT_EQ(IdOf(reg_.Resolve("hts")), "hts");
  EXPECT_EQ(IdOf(reg_.Resolve("Military Forces of Syria (2000-) Air Force")), "air-force");
}

TEST_F(ActorRegistryTest, LongestKnownPrefixAtAWordBoundary) {
  EXPECT_EQ(IdOf(reg_.Resolve("Military Forces of Syria (2000-) Republican Guard")), "syrian-army");
  // Two names are prefixes: the longer one wins.
  EXPECT_EQ(IdOf(reg_.Resolve("Military Forces of Syria (2000-) Air Force Squadron 5")), "air-force");
  EXPECT_EQ(IdOf(reg_.Resolve("HTS: Hayat Tahrir al Sham")), "hts");
  EXPECT_EQ(IdOf(reg_.Resolve("Army of X, 3rd Brigade")), "army-x");
  // Not at a word boundary: "Army of X" is not a prefix of "Army of Xanadu".
  EXPECT_EQ(IdOf(reg_.Resolve("Army of Xanadu")), "(none)");
  EXPECT_EQ(IdOf(reg_.Resolve("HTSX")), "(none)");
  EXPECT_EQ(IdOf(reg_.Resolve("Military Forces of Syriana")), "(none)");
}

TEST_F(ActorRegistryTest, UnknownAndEmpty) {
  EXPECT_EQ(reg_.Resolve("Unidentified Armed Group (Syria)"), nullptr);
  EXPECT_EQ(reg_.Resolve(""), nullptr);
  EXPECT_EQ(reg_.Resolve("   "), nullptr);
  EXPECT_EQ(reg_.Resolve("Syrian"), nullptr);  // a name is not found by its own prefix
}

TEST_F(ActorRegistryTest, ById) {
  ASSERT_NE(reg_.ById("hts"), nullptr);
  EXPECT_EQ(reg_.ById("hts")->name, "Hayat Tahrir al-Sham");
  EXPECT_EQ(reg_.ById("HTS"), nullptr);  // ids are exact
  EXPECT_EQ(reg_.ById("nobody"), nullptr);
  EXPECT_EQ(reg_.actors().size(), 4u);
}

TEST(ActorRegistry, TheFirstActorKeepsASharedName) {
  ActorRegistry reg;
  reg.Add(Make("a", "Shared", {}));
  reg.Add(Make("b", "B", {"shared"}));
  EXPECT_EQ(IdOf(reg.Resolve("SHARED")), "a");
  EXPECT_EQ(IdOf(reg.Resolve("B")), "b");
}

// The Idlib example's actors resolve the names ACLED gives them.
TEST(ActorRegistry, IdlibExampleActors) {
  testing::RootedFileSystem disk(TRUCE_SOURCE_DIR);
  auto loaded = LoadAgreementFile("examples/idlib-2020/additional-protocol-2020.yaml", disk);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ActorRegistry reg;
  for (const model::Actor& a : loaded->actors) reg.Add(a);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Military Forces of Syria (2000-)", "syrian-army"},
      {"Military Forces of Russia (2000-)", "russian-forces"},
      {"Military Forces of Russia (2000-) Air Force", "russian-forces"},
      {"NDF: National Defence Forces", "pro-government-militias"},
      {"Military Forces of Turkey (2016-)", "turkish-forces"},
      {"Syrian National Army", "syrian-national-army"},
      {"National Front for Liberation", "syrian-national-army"},
      {"NLF: National Liberation Front", "syrian-national-army"},
      {"Hayat Tahrir al Sham", "hts"},
      {"HTS: Hayat Tahrir al Sham", "hts"},
      {"Turkistan Islamic Party", "turkistan-islamic-party"},
      {"Civilians (Syria)", "civilians"},
      {"Unidentified Armed Group (Syria)", "(none)"},
      {"Protesters (Syria)", "(none)"},
  };
  for (const auto& [name, id] : cases) EXPECT_EQ(IdOf(reg.Resolve(name)), id) << name;
}

}  // namespace
}  // namespace truce::agreement
