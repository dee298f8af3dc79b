// The API's JSON views of the library's values (docs/api.md), moved here
// from the server so that one place decides every output format.
#include "views.h"

#include <algorithm>

#include "truce/reconcile/reconcile.h"
#include "truce/report/report.h"

namespace truce::facade {
namespace {

using json = nlohmann::json;

json OrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
json OrNull(const std::optional<time::Instant>& t) {
  return t ? json(time::FormatInstantUtc(*t)) : json(nullptr);
}

json Ring(const geo::Ring& ring) {
  json out = json::array();
  for (const geo::LatLon& p : ring) out.push_back({p.lon_deg, p.lat_deg});
  return out;
}

json PolygonsGeometry(const std::vector<geo::Polygon>& polygons) {
  auto one = [](const geo::Polygon& p) {
    json rings = json::array({Ring(p.outer)});
    for (const geo::Ring& h : p.holes) rings.push_back(Ring(h));
    return rings;
  };
  if (polygons.size() == 1) return {{"type", "Polygon"}, {"coordinates", one(polygons.front())}};
  json all = json::array();
  for (const geo::Polygon& p : polygons) all.push_back(one(p));
  return {{"type", "MultiPolygon"}, {"coordinates", all}};
}

json Strings(const std::vector<std::string>& v) { return json(v); }

json PointGeometry(geo::LatLon p) { return {{"type", "Point"}, {"coordinates", {p.lon_deg, p.lat_deg}}}; }

}  // namespace

std::string LocalDay(time::Instant t, const std::string& tz) {
  return time::FormatDate(time::LocalDate(t, tz));
}

json AgreementSummaryJson(const model::Agreement& a) {
  return {{"id", a.id},
          {"title", a.title},
          {"entry_into_force", time::FormatInstantUtc(a.entry_into_force)},
          {"entry_into_force_text", a.entry_into_force_text},
          {"entry_into_force_day", LocalDay(a.entry_into_force, a.timezone)},
          {"amends", OrNull(a.amends)},
          {"supersedes", OrNull(a.supersedes)},
          {"extends", OrNull(a.extends)},
          {"provisions", a.provisions.size()},
          {"zones", a.zones.size()},
          {"source_file", a.source_file}};
}

// When it is in force: its own period, then extensions and renewals.
json PeriodsJson(const model::Agreement& a) {
  json out = json::array();
  for (const model::InForcePeriod& p : a.periods) {
    out.push_back({{"from", time::FormatInstantUtc(p.from)},
                   {"until", OrNull(p.until)},
                   {"from_text", p.from_text},
                   {"until_text", OrNull(p.until_text)},
                   {"extension", p.extension},
                   {"by", OrNull(p.by)},
                   {"signed", p.signed_on ? json(time::FormatDate(*p.signed_on)) : json(nullptr)},
                   {"source", OrNull(p.source)},
                   {"note", OrNull(p.note)}});
  }
  return out;
}

json AgreementJson(const agreement::LoadedAgreement& la) {
  const model::Agreement& a = la.agreement;
  json sides = json::array();
  for (const auto& [id, side] : a.sides) {
    sides.push_back({{"id", id}, {"guarantor", OrNull(side.guarantor)}, {"actors", Strings(side.actor_ids)}});
  }
  json actors = json::array();
  for (const model::Actor& actor : la.actors) {
    actors.push_back({{"id", actor.id}, {"name", actor.name}, {"kind", model::ActorKindName(actor.kind)}});
  }
  json provisions = json::array();
  for (const model::Provision& p : a.provisions) {
    const bool obligation = p.kind == model::ProvisionKind::kObligation;
    json prohibits = json::array();
    for (const model::ActPattern& act : p.prohibits) prohibits.push_back(act.ToString());
    json except = json::array();
    for (const model::Exemption& e : p.except) {
      json acts = json::array();
      for (const model::ActPattern& act : e.acts) acts.push_back(act.ToString());
      except.push_back({{"against_designated", e.against_designated},
                        {"against_actors", Strings(e.against_actors)},
                        {"acts", acts},
                        {"note", OrNull(e.note)}});
    }
    provisions.push_back({{"id", p.id},
                          {"article", p.article},
                          {"kind", obligation ? "obligation" : "prohibition"},
                          {"obligation", obligation ? json(model::ObligationKindName(p.obligation)) : json(nullptr)},
                          {"text", OrNull(p.text)},
                          {"note", OrNull(p.note)},
                          {"from", OrNull(p.from)},
                          {"until", OrNull(p.until)},
                          {"by_sides", Strings(p.by_sides)},
                          {"where", Strings(p.where)},
                          {"prohibits", prohibits},
                          {"except", except},
                          {"obligated", Strings(p.obligated)},
                          {"along", OrNull(p.along)},
                          {"due", OrNull(p.due)},
                          {"replaces", OrNull(p.replaces)}});
    // `against:` and `daily:` (issue 12), as written: "other_sides" first.
    json against = json::array();
    if (p.against_other_sides) against.push_back("other_sides");
    for (const std::string& t : p.against) against.push_back(t);
    provisions.back()["against"] = against;
    provisions.back()["daily"] = p.daily ? json{{"from", time::FormatClockMinutes(p.daily->from_min)},
                                                {"to", time::FormatClockMinutes(p.daily->to_min)}}
                                         : json(nullptr);
  }
  return {{"id", a.id},
          {"title", a.title},
          {"parties", Strings(a.parties)},
          {"signed_on", a.signed_on ? json(time::FormatDate(*a.signed_on)) : json(nullptr)},
          {"timezone", a.timezone},
          {"entry_into_force", time::FormatInstantUtc(a.entry_into_force)},
          {"entry_into_force_text", a.entry_into_force_text},
          {"entry_into_force_day", LocalDay(a.entry_into_force, a.timezone)},
          {"end", OrNull(a.end)},
          {"amends", OrNull(a.amends)},
          {"supersedes", OrNull(a.supersedes)},
          {"countries", Strings(a.countries)},
          {"source", OrNull(a.source)},
          {"note", OrNull(a.note)},
          {"extends", OrNull(a.extends)},
          {"periods", PeriodsJson(a)},
          {"sides", sides},
          {"actors", actors},
          {"provisions", provisions}};
}

json ZonesGeoJson(const model::Agreement& a) {
  json features = json::array();
  for (const model::ZoneDef& z : a.zones) {
    const geo::ZoneShape shape = z.zone.shape();
    json props = {{"kind", "zone"},
                  {"id", z.id},
                  {"name", z.name},
                  {"shape", geo::ZoneShapeName(shape)},
                  {"approximate", z.approximate},
                  {"note", OrNull(z.note)},
                  {"width_m", shape == geo::ZoneShape::kCorridor ? json(2 * z.zone.half_width_m())
                              : shape == geo::ZoneShape::kPolygon ? json(nullptr)
                                                                  : json(z.zone.half_width_m())}};
    features.push_back(
        {{"type", "Feature"}, {"geometry", PolygonsGeometry(geo::ZoneOutline(z.zone))}, {"properties", props}});
  }
  for (const model::PlaceDef& p : a.places) {
    features.push_back({{"type", "Feature"},
                        {"geometry", PointGeometry(p.position)},
                        {"properties",
                         {{"kind", "place"}, {"id", p.id}, {"name", p.name}, {"approximate", p.approximate}}}});
  }
  return {{"type", "FeatureCollection"}, {"features", features}};
}

json ObligationJson(const model::ObligationStatus& o, const model::Agreement& a) {
  const model::Provision* p = a.FindProvision(o.provision_id);
  return {{"provision", o.provision_id},
          {"article", p ? p->article : o.provision_id},
          {"obligation", p ? json(model::ObligationKindName(p->obligation)) : json(nullptr)},
          {"state", model::ObligationStateName(o.state)},
          {"covered_fraction", o.covered_fraction},
          {"due", p ? OrNull(p->due) : json(nullptr)},
          {"reason", o.reason},
          {"evidence", o.evidence_incident_ids}};
}

namespace {

// The members of an incident in lists that no filter changes, from "id" to
// "sources" (IncidentRenderer: written once per index).
void WriteFixedMembers(JsonWriter& out, const model::Incident& incident) {
  const model::Report& in = incident.estimate;
  out.Key("id").Int(incident.id);
  out.Key("date").String(time::FormatDate(in.time.first_day));
  out.Key("last_date").String(time::FormatDate(in.time.last_day));
  out.Key("location").String(in.location);
  out.Key("admin1").String(in.admin1);
  out.Key("lat").Double(in.point.lat_deg);
  out.Key("lon").Double(in.point.lon_deg);
  out.Key("uncertainty_m").Double(in.uncertainty_m);
  out.Key("event_type").String(in.event_type);
  out.Key("sub_event_type").String(in.sub_event_type);
  out.Key("actor1").String(in.actor1);
  out.Key("actor2").String(in.actor2);
  out.Key("fatalities").Int(in.fatalities);
  out.Key("dataset").String(in.dataset);
  out.Key("source_id").String(in.source_id);
  out.Key("support").String(model::SupportName(incident.support));
  out.Key("sources").Int(static_cast<std::int64_t>(incident.sources.size()));
}

void WriteFinding(JsonWriter& out, const query::FindingOutline& f) {
  out.BeginObject();
  out.Key("agreement").String(f.agreement_id);
  out.Key("provision").String(f.provision_id);
  out.Key("status").String(model::FindingStatusName(f.status));
  out.Key("side").StringOrNull(f.side);
  out.EndObject();
}

// The members of an incident as lists show it (WriteIncident), without braces.
void WriteIncidentMembers(JsonWriter& out, const query::IncidentOutline& in, int agreement) {
  out.Members(in.fixed_json);
  std::optional<model::FindingStatus> worst = query::WorstStatus(in, agreement);
  out.Key("status").String(worst ? model::FindingStatusName(*worst) : "none");
  out.Key("findings").BeginArray();
  for (const query::FindingOutline& f : in.findings) {
    if (agreement != -1 && f.agreement != agreement) continue;
    out.Raw(f.json);
  }
  out.EndArray();
}

}  // namespace

query::OutlineRenderer IncidentRenderer() {
  query::OutlineRenderer r;
  r.incident = [](const model::Incident& incident, std::string* out) {
    JsonWriter w;
    w.BeginObject();
    WriteFixedMembers(w, incident);
    w.EndObject();
    const std::string text = w.Take();
    out->append(text, 1, text.size() - 2);  // without the braces
  };
  r.finding = [](const query::FindingOutline& f, std::string* out) {
    JsonWriter w;
    WriteFinding(w, f);
    *out += w.Take();
  };
  return r;
}

void WriteIncident(JsonWriter& out, const query::IncidentOutline& in, int agreement) {
  out.BeginObject();
  WriteIncidentMembers(out, in, agreement);
  out.EndObject();
}

void WriteIncidentFeature(JsonWriter& out, const query::IncidentOutline& in, int agreement) {
  out.BeginObject();
  out.Key("type").String("Feature");
  out.Key("geometry").BeginObject();
  out.Key("type").String("Point");
  out.Key("coordinates").BeginArray().Double(in.point.lon_deg).Double(in.point.lat_deg).EndArray();
  out.EndObject();
  out.Key("properties").BeginObject();
  WriteIncidentMembers(out, in, agreement);
  out.Key("cluster").Bool(false);
  out.EndObject();
  out.EndObject();
}

json FindingJson(const store::FindingRow& row) {
  json j = report::FindingRowJson(row);
  j["admin1"] = row.admin1;
  j["actor1"] = row.actor1;
  j["actor2"] = row.actor2;
  j["last_date"] = time::FormatDate(row.last_date);
  j["actor_id"] = OrNull(row.finding.actor_id);
  return j;  // support, sources, reported_by, grades: as the export writes them

}

namespace {

json TimeJson(const model::Report& r) {
  return {{"date", time::FormatDate(r.time.first_day)}, {"last_date", time::FormatDate(r.time.last_day)}};
}

json OptionalInt(const std::optional<int>& v) { return v ? json(*v) : json(nullptr); }

// One source of an incident: why it is there and what it says, in its own
// values (never the estimate's).
json SourceJson(const model::IncidentSource& s, const model::Report* r) {
  json j = {{"report_id", s.report_id},
            {"dataset", s.dataset},
            {"source_id", s.source_id},
            {"grade", s.grade},
            {"independent_of", s.independent_of},
            {"score", s.score},
            {"reason", s.reason},
            {"decided_by", s.decided_by}};
  if (r == nullptr) return j;
  j.update(TimeJson(*r));
  j["point"] = {{"lat", r->point.lat_deg}, {"lon", r->point.lon_deg}};
  j["uncertainty_m"] = r->uncertainty_m;
  j["location"] = r->location;
  j["event_type"] = r->event_type;
  j["sub_event_type"] = r->sub_event_type;
  j["actors"] = {{"actor1", r->actor1}, {"assoc_actor1", r->assoc_actor1},
                 {"actor2", r->actor2}, {"assoc_actor2", r->assoc_actor2}};
  j["fatalities"] = r->fatalities;
  j["fatalities_low"] = OptionalInt(r->fatalities_low);
  j["fatalities_high"] = OptionalInt(r->fatalities_high);
  j["source"] = r->source;
  return j;
}

json FigureJson(const model::FatalityFigure& f) {
  return {{"report_id", f.report_id},
          {"source", f.source},
          {"best", OptionalInt(f.best)},
          {"low", OptionalInt(f.low)},
          {"high", OptionalInt(f.high)},
          {"qualifier", OrNull(f.qualifier)}};
}

json OverrideJson(const store::MatchOverride& o) {
  return {{"id", o.id},
          {"kind", o.kind},
          {"a", o.report_a},
          {"b", o.report_b},
          {"analyst", o.analyst},
          {"decided_at", o.decided_at},
          {"note", OrNull(o.note)}};
}

}  // namespace

json IncidentDetailJson(const IncidentDetail& d) {
  const model::Report& in = d.incident.estimate;
  json track = nullptr;
  if (!in.track.empty()) {
    json lines = json::array();
    for (const geo::LineString& line : in.track) {
      json coords = json::array();
      for (const geo::LatLon& p : line) coords.push_back({p.lon_deg, p.lat_deg});
      lines.push_back(coords);
    }
    track = {{"type", "MultiLineString"}, {"coordinates", lines}};
  }
  json reports = json::array();
  for (const model::SourceRecord& r : d.records) {
    reports.push_back(
        {{"id", r.id}, {"dataset", r.dataset}, {"source_file", r.source_file}, {"row", r.row}, {"raw", r.raw}});
  }
  json claims = json::array();
  for (const model::Claim& c : d.claims) {
    claims.push_back({{"id", c.id},
                      {"kind", c.kind},
                      {"count", c.count ? json(*c.count) : json(nullptr)},
                      {"qualifier", OrNull(c.qualifier)},
                      {"claimant", OrNull(c.claimant_name)},
                      {"claimant_country", OrNull(c.claimant_country)},
                      {"subject", OrNull(c.subject_name)},
                      {"by", OrNull(c.by_name)},
                      {"from", OrNull(c.from_day)},
                      {"to", OrNull(c.to_day)},
                      {"area", OrNull(c.area)},
                      {"text", OrNull(c.text)},
                      {"sentence", c.sentence},
                      {"confidence", c.confidence}});
  }
  json findings = json::array();
  for (const store::FindingRow& r : d.findings) findings.push_back(FindingJson(r));
  const model::Incident& incident = d.incident;
  json sources = json::array();
  for (const model::IncidentSource& s : incident.sources) {
    const auto r = std::find_if(d.reports.begin(), d.reports.end(),
                                [&](const model::Report& x) { return x.id == s.report_id; });
    sources.push_back(SourceJson(s, r == d.reports.end() ? nullptr : &*r));
  }
  json figures = json::array();
  for (const model::FatalityFigure& f : incident.figures) figures.push_back(FigureJson(f));
  json overrides = json::array();
  for (const store::MatchOverride& o : d.overrides) overrides.push_back(OverrideJson(o));
  return {{"id", incident.id},
          {"date", time::FormatDate(in.time.first_day)},
          {"last_date", time::FormatDate(in.time.last_day)},
          {"date_precision", time::TimePrecisionName(in.time.precision)},
          {"exact_utc", OrNull(in.time.exact)},
          {"location", in.location},
          {"admin1", in.admin1},
          {"admin2", in.admin2},
          {"admin3", in.admin3},
          {"country", in.country},
          {"lat", in.point.lat_deg},
          {"lon", in.point.lon_deg},
          {"uncertainty_m", in.uncertainty_m},
          {"event_type", in.event_type},
          {"sub_event_type", in.sub_event_type},
          {"actor1", in.actor1},
          {"assoc_actor1", in.assoc_actor1},
          {"actor2", in.actor2},
          {"assoc_actor2", in.assoc_actor2},
          {"fatalities", in.fatalities},
          {"fatalities_low", in.fatalities_low ? json(*in.fatalities_low) : json(nullptr)},
          {"fatalities_high", in.fatalities_high ? json(*in.fatalities_high) : json(nullptr)},
          {"dataset", in.dataset},
          {"source_id", in.source_id},
          {"source", in.source},
          {"notes", in.notes},
          {"confidence", in.confidence},
          {"track", track},
          {"reports", reports},
          {"claims", claims},
          {"findings", findings},
          {"support", model::SupportName(incident.support)},
          {"independent_sources", incident.independent_sources},
          {"reported_by", reconcile::ReportedBy(incident)},
          {"grades", reconcile::Grades(incident)},
          {"fatalities_range", {{"best", in.fatalities}, {"low", incident.fatalities_low}, {"high", incident.fatalities_high}}},
          {"sources", sources},
          {"figures", figures},
          {"overrides", overrides}};
}

json ClusterFeature(const query::Cluster& c) {
  return {{"type", "Feature"},
          {"geometry", PointGeometry(c.centre)},
          {"properties", {{"cluster", true}, {"count", c.count}, {"by_status", c.by_status}}}};
}

json IngestJson(const IngestResult& r) {
  json skipped = json::array();
  for (const SkippedRow& s : r.skipped) skipped.push_back({{"row", s.row}, {"message", s.message}});
  return {{"name", r.path},
          {"variant", r.variant},
          {"already_ingested", r.already_ingested},
          {"records", r.records},
          {"added", r.added},
          {"duplicates", r.duplicates},
          {"not_located", r.not_located},
          {"claims", r.claims},
          {"skipped", skipped},
          {"warnings", r.warnings}};
}

}  // namespace truce::facade
