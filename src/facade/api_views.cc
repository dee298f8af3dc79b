// Engine: the HTTP API's answers, rendered (docs/api.md). The server parses
// the request and writes what these return; the JSON of each view is
// decided here (views.cc), as are the opaque page cursors.
#include <algorithm>
#include <cmath>
#include <tuple>
#include <vector>

#include "core.h"
#include "truce/core/json_writer.h"
#include "truce/core/strings.h"
#include "truce/facade/answers.h"
#include "truce/facade/engine.h"
#include "truce/report/report.h"
#include "views.h"

namespace truce {

using json = nlohmann::json;
using facade::Dump;

namespace {

// Opaque cursors: hex of tab-separated fields.
std::string EncodeCursor(const std::vector<std::string>& fields) { return HexEncode(Join(fields, "\t")); }

Status NotACursor() { return Status::InvalidArgument("query parameter 'cursor': not a cursor this route gave out"); }

Result<std::vector<std::string>> DecodeCursor(const std::string& cursor, std::size_t fields) {
  std::optional<std::string> joined = HexDecode(cursor);
  std::vector<std::string> out;
  if (joined) out = Split(*joined, '\t');
  if (out.size() != fields) return NotACursor();
  return out;
}

// A positive id in a cursor, written as such (no spaces around it).
std::optional<std::int64_t> CursorId(std::string_view s) {
  const std::optional<long long> v = Trim(s).size() == s.size() ? ParseInt(s) : std::nullopt;
  if (!v || *v <= 0) return std::nullopt;
  return static_cast<std::int64_t>(*v);
}

Result<const agreement::LoadedAgreement*> FindAgreement(const LoadedAgreements& all, const std::string& id) {
  for (const auto& la : all) {
    if (la.agreement.id == id) return &la;
  }
  return Status::NotFound("no agreement '" + id + "' in the database");
}

// Incidents for a map view: points when few match, else grid clusters.
constexpr std::size_t kMaxPoints = 2000;

}  // namespace

Result<std::string> Engine::AgreementsJson() {
  TRUCE_ASSIGN_OR_RETURN(auto all, core_->Agreements());  // by id, as ListAgreements
  json items = json::array();
  for (const auto& la : *all) items.push_back(facade::AgreementSummaryJson(la.agreement));
  return Dump({{"items", items}});
}

Result<std::string> Engine::AgreementJson(const std::string& id) {
  TRUCE_ASSIGN_OR_RETURN(auto la, core_->GetAgreement(id));
  return Dump(facade::AgreementJson(la));
}

Result<std::string> Engine::AgreementZonesGeoJson(const std::string& id) {
  TRUCE_ASSIGN_OR_RETURN(auto la, core_->GetAgreement(id));
  return Dump(facade::ZonesGeoJson(la.agreement));
}

Result<std::string> Engine::ObligationsJson(const std::string& agreement_id, time::Days as_of) {
  TRUCE_ASSIGN_OR_RETURN(auto la, core_->GetAgreement(agreement_id));
  TRUCE_ASSIGN_OR_RETURN(auto statuses, core_->ObligationsAsOf(agreement_id, as_of));
  json items = json::array();
  for (const auto& o : statuses) items.push_back(facade::ObligationJson(o, la.agreement));
  return Dump({{"agreement", la.agreement.id}, {"as_of", time::FormatDate(as_of)}, {"items", items}});
}

Result<Rendered> Engine::IncidentsPage(const IncidentQuery& query, std::size_t limit,
                                       const std::optional<std::string>& cursor,
                                       const std::string& format, std::optional<std::int64_t> generation) {
  const query::Filter filter = facade::ToFilter(query);
  std::optional<query::Cursor> after;
  if (cursor) {
    TRUCE_ASSIGN_OR_RETURN(auto fields, DecodeCursor(*cursor, 2));
    auto day = time::ParseIsoDate(fields[0]);
    auto id = CursorId(fields[1]);
    if (!day.ok() || !id) return NotACursor();
    after = query::Cursor{*day, *id};
  }
  TRUCE_ASSIGN_OR_RETURN(auto index, core_->Index(generation));
  query::Page page = index->Find(filter, after, limit);
  const int agreement = index->AgreementNumber(filter.agreement_id);
  Rendered r;
  JsonWriter out;
  const bool geojson = format == "geojson";
  // Mostly the text the index keeps: its size, and a little for the rest.
  std::size_t bytes = 256;
  for (const auto* in : page.items) {
    bytes += in->fixed_json.size() + (geojson ? 160 : 64);
    for (const query::FindingOutline& f : in->findings) bytes += f.json.size() + 1;
  }
  out.Reserve(bytes);
  out.BeginObject();
  if (geojson) out.Key("type").String("FeatureCollection");
  out.Key(geojson ? "features" : "items").BeginArray();
  for (const auto* in : page.items) {
    if (geojson) {
      facade::WriteIncidentFeature(out, *in, agreement);
    } else {
      facade::WriteIncident(out, *in, agreement);
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

Result<std::string> Engine::IncidentJson(std::int64_t id) {
  TRUCE_ASSIGN_OR_RETURN(facade::IncidentDetail d, core_->Incident(id));
  json j = facade::IncidentDetailJson(d);
  // The colouring status, as lists give it.
  query::IncidentOutline outline;
  for (const auto& f : d.findings) {
    outline.findings.push_back({f.finding.agreement_id, -1, f.finding.provision_id, f.finding.status, f.finding.side});
  }
  const std::optional<model::FindingStatus> worst = query::WorstStatus(outline, "");
  j["status"] = worst ? model::FindingStatusName(*worst) : "none";
  // Each finding's article, as its agreement names it.
  TRUCE_ASSIGN_OR_RETURN(auto agreements, core_->Agreements());
  for (json& f : j["findings"]) {
    f["article"] = f["provision"];
    for (const auto& la : *agreements) {
      if (la.agreement.id != f["agreement"]) continue;
      if (const model::Provision* p = la.agreement.FindProvision(f["provision"].get<std::string>())) {
        f["article"] = p->article;
      }
    }
  }
  return Dump(j);
}

Result<std::string> Engine::MapGeoJson(const IncidentQuery& query, int zoom, std::optional<std::int64_t> generation) {
  const query::Filter filter = facade::ToFilter(query);
  TRUCE_ASSIGN_OR_RETURN(auto index, core_->Index(generation));
  const std::size_t matching = index->Count(filter);
  const bool clustered = matching > kMaxPoints;
  JsonWriter out;
  out.BeginObject();
  out.Key("type").String("FeatureCollection");
  out.Key("features").BeginArray();
  if (clustered) {
    // Cells of about 40 pixels at this zoom (256-pixel tiles).
    const double cell_deg = 360.0 / std::pow(2.0, static_cast<double>(zoom)) * 40.0 / 256.0;
    for (const query::Cluster& cl : index->Clusters(filter, cell_deg)) out.Raw(Dump(facade::ClusterFeature(cl)));
  } else {
    const int agreement = index->AgreementNumber(filter.agreement_id);
    index->ForEach(filter, [&](const query::IncidentOutline& in) {
      facade::WriteIncidentFeature(out, in, agreement);
      return true;
    });
  }
  out.EndArray();
  out.Key("clustered").Bool(clustered);
  out.Key("matching").Int(static_cast<std::int64_t>(matching));
  out.EndObject();
  return out.Take();
}

Result<std::string> Engine::TimelineJson(const IncidentQuery& query, std::optional<std::int64_t> generation) {
  const query::Filter filter = facade::ToFilter(query);
  TRUCE_ASSIGN_OR_RETURN(auto index, core_->Index(generation));
  TRUCE_ASSIGN_OR_RETURN(auto agreements, core_->Agreements(generation));
  if (!filter.agreement_id.empty()) TRUCE_RETURN_IF_ERROR(FindAgreement(*agreements, filter.agreement_id).status());
  query::Timeline t = index->Daily(filter);
  // Every side of the agreement asked about has a series, zeros included.
  for (const auto& la : *agreements) {
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
  for (const auto& la : *agreements) {
    const model::Agreement& a = la.agreement;
    if (!filter.agreement_id.empty() && a.id != filter.agreement_id) continue;
    markers.push_back({{"day", facade::LocalDay(a.entry_into_force, a.timezone)},
                       {"agreement", a.id},
                       {"label", a.id + " enters into force"}});
  }
  return Dump({{"agreement", filter.agreement_id.empty() ? json(nullptr) : json(filter.agreement_id)},
               {"days", days},
               {"incidents", t.incidents},
               {"sides", sides},
               {"violations", violations},
               {"markers", markers}});
}

Result<std::string> Engine::PlacesJson(const geo::BBox& bbox, std::size_t limit, const ArticleOptions& options) {
  TRUCE_ASSIGN_OR_RETURN(auto labels, core_->Places(bbox, limit, options));
  json items = json::array();
  for (const facade::PlaceLabel& p : labels) {
    items.push_back({{"name", p.name}, {"lat", p.point.lat_deg}, {"lon", p.point.lon_deg}, {"kind", p.kind}});
  }
  return Dump({{"items", items}});
}

Result<std::string> Engine::ExtractJson(const std::string& name, const std::string& bytes, time::Days published,
                                        const ArticleOptions& options) {
  TRUCE_ASSIGN_OR_RETURN(extract::Extraction x, core_->Extract(name, bytes, published, options));
  // EXTRACTION.md's shape, plus why event words gave no event (the page
  // says "no place found for 'Kansafra'" rather than just "0 events").
  json j = json::parse(extract::ToJson(x, /*pretty=*/false));
  json notes = json::array();
  for (const extract::EventMiss& m : x.event_misses) {
    notes.push_back({{"cue", m.cue}, {"reason", m.reason}, {"sentence", m.source.sentence}});
  }
  j["event_notes"] = std::move(notes);
  return Dump(j);
}

// ---------------------------------------------------------------- answers the server puts together

std::string IngestAnswerJson(const IngestResult& result, const RuleResult* ruled) {
  json j = facade::IngestJson(result);
  if (ruled != nullptr) {
    j["ruled"] = {{"findings", ruled->findings}, {"by_status", ruled->by_status}};
  } else {
    j["ruled"] = nullptr;
  }
  return Dump(j);
}

namespace {

json RuledJson(const RuleResult& ruled) { return {{"findings", ruled.findings}, {"by_status", ruled.by_status}}; }

}  // namespace

std::string AgreementAddedJson(const std::string& id, const RuleResult& ruled) {
  return Dump({{"id", id}, {"ruled", RuledJson(ruled)}});
}

std::string OverrideAnswerJson(const OverrideResult& result, const RuleResult& ruled) {
  return Dump({{"incidents", result.incidents}, {"message", result.message}, {"ruled", RuledJson(ruled)}});
}

std::string ReconcileAnswerJson(const ReconcileResult& result, const RuleResult& ruled) {
  return Dump({{"reports", result.reports},
               {"incidents", result.incidents},
               {"merged", result.merged},
               {"overrides", result.overrides},
               {"ruled", RuledJson(ruled)}});
}

namespace {

json TokenView(const TokenInfo& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"role", t.role},
          {"created_at", t.created_at},
          {"revoked_at", t.revoked_at ? json(*t.revoked_at) : json(nullptr)}};
}

}  // namespace

std::string TokensJson(const std::vector<TokenInfo>& tokens) {
  json items = json::array();
  for (const auto& t : tokens) items.push_back(TokenView(t));
  return Dump({{"items", items}});
}

std::string TokenGrantJson(const TokenGrant& grant) {
  json j = TokenView(grant.record);
  j["token"] = grant.token;
  return Dump(j);
}

}  // namespace truce
