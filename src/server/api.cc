#include "api.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "truce/core/strings.h"
#include "truce/core/utf8.h"
#include "truce/extract/extractor.h"
#include "truce/report/report.h"
#include "views.h"

namespace truce::server {

using json = nlohmann::json;

namespace {

// ---------------------------------------------------------------- query strings

// "" when `s` is valid UTF-8, else "invalid UTF-8 (byte 0xFF at byte 3)":
// JSON carries nothing else, so text that is not UTF-8 stops at the door.
std::string Utf8Problem(std::string_view s) {
  const std::optional<std::size_t> at = FindInvalidUtf8(s);
  if (!at) return "";
  return "invalid UTF-8 (" + DescribeByteAt(s, *at) + " at byte " + std::to_string(*at + 1) + ")";
}

// 50, 0.5: a limit as a person would write it.
std::string FormatNumber(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

// An integer written as such: no spaces around it.
std::optional<long long> WholeInt(std::string_view s) {
  return Trim(s).size() == s.size() ? ParseInt(s) : std::nullopt;
}

class Query {
 public:
  static Result<Query> Parse(std::string_view qs) {
    Query q;
    while (!qs.empty()) {
      const std::size_t amp = qs.find('&');
      std::string_view part = qs.substr(0, amp);
      qs = amp == std::string_view::npos ? std::string_view() : qs.substr(amp + 1);
      if (part.empty()) continue;
      const std::size_t eq = part.find('=');
      std::string name, value;
      if (!PercentDecode(part.substr(0, eq), &name) ||
          !PercentDecode(eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1), &value)) {
        return Status::InvalidArgument("query string: bad percent-escape in '" + RepairUtf8(part) + "'");
      }
      if (const std::string bad = Utf8Problem(name); !bad.empty()) {
        return Status::InvalidArgument("query parameter name '" + RepairUtf8(name) + "': " + bad);
      }
      if (const std::string bad = Utf8Problem(value); !bad.empty()) {
        return Status::InvalidArgument("query parameter '" + name + "': " + bad);
      }
      if (q.values_.count(name)) return Status::InvalidArgument("query parameter '" + name + "' is given twice");
      q.values_[name] = std::move(value);
    }
    return q;
  }

  Status Allow(const std::vector<std::string>& names) const {
    for (const auto& [name, value] : values_) {
      if (std::find(names.begin(), names.end(), name) != names.end()) continue;
      std::string list;
      for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
      return Status::InvalidArgument("unknown query parameter '" + name + "'" +
                                     (list.empty() ? std::string(" (this route takes none)") : " (expected: " + list + ")"));
    }
    return Status::Ok();
  }

  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  std::string Get(const std::string& name, const std::string& fallback = "") const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
  }

  Result<std::optional<time::Days>> Date(const std::string& name) const {
    if (!Has(name)) return std::optional<time::Days>();
    auto d = time::ParseIsoDate(Get(name));
    if (!d.ok()) return Status::InvalidArgument("query parameter '" + name + "': expected a date YYYY-MM-DD, got '" +
                                                Get(name) + "'");
    return std::optional<time::Days>(*d);
  }

  Result<std::int64_t> Int(const std::string& name, std::int64_t fallback, std::int64_t min, std::int64_t max) const {
    if (!Has(name)) return fallback;
    const std::string v = Get(name);
    const std::optional<long long> n = WholeInt(v);
    if (!n || *n < min || *n > max) {
      return Status::InvalidArgument("query parameter '" + name + "': expected an integer from " +
                                     std::to_string(min) + " to " + std::to_string(max) + ", got '" + v + "'");
    }
    return static_cast<std::int64_t>(*n);
  }

  Result<std::optional<geo::BBox>> BBox(const std::string& name) const {
    if (!Has(name)) return std::optional<geo::BBox>();
    const std::string v = Get(name);
    double x[4];
    std::istringstream in(v);
    char comma = 0;
    const auto bad = [&](const std::string& why) {
      return Status::InvalidArgument("query parameter '" + name + "': " + why +
                                     " (expected minLon,minLat,maxLon,maxLat in degrees), got '" + v + "'");
    };
    for (int k = 0; k < 4; ++k) {
      if (k > 0 && (!(in >> comma) || comma != ',')) return bad("four numbers separated by commas");
      if (!(in >> x[k]) || !std::isfinite(x[k])) return bad("four numbers separated by commas");
    }
    if (in >> comma) return bad("four numbers separated by commas");
    if (x[0] < -180 || x[2] > 180 || x[1] < -90 || x[3] > 90) return bad("out of range");
    if (x[0] > x[2] || x[1] > x[3]) return bad("min greater than max");
    return std::optional<geo::BBox>(geo::BBox{x[1], x[0], x[3], x[2]});
  }

 private:
  std::map<std::string, std::string> values_;
};

const std::vector<std::string> kFilterParams = {"agreement", "bbox", "from", "to", "side", "event_type", "status"};

std::vector<std::string> With(std::vector<std::string> base, std::initializer_list<const char*> more) {
  for (const char* m : more) base.emplace_back(m);
  return base;
}

Result<query::Filter> ParseFilter(const Query& q) {
  query::Filter f;
  f.agreement_id = q.Get("agreement");
  f.side = q.Get("side");
  f.event_type = q.Get("event_type");
  if (q.Has("status")) {
    f.status = model::ParseFindingStatus(q.Get("status"));
    if (!f.status) {
      return Status::InvalidArgument("query parameter 'status': unknown finding status '" + q.Get("status") +
                                     "' (expected violation, exempt, no_violation, outside_scope or undetermined)");
    }
  }
  TRUCE_ASSIGN_OR_RETURN(f.bbox, q.BBox("bbox"));
  TRUCE_ASSIGN_OR_RETURN(f.from_day, q.Date("from"));
  TRUCE_ASSIGN_OR_RETURN(f.to_day, q.Date("to"));
  if (f.from_day && f.to_day && *f.from_day > *f.to_day) {
    return Status::InvalidArgument("query parameters 'from' and 'to': 'from' is after 'to'");
  }
  return f;
}

// Opaque cursors: hex of tab-separated fields.
std::string EncodeCursor(const std::vector<std::string>& fields) { return HexEncode(Join(fields, "\t")); }

Result<std::vector<std::string>> DecodeCursor(const std::string& cursor, std::size_t fields) {
  std::optional<std::string> joined = HexDecode(cursor);
  std::vector<std::string> out;
  if (joined) out = Split(*joined, '\t');
  if (out.size() != fields) return Status::InvalidArgument("query parameter 'cursor': not a cursor this route gave out");
  return out;
}

Result<std::int64_t> ParseId(const std::string& text, const char* what) {
  const std::optional<long long> v = WholeInt(text);
  if (!v || *v <= 0) return Status::NotFound(std::string("no ") + what + " '" + text + "'");
  return static_cast<std::int64_t>(*v);
}

// JSON bytes of `j`; text that is not UTF-8 (stored before the doors
// checked it) is replaced with U+FFFD rather than thrown on.
std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

Response Json(const json& j, int status = 200) {
  Response r;
  r.status = status;
  r.body = Dump(j);
  return r;
}

// The answer for a Status the client can act on; nullopt for the server's
// own failures (Api::FromStatus).
std::optional<Response> ClientError(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument: return ErrorResponse(400, "invalid_argument", s.message());
    case StatusCode::kParseError: return ErrorResponse(400, "parse_error", s.message());
    case StatusCode::kValidationError: return ErrorResponse(400, "validation_error", s.message());
    case StatusCode::kNotFound: return ErrorResponse(404, "not_found", s.message());
    case StatusCode::kAlreadyExists: return ErrorResponse(409, "already_exists", s.message());
    case StatusCode::kFailedPrecondition: return ErrorResponse(409, "failed_precondition", s.message());
    default: return std::nullopt;
  }
}

