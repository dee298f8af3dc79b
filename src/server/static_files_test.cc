// The dashboard's files: the compressed variant the request allows, cache
// lifetimes by name, ETags and 304 (services/static_files.cc). Real files in a
// temporary directory; no database is needed for them.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "api.h"
#include "services/services.h"

namespace truce::server {
namespace {

namespace fs = std::filesystem;

std::string Header(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("truce_static_" + std::to_string(getpid()));
    fs::create_directories(dir_);
    Write("index.html", "<!doctype html><script src=/assets/app-ABCD2345.js></script>");
    // The server does not look inside the variants: any bytes tell them apart.
    Write("app-ABCD2345.js", "console.log('identity')");
    Write("app-ABCD2345.js.gz", "GZIP BYTES");
    Write("app-ABCD2345.js.br", "BROTLI BYTES");
    Write("only-gzip-ZZZZ9999.css", "body{}");
    Write("only-gzip-ZZZZ9999.css.gz", "GZ CSS");
    Write("logo.png", "PNG");
    Write("data.gz", "a file of its own");  // no data beside it: not a variant
    ServerOptions o;
    o.web_dir = dir_.string();
    api_ = std::make_unique<Api>(o, files_, clock_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& bytes) { std::ofstream(dir_ / name, std::ios::binary) << bytes; }

  std::shared_ptr<const Prepared> Get(const std::string& target, const std::string& accept = "",
                                      const std::string& if_none_match = "") {
    Request r;
    r.method = "GET";
    r.target = target;
    r.accept_encoding = accept;
    r.if_none_match = if_none_match;
    return api_->Handle(r);
  }

  fs::path dir_;
  RealFileSystem files_;
  FixedClock clock_{std::chrono::sys_seconds(std::chrono::seconds(1598832000))};
  std::unique_ptr<Api> api_;
};

TEST_F(StaticFilesTest, BrotliOverGzipOverIdentityAsTheClientAllows) {
  auto br = Get("/assets/app-ABCD2345.js", "gzip, deflate, br");
  EXPECT_EQ(br->response.body, "BROTLI BYTES");
  EXPECT_EQ(Header(br->response, "Content-Encoding"), "br");
  EXPECT_EQ(Header(br->response, "Vary"), "Accept-Encoding");
  EXPECT_EQ(br->response.content_type, "text/javascript; charset=utf-8");

  auto gz = Get("/assets/app-ABCD2345.js", "gzip");
  EXPECT_EQ(gz->response.body, "GZIP BYTES");
  EXPECT_EQ(Header(gz->response, "Content-Encoding"), "gzip");

  auto refused_br = Get("/assets/app-ABCD2345.js", "br;q=0, gzip;q=0.5");
  EXPECT_EQ(refused_br->response.body, "GZIP BYTES");

  auto plain = Get("/assets/app-ABCD2345.js");
  EXPECT_EQ(plain->response.body, "console.log('identity')");
  EXPECT_EQ(Header(plain->response, "Content-Encoding"), "");
  EXPECT_EQ(Header(plain->response, "Vary"), "Accept-Encoding");  // caches must key on it either way

  // Only a .gz beside it: a brotli client gets gzip.
  auto css = Get("/assets/only-gzip-ZZZZ9999.css", "br, gzip");
  EXPECT_EQ(css->response.body, "GZ CSS");
  EXPECT_EQ(Header(css->response, "Content-Encoding"), "gzip");
}

TEST_F(StaticFilesTest, VariantsAreNotFilesOfTheirOwnButAnUnpairedGzIs) {
  EXPECT_EQ(Get("/assets/app-ABCD2345.js.gz")->response.status, 404);
  EXPECT_EQ(Get("/assets/app-ABCD2345.js.br")->response.status, 404);
  auto data = Get("/assets/data.gz", "gzip");
  EXPECT_EQ(data->response.status, 200);
  EXPECT_EQ(data->response.body, "a file of its own");
  EXPECT_EQ(Header(data->response, "Content-Encoding"), "");
  EXPECT_EQ(Header(data->response, "Vary"), "");
}

TEST_F(StaticFilesTest, HashedNamesAreCachedForAYearIndexIsRevalidated) {
  EXPECT_EQ(Header(Get("/assets/app-ABCD2345.js", "br")->response, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(Header(Get("/")->response, "Cache-Control"), "no-cache");
  EXPECT_EQ(Header(Get("/assets/logo.png")->response, "Cache-Control"), "no-cache");
  EXPECT_TRUE(service::IsHashedName("app-ABCD2345.js.map"));
  EXPECT_TRUE(service::IsHashedName("basemap-Q2W3E4R5.json"));
  EXPECT_FALSE(service::IsHashedName("app.js"));
  EXPECT_FALSE(service::IsHashedName("countries-50m.json"));
  EXPECT_FALSE(service::IsHashedName("app-abcd2345.js"));  // esbuild's hashes are upper case
  EXPECT_FALSE(service::IsHashedName("app-ABCD234.js"));
}

TEST_F(StaticFilesTest, ETagsPerVariantAndNotModified) {
  auto first = Get("/", "gzip");
  const std::string etag = Header(first->response, "ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(etag.front(), '"');
  auto again = Get("/", "gzip", etag);
  EXPECT_EQ(again->response.status, 304);
  EXPECT_EQ(again->head.find("Content-Length"), std::string::npos) << again->head;
  EXPECT_TRUE(again->Body().empty());  // no body
  EXPECT_EQ(Serialize(again->response, true).substr(again->head.size()), "\r\n");
  EXPECT_EQ(Header(again->response, "ETag"), etag);
  EXPECT_EQ(Get("/", "", "W/" + etag)->response.status, 304);
  EXPECT_EQ(Get("/", "", "\"other\", " + etag)->response.status, 304);
  EXPECT_EQ(Get("/", "", "\"other\"")->response.status, 200);

  // Each variant has its own validator: a client holding the gzip bytes does
  // not get a 304 for the brotli ones.
  const std::string gz = Header(Get("/assets/app-ABCD2345.js", "gzip")->response, "ETag");
  const std::string br = Header(Get("/assets/app-ABCD2345.js", "br")->response, "ETag");
  EXPECT_NE(gz, br);
  EXPECT_EQ(Get("/assets/app-ABCD2345.js", "br", gz)->response.status, 200);
  auto nm = Get("/assets/app-ABCD2345.js", "br", br);
  EXPECT_EQ(nm->response.status, 304);
  EXPECT_EQ(Header(nm->response, "Vary"), "Accept-Encoding");
  EXPECT_EQ(Header(nm->response, "Cache-Control"), "public, max-age=31536000, immutable");
}

TEST(AcceptEncoding, ListsWildcardsAndQValues) {
  EXPECT_TRUE(service::AcceptsEncoding("gzip, deflate, br, zstd", "br"));
  EXPECT_TRUE(service::AcceptsEncoding("GZIP", "gzip"));
  EXPECT_TRUE(service::AcceptsEncoding(" gzip ;q=0.8", "gzip"));
  EXPECT_FALSE(service::AcceptsEncoding("gzip;q=0", "gzip"));
  EXPECT_FALSE(service::AcceptsEncoding("gzip;q=0.000", "gzip"));
  EXPECT_FALSE(service::AcceptsEncoding("", "gzip"));
  EXPECT_FALSE(service::AcceptsEncoding("identity", "br"));
  EXPECT_FALSE(service::AcceptsEncoding("brotli", "br"));
  EXPECT_TRUE(service::AcceptsEncoding("*", "br"));
  EXPECT_FALSE(service::AcceptsEncoding("*, br;q=0", "br"));
  EXPECT_FALSE(service::AcceptsEncoding("*;q=0", "gzip"));
}

// The ETag of every cacheable answer: the same bytes give the same text on
// any server (pinned below, so that a change shows), and any one changed bit
// or length gives another.
TEST(Fingerprint, SixteenHexDigitsThatAnyChangedBitOrLengthChanges) {
  EXPECT_EQ(service::Fingerprint(""), service::Fingerprint(std::string()));
  EXPECT_EQ(service::Fingerprint("{\"items\":[]}"), "28b1ed75a1f0c779");
  std::string text;
  for (int k = 0; k < 77; ++k) text += static_cast<char>('a' + k % 26);  // words, then a tail
  std::set<std::string> seen{service::Fingerprint(text)};
  for (std::size_t i = 0; i < text.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string changed = text;
      changed[i] = static_cast<char>(changed[i] ^ (1 << bit));
      const std::string f = service::Fingerprint(changed);
      ASSERT_EQ(f.size(), 16u);
      ASSERT_EQ(f.find_first_not_of("0123456789abcdef"), std::string::npos) << f;
      seen.insert(f);
    }
  }
  for (std::size_t n = 0; n <= 70; ++n) seen.insert(service::Fingerprint(std::string(n, '\0')));
  EXPECT_EQ(seen.size(), 1 + 77 * 8 + 71u);
}

}  // namespace
}  // namespace truce::server
