// libFuzzer target: input preparation (binary/UTF-8/HTML), sentence splitting,
// tokenizing and dateline detection must never crash or hang on any bytes.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "segment.h"
#include "truce/extract/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::unique_ptr<truce::extract::SentenceSplitter> splitter = [] {
    auto s = truce::extract::SentenceSplitter::Create({"feb", "gen", "mr", "u.s"});
    return s.ok() ? std::move(*s) : nullptr;
  }();
  std::string raw(reinterpret_cast<const char*>(data), size);
  auto prepared = truce::extract::PrepareText(raw, "fuzz");
  if (!prepared.ok()) return 0;
  const std::string& text = prepared->text;
  truce::extract::CharOffsets offsets(text);
  for (const auto& span : splitter->Split(text)) {
    if (span.begin > span.end || span.end > text.size()) __builtin_trap();
    auto toks = truce::extract::Tokenize(text, span);
    for (const auto& t : toks) {
      if (t.begin > t.end || t.end > span.end) __builtin_trap();
    }
    (void)offsets.ToChar(span.end);
    (void)truce::extract::FindDateline(text, span.begin);
  }
  return 0;
}
