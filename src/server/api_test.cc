// The API without sockets: routes against the OpenAPI document, and requests
// answered by Api::Handle on the Idlib example in a real SQLite file. The
// same API over a real socket is tested by tests/api/api_test.py.
#include "api.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <atomic>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace truce::server {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

TEST(OpenApi, EveryRouteIsDocumentedAndEveryDocumentedOperationIsARoute) {
  json doc = json::parse(OpenApiDocument());
  ASSERT_EQ(doc["openapi"], "3.1.0");
  std::set<std::string> documented, routed;
  for (const auto& [path, ops] : doc["paths"].items()) {
    for (const auto& [method, op] : ops.items()) {
      std::string m = method;
      for (char& ch : m) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      documented.insert(m + " " + path);
    }
  }
  for (const RouteInfo& r : ApiRoutes()) {
    routed.insert(r.method + " " + r.pattern);
    std::string lower = r.method;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const json& op = doc["paths"][r.pattern][lower];
    ASSERT_TRUE(op.is_object()) << r.method << " " << r.pattern;
    const char* access = r.access == Access::kPublic    ? "public"
                         : r.access == Access::kRead    ? "viewer"
                         : r.access == Access::kAnalyst ? "analyst"
                                                        : "admin";
    EXPECT_EQ(op["x-truce-access"], access) << r.method << " " << r.pattern;
  }
  EXPECT_EQ(documented, routed);
}

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = ::testing::TempDir() + "truce_api_" + std::to_string(getpid()) + ".db";
    fs::remove(db_);
    const std::string example = std::string(TRUCE_SOURCE_DIR) + "/examples/idlib-2020/";
    auto engine = Engine::Open(db_, files_, clock_);
    ASSERT_TRUE(engine.ok());
    ASSERT_TRUE((*engine)->Init().ok());
    ASSERT_TRUE((*engine)
                    ->AddAgreements({example + "sochi-memorandum-2018.yaml", example + "additional-protocol-2020.yaml"})
                    .ok());
    ASSERT_TRUE((*engine)->Ingest(example + "incidents-2020.csv", {}).ok());
    ASSERT_TRUE((*engine)->Ingest(example + "patrols-2020.geojson", {}).ok());
    ASSERT_TRUE((*engine)->Rule({}).ok());
    auto admin = (*engine)->CreateToken(Role::kAdmin, "test admin");
    auto viewer = (*engine)->CreateToken(Role::kViewer, "test viewer");
    ASSERT_TRUE(admin.ok() && viewer.ok());
    admin_ = admin->token;
    viewer_ = viewer->token;
  }
  static void TearDownTestSuite() {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db_ + suffix);
  }
  void SetUp() override {
    api_ = MakeApi(0);
  }
  std::unique_ptr<Api> MakeApi(int generation_check_ms) {
    ServerOptions o;
    o.db = db_;
    o.generation_check_ms = generation_check_ms;
    auto api = std::make_unique<Api>(o, files_, clock_);
    EXPECT_TRUE(api->Check().ok());
    return api;
  }

  std::shared_ptr<const Prepared> Get(const std::string& target, const std::string& token = "") {
    Request r;
    r.method = "GET";
    r.target = target;
    if (!token.empty()) r.authorization = "Bearer " + token;
    return api_->Handle(r);
  }
  json Body(const std::shared_ptr<const Prepared>& p) { return json::parse(p->response.body); }

  static inline std::string db_, admin_, viewer_;
  static inline RealFileSystem files_;
  static inline FixedClock clock_{std::chrono::sys_seconds(std::chrono::seconds(1598832000))};  // 2020-08-31
  std::unique_ptr<Api> api_;
};

TEST_F(ApiTest, ReadsNeedATokenUnlessPublic) {
  EXPECT_EQ(Get("/api/v1/health")->response.status, 200);
  auto refused = Get("/api/v1/agreements");
  EXPECT_EQ(refused->response.status, 401);
  EXPECT_EQ(Body(refused)["error"]["code"], "unauthorized");
  EXPECT_EQ(Get("/api/v1/agreements", viewer_)->response.status, 200);
  EXPECT_EQ(Get("/api/v1/agreements", "truce_not-a-token")->response.status, 401);
}

