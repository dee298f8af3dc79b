// libFuzzer target: the ACLED reader (every vintage) on arbitrary bytes, read
// every way (read_check.h); then the same bytes with the format detected, which
// must either pick a format or say why not.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "read_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  truce::fuzz::ReadEveryWay(bytes, truce::ingest::Format::kAcled);
  const auto detected = truce::fuzz::ReadOnce(bytes, truce::ingest::Format::kAuto, true, 1, 0, false);
  if (detected.ok) truce::fuzz::Require(!detected.variant.empty(), "a detected read names its variant");
  return 0;
}
