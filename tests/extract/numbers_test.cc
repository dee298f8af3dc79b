// Numbers and qualifiers on phrases written for these tests (none taken or reworded
// from ../shared/corpus; a 4-word overlap scan against it finds none).
#include "numbers.h"

#include <gtest/gtest.h>

namespace truce::extract {
namespace {

void Expect(std::string_view text, double value, Qualifier q) {
  auto r = ParseQuantityText(text);
  ASSERT_TRUE(r.has_value()) << text;
  ASSERT_TRUE(r->value.has_value()) << text;
  EXPECT_DOUBLE_EQ(*r->value, value) << text;
  EXPECT_EQ(r->qualifier, q) << text;
}

TEST(Numbers, Digits) {
  Expect("58 soldiers", 58, Qualifier::kExact);
  Expect("3,200 troops", 3200, Qualifier::kExact);
  Expect("1.5 million people", 1.5e6, Qualifier::kExact);
  Expect("3 million civilians", 3e6, Qualifier::kExact);
}

TEST(Numbers, Words) {
  Expect("two killed", 2, Qualifier::kExact);
  Expect("fifty-eight soldiers", 58, Qualifier::kExact);
  Expect("twelve", 12, Qualifier::kExact);
  Expect("two hundred and fifty people", 250, Qualifier::kExact);
  Expect("a million people", 1e6, Qualifier::kExact);
  Expect("a dozen fighters", 12, Qualifier::kExact);
}

TEST(Numbers, Qualifiers) {
  Expect("more than 4,700", 4700, Qualifier::kMoreThan);
  Expect("over 100", 100, Qualifier::kMoreThan);
  Expect("at least 230 fighters", 230, Qualifier::kAtLeast);
  Expect("nearly a million", 1e6, Qualifier::kAbout);
  Expect("close to a million people", 1e6, Qualifier::kAbout);
  Expect("about 25 million", 25e6, Qualifier::kAbout);
  Expect("up to 40 people", 40, Qualifier::kUpTo);
  Expect("no fewer than 9", 9, Qualifier::kAtLeast);
}

TEST(Numbers, VagueAmountsHaveNoCount) {
  auto r = ParseQuantityText("hundreds of thousands have fled");
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->value.has_value());
  EXPECT_EQ(r->vague, "hundreds of thousands");
  auto d = ParseQuantityText("dozens of people");
  ASSERT_TRUE(d.has_value());
  EXPECT_FALSE(d->value.has_value());
}

TEST(Numbers, NotNumbers) {
  EXPECT_FALSE(ParseQuantityText("One of the main interests").has_value());
  EXPECT_FALSE(ParseQuantityText("at 8:30 pm").has_value());
  EXPECT_FALSE(ParseQuantityText("more than half").has_value());
  EXPECT_FALSE(ParseQuantityText("").has_value());
  EXPECT_FALSE(ParseQuantityText("1,23,4 and 12,34").has_value());  // malformed separators
  // "No one was hurt": nobody, not a count of one; "one" alone still counts.
  EXPECT_FALSE(ParseQuantityText("No one was hurt in the blast").has_value());
  ASSERT_TRUE(ParseQuantityText("only one was hurt").has_value());
  EXPECT_EQ(*ParseQuantityText("only one was hurt")->value, 1);
}

TEST(Numbers, WordValues) {
  EXPECT_EQ(NumberWordValue("ninety"), 90);
  EXPECT_EQ(NumberWordValue("banana"), -1);
  EXPECT_EQ(OrdinalWordValue("tenth"), 10);
  EXPECT_EQ(OrdinalWordValue("ten"), 0);
}

}  // namespace
}  // namespace truce::extract
