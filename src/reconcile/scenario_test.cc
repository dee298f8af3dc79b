// Runs every matching scenario in tests/scenarios/reconcile/*.yaml: reports
// as the datasets code them, analysts' overrides, and the incidents expected
// (which reports, why each joined, support, independent sources, fatality
// range and figures side by side), with the built-in
// data/reconcile/matching.yaml. A new case is a new file; the format and the
// list of cases are in tests/scenarios/reconcile/README.md. A case the
// matcher gets wrong says `known_failure: "why"`: its checks must then fail,
// and the test says so instead of failing (and fails once the case passes,
// so that the mark is removed).
#include <yaml-cpp/yaml.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "config.h"
#include "features.h"
#include "testing.h"
#include "truce/core/env.h"
#include "truce/geo/geo.h"
#include "truce/reconcile/reconcile.h"

namespace truce::reconcile {
namespace {

namespace fs = std::filesystem;

std::string ScenarioDir() {
  const char* dir = std::getenv("TRUCE_SOURCE_DIR");
  return std::string(dir != nullptr ? dir : TRUCE_SOURCE_DIR) + "/tests/scenarios/reconcile";
}

std::vector<std::string> ScenarioFiles() {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(ScenarioDir(), ec)) return out;
  for (const auto& e : fs::directory_iterator(ScenarioDir())) {
    if (e.path().extension() == ".yaml") out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// ---------------------------------------------------------------- the format

struct ExpectedIncident {
  std::vector<std::int64_t> reports;  // sorted
  int line = 0;
  std::optional<std::string> support;
  std::optional<int> independent_sources;
  std::optional<std::pair<int, int>> fatalities;
  std::optional<std::vector<std::string>> figures;
  std::optional<std::string> reported_by, grades;
  std::map<std::int64_t, std::vector<std::string>> reasons;  // report id -> words its reason must contain
  std::map<std::int64_t, std::string> decided_by;            // report id -> words its decided_by must contain
};

struct ExpectedPair {
  std::int64_t a = 0, b = 0;
  int line = 0;
  std::optional<bool> merge;    // allowed and scored at or above the threshold
  std::optional<bool> allowed;  // false: a rule forbids the pair
  std::vector<std::string> reason_contains;
};

struct Scenario {
  std::string path, name, description, known_failure;
  std::vector<model::Report> reports;  // in the file's order
  std::vector<model::Claim> claims;    // of the news reports
  std::vector<Override> overrides;     // in the order decided
  std::map<std::string, std::string> actors;  // folded name -> actor id
  std::optional<std::vector<std::vector<std::int64_t>>> known;  // stored incidents before the fresh reports
  std::vector<ExpectedIncident> incidents;
  int incidents_line = 0, after_reconcile_line = 0;
  std::vector<ExpectedPair> pairs;
  std::optional<std::vector<std::vector<std::int64_t>>> after_reconcile;
};

// A problem in a scenario file, where it is. yaml-cpp reports its own
// problems (a count that is not a number) by throwing, with a mark; ours are
// thrown the same way, and ParseScenario turns both into one Status.
struct BadScenario {
  YAML::Mark mark;
  std::string message;
};

[[noreturn]] void Bad(const YAML::Node& n, const std::string& message) { throw BadScenario{n.Mark(), message}; }

void OnlyKeys(const YAML::Node& n, std::initializer_list<const char*> keys, const std::string& what) {
  if (!n.IsMap()) Bad(n, what + " is a mapping");
  for (const auto& kv : n) {
    const std::string key = kv.first.as<std::string>();
    if (std::none_of(keys.begin(), keys.end(), [&](const char* k) { return key == k; })) {
      std::string known;
      for (const char* k : keys) known += (known.empty() ? "" : ", ") + std::string(k);
      Bad(kv.first, "unknown key '" + key + "' in " + what + " (known: " + known + ")");
    }
  }
}

YAML::Node Need(const YAML::Node& parent, const char* key, const std::string& what) {
  if (!parent[key]) Bad(parent, what + " needs '" + key + "'");
  return parent[key];
}

std::string Str(const YAML::Node& n, const char* key) { return n[key] ? n[key].as<std::string>() : ""; }

time::Days DayOf(const YAML::Node& n) {
  auto d = time::ParseIsoDate(n.as<std::string>());
  if (!d.ok()) Bad(n, "not a date (YYYY-MM-DD): '" + n.as<std::string>() + "'");
  return *d;
}

std::vector<std::string> Strings(const YAML::Node& n) {
  if (!n) return {};
  if (n.IsScalar()) return {n.as<std::string>()};
  if (!n.IsSequence()) Bad(n, "a string or a list of strings");
  std::vector<std::string> out;
  for (const auto& s : n) out.push_back(s.as<std::string>());
  return out;
}

std::vector<std::int64_t> Ids(const YAML::Node& n, std::size_t want = 0) {
  if (!n.IsSequence() || n.size() == 0) Bad(n, "a list of report ids");
  if (want != 0 && n.size() != want) Bad(n, "a list of " + std::to_string(want) + " report ids");
  std::vector<std::int64_t> out;
  for (const auto& i : n) out.push_back(i.as<std::int64_t>());
  std::sort(out.begin(), out.end());
  return out;
}

// Names compare as the matcher's own tables do: without case, punctuation or
// a trailing "(...)".
std::string ActorKey(std::string_view name) { return FoldName(name); }

model::Report ReportFrom(const YAML::Node& n, const std::map<std::int64_t, model::Report>& before,
                         std::vector<model::Claim>* claims) {
  OnlyKeys(n,
           {"id", "dataset", "source_id", "record", "date", "time_precision", "first_day", "last_day", "lat", "lon",
            "near", "uncertainty_m", "event_type", "sub_event_type", "native_code", "actor1", "assoc_actor1",
            "actor2", "assoc_actor2", "location", "fatalities", "low", "high", "source", "claims", "notes"},
           "a report");
  model::Report r;
  r.id = Need(n, "id", "a report").as<std::int64_t>();
  if (r.id <= 0) Bad(n["id"], "report ids are positive");
  r.record_id = n["record"] ? n["record"].as<std::int64_t>() : r.id;
  r.dataset = Need(n, "dataset", "a report").as<std::string>();
  r.source_id = Str(n, "source_id");

  if (n["date"]) {
    if (n["first_day"] || n["last_day"]) Bad(n, "a report gives 'date' or 'first_day' and 'last_day', not both");
    // A day with ACLED's time_precision (1 the day, 2 the week around it, 3
    // the month), as the ACLED and GeoJSON readers turn it into days.
    r.time_precision = n["time_precision"] ? n["time_precision"].as<int>() : 1;
    if (r.time_precision < 1 || r.time_precision > 3) Bad(n["time_precision"], "time_precision is 1, 2 or 3 (ACLED's)");
    r.time = time::FromAcledPrecision(DayOf(n["date"]), r.time_precision);
  } else {
    // A window as UCDP gives it (date_start, date_end).
    r.time.first_day = DayOf(Need(n, "first_day", "a report without 'date'"));
    r.time.last_day = DayOf(Need(n, "last_day", "a report without 'date'"));
    if (r.time.last_day < r.time.first_day) Bad(n["last_day"], "last_day before first_day");
    r.time.precision = r.time.first_day == r.time.last_day ? time::TimePrecision::kDay : time::TimePrecision::kRange;
    if (n["time_precision"]) r.time_precision = n["time_precision"].as<int>();  // the dataset's own code, kept
  }

  if (n["near"]) {
    // {report: ID, km: 3.1, bearing: 90}: a point at a distance from an
    // earlier report's, for cases where the distance is the point.
    const YAML::Node near = n["near"];
    OnlyKeys(near, {"report", "km", "bearing"}, "'near'");
    const auto of = Need(near, "report", "'near'").as<std::int64_t>();
    auto it = before.find(of);
    if (it == before.end()) Bad(near["report"], "'near' names report " + std::to_string(of) + ", not given before");
    r.point = geo::GeodesicDirect(it->second.point, near["bearing"] ? near["bearing"].as<double>() : 90,
                                  Need(near, "km", "'near'").as<double>() * 1000);
    if (n["lat"] || n["lon"]) Bad(n, "a report gives 'lat' and 'lon' or 'near', not both");
  } else {
    r.point = {Need(n, "lat", "a report").as<double>(), Need(n, "lon", "a report").as<double>()};
    if (std::abs(r.point.lat_deg) > 90 || std::abs(r.point.lon_deg) > 180) Bad(n, "lat or lon out of range");
  }
  r.uncertainty_m = n["uncertainty_m"] ? n["uncertainty_m"].as<double>() : 0;
  r.event_type = Str(n, "event_type");
  r.sub_event_type = Str(n, "sub_event_type");
  r.native_code = Str(n, "native_code");
  r.actor1 = Str(n, "actor1");
  r.assoc_actor1 = Str(n, "assoc_actor1");
  r.actor2 = Str(n, "actor2");
  r.assoc_actor2 = Str(n, "assoc_actor2");
  r.location = Str(n, "location");
  r.notes = Str(n, "notes");
  r.source = Str(n, "source");
  r.fatalities = n["fatalities"] ? n["fatalities"].as<int>() : 0;
  if (n["low"]) r.fatalities_low = n["low"].as<int>();
  if (n["high"]) r.fatalities_high = n["high"].as<int>();

  // What the article a news report comes from quotes: {claimant, count,
  // qualifier (exact), kind (killed)}, as the extractor gives its claims.
  for (const auto& c : n["claims"]) {
    OnlyKeys(c, {"claimant", "count", "qualifier", "kind"}, "a claim");
    if (r.dataset != "news") Bad(c, "only news reports carry claims");
    model::Claim claim;
    claim.id = static_cast<std::int64_t>(claims->size()) + 1;
    claim.record_id = r.record_id;
    claim.kind = c["kind"] ? c["kind"].as<std::string>() : "killed";
    claim.claimant_name = Need(c, "claimant", "a claim").as<std::string>();
    if (c["count"]) claim.count = c["count"].as<double>();
    claim.qualifier = c["qualifier"] ? c["qualifier"].as<std::string>() : "exact";
    claims->push_back(std::move(claim));
  }
  return r;
}

ExpectedIncident IncidentFrom(const YAML::Node& n) {
  OnlyKeys(n, {"reports", "support", "independent_sources", "fatalities", "figures", "reported_by", "grades",
               "reasons", "decided_by"},
           "an expected incident");
  ExpectedIncident e;
  e.line = n.Mark().line + 1;
  e.reports = Ids(Need(n, "reports", "an expected incident"));
  if (n["support"]) {
    e.support = n["support"].as<std::string>();
    if (*e.support != "single" && *e.support != "corroborated" && *e.support != "observed") {
      Bad(n["support"], "support is single, corroborated or observed");
    }
  }
  if (n["independent_sources"]) e.independent_sources = n["independent_sources"].as<int>();
  if (n["fatalities"]) {
    if (!n["fatalities"].IsSequence() || n["fatalities"].size() != 2) Bad(n["fatalities"], "fatalities is [low, high]");
    e.fatalities = {n["fatalities"][0].as<int>(), n["fatalities"][1].as<int>()};
  }
  if (n["figures"]) e.figures = Strings(n["figures"]);
  if (n["reported_by"]) e.reported_by = n["reported_by"].as<std::string>();
  if (n["grades"]) e.grades = n["grades"].as<std::string>();
  for (const char* key : {"reasons", "decided_by"}) {
    if (!n[key]) continue;
    if (!n[key].IsMap()) Bad(n[key], std::string(key) + " maps a report id to words");
    for (const auto& kv : n[key]) {
      const auto id = kv.first.as<std::int64_t>();
      if (!std::binary_search(e.reports.begin(), e.reports.end(), id)) {
        Bad(kv.first, std::string(key) + " names report " + std::to_string(id) + ", not one of this incident's");
      }
      if (std::string(key) == "reasons") {
        e.reasons[id] = Strings(kv.second);
      } else {
        e.decided_by[id] = kv.second.as<std::string>();
      }
    }
  }
  return e;
}

std::vector<std::vector<std::int64_t>> GroupsFrom(const YAML::Node& n, const std::set<std::int64_t>& ids,
                                                  const std::string& what) {
  if (!n.IsSequence()) Bad(n, what + " is a list of incidents, each a list of report ids");
  std::vector<std::vector<std::int64_t>> out;
  for (const auto& g : n) {
    out.push_back(Ids(g));
    for (std::int64_t id : out.back()) {
      if (!ids.count(id)) Bad(g, what + " names report " + std::to_string(id) + ", which the scenario does not give");
    }
  }
  return out;
}

// Every report in exactly one group: a scenario states the whole grouping.
void CheckCovers(const YAML::Node& at, const std::vector<std::vector<std::int64_t>>& groups,
                 const std::set<std::int64_t>& ids, const std::string& what) {
  std::map<std::int64_t, int> seen;
  for (const auto& g : groups) {
    for (std::int64_t id : g) ++seen[id];
  }
  for (std::int64_t id : ids) {
    if (seen[id] == 0) Bad(at, what + " leaves out report " + std::to_string(id) + " (list it alone if it is)");
    if (seen[id] > 1) Bad(at, what + " lists report " + std::to_string(id) + " twice");
  }
}

Result<Scenario> ParseScenario(const std::string& path, const std::string& text) {
  Scenario s;
  s.path = path;
  s.name = fs::path(path).filename().string();
  try {
    const YAML::Node doc = YAML::Load(text);
    OnlyKeys(doc, {"description", "actors", "reports", "overrides", "known", "known_failure", "expect"}, "a scenario");
    s.description = Need(doc, "description", "a scenario").as<std::string>();
    s.known_failure = Str(doc, "known_failure");

    for (const auto& a : doc["actors"]) {
      OnlyKeys(a, {"id", "names"}, "an actor");
      const std::string id = Need(a, "id", "an actor").as<std::string>();
      for (const std::string& name : Strings(Need(a, "names", "an actor"))) s.actors[ActorKey(name)] = id;
    }

    const YAML::Node reports = Need(doc, "reports", "a scenario");
    if (!reports.IsSequence() || reports.size() == 0) Bad(reports, "reports is a list of reports");
    std::map<std::int64_t, model::Report> by_id;
    std::set<std::int64_t> ids;
    for (const auto& r : reports) {
      model::Report report = ReportFrom(r, by_id, &s.claims);
      if (!ids.insert(report.id).second) Bad(r, "report " + std::to_string(report.id) + " is given twice");
      by_id[report.id] = report;
      s.reports.push_back(std::move(report));
    }

    std::string last_at;
    for (const auto& o : doc["overrides"]) {
      OnlyKeys(o, {"link", "unlink", "by", "at"}, "an override");
      if (static_cast<bool>(o["link"]) == static_cast<bool>(o["unlink"])) Bad(o, "an override is link: [A, B] or unlink: [A, B]");
      Override ov;
      ov.link = static_cast<bool>(o["link"]);
      const YAML::Node pair = ov.link ? o["link"] : o["unlink"];
      const auto two = Ids(pair, 2);
      for (std::int64_t id : two) {
        if (!ids.count(id)) Bad(pair, "the override names report " + std::to_string(id) + ", which the scenario does not give");
      }
      ov.report_a = two[0];
      ov.report_b = two[1];
      const std::string at = Need(o, "at", "an override").as<std::string>();
      if (!time::ParseInstant(at).ok()) Bad(o["at"], "'at' is an instant with its zone: 2026-01-02T10:00:00Z");
      // Decisions are listed in the order they were made: the matcher takes
      // the last about a pair, as the store gives them by decided_at.
      if (at < last_at) Bad(o["at"], "overrides are listed in the order decided; " + at + " is before " + last_at);
      last_at = at;
      ov.decided_by = "analyst " + (o["by"] ? o["by"].as<std::string>() : std::string("ana")) + " at " + at;
      s.overrides.push_back(std::move(ov));
    }

    if (doc["known"]) {
      s.known = GroupsFrom(doc["known"], ids, "known");
      std::set<std::int64_t> known_ids;
      for (const auto& g : *s.known) known_ids.insert(g.begin(), g.end());
      if (known_ids.size() == ids.size()) Bad(doc["known"], "known lists every report: none is fresh");
      // Fresh reports come after every stored one, as ingest numbers them.
      for (const model::Report& r : s.reports) {
        if (!known_ids.count(r.id) && r.id < *known_ids.rbegin()) {
          Bad(doc["known"], "fresh report " + std::to_string(r.id) + " has a smaller id than a known one");
        }
      }
    }

    const YAML::Node expect = Need(doc, "expect", "a scenario");
    OnlyKeys(expect, {"incidents", "pairs", "after_reconcile"}, "expect");
    const YAML::Node incidents = Need(expect, "incidents", "expect");
    if (!incidents.IsSequence()) Bad(incidents, "incidents is a list");
    s.incidents_line = incidents.Mark().line + 1;
    std::vector<std::vector<std::int64_t>> groups;
    for (const auto& i : incidents) {
      s.incidents.push_back(IncidentFrom(i));
      for (std::int64_t id : s.incidents.back().reports) {
        if (!ids.count(id)) Bad(i, "the incident names report " + std::to_string(id) + ", which the scenario does not give");
      }
      groups.push_back(s.incidents.back().reports);
    }
    CheckCovers(incidents, groups, ids, "expect.incidents");
    for (const auto& p : expect["pairs"]) {
      OnlyKeys(p, {"reports", "merge", "allowed", "reason_contains"}, "an expected pair");
      ExpectedPair e;
      e.line = p.Mark().line + 1;
      const YAML::Node pr = Need(p, "reports", "an expected pair");
      if (!pr.IsSequence() || pr.size() != 2) Bad(pr, "a pair is two report ids");
      e.a = pr[0].as<std::int64_t>();
      e.b = pr[1].as<std::int64_t>();
      for (std::int64_t id : {e.a, e.b}) {
        if (!ids.count(id)) Bad(pr, "the pair names report " + std::to_string(id) + ", which the scenario does not give");
      }
      if (p["merge"]) e.merge = p["merge"].as<bool>();
      if (p["allowed"]) e.allowed = p["allowed"].as<bool>();
      e.reason_contains = Strings(p["reason_contains"]);
      s.pairs.push_back(std::move(e));
    }
    if (expect["after_reconcile"]) {
      if (!s.known) Bad(expect["after_reconcile"], "after_reconcile is for scenarios with known incidents");
      s.after_reconcile_line = expect["after_reconcile"].Mark().line + 1;
      s.after_reconcile = GroupsFrom(expect["after_reconcile"], ids, "after_reconcile");
      CheckCovers(expect["after_reconcile"], *s.after_reconcile, ids, "after_reconcile");
    }
  } catch (const BadScenario& e) {
    return Status::ParseErrorAt(path, e.mark.line + 1, e.mark.column + 1, e.message);
  } catch (const YAML::Exception& e) {
    return Status::ParseErrorAt(path, e.mark.line + 1, e.mark.column + 1, e.msg);
  }
  return s;
}

// ---------------------------------------------------------------- running one

std::string IdsText(const std::vector<std::int64_t>& ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? ", " : "") + std::to_string(ids[i]);
  return out + "]";
}

// "ACLED SYR1: 3", "UCDP 342211: 4 (2-6)", "Syrian Observatory for Human Rights: 15 at_least".
std::string FigureText(const model::FatalityFigure& f) {
  std::string out = f.source + ": " + (f.best ? std::to_string(*f.best) : "?");
  if (f.low || f.high) {
    out += " (" + (f.low ? std::to_string(*f.low) : "?") + "-" + (f.high ? std::to_string(*f.high) : "?") + ")";
  }
  if (!f.qualifier.empty() && f.qualifier != "exact") out += " " + f.qualifier;
  return out;
}

// Incidents as groups of report ids, each sorted, by their placements.
std::map<std::int64_t, std::vector<std::int64_t>> Groups(const std::vector<Placement>& placements) {
  std::map<std::int64_t, std::vector<std::int64_t>> out;
  for (const Placement& p : placements) out[p.incident_id].push_back(p.report_id);
  for (auto& [id, members] : out) std::sort(members.begin(), members.end());
  return out;
}

std::string GroupsText(const std::map<std::int64_t, std::vector<std::int64_t>>& groups) {
  std::string out;
  for (const auto& [id, members] : groups) out += (out.empty() ? "" : " ") + IdsText(members);
  return out;
}

// The failed checks of one scenario, in words naming the file and reports.
class Checker {
 public:
  explicit Checker(const Scenario& s) : s_(s) {}
  void Fail(int line, const std::string& what) { failures_.push_back(s_.path + ":" + std::to_string(line) + ": " + what); }
  void Contains(int line, const std::string& text, const std::vector<std::string>& words, const std::string& what) {
    for (const std::string& w : words) {
      if (text.find(w) == std::string::npos) Fail(line, what + " lacks \"" + w + "\"\n    it is: \"" + text + "\"");
    }
  }
  const std::vector<std::string>& failures() const { return failures_; }

