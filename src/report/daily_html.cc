// The daily report as one self-contained HTML5 page: inline CSS, no scripts,
// nothing fetched (a Content-Security-Policy says so to the browser). Same
// content and numbers as DailyMarkdown; every text from the input is escaped.
#include <cstdint>
#include <sstream>

#include "daily_internal.h"
#include "truce/core/utf8.h"
#include "truce/report/report.h"

namespace truce::report {
namespace {

constexpr const char* kStyle = R"(body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;background:#fff;margin:0}
main{max-width:64rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem;margin:0 0 .75rem}
h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid #d5d9e0;padding-bottom:.2rem}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:0}
dl.meta dt{font-weight:600}
dl.meta dd{margin:0}
table{border-collapse:collapse;width:100%;margin:.25rem 0}
th,td{border:1px solid #d5d9e0;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f4f7}
td.n{text-align:right;font-variant-numeric:tabular-nums}
td.up{color:#a01919;font-weight:600}
td.down{color:#186a2e}
tr.violation td.status{color:#a01919;font-weight:600}
tr.undetermined td.status{color:#8a5a00;font-weight:600}
p.none{color:#5b6475;font-style:italic}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em}
@media print{main{max-width:none;padding:0}})";

// A right-aligned number cell; a change is also marked up or down.
std::string Num(std::int64_t n) { return "<td class=\"n\">" + std::to_string(n) + "</td>"; }
std::string Change(int d) {
  const char* cls = d > 0 ? "n up" : d < 0 ? "n down" : "n";
  return std::string("<td class=\"") + cls + "\">" + internal::Signed(d) + "</td>";
}
std::string Cell(const std::string& text) { return "<td>" + HtmlEscape(text) + "</td>"; }

}  // namespace

std::string HtmlEscape(std::string_view text) {
  // Stored text may predate the UTF-8 checks: repaired, and control
  // characters (not allowed in HTML text) shown as escapes.
  const std::string s = EscapeControls(text);
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string DailyHtml(const DailyInput& in) {
  const model::Agreement& a = *in.agreement;
  const internal::DailySummary s = internal::Summarize(in);
  const std::string day = HtmlEscape(s.day), prev = HtmlEscape(s.previous_day);
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>Daily report: " << HtmlEscape(a.title) << ", " << day << "</title>\n"
      << "<style>\n" << kStyle << "\n</style>\n</head>\n<body>\n<main>\n";

  out << "<h1>Daily report: " << HtmlEscape(a.title) << "</h1>\n<dl class=\"meta\">\n"
      << "<dt>Agreement</dt><dd><code>" << HtmlEscape(a.id) << "</code></dd>\n"
      << "<dt>Day</dt><dd>" << day << " (" << HtmlEscape(a.timezone) << "), compared with " << prev << "</dd>\n"
      << "<dt>Entry into force</dt><dd>" << HtmlEscape(s.entry_into_force) << "</dd>\n";
  if (!s.periods.empty()) {
    out << "<dt>In force</dt><dd><ul class=\"periods\">";
    for (const std::string& line : s.periods) out << "<li>" << HtmlEscape(line) << "</li>";
    out << "</ul></dd>\n";
  }
  out << "</dl>\n";

  out << "<section id=\"findings\">\n<h2>Findings</h2>\n<table>\n<thead><tr><th>status</th><th>" << day << "</th><th>"
      << prev << "</th><th>change</th></tr></thead>\n<tbody>\n";
  for (const char* st : internal::kStatuses) {
    int n = s.counts_day.at(st), p = s.counts_previous.at(st);
    out << "<tr class=\"" << st << "\"><td class=\"status\">" << st << "</td>" << Num(n) << Num(p) << Change(n - p)
        << "</tr>\n";
  }
  out << "</tbody>\n</table>\n</section>\n";

  out << "<section id=\"violations\">\n<h2>Violations by side and area</h2>\n";
  if (s.violations.empty()) {
    out << "<p class=\"none\">No violations on either day.</p>\n";
  } else {
    out << "<table>\n<thead><tr><th>side</th><th>guarantor</th><th>area</th><th>" << day << "</th><th>" << prev
        << "</th><th>change</th></tr></thead>\n<tbody>\n";
    for (const auto& v : s.violations) {
      out << "<tr>" << Cell(v.side.empty() ? "(none)" : v.side) << Cell(v.guarantor) << Cell(v.area) << Num(v.day)
          << Num(v.previous_day) << Change(v.day - v.previous_day) << "</tr>\n";
    }
    out << "</tbody>\n</table>\n";
  }
  out << "</section>\n";

  out << "<section id=\"support\">\n<h2>Violations by support</h2>\n"
         "<p>Incidents with a violation, by how well they are supported: one source, two or more independent "
         "sources (corroborated), or a monitor's own observation (observed).</p>\n";
  out << "<table>\n<thead><tr><th>support</th><th>" << day << "</th><th>" << prev
      << "</th><th>change</th></tr></thead>\n<tbody>\n";
  for (const auto& [level, n] : s.support_day) {
    const int p = s.support_previous.at(level);
    out << "<tr>" << Cell(level) << Num(n) << Num(p) << Change(n - p) << "</tr>\n";
  }
  out << "</tbody>\n</table>\n</section>\n";

  out << "<section id=\"incidents\">\n<h2>Incidents on " << day << "</h2>\n";
  if (in.today.empty()) {
    out << "<p class=\"none\">No incidents with findings.</p>\n";
  } else {
    out << "<table>\n<thead><tr><th>status</th><th>provision</th><th>place</th><th>event</th><th>killed</th>"
           "<th>source</th><th>reason</th></tr></thead>\n<tbody>\n";
    for (const auto& r : in.today) {
      const char* st = model::FindingStatusName(r.finding.status);
      std::string event = r.event_type;
      if (!r.sub_event_type.empty()) event += " / " + r.sub_event_type;
      out << "<tr class=\"" << st << "\"><td class=\"status\">" << st << "</td>" << Cell(r.finding.provision_id)
          << Cell(internal::PlaceOf(r)) << Cell(event) << Num(r.fatalities) << Cell(internal::SourcesOf(r))
          << Cell(r.finding.reason) << "</tr>\n";
    }
    out << "</tbody>\n</table>\n";
  }
  out << "</section>\n";

  out << "<section id=\"obligations\">\n<h2>Obligations as of the end of " << day << "</h2>\n";
  if (s.obligations.empty()) {
    out << "<p class=\"none\">None.</p>\n";
  } else {
    out << "<table>\n<thead><tr><th>provision</th><th>kind</th><th>status</th><th>due</th><th>reason</th></tr>"
           "</thead>\n<tbody>\n";
    for (const auto& o : s.obligations) {
      out << "<tr>" << Cell(o.provision) << Cell(o.kind) << Cell(o.state) << Cell(o.due) << Cell(o.reason) << "</tr>\n";
    }
    out << "</tbody>\n</table>\n";
  }
  out << "</section>\n</main>\n</body>\n</html>\n";
  return out.str();
}

}  // namespace truce::report
