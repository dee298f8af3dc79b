// Every file in tests/data/agreements/bad/ is an agreement with a fault; its
// header says the status it must fail with, line by line:
//   # code: validation error
//   # expect: bad/<name>.yaml:<line>:<col>: <message>
// A new case is a new file.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "testing.h"
#include "truce/core/strings.h"

namespace truce::agreement {
namespace {

std::vector<std::string> BadFixtures() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(testing::FixtureDir() + "/bad")) {
    if (e.is_regular_file() && e.path().extension() == ".yaml") out.push_back(e.path().stem().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class BadAgreementTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BadAgreementTest, FailsWithTheExpectedMessage) {
  const std::string rel = "bad/" + GetParam() + ".yaml";
  testing::RootedFileSystem fs(testing::FixtureDir());
  Result<std::string> text = fs.ReadFile(rel);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  std::string code;
  std::vector<std::string> expect;
  std::istringstream in(*text);
  for (std::string line; std::getline(in, line);) {
    if (StartsWith(line, "# code: ")) code = line.substr(8);
    if (StartsWith(line, "# expect: ")) expect.push_back(line.substr(10));
  }
  ASSERT_FALSE(code.empty()) << rel << ": no '# code:' line";
  ASSERT_FALSE(expect.empty()) << rel << ": no '# expect:' line";

  Result<LoadedAgreement> loaded = LoadAgreementFile(rel, fs);
  ASSERT_FALSE(loaded.ok()) << rel << " loaded, but should fail with:\n" << Join(expect, "\n");
  EXPECT_EQ(StatusCodeName(loaded.status().code()), code) << loaded.status().message();
  EXPECT_EQ(loaded.status().message(), Join(expect, "\n"));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, BadAgreementTest, ::testing::ValuesIn(BadFixtures()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// The agreement the bad fixtures break is itself valid, so each fixture's
// error comes from its one fault.
TEST(BadAgreementBase, IsValid) {
  testing::RootedFileSystem fs(testing::FixtureDir());
  Result<LoadedAgreement> loaded = LoadAgreementFile("good/base.yaml", fs);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->agreement.provisions.size(), 2u);
}

// Each validation rule the format documents has a fixture.
TEST(BadAgreementFixtures, CoverEveryRule) {
  const std::vector<std::string> have = BadFixtures();
  for (const char* name :
       {"unknown-key-top", "unknown-key-place", "unknown-key-provision", "duplicate-key", "wrong-type-map-for-list",
        "wrong-type-string-for-number", "missing-entry-into-force", "missing-provision-id", "provision-neither",
        "provision-both", "duplicate-zone-id", "duplicate-provision-id", "duplicate-actor-id", "duplicate-place-id",
        "unknown-actor-in-side", "unknown-side-in-by", "unknown-zone-in-where", "unknown-place-in-between",
        "along-polygon", "designated-not-actor", "bad-event-type", "bad-sub-event-type",
        "self-intersecting-polygon", "geojson-missing", "time-no-zone", "unknown-timezone", "bad-date",
        "negative-width", "until-before-from", "end-before-entry-into-force", "amends-and-supersedes",
        "yaml-syntax", "invalid-utf8-title", "invalid-utf8-lone-continuation", "nul-byte", "control-character-raw",
        "control-character-escaped", "newline-in-name", "invalid-utf8-actors-file", "invalid-utf8-geojson",
        "width-out-of-range", "radius-out-of-range", "time-out-of-range", "place-lat-out-of-range"}) {
    EXPECT_TRUE(std::find(have.begin(), have.end(), name) != have.end()) << "no fixture bad/" << name << ".yaml";
  }
}

}  // namespace
}  // namespace truce::agreement
