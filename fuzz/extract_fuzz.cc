// libFuzzer target: the whole extractor (dictionaries from data/extract, an
// empty gazetteer) and its JSON over arbitrary reports.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "gazetteer.h"
#include "lexicon.h"
#include "truce/extract/extractor.h"
#include "truce/extract/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::unique_ptr<truce::extract::Extractor> ex = [] {
    truce::RealFileSystem fs;
    auto lex = truce::extract::Lexicon::Load(fs, TRUCE_SOURCE_DIR "/data/extract");
    if (!lex.ok()) __builtin_trap();
    return std::make_unique<truce::extract::Extractor>(std::move(*lex), nullptr);
  }();
  std::string raw(reinterpret_cast<const char*>(data), size);
  auto prepared = truce::extract::PrepareText(raw, "fuzz");
  if (!prepared.ok()) return 0;
  auto published = std::chrono::sys_days(std::chrono::year(2020) / 3 / 5);
  auto x = ex->Extract(prepared->text, published);
  std::string json = truce::extract::ToJson(x, false);
  if (json.empty()) __builtin_trap();
  (void)truce::extract::AgreementDraftYaml(x, "fuzz");
  return 0;
}