// Seconds a client is asked to wait when another writer holds the database
// (the store itself waits 5 s for it first).
constexpr int kBusyRetryAfterS = 2;

Result<json> ParseJsonBody(const Request& req) {
  if (req.content_type.rfind("application/json", 0) != 0) {
    return Status::InvalidArgument("the body must be JSON (Content-Type: application/json)");
  }
  if (const std::string bad = Utf8Problem(req.body); !bad.empty()) return Status::InvalidArgument("the body: " + bad);
  json j = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument("the body is not valid JSON");
  if (!j.is_object()) return Status::InvalidArgument("the body must be a JSON object");
  return j;
}

// A string member of a JSON body; InvalidArgument naming it when it is missing
// (and required) or not a string.
Result<std::string> Member(const json& body, const char* name, bool required) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) return Status::InvalidArgument(std::string("body: '") + name + "' is required");
    return std::string();
  }
  if (!it->is_string()) return Status::InvalidArgument(std::string("body: '") + name + "' must be a string");
  return it->get<std::string>();
}

Status OnlyMembers(const json& body, std::initializer_list<const char*> names) {
  for (const auto& [key, value] : body.items()) {
    // An init-capture: clang 14 (the fuzz build) cannot capture a structured binding.
    if (std::none_of(names.begin(), names.end(), [&k = key](const char* n) { return k == n; })) {
      return Status::InvalidArgument("body: unknown member '" + key + "'");
    }
  }
  return Status::Ok();
}

std::string BaseName(const std::string& name) {
  std::string base = std::filesystem::path(name).filename().string();
  return base.empty() ? "upload" : base;
}

const char* ContentTypeOf(const std::string& file) {
  const std::string ext = std::filesystem::path(file).extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".png") return "image/png";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".map") return "application/json";
  return "application/octet-stream";
}

}  // namespace

// ---------------------------------------------------------------- one call

struct Api::Call {
  const Request& request;
  Engine& engine;
  const ServerOptions& options;
  Clock& clock;
  Query query;
  std::map<std::string, std::string> path;  // {id} -> value
  std::optional<std::int64_t> generation;   // read for this request (cacheable routes)
};

namespace {

using Handler = Result<Response> (*)(Api::Call&);

Result<const agreement::LoadedAgreement*> FindAgreement(const std::vector<agreement::LoadedAgreement>& all,
                                                        const std::string& id) {
  for (const auto& la : all) {
    if (la.agreement.id == id) return &la;
  }
  return Status::NotFound("no agreement '" + id + "' in the database");
}

Result<Response> Health(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  TRUCE_ASSIGN_OR_RETURN(int version, c.engine.store().SchemaVersion());
  TRUCE_ASSIGN_OR_RETURN(std::int64_t generation, c.engine.Generation());
  return Json({{"status", "ok"}, {"schema_version", version}, {"generation", generation}});
}

Result<Response> Version(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  return Json({{"name", "truce"}, {"version", TRUCE_VERSION}, {"api", "v1"}});
}

Result<Response> OpenApi(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  Response r;
  r.body = OpenApiDocument();
  return r;
}

Result<Response> ListAgreements(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  TRUCE_ASSIGN_OR_RETURN(auto all, c.engine.LoadAgreements());  // by id, as ListAgreements
  json items = json::array();
  for (const auto& la : all) items.push_back(AgreementSummaryJson(la.agreement));
  return Json({{"items", items}});
}

Result<Response> GetAgreement(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  TRUCE_ASSIGN_OR_RETURN(auto la, c.engine.GetAgreement(c.path["id"]));
  return Json(AgreementJson(la));
}

Result<Response> AgreementZones(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  TRUCE_ASSIGN_OR_RETURN(auto la, c.engine.GetAgreement(c.path["id"]));
  Response r = Json(ZonesGeoJson(la.agreement));
  r.content_type = "application/geo+json";
  return r;
}

Result<Response> AgreementObligations(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({"as_of"}));
  TRUCE_ASSIGN_OR_RETURN(auto as_of, c.query.Date("as_of"));
  const time::Days day = as_of.value_or(std::chrono::floor<std::chrono::days>(c.clock.Now()));
  TRUCE_ASSIGN_OR_RETURN(auto la, c.engine.GetAgreement(c.path["id"]));
  TRUCE_ASSIGN_OR_RETURN(auto statuses, c.engine.ObligationsAsOf(c.path["id"], day));
  json items = json::array();
  for (const auto& o : statuses) items.push_back(ObligationJson(o, la.agreement));
  return Json({{"agreement", la.agreement.id}, {"as_of", time::FormatDate(day)}, {"items", items}});
}

