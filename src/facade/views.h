// JSON views of the library's values for the HTTP API (docs/api.md). Pure
// functions; Engine's API views (api_views.cc) put them together. Private to
// src/facade.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core.h"
#include "truce/core/json_writer.h"
#include "truce/query/incident_index.h"

namespace truce::facade {

// JSON bytes of `j`; text that is not UTF-8 (stored before the doors
// checked it) is replaced with U+FFFD rather than thrown on.
inline std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json AgreementSummaryJson(const model::Agreement& agreement);
nlohmann::json AgreementJson(const agreement::LoadedAgreement& la);
// Zones as (Multi)Polygon outlines and named places as Points.
nlohmann::json ZonesGeoJson(const model::Agreement& a);
nlohmann::json ObligationJson(const model::ObligationStatus& o, const model::Agreement& a);

// An incident of an index as lists show it; `agreement`, a number in that
// index (IncidentIndex::AgreementNumber of the filter's agreement; -1: all),
// chooses which findings it lists and which give its colouring status. The
// index must have been built with IncidentRenderer() (Core::Index is): most
// of what is written is the text it keeps.
void WriteIncident(JsonWriter& out, const query::IncidentOutline& in, int agreement);
void WriteIncidentFeature(JsonWriter& out, const query::IncidentOutline& in, int agreement);
// What an index keeps written of each incident and finding (the members of
// WriteIncident that no filter changes, from "id" to "sources"; each finding
// as WriteIncident lists it), so that lists copy text instead of writing it.
query::OutlineRenderer IncidentRenderer();
nlohmann::json IncidentDetailJson(const IncidentDetail& d);
nlohmann::json FindingJson(const store::FindingRow& row);
// Findings in the order FindingQuery::sort names (findings_page.cc).
Result<std::vector<store::FindingRow>> SortFindings(std::vector<store::FindingRow> rows, const std::string& sort);
nlohmann::json ClusterFeature(const query::Cluster& c);
nlohmann::json IngestJson(const IngestResult& r);

// The day an instant falls on in a time zone.
std::string LocalDay(time::Instant t, const std::string& tz);

}  // namespace truce::facade