 private:
  const Scenario& s_;
  std::vector<std::string> failures_;
};

void CheckGrouping(Checker* c, int line, const std::map<std::int64_t, std::vector<std::int64_t>>& actual,
                   const std::vector<std::vector<std::int64_t>>& expected, const std::string& what) {
  std::set<std::vector<std::int64_t>> have;
  for (const auto& [id, members] : actual) have.insert(members);
  const std::set<std::vector<std::int64_t>> want(expected.begin(), expected.end());
  if (have != want) {
    std::string w;
    for (const auto& g : want) w += (w.empty() ? "" : " ") + IdsText(g);
    c->Fail(line, what + ": incidents " + GroupsText(actual) + ", expected " + w);
  }
}

std::vector<std::string> RunScenario(const Scenario& s) {
  Checker c(s);
  const auto config = testing::RepoConfig();
  if (config == nullptr) return {s.path + ": data/reconcile/matching.yaml does not parse"};
  const auto actors = s.actors;
  const Matcher matcher(config, [actors](std::string_view name) {
    auto it = actors.find(ActorKey(name));
    return it == actors.end() ? std::string() : it->second;
  });

  std::vector<model::Report> reports = s.reports;
  std::sort(reports.begin(), reports.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  std::map<std::int64_t, const model::Report*> by_id;
  for (const model::Report& r : reports) by_id[r.id] = &r;

  std::vector<Placement> placements;
  if (!s.known) {
    placements = matcher.MatchAll(reports, s.overrides);
  } else {
    // The stored incidents as the scenario gives them, then the fresh reports
    // placed as ingest places them.
    std::vector<model::Report> known, fresh;
    std::vector<Placement> current;
    std::set<std::int64_t> known_ids;
    for (const auto& g : *s.known) {
      for (std::int64_t id : g) {
        known_ids.insert(id);
        current.push_back({id, g.front(), 1, id == g.front() ? "" : "stored", "matcher"});
      }
    }
    for (const model::Report& r : reports) (known_ids.count(r.id) ? known : fresh).push_back(r);
    std::sort(current.begin(), current.end(), [](const auto& a, const auto& b) { return a.report_id < b.report_id; });
    placements = current;
    const std::vector<Placement> placed = matcher.MatchNew(known, current, fresh, s.overrides);
    if (placed.size() != fresh.size()) {
      c.Fail(s.incidents_line, "MatchNew placed " + std::to_string(placed.size()) + " of " + std::to_string(fresh.size()) +
                    " fresh reports");
    }
    placements.insert(placements.end(), placed.begin(), placed.end());
  }
  if (placements.size() != reports.size()) {
    c.Fail(s.incidents_line, std::to_string(placements.size()) + " placements for " + std::to_string(reports.size()) + " reports");
    return c.failures();
  }
  std::map<std::int64_t, const Placement*> placement_of;
  for (const Placement& p : placements) placement_of[p.report_id] = &p;
  const auto actual = Groups(placements);
  std::vector<std::vector<std::int64_t>> expected_groups;
  for (const ExpectedIncident& e : s.incidents) expected_groups.push_back(e.reports);
  CheckGrouping(&c, s.incidents_line, actual, expected_groups, s.known ? "after the fresh reports" : "matched");
  for (const auto& [id, members] : actual) {
    if (id != members.front()) c.Fail(s.incidents_line, "incident " + IdsText(members) + " has id " + std::to_string(id) + ", not its smallest report id");
  }

  for (const ExpectedIncident& e : s.incidents) {
    const std::string what = "incident " + IdsText(e.reports);
    const Placement* lead = placement_of[e.reports.front()];
    auto it = actual.find(lead->incident_id);
    if (it == actual.end() || it->second != e.reports) continue;  // the grouping's failure says it
    std::vector<const model::Report*> rs;
    std::vector<const Placement*> ps;
    for (std::int64_t id : e.reports) {
      rs.push_back(by_id[id]);
      ps.push_back(placement_of[id]);
    }
    const model::Incident inc = Estimate(rs, ps, s.claims, *config);
    if (e.support && *e.support != model::SupportName(inc.support)) {
      c.Fail(e.line, what + ": support " + model::SupportName(inc.support) + ", expected " + *e.support);
    }
    if (e.independent_sources && *e.independent_sources != inc.independent_sources) {
      std::string keys;
      for (const auto& src : inc.sources) keys += " " + std::to_string(src.report_id) + "=" + src.independent_of;
      c.Fail(e.line, what + ": " + std::to_string(inc.independent_sources) + " independent sources, expected " +
                         std::to_string(*e.independent_sources) + " (rests on:" + keys + ")");
    }
    if (e.fatalities && (e.fatalities->first != inc.fatalities_low || e.fatalities->second != inc.fatalities_high)) {
      c.Fail(e.line, what + ": fatalities " + std::to_string(inc.fatalities_low) + "-" +
                         std::to_string(inc.fatalities_high) + ", expected " + std::to_string(e.fatalities->first) +
                         "-" + std::to_string(e.fatalities->second));
    }
    if (e.figures) {
      std::vector<std::string> have;
      for (const auto& f : inc.figures) have.push_back(FigureText(f));
      if (have != *e.figures) {
        std::string h, w;
        for (const auto& x : have) h += "\n      " + x;
        for (const auto& x : *e.figures) w += "\n      " + x;
        c.Fail(e.line, what + ": figures" + h + "\n    expected" + w);
      }
    }
    if (e.reported_by && *e.reported_by != ReportedBy(inc)) {
      c.Fail(e.line, what + ": reported by \"" + ReportedBy(inc) + "\", expected \"" + *e.reported_by + "\"");
    }
    if (e.grades && *e.grades != Grades(inc)) {
      c.Fail(e.line, what + ": grades \"" + Grades(inc) + "\", expected \"" + *e.grades + "\"");
    }
    for (const auto& [id, words] : e.reasons) {
      c.Contains(e.line, placement_of[id]->reason, words, what + ": report " + std::to_string(id) + "'s reason");
    }
    for (const auto& [id, words] : e.decided_by) {
      c.Contains(e.line, placement_of[id]->decided_by, {words}, what + ": report " + std::to_string(id) + "'s decided_by");
    }
  }

  for (const ExpectedPair& p : s.pairs) {
    const std::string what = "pair [" + std::to_string(p.a) + ", " + std::to_string(p.b) + "]";
    const PairScore score = matcher.Score(*by_id[p.a], *by_id[p.b]);
    const bool merge = score.allowed && score.score >= config->threshold;
    const std::string got = (score.allowed ? "allowed" : "not allowed") + std::string(", score ") +
                            std::to_string(score.score) + ": " + score.reason;
    if (p.merge && *p.merge != merge) c.Fail(p.line, what + (merge ? " merges" : " does not merge") + " (" + got + ")");
    if (p.allowed && *p.allowed != score.allowed) {
      c.Fail(p.line, what + (score.allowed ? " is allowed" : " is not allowed") + " (" + got + ")");
    }
    c.Contains(p.line, score.reason, p.reason_contains, what + "'s reason");
  }

  if (s.after_reconcile) {
    CheckGrouping(&c, s.after_reconcile_line, Groups(matcher.MatchAll(reports, s.overrides)), *s.after_reconcile, "after truce reconcile");
  }
  return c.failures();
}

// ---------------------------------------------------------------- the tests

class ReconcileScenarioTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ReconcileScenarioTest, Holds) {
  const std::string path = ScenarioDir() + "/" + GetParam();
  auto text = RealFileSystem().ReadFile(path);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  auto scenario = ParseScenario(path, *text);
  ASSERT_TRUE(scenario.ok()) << scenario.status().ToString();
  const std::vector<std::string> failures = RunScenario(*scenario);
  std::string all;
  for (const std::string& f : failures) all += "\n  " + f;
  if (scenario->known_failure.empty()) {
    EXPECT_TRUE(failures.empty()) << GetParam() << ": " << scenario->description << all;
  } else {
    EXPECT_FALSE(failures.empty()) << GetParam() << " is marked known_failure (\"" << scenario->known_failure
                                   << "\") but now holds: remove the mark";
    if (!failures.empty()) {
      std::cout << "[ KNOWN    ] " << GetParam() << ": " << scenario->known_failure << all << "\n";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ReconcileScenarioTest, ::testing::ValuesIn(ScenarioFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string n = info.param.substr(0, info.param.size() - 5);
                           for (char& ch : n) {
                             if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return n;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ReconcileScenarioTest);

TEST(ReconcileScenarioSuite, HasTheCases) { EXPECT_GE(ScenarioFiles().size(), 20u) << ScenarioDir(); }

// Bad scenario files fail with the file, line and column of the problem.
TEST(ReconcileScenarioSuite, BadFilesNameFileLineAndColumn) {
  const std::string head =
      "description: x\n"
      "reports:\n"
      "  - {id: 1, dataset: acled, date: 2020-03-05, lat: 35.8, lon: 36.8}\n";
  const auto error = [&](const std::string& rest) {
    auto s = ParseScenario("/s/case.yaml", head + rest);
    return s.ok() ? std::string("ok") : s.status().message();
  };
  EXPECT_EQ(error("expect: {incidents: [{reports: [1]}]}\n"), "ok");
  EXPECT_EQ(error("expect: {incidents: [{reports: [1, 2]}]}\n"),
            "/s/case.yaml:4:22: the incident names report 2, which the scenario does not give");
  EXPECT_EQ(error("expect: {incidents: []}\n"),
            "/s/case.yaml:4:21: expect.incidents leaves out report 1 (list it alone if it is)");
  EXPECT_EQ(error("  - {id: 2, dataset: ucdp, date: 2020-03-5, lat: 35.8, lon: 36.8}\n"
                  "expect: {incidents: [{reports: [1, 2]}]}\n"),
            "/s/case.yaml:4:34: not a date (YYYY-MM-DD): '2020-03-5'");
  EXPECT_EQ(error("  - {id: 2, dataset: ucdp, date: 2020-03-05, lat: 35.8, lon: 36.8, fatalites: 3}\n"
                  "expect: {incidents: [{reports: [1, 2]}]}\n"),
            "/s/case.yaml:4:68: unknown key 'fatalites' in a report (known: id, dataset, source_id, record, date, "
            "time_precision, first_day, last_day, lat, lon, near, uncertainty_m, event_type, sub_event_type, "
            "native_code, actor1, assoc_actor1, actor2, assoc_actor2, location, fatalities, low, high, source, "
            "claims, notes)");
  EXPECT_EQ(error("overrides:\n  - {link: [1, 1], at: 2026-01-02T10:00:00Z}\n"
                  "  - {unlink: [1, 1], at: 2026-01-01T10:00:00Z}\n"
                  "expect: {incidents: [{reports: [1]}]}\n"),
            "/s/case.yaml:6:26: overrides are listed in the order decided; 2026-01-01T10:00:00Z is before "
            "2026-01-02T10:00:00Z");
  // yaml-cpp's own complaints carry the place too.
  EXPECT_EQ(error("  - {id: 2, dataset: ucdp, date: 2020-03-05, lat: north, lon: 36.8}\n"
                  "expect: {incidents: [{reports: [1, 2]}]}\n")
                .substr(0, 18),
            "/s/case.yaml:4:51:");
}

// The runner can fail: a scenario that expects the wrong grouping, or words
// the reason lacks, reports it with the file and the report ids.
TEST(ReconcileScenarioSuite, AWrongExpectationFails) {
  const std::string text =
      "description: an ACLED and a UCDP row of one shelling, expected apart\n"
      "reports:\n"
      "  - {id: 1, dataset: acled, source_id: SYR1, date: 2020-03-05, lat: 35.8644, lon: 36.8006,\n"
      "     uncertainty_m: 2000, event_type: Explosions/Remote violence,\n"
      "     sub_event_type: Shelling/artillery/missile attack, actor1: Military Forces of Syria (2000-), fatalities: 3}\n"
      "  - {id: 2, dataset: ucdp, source_id: '342211', date: 2020-03-05, near: {report: 1, km: 1},\n"
      "     uncertainty_m: 2000, event_type: Battles, native_code: 'ucdp:1', actor1: Government of Syria,\n"
      "     fatalities: 3}\n"
      "expect:\n"
      "  incidents: [{reports: [1]}, {reports: [2]}]\n"
      "  pairs: [{reports: [1, 2], merge: false, reason_contains: [no such words]}]\n";
  auto s = ParseScenario("/s/wrong.yaml", text);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  const auto failures = RunScenario(*s);
  ASSERT_EQ(failures.size(), 3u);
  EXPECT_EQ(failures[0], "/s/wrong.yaml:10: matched: incidents [1, 2], expected [1] [2]");
  EXPECT_NE(failures[1].find("/s/wrong.yaml:11: pair [1, 2] merges"), std::string::npos) << failures[1];
  EXPECT_NE(failures[2].find("pair [1, 2]'s reason lacks \"no such words\""), std::string::npos) << failures[2];
}

}  // namespace
}  // namespace truce::reconcile