Result<Response> AddAgreement(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({"name"}));
  std::vector<std::pair<std::string, std::string>> files;
  const std::string& type = c.request.content_type;
  if (type.rfind("application/json", 0) == 0) {
    TRUCE_ASSIGN_OR_RETURN(json body, ParseJsonBody(c.request));
    TRUCE_RETURN_IF_ERROR(OnlyMembers(body, {"files"}));
    auto it = body.find("files");
    if (it == body.end() || !it->is_array() || it->empty()) {
      return Status::InvalidArgument("body: 'files' must be a non-empty array of {\"path\", \"content\"}, the YAML first");
    }
    for (std::size_t k = 0; k < it->size(); ++k) {
      const json& f = (*it)[k];
      const std::string where = "body: files[" + std::to_string(k) + "]";
      if (!f.is_object()) return Status::InvalidArgument(where + " must be an object");
      TRUCE_RETURN_IF_ERROR(OnlyMembers(f, {"path", "content"}));
      auto path = Member(f, "path", true);
      auto content = Member(f, "content", true);
      if (!path.ok()) return Status::InvalidArgument(where + ": " + path.status().message().substr(6));
      if (!content.ok()) return Status::InvalidArgument(where + ": " + content.status().message().substr(6));
      files.emplace_back("upload/" + *path, *content);
    }
  } else if (type.rfind("application/yaml", 0) == 0 || type.rfind("text/yaml", 0) == 0 ||
             type.rfind("application/x-yaml", 0) == 0) {
    const std::string name = BaseName(c.query.Get("name", "agreement.yaml"));
    // Nothing that is not UTF-8 is stored: it would poison every later read.
    if (const std::string bad = Utf8Problem(c.request.body); !bad.empty()) {
      return Status::InvalidArgument(name + ": " + bad);
    }
    files.emplace_back("upload/" + name, c.request.body);
  } else {
    return Status::InvalidArgument(
        "an agreement is sent as YAML (Content-Type: application/yaml) or as JSON {\"files\": [...]}");
  }
  TRUCE_ASSIGN_OR_RETURN(std::string id, c.engine.AddAgreementFiles(files));
  TRUCE_ASSIGN_OR_RETURN(RuleResult ruled, c.engine.Rule({}));
  return Json({{"id", id}, {"ruled", {{"findings", ruled.findings}, {"by_status", ruled.by_status}}}}, 201);
}

Result<Response> ListIncidents(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow(With(kFilterParams, {"limit", "cursor", "format"})));
  TRUCE_ASSIGN_OR_RETURN(query::Filter filter, ParseFilter(c.query));
  TRUCE_ASSIGN_OR_RETURN(std::int64_t limit, c.query.Int("limit", 100, 1, 1000));
  const std::string format = c.query.Get("format", "json");
  if (format != "json" && format != "geojson") {
    return Status::InvalidArgument("query parameter 'format': expected json or geojson, got '" + format + "'");
  }
  std::optional<query::Cursor> after;
  if (c.query.Has("cursor")) {
    TRUCE_ASSIGN_OR_RETURN(auto fields, DecodeCursor(c.query.Get("cursor"), 2));
    auto day = time::ParseIsoDate(fields[0]);
    auto id = ParseId(fields[1], "cursor");
    if (!day.ok() || !id.ok()) return Status::InvalidArgument("query parameter 'cursor': not a cursor this route gave out");
    after = query::Cursor{*day, *id};
  }
  TRUCE_ASSIGN_OR_RETURN(auto index, c.engine.Index(c.generation));
  query::Page page = index->Find(filter, after, static_cast<std::size_t>(limit));
  Response r;
  JsonWriter out;
  out.BeginObject();
  const bool geojson = format == "geojson";
  if (geojson) out.Key("type").String("FeatureCollection");
  out.Key(geojson ? "features" : "items").BeginArray();
  for (const auto* in : page.items) {
    if (geojson) {
      WriteIncidentFeature(out, *in, filter.agreement_id);
    } else {
      WriteIncident(out, *in, filter.agreement_id);
    }
  }
  out.EndArray();
  out.Key("next_cursor");
  if (page.next) {
    out.String(EncodeCursor({time::FormatDate(page.next->date), std::to_string(page.next->id)}));
  } else {
    out.Null();
  }
  out.EndObject();
  r.body = out.Take();
  if (geojson) r.content_type = "application/geo+json";
  return r;
}

Result<Response> GetIncident(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  TRUCE_ASSIGN_OR_RETURN(std::int64_t id, ParseId(c.path["id"], "incident"));
  TRUCE_ASSIGN_OR_RETURN(IncidentDetail d, c.engine.Incident(id));
  json j = IncidentDetailJson(d);
  // The colouring status, as lists give it.
  query::IncidentOutline outline;
  for (const auto& f : d.findings) {
    outline.findings.push_back({f.finding.agreement_id, -1, f.finding.provision_id, f.finding.status, f.finding.side});
  }
  const std::optional<model::FindingStatus> worst = query::WorstStatus(outline, "");
  j["status"] = worst ? model::FindingStatusName(*worst) : "none";
  // Each finding's article, as its agreement names it.
  TRUCE_ASSIGN_OR_RETURN(auto agreements, c.engine.LoadAgreements());
  for (json& f : j["findings"]) {
    f["article"] = f["provision"];
    for (const auto& la : agreements) {
      if (la.agreement.id != f["agreement"]) continue;
      if (const model::Provision* p = la.agreement.FindProvision(f["provision"].get<std::string>())) {
        f["article"] = p->article;
      }
    }
  }
  return Json(j);
}

