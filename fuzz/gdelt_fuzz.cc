// libFuzzer target: the GDELT 2.0 events reader (tab-separated, no header) on
// arbitrary bytes, read every way (read_check.h).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "read_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  truce::fuzz::ReadEveryWay(std::string_view(reinterpret_cast<const char*>(data), size),
                            truce::ingest::Format::kGdelt);
  return 0;
}
