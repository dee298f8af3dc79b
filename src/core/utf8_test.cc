#include "truce/core/utf8.h"

#include <gtest/gtest.h>

namespace truce {
namespace {

TEST(Utf8, CountsCodePoints) {
  EXPECT_EQ(CountCodePoints(""), 0u);
  EXPECT_EQ(CountCodePoints("Idlib"), 5u);
  EXPECT_EQ(CountCodePoints("Ma\xCA\xBF" "arrat"), 8u);           // U+02BF: two bytes, one code point
  EXPECT_EQ(CountCodePoints("\xE2\x80\x94 \xF0\x9F\x98\x80"), 3u);  // an em dash, a space, an emoji
}

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

TEST(Utf8, EscapesControlsAndRepairs) {
  EXPECT_EQ(EscapeControls("Kafr Nabl \xE2\x80\x94 ok"), "Kafr Nabl \xE2\x80\x94 ok");
  EXPECT_EQ(EscapeControls("a\nb\tc\rd"), "a\\nb\\tc\\rd");
  EXPECT_EQ(EscapeControls("\x1b[31mred"), "\\x1b[31mred");
  EXPECT_EQ(EscapeControls(std::string("nul\0x", 5)), "nul\\x00x");
  EXPECT_EQ(EscapeControls("del\x7f"), "del\\x7f");
  EXPECT_EQ(EscapeControls("nel\xC2\x85"), "nel\\u0085");  // C1 as UTF-8
  EXPECT_EQ(EscapeControls("\xFF\xFE" "a\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD" "a\xEF\xBF\xBD");
}

// The token-name rule: one line of printable UTF-8, bounded.
TEST(Utf8, ChecksNames) {
  EXPECT_TRUE(CheckName("", "--name").ok());
  EXPECT_TRUE(CheckName("dashboard \xC3\xA9quipe \xE2\x80\x94 Idlib", "--name").ok());
  Status s = CheckName("ops\nadmin", "--name");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "--name: control character U+000A at byte 4 (a name is one line of printable text)");
  EXPECT_EQ(CheckName("a\tb", "--name").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckName("\x1b[2J", "--name").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckName("x\xC2\x9b", "--name").code(), StatusCode::kInvalidArgument);  // C1 CSI
  EXPECT_EQ(CheckName(std::string("a\0b", 3), "--name").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckName("ab\xFF\xFE", "--name").message(), "--name: invalid UTF-8 (byte 0xFF at byte 3)");
  EXPECT_EQ(CheckName("a\x80", "").message(), "invalid UTF-8 (byte 0x80 at byte 2)");
  EXPECT_EQ(CheckName(std::string(257, 'x'), "name").message(), "name: longer than 256 bytes (257)");
  EXPECT_TRUE(CheckName(std::string(256, 'x'), "name").ok());
}

}  // namespace
}  // namespace truce