Result<Response> ListFindings(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow(With(kFilterParams, {"zone", "limit", "cursor", "format"})));
  TRUCE_ASSIGN_OR_RETURN(query::Filter parsed, ParseFilter(c.query));
  store::FindingFilter f;
  f.agreement_id = parsed.agreement_id;
  f.side = parsed.side;
  f.status = parsed.status ? model::FindingStatusName(*parsed.status) : "";
  f.zone_id = c.query.Get("zone");
  f.event_type = parsed.event_type;
  f.bbox = parsed.bbox;
  f.from_day = parsed.from_day;
  f.to_day = parsed.to_day;
  const std::string format = c.query.Get("format", "json");
  if (format != "json" && format != "geojson" && format != "csv") {
    return Status::InvalidArgument("query parameter 'format': expected json, geojson or csv, got '" + format + "'");
  }
  // CSV is the download of everything that matches; JSON and GeoJSON page.
  if (format == "csv") {
    if (c.query.Has("cursor") || c.query.Has("limit")) {
      return Status::InvalidArgument("format=csv returns every matching finding: no 'limit' or 'cursor'");
    }
    TRUCE_ASSIGN_OR_RETURN(auto rows, c.engine.Findings(f));
    Response r;
    r.content_type = "text/csv; charset=utf-8";
    r.body = report::FindingsCsv(rows);
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"findings.csv\"");
    return r;
  }
  TRUCE_ASSIGN_OR_RETURN(std::int64_t limit, c.query.Int("limit", 100, 1, 1000));
  if (c.query.Has("cursor")) {
    TRUCE_ASSIGN_OR_RETURN(auto fields, DecodeCursor(c.query.Get("cursor"), 5));
    auto day = time::ParseIsoDate(fields[0]);
    auto incident = ParseId(fields[1], "cursor");
    auto finding = ParseId(fields[4], "cursor");
    if (!day.ok() || !incident.ok() || !finding.ok()) {
      return Status::InvalidArgument("query parameter 'cursor': not a cursor this route gave out");
    }
    f.after = store::FindingFilter::Position{*day, *incident, fields[2], fields[3], *finding};
  }
  f.limit = limit + 1;  // one more tells whether there is a next page
  TRUCE_ASSIGN_OR_RETURN(auto rows, c.engine.Findings(f));
  json next = nullptr;
  if (static_cast<std::int64_t>(rows.size()) > limit) {
    rows.resize(static_cast<std::size_t>(limit));
    const store::FindingRow& last = rows.back();
    next = EncodeCursor({time::FormatDate(last.date), std::to_string(last.finding.incident_id),
                         last.finding.agreement_id, last.finding.provision_id, std::to_string(last.finding_id)});
  }
  json items = json::array();
  if (format == "geojson") {
    for (const auto& r : rows) {
      items.push_back({{"type", "Feature"},
                       {"geometry", {{"type", "Point"}, {"coordinates", {r.point.lon_deg, r.point.lat_deg}}}},
                       {"properties", FindingJson(r)}});
    }
    Response r = Json({{"type", "FeatureCollection"}, {"features", items}, {"next_cursor", next}});
    r.content_type = "application/geo+json";
    return r;
  }
  for (const auto& r : rows) items.push_back(FindingJson(r));
  return Json({{"items", items}, {"next_cursor", next}});
}

// Incidents for a map view: points when few match, else grid clusters.
constexpr std::size_t kMaxPoints = 2000;

Result<Response> MapView(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow(With(kFilterParams, {"zoom"})));
  TRUCE_ASSIGN_OR_RETURN(query::Filter filter, ParseFilter(c.query));
  TRUCE_ASSIGN_OR_RETURN(std::int64_t zoom, c.query.Int("zoom", 8, 0, 22));
  TRUCE_ASSIGN_OR_RETURN(auto index, c.engine.Index(c.generation));
  const std::size_t matching = index->Count(filter);
  const bool clustered = matching > kMaxPoints;
  Response r;
  r.content_type = "application/geo+json";
  JsonWriter out;
  out.BeginObject();
  out.Key("type").String("FeatureCollection");
  out.Key("features").BeginArray();
  if (clustered) {
    // Cells of about 40 pixels at this zoom (256-pixel tiles).
    const double cell_deg = 360.0 / std::pow(2.0, static_cast<double>(zoom)) * 40.0 / 256.0;
    for (const query::Cluster& cl : index->Clusters(filter, cell_deg)) out.Raw(Dump(ClusterFeature(cl)));
  } else {
    index->ForEach(filter, [&](const query::IncidentOutline& in) {
      WriteIncidentFeature(out, in, filter.agreement_id);
      return true;
    });
  }
  out.EndArray();
  out.Key("clustered").Bool(clustered);
  out.Key("matching").Int(static_cast<std::int64_t>(matching));
  out.EndObject();
  r.body = out.Take();
  return r;
}

Result<Response> TimelineView(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow(kFilterParams));
  TRUCE_ASSIGN_OR_RETURN(query::Filter filter, ParseFilter(c.query));
  TRUCE_ASSIGN_OR_RETURN(auto index, c.engine.Index(c.generation));
  TRUCE_ASSIGN_OR_RETURN(auto agreements, c.engine.LoadAgreements());
  if (!filter.agreement_id.empty()) TRUCE_RETURN_IF_ERROR(FindAgreement(agreements, filter.agreement_id).status());
  query::Timeline t = index->Daily(filter);
  // Every side of the agreement asked about has a series, zeros included.
  for (const auto& la : agreements) {
    if (filter.agreement_id.empty() || la.agreement.id != filter.agreement_id) continue;
    for (const auto& [side, def] : la.agreement.sides) {
      if (!filter.side.empty() && side != filter.side) continue;
      t.violations.try_emplace(side, std::vector<std::int64_t>(t.days.size(), 0));
    }
  }
  json days = json::array();
  for (time::Days d : t.days) days.push_back(time::FormatDate(d));
  json sides = json::array();
  json violations = json::object();
  for (const auto& [side, counts] : t.violations) {
    sides.push_back(side);
    violations[side] = counts;
  }
  json markers = json::array();
  for (const auto& la : agreements) {
    const model::Agreement& a = la.agreement;
    if (!filter.agreement_id.empty() && a.id != filter.agreement_id) continue;
    markers.push_back({{"day", LocalDay(a.entry_into_force, a.timezone)},
                       {"agreement", a.id},
                       {"label", a.id + " enters into force"}});
  }
  return Json({{"agreement", filter.agreement_id.empty() ? json(nullptr) : json(filter.agreement_id)},
               {"days", days},
               {"incidents", t.incidents},
               {"sides", sides},
               {"violations", violations},
               {"markers", markers}});
}

Result<Response> DailyReport(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({"agreement", "day", "format"}));
  if (!c.query.Has("agreement")) return Status::InvalidArgument("query parameter 'agreement' is required");
  if (!c.query.Has("day")) return Status::InvalidArgument("query parameter 'day' is required (YYYY-MM-DD)");
  TRUCE_ASSIGN_OR_RETURN(auto day, c.query.Date("day"));
  const std::string format = c.query.Get("format", "json");
  if (format != "json" && format != "html" && format != "markdown") {
    return Status::InvalidArgument("query parameter 'format': expected json, html or markdown, got '" + format + "'");
  }
  TRUCE_ASSIGN_OR_RETURN(std::string body, c.engine.DailyReport(c.query.Get("agreement"), *day, format));
  Response r;
  r.body = std::move(body);
  r.content_type = format == "json"   ? "application/json"
                   : format == "html" ? "text/html; charset=utf-8"
                                      : "text/markdown; charset=utf-8";
  return r;
}

