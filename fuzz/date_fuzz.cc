// libFuzzer target: the date and time parser over arbitrary text, with a
// publication date taken from the first bytes.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "dates.h"
#include "truce/extract/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  int offset_days = (data[0] << 8 | data[1]) - 32768;  // about +-90 years around 2020
  std::string text = truce::extract::RepairUtf8(std::string_view(reinterpret_cast<const char*>(data + 2), size - 2), nullptr);
  auto published = std::chrono::sys_days(std::chrono::year(2020) / 3 / 5) + std::chrono::days(offset_days);
  for (const auto& t : truce::extract::FindTemporalsInText(text, published)) {
    if (t.first >= t.last) __builtin_trap();
    if (t.is_time && (t.minutes < 0 || t.minutes >= 24 * 60)) __builtin_trap();
    if (!t.is_time) (void)truce::extract::FormatTemporalDate(t);
  }
  return 0;
}
