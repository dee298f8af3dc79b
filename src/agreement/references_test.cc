#include <gtest/gtest.h>

#include "testing.h"
#include "truce/core/strings.h"

namespace truce::agreement {
namespace {

// "line:col" of the first `marker` in `text`, plus `offset` columns.
std::string At(const std::string& text, const std::string& marker, size_t offset = 0) {
  size_t i = text.find(marker);
  EXPECT_NE(i, std::string::npos) << marker;
  i += offset;
  const size_t line_start = text.rfind('\n', i == 0 ? 0 : i - 1);
  const long line = std::count(text.begin(), text.begin() + static_cast<long>(i), '\n') + 1;
  const size_t col = line_start == std::string::npos ? i + 1 : i - line_start;
  return std::to_string(line) + ":" + std::to_string(col);
}

// An agreement `id` with `extra` top-level lines and one provision.
std::string Yaml(const std::string& id, const std::string& extra, const std::string& provision_extra = "") {
  return "id: " + id + "\ntitle: T\nentry_into_force: 2020-01-01T00:00Z\n" + extra +
         "actors: {a: {}}\nsides: {s: {actors: [a]}}\nzones: {z: {circle: {center: [35, 36], radius_km: 1}}}\n"
         "provisions:\n  - id: art1\n    prohibits: Battles\n    where: z\n" +
         provision_extra;
}

class References : public ::testing::Test {
 protected:
  const model::Agreement* Add(const std::string& file, const std::string& yaml) {
    auto loaded = ParseAgreement(yaml, file, fs_);
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    if (!loaded.ok()) return nullptr;
    loaded_.push_back(std::make_unique<LoadedAgreement>(std::move(loaded).value()));
    return &loaded_.back()->agreement;
  }
  Status Check(std::vector<const model::Agreement*> set) { return CheckReferences(set); }

  MemFileSystem fs_;
  std::vector<std::unique_ptr<LoadedAgreement>> loaded_;
};

TEST_F(References, TheIdlibPairIsConsistent) {
  testing::RootedFileSystem disk(TRUCE_SOURCE_DIR);
  const std::string protocol_path = "examples/idlib-2020/additional-protocol-2020.yaml";
  auto protocol = LoadAgreementFile(protocol_path, disk);
  auto sochi = LoadAgreementFile("examples/idlib-2020/sochi-memorandum-2018.yaml", disk);
  ASSERT_TRUE(protocol.ok()) << protocol.status().ToString();
  ASSERT_TRUE(sochi.ok()) << sochi.status().ToString();
  EXPECT_TRUE(CheckReferences({&protocol->agreement, &sochi->agreement}).ok());
  // Without the memorandum, the protocol amends nothing known.
  Status alone = CheckReferences({&protocol->agreement});
  ASSERT_FALSE(alone.ok());
  EXPECT_EQ(alone.code(), StatusCode::kValidationError);
  EXPECT_EQ(alone.message(), protocol_path + ":" + At(protocol->agreement.source_text, "amends: ", 8) +
                                 ": 'idlib-2020-protocol' amends unknown agreement 'sochi-2018-memorandum'");
}

TEST_F(References, ReplacesMustNameAnExistingProvision) {
  const auto* old_one = Add("old.yaml", Yaml("old", ""));
  const std::string text = Yaml("new", "amends: old\n", "    replaces: old#art2\n");
  const auto* new_one = Add("new.yaml", text);
  ASSERT_TRUE(old_one && new_one);
  Status s = Check({old_one, new_one});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "new.yaml:" + At(text, "old#art2") +
                             ": provision 'art1' replaces unknown provision 'art2' of 'old' (did you mean 'art1'?)");
  const auto* fixed = Add("new2.yaml", Yaml("new2", "amends: old\n", "    replaces: old#art1\n"));
  EXPECT_TRUE(Check({old_one, fixed}).ok());
  // The amended agreement missing: both the amends and the replaces are reported.
  Status missing = Check({fixed});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(Split(missing.message(), '\n').size(), 2u) << missing.message();
  EXPECT_NE(missing.message().find("replaces a provision of unknown agreement 'old'"), std::string::npos);
}

TEST_F(References, SupersedesMustNameAnExistingAgreement) {
  const std::string text = Yaml("b", "supersedes: a-2019\n");
  const auto* a = Add("a.yaml", Yaml("a-2018", ""));
  const auto* b = Add("b.yaml", text);
  Status s = Check({a, b});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "b.yaml:" + At(text, "a-2019") +
                             ": 'b' supersedes unknown agreement 'a-2019' (did you mean 'a-2018'?)");
}

TEST_F(References, DuplicateIds) {
  const std::string text = Yaml("same", "");
  const auto* a = Add("one.yaml", text);
  const auto* b = Add("two.yaml", text);
  Status s = Check({a, b});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "two.yaml:1:5: duplicate agreement id 'same' (also in one.yaml)");
}

TEST_F(References, CyclesAreReportedOnce) {
  const std::string a_text = Yaml("a", "amends: b\n");
  const auto* a = Add("a.yaml", a_text);
  const auto* b = Add("b.yaml", Yaml("b", "supersedes: c\n"));
  const auto* c = Add("c.yaml", Yaml("c", "amends: a\n"));
  const auto* d = Add("d.yaml", Yaml("d", "amends: a\n"));  // leads into the cycle, not part of it
  Status s = Check({d, a, b, c});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "a.yaml:" + At(a_text, "amends: ", 8) + ": cycle of amends/supersedes: a -> b -> c -> a");
  EXPECT_TRUE(Check({a, b}).ok() == false);  // c missing: an unknown reference, not a cycle
  EXPECT_TRUE(Check({b}).message().find("cycle") == std::string::npos);
}

TEST_F(References, AChainWithoutCyclesIsFine) {
  const auto* a = Add("a.yaml", Yaml("a", ""));
  const auto* b = Add("b.yaml", Yaml("b", "amends: a\n"));
  const auto* c = Add("c.yaml", Yaml("c", "supersedes: b\n"));
  const auto* d = Add("d.yaml", Yaml("d", "amends: a\n"));
  EXPECT_TRUE(Check({a, b, c, d}).ok());
  EXPECT_TRUE(Check({}).ok());
}

// Agreements built in code, without source text, still get named.
TEST(ReferencesWithoutSource, NameTheAgreement) {
  model::Agreement a;
  a.id = "x";
  a.amends = "y";
  Status s = CheckReferences({&a});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "agreement 'x': 'x' amends unknown agreement 'y'");
}

}  // namespace
}  // namespace truce::agreement