Result<Response> Places(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({"bbox", "limit"}));
  if (!c.query.Has("bbox")) return Status::InvalidArgument("query parameter 'bbox' is required");
  TRUCE_ASSIGN_OR_RETURN(auto bbox, c.query.BBox("bbox"));
  TRUCE_ASSIGN_OR_RETURN(std::int64_t limit, c.query.Int("limit", 200, 1, 2000));
  TRUCE_ASSIGN_OR_RETURN(auto labels, c.engine.Places(*bbox, static_cast<std::size_t>(limit), c.options.article));
  json items = json::array();
  for (const PlaceLabel& p : labels) {
    items.push_back({{"name", p.name}, {"lat", p.point.lat_deg}, {"lon", p.point.lon_deg}, {"kind", p.kind}});
  }
  return Json({{"items", items}});
}

Result<Response> Extract(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  TRUCE_ASSIGN_OR_RETURN(json body, ParseJsonBody(c.request));
  TRUCE_RETURN_IF_ERROR(OnlyMembers(body, {"text", "published", "name"}));
  TRUCE_ASSIGN_OR_RETURN(std::string text, Member(body, "text", true));
  TRUCE_ASSIGN_OR_RETURN(std::string published_text, Member(body, "published", true));
  TRUCE_ASSIGN_OR_RETURN(std::string name, Member(body, "name", false));
  auto published = time::ParseIsoDate(published_text);
  if (!published.ok()) {
    return Status::InvalidArgument("body: 'published' must be a date YYYY-MM-DD, got '" + published_text + "'");
  }
  TRUCE_ASSIGN_OR_RETURN(extract::Extraction x,
                         c.engine.Extract(name.empty() ? "request body" : name, text, *published, c.options.article));
  Response r;
  r.body = extract::ToJson(x, /*pretty=*/false);
  return r;
}

Result<Response> Ingest(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({"name", "format", "published", "skip_bad_rows"}));
  if (c.request.body.empty()) return Status::InvalidArgument("the body is empty: send the file's bytes");
  const std::string name = "upload/" + BaseName(c.query.Get("name", "upload"));
  TRUCE_ASSIGN_OR_RETURN(auto published, c.query.Date("published"));
  IngestResult result;
  if (published) {
    if (c.query.Has("format") || c.query.Has("skip_bad_rows")) {
      return Status::InvalidArgument("'format' and 'skip_bad_rows' apply to datasets, not news reports ('published')");
    }
    TRUCE_ASSIGN_OR_RETURN(result, c.engine.IngestArticleBytes(name, c.request.body, *published, c.options.article));
  } else {
    ingest::ReadOptions options;
    TRUCE_ASSIGN_OR_RETURN(options.format, ingest::ParseFormat(c.query.Get("format", "auto")));
    const std::string skip = c.query.Get("skip_bad_rows", "false");
    if (skip != "true" && skip != "false") {
      return Status::InvalidArgument("query parameter 'skip_bad_rows': expected true or false, got '" + skip + "'");
    }
    options.skip_bad_rows = skip == "true";
    TRUCE_ASSIGN_OR_RETURN(result, c.engine.IngestBytes(name, c.request.body, options));
  }
  json j = IngestJson(result);
  // Re-ruling is part of an ingest: also when the file was stored before
  // but its findings never were (a server killed between the two).
  if (result.added > 0 || result.findings_stale) {
    TRUCE_ASSIGN_OR_RETURN(RuleResult ruled, c.engine.Rule({}));
    j["ruled"] = {{"findings", ruled.findings}, {"by_status", ruled.by_status}};
  } else {
    j["ruled"] = nullptr;
  }
  return Json(j, result.added > 0 ? 201 : 200);
}

json TokenJson(const store::TokenRecord& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"role", t.role},
          {"created_at", t.created_at},
          {"revoked_at", t.revoked_at ? json(*t.revoked_at) : json(nullptr)}};
}

Result<Response> ListTokens(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  TRUCE_ASSIGN_OR_RETURN(auto tokens, c.engine.ListTokens());
  json items = json::array();
  for (const auto& t : tokens) items.push_back(TokenJson(t));
  return Json({{"items", items}});
}

Result<Response> CreateToken(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  TRUCE_ASSIGN_OR_RETURN(json body, ParseJsonBody(c.request));
  TRUCE_RETURN_IF_ERROR(OnlyMembers(body, {"role", "name"}));
  TRUCE_ASSIGN_OR_RETURN(std::string role_name, Member(body, "role", true));
  TRUCE_ASSIGN_OR_RETURN(std::string name, Member(body, "name", false));
  std::optional<Role> role = ParseRole(role_name);
  if (!role) return Status::InvalidArgument("body: 'role' must be viewer, analyst or admin, got '" + role_name + "'");
  TRUCE_ASSIGN_OR_RETURN(TokenGrant g, c.engine.CreateToken(*role, name));
  json j = TokenJson(g.record);
  j["token"] = g.token;
  return Json(j, 201);
}

Result<Response> RevokeToken(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  TRUCE_ASSIGN_OR_RETURN(std::int64_t id, ParseId(c.path["id"], "token"));
  TRUCE_RETURN_IF_ERROR(c.engine.RevokeToken(id));
  Response r;
  r.status = 204;
  return r;
}

struct Route {
  RouteInfo info;
  Handler handler;
};