TEST_F(ApiTest, TheKansafraViolationIsListedWithItsReasonAndDetail) {
  auto page = Get("/api/v1/incidents?agreement=idlib-2020-protocol&status=violation", viewer_);
  ASSERT_EQ(page->response.status, 200) << page->response.body;
  json items = Body(page)["items"];
  json kansafra;
  for (const json& i : items)
    if (i["location"] == "Kansafra" && i["date"] == "2020-03-15") kansafra = i;
  ASSERT_TRUE(kansafra.is_object()) << items.dump();
  EXPECT_EQ(kansafra["status"], "violation");
  auto detail = Get("/api/v1/incidents/" + std::to_string(kansafra["id"].get<long long>()), viewer_);
  ASSERT_EQ(detail->response.status, 200);
  json d = Body(detail);
  ASSERT_EQ(d["reports"].size(), 1u);
  bool violation = false;
  for (const json& f : d["findings"]) {
    if (f["status"] == "violation") {
      violation = true;
      EXPECT_EQ(f["side"], "government");
      EXPECT_EQ(f["guarantor"], "RUS");
      EXPECT_FALSE(f["reason"].get<std::string>().empty());
    }
  }
  EXPECT_TRUE(violation);
}

TEST_F(ApiTest, BadQueriesAreClear400s) {
  for (const char* target : {"/api/v1/incidents?bbox=1,2,3", "/api/v1/incidents?from=2020-13-01",
                             "/api/v1/incidents?status=bad", "/api/v1/incidents?limit=0",
                             "/api/v1/incidents?colour=red", "/api/v1/incidents?cursor=zz",
                             "/api/v1/incidents?from=2020-03-10&to=2020-03-01", "/api/v1/findings?format=xml",
                             "/api/v1/incidents?limit=1&limit=2", "/api/v1/places"}) {
    auto r = Get(target, viewer_);
    EXPECT_EQ(r->response.status, 400) << target << ": " << r->response.body;
    EXPECT_FALSE(Body(r)["error"]["message"].get<std::string>().empty()) << target;
  }
  EXPECT_EQ(Get("/api/v1/incidents/999999", viewer_)->response.status, 404);
  EXPECT_EQ(Get("/api/v1/nothing", viewer_)->response.status, 404);
  Request del;
  del.method = "DELETE";
  del.target = "/api/v1/incidents";
  auto r = api_->Handle(del);
  EXPECT_EQ(r->response.status, 405);
}

