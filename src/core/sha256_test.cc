#include "truce/core/sha256.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace truce {
namespace {

std::string Hex(const unsigned char* d) {
  std::string out;
  Sha256DigestHex(d, &out);
  return out;
}

TEST(Sha256Test, KnownVectors) {
  unsigned char d[32];
  for (bool ext : {true, false}) {
    Sha256Prefixed("", "abc", d, ext);
    EXPECT_EQ(Hex(d), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    Sha256Prefixed("ab", "c", d, ext);
    EXPECT_EQ(Hex(d), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    Sha256Prefixed("", "", d, ext);
    EXPECT_EQ(Hex(d), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    Sha256Prefixed("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "", d, ext);
    EXPECT_EQ(Hex(d), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  }
}

// Every length around the block and padding boundaries, one and two at a
// time, with short and long prefixes: the same digest as OpenSSL's.
TEST(Sha256Test, MatchesOpenSslAtEveryLength) {
  std::mt19937 rng(7);
  std::string data(400, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  const std::string long_prefix(70, 'p');
  for (const std::string& prefix : {std::string("acled\n"), std::string(), long_prefix}) {
    for (std::size_t len = 0; len <= 300; ++len) {
      std::string_view a(data.data(), len);
      std::string_view b(data.data() + 50, (len * 7) % 350);
      unsigned char want_a[32], want_b[32], got_a[32], got_b[32], one[32];
      Sha256PrefixedOpenSsl(prefix, a, want_a);
      Sha256PrefixedOpenSsl(prefix, b, want_b);
      EXPECT_EQ(Hex(want_a), Sha256Hex(prefix + std::string(a)));
      Sha256Prefixed(prefix, a, one);
      EXPECT_EQ(Hex(one), Hex(want_a)) << len;
      Sha256PrefixedPair(prefix, a, b, got_a, got_b);
      EXPECT_EQ(Hex(got_a), Hex(want_a)) << len;
      EXPECT_EQ(Hex(got_b), Hex(want_b)) << len;
      Sha256PrefixedPair(prefix, b, a, got_b, got_a);
      EXPECT_EQ(Hex(got_a), Hex(want_a)) << len;
      EXPECT_EQ(Hex(got_b), Hex(want_b)) << len;
    }
  }
}

TEST(Sha256Test, ReportsWhetherTheCpuHelps) {
  // Either answer is fine; the digests above are checked both ways.
  SUCCEED() << "SHA extensions: " << (HaveShaExtensions() ? "yes" : "no");
}

}  // namespace
}  // namespace truce
