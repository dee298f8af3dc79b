#include "truce/report/report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "truce/core/utf8.h"

namespace truce::report {
namespace {

store::FindingRow Row(const char* day, const char* side, model::FindingStatus st, const char* admin1,
                      const char* location = "Kansafra") {
  store::FindingRow r;
  r.finding.incident_id = 1;
  r.finding.agreement_id = "idlib";
  r.finding.provision_id = "art1";
  r.finding.status = st;
  r.finding.side = side;
  r.finding.guarantor = std::string(side) == "government" ? "RUS" : "TUR";
  r.finding.reason = "because, \"quoted\"";
  r.date = r.last_date = *time::ParseIsoDate(day);
  r.location = location;
  r.admin1 = admin1;
  r.point = {35.629, 36.519};
  r.event_type = "Explosions/Remote violence";
  return r;
}

model::Agreement Idlib() {
  model::Agreement a;
  a.id = "idlib";
  a.title = "Protocol";
  a.timezone = "Asia/Damascus";
  a.entry_into_force = *time::ParseLocalDateTime("2020-03-06T00:01", "Asia/Damascus");
  a.sides["government"] = {"government", "RUS", {}};
  a.sides["opposition"] = {"opposition", "TUR", {}};
  model::Provision p;
  p.id = "art3";
  p.article = "Art. 3";
  p.kind = model::ProvisionKind::kObligation;
  p.obligation = model::ObligationKind::kJointPatrol;
  a.provisions.push_back(p);
  return a;
}

TEST(ReportTest, DailyComparesWithPreviousDay) {
  model::Agreement a = Idlib();
  DailyInput in;
  in.agreement = &a;
  in.day = *time::ParseIsoDate("2020-03-15");
  in.today = {Row("2020-03-15", "government", model::FindingStatus::kViolation, "Idlib"),
              Row("2020-03-15", "government", model::FindingStatus::kViolation, "Hama"),
              Row("2020-03-15", "opposition", model::FindingStatus::kUndetermined, "Idlib")};
  in.previous = {Row("2020-03-14", "government", model::FindingStatus::kViolation, "Idlib"),
                 Row("2020-03-14", "government", model::FindingStatus::kViolation, "Idlib")};
  model::ObligationStatus o;
  o.provision_id = "art3";
  o.state = model::ObligationState::kPartlyMet;
  o.reason = "patrols covered 6%";
  in.obligations = {o};
  std::string md = DailyMarkdown(in);
  EXPECT_NE(md.find("| violation | 2 | 2 | 0 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| government | RUS | Idlib | 1 | 2 | -1 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| government | RUS | Hama | 1 | 0 | +1 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| Art. 3 | joint_patrol | partly_met |"), std::string::npos) << md;
  EXPECT_NE(md.find("Entry into force: 2020-03-06 00:01 EET"), std::string::npos) << md;

  auto j = nlohmann::json::parse(DailyJson(in));
  EXPECT_EQ(j["counts"]["violation"]["day"], 2);
  EXPECT_EQ(j["counts"]["violation"]["previous_day"], 2);
  EXPECT_EQ(j["obligations"][0]["state"], "partly_met");
  EXPECT_EQ(j["findings"].size(), 3u);
}

TEST(ReportTest, EmptyDaySaysSo) {
  model::Agreement a = Idlib();
  DailyInput in;
  in.agreement = &a;
  in.day = *time::ParseIsoDate("2020-03-07");
  std::string md = DailyMarkdown(in);
  EXPECT_NE(md.find("No violations on either day."), std::string::npos);
  EXPECT_NE(md.find("No incidents with findings."), std::string::npos);
}

TEST(ReportTest, HtmlEscapeCoversMarkupAndQuotes) {
  EXPECT_EQ(HtmlEscape("plain text"), "plain text");
  EXPECT_EQ(HtmlEscape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(HtmlEscape("A & B"), "A &amp; B");
  EXPECT_EQ(HtmlEscape("&amp;"), "&amp;amp;");
  EXPECT_EQ(HtmlEscape("\"double\" 'single'"), "&quot;double&quot; &#39;single&#39;");
  EXPECT_EQ(HtmlEscape(""), "");
  EXPECT_EQ(HtmlEscape("Ma\xCA\xBF" "arrat"), "Ma\xCA\xBF" "arrat");  // UTF-8 passes through
}

// Every cell of the table row whose first cell is `first`, in order.
std::vector<std::string> RowCells(const std::string& html, const std::string& section, const std::string& first) {
  size_t at = html.find("<section id=\"" + section + "\">");
  size_t end = html.find("</section>", at);
  size_t cell = html.find(">" + first + "</td>", at);
  if (at == std::string::npos || cell == std::string::npos || cell > end) return {};
  size_t row_end = html.find("</tr>", cell);
  size_t row_start = html.rfind("<tr", cell);
  std::vector<std::string> out;
  for (size_t p = html.find("<td", row_start); p < row_end; p = html.find("<td", p + 1)) {
    size_t open_end = html.find('>', p), close = html.find("</td>", p);
    out.push_back(html.substr(open_end + 1, close - open_end - 1));
  }
  return out;
}

TEST(ReportTest, HtmlHasTheMarkdownNumbers) {
  model::Agreement a = Idlib();
  DailyInput in;
  in.agreement = &a;
  in.day = *time::ParseIsoDate("2020-03-15");
  in.today = {Row("2020-03-15", "government", model::FindingStatus::kViolation, "Idlib"),
              Row("2020-03-15", "government", model::FindingStatus::kViolation, "Hama"),
              Row("2020-03-15", "opposition", model::FindingStatus::kUndetermined, "Idlib")};
  in.previous = {Row("2020-03-14", "government", model::FindingStatus::kViolation, "Idlib"),
                 Row("2020-03-14", "government", model::FindingStatus::kViolation, "Idlib"),
                 Row("2020-03-14", "opposition", model::FindingStatus::kExempt, "Idlib")};
  model::ObligationStatus o;
  o.provision_id = "art3";
  o.state = model::ObligationState::kPartlyMet;
  o.reason = "patrols covered 6%";
  in.obligations = {o};
  const std::string html = DailyHtml(in), md = DailyMarkdown(in);

  using Cells = std::vector<std::string>;
  // The same counts and changes as the Markdown's table rows.
  for (const char* status : {"violation", "undetermined", "exempt", "no_violation", "outside_scope"}) {
    Cells cells = RowCells(html, "findings", status);
    ASSERT_EQ(cells.size(), 4u) << status << "\n" << html;
    std::string md_row = "| " + cells[0] + " | " + cells[1] + " | " + cells[2] + " | " + cells[3] + " |";
    EXPECT_NE(md.find(md_row), std::string::npos) << md_row << "\n" << md;
  }
  EXPECT_EQ(RowCells(html, "findings", "undetermined"), (Cells{"undetermined", "1", "0", "+1"}));
  EXPECT_EQ(RowCells(html, "findings", "exempt"), (Cells{"exempt", "0", "1", "-1"}));
  EXPECT_EQ(RowCells(html, "violations", "Hama"), (Cells{"government", "RUS", "Hama", "1", "0", "+1"}));
  EXPECT_EQ(RowCells(html, "obligations", "Art. 3"), (Cells{"Art. 3", "joint_patrol", "partly_met", "", "patrols covered 6%"}));
  EXPECT_NE(html.find("<td class=\"n up\">+1</td>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"n down\">-1</td>"), std::string::npos);
  // Each incident with its reason, escaped.
  size_t reasons = 0;
  for (size_t p = html.find("because, &quot;quoted&quot;"); p != std::string::npos;
       p = html.find("because, &quot;quoted&quot;", p + 1)) {
    ++reasons;
  }
  EXPECT_EQ(reasons, 3u) << html;
  EXPECT_NE(html.find("Entry into force</dt><dd>2020-03-06 00:01 EET"), std::string::npos) << html;
}

TEST(ReportTest, HtmlIsOneSelfContainedPage) {
  model::Agreement a = Idlib();
  a.title = "Protocol <b>&</b> \"annex\"";
  DailyInput in;
  in.agreement = &a;
  in.day = *time::ParseIsoDate("2020-03-15");
  store::FindingRow r = Row("2020-03-15", "<script>alert('x')</script>", model::FindingStatus::kViolation,
                            "Idlib & <i>Hama</i>", "<img src=x onerror=alert(1)>");
  r.finding.reason = "</td></tr></table><script>evil()</script>";
  r.event_type = "Battles";
  r.sub_event_type = "Armed clash";
  in.today = {r};
  const std::string html = DailyHtml(in);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0), 0u);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(html.find("<style>"), std::string::npos);
  EXPECT_EQ(html.substr(html.size() - 16), "</body>\n</html>\n");
  // No script, nothing loaded from elsewhere; input text cannot open a tag.
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<i>"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  for (const char* remote : {"src=\"", "href=", "http://", "https://", "@import", "url("}) {
    EXPECT_EQ(html.find(remote), std::string::npos) << remote;
  }
  EXPECT_NE(html.find("Protocol &lt;b&gt;&amp;&lt;/b&gt; &quot;annex&quot;"), std::string::npos);
  EXPECT_NE(html.find("&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;evil()&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("<td>Battles / Armed clash</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>Idlib &amp; &lt;i&gt;Hama&lt;/i&gt;</td>"), std::string::npos);
  // Balanced structure: as many rows opened as closed, one table per non-empty section.
  auto count = [&](const std::string& needle) {
    size_t n = 0;
    for (size_t p = html.find(needle); p != std::string::npos; p = html.find(needle, p + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("<tr"), count("</tr>"));
  EXPECT_EQ(count("<td"), count("</td>"));
  EXPECT_EQ(count("<table>"), 4u);  // findings, violations, support, incidents (no obligations)
  EXPECT_EQ(count("</table>"), 4u);
  EXPECT_EQ(count("<section"), 5u);
  EXPECT_NE(html.find("<h2>Violations by support</h2>"), std::string::npos);
  EXPECT_NE(html.find("<p class=\"none\">None.</p>"), std::string::npos);
}

TEST(ReportTest, HtmlEmptyDaySaysSo) {
  model::Agreement a = Idlib();
  DailyInput in;
  in.agreement = &a;
  in.day = *time::ParseIsoDate("2020-03-07");
  std::string html = DailyHtml(in);
  EXPECT_NE(html.find("No violations on either day."), std::string::npos);
  EXPECT_NE(html.find("No incidents with findings."), std::string::npos);
  EXPECT_EQ(RowCells(html, "findings", "violation"), (std::vector<std::string>{"violation", "0", "0", "0"}));
}

TEST(ReportTest, ExportsCarryTheContractFields) {
  std::vector<store::FindingRow> rows = {Row("2020-03-15", "government", model::FindingStatus::kViolation, "Idlib")};
  auto j = nlohmann::json::parse(FindingsJson(rows));
  ASSERT_EQ(j.size(), 1u);
  for (const char* key : {"status", "reason", "provision", "agreement", "side", "date", "location"}) {
    EXPECT_TRUE(j[0].contains(key)) << key;
  }
  EXPECT_EQ(j[0]["status"], "violation");
  EXPECT_EQ(j[0]["date"], "2020-03-15");
  auto g = nlohmann::json::parse(FindingsGeoJson(rows));
  EXPECT_EQ(g["features"][0]["geometry"]["coordinates"][0], 36.519);
  std::string csv = FindingsCsv(rows);
  EXPECT_NE(csv.find("\"because, \"\"quoted\"\"\""), std::string::npos) << csv;
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 2);
  EXPECT_EQ(FindingsTable({}), "no findings\n");
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a\nb"), "\"a\nb\"");
}

// Text stored before the doors checked it (an old database, or rows written
// straight through the store): every rendering gives valid UTF-8, JSON that
// parses, and no raw control character that could forge a row or drive a
// terminal.
TEST(ReportTest, HostileStoredTextNeverBreaksAnOutput) {
  model::Agreement a = Idlib();
  a.title = "Title \xFF\xFE \x1b[31mred\x1b[0m\nforged line";
  a.sides["gov\x80"] = {"gov\x80", "R\xC3", {}};
  store::FindingRow r = Row("2020-03-15", "gov\x80", model::FindingStatus::kViolation, "Idlib\xFF",
                            "Kafr \xFF\xFE\nviolation  fake");
  r.finding.reason = "reason \x80 lone\x1b]0;title\x07 and \xE2\x82";
  r.finding.provision_id = "art1\n";
  r.event_type = "Battles\r";
  r.actor1 = std::string("NUL\0inside", 10);
  r.source_id = "\xC0\xAF";
  DailyInput in;
  in.agreement = &a;
  in.day = *time::ParseIsoDate("2020-03-15");
  in.today = {r};
  in.previous = {r};
  model::ObligationStatus o;
  o.provision_id = "art3";
  o.reason = "esc \x1b and \xFF";
  in.obligations = {o};

  const std::vector<std::pair<std::string, std::string>> outputs = {
      {"markdown", DailyMarkdown(in)}, {"html", DailyHtml(in)},       {"json", DailyJson(in)},
      {"table", FindingsTable(in.today)}, {"csv", FindingsCsv(in.today)}, {"findings-json", FindingsJson(in.today)},
      {"geojson", FindingsGeoJson(in.today)}};
  for (const auto& [name, text] : outputs) {
    EXPECT_EQ(FindInvalidUtf8(text), std::nullopt) << name;
    EXPECT_EQ(text.find('\x1b'), std::string::npos) << name;
    EXPECT_EQ(text.find('\0'), std::string::npos) << name;
    if (name.find("json") != std::string::npos) {
      EXPECT_TRUE(nlohmann::json::accept(text)) << name;
    }
  }
  // The table keeps one header and two lines per finding: the stored newline
  // is shown, not obeyed.
  const std::string table = FindingsTable(in.today);
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 3) << table;
  EXPECT_NE(table.find("Kafr \xEF\xBF\xBD\xEF\xBF\xBD\\nviolation"), std::string::npos) << table;
  const std::string md = DailyMarkdown(in);
  EXPECT_NE(md.find("# Daily report: Title \xEF\xBF\xBD\xEF\xBF\xBD \\x1b[31mred\\x1b[0m\\nforged line\n"),
            std::string::npos)
      << md;
  // CSV: one header and one row; the location's line break is quoted data.
  const std::string csv = FindingsCsv(in.today);
  EXPECT_NE(csv.find("\"Kafr \xEF\xBF\xBD\xEF\xBF\xBD\nviolation  fake\""), std::string::npos) << csv;
  EXPECT_NE(csv.find("NUL\\x00inside"), std::string::npos) << csv;
  auto j = nlohmann::json::parse(DailyJson(in));
  EXPECT_EQ(j["findings"][0]["location"], "Kafr \xEF\xBF\xBD\xEF\xBF\xBD\nviolation  fake");
}

}  // namespace
}  // namespace truce::report