TEST_F(ApiTest, PagesOfIncidentsAndFindingsCoverEverythingOnce) {
  for (const char* route : {"/api/v1/incidents", "/api/v1/findings"}) {
    std::set<std::string> seen;
    std::size_t total = 0;
    std::string cursor;
    for (int guard = 0; guard < 100; ++guard) {
      auto r = Get(std::string(route) + "?limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor), viewer_);
      ASSERT_EQ(r->response.status, 200) << r->response.body;
      json b = Body(r);
      for (const json& i : b["items"]) {
        seen.insert(i.dump());
        ++total;
      }
      if (b["next_cursor"].is_null()) break;
      cursor = b["next_cursor"];
    }
    auto all = Get(std::string(route) + "?limit=1000", viewer_);
    EXPECT_EQ(total, Body(all)["items"].size()) << route;
    EXPECT_EQ(seen.size(), total) << route;
  }
}

// Sorted pages of 2: every finding once, in the order asked for, even where many share
// the sort value (fatalities, status); the total and counts are of every match.
TEST_F(ApiTest, SortedFindingPagesCoverEverythingOnceInOrder) {
  const json all = Body(Get("/api/v1/findings?limit=1000", viewer_));
  const std::size_t total = all["items"].size();
  ASSERT_GT(total, 4u);
  EXPECT_EQ(all["total"], total);
  std::int64_t counted = 0;
  for (const auto& [status, n] : all["counts"]["status"].items()) {
    counted += n.get<std::int64_t>();
    EXPECT_EQ(Body(Get("/api/v1/findings?limit=1&status=" + status, viewer_))["total"], n) << status;
  }
  EXPECT_EQ(counted, static_cast<std::int64_t>(total));
  for (const std::string sort : {"-date", "fatalities", "-fatalities", "status", "-side", "location"}) {
    std::vector<json> rows;
    std::set<std::string> seen;
    std::string cursor;
    for (int guard = 0; guard < 500; ++guard) {
      auto r = Get("/api/v1/findings?limit=2&sort=" + sort + (cursor.empty() ? "" : "&cursor=" + cursor), viewer_);
      ASSERT_EQ(r->response.status, 200) << sort << ": " << r->response.body;
      json b = Body(r);
      EXPECT_EQ(b["total"], total) << sort;
      EXPECT_EQ(b["sort"], sort);
      for (const json& i : b["items"]) {
        rows.push_back(i);
        seen.insert(i.dump());
      }
      if (b["next_cursor"].is_null()) break;
      cursor = b["next_cursor"];
    }
    EXPECT_EQ(rows.size(), total) << sort;
    EXPECT_EQ(seen.size(), total) << sort;
    EXPECT_EQ(Body(Get("/api/v1/findings?limit=1000&sort=" + sort, viewer_))["items"], json(rows)) << sort;
    for (std::size_t i = 1; i < rows.size(); ++i) {
      const json &a = rows[i - 1], &b = rows[i];
      if (sort == "-date") { EXPECT_GE(a["date"], b["date"]) << i; }
      if (sort == "fatalities") { EXPECT_LE(a.value("fatalities", 0), b.value("fatalities", 0)) << i; }
      if (sort == "-fatalities") { EXPECT_GE(a.value("fatalities", 0), b.value("fatalities", 0)) << i; }
      // Equal values keep the default order: by date.
      if (sort == "fatalities" && a.value("fatalities", 0) == b.value("fatalities", 0)) {
        EXPECT_LE(a["date"], b["date"]) << i;
      }
    }
  }
  auto bad = Get("/api/v1/findings?sort=when", viewer_);
  EXPECT_EQ(bad->response.status, 400);
  EXPECT_NE(Body(bad)["error"]["message"].get<std::string>().find("unknown sort 'when'"), std::string::npos);
  const std::string cursor = Body(Get("/api/v1/findings?limit=1&sort=-date", viewer_))["next_cursor"];
  EXPECT_EQ(Get("/api/v1/findings?limit=1&sort=date&cursor=" + cursor, viewer_)->response.status, 400);
}

// The dashboard's incidents download: every match as CSV, one line per incident.
TEST_F(ApiTest, IncidentsAsCsvAreEveryMatch) {
  const std::string filter = "/api/v1/incidents?agreement=idlib-2020-protocol&status=violation";
  const std::size_t listed = Body(Get(filter + "&limit=1000", viewer_))["items"].size();
  ASSERT_GT(listed, 0u);
  auto csv = Get(filter + "&format=csv", viewer_);
  ASSERT_EQ(csv->response.status, 200) << csv->response.body;
  EXPECT_EQ(csv->response.content_type.rfind("text/csv", 0), 0u) << csv->response.content_type;
  const std::string& body = csv->response.body;
  EXPECT_EQ(body.rfind("incident,first_day,", 0), 0u) << body.substr(0, 80);
  EXPECT_EQ(static_cast<std::size_t>(std::count(body.begin(), body.end(), '\n')), listed + 1);
  EXPECT_EQ(Get(filter + "&format=csv&limit=5", viewer_)->response.status, 400);
  EXPECT_EQ(Get("/api/v1/incidents?format=kml", viewer_)->response.status, 400);
}

TEST_F(ApiTest, ZonesTimelineMapAndObligations) {
  auto zones = Get("/api/v1/agreements/idlib-2020-protocol/zones", viewer_);
  ASSERT_EQ(zones->response.status, 200) << zones->response.body;
  json z = Body(zones);
  EXPECT_EQ(z["type"], "FeatureCollection");
  bool corridor = false;
  for (const json& f : z["features"]) {
    if (f["properties"].value("shape", "") == "corridor") {
      corridor = true;
      EXPECT_EQ(f["geometry"]["type"], "Polygon");
    }
  }
  EXPECT_TRUE(corridor);

  json t = Body(Get("/api/v1/timeline?agreement=idlib-2020-protocol", viewer_));
  ASSERT_FALSE(t["days"].empty());
  EXPECT_EQ(t["markers"][0]["day"], "2020-03-06");
  EXPECT_EQ(t["days"].size(), t["incidents"].size());
  ASSERT_TRUE(t["violations"].contains("government"));

  json m = Body(Get("/api/v1/map?agreement=idlib-2020-protocol&zoom=9", viewer_));
  EXPECT_EQ(m["clustered"], false);
  EXPECT_EQ(m["features"].size(), m["matching"].get<std::size_t>());

  json o = Body(Get("/api/v1/agreements/idlib-2020-protocol/obligations?as_of=2020-03-15", viewer_));
  bool art3 = false;
  for (const json& i : o["items"]) {
    if (i["provision"] == "art3") {
      art3 = true;
      EXPECT_EQ(i["state"], "partly_met");
    }
  }
  EXPECT_TRUE(art3) << o.dump();
}

TEST_F(ApiTest, CachedAnswersAreTheSameUntilTheDataChanges) {
  auto a = Get("/api/v1/agreements", viewer_);
  auto b = Get("/api/v1/agreements", viewer_);
  EXPECT_EQ(a.get(), b.get());  // the same prepared answer, from the cache
  auto engine = Engine::Open(db_, files_, clock_);
  ASSERT_TRUE(engine.ok());
  ASSERT_TRUE((*engine)->Rule({}).ok());  // a write: a new generation
  auto c = Get("/api/v1/agreements", viewer_);
  EXPECT_NE(a.get(), c.get());
  EXPECT_EQ(a->response.body, c->response.body);
}

TEST_F(ApiTest, OtherProcessesWritesShowAfterTheCheckIntervalOwnWritesAtOnce) {
  api_ = MakeApi(/*generation_check_ms=*/600'000);
  auto a = Get("/api/v1/agreements", viewer_);
  auto engine = Engine::Open(db_, files_, clock_);
  ASSERT_TRUE(engine.ok());
  ASSERT_TRUE((*engine)->Rule({}).ok());  // another writer: not looked for within the interval
  EXPECT_EQ(Get("/api/v1/agreements", viewer_).get(), a.get());
  Request post;  // a write through this server: the next read looks
  post.method = "POST";
  post.target = "/api/v1/tokens";
  post.authorization = "Bearer " + admin_;
  post.content_type = "application/json";
  post.body = R"({"role": "viewer", "name": "interval test"})";
  ASSERT_EQ(api_->Handle(post)->response.status, 201);
  EXPECT_NE(Get("/api/v1/agreements", viewer_).get(), a.get());
}

// A clock that throws once armed: an unexpected exception deep in a handler.
class ThrowingClock final : public Clock {
 public:
  std::chrono::sys_seconds Now() const override {
    if (armed) throw std::runtime_error("clock exploded at /secret/path.db");
    return std::chrono::sys_seconds(std::chrono::seconds(1598832000));
  }
  std::atomic<bool> armed{false};
};

TEST_F(ApiTest, AnExceptionInAHandlerIsA500WithTheRequestIdAndTheServerGoesOn) {
  ThrowingClock clock;
  std::ostringstream log;
  ServerOptions o;
  o.db = db_;
  o.error_log = &log;
  Api api(o, files_, clock);
  ASSERT_TRUE(api.Check().ok());
  clock.armed = true;
  Request r;
  r.id = "test-7";
  r.method = "GET";
  r.target = "/api/v1/agreements/idlib-2020-protocol/obligations";  // no as_of: today, by the clock
  r.authorization = "Bearer " + viewer_;
  auto answer = api.Handle(r);
  EXPECT_EQ(answer->response.status, 500);
  json error = json::parse(answer->response.body)["error"];
  EXPECT_EQ(error["code"], "internal");
  EXPECT_EQ(error["message"], "unexpected failure (request test-7)");
  EXPECT_EQ(answer->response.body.find("secret"), std::string::npos);
  EXPECT_NE(log.str().find("test-7"), std::string::npos) << log.str();
  EXPECT_NE(log.str().find("clock exploded"), std::string::npos) << log.str();
  clock.armed = false;
  EXPECT_EQ(api.Handle(r)->response.status, 200);
}

TEST_F(ApiTest, InvalidUtf8NeverThrowsAndIsA400NamingTheByte) {
  for (const char* target : {"/api/v1/health?%ff=1", "/api/v1/incidents?side=%c0%af", "/api/v1/agreements/%ed%a0%80",
                             "/api/v1/health?x=\xff", "/\xfe"}) {
    auto answer = Get(target, viewer_);
    EXPECT_EQ(answer->response.status, 400) << target;
    EXPECT_TRUE(json::accept(answer->response.body)) << target;
    EXPECT_NE(answer->response.body.find("byte 0x"), std::string::npos) << answer->response.body;
  }
}

TEST(Framing, AmbiguousHeadersAreRefusedPlainOnesPass) {
  const std::string get = "GET / HTTP/1.1\r\nHost: x\r\n";
  EXPECT_EQ(CheckFraming(get + "\r\n"), "");
  EXPECT_EQ(CheckFraming(get + "Transfer-Encoding: chunked\r\n\r\n"), "");
  EXPECT_EQ(CheckFraming(get + "Transfer-Encoding:  Chunked \r\n\r\n"), "");
  EXPECT_EQ(CheckFraming(get + "Content-Length: 3\r\n\r\n"), "");
  for (const std::string& bad : std::vector<std::string>{"Transfer-Encoding: gzip\r\n", "Transfer-Encoding: identity\r\n",
                                "Transfer-Encoding: chunked, identity\r\n", "Transfer-Encoding: chunked, chunked\r\n",
                                "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                                "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n",
                                "Content-Length: 3\r\nContent-Length: 3\r\n", "X-A: 1\r\n folded\r\n",
                                "Authorization: Bearer\r\n\tabc\r\n", "X-A: a\nX-B: b\r\n",
                                std::string("X-A: a\0b\r\n", 11)}) {
    EXPECT_NE(CheckFraming(get + bad + "\r\n"), "") << bad;
  }
}

TEST(RateLimiter, ABucketEmptiesAfterTheBurstAndKeysAreApart) {
  RateLimiter limiter;
  double retry = 0;
  for (int k = 0; k < 3; ++k) EXPECT_TRUE(limiter.Take("a", 0.001, 3, &retry));
  EXPECT_FALSE(limiter.Take("a", 0.001, 3, &retry));
  EXPECT_GT(retry, 900);  // about 1000 s for one token at 0.001/s
  EXPECT_TRUE(limiter.Take("b", 0.001, 3, &retry));
}

}  // namespace
}  // namespace truce::server
