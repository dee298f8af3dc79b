// The JSON writer: what it writes parses back to what was written.
#include "truce/core/json_writer.h"

#include <cmath>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace truce {
namespace {

using json = nlohmann::json;

TEST(JsonWriterTest, WritesWhatAParserReadsBack) {
  JsonWriter out;
  const std::string nasty = std::string("quote \" backslash \\ newline \n tab \t bell ") + '\x07' + " ünïcødé";
  out.BeginObject();
  out.Key("s").String(nasty);
  out.Key("n").Int(-42);
  out.Key("d").Double(35.629);
  out.Key("nan").Double(std::nan(""));
  out.Key("b").Bool(true);
  out.Key("none").StringOrNull("");
  out.Key("a").BeginArray().Int(1).BeginObject().Key("x").Null().EndObject().BeginArray().EndArray().EndArray();
  out.Key("raw").Raw("{\"k\":[1,2]}");
  out.EndObject();
  const std::string text = out.Take();
  json j = json::parse(text);
  EXPECT_EQ(j["s"], nasty);
  EXPECT_EQ(j["n"], -42);
  EXPECT_EQ(j["d"].get<double>(), 35.629);
  EXPECT_TRUE(j["nan"].is_null());
  EXPECT_EQ(j["b"], true);
  EXPECT_TRUE(j["none"].is_null());
  EXPECT_EQ(j["a"].dump(), R"([1,{"x":null},[]])");
  EXPECT_EQ(j["raw"]["k"][1], 2);
}

TEST(JsonWriterTest, PrettyIndentsAndNumbersForPeopleRoundToTenDigits) {
  JsonWriter out(/*pretty=*/true);
  out.BeginObject();
  out.Key("a").BeginArray().Number(2).Number(0.123456789012345).EndArray();
  out.Key("empty").BeginArray().EndArray();
  out.Key("none").NumberOrNull(std::nullopt);
  out.EndObject();
  EXPECT_EQ(out.Take(), "{\n  \"a\": [\n    2,\n    0.123456789\n  ],\n  \"empty\": [],\n  \"none\": null\n}");
}

// Stored text from before the doors checked it: the output must still parse.
TEST(JsonWriterTest, ReplacesInvalidUtf8) {
  JsonWriter out;
  out.BeginObject();
  out.Key("k\xFF").String("title \xFF\xFE, lone \x80 continuation, cut \xE2\x82, ok \xC3\xA9 \xEF\xBF\xBD\x1b");
  out.EndObject();
  const std::string text = out.Take();
  json j = json::parse(text);  // throws on invalid UTF-8
  EXPECT_EQ(j["k\xEF\xBF\xBD"],
            "title \xEF\xBF\xBD\xEF\xBF\xBD, lone \xEF\xBF\xBD continuation, cut \xEF\xBF\xBD\xEF\xBF\xBD, ok "
            "\xC3\xA9 \xEF\xBF\xBD\x1b");
  EXPECT_NE(text.find("\\u001b"), std::string::npos);
}

}  // namespace
}  // namespace truce
