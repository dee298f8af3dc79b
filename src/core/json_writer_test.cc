// The JSON writer: what it writes parses back to what was written.
#include "truce/core/json_writer.h"

#include <cmath>
#include <random>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "truce/core/utf8.h"

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

// Members already written elsewhere join the object's own with the right
// commas, first, in the middle or last, and nothing is written for none.
TEST(JsonWriterTest, MembersWrittenElsewhereJoinTheObject) {
  JsonWriter out;
  out.BeginArray();
  out.BeginObject().Members(R"("a":1,"b":"x")").Key("c").Int(2).EndObject();
  out.BeginObject().Key("c").Int(2).Members(R"("a":1)").Members("").Key("d").Null().EndObject();
  out.BeginObject().Members("").EndObject();
  out.EndArray();
  const std::string text = out.Take();
  EXPECT_EQ(text, R"([{"a":1,"b":"x","c":2},{"c":2,"a":1,"d":null},{}])");
  EXPECT_TRUE(json::accept(text));
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

// Quote's escaping, one byte at a time: what the writer's word-at-a-time scan
// must give for any text.
std::string QuotedByteByByte(std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const std::size_t start = i;
      const char32_t cp = DecodeUtf8(s, &i);
      if (cp == 0xFFFD && s.substr(start, i - start) != "\xEF\xBF\xBD") {
        out += "\xEF\xBF\xBD";
      } else {
        out.append(s.substr(start, i - start));
      }
      continue;
    }
    ++i;
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20) {
      out += std::string("\\u00") + kHex[c >> 4] + kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string Written(std::string_view s) {
  JsonWriter out;
  out.String(s);
  return out.Take();
}

// Every byte that needs a look (and some that do not) at every position of
// texts around the 8-byte words the writer reads at once, then random texts.
TEST(JsonWriterTest, EscapesAsByteByByteWhereverTheByteFalls) {
  const std::vector<std::string> odd = {"\"",   "\\",   "\n",     "\r",   "\t", std::string(1, '\0'), "\x01", "\x1f",
                                        "\x7f", " ",    "!",      "#",    "[",  "]",                  "\xC3\xA9",
                                        "\xFF", "\x80", "\xE2\x82", "\xF0\x9F\x98\x80", "\xEF\xBF\xBD", "\xC0\xAF"};
  int checked = 0;
  for (std::size_t len = 0; len <= 24; ++len) {
    for (std::size_t at = 0; at <= len; ++at) {
      for (const std::string& x : odd) {
        std::string s(len, 'a');
        s.insert(at, x);
        ASSERT_EQ(Written(s), QuotedByteByByte(s)) << "length " << len << ", odd byte(s) at " << at;
        ++checked;
      }
    }
  }
  std::mt19937 rng(20261207);
  const std::string alphabet = std::string("abcXYZ 019-_,.:/\"\\\n\t\x01\x1f\x7f") + "\xC3\xA9\xD8\xA7\xFF\x80\xE2\x82\xAC";
  for (int k = 0; k < 3000; ++k) {
    std::string s(rng() % 70, ' ');
    for (char& c : s) c = alphabet[rng() % alphabet.size()];
    ASSERT_EQ(Written(s), QuotedByteByByte(s)) << "random text " << k;
    ++checked;
  }
  EXPECT_GT(checked, 8000);
}

}  // namespace
}  // namespace truce
