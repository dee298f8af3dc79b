// /incidents, one incident with its sources and findings, and the dashboard's
// views of them: the map (points or clusters), the timeline of violations per
// side, the place labels under the map.
#include "services.h"

#include <utility>

namespace truce::server::service {

Result<Response> ListIncidents(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow(With(kFilterParams, {"limit", "cursor", "format"})));
  TRUCE_ASSIGN_OR_RETURN(IncidentQuery filter, ParseFilter(c.query));
  TRUCE_ASSIGN_OR_RETURN(std::string format, ListFormat(c.query));
  // CSV is the download of every matching incident (the dashboard's export); JSON and GeoJSON page.
  if (format == "csv") return CsvDownload(c.query, "incident", [&] { return c.engine.IncidentsText(filter, "csv"); });
  TRUCE_ASSIGN_OR_RETURN(std::int64_t limit, c.query.Int("limit", 100, 1, 1000));
  TRUCE_ASSIGN_OR_RETURN(Rendered page, c.engine.IncidentsPage(filter, static_cast<std::size_t>(limit),
                                                               Cursor(c.query), format, c.generation));
  return Body(std::move(page.body), page.content_type);
}

Result<Response> GetReport(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  TRUCE_ASSIGN_OR_RETURN(std::int64_t id, ParseId(c.path["id"], "incident"));
  TRUCE_ASSIGN_OR_RETURN(std::string body, c.engine.IncidentJson(id));
  return Body(std::move(body));
}

Result<Response> MapView(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow(With(kFilterParams, {"zoom"})));
  TRUCE_ASSIGN_OR_RETURN(IncidentQuery filter, ParseFilter(c.query));
  TRUCE_ASSIGN_OR_RETURN(std::int64_t zoom, c.query.Int("zoom", 8, 0, 22));
  TRUCE_ASSIGN_OR_RETURN(std::string body, c.engine.MapGeoJson(filter, static_cast<int>(zoom), c.generation));
  return Body(std::move(body), "application/geo+json");
}

Result<Response> TimelineView(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow(kFilterParams));
  TRUCE_ASSIGN_OR_RETURN(IncidentQuery filter, ParseFilter(c.query));
  TRUCE_ASSIGN_OR_RETURN(std::string body, c.engine.TimelineJson(filter, c.generation));
  return Body(std::move(body));
}

Result<Response> Places(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({"bbox", "limit"}));
  if (!c.query.Has("bbox")) return Status::InvalidArgument("query parameter 'bbox' is required");
  TRUCE_ASSIGN_OR_RETURN(auto bbox, c.query.BBox("bbox"));
  TRUCE_ASSIGN_OR_RETURN(std::int64_t limit, c.query.Int("limit", 200, 1, 2000));
  TRUCE_ASSIGN_OR_RETURN(std::string body,
                         c.engine.PlacesJson(*bbox, static_cast<std::size_t>(limit), c.options.article));
  return Body(std::move(body));
}

}  // namespace truce::server::service
