// libFuzzer target: the UCDP GED reader on arbitrary bytes, read every way
// (read_check.h).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "read_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  truce::fuzz::ReadEveryWay(std::string_view(reinterpret_cast<const char*>(data), size),
                            truce::ingest::Format::kUcdp);
  return 0;
}
