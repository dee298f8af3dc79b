// /findings (JSON and GeoJSON pages, or all of them as CSV) and the daily
// report.
#include "services.h"

#include <utility>

#include "truce/report/report.h"
#include "views.h"

namespace truce::server::service {

using json = nlohmann::json;

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

}  // namespace truce::server::service