const std::vector<Route>& Routes() {
  static const std::vector<Route> kRoutes = {
      {{"GET", "/api/v1/health", Access::kPublic, false}, Health},
      {{"GET", "/api/v1/version", Access::kPublic, true}, Version},
      {{"GET", "/api/v1/openapi.json", Access::kPublic, true}, OpenApi},
      {{"GET", "/api/v1/agreements", Access::kRead, true}, ListAgreements},
      {{"POST", "/api/v1/agreements", Access::kAnalyst, false, /*heavy=*/true}, AddAgreement},
      {{"GET", "/api/v1/agreements/{id}", Access::kRead, true}, GetAgreement},
      {{"GET", "/api/v1/agreements/{id}/zones", Access::kRead, true}, AgreementZones},
      {{"GET", "/api/v1/agreements/{id}/obligations", Access::kRead, true}, AgreementObligations},
      {{"GET", "/api/v1/incidents", Access::kRead, true}, ListIncidents},
      {{"GET", "/api/v1/incidents/{id}", Access::kRead, true}, GetIncident},
      {{"GET", "/api/v1/findings", Access::kRead, true}, ListFindings},
      {{"GET", "/api/v1/map", Access::kRead, true}, MapView},
      {{"GET", "/api/v1/timeline", Access::kRead, true}, TimelineView},
      {{"GET", "/api/v1/reports/daily", Access::kRead, true}, DailyReport},
      {{"GET", "/api/v1/places", Access::kRead, true}, Places},
      {{"POST", "/api/v1/extract", Access::kRead, false, /*heavy=*/true}, Extract},
      {{"POST", "/api/v1/ingest", Access::kAnalyst, false, /*heavy=*/true}, Ingest},
      {{"GET", "/api/v1/tokens", Access::kAdmin, false}, ListTokens},
      {{"POST", "/api/v1/tokens", Access::kAdmin, false}, CreateToken},
      {{"DELETE", "/api/v1/tokens/{id}", Access::kAdmin, false}, RevokeToken},
  };
  return kRoutes;
}

// Whether `path` matches `pattern`, filling {name} segments.
bool MatchPath(std::string_view pattern, std::string_view path, std::map<std::string, std::string>* params) {
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty() || pattern[0] != '/' || path[0] != '/') return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    const std::size_t pe = std::min(pattern.find('/'), pattern.size());
    const std::size_t se = std::min(path.find('/'), path.size());
    std::string_view ps = pattern.substr(0, pe), ss = path.substr(0, se);
    if (ps.size() > 2 && ps.front() == '{' && ps.back() == '}') {
      std::string value;
      if (ss.empty() || !PercentDecode(ss, &value)) return false;
      (*params)[std::string(ps.substr(1, ps.size() - 2))] = std::move(value);
    } else if (ps != ss) {
      return false;
    }
    pattern.remove_prefix(pe);
    path.remove_prefix(se);
  }
  return true;
}

bool Allows(Access need, std::optional<Role> role, bool anonymous_read) {
  switch (need) {
    case Access::kPublic: return true;
    case Access::kRead: return anonymous_read || role.has_value();
    case Access::kAnalyst: return role && *role >= Role::kAnalyst;
    case Access::kAdmin: return role && *role >= Role::kAdmin;
  }
  return false;
}

}  // namespace

const std::vector<RouteInfo>& ApiRoutes() {
  static const std::vector<RouteInfo> kInfos = [] {
    std::vector<RouteInfo> out;
    for (const Route& r : Routes()) out.push_back(r.info);
    return out;
  }();
  return kInfos;
}

// ---------------------------------------------------------------- Api

Api::Api(const ServerOptions& options, FileSystem& fs, Clock& clock) : options_(options), fs_(fs), clock_(clock) {
  if (options_.web_dir.empty()) return;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(options_.web_dir, ec)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    auto bytes = fs_.ReadFile(entry.path().string());
    if (!bytes.ok()) continue;
    Response r;
    r.content_type = ContentTypeOf(name);
    r.body = std::move(bytes).value();
    r.headers.emplace_back("Cache-Control", name == "index.html" ? "no-cache" : "max-age=300");
    files_[name] = Prepare(std::move(r));
  }
}

Api::~Api() = default;

Result<Engine*> Api::EngineForThisThread() {
  std::lock_guard<std::mutex> lock(engines_mu_);
  auto& slot = engines_[std::this_thread::get_id()];
  if (!slot) {
    TRUCE_ASSIGN_OR_RETURN(slot, Engine::Open(options_.db, fs_, clock_));
    slot->ShareIndexCache(index_cache_);
  }
  return slot.get();
}

Status Api::Check() {
  TRUCE_ASSIGN_OR_RETURN(Engine * engine, EngineForThisThread());
  // Findings a killed writer left behind its data are brought up to date
  // before anything is answered; a busy database is not a reason not to
  // start (the next write re-rules).
  if (auto ruled = engine->RuleIfStale(); !ruled.ok()) {
    LogError("the findings are stale and could not be ruled again at start: " + ruled.status().ToString());
  } else if (ruled->has_value()) {
    LogError("ruled again at start: the stored findings lagged the data (" +
             std::to_string((*ruled)->findings) + " findings)");
  }
  // Built now rather than on the first request (about a second per 100 000 incidents).
  TRUCE_ASSIGN_OR_RETURN(auto index, engine->Index());
  (void)index;
  if (!options_.web_dir.empty() && !files_.count("index.html")) {
    return Status::NotFound(options_.web_dir + ": no index.html (build the dashboard: npm run build)");
  }
  return Status::Ok();
}

Result<std::int64_t> Api::CurrentGeneration(Engine& engine) {
  const std::int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                               std::chrono::steady_clock::now().time_since_epoch())
                               .count();
  const std::int64_t checked = checked_at_ns_.load();
  if (checked != 0 && now - checked < std::int64_t{options_.generation_check_ms} * 1'000'000) {
    return generation_.load();
  }
  TRUCE_ASSIGN_OR_RETURN(std::int64_t g, engine.Generation());
  generation_.store(g);
  checked_at_ns_.store(now);
  return g;
}

std::shared_ptr<const Prepared> Api::StaticFile(const std::string& path) const {
  const std::string name = path == "/"                        ? "index.html"
                           : path.rfind("/assets/", 0) == 0 ? path.substr(std::string("/assets/").size())
                                                              : std::string();
  if (auto it = files_.find(name); !name.empty() && it != files_.end()) return it->second;
  if (path == "/") {  // no dashboard here (there is index.html whenever there is one)
    Response r;
    r.content_type = "text/html; charset=utf-8";
    r.body =
        "<!doctype html><title>Truce</title><p>The dashboard is not built here. Run <code>npm run build</code> "
        "(or <code>make demo</code>) and start <code>truce serve --web web/dist</code>. The API is at "
        "<a href=\"/api/v1/openapi.json\">/api/v1/</a>.</p>";
    return Prepare(std::move(r));
  }
  return Prepare(ErrorResponse(404, "not_found", "no file '" + path + "'"));
}

