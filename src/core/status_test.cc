#include "truce/core/status.h"

#include <gtest/gtest.h>

namespace truce {
namespace {

Result<int> Half(int x) {
  if (x % 2) return Status::InvalidArgument("odd: " + std::to_string(x));
  return x / 2;
}

Result<int> Quarter(int x) {
  TRUCE_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(StatusTest, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "ok");
}

TEST(StatusTest, PositionedMessages) {
  EXPECT_EQ(Status::ParseErrorAt("a.yaml", 3, 7, "unknown key 'zonez'").ToString(),
            "parse error: a.yaml:3:7: unknown key 'zonez'");
  EXPECT_EQ(Status::RowError("x.csv", 12, "latitude", "not a number: 'abc'").message(),
            "x.csv: row 12, field 'latitude': not a number: 'abc'");
  EXPECT_EQ(Status::RowError("x.csv", 2, "", "too few fields").message(), "x.csv: row 2: too few fields");
}

TEST(StatusTest, WithContextKeepsCode) {
  Status s = Status::NotFound("zone 'm4'").WithContext("provision art3");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "provision art3: zone 'm4'");
  EXPECT_TRUE(Status::Ok().WithContext("x").ok());
}

TEST(ResultTest, ValueAndError) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "odd: 3");
  EXPECT_TRUE(Half(2).status().ok());
}

}  // namespace
}  // namespace truce
