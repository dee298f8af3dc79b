// libFuzzer target: the number parser ("more than 3,200", "fifty-eight",
// "hundreds of thousands") over arbitrary text.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "numbers.h"
#include "truce/extract/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text = truce::extract::RepairUtf8(std::string_view(reinterpret_cast<const char*>(data), size), nullptr);
  auto toks = truce::extract::Tokenize(text, {0, text.size()});
  for (const auto& q : truce::extract::FindQuantities(toks)) {
    if (q.first >= q.last || q.last > toks.size()) __builtin_trap();
    if (q.value && (std::isnan(*q.value) || *q.value < 0)) __builtin_trap();
  }
  return 0;
}
