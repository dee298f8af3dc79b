#include <nlohmann/json.hpp>

#include <cstdio>
#include <sstream>

#include "truce/core/utf8.h"
#include "truce/report/report.h"

namespace truce::report {

nlohmann::json FindingRowJson(const store::FindingRow& r) {
  const model::Finding& f = r.finding;
  nlohmann::json j;
  j["incident_id"] = f.incident_id;
  j["agreement"] = f.agreement_id;
  j["provision"] = f.provision_id;
  j["status"] = model::FindingStatusName(f.status);
  j["side"] = f.side.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.side);
  j["guarantor"] = f.guarantor.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.guarantor);
  j["actor"] = r.actor1;
  j["target"] = r.actor2;
  j["date"] = time::FormatDate(r.date);
  if (r.last_date != r.date) j["last_date"] = time::FormatDate(r.last_date);
  j["location"] = r.location;
  j["lat"] = r.point.lat_deg;
  j["lon"] = r.point.lon_deg;
  j["event_type"] = r.event_type;
  j["sub_event_type"] = r.sub_event_type;
  j["fatalities"] = r.fatalities;
  j["zone"] = f.zone_id;
  j["distance_m"] = static_cast<long long>(f.distance_m);
  j["confidence"] = f.confidence;
  j["dataset"] = r.dataset;
  j["source_id"] = r.source_id;
  j["reason"] = f.reason;
  // The ruled incident's support and who reported it.
  j["support"] = model::SupportName(f.support);
  j["sources"] = f.sources;
  j["independent_sources"] = f.independent_sources;
  j["reported_by"] = f.reported_by;
  j["grades"] = f.grades;
  j["fatalities_low"] = r.fatalities_low;
  j["fatalities_high"] = r.fatalities_high;
  return j;
}

namespace {

// Stored text as CSV data: invalid UTF-8 repaired, control characters other
// than tab and line breaks (which quoting carries) escaped.
std::string CsvText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t run = 0;
  for (size_t i = 0; i < s.size();) {
    const size_t start = i;
    const char32_t cp = DecodeUtf8(s, &i);
    const bool bad = cp == 0xFFFD && s.substr(start, i - start) != "\xEF\xBF\xBD";
    if (!bad && (!IsControl(cp) || cp == '\t' || cp == '\r' || cp == '\n')) continue;
    out.append(s.data() + run, start - run);
    out += EscapeControls(s.substr(start, i - start));
    run = i;
  }
  out.append(s.data() + run, s.size() - run);
  return out;
}

}  // namespace

std::string CsvField(const std::string& raw) {
  const std::string s = CsvText(raw);
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string FindingsJson(const std::vector<store::FindingRow>& rows) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& r : rows) arr.push_back(FindingRowJson(r));
  // Stored text may predate the UTF-8 checks: replaced, never thrown on.
  return arr.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string FindingsGeoJson(const std::vector<store::FindingRow>& rows) {
  nlohmann::json fc;
  fc["type"] = "FeatureCollection";
  fc["features"] = nlohmann::json::array();
  for (const auto& r : rows) {
    nlohmann::json feat;
    feat["type"] = "Feature";
    feat["geometry"] = {{"type", "Point"}, {"coordinates", {r.point.lon_deg, r.point.lat_deg}}};
    feat["properties"] = FindingRowJson(r);
    fc["features"].push_back(std::move(feat));
  }
  return fc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string FindingsCsv(const std::vector<store::FindingRow>& rows) {
  std::ostringstream out;
  out << "incident_id,date,location,lat,lon,event_type,sub_event_type,actor,target,agreement,provision,status,"
         "side,guarantor,zone,distance_m,confidence,dataset,source_id,reason,support,sources,reported_by\n";
  for (const auto& r : rows) {
    const model::Finding& f = r.finding;
    char num[64];
    out << f.incident_id << ',' << time::FormatDate(r.date) << ',' << CsvField(r.location) << ',';
    std::snprintf(num, sizeof num, "%.5f,%.5f", r.point.lat_deg, r.point.lon_deg);
    out << num << ',' << CsvField(r.event_type) << ',' << CsvField(r.sub_event_type) << ',' << CsvField(r.actor1)
        << ',' << CsvField(r.actor2) << ',' << CsvField(f.agreement_id) << ',' << CsvField(f.provision_id) << ','
        << model::FindingStatusName(f.status) << ',' << CsvField(f.side) << ',' << CsvField(f.guarantor) << ','
        << CsvField(f.zone_id) << ',' << static_cast<long long>(f.distance_m) << ',';
    std::snprintf(num, sizeof num, "%.2f", f.confidence);
    out << num << ',' << CsvField(r.dataset) << ',' << CsvField(r.source_id) << ',' << CsvField(f.reason) << ','
        << model::SupportName(f.support) << ',' << f.sources << ',' << CsvField(f.reported_by) << '\n';
  }
  return out.str();
}

namespace {

// Cuts to `width` characters (UTF-8 code points, "~" marking a cut) and pads
// with spaces, so that columns line up whatever the script of a place name.
// Control characters are escaped (a stored newline cannot start a fake row).
std::string Column(const std::string& raw, size_t width) {
  const std::string s = EscapeControls(raw);
  std::vector<size_t> starts;  // byte offset of each code point
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  if (starts.size() > width) return s.substr(0, starts[width - 1]) + "~";
  return s + std::string(width - starts.size(), ' ');
}

}  // namespace

std::string FindingsTable(const std::vector<store::FindingRow>& rows) {
  if (rows.empty()) return "no findings\n";
  std::ostringstream out;
  char line[512];
  std::snprintf(line, sizeof line, "%-10s  %-20s  %-22s  %-13s  %-10s  %s\n", "DATE", "LOCATION", "AGREEMENT",
                "STATUS", "SIDE", "PROVISION");
  out << line;
  for (const auto& r : rows) {
    const model::Finding& f = r.finding;
    out << time::FormatDate(r.date) << "  " << Column(r.location, 20) << "  " << Column(f.agreement_id, 22) << "  "
        << Column(model::FindingStatusName(f.status), 13) << "  " << Column(f.side.empty() ? "-" : f.side, 10) << "  "
        << EscapeControls(f.provision_id) << "\n    " << EscapeControls(f.reason) << "\n";
  }
  return out.str();
}

}  // namespace truce::report
