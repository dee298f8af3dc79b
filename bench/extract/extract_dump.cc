// extract_dump: what `truce extract` prints, from the extract library alone,
// so that bench/extract/same_output.py can compare the library's output before
// and after a change while the rest of the tree is being rebuilt.
//
//     extract_dump --published YYYY-MM-DD [--compact] [--agreement-draft OUT] FILE
//     extract_dump --published YYYY-MM-DD --batch OUT_DIR FILE...
//
// --batch loads the dictionaries once and writes OUT_DIR/<file name>.json
// (indented) for each FILE: many generated reports without the start-up cost.
// stdout and the draft are written as `truce extract` writes them; stderr
// carries the same warnings (its error wording may differ). --notes also
// writes each event word that gave no event, why, and its sentence, to stderr.
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "truce/core/env.h"
#include "truce/extract/extractor.h"
#include "truce/extract/text.h"
#include "truce/time/time.h"

namespace {

int Fail(const truce::Status& s) {
  std::cerr << "extract_dump: " << s.ToString() << "\n";
  return 4;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace truce;
  std::string file, published, draft, batch;
  std::vector<std::string> files;
  bool compact = false, notes = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--published" && i + 1 < argc) {
      published = argv[++i];
    } else if (a == "--agreement-draft" && i + 1 < argc) {
      draft = argv[++i];
    } else if (a == "--batch" && i + 1 < argc) {
      batch = argv[++i];
    } else if (a == "--compact") {
      compact = true;
    } else if (a == "--notes") {
      notes = true;
    } else {
      file = a;
      files.push_back(a);
    }
  }
  if (!batch.empty()) {
    auto day = time::ParseIsoDate(published);
    if (!day.ok()) return Fail(day.status());
    RealFileSystem fs;
    std::vector<std::string> warnings;
    auto ex = extract::Extractor::Create(fs, extract::ExtractorOptions{}, &warnings);
    if (!ex.ok()) return Fail(ex.status());
    for (const std::string& f : files) {
      auto raw = fs.ReadFile(f);
      if (!raw.ok()) return Fail(raw.status());
      auto prepared = extract::PrepareText(*raw, f, extract::PrepareOptions{});
      if (!prepared.ok()) return Fail(prepared.status());
      extract::Extraction x = (*ex)->Extract(prepared->text, *day);
      x.warnings = prepared->warnings;
      std::string out = batch + "/" + std::filesystem::path(f).filename().string() + ".json";
      Status s = fs.WriteFileAtomic(out, extract::ToJson(x, true));
      if (!s.ok()) return Fail(s);
    }
    return 0;
  }
  if (file.empty() || published.empty()) {
    std::cerr << "usage: extract_dump --published YYYY-MM-DD [--compact] [--agreement-draft OUT] FILE\n";
    return 2;
  }
  auto day = time::ParseIsoDate(published);
  if (!day.ok()) return Fail(day.status());
  RealFileSystem fs;
  auto raw = fs.ReadFile(file);
  if (!raw.ok()) return Fail(raw.status());
  auto prepared = extract::PrepareText(*raw, file, extract::PrepareOptions{});
  if (!prepared.ok()) return Fail(prepared.status());
  for (const std::string& w : prepared->warnings) std::cerr << "warning: " << w << "\n";
  std::vector<std::string> warnings;
  auto ex = extract::Extractor::Create(fs, extract::ExtractorOptions{}, &warnings);
  if (!ex.ok()) return Fail(ex.status());
  for (const std::string& w : warnings) std::cerr << "warning: " << w << "\n";
  extract::Extraction x = (*ex)->Extract(prepared->text, *day);
  if (x.sentence_count == 0) std::cerr << "warning: " << file << ": no sentences found\n";
  x.warnings = prepared->warnings;
  x.warnings.insert(x.warnings.end(), warnings.begin(), warnings.end());
  std::cout << extract::ToJson(x, !compact);
  if (notes) {
    for (const extract::EventMiss& m : x.event_misses) std::cerr << "event note: " << m.cue << ": " << m.reason << " | " << m.source.sentence << "\n";
  }
  if (!draft.empty()) {
    auto yaml = extract::AgreementDraftYaml(x, file);
    if (!yaml.ok()) return Fail(yaml.status());
    Status s = fs.WriteFileAtomic(draft, *yaml);
    if (!s.ok()) return Fail(s);
    std::cerr << "wrote draft agreement " << draft << " (complete the TODOs)\n";
  }
  return 0;
}
