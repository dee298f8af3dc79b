#include "lexicon.h"

#include <gtest/gtest.h>

#include <unordered_set>

#include "test_data.h"
#include "fold.h"
#include "gazetteer.h"

namespace truce::extract {
namespace {

using testing::DataDir;

TEST(Fold, CaseDiacriticsAndMarks) {
  EXPECT_EQ(FoldWord("Sar\xC4\x81qib"), "saraqib");
  EXPECT_EQ(FoldWord("\xE1\xB8\xA8udaydah"), "hudaydah");   // Ḩudaydah
  EXPECT_EQ(FoldWord("Ma\xE2\x80\x98" "arrat"), "maarrat");   // Ma‘arrat
  EXPECT_EQ(FoldWord("Stra\xC3\x9F" "e"), "strasse");
  EXPECT_EQ(FoldWord("\xC5\x81\xC3\xB3" "d\xC5\xBA"), "lodz");  // Łódź
}

TEST(Fold, NonLatinScriptsAreTransliterated) {
  EXPECT_EQ(FoldWord("\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0"), "moskva");  // Москва
}

TEST(Fold, NamesDropArabicArticles) {
  EXPECT_EQ(FoldName("Jisr al-Shughur"), "jisr shughur");
  EXPECT_EQ(FoldName("Jisr ash Shugh\xC5\xABr"), "jisr shughur");
  EXPECT_EQ(FoldName("Al \xE1\xB8\xA8udaydah"), "hudaydah");
  EXPECT_EQ(FoldName("Deir ez-Zor"), "deir zor");
  EXPECT_EQ(FoldName("Bab al"), "bab al");  // an article at the end stays
}

TEST(Fold, SkeletonsMatchVowelVariants) {
  EXPECT_EQ(Skeleton(FoldName("Saraqeb")), Skeleton(FoldName("Sar\xC4\x81qib")));
  EXPECT_EQ(Skeleton(FoldName("Hodeidah")), Skeleton(FoldName("Al \xE1\xB8\xA8udaydah")));
  EXPECT_NE(Skeleton(FoldName("Homs")), Skeleton(FoldName("Hama")));
}

TEST(Lexicon, LoadsTheRepositoryDictionaries) {
  RealFileSystem fs;
  auto lex = Lexicon::Load(fs, DataDir());
  ASSERT_TRUE(lex.ok()) << lex.status().ToString();
  EXPECT_GT((*lex)->countries().size(), 150u);
  EXPECT_GT((*lex)->actors().size(), 100u);
  EXPECT_GT((*lex)->phrase_count(), 1000u);
  int syr = (*lex)->CountryByIso2("SY");
  ASSERT_GE(syr, 0);
  EXPECT_EQ((*lex)->countries()[static_cast<size_t>(syr)].iso3, "SYR");
  EXPECT_GE((*lex)->ActorById("rsf"), 0);
  EXPECT_TRUE((*lex)->abbreviations().count("feb"));
}

TEST(Lexicon, MatchKeyFoldsLikeTheText) {
  EXPECT_EQ(Lexicon::MatchKey("Turkish-backed rebels"), "turkish backed rebels");
  EXPECT_EQ(Lexicon::MatchKey("People's Protection Units"), "people 's protection units");
}

void ValidFiles(MemFileSystem& fs) {
  fs.Put("d/countries.tsv", "SYR\tSY\tSyria\tSyrian|Syrians\tDamascus\n");
  fs.Put("d/actors.tsv", "# comment\nsaa\tSyrian Arab Army\tSYR\tstate\tmilitary\tSAA\t-\n");
  fs.Put("d/cues.tsv", "truce\tagreement\tceasefire\n");
  fs.Put("d/places.tsv", "M4\tSYR\t-\t-\t-\troute\n");
  fs.Put("d/abbreviations.txt", "Gen.\n");
  fs.Put("d/confidence.tsv", "# rule\tmatched\trecords\nclaims/said-active\t3\t8\n");
  fs.Put("d/words.tsv", *RealFileSystem().ReadFile(DataDir() + "/words.tsv"));  // every list the rules need
}

TEST(Lexicon, BadFilesNameTheFileAndLine) {
  {
    MemFileSystem fs;
    ValidFiles(fs);
    ASSERT_TRUE(Lexicon::Load(fs, "d").ok());
  }
  {
    MemFileSystem fs;
    ValidFiles(fs);
    fs.Put("d/cues.tsv", "truce\tagreement\tceasefire\nboom\texplosion\tx\n");
    auto r = Lexicon::Load(fs, "d");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("d/cues.tsv:2:"), std::string::npos) << r.status().ToString();
  }
  {
    MemFileSystem fs;
    ValidFiles(fs);
    fs.Put("d/actors.tsv", "x\tX\tXXX\tstate\tleader\t-\t-\n");
    auto r = Lexicon::Load(fs, "d");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("unknown country"), std::string::npos);
  }
  {
    MemFileSystem fs;
    ValidFiles(fs);
    fs.Put("d/places.tsv", "Somewhere\tSYR\t-\t95\t10\tcity\n");
    EXPECT_FALSE(Lexicon::Load(fs, "d").ok());
  }
  {
    MemFileSystem fs;
    auto r = Lexicon::Load(fs, "nowhere");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  }
}

