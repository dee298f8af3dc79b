#include "truce/extract/text.h"

#include <gtest/gtest.h>

namespace truce::extract {
namespace {

TEST(PrepareText, PlainTextPassesThrough) {
  auto r = PrepareText("Headline\n\nBody text.", "a.txt");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->text, "Headline\n\nBody text.");
  EXPECT_FALSE(r->was_html);
  EXPECT_EQ(r->invalid_utf8_replaced, 0u);
}

TEST(PrepareText, EmptyIsEmptyNotAnError) {
  auto r = PrepareText("", "empty.txt");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->text, "");
}

TEST(PrepareText, BinaryIsAnErrorNamingTheFile) {
  std::string bin("\x7f" "ELF\x02\x01\x01\x00\x00\x00", 10);
  auto r = PrepareText(bin, "prog.bin");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kParseError);
  EXPECT_NE(r.status().message().find("prog.bin"), std::string::npos);
  std::string controls(100, '\x01');
  EXPECT_FALSE(PrepareText(controls, "c.bin").ok());
}

TEST(PrepareText, InvalidUtf8IsRepairedWithAWarning) {
  std::string s = "Caf\xe9 in Idlib. More text follows here to keep the share of bad bytes low.";
  auto r = PrepareText(s, "latin1.txt");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->invalid_utf8_replaced, 1u);
  EXPECT_NE(r->text.find("Caf\xEF\xBF\xBD in"), std::string::npos);
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_NE(r->warnings[0].find("latin1.txt"), std::string::npos);
}

TEST(PrepareText, MostlyInvalidUtf8IsRefused) {
  std::string s(200, '\xff');
  auto r = PrepareText(s, "garbage.txt");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("garbage.txt"), std::string::npos);
}

TEST(PrepareText, OversizedFileIsRefused) {
  PrepareOptions o;
  o.max_bytes = 10;
  auto r = PrepareText("0123456789AB", "big.txt", o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("too large"), std::string::npos);
}

TEST(PrepareText, CrLfAndFormFeedsBecomeNewlines) {
  auto r = PrepareText("a\r\nb\rc\fd", "x.txt");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->text, "a\nb\nc\nd");
}

TEST(Html, StripsTagsScriptsStylesAndDecodesEntities) {
  std::string html =
      "<!DOCTYPE html><html><head><title>Truce holds &amp; talks go on</title>"
      "<style>p{color:red}</style><script>var x = '<p>no</p>';</script></head>"
      "<body><h1>Truce holds &amp; talks go on</h1><p>Fighting stopped at&nbsp;midnight &#8212; "
      "officials said.</p><!-- a comment --><p>Second&#x2019;s paragraph.</p></body></html>";
  ASSERT_TRUE(LooksLikeHtml(html));
  auto r = PrepareText(html, "page.html");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->was_html);
  EXPECT_EQ(r->text.substr(0, r->text.find('\n')), "Truce holds & talks go on");
  EXPECT_EQ(r->text.find("color"), std::string::npos);
  EXPECT_EQ(r->text.find("var x"), std::string::npos);
  EXPECT_EQ(r->text.find("comment"), std::string::npos);
  EXPECT_NE(r->text.find("Fighting stopped at midnight \xE2\x80\x94 officials said."), std::string::npos);
  EXPECT_NE(r->text.find("Second\xE2\x80\x99s paragraph."), std::string::npos);
  // The headline is not repeated by the <h1>.
  EXPECT_EQ(r->text.find("Truce holds", 5), std::string::npos);
}

TEST(Html, UnterminatedTagsAndEntitiesDoNotCrash) {
  EXPECT_EQ(DecodeEntities("a &bogus; b &#xZZ; &#99999999; &"), "a &bogus; b &#xZZ; &#99999999; &");
  EXPECT_EQ(DecodeEntities("&lt;&gt;&quot;"), "<>\"");
  std::string t = HtmlToText("<html><body><p>text <b");
  EXPECT_NE(t.find("text"), std::string::npos);
  EXPECT_FALSE(LooksLikeHtml("Plain report about <3 things"));
}

TEST(Utf8, DecodeAlwaysAdvances) {
  std::string s = "\xe2\x82";  // truncated
  size_t i = 0;
  EXPECT_EQ(DecodeUtf8(s, &i), 0xFFFDu);
  EXPECT_EQ(i, 1u);
  std::string ok = "\xC4\x81";  // ā
  i = 0;
  EXPECT_EQ(DecodeUtf8(ok, &i), 0x101u);
  EXPECT_EQ(i, 2u);
  std::string overlong = "\xC0\xAF";
  i = 0;
  EXPECT_EQ(DecodeUtf8(overlong, &i), 0xFFFDu);
}

TEST(CharOffsets, CountsCodePoints) {
  std::string s = "Sar\xC4\x81qib is here";  // "Sarāqib is here"
  CharOffsets o(s);
  EXPECT_EQ(o.ToChar(0), 0u);
  EXPECT_EQ(o.ToChar(3), 3u);
  EXPECT_EQ(o.ToChar(5), 4u);  // after the two-byte ā
  EXPECT_EQ(o.ToChar(s.size()), 15u);
  std::string longer(200, 'a');
  longer += "\xC4\x81" "b";
  CharOffsets p(longer);
  EXPECT_EQ(p.ToChar(202), 201u);
}

}  // namespace
}  // namespace truce::extract