std::shared_ptr<const Prepared> Api::Cached(const std::string& key, std::int64_t generation) {
  std::lock_guard<std::mutex> lock(cache_mu_);
  if (generation != cache_generation_) {
    cache_.clear();
    cache_bytes_ = 0;
    cache_generation_ = generation;
    return nullptr;
  }
  auto it = cache_.find(key);
  return it == cache_.end() ? nullptr : it->second;
}

void Api::Remember(const std::string& key, std::int64_t generation, const std::shared_ptr<const Prepared>& p) {
  std::lock_guard<std::mutex> lock(cache_mu_);
  if (generation != cache_generation_) return;  // the data changed meanwhile
  const std::size_t size = key.size() + p->wire.size() + p->response.body.size();
  if (size > options_.cache_bytes / 8) return;
  if (cache_bytes_ + size > options_.cache_bytes) {
    cache_.clear();  // simple and bounded; the hot entries come back at once
    cache_bytes_ = 0;
  }
  if (cache_.emplace(key, p).second) cache_bytes_ += size;
}

// ---------------------------------------------------------------- rate limits

bool RateLimiter::Take(const std::string& key, double per_s, double burst, double* retry_after_s) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  // Bounded memory: buckets that have filled up again are forgotten (a new
  // bucket starts full, so forgetting one changes nothing).
  if (buckets_.size() > 100'000) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      const double seconds = std::chrono::duration<double>(now - it->second.at).count();
      it = it->second.tokens + seconds * per_s >= burst ? buckets_.erase(it) : std::next(it);
    }
  }
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst, now});
  Bucket& b = it->second;
  if (!fresh) {
    const double seconds = std::chrono::duration<double>(now - b.at).count();
    b.tokens = std::min(burst, b.tokens + seconds * per_s);
    b.at = now;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return true;
  }
  *retry_after_s = per_s > 0 ? (1 - b.tokens) / per_s : 3600;
  return false;
}

// ---------------------------------------------------------------- admission and answers

void Api::LogError(const std::string& line) {
  std::ostream& out = options_.error_log != nullptr ? *options_.error_log : std::cerr;
  std::lock_guard<std::mutex> lock(error_log_mu_);
  out << "truce: " << RepairUtf8(line) << std::endl;
}

Response Api::FromStatus(const Status& s, const Request& request) {
  if (std::optional<Response> r = ClientError(s)) return *std::move(r);
  // The server's own failures: the message may name the database's path or
  // quote SQLite; the log gets it, the client a request id to quote.
  LogError("request " + request.id + " (" + request.method + " " + request.target + "): " + s.ToString());
  if (s.code() == StatusCode::kBusy) {
    return RetryLater(503, "busy",
                      "another writer holds the database; try again in a few seconds (request " + request.id + ")",
                      kBusyRetryAfterS);
  }
  return ErrorResponse(500, "internal", "the server could not answer (request " + request.id +
                                            "); its log has the details");
}

std::shared_ptr<const Prepared> Api::Unexpected(const Request& request, const char* what) {
  LogError("request " + request.id + " (" + request.method + " " + request.target +
           "): unexpected exception: " + what);
  return Prepare(ErrorResponse(500, "internal", "unexpected failure (request " + request.id + ")"));
}

Admission Api::Admit(const Request& head) {
  Admission admission;
  try {
    admission.refusal = AdmitOrThrow(head, &admission);
  } catch (const std::exception& e) {
    admission.refusal = Unexpected(head, e.what());
  } catch (...) {
    admission.refusal = Unexpected(head, "not a std::exception");
  }
  return admission;
}

std::shared_ptr<const Prepared> Api::Handle(const Request& request, const Admission& admission) {
  try {
    return HandleOrThrow(request, admission);
  } catch (const std::exception& e) {
    return Unexpected(request, e.what());
  } catch (...) {
    return Unexpected(request, "not a std::exception");
  }
}

std::shared_ptr<const Prepared> Api::Handle(const Request& request) {
  Admission admission = Admit(request);
  if (admission.refusal) return admission.refusal;
  return Handle(request, admission);
}

