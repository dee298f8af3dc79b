#include <gtest/gtest.h>

#include <limits>

#include "testing.h"
#include "truce/geo/geo.h"

namespace truce::geo {
namespace {

using geo_testing::Has;
using geo_testing::R;

const Ring kSquare = R({{35.5, 36.5}, {35.5, 37.0}, {36.0, 37.0}, {36.0, 36.5}});

TEST(ValidateTest, GoodPolygonsPass) {
  Polygon with_hole{kSquare, {R({{35.6, 36.6}, {35.6, 36.8}, {35.8, 36.8}})}};
  EXPECT_TRUE(ValidatePolygons({with_hole}).ok());
  EXPECT_TRUE(ValidatePolygons({Polygon{kSquare, {}}, Polygon{R({{34, 38}, {34, 39}, {35, 39}}), {}}}).ok());
}

TEST(ValidateTest, BowTieIsRejectedWithGeosReason) {
  // Edges (35.5,36.5)-(36,37) and (36,36.5)-(35.5,37) cross at (35.75, 36.75).
  Ring bow = R({{35.5, 36.5}, {36.0, 37.0}, {36.0, 36.5}, {35.5, 37.0}});
  Status s = ValidatePolygons({Polygon{kSquare, {}}, Polygon{bow, {}}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kValidationError);
  EXPECT_TRUE(Has(s, "polygon 1, ring 0: ")) << s.message();
  EXPECT_TRUE(Has(s, "self-intersection at (36.75 35.75)")) << s.message();
}

TEST(ValidateTest, RingStructureAndRanges) {
  struct Case {
    std::vector<Polygon> polys;
    const char* expect;
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const Case cases[] = {
      {{}, "no polygons"},
      {{Polygon{{{35, 36}, {35, 37}, {35, 36}}, {}}}, "polygon 0, ring 0: a ring needs at least 4 positions"},
      {{Polygon{{{35, 36}, {35, 37}, {36, 37}, {36, 36}}, {}}}, "polygon 0, ring 0: ring is not closed"},
      {{Polygon{R({{35, 36}, {95, 37}, {36, 37}}), {}}}, "polygon 0, ring 0, position 1: latitude 95 out of range"},
      {{Polygon{R({{35, 36}, {35, 181}, {36, 37}}), {}}}, "position 1: longitude 181 out of range"},
      {{Polygon{R({{35, 36}, {nan, 37}, {36, 37}}), {}}}, "position 1: coordinate is not a finite number"},
      {{Polygon{kSquare, {R({{35.6, 36.6}, {35.6, 36.8}})}}}, "polygon 0, ring 1: a ring needs at least 4"},
  };
  for (const Case& c : cases) {
    Status s = ValidatePolygons(c.polys);
    ASSERT_FALSE(s.ok()) << c.expect;
    EXPECT_TRUE(Has(s, c.expect)) << s.message();
  }
}

TEST(ValidateTest, BadHolesNameTheirRing) {
  // A hole outside the shell, as the second hole.
  Polygon outside{kSquare, {R({{35.6, 36.6}, {35.6, 36.8}, {35.8, 36.8}}), R({{37, 36.6}, {37, 36.8}, {37.2, 36.8}})}};
  Status s = ValidatePolygons({outside});
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(Has(s, "polygon 0, ring 2: ")) << s.message();
  EXPECT_TRUE(Has(s, "hole lies outside shell")) << s.message();
  // A self-intersecting hole names the hole.
  Polygon bow_hole{kSquare, {R({{35.6, 36.6}, {35.8, 36.8}, {35.8, 36.6}, {35.6, 36.8}})}};
  s = ValidatePolygons({bow_hole});
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(Has(s, "polygon 0, ring 1: ")) << s.message();
  EXPECT_TRUE(Has(s, "self-intersection")) << s.message();
}

TEST(ValidateTest, LineStrings) {
  EXPECT_TRUE(ValidateLineString({{35.8126, 36.3176}, {35.8167, 36.6}}).ok());
  Status s = ValidateLineString({{35.8126, 36.3176}});
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(Has(s, "at least 2 positions")) << s.message();
  s = ValidateLineString({{35.8126, 36.3176}, {135.8, 36.6}});
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(Has(s, "line, position 1: latitude 135.8 out of range")) << s.message();
}

}  // namespace
}  // namespace truce::geo
