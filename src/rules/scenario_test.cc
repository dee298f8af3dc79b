// Runs every scenario in tests/scenarios/*.yaml: agreements (with their files),
// incidents, and the findings and obligation statuses expected, with reasons.
// A new case is a new file; see tests/scenarios/README.md for the format. An
// agreement several scenarios share is a file of its own that each includes;
// a real agreement in examples/ is loaded from there with its own files.
#include <yaml-cpp/yaml.h>

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "truce/agreement/agreement.h"
#include "truce/core/env.h"
#include "truce/core/strings.h"
#include "truce/rules/columns.h"
#include "truce/rules/rules.h"

namespace truce::rules {
namespace {

namespace fs = std::filesystem;

std::string ScenarioDir() { return std::string(TRUCE_SOURCE_DIR) + "/tests/scenarios"; }

std::vector<std::string> ScenarioFiles() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(ScenarioDir())) {
    if (e.path().extension() == ".yaml") out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// `{example: examples/DIR/FILE.yaml}`: a real agreement, read from the
// repository with the actor and GeoJSON files beside it.
bool IsExample(const YAML::Node& a) { return a.IsMap() && a.size() == 1 && a["example"] && a["example"].IsScalar(); }

Result<std::vector<agreement::LoadedAgreement>> ExampleAgreements(const YAML::Node& doc) {
  std::vector<agreement::LoadedAgreement> out;
  for (const auto& a : doc["agreements"]) {
    if (!IsExample(a)) continue;
    auto loaded =
        agreement::LoadAgreementFile(std::string(TRUCE_SOURCE_DIR) + "/" + a["example"].as<std::string>(), RealFileSystem());
    if (!loaded.ok()) return loaded.status();
    out.push_back(std::move(loaded).value());
  }
  return out;
}

// The text of each agreement in a scenario: written in place (a block
// string) or `include: PATH`, a file read relative to the scenario's own
// directory. A missing or unreadable include is an error naming the scenario
// file, line and column.
Result<std::vector<std::string>> AgreementTexts(const YAML::Node& doc, const std::string& scenario_path) {
  std::vector<std::string> out;
  for (const auto& a : doc["agreements"]) {
    if (a.IsScalar()) {
      out.push_back(a.as<std::string>());
      continue;
    }
    if (IsExample(a)) continue;  // loaded by ExampleAgreements
    const YAML::Mark at = a.Mark();
    const auto where = [&](const std::string& msg) {
      return scenario_path + ":" + std::to_string(at.line + 1) + ":" + std::to_string(at.column + 1) + ": " + msg;
    };
    if (!a.IsMap() || a.size() != 1 || !a["include"] || !a["include"].IsScalar()) {
      return Status::ParseError(where("an agreement is a YAML text, {include: PATH} or {example: PATH}"));
    }
    const std::string include = a["include"].as<std::string>();
    const std::string resolved = (fs::path(scenario_path).parent_path() / include).string();
    std::error_code ec;
    if (!fs::is_regular_file(resolved, ec)) {
      return Status::NotFound(where("include '" + include + "': no such file (looked for '" + resolved + "')"));
    }
    auto text = RealFileSystem().ReadFile(resolved);
    if (!text.ok()) return Status::IoError(where("include '" + include + "': " + text.status().message()));
    out.push_back(std::move(text).value());
  }
  return out;
}

std::string Str(const YAML::Node& n, const char* key, const std::string& def = "") {
  return n[key] ? n[key].as<std::string>() : def;
}

model::Report IncidentFrom(const YAML::Node& n) {
  model::Report inc;
  inc.id = n["id"].as<std::int64_t>();
  time::Days day = *time::ParseIsoDate(n["date"].as<std::string>());
  inc.time = time::FromAcledPrecision(day, n["time_precision"] ? n["time_precision"].as<int>() : 1);
  if (n["last_date"]) {
    inc.time.last_day = *time::ParseIsoDate(n["last_date"].as<std::string>());
    inc.time.precision = time::TimePrecision::kRange;
  }
  if (n["at"]) inc.time.exact = *time::ParseInstant(n["at"].as<std::string>());
  inc.event_type = Str(n, "event_type");
  inc.sub_event_type = Str(n, "sub_event_type");
  inc.actor1 = Str(n, "actor1");
  inc.assoc_actor1 = Str(n, "assoc_actor1");
  inc.actor2 = Str(n, "actor2");
  inc.assoc_actor2 = Str(n, "assoc_actor2");
  inc.location = Str(n, "location");
  inc.notes = Str(n, "notes");
  inc.point = {n["lat"].as<double>(), n["lon"].as<double>()};
  inc.uncertainty_m = n["uncertainty_km"] ? n["uncertainty_km"].as<double>() * 1000 : 0;
  if (n["track"]) {
    geo::LineString line;
    for (const auto& pt : n["track"]) line.push_back({pt[0].as<double>(), pt[1].as<double>()});
    inc.track.push_back(line);
  }
  return inc;
}

std::vector<std::string> Strings(const YAML::Node& n) {
  std::vector<std::string> out;
  if (!n) return out;
  if (n.IsScalar()) return {n.as<std::string>()};
  for (const auto& s : n) out.push_back(s.as<std::string>());
  return out;
}

void ExpectReason(const std::string& reason, const YAML::Node& exp, const std::string& what) {
  for (const std::string& part : Strings(exp["reason_contains"])) {
    EXPECT_NE(reason.find(part), std::string::npos) << what << ": reason lacks \"" << part << "\"\n  reason: " << reason;
  }
  if (exp["reason"]) {
    EXPECT_EQ(reason, exp["reason"].as<std::string>()) << what;
  }
}

// A scenario's ruler (DEFAULT options) and incidents.
Result<std::unique_ptr<Ruler>> ScenarioRuler(const std::string& file, const YAML::Node& doc) {
  const std::string path = ScenarioDir() + "/" + file;
  MemFileSystem files;
  for (const auto& kv : doc["files"]) files.Put(kv.first.as<std::string>(), kv.second.as<std::string>());
  auto texts = AgreementTexts(doc, path);
  if (!texts.ok()) return texts.status();
  std::vector<agreement::LoadedAgreement> agreements;
  int n = 0;
  for (const std::string& text : *texts) {
    std::string name = "agreement-" + std::to_string(++n) + ".yaml";
    auto loaded = agreement::ParseAgreement(text, name, files);
    if (!loaded.ok()) return Status::ParseError(file + ": " + loaded.status().ToString());
    agreements.push_back(std::move(loaded).value());
  }
  auto examples = ExampleAgreements(doc);
  if (!examples.ok()) return Status::ParseError(file + ": " + examples.status().ToString());
  for (auto& loaded : *examples) agreements.push_back(std::move(loaded));
  return Ruler::Build(std::move(agreements), RuleOptions{});
}

std::vector<model::Report> ScenarioIncidents(const YAML::Node& doc) {
  std::vector<model::Report> incidents;
  for (const auto& i : doc["incidents"]) incidents.push_back(IncidentFrom(i));
  return incidents;
}

void RunScenario(const std::string& file, const YAML::Node& doc) {
  const std::string path = ScenarioDir() + "/" + file;
  ASSERT_TRUE(doc["name"]) << path << ": a scenario needs a name";
  auto ruler = ScenarioRuler(file, doc);
  ASSERT_TRUE(ruler.ok()) << ruler.status().ToString();
  const std::vector<model::Report> incidents = ScenarioIncidents(doc);
  std::vector<model::Finding> findings;
  for (const model::Report& inc : incidents) (*ruler)->Rule(inc, &findings);

  const YAML::Node expect = doc["expect"];
  ASSERT_TRUE(expect) << "a scenario needs expectations";
  std::vector<bool> matched(findings.size(), false);
  for (const auto& e : expect["findings"]) {
    const auto inc_id = e["incident"].as<std::int64_t>();
    const std::string prov = Str(e, "provision");
    const std::string agr = Str(e, "agreement");
    std::string what = file + ": incident " + std::to_string(inc_id) + " / " + prov;
    const model::Finding* found = nullptr;
    for (size_t i = 0; i < findings.size(); ++i) {
      const auto& f = findings[i];
      if (f.incident_id == inc_id && f.provision_id == prov && (agr.empty() || f.agreement_id == agr)) {
        found = &f;
        matched[i] = true;
        break;
      }
    }
    ASSERT_NE(found, nullptr) << what << ": no finding";
    EXPECT_EQ(model::FindingStatusName(found->status), e["status"].as<std::string>()) << what << "\n  reason: "
                                                                                       << found->reason;
    if (e["side"]) {
      EXPECT_EQ(found->side, e["side"].as<std::string>()) << what;
    }
    if (e["guarantor"]) {
      EXPECT_EQ(found->guarantor, e["guarantor"].as<std::string>()) << what;
    }
    if (e["zone"]) {
      EXPECT_EQ(found->zone_id, e["zone"].as<std::string>()) << what;
    }
    ExpectReason(found->reason, e, what);
  }
  // Unless the scenario says "only_listed: false", every finding must be expected.
  if (!expect["only_listed"] || expect["only_listed"].as<bool>()) {
    for (size_t i = 0; i < findings.size(); ++i) {
      EXPECT_TRUE(matched[i]) << file << ": unexpected finding for incident " << findings[i].incident_id
                              << " / " << findings[i].provision_id << ": "
                              << model::FindingStatusName(findings[i].status) << " — " << findings[i].reason;
    }
  }
  for (const auto& e : expect["obligations"]) {
    time::Days as_of = *time::ParseIsoDate(e["as_of"].as<std::string>());
    auto statuses = (*ruler)->Obligations(incidents, as_of);
    const std::string prov = e["provision"].as<std::string>();
    std::string what = file + ": obligation " + prov + " as of " + e["as_of"].as<std::string>();
    auto it = std::find_if(statuses.begin(), statuses.end(),
                           [&](const model::ObligationStatus& s) { return s.provision_id == prov; });
    ASSERT_NE(it, statuses.end()) << what << ": no status";
    EXPECT_EQ(model::ObligationStateName(it->state), e["state"].as<std::string>()) << what << "\n  reason: "
                                                                                   << it->reason;
    if (e["min_covered"]) {
      EXPECT_GE(it->covered_fraction, e["min_covered"].as<double>()) << what;
    }
    if (e["max_covered"]) {
      EXPECT_LE(it->covered_fraction, e["max_covered"].as<double>()) << what;
    }
    ExpectReason(it->reason, e, what);
  }
}

class ScenarioTest : public ::testing::TestWithParam<std::string> {};

// A scenario whose feature is not built yet says `known_failure: "needs <key>"`:
// its checks must then fail (they are reported, not counted), and once they
// all pass the mark must go.
TEST_P(ScenarioTest, Holds) {
  YAML::Node doc = YAML::LoadFile(ScenarioDir() + "/" + GetParam());
  const std::string known = doc["known_failure"] ? doc["known_failure"].as<std::string>() : "";
  if (known.empty()) {
    RunScenario(GetParam(), doc);
    return;
  }
  ::testing::TestPartResultArray failures;
  {
    ::testing::ScopedFakeTestPartResultReporter intercept(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
    RunScenario(GetParam(), doc);
  }
  EXPECT_GT(failures.size(), 0) << GetParam() << " is marked known_failure (\"" << known
                                << "\") but holds now: remove the mark";
  if (failures.size() > 0) {
    std::cout << "[ KNOWN    ] " << GetParam() << ": " << known << " (first failure: "
              << failures.GetTestPartResult(0).message() << ")\n";
  }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ScenarioTest, ::testing::ValuesIn(ScenarioFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string n = info.param.substr(0, info.param.size() - 5);
                           for (char& c : n) {
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

// One finding as a line of tests/scenarios/findings.tsv: every field, the
// distance to the micrometre, the reason whole (tabs and newlines escaped).
std::string FindingLine(const std::string& file, const model::Finding& f) {
  char num[96];
  std::snprintf(num, sizeof num, "%.6f\t%lld\t%.9g", f.distance_m, f.seconds_from_start, f.confidence);
  std::string reason;
  for (char c : f.reason) {
    if (c == '\t') {
      reason += "\\t";
    } else if (c == '\n') {
      reason += "\\n";
    } else if (c == '\\') {
      reason += "\\\\";
    } else {
      reason += c;
    }
  }
  return file + "\t" + std::to_string(f.incident_id) + "\t" + f.agreement_id + "\t" + f.provision_id + "\t" +
         model::FindingStatusName(f.status) + "\t" + f.side + "\t" + f.guarantor + "\t" + f.actor_id + "\t" +
         f.zone_id + "\t" + num + "\t" + reason;
}

// Every finding of every scenario, as today's engine gives them, is checked in
// (findings.tsv, made before the ruling engine was split into deciding and
// rendering): any change to a finding or to a single byte of its reason fails
// here, whether or not the scenario's own expectations name it. Scenarios not
// in the file (added later) are listed, not failed; to add them, or after a
// deliberate change to reasons: TRUCE_WRITE_FINDINGS=1 rules_test
// --gtest_filter='ScenarioSuite.EveryFinding*' rewrites the file.
TEST(ScenarioSuite, EveryFindingAndReasonAsCheckedIn) {
  const std::string tsv = ScenarioDir() + "/findings.tsv";
  std::map<std::string, std::vector<std::string>> got;
  for (const std::string& file : ScenarioFiles()) {
    YAML::Node doc = YAML::LoadFile(ScenarioDir() + "/" + file);
    auto ruler = ScenarioRuler(file, doc);
    if (!ruler.ok()) continue;  // the scenario's own test reports it
    std::vector<model::Finding> findings;
    for (const model::Report& inc : ScenarioIncidents(doc)) (*ruler)->Rule(inc, &findings);
    std::vector<std::string>& lines = got[file];
    for (const model::Finding& f : findings) lines.push_back(FindingLine(file, f));
  }
  if (std::getenv("TRUCE_WRITE_FINDINGS") != nullptr) {
    std::ofstream out(tsv, std::ios::binary);
    out << "# scenario\tincident\tagreement\tprovision\tstatus\tside\tguarantor\tactor\tzone\tdistance_m"
           "\tseconds_from_start\tconfidence\treason (src/rules/scenario_test.cc writes it)\n";
    for (const auto& [file, lines] : got) {
      for (const std::string& line : lines) out << line << "\n";
    }
    ASSERT_TRUE(out.good()) << tsv;
    GTEST_SKIP() << "wrote " << tsv;
  }
  std::ifstream in(tsv, std::ios::binary);
  ASSERT_TRUE(in.good()) << tsv << ": missing";
  std::map<std::string, std::vector<std::string>> want;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    want[line.substr(0, line.find('\t'))].push_back(line);
  }
  size_t compared = 0;
  for (const auto& [file, lines] : got) {
    auto it = want.find(file);
    if (it == want.end()) {
      std::cout << "[ NOTE     ] " << file << " is not in findings.tsv (added after it; see the comment above)\n";
      continue;
    }
    ASSERT_EQ(lines.size(), it->second.size()) << file << ": number of findings";
    for (size_t i = 0; i < lines.size(); ++i) EXPECT_EQ(lines[i], it->second[i]) << file << ": finding " << i;
    compared += lines.size();
  }
  for (const auto& [file, lines] : want) EXPECT_TRUE(got.count(file)) << file << " is in findings.tsv but gone";
  EXPECT_GT(compared, 100u);
}

// The column path (IncidentColumns, Ruler::Prepare, Ruler::Decide over rows,
// Render) gives every finding of the object path (Ruler::Rule), byte for byte,
// on every scenario; rows added in two batches, as a store streams them.
TEST(ScenarioSuite, ColumnsGiveTheFindingsOfObjects) {
  size_t compared = 0;
  for (const std::string& file : ScenarioFiles()) {
    YAML::Node doc = YAML::LoadFile(ScenarioDir() + "/" + file);
    auto ruler = ScenarioRuler(file, doc);
    if (!ruler.ok()) continue;  // the scenario's own test reports it
    const std::vector<model::Report> incidents = ScenarioIncidents(doc);
    std::vector<model::Finding> objects;
    for (const model::Report& inc : incidents) (*ruler)->Rule(inc, &objects);
    std::vector<std::string> want, got;
    for (const model::Finding& f : objects) want.push_back(FindingLine(file, f));
    IncidentColumns columns;
    ColumnLookups lookups;
    std::vector<Decision> decided;
    const size_t half = incidents.size() / 2;
    for (auto [begin, end] : {std::pair<size_t, size_t>{0, half}, {half, incidents.size()}}) {
      columns.ClearRows();
      for (size_t i = begin; i < end; ++i) columns.Add(incidents[i]);
      (*ruler)->Prepare(columns, &lookups);
      decided.clear();
      (*ruler)->Decide(columns, 0, columns.size(), lookups, &decided);
      for (const Decision& d : decided) got.push_back(FindingLine(file, (*ruler)->Render(d, columns.View(d.row))));
    }
    EXPECT_EQ(got, want) << file;
    compared += want.size();
  }
  EXPECT_GT(compared, 100u);
}

TEST(ScenarioSuite, HasEnoughScenarios) { EXPECT_GE(ScenarioFiles().size(), 30u); }

TEST(ScenarioSuite, AnIncludedAgreementIsReadBesideTheScenario) {
  const fs::path dir = fs::temp_directory_path() / ("truce_scenario_" + std::to_string(::getpid()));
  fs::create_directories(dir / "shared");
  { std::ofstream(dir / "shared" / "a.yaml") << "id: shared\n"; }
  const std::string scenario = (dir / "case.yaml").string();
  YAML::Node doc = YAML::Load("name: x\nagreements:\n  - include: shared/a.yaml\n  - |\n    id: inline\n");
  auto texts = AgreementTexts(doc, scenario);
  fs::remove_all(dir);
  ASSERT_TRUE(texts.ok()) << texts.status().ToString();
  EXPECT_EQ(*texts, (std::vector<std::string>{"id: shared\n", "id: inline\n"}));
}

TEST(ScenarioSuite, AMissingIncludeNamesTheScenarioFileAndLine) {
  YAML::Node doc = YAML::Load("name: x\nagreements:\n  - include: agreements/no-such.yaml\n");
  auto texts = AgreementTexts(doc, "/scenarios/case.yaml");
  ASSERT_FALSE(texts.ok());
  EXPECT_EQ(texts.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(texts.status().message(),
            "/scenarios/case.yaml:3:5: include 'agreements/no-such.yaml': no such file "
            "(looked for '/scenarios/agreements/no-such.yaml')");

  doc = YAML::Load("name: x\nagreements:\n  - {include: a.yaml, extra: 1}\n");
  texts = AgreementTexts(doc, "/scenarios/case.yaml");
  ASSERT_FALSE(texts.ok());
  EXPECT_EQ(texts.status().message(),
            "/scenarios/case.yaml:3:5: an agreement is a YAML text, {include: PATH} or {example: PATH}");
}

TEST(ScenarioSuite, AnExampleIsLoadedFromTheRepositoryWithItsFiles) {
  YAML::Node doc = YAML::Load("name: x\nagreements:\n  - example: examples/idlib-2020/additional-protocol-2020.yaml\n");
  auto texts = AgreementTexts(doc, "/scenarios/case.yaml");
  ASSERT_TRUE(texts.ok()) << texts.status().ToString();
  EXPECT_TRUE(texts->empty());
  auto examples = ExampleAgreements(doc);
  ASSERT_TRUE(examples.ok()) << examples.status().ToString();
  ASSERT_EQ(examples->size(), 1u);
  EXPECT_EQ((*examples)[0].agreement.id, "idlib-2020-protocol");
  EXPECT_NE((*examples)[0].agreement.FindZone("m4-corridor"), nullptr);

  doc = YAML::Load("name: x\nagreements:\n  - example: examples/no-such/agreement.yaml\n");
  EXPECT_FALSE(ExampleAgreements(doc).ok());
}

}  // namespace
}  // namespace truce::rules
