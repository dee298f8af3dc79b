// Tokens, sentences and datelines on text written for these tests (none taken or
// reworded from ../shared/corpus; a 4-word overlap scan against it finds none).
#include "segment.h"

#include <gtest/gtest.h>

namespace truce::extract {
namespace {

std::vector<std::string> Norms(std::string_view s) {
  std::vector<std::string> out;
  for (const Token& t : Tokenize(s, {0, s.size()})) out.push_back(t.norm);
  return out;
}

TEST(Tokenize, WordsNumbersAndPunctuation) {
  EXPECT_EQ(Norms("More than 4,700 troops, at 8:30 pm."),
            (std::vector<std::string>{"more", "than", "4,700", "troops", ",", "at", "8:30", "pm", "."}));
}

TEST(Tokenize, PossessiveHyphenAcronymAndDiacritics) {
  std::string s = "Syria\xE2\x80\x99s cease-fire, the U.S. and Sar\xC4\x81qib; Sana'a";
  auto toks = Tokenize(s, {0, s.size()});
  std::vector<std::string> n;
  for (auto& t : toks) n.push_back(t.norm);
  EXPECT_EQ(n, (std::vector<std::string>{"syria", "'s", "cease", "fire", ",", "the", "us", "and", "saraqib", ";", "sanaa"}));
  EXPECT_TRUE(toks[3].Has(kHyphenBefore));
  EXPECT_TRUE(toks[0].Has(kCap));
  EXPECT_TRUE(toks[6].Has(kAllCaps));
  EXPECT_FALSE(toks[5].Has(kCap));
}

TEST(Tokenize, DigitsThenLettersSplit) {
  EXPECT_EQ(Norms("2am 12km M4"), (std::vector<std::string>{"2", "am", "12", "km", "m4"}));
}

TEST(Tokenize, DashesAndQuotesFold) {
  EXPECT_EQ(Norms("MOSCOW \xE2\x80\x94 \xE2\x80\x9Cyes\xE2\x80\x9D"),
            (std::vector<std::string>{"moscow", "-", "\"", "yes", "\""}));
}

TEST(Tokenize, OffsetsPointIntoTheText) {
  std::string s = "  Idlib province";
  auto toks = Tokenize(s, {2, s.size()});
  ASSERT_EQ(toks.size(), 2u);
  EXPECT_EQ(s.substr(toks[1].begin, toks[1].end - toks[1].begin), "province");
}

class SplitterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = SentenceSplitter::Create({"feb", "gen", "mr", "sept"});
    ASSERT_TRUE(s.ok());
    splitter_ = std::move(*s);
  }
  std::vector<std::string> Split(std::string_view text) {
    std::vector<std::string> out;
    for (auto sp : splitter_->Split(text)) out.emplace_back(text.substr(sp.begin, sp.end - sp.begin));
    return out;
  }
  std::unique_ptr<SentenceSplitter> splitter_;
};

TEST_F(SplitterTest, AbbreviationsDoNotEndSentences) {
  auto s = Split("Since Jan. 9, 41 soldiers died. Gen. Smith said the U.S. Army left. It rained.");
  ASSERT_EQ(s.size(), 3u) << ::testing::PrintToString(s);
  EXPECT_EQ(s[0], "Since Jan. 9, 41 soldiers died.");
  EXPECT_EQ(s[1], "Gen. Smith said the U.S. Army left.");
}

TEST_F(SplitterTest, InitialsDoNotEndSentences) {
  auto s = Split("John F. Kennedy spoke. Then he left.");
  ASSERT_EQ(s.size(), 2u);
}

TEST_F(SplitterTest, LineBreaksAlwaysEndSentences) {
  auto s = Split("A headline without a period\n\nThe body starts here. And goes on");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0], "A headline without a period");
  EXPECT_EQ(s[2], "And goes on");
}

TEST_F(SplitterTest, EmptyAndWhitespaceOnly) {
  EXPECT_TRUE(Split("").empty());
  EXPECT_TRUE(Split("   \n\n  \t").empty());
}

TEST(Dateline, AgencyAndDash) {
  std::string t = "MOSCOW (AP) - The envoys met.";
  auto d = FindDateline(t, 0);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->place, "MOSCOW");
  EXPECT_EQ(d->agency, "AP");
  EXPECT_EQ(t.substr(d->span.end), "The envoys met.");
}

TEST(Dateline, EmDashAndCountry) {
  std::string t = "KYIV, Ukraine \xE2\x80\x94 Shelling resumed.";
  auto d = FindDateline(t, 0);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->place, "KYIV");
  EXPECT_EQ(t.substr(d->span.end), "Shelling resumed.");
}

TEST(Dateline, DayOfWritingAndAgency) {
  std::string t = "LAGOS, June 4 (Reuters) - Two bridges were closed.";
  auto d = FindDateline(t, 0);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->place, "LAGOS");
  EXPECT_EQ(d->agency, "Reuters");
  EXPECT_EQ(t.substr(d->span.end), "Two bridges were closed.");
  std::string both = "KHARKIV, Ukraine, Oct. 2 (AFP) \xE2\x80\x94 Sirens sounded.";
  d = FindDateline(both, 0);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->agency, "AFP");
  EXPECT_EQ(both.substr(d->span.end), "Sirens sounded.");
}

TEST(Dateline, OrdinarySentencesHaveNone) {
  EXPECT_FALSE(FindDateline("Serbia - and Kosovo agreed.", 0).has_value());
  EXPECT_FALSE(FindDateline("UN says - nothing", 0).has_value());  // "UN says": not all capitals
  EXPECT_FALSE(FindDateline("AB - too short", 0).has_value());
  EXPECT_FALSE(FindDateline("", 0).has_value());
}

}  // namespace
}  // namespace truce::extract