TEST(Lexicon, RuleConfidenceIsItsMeasuredPrecision) {
  MemFileSystem fs;
  ValidFiles(fs);
  auto lex = Lexicon::Load(fs, "d");
  ASSERT_TRUE(lex.ok()) << lex.status().ToString();
  // (matched + 1) / (records + 2): 3 of 8 records paired with gold.
  EXPECT_DOUBLE_EQ((*lex)->Confidence("claims/said-active"), 4.0 / 10.0);
  // A rule the file does not list: the stated default.
  EXPECT_DOUBLE_EQ((*lex)->Confidence("events/actor-by"), 0.5);
  EXPECT_DOUBLE_EQ((*lex)->Confidence("no/such-rule"), 0.5);
  // A rule never right still gets more than 0, one always right less than 1.
  fs.Put("d/confidence.tsv", "events/target-only\t0\t3\nclaims/outlet-active\t20\t20\n");
  lex = Lexicon::Load(fs, "d");
  ASSERT_TRUE(lex.ok()) << lex.status().ToString();
  EXPECT_DOUBLE_EQ((*lex)->Confidence("events/target-only"), 1.0 / 5.0);
  EXPECT_DOUBLE_EQ((*lex)->Confidence("claims/outlet-active"), 21.0 / 22.0);
}

TEST(Lexicon, TheRepositoryConfidencesAreInRange) {
  RealFileSystem fs;
  auto lex = Lexicon::Load(fs, DataDir());
  ASSERT_TRUE(lex.ok()) << lex.status().ToString();
  for (const char* rule : {"agreements/parties-named", "claims/outlet-passive", "events/actor-before"}) {
    EXPECT_GT((*lex)->Confidence(rule), 0.0) << rule;
    EXPECT_LT((*lex)->Confidence(rule), 1.0) << rule;
  }
}

TEST(Lexicon, BadConfidenceFilesNameFileLineAndColumn) {
  struct Case {
    const char* text;
    const char* where;  // file:line:column the error must name
    const char* says;
  };
  const Case cases[] = {
      {"claims/said-active\t3\n", "d/confidence.tsv:1:1", "expected 3"},
      {"# c\nclaims/said-actve\t3\t8\n", "d/confidence.tsv:2:1", "unknown rule 'claims/said-actve'"},
      {"claims/said-active\tthree\t8\n", "d/confidence.tsv:1:20", "matched must be a whole number"},
      {"claims/said-active\t3\t-8\n", "d/confidence.tsv:1:22", "records must be a whole number"},
      {"claims/said-active\t3\t8x\n", "d/confidence.tsv:1:22", "records must be a whole number"},
      {"claims/said-active\t9\t8\n", "d/confidence.tsv:1:20", "exceeds records"},
      {"claims/said-active\t3\t8\nclaims/said-active\t1\t2\n", "d/confidence.tsv:2:1", "given twice"},
  };
  for (const Case& c : cases) {
    MemFileSystem fs;
    ValidFiles(fs);
    fs.Put("d/confidence.tsv", c.text);
    auto r = Lexicon::Load(fs, "d");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.status().message().find(c.where), std::string::npos) << r.status().ToString();
    EXPECT_NE(r.status().message().find(c.says), std::string::npos) << r.status().ToString();
  }
  // The file is required: without it every record would silently get the default.
  MemFileSystem fs;
  ValidFiles(fs);
  fs.Put("d/confidence.tsv", "");
  EXPECT_TRUE(Lexicon::Load(fs, "d").ok());  // empty: every rule at the default
  MemFileSystem none;
  for (const char* f : {"countries.tsv", "actors.tsv", "cues.tsv", "places.tsv", "abbreviations.txt", "words.tsv"}) {
    none.Put(std::string("d/") + f, *fs.ReadFile(std::string("d/") + f));
  }
  auto r = Lexicon::Load(none, "d");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().ToString().find("confidence.tsv"), std::string::npos) << r.status().ToString();
}

