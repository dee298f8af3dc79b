#include <gtest/gtest.h>

#include "config.h"
#include "testing.h"

namespace truce::reconcile {
namespace {

TEST(ConfigTest, RepositoryFileParses) {
  auto c = testing::RepoConfig();
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->Curated("acled"));
  EXPECT_TRUE(c->Curated("ucdp"));
  EXPECT_FALSE(c->Curated("news"));
  EXPECT_TRUE(c->Observation("geojson"));
  EXPECT_GT(c->threshold, 0);
  EXPECT_FALSE(c->type_groups.empty());
}

TEST(ConfigTest, EmptyFileIsEveryDefault) {
  auto c = ParseConfig("", "m.yaml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_DOUBLE_EQ((*c)->threshold, Config().threshold);
}

TEST(ConfigTest, GradesByDatasetAndOutlet) {
  auto c = ParseConfig(
      "datasets:\n  acled: {curated: true, grade: B}\n  news: {grade: C}\ndefault_grade: E\n"
      "sources:\n  Reuters: A\n",
      "m.yaml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  model::Report r;
  r.dataset = "news";
  r.source = "reuters";
  EXPECT_EQ((*c)->GradeOf(r), "A");
  r.source = "Daily Bugle";
  EXPECT_EQ((*c)->GradeOf(r), "C");
  r.dataset = "acled";
  r.source = "Reuters";  // a dataset row is graded as its dataset
  EXPECT_EQ((*c)->GradeOf(r), "B");
  r.dataset = "gdelt";
  EXPECT_EQ((*c)->GradeOf(r), "A");  // not curated: its named outlet
  r.source = "";
  EXPECT_EQ((*c)->GradeOf(r), "E");
}

struct BadCase {
  const char* yaml;
  const char* where;  // "file:line:column"
  const char* says;
};

TEST(ConfigTest, ErrorsNameFileLineAndColumn) {
  const BadCase cases[] = {
      {"score:\n  threshold: 0.7\n  treshold: 0.8\n", "m.yaml:3:3", "unknown key 'treshold'"},
      {"score:\n  weights:\n    distance: far\n", "m.yaml:3:15", "must be a number"},
      {"score:\n  threshold: 1.5\n", "m.yaml:2:14", "within [0, 1]"},
      {"datasets:\n  acled: {grade: G}\n", "m.yaml:2:18", "grade A to F"},
      {"event_types:\n  - group: x\n    ucdp: [4]\n", "m.yaml:3:12", "within [1, 3]"},
      {"event_types:\n  - acled: [Battles]\n", "m.yaml:2:5", "needs a name"},
      {"actors:\n  same:\n    - [only one]\n", "m.yaml:3:7", "at least two"},
      {"candidates:\n  max_day_gap: -1\n", "m.yaml:2:16", "within [0, 31]"},
      {"score: [1, 2\n", "m.yaml:", ""},
      {"bogus: 1\n", "m.yaml:1:1", "unknown key 'bogus'"},
  };
  for (const BadCase& bad : cases) {
    auto c = ParseConfig(bad.yaml, "m.yaml");
    ASSERT_FALSE(c.ok()) << bad.yaml;
    EXPECT_EQ(c.status().code(), StatusCode::kParseError);
    EXPECT_NE(c.status().message().find(bad.where), std::string::npos) << c.status().message();
    EXPECT_NE(c.status().message().find(bad.says), std::string::npos) << c.status().message();
  }
}

TEST(ConfigTest, FoldName) {
  EXPECT_EQ(FoldName("Military Forces of Syria (2000-)"), "military forces of syria");
  EXPECT_EQ(FoldName("Civilians (Syria)"), "civilians");
  EXPECT_EQ(FoldName("  Hay'at  Tahrir al-Sham "), "hay at tahrir al sham");
  EXPECT_EQ(FoldName(""), "");
}

}  // namespace
}  // namespace truce::reconcile
