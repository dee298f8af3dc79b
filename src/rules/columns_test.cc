// Ruling from columns (IncidentColumns, Ruler::Prepare, Ruler::Decide over
// rows) against ruling whole reports (Ruler::Rule), on generated incidents
// that reach every step: polygons and a corridor, points and radii, days,
// weeks and exact times around the start and the end, a daily window, a
// target limit, exemptions, actors of both sides, of none and unknown. The
// scenario suite's byte-for-byte comparison is in scenario_test.cc.
#include "truce/rules/columns.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>

#include "truce/rules/rules.h"

namespace truce::rules {
namespace {

const char* kFiles[][2] = {
    {"box.geojson", R"({"type":"Polygon","coordinates":[[[36.0,35.5],[36.5,35.5],[36.5,36.0],[36.0,36.0],[36.0,35.5]]]})"},
    {"m4.geojson", R"({"type":"LineString","coordinates":[[36.0,35.8],[36.5,35.8],[37.0,35.8]]})"},
};

const char* kColumnsAgreement = R"yaml(id: gen
title: Generated
timezone: Asia/Damascus
entry_into_force: 2020-03-06T00:01
end: 2020-06-01T00:00
designated: [extremists]
actors:
  army: {name: Army, kind: armed_forces, aliases: ["Military Forces of Syria (2000-)"]}
  rebels: {name: Rebels, kind: armed_group, aliases: ["National Liberation Front"]}
  extremists: {name: Extremists, kind: armed_group, aliases: ["Hayat Tahrir al Sham"]}
  civilians: {name: Civilians, kind: civilians, aliases: ["Civilians (Syria)"]}
  bystanders: {name: Neutral Militia, kind: armed_group}
sides:
  government: {guarantor: RUS, actors: [army]}
  opposition: {guarantor: TUR, actors: [rebels]}
zones:
  box: {name: test box, polygon: box.geojson}
  m4: {name: M4 corridor, corridor: {line: m4.geojson, half_width_km: 6}}
provisions:
  - id: art1
    article: Art. 1
    prohibits: [Battles, Explosions/Remote violence]
    by: [government, opposition]
    where: [box]
    except:
      - against: designated
        note: the fight against designated groups goes on
      - acts: [Explosions/Remote violence / Remote explosive/landmine/IED]
  - id: art2
    article: Art. 2
    prohibits: [Explosions/Remote violence / Shelling/artillery/missile attack]
    by: [government]
    where: [m4, box]
    daily: {from: "10:00", to: "14:00"}
  - id: art3
    prohibits: [Battles]
    by: [opposition]
    where: [m4]
    from: 2020-04-01T00:00
    against: [civilians, government]
)yaml";

std::vector<std::unique_ptr<Ruler>> MakeRulers() {
  MemFileSystem fs;
  for (const auto& f : kFiles) fs.Put(f[0], f[1]);
  auto a = agreement::ParseAgreement(kColumnsAgreement, "gen.yaml", fs);
  EXPECT_TRUE(a.ok()) << a.status().ToString();
  std::vector<std::unique_ptr<Ruler>> out;
  if (!a.ok()) return out;
  for (bool margin : {true, false}) {
    std::vector<agreement::LoadedAgreement> all{*a};
    RuleOptions options;
    if (!margin) {
      options.scope_margin_m = 0;
      options.scope_margin = std::chrono::seconds{0};
    }
    auto r = Ruler::Build(std::move(all), options);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (r.ok()) out.push_back(std::move(r).value());
  }
  return out;
}

std::vector<model::Report> Generate(int n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  const std::vector<std::string> types = {"Battles", "battles", "Explosions/Remote violence", "Protests", "Riots"};
  const std::vector<std::string> subs = {"", "Armed clash", "Shelling/artillery/missile attack",
                                         "Remote explosive/landmine/IED", "Air/drone strike"};
  const std::vector<std::string> actors = {"",
                                           "Military Forces of Syria (2000-)",
                                           "National Liberation Front",
                                           "Hayat Tahrir al Sham",
                                           "Civilians (Syria)",
                                           "Neutral Militia",
                                           "Unknown Armed Group",
                                           "Army",
                                           "rebels"};
  const std::vector<std::string> places = {"", "Saraqib", "Kafr Nubl"};
  const time::Days start = *time::ParseIsoDate("2020-03-06");
  std::vector<model::Report> out;
  for (int i = 0; i < n; ++i) {
    model::Report r;
    r.id = 1000 + i;
    r.point = {uniform(35.3, 36.2), uniform(35.8, 37.2)};
    const int u = static_cast<int>(rng() % 4);
    r.uncertainty_m = u == 0 ? uniform(100, 20'000) : 0;
    const time::Days day = start + std::chrono::days{static_cast<int>(rng() % 130) - 40};
    const int p = static_cast<int>(rng() % 5);
    if (p == 0) {
      r.time.first_day = r.time.last_day = day;
      r.time.precision = time::TimePrecision::kExact;
      r.time.exact = time::Instant{std::chrono::duration_cast<std::chrono::seconds>(day.time_since_epoch())} +
                     std::chrono::seconds{rng() % 86400};
    } else {
      r.time = time::FromAcledPrecision(day, p == 1 ? 2 : p == 2 ? 3 : 1);
    }
    r.event_type = pick(types);
    r.sub_event_type = pick(subs);
    r.actor1 = pick(actors);
    if (rng() % 5 == 0) r.assoc_actor1 = pick(actors);
    r.actor2 = pick(actors);
    if (rng() % 5 == 0) r.assoc_actor2 = pick(actors);
    r.location = pick(places);
    r.confidence = rng() % 3 == 0 ? 0.75 : 1.0;
    out.push_back(std::move(r));
  }
  return out;
}

std::string Line(const model::Finding& f) {
  char num[96];
  std::snprintf(num, sizeof num, "%.9f\t%lld\t%.17g", f.distance_m, f.seconds_from_start, f.confidence);
  return std::to_string(f.incident_id) + "\t" + f.agreement_id + "\t" + f.provision_id + "\t" +
         model::FindingStatusName(f.status) + "\t" + f.side + "\t" + f.guarantor + "\t" + f.actor_id + "\t" +
         f.zone_id + "\t" + num + "\t" + f.reason;
}

TEST(IncidentColumnsTest, ARowReadsAsItsReport) {
  const std::vector<model::Report> reports = Generate(50, 7);
  IncidentColumns columns;
  for (const model::Report& r : reports) columns.Add(r);
  ASSERT_EQ(columns.size(), reports.size());
  for (size_t i = 0; i < reports.size(); ++i) {
    const IncidentView want = IncidentView::Of(reports[i]), got = columns.View(i);
    EXPECT_EQ(got.id, want.id);
    EXPECT_EQ(got.time.first_day, want.time.first_day);
    EXPECT_EQ(got.time.last_day, want.time.last_day);
    EXPECT_EQ(got.time.precision, want.time.precision);
    EXPECT_EQ(got.time.exact, want.time.exact);
    EXPECT_EQ(got.point.lat_deg, want.point.lat_deg);
    EXPECT_EQ(got.point.lon_deg, want.point.lon_deg);
    EXPECT_EQ(got.uncertainty_m, want.uncertainty_m);
    EXPECT_EQ(got.event_type, want.event_type);
    EXPECT_EQ(got.sub_event_type, want.sub_event_type);
    EXPECT_EQ(got.actor1, want.actor1);
    EXPECT_EQ(got.assoc_actor1, want.assoc_actor1);
    EXPECT_EQ(got.actor2, want.actor2);
    EXPECT_EQ(got.assoc_actor2, want.assoc_actor2);
    EXPECT_EQ(got.location, want.location);
    EXPECT_EQ(got.confidence, want.confidence);
  }
  // Distinct values are kept once: five types by five sub-types at most.
  EXPECT_LE(columns.acts().size(), 25u);
  EXPECT_LE(columns.names().size(), 10u);  // "" and nine names
  columns.ClearRows();
  EXPECT_EQ(columns.size(), 0u);
  EXPECT_FALSE(columns.acts().empty());  // kept, so that ids stay valid
}

TEST(IncidentColumnsTest, ColumnsGiveTheFindingsOfReportsOnGeneratedData) {
  const std::vector<std::unique_ptr<Ruler>> rulers = MakeRulers();
  ASSERT_EQ(rulers.size(), 2u);
  const std::vector<model::Report> reports = Generate(20'000, 20261206);
  for (const auto& ruler : rulers) {
    std::vector<model::Finding> objects;
    for (const model::Report& r : reports) ruler->Rule(r, &objects);
    // Columns in batches of 3 000, the tables kept across batches.
    IncidentColumns columns;
    ColumnLookups lookups;
    std::vector<model::Finding> from_columns;
    std::vector<Decision> decided;
    for (size_t begin = 0; begin < reports.size(); begin += 3000) {
      columns.ClearRows();
      for (size_t i = begin; i < std::min(reports.size(), begin + 3000); ++i) columns.Add(reports[i]);
      ruler->Prepare(columns, &lookups);
      decided.clear();
      ruler->Decide(columns, 0, columns.size(), lookups, &decided);
      for (const Decision& d : decided) from_columns.push_back(ruler->Render(d, columns.View(d.row)));
    }
    ASSERT_EQ(from_columns.size(), objects.size());
    std::map<std::string, int> statuses, provisions;
    for (size_t i = 0; i < objects.size(); ++i) {
      ASSERT_EQ(Line(from_columns[i]), Line(objects[i])) << "finding " << i;
      ++statuses[model::FindingStatusName(objects[i].status)];
      ++provisions[objects[i].provision_id];
    }
    // The data reaches every status and provision (else the comparison proves little).
    for (const char* s : {"violation", "exempt", "no_violation", "outside_scope", "undetermined"}) {
      EXPECT_GT(statuses[s], 20) << s;
    }
    for (const char* p : {"art1", "art2", "art3"}) EXPECT_GT(provisions[p], 100) << p;
  }
}

TEST(IncidentColumnsTest, APreparedLookupOnlyGrows) {
  const std::vector<std::unique_ptr<Ruler>> rulers = MakeRulers();
  ASSERT_FALSE(rulers.empty());
  const Ruler& ruler = *rulers[0];
  IncidentColumns columns;
  ColumnLookups lookups;
  const std::vector<model::Report> reports = Generate(10, 3);
  columns.Add(reports[0]);
  ruler.Prepare(columns, &lookups);
  EXPECT_EQ(lookups.acts, columns.acts().size());
  EXPECT_EQ(lookups.act_pattern.size(), columns.acts().size() * ruler.prohibitions().size());
  EXPECT_EQ(lookups.act_prohibited.size(), columns.acts().size());
  const size_t names = lookups.names;
  ruler.Prepare(columns, &lookups);  // nothing new: nothing added
  EXPECT_EQ(lookups.names, names);
  for (const model::Report& r : reports) columns.Add(r);
  ruler.Prepare(columns, &lookups);
  EXPECT_EQ(lookups.actor.size(), columns.names().size() * ruler.agreements().size());
}

}  // namespace
}  // namespace truce::rules
