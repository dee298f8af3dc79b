// What people and programs read: the daily report of one agreement (Markdown
// and HTML for people, JSON for programs), findings exports (table, CSV, JSON,
// GeoJSON) and incidents (a list, one shown). Pure functions of their input. Thread-safety: reentrant.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "truce/model/model.h"
#include "truce/store/store.h"

namespace truce::report {

struct DailyInput {
  const model::Agreement* agreement = nullptr;
  time::Days day{};
  std::vector<store::FindingRow> today;     // the agreement's findings on incidents dated that day
  std::vector<store::FindingRow> previous;  // ... and the day before
  std::vector<model::ObligationStatus> obligations;  // as of the end of the day
};

// Markdown: the day's findings by status, violations per side and area
// (admin1, else location) compared with the previous day, each violation and
// undetermined finding with its reason, and the obligations' status and dues.
std::string DailyMarkdown(const DailyInput& in);
std::string DailyJson(const DailyInput& in);
// HTML: one self-contained HTML5 page with the Markdown's content (inline
// CSS, no scripts, nothing loaded from elsewhere); all input text escaped.
std::string DailyHtml(const DailyInput& in);

// Findings exports. JSON: an array of objects with at least status, reason,
// provision, agreement, side, guarantor, date, location (the contract scripts
// rely on; docs/cli.md). GeoJSON: a FeatureCollection of Points with the same
// properties. CSV: a header row and one row per finding (RFC 4180 quoting).
std::string FindingsTable(const std::vector<store::FindingRow>& rows);
std::string FindingsCsv(const std::vector<store::FindingRow>& rows);
std::string FindingsJson(const std::vector<store::FindingRow>& rows);
std::string FindingsGeoJson(const std::vector<store::FindingRow>& rows);
// One finding as the JSON export writes it (the HTTP API adds to it).
nlohmann::json FindingRowJson(const store::FindingRow& row);

// Incidents (`truce incident list`): one row per incident with its report
// ids ("3;7") and the datasets' ids ("acled:SYR1;ucdp:2"). Table, CSV (a
// header row; RFC 4180 quoting) or JSON (an array).
std::string IncidentsTable(const std::vector<model::Incident>& incidents);
std::string IncidentsCsv(const std::vector<model::Incident>& incidents);
std::string IncidentsJson(const std::vector<model::Incident>& incidents);

// One incident with what stands behind it (`truce incident show`).
struct IncidentView {
  model::Incident incident;
  std::vector<model::Report> reports;  // each source's own values, in incident.sources order
  std::vector<store::FindingRow> findings;
  std::vector<store::MatchOverride> overrides;
  std::string reported_by;  // "ACLED AFG44612, UCDP 342211 and 2 news reports"
  std::string grades;       // "ACLED B, UCDP B, news C"
};
std::string IncidentText(const IncidentView& view);

// Every rendering takes stored text as it is, even bytes written before the
// doors checked UTF-8: JSON and GeoJSON write invalid UTF-8 as U+FFFD (never
// throw); Markdown, HTML and the table also escape control characters
// ("\x1b"), CSV those other than tab and line breaks (which quoting carries).

// One CSV field, quoted when it needs to be.
std::string CsvField(const std::string& s);

// Text for HTML element content or a quoted attribute value: & < > " '
// escaped, invalid UTF-8 repaired, control characters as escapes.
std::string HtmlEscape(std::string_view s);

}  // namespace truce::report
