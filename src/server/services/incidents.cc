// /incidents, one incident with its sources and findings, and the dashboard's
// views of them: the map (points or clusters), the timeline of violations per
// side, the place labels under the map.
#include "services.h"

#include <cmath>
#include <vector>

#include "truce/core/json_writer.h"
#include "views.h"

namespace truce::server::service {

using json = nlohmann::json;

namespace {

Result<const agreement::LoadedAgreement*> FindAgreement(const std::vector<agreement::LoadedAgreement>& all,
                                                        const std::string& id) {
  for (const auto& la : all) {
    if (la.agreement.id == id) return &la;
  }
  return Status::NotFound("no agreement '" + id + "' in the database");
}

}  // namespace

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

}  // namespace truce::server::service
