#include "truce/report/report.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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

}  // namespace
}  // namespace truce::report
