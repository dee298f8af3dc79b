#include "matcher.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <tuple>

namespace truce::extract {
namespace {

std::set<std::tuple<uint32_t, uint32_t, int32_t>> Scan(const AhoCorasick& ac, std::string_view text) {
  std::vector<AhoCorasick::Match> m;
  ac.Scan(text, &m);
  std::set<std::tuple<uint32_t, uint32_t, int32_t>> out;
  for (auto& x : m) out.emplace(x.begin, x.end, x.id);
  return out;
}

TEST(AhoCorasick, FindsOverlappingWholeWordMatches) {
  AhoCorasick ac;
  ac.Add("cease fire", 1);
  ac.Add("fire", 2);
  ac.Add("syrian arab army", 3);
  ac.Add("army", 4);
  ac.Build();
  auto m = Scan(ac, "a cease fire by the syrian arab army");
  EXPECT_TRUE(m.count({2, 12, 1}));
  EXPECT_TRUE(m.count({8, 12, 2}));
  EXPECT_TRUE(m.count({20, 36, 3}));
  EXPECT_TRUE(m.count({32, 36, 4}));
  EXPECT_EQ(m.size(), 4u);
}

TEST(AhoCorasick, RespectsWordBoundaries) {
  AhoCorasick ac;
  ac.Add("un", 1);
  ac.Build();
  EXPECT_TRUE(Scan(ac, "under the sun unit").empty());
  EXPECT_EQ(Scan(ac, "the un said").size(), 1u);
}

TEST(AhoCorasick, BytesOutsideTheAlphabetAreVerified) {
  AhoCorasick ac;
  ac.Add("caf\xC3\xA9", 1);  // "café" with a non-ASCII byte class
  ac.Build();
  EXPECT_EQ(Scan(ac, "a caf\xC3\xA9 here").size(), 1u);
  EXPECT_TRUE(Scan(ac, "a caf\xC3\xA8 here").empty());  // "cafè": same class, other bytes
}

TEST(AhoCorasick, EmptyAutomatonAndEmptyText) {
  AhoCorasick ac;
  ac.Build();
  EXPECT_TRUE(Scan(ac, "anything").empty());
  AhoCorasick b;
  b.Add("x", 1);
  b.Build();
  EXPECT_TRUE(Scan(b, "").empty());
}

TEST(AhoCorasick, AgreesWithBruteForceOnRandomText) {
  std::mt19937 rng(7);
  const char* words[] = {"al", "sham", "idlib", "m4", "highway", "truce", "a", "of", "the", "syrian"};
  std::vector<std::string> pats;
  AhoCorasick ac;
  for (int i = 0; i < 300; ++i) {
    std::string p;
    int n = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < n; ++k) {
      if (k) p += ' ';
      p += words[rng() % 10];
    }
    pats.push_back(p);
    ac.Add(p, i);
  }
  ac.Build();
  for (int round = 0; round < 50; ++round) {
    std::string text;
    for (int k = 0; k < 40; ++k) {
      if (k) text += ' ';
      text += words[rng() % 10];
    }
    std::set<std::tuple<uint32_t, uint32_t, int32_t>> want;
    for (size_t i = 0; i < pats.size(); ++i) {
      for (size_t pos = text.find(pats[i]); pos != std::string::npos; pos = text.find(pats[i], pos + 1)) {
        size_t e = pos + pats[i].size();
        if ((pos == 0 || text[pos - 1] == ' ') && (e == text.size() || text[e] == ' ')) {
          want.emplace(static_cast<uint32_t>(pos), static_cast<uint32_t>(e), static_cast<int32_t>(i));
        }
      }
    }
    EXPECT_EQ(Scan(ac, text), want);
  }
}

}  // namespace
}  // namespace truce::extract
