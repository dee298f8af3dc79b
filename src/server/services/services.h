// The API's handlers, one file per resource (as OSRM has a service per
// endpoint): each checks what the request carries (request.h), calls the
// facade (truce::Engine) and writes the answer; no SQL, no rules. The router
// (api.cc) has already matched the route, checked the token's role and the
// body's size, and looked in the response cache. Private to src/server.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api.h"
#include "http_types.h"
#include "request.h"

namespace truce::server {

// One request being answered.
struct Api::Call {
  const Request& request;
  Engine& engine;
  const ServerOptions& options;
  Clock& clock;
  Query query;
  std::map<std::string, std::string> path;  // {id} -> value
  std::optional<std::int64_t> generation;   // read for this request (cacheable routes)
  std::string who;                          // the token's name (Admission::who); "" without a token
  Api& api;                                 // jobs (Api::SubmitJob)
};

namespace service {

using Handler = Result<Response> (*)(Api::Call&);

// JSON bytes of `j`; text that is not UTF-8 (stored before the doors
// checked it) is replaced with U+FFFD rather than thrown on.
inline std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// An answer the facade rendered.
inline Response Body(std::string body, std::string content_type = "application/json") {
  Response r;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

inline Response Json(const nlohmann::json& j, int status = 200) {
  Response r;
  r.status = status;
  r.body = Dump(j);
  return r;
}

// A list route's `format` (findings, incidents): json (the default),
// geojson or csv.
inline Result<std::string> ListFormat(const Query& q) {
  std::string format = q.Get("format", "json");
  if (format != "json" && format != "geojson" && format != "csv") {
    return Status::InvalidArgument("query parameter 'format': expected json, geojson or csv, got '" + format + "'");
  }
  return format;
}

// A list route's format=csv: every match as a download named `what`s.csv,
// never paged (no 'limit' or 'cursor'); `csv` renders it.
template <typename Render>
Result<Response> CsvDownload(const Query& q, const std::string& what, Render&& csv) {
  if (q.Has("cursor") || q.Has("limit")) {
    return Status::InvalidArgument("format=csv returns every matching " + what + ": no 'limit' or 'cursor'");
  }
  TRUCE_ASSIGN_OR_RETURN(std::string text, csv());
  Response r = Body(std::move(text), "text/csv; charset=utf-8");
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + what + "s.csv\"");
  return r;
}

// meta.cc: GET /health, /version, /openapi.json.
Result<Response> Health(Api::Call& c);
Result<Response> Version(Api::Call& c);
Result<Response> OpenApi(Api::Call& c);

// agreements.cc: GET /agreements, /agreements/{id}, its zones and
// obligations; POST /agreements.
Result<Response> ListAgreements(Api::Call& c);
Result<Response> GetAgreement(Api::Call& c);
Result<Response> AgreementZones(Api::Call& c);
Result<Response> AgreementObligations(Api::Call& c);
Result<Response> AddAgreement(Api::Call& c);

// incidents.cc: GET /incidents, /incidents/{id}, and the dashboard's views
// of them: /map, /timeline, /places (the labels under the map).
Result<Response> ListIncidents(Api::Call& c);
Result<Response> GetReport(Api::Call& c);
Result<Response> MapView(Api::Call& c);
Result<Response> TimelineView(Api::Call& c);
Result<Response> Places(Api::Call& c);

// overrides.cc: the analyst decides last. POST /incidents/link, /unlink,
// /incidents/{id}/split (the token's name is the analyst recorded) and
// /reconcile (every report matched again); each rules again.
Result<Response> LinkReports(Api::Call& c);
Result<Response> UnlinkReports(Api::Call& c);
Result<Response> SplitIncident(Api::Call& c);
Result<Response> Reconcile(Api::Call& c);
// findings.cc: GET /findings and /reports/daily.
Result<Response> ListFindings(Api::Call& c);
Result<Response> DailyReport(Api::Call& c);

// extract_ingest.cc: POST /extract and /ingest.
Result<Response> Extract(Api::Call& c);
Result<Response> Ingest(Api::Call& c);

// jobs.cc: GET /jobs (the jobs kept, newest first) and /jobs/{id}
// (?wait=SECONDS: until it ends, at most kMaxJobWaitS).
constexpr int kMaxJobWaitS = 30;
Result<Response> ListJobs(Api::Call& c);
Result<Response> GetJob(Api::Call& c);

// tokens.cc: GET and POST /tokens, DELETE /tokens/{id}.
Result<Response> ListTokens(Api::Call& c);
Result<Response> CreateToken(Api::Call& c);
Result<Response> RevokeToken(Api::Call& c);

// static_files.cc: the dashboard's files in `web_dir` (name -> answers), read
// once when the server starts; none when `web_dir` is empty. NAME.gz and
// NAME.br are not files of their own but NAME's compressed variants.
// Api::StaticFile answers GET / and /assets/NAME from them.
std::map<std::string, StaticAsset> LoadStaticFiles(const std::string& web_dir, FileSystem& fs);
// A strong validator from the bytes (a 64-bit multiply-rotate hash of them
// read 8 at a time, 16 hex digits): the same bytes give the same ETag after
// a restart and on every server, so browsers and proxies keep their copies.
std::string Fingerprint(const std::string& bytes);
// Whether If-None-Match (a list of ETags, or "*") names `etag`; weak ones
// (W/"...") compare by their opaque part, as RFC 9110 section 13.1.2 asks.
bool NoneMatchHits(std::string_view header, const std::string& etag);
// Whether an Accept-Encoding header value allows `coding` ("br", "gzip"):
// listed, or covered by "*", with a q-value above 0 (RFC 9110 section 12.5.3).
bool AcceptsEncoding(std::string_view accept_encoding, std::string_view coding);
// Whether a file name carries a content hash (the build's NAME-HASH.EXT, HASH
// 8 upper-case letters or digits): such a file never changes, so it is cached
// for a year; other files are revalidated.
bool IsHashedName(std::string_view name);

}  // namespace service
}  // namespace truce::server