std::shared_ptr<const Prepared> Api::AdmitOrThrow(const Request& head, Admission* admission) {
  admission->max_body_bytes = options_.max_body_bytes;
  // RFC 3986 wants anything outside ASCII percent-encoded; raw bytes would
  // reach the messages that quote the target as they are.
  for (std::size_t i = 0; i < head.target.size(); ++i) {
    const auto b = static_cast<unsigned char>(head.target[i]);
    if (b >= 0x80 || b < 0x20 || b == 0x7F) {
      return Prepare(ErrorResponse(400, "bad_request", "the request target: " + DescribeByteAt(head.target, i) +
                                                           " at byte " + std::to_string(i + 1) +
                                                           " must be percent-encoded"));
    }
  }
  const std::size_t qmark = head.target.find('?');
  const std::string path = head.target.substr(0, qmark);
  if (path.rfind("/api/", 0) != 0) {
    if (head.method != "GET" && head.method != "HEAD") {
      Response r = ErrorResponse(405, "method_not_allowed", head.method + " " + path + ": only GET");
      r.headers.emplace_back("Allow", "GET");
      return Prepare(std::move(r));
    }
    admission->max_body_bytes = 0;  // the dashboard's files take no body
    if (head.content_length.value_or(0) > 0) {
      return Prepare(ErrorResponse(413, "too_large", "GET " + path + " takes no request body"));
    }
    return nullptr;
  }

  auto query = Query::Parse(qmark == std::string::npos ? std::string_view()
                                                       : std::string_view(head.target).substr(qmark + 1));
  if (!query.ok()) return Prepare(FromStatus(query.status(), head));

  // The route: the path first (404), then the method (405).
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
  std::string allowed;
  for (const Route& r : Routes()) {
    std::map<std::string, std::string> p;
    if (!MatchPath(r.info.pattern, path, &p)) continue;
    if (r.info.method == head.method) {
      route = &r;
      params = std::move(p);
      break;
    }
    allowed += (allowed.empty() ? "" : ", ") + r.info.method;
  }
  if (route == nullptr) {
    if (allowed.empty()) return Prepare(ErrorResponse(404, "not_found", "no route " + path));
    Response r = ErrorResponse(405, "method_not_allowed", head.method + " " + path + ": allowed " + allowed);
    r.headers.emplace_back("Allow", allowed);
    return Prepare(std::move(r));
  }
  for (const auto& [name, value] : params) {
    if (const std::string bad = Utf8Problem(value); !bad.empty()) {
      return Prepare(ErrorResponse(400, "invalid_argument", "path segment {" + name + "}: " + bad));
    }
  }

  auto engine = EngineForThisThread();
  if (!engine.ok()) return Prepare(FromStatus(engine.status(), head));

  // Who is asking; a valid token is charged for the request, else the address.
  std::optional<Role> role;
  std::string rate_key = "addr:" + head.remote_address;
  std::shared_ptr<const Prepared> unauthorized;
  if (!head.authorization.empty()) {
    const std::string kBearer = "Bearer ";
    const auto non_ascii = std::find_if(head.authorization.begin(), head.authorization.end(), [](char c) {
      return static_cast<unsigned char>(c) >= 0x80 || static_cast<unsigned char>(c) < 0x20;
    });
    if (non_ascii != head.authorization.end()) {
      const std::size_t at = static_cast<std::size_t>(non_ascii - head.authorization.begin());
      unauthorized = Prepare(ErrorResponse(401, "unauthorized", "Authorization: " +
                                                                     DescribeByteAt(head.authorization, at) + " at byte " +
                                                                     std::to_string(at + 1) + " (a token is ASCII)"));
    } else if (head.authorization.rfind(kBearer, 0) != 0) {
      unauthorized = Prepare(ErrorResponse(401, "unauthorized", "Authorization must be 'Bearer <token>'"));
    } else {
      auto who = (*engine)->Authenticate(head.authorization.substr(kBearer.size()));
      if (!who.ok()) return Prepare(FromStatus(who.status(), head));
      if (!who->has_value()) {
        unauthorized = Prepare(ErrorResponse(401, "unauthorized", "unknown or revoked token"));
      } else {
        role = ParseRole((*who)->role);
        rate_key = "token:" + std::to_string((*who)->id);
      }
    }
  }
  double retry_after_s = 0;
  if (options_.rate_limit_per_s > 0 && !head.remote_address.empty() &&
      !limiter_.Take(rate_key, options_.rate_limit_per_s, options_.burst, &retry_after_s)) {
    return Prepare(RetryLater(429, "rate_limited",
                              std::string("more than ") + FormatNumber(options_.rate_limit_per_s) +
                                  " requests per second (burst " + FormatNumber(options_.burst) + ") from this " +
                                  (role ? "token" : "address") + "; slow down",
                              static_cast<int>(std::ceil(retry_after_s))));
  }
  if (unauthorized) return unauthorized;
  if (!Allows(route->info.access, role, options_.anonymous_read)) {
    if (!role) {
      Response r = ErrorResponse(401, "unauthorized", "this needs a token (Authorization: Bearer <token>)");
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      return Prepare(std::move(r));
    }
    const char* need = route->info.access == Access::kAdmin ? "admin" : "analyst";
    return Prepare(ErrorResponse(403, "forbidden", std::string("this needs the ") + need + " role; the token is " +
                                               RoleName(*role)));
  }
  // Extraction without a token costs the server seconds of CPU for nothing
  // in return: few per address, small texts.
  if (route->handler == Extract && !role) {
    if (options_.anonymous_extract_per_min <= 0) {
      Response r = ErrorResponse(401, "unauthorized", "extraction needs a token on this server");
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      return Prepare(std::move(r));
    }
    admission->max_body_bytes = std::min(admission->max_body_bytes, options_.anonymous_extract_max_bytes);
    if (head.content_length && *head.content_length > admission->max_body_bytes) {
      return Prepare(ErrorResponse(413, "too_large", "the request body is larger than " +
                                                        std::to_string(admission->max_body_bytes) +
                                                        " bytes (extraction without a token)"));
    }
    if (!head.remote_address.empty() &&
        !limiter_.Take("extract:" + head.remote_address, options_.anonymous_extract_per_min / 60.0,
                       options_.anonymous_extract_per_min, &retry_after_s)) {
      return Prepare(RetryLater(429, "rate_limited",
                                "more than " + FormatNumber(options_.anonymous_extract_per_min) +
                                    " extractions per minute without a token from this address; wait or send a token",
                                static_cast<int>(std::ceil(retry_after_s))));
    }
  }
  if (head.content_length && *head.content_length > admission->max_body_bytes) {
    return Prepare(ErrorResponse(413, "too_large", "the request body is larger than " +
                                                      std::to_string(admission->max_body_bytes) + " bytes"));
  }
  admission->route = route;
  admission->role = role;
  admission->params = std::move(params);
  admission->heavy = route->info.heavy;
  return nullptr;
}

std::shared_ptr<const Prepared> Api::HandleOrThrow(const Request& request, const Admission& admission) {
  const std::size_t qmark = request.target.find('?');
  if (admission.route == nullptr) return StaticFile(request.target.substr(0, qmark));
  const Route& route = *static_cast<const Route*>(admission.route);
  auto query = Query::Parse(qmark == std::string::npos ? std::string_view()
                                                       : std::string_view(request.target).substr(qmark + 1));
  if (!query.ok()) return Prepare(FromStatus(query.status(), request));
  auto engine = EngineForThisThread();  // a work thread has its own
  if (!engine.ok()) return Prepare(FromStatus(engine.status(), request));

  std::int64_t generation = -1;
  if (route.info.cacheable) {
    auto g = CurrentGeneration(**engine);
    if (!g.ok()) return Prepare(FromStatus(g.status(), request));
    generation = *g;
    if (auto hit = Cached(request.target, generation)) return hit;
  }

  Call call{request, **engine, options_, clock_, std::move(query).value(), admission.params,
            route.info.cacheable ? std::optional<std::int64_t>(generation) : std::nullopt};
  Result<Response> response = route.handler(call);
  if (request.method != "GET") checked_at_ns_.store(0);  // it may have written
  auto prepared = Prepare(response.ok() ? std::move(response).value() : FromStatus(response.status(), request));
  if (route.info.cacheable && prepared->response.status == 200) Remember(request.target, generation, prepared);
  return prepared;
}

}  // namespace truce::server
