// JSON views of the library's values for the HTTP API (docs/api.md). Pure
// functions. Private to src/server.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "truce/facade/engine.h"
#include "truce/core/json_writer.h"
#include "truce/query/incident_index.h"

namespace truce::server {

nlohmann::json AgreementSummaryJson(const model::Agreement& agreement);
nlohmann::json AgreementJson(const agreement::LoadedAgreement& la);
// Zones as (Multi)Polygon outlines and named places as Points.
nlohmann::json ZonesGeoJson(const model::Agreement& a);
nlohmann::json ObligationJson(const model::ObligationStatus& o, const model::Agreement& a);

// An incident as lists show it; `agreement_id` chooses which findings give
// its colouring status (all when empty).
// (Written straight to text: lists have many.)
void WriteIncident(JsonWriter& out, const query::IncidentOutline& in, const std::string& agreement_id);
void WriteIncidentFeature(JsonWriter& out, const query::IncidentOutline& in, const std::string& agreement_id);
nlohmann::json IncidentDetailJson(const IncidentDetail& d);
nlohmann::json FindingJson(const store::FindingRow& row);
nlohmann::json ClusterFeature(const query::Cluster& c);
nlohmann::json IngestJson(const IngestResult& r);

// The day an instant falls on in a time zone.
std::string LocalDay(time::Instant t, const std::string& tz);

}  // namespace truce::server
