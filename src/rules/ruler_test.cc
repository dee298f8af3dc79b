#include "truce/rules/rules.h"

#include <gtest/gtest.h>

#include <cmath>

namespace truce::rules {
namespace {

model::Report Event(const char* type, const char* sub) {
  model::Report i;
  i.event_type = type;
  i.sub_event_type = sub;
  return i;
}

TEST(RulerTest, ActMatchesTypeAndSubType) {
  model::ActPattern any{"Battles", ""};
  model::ActPattern shelling{"Explosions/Remote violence", "Shelling/artillery/missile attack"};
  EXPECT_TRUE(ActMatches(any, Event("Battles", "Armed clash")));
  EXPECT_TRUE(ActMatches(any, Event("battles", "")));
  EXPECT_FALSE(ActMatches(any, Event("Protests", "Peaceful protest")));
  EXPECT_TRUE(ActMatches(shelling, Event("Explosions/Remote violence", "Shelling/artillery/missile attack")));
  EXPECT_FALSE(ActMatches(shelling, Event("Explosions/Remote violence", "Air/drone strike")));
}

const char* kAgreement = R"(id: a
title: A
timezone: Asia/Damascus
entry_into_force: 2020-03-06T00:01
actors:
  army: {name: Army, kind: armed_forces}
sides:
  one: {guarantor: RUS, actors: [army]}
zones:
  box: {name: box, polygon: box.geojson}
provisions:
  - id: art1
    prohibits: [Battles]
    by: [one]
    where: box
)";

TEST(RulerTest, BuildRejectsDanglingAmendment) {
  MemFileSystem fs;
  fs.Put("box.geojson", R"({"type":"Polygon","coordinates":[[[36,35],[37,35],[37,36],[36,36],[36,35]]]})");
  auto a = agreement::ParseAgreement(std::string(kAgreement) + "amends: nowhere\n", "a.yaml", fs);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  std::vector<agreement::LoadedAgreement> all;
  all.push_back(std::move(a).value());
  auto r = Ruler::Build(std::move(all));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("nowhere"), std::string::npos) << r.status().ToString();
}

TEST(RulerTest, NoZonesNoFindingsAndIndexSkipsFarIncidents) {
  MemFileSystem fs;
  fs.Put("box.geojson", R"({"type":"Polygon","coordinates":[[[36,35],[37,35],[37,36],[36,36],[36,35]]]})");
  auto a = agreement::ParseAgreement(kAgreement, "a.yaml", fs);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  std::vector<agreement::LoadedAgreement> all;
  all.push_back(std::move(a).value());
  auto r = Ruler::Build(std::move(all));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)->prohibitions().size(), 1u);
  model::Report far = Event("Battles", "Armed clash");
  far.id = 7;
  far.point = {10, 10};
  far.time = time::FromAcledPrecision(*time::ParseIsoDate("2020-03-10"), 1);
  far.actor1 = "Army";
  std::vector<model::Finding> out;
  (*r)->Rule(far, &out);
  EXPECT_TRUE(out.empty());
  model::Report near = far;
  near.point = {35.5, 36.5};
  (*r)->Rule(near, &out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, model::FindingStatus::kViolation);
  EXPECT_EQ(out[0].incident_id, 7);
  EXPECT_LT(out[0].distance_m, 0);  // inside: negative
  EXPECT_GT(out[0].seconds_from_start, 0);
  EXPECT_EQ(out[0].confidence, 1.0);
  // A finding is as sure as the reading of the incident it rests on.
  model::Report read_from_news = near;
  read_from_news.confidence = 0.6;
  out.clear();
  (*r)->Rule(read_from_news, &out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_DOUBLE_EQ(out[0].confidence, 0.6);
}

TEST(RulerTest, DecideGivesFactsAndRenderTheWords) {
  MemFileSystem fs;
  fs.Put("box.geojson", R"({"type":"Polygon","coordinates":[[[36,35],[37,35],[37,36],[36,36],[36,35]]]})");
  auto a = agreement::ParseAgreement(kAgreement, "a.yaml", fs);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  std::vector<agreement::LoadedAgreement> all;
  all.push_back(std::move(a).value());
  auto r = Ruler::Build(std::move(all));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  model::Report inc = Event("Battles", "Armed clash");
  inc.id = 9;
  inc.point = {35.5, 36.5};
  inc.time = time::FromAcledPrecision(*time::ParseIsoDate("2020-03-10"), 1);
  inc.actor1 = "Army";
  inc.location = "Here";
  const IncidentView view = IncidentView::Of(inc);
  std::vector<Decision> decided;
  (*r)->Decide(view, &decided);
  ASSERT_EQ(decided.size(), 1u);
  const Decision& d = decided[0];
  EXPECT_EQ(d.incident_id, 9);
  EXPECT_EQ(d.status, model::FindingStatus::kViolation);
  EXPECT_EQ(d.step, Decision::Step::kProhibited);
  EXPECT_EQ(d.zone->id, "box");
  EXPECT_EQ(d.containment, geo::Containment::kInside);
  EXPECT_TRUE(std::isnan(d.edge_distance_m));  // a point inside: measured when rendered
  ASSERT_NE(d.side, nullptr);
  EXPECT_EQ(d.side->id, "one");
  const model::Finding f = (*r)->Render(d, view);
  std::vector<model::Finding> ruled;
  (*r)->Rule(inc, &ruled);
  ASSERT_EQ(ruled.size(), 1u);
  EXPECT_EQ(f.reason, ruled[0].reason);
  EXPECT_EQ(f.distance_m, ruled[0].distance_m);
  EXPECT_LT(f.distance_m, -40'000);  // half a degree from every edge
  EXPECT_EQ(f.reason.rfind("Here: inside the box, ", 0), 0u) << f.reason;
  EXPECT_NE(f.reason.find(": prohibited by art1 (Battles)."), std::string::npos) << f.reason;
  // Outside the zone, within the default margin of 50 km: outside_scope, measured when decided.
  decided.clear();
  model::Report far = inc;
  far.point = {35.5, 37.3};
  (*r)->Decide(IncidentView::Of(far), &decided);
  ASSERT_EQ(decided.size(), 1u);
  EXPECT_EQ(decided[0].status, model::FindingStatus::kOutsideScope);
  EXPECT_GT(decided[0].edge_distance_m, 20'000);
}

}  // namespace
}  // namespace truce::rules
