#include "truce/core/strings.h"

#include <gtest/gtest.h>

namespace truce {
namespace {

TEST(StringsTest, TrimSplitJoin) {
  EXPECT_EQ(Trim("  a b \r\n"), "a b");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(Join({"a", "b"}, ", "), "a, b");
  EXPECT_TRUE(EqualsIgnoreCase("Battles", "bATTLES"));
  EXPECT_FALSE(EqualsIgnoreCase("Battle", "Battles"));
}

TEST(StringsTest, StrictNumbers) {
  EXPECT_EQ(ParseInt(" 42 "), 42);
  EXPECT_EQ(ParseInt("-3"), -3);
  EXPECT_FALSE(ParseInt("4x").has_value());
  EXPECT_FALSE(ParseInt("").has_value());
  EXPECT_DOUBLE_EQ(*ParseDouble("35.8645"), 35.8645);
  EXPECT_FALSE(ParseDouble("1.2.3").has_value());
  EXPECT_FALSE(ParseDouble("nan").has_value());
}

TEST(StringsTest, FormatDistance) {
  EXPECT_EQ(FormatDistance(850), "850 m");
  EXPECT_EQ(FormatDistance(2300), "2.3 km");
  EXPECT_EQ(FormatDistance(-2300), "2.3 km");
  EXPECT_EQ(FormatDistance(123456), "123 km");
}

TEST(StringsTest, FormatNumber) {
  EXPECT_EQ(FormatNumber(36.5), "36.5");
  EXPECT_EQ(FormatNumber(-180), "-180");
  EXPECT_EQ(FormatNumber(91.0000001), "91.0000001");
  EXPECT_EQ(FormatNumber(1.23456789012), "1.23456789");
  EXPECT_EQ(FormatNumber(1e20), "1e+20");
}

}  // namespace
}  // namespace truce

namespace truce {
namespace {

TEST(HexTest, EncodesEveryByteAndDecodesBack) {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  const std::string hex = HexEncode(all);
  EXPECT_EQ(hex.substr(0, 6), "000102");
  EXPECT_EQ(hex.substr(hex.size() - 4), "feff");
  EXPECT_EQ(HexDecode(hex), all);
  EXPECT_EQ(HexDecode(""), "");
  EXPECT_FALSE(HexDecode("abc").has_value());  // odd length
  EXPECT_FALSE(HexDecode("zz").has_value());
  EXPECT_FALSE(HexDecode("AB").has_value());   // upper case is not what HexEncode writes
}

}  // namespace
}  // namespace truce
