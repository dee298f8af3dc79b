// /findings (JSON and GeoJSON pages, or all of them as CSV) and the daily
// report.
#include "services.h"

#include <utility>


namespace truce::server::service {

Result<Response> ListFindings(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow(With(kFilterParams, {"zone", "limit", "cursor", "format", "by_report", "sort"})));
  TRUCE_ASSIGN_OR_RETURN(IncidentQuery parsed, ParseFilter(c.query));
  FindingQuery f;
  f.agreement_id = parsed.agreement_id;
  f.side = parsed.side;
  f.status = parsed.status ? model::FindingStatusName(*parsed.status) : "";
  f.zone_id = c.query.Get("zone");
  f.event_type = parsed.event_type;
  f.bbox = parsed.bbox;
  f.from_day = parsed.from_day;
  f.to_day = parsed.to_day;
  f.support = parsed.support;
  TRUCE_ASSIGN_OR_RETURN(f.by_report, BoolParam(c.query, "by_report"));
  f.sort = c.query.Get("sort");
  if (Status s = CheckFindingSort(f.sort); !s.ok()) {
    return Status::InvalidArgument("query parameter 'sort': " + s.message());
  }
  TRUCE_ASSIGN_OR_RETURN(std::string format, ListFormat(c.query));
  // CSV is the download of everything that matches; JSON and GeoJSON page.
  if (format == "csv") return CsvDownload(c.query, "finding", [&] { return c.engine.FindingsText(f, "csv"); });
  TRUCE_ASSIGN_OR_RETURN(std::int64_t limit, c.query.Int("limit", 100, 1, 1000));
  TRUCE_ASSIGN_OR_RETURN(Rendered page, c.engine.FindingsPage(f, static_cast<std::size_t>(limit),
                                                              Cursor(c.query), format));
  return Body(std::move(page.body), page.content_type);
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
