// Incidents as people and programs read them: `truce incident list` and
// `truce incident show` (report.h).
#include <cstdio>
#include <sstream>

#include "truce/core/utf8.h"
#include "truce/report/report.h"

namespace truce::report {
namespace {

std::string E(std::string_view s) { return EscapeControls(s); }

std::string Km(double m) {
  char buf[32];
  std::snprintf(buf, sizeof buf, m < 10'000 ? "%.1f km" : "%.0f km", m / 1000);
  return buf;
}

std::string Point(const model::Report& r) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f, %.4f", r.point.lat_deg, r.point.lon_deg);
  return std::string(buf) + " ±" + Km(r.uncertainty_m);
}

std::string Days(const model::Report& r) {
  const std::string first = time::FormatDate(r.time.first_day);
  return r.time.last_day == r.time.first_day ? first : first + " to " + time::FormatDate(r.time.last_day);
}

// "3;7" and "acled:SYR1;ucdp:2": an incident's reports.
std::string ReportIds(const model::Incident& in) {
  std::string out;
  for (const model::IncidentSource& s : in.sources) {
    if (!out.empty()) out += ';';
    out += std::to_string(s.report_id);
  }
  return out;
}
std::string SourceIds(const model::Incident& in) {
  std::string out;
  for (const model::IncidentSource& s : in.sources) {
    if (!out.empty()) out += ';';
    out += s.dataset + ":" + s.source_id;
  }
  return out;
}

std::string Figure(const model::FatalityFigure& f) {
  std::string out;
  if (!f.qualifier.empty() && f.qualifier != "exact") {
    std::string words = f.qualifier;  // "at_least" -> "at least"
    for (char& c : words) c = c == '_' ? ' ' : c;
    out += words + " ";
  }
  if (f.best) out += std::to_string(*f.best);
  if (f.low || f.high) {
    out += (out.empty() ? "" : " ");
    out += "(low " + (f.low ? std::to_string(*f.low) : std::string("?")) + ", high " +
           (f.high ? std::to_string(*f.high) : std::string("?")) + ")";
  }
  return out.empty() ? "not given" : out;
}

}  // namespace

std::string IncidentsCsv(const std::vector<model::Incident>& incidents) {
  std::ostringstream out;
  out << "incident,first_day,last_day,location,event_type,fatalities,fatalities_low,fatalities_high,support,sources,"
         "independent_sources,reports,source_ids\n";
  for (const model::Incident& in : incidents) {
    const model::Report& e = in.estimate;
    out << in.id << ',' << time::FormatDate(e.time.first_day) << ',' << time::FormatDate(e.time.last_day) << ','
        << CsvField(e.location) << ',' << CsvField(e.event_type) << ',' << e.fatalities << ',' << in.fatalities_low
        << ',' << in.fatalities_high << ',' << model::SupportName(in.support) << ',' << in.sources.size() << ','
        << in.independent_sources << ',' << ReportIds(in) << ',' << CsvField(SourceIds(in)) << '\n';
  }
  return out.str();
}

std::string IncidentsJson(const std::vector<model::Incident>& incidents) {
  nlohmann::json items = nlohmann::json::array();
  for (const model::Incident& in : incidents) {
    const model::Report& e = in.estimate;
    nlohmann::json reports = nlohmann::json::array();
    for (const model::IncidentSource& s : in.sources) {
      reports.push_back({{"report_id", s.report_id}, {"dataset", s.dataset}, {"source_id", s.source_id}});
    }
    items.push_back({{"id", in.id},
                     {"date", time::FormatDate(e.time.first_day)},
                     {"last_date", time::FormatDate(e.time.last_day)},
                     {"location", e.location},
                     {"lat", e.point.lat_deg},
                     {"lon", e.point.lon_deg},
                     {"uncertainty_m", e.uncertainty_m},
                     {"event_type", e.event_type},
                     {"fatalities", e.fatalities},
                     {"fatalities_low", in.fatalities_low},
                     {"fatalities_high", in.fatalities_high},
                     {"support", model::SupportName(in.support)},
                     {"independent_sources", in.independent_sources},
                     {"reports", reports}});
  }
  return items.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string IncidentsTable(const std::vector<model::Incident>& incidents) {
  std::ostringstream out;
  out << "incident  date        support       sources  fatalities  event type / location\n";
  for (const model::Incident& in : incidents) {
    const model::Report& e = in.estimate;
    char head[96];
    const std::string range = in.fatalities_low == in.fatalities_high
                                  ? std::to_string(in.fatalities_low)
                                  : std::to_string(in.fatalities_low) + "-" + std::to_string(in.fatalities_high);
    std::snprintf(head, sizeof head, "%-9lld %-11s %-13s %-8zu %-11s ", static_cast<long long>(in.id),
                  time::FormatDate(e.time.first_day).c_str(), model::SupportName(in.support), in.sources.size(),
                  range.c_str());
    out << head << E(e.event_type) << " / " << E(e.location) << "\n";
  }
  out << incidents.size() << " incident(s)\n";
  return out.str();
}

std::string IncidentText(const IncidentView& v) {
  const model::Incident& in = v.incident;
  const model::Report& e = in.estimate;
  std::ostringstream out;
  out << "incident " << in.id << ": " << E(e.event_type);
  if (!e.sub_event_type.empty()) out << " (" << E(e.sub_event_type) << ")";
  out << ", " << Days(e) << ", " << E(e.location.empty() ? "(no place name)" : e.location);
  if (!e.admin1.empty()) out << " (" << E(e.admin1) << ")";
  out << "\n";
  out << "  best estimate: " << Point(e) << "; " << Days(e) << "; " << E(e.actor1.empty() ? "(actor not given)" : e.actor1);
  if (!e.actor2.empty()) out << " against " << E(e.actor2);
  out << "\n";
  out << "  fatalities: " << e.fatalities;
  if (in.fatalities_low != in.fatalities_high) {
    out << " (the sources say " << in.fatalities_low << " to " << in.fatalities_high << ")";
  }
  out << "\n";
  out << "  support: " << model::SupportName(in.support) << " (" << in.independent_sources << " independent of "
      << in.sources.size() << " report" << (in.sources.size() == 1 ? "" : "s") << "); grades " << E(v.grades) << "\n";
  out << "  reported by " << E(v.reported_by) << "\n";
  out << "reports:\n";
  for (std::size_t i = 0; i < in.sources.size(); ++i) {
    const model::IncidentSource& s = in.sources[i];
    out << "  report " << s.report_id << ": " << E(s.dataset) << (s.source_id.empty() ? "" : " " + E(s.source_id))
        << ", grade " << E(s.grade.empty() ? "-" : s.grade);
    if (i < v.reports.size()) {
      const model::Report& r = v.reports[i];
      out << "; " << Days(r) << "; " << E(r.location) << " " << Point(r) << "; " << E(r.event_type);
      if (!r.actor1.empty()) out << "; " << E(r.actor1);
      out << "; fatalities " << r.fatalities;
      if (r.fatalities_low || r.fatalities_high) {
        out << " (low " << r.fatalities_low.value_or(r.fatalities) << ", high " << r.fatalities_high.value_or(r.fatalities)
            << ")";
      }
    }
    out << "\n";
    if (s.reason.empty()) {
      out << "    the incident's first report\n";
    } else {
      char score[16];
      std::snprintf(score, sizeof score, "%.2f", s.score);
      out << "    merged (score " << score << ", " << E(s.decided_by) << "): " << E(s.reason) << "\n";
    }
  }
  if (!in.figures.empty()) {
    out << "figures (killed), as each source gives them:\n";
    for (const model::FatalityFigure& f : in.figures) out << "  " << E(f.source) << ": " << Figure(f) << "\n";
  }
  out << "findings:\n";
  if (v.findings.empty()) out << "  none stored (run 'truce rule')\n";
  for (const store::FindingRow& r : v.findings) {
    const model::Finding& f = r.finding;
    out << "  " << E(f.agreement_id) << " " << E(f.provision_id) << ": " << model::FindingStatusName(f.status);
    if (!f.side.empty()) out << " (" << E(f.side) << ")";
    out << ": " << E(f.reason) << "\n";
  }
  if (!v.overrides.empty()) {
    out << "analysts' decisions:\n";
    for (const store::MatchOverride& o : v.overrides) {
      out << "  " << E(o.kind) << " reports " << o.report_a << " and " << o.report_b << " by " << E(o.analyst) << " at "
          << E(o.decided_at) << (o.note.empty() ? "" : ": " + E(o.note)) << "\n";
    }
  }
  return out.str();
}

}  // namespace truce::report
