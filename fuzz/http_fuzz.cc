// libFuzzer target: raw bytes as they arrive on a connection. The server's
// raw header check (CheckFraming), then Boost.Beast's request parser with the
// server's limits (headers 16 kB; bodies 64 kB here,
// to keep runs quick), then, for a request that parses, what the socket layer
// does with it (src/server/http_server.cc) and Api::Handle against a SQLite
// database made once with the Idlib example, readable without a token (as
// --anonymous-read). "Bearer admin", "Bearer analyst" and "Bearer viewer" are
// swapped for real tokens of those roles, so that writes are reached too.
// Promises checked: no exception escapes, no 500 (the database is local and
// healthy, so a 500 is an unexpected failure), and every JSON answer is valid
// JSON in valid UTF-8. Writes persist between inputs, so a crash that needs
// an earlier input may not replay alone (docs/reliability.md, "Fuzzing").
// Boost 1.74's Asio uses std::exchange without including <utility> (C++20).
#include <utility>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "fuzz_util.h"
#include "src/server/api.h"

namespace {

namespace http = boost::beast::http;
using truce::fuzz::Require;

constexpr std::size_t kHeaderLimitBytes = 16 * 1024;  // as the server's
constexpr std::size_t kBodyLimitBytes = 64 * 1024;

struct Fixture {
  std::string db;
  std::string admin, analyst, viewer;
  truce::RealFileSystem fs;
  truce::FixedClock clock{std::chrono::sys_seconds(std::chrono::seconds(1598832000))};  // 2020-08-31
  std::unique_ptr<truce::Engine> engine;  // the fixture's own connection (tokens)
  std::unique_ptr<truce::server::Api> api;
};

// The database's path for the exit handler, which must not depend on objects
// that static destruction may already have destroyed.
char g_db_path[4096];

void RemoveDatabase() {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(std::string(g_db_path) + suffix, ec);
}

[[noreturn]] void SetupFailed(const std::string& what);

// New tokens of each role (again after an input revoked some).
void IssueTokens(Fixture& fx) {
  auto admin = fx.engine->CreateToken(truce::Role::kAdmin, "fuzz admin");
  auto analyst = fx.engine->CreateToken(truce::Role::kAnalyst, "fuzz analyst");
  auto viewer = fx.engine->CreateToken(truce::Role::kViewer, "fuzz viewer");
  if (!admin.ok() || !analyst.ok() || !viewer.ok()) SetupFailed("tokens");
  fx.admin = admin->token;
  fx.analyst = analyst->token;
  fx.viewer = viewer->token;
}

[[noreturn]] void SetupFailed(const std::string& what) {
  std::fprintf(stderr, "http_fuzz: set-up failed: %s\n", what.c_str());
  std::abort();
}

Fixture& TheFixture() {
  static Fixture* f = [] {
    auto* fx = new Fixture;
    std::error_code ec;
    fx->db = (std::filesystem::temp_directory_path(ec) / ("truce_http_fuzz_" + std::to_string(getpid()) + ".db"))
                 .string();
    std::snprintf(g_db_path, sizeof g_db_path, "%s", fx->db.c_str());
    // Removed at a normal exit; after a crash fuzz/run.sh clears its TMPDIR.
    std::atexit(RemoveDatabase);
    RemoveDatabase();
    const std::string example = std::string(TRUCE_SOURCE_DIR) + "/examples/idlib-2020/";
    auto engine = truce::Engine::Open(fx->db, fx->fs, fx->clock);
    if (!engine.ok()) SetupFailed(engine.status().ToString());
    if (auto s = (*engine)->Init(); !s.ok()) SetupFailed(s.ToString());
    auto added =
        (*engine)->AddAgreements({example + "sochi-memorandum-2018.yaml", example + "additional-protocol-2020.yaml"});
    if (!added.ok()) SetupFailed(added.status().ToString());
    for (const char* file : {"incidents-2020.csv", "patrols-2020.geojson"}) {
      auto in = (*engine)->Ingest(example + file, {});
      if (!in.ok()) SetupFailed(in.status().ToString());
    }
    if (auto r = (*engine)->Rule({}); !r.ok()) SetupFailed(r.status().ToString());
    fx->engine = std::move(*engine);
    IssueTokens(*fx);

    truce::server::ServerOptions o;
    o.db = fx->db;
    o.anonymous_read = true;
    o.max_body_bytes = kBodyLimitBytes;
    o.generation_check_ms = 0;
    o.handle_signals = false;
    o.article.data_dir = std::string(TRUCE_SOURCE_DIR) + "/data/extract";
    o.article.gazetteer_path = std::string(TRUCE_SOURCE_DIR) + "/tests/data/news/cities.json";
    fx->api = std::make_unique<truce::server::Api>(o, fx->fs, fx->clock);
    if (auto s = fx->api->Check(); !s.ok()) SetupFailed(s.ToString());
    return fx;
  }();
  return *f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Fixture& fx = TheFixture();
  // The socket layer's first step (http_server.cc, ReadHeader/OnHeader):
  // leading empty lines dropped, the raw header up to CRLF CRLF checked for
  // ambiguous framing; a header without that end is refused or waited for.
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  while (raw.substr(0, 2) == "\r\n") raw.remove_prefix(2);
  const std::size_t head_end = raw.find("\r\n\r\n");
  if (head_end == std::string_view::npos || head_end + 4 > kHeaderLimitBytes) return 0;
  const std::string why = truce::server::CheckFraming(raw.substr(0, head_end + 4));
  truce::fuzz::Touch(why);
  if (!why.empty()) return 0;  // 400 and close
  data = reinterpret_cast<const uint8_t*>(raw.data());
  size = raw.size();

  http::request_parser<http::string_body> parser;
  parser.header_limit(kHeaderLimitBytes);
  parser.body_limit(kBodyLimitBytes);
  parser.eager(true);
  boost::beast::error_code ec;
  std::size_t used = 0;
  while (used < size && !parser.is_done()) {
    const std::size_t n = parser.put(boost::asio::buffer(data + used, size - used), ec);
    if (ec == http::error::need_more) {
      ec = {};
      break;
    }
    if (ec || n == 0) break;
    used += n;
  }
  // A connection closed before any byte is end_of_stream for async_read
  // (put_eof requires some bytes); after some, EOF may end a body.
  if (!ec && !parser.is_done() && parser.got_some()) parser.put_eof(ec);
  if (ec || !parser.is_done()) return 0;  // the socket layer answers 400/413 from ec.message() alone

  // What http_server.cc's Session::OnRead makes of a parsed request.
  auto& req = parser.get();
  truce::server::Request in;
  in.method = std::string(req.method_string());
  in.target = std::string(req.target());
  in.authorization = std::string(req[http::field::authorization]);
  in.content_type = std::string(req[http::field::content_type]);
  in.body = std::move(req.body());
  if (req.method() == http::verb::head) in.method = "GET";
  if (in.authorization == "Bearer admin") in.authorization = "Bearer " + fx.admin;
  if (in.authorization == "Bearer analyst") in.authorization = "Bearer " + fx.analyst;
  if (in.authorization == "Bearer viewer") in.authorization = "Bearer " + fx.viewer;

  std::shared_ptr<const truce::server::Prepared> out;
  try {
    out = fx.api->Handle(in);
  } catch (const std::exception& e) {
    truce::fuzz::Fail("an exception escaped Api::Handle", e.what());
  }
  Require(out != nullptr, "Handle answers");
  const truce::server::Response& r = out->response;
  Require(r.status >= 200 && r.status < 600, "a status code");
  Require(r.status != 500, "no 500 on a healthy local database", r.body);
  Require(out->head.rfind("HTTP/1.1 ", 0) == 0 && out->head.size() >= 4 &&
              out->head.compare(out->head.size() - 2, 2, "\r\n") == 0,
          "the answer has a status line and headers");
  if (r.status == 204) {
    Require(r.body.empty(), "a 204 has no body");
    if (in.method == "DELETE") IssueTokens(fx);  // perhaps one of ours was revoked
  } else if (r.content_type.rfind("application/json", 0) == 0 || r.content_type.rfind("application/geo+json", 0) == 0) {
    truce::fuzz::RequireUtf8(r.body, "JSON answer");
    Require(nlohmann::json::accept(r.body), "a JSON answer parses", r.body.substr(0, 200));
  }
  truce::fuzz::Touch(out->head);
  truce::fuzz::Touch(out->Body());
  return 0;
}
