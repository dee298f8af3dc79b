#include "truce/core/utf8.h"

#include <gtest/gtest.h>

namespace truce {
namespace {

TEST(Utf8, FindsTheFirstInvalidByte) {
  EXPECT_EQ(FindInvalidUtf8(""), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("Kafr Nabl \xE2\x80\x94 \xD8\xA5\xD8\xAF\xD9\x84\xD8\xA8"), std::nullopt);
  EXPECT_EQ(FindInvalidUtf8("ab\xFF\xFE"), 2u);
  EXPECT_EQ(FindInvalidUtf8("a\xC3"), 1u);                 // truncated
  EXPECT_EQ(FindInvalidUtf8("a\xC0\xAF"), 1u);             // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("a\xED\xA0\x80"), 1u);         // surrogate
  EXPECT_EQ(FindInvalidUtf8("a\xF4\x90\x80\x80"), 1u);     // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("\xEF\xBF\xBD is fine"), std::nullopt);  // U+FFFD itself
}

TEST(Utf8, RepairsEachBadSequence) {
  std::size_t n = 99;
  EXPECT_EQ(RepairUtf8("ok", &n), "ok");
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(RepairUtf8("a\xFF\xFE" "b", &n), "a\xEF\xBF\xBD\xEF\xBF\xBD" "b");
  EXPECT_EQ(n, 2u);
  EXPECT_EQ(FindInvalidUtf8(RepairUtf8("\xC3\x28\xE2\x82")), std::nullopt);
}

TEST(Utf8, DescribesTheByte) {
  EXPECT_EQ(DescribeByteAt("a\xFF", 1), "byte 0xFF");
  EXPECT_EQ(DescribeByteAt("a", 5), "end of text");
}

}  // namespace
}  // namespace truce