TEST(Gazetteer, FoldedAndSkeletonLookups) {
  RealFileSystem fs;
  auto lex = Lexicon::Load(fs, DataDir());
  ASSERT_TRUE(lex.ok());
  auto g = Gazetteer::FromJson(testing::kSmallGazetteer, testing::kSmallAdmin1, "t", **lex);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ((*g)->size(), 12u);
  auto s = (*g)->Lookup(FoldName("Saraqib"));
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0]->admin1, "Idlib");
  EXPECT_NEAR(s[0]->lat, 35.86447, 1e-4);
  EXPECT_EQ((*g)->Lookup(FoldName("Jisr al-Shughur")).size(), 1u);
  EXPECT_EQ((*g)->Lookup(FoldName("Saraqeb")).size(), 0u);
  EXPECT_EQ((*g)->LookupSkeleton(FoldName("Saraqeb")).size(), 1u);
  EXPECT_EQ((*g)->Lookup(FoldName("MOSCOW")).size(), 2u);
  EXPECT_TRUE((*g)->Lookup("atlantis").empty());
}

TEST(Gazetteer, AdminAreasArePlacesWithoutCoordinates) {
  RealFileSystem fs;
  auto lex = Lexicon::Load(fs, DataDir());
  ASSERT_TRUE(lex.ok());
  auto g = Gazetteer::FromJson(testing::kSmallGazetteer, testing::kSmallAdmin1, "t", **lex);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ((*g)->size(), 12u);  // the cities; the areas are counted apart
  // Under the full name and without GeoNames' generic words, at either end.
  for (const char* name : {"Luhansk Oblast", "Luhansk", "Province of Batangas", "Batangas"}) {
    auto r = (*g)->Lookup(FoldName(name));
    ASSERT_EQ(r.size(), 1u) << name;
    EXPECT_TRUE(r[0]->region) << name;
    EXPECT_EQ(r[0]->admin1, r[0]->name) << name;
  }
  // A city and its area share a name: the city comes first.
  auto k = (*g)->Lookup(FoldName("Khartoum"));
  ASSERT_EQ(k.size(), 2u);
  EXPECT_FALSE(k[0]->region);
  EXPECT_TRUE(k[1]->region);
  // A name that is only generic words keeps its full name only.
  std::unordered_set<std::string> generic{"province", "of", "district"};
  EXPECT_EQ(BareAdminName("province of district", generic), "");
  EXPECT_EQ(BareAdminName("caza de marjayoun", {"caza"}), "marjayoun");
}

TEST(Gazetteer, MalformedJsonIsAParseErrorWithPosition) {
  RealFileSystem fs;
  auto lex = Lexicon::Load(fs, DataDir());
  ASSERT_TRUE(lex.ok());
  auto g = Gazetteer::FromJson("[{\"name\":\"X\",\"lat\":\"1\"", "", "cities.json", **lex);
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("cities.json:1:"), std::string::npos) << g.status().ToString();
  auto e = Gazetteer::FromJson("[]", "", "empty.json", **lex);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ((*e)->size(), 0u);
  // Entries without coordinates or a country are skipped, not fatal.
  auto p = Gazetteer::FromJson(R"([{"name":"Nowhere"},{"name":"A\"B","lat":"1","lng":"2","country":"SY"}])", "[bad", "p", **lex);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ((*p)->size(), 1u);
}

}  // namespace
}  // namespace truce::extract
