// The Idlib example (examples/idlib-2020): the agreements load with the values
// the facts give, and the towns the facts list fall where they should in the
// (approximate) zones.
#include <gtest/gtest.h>

#include "testing.h"
#include "truce/core/strings.h"

namespace truce::agreement {
namespace {

using testing::Utc;
std::optional<time::Instant> OptUtc(const char* text) { return Utc(text); }

LoadedAgreement Load(const std::string& name) {
  // Paths as a user in the repository root would give them.
  testing::RootedFileSystem disk(TRUCE_SOURCE_DIR);
  auto loaded = LoadAgreementFile("examples/idlib-2020/" + name, disk);
  EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
  return loaded.ok() ? std::move(loaded).value() : LoadedAgreement{};
}

const model::Provision& Provision(const model::Agreement& a, const std::string& id) {
  const model::Provision* p = a.FindProvision(id);
  EXPECT_NE(p, nullptr) << id;
  static const model::Provision kNone;
  return p ? *p : kNone;
}

std::vector<std::string> Acts(const std::vector<model::ActPattern>& acts) {
  std::vector<std::string> out;
  for (const auto& a : acts) out.push_back(a.ToString());
  return out;
}

void ExpectIdlibSides(const model::Agreement& a) {
  ASSERT_EQ(a.sides.size(), 2u);
  EXPECT_EQ(a.sides.at("government").guarantor, "RUS");
  EXPECT_EQ(a.sides.at("government").actor_ids,
            (std::vector<std::string>{"syrian-army", "russian-forces", "pro-government-militias"}));
  EXPECT_EQ(a.sides.at("opposition").guarantor, "TUR");
  EXPECT_EQ(a.sides.at("opposition").actor_ids, (std::vector<std::string>{"turkish-forces", "syrian-national-army"}));
  EXPECT_EQ(a.designated, (std::vector<std::string>{"hts", "turkistan-islamic-party"}));
}

TEST(IdlibExample, AdditionalProtocol) {
  const LoadedAgreement loaded = Load("additional-protocol-2020.yaml");
  const model::Agreement& a = loaded.agreement;
  EXPECT_EQ(a.id, "idlib-2020-protocol");
  EXPECT_EQ(a.parties, (std::vector<std::string>{"RUS", "TUR"}));
  EXPECT_EQ(a.signed_on, *time::ParseIsoDate("2020-03-05"));
  EXPECT_EQ(a.timezone, "Asia/Damascus");
  EXPECT_EQ(a.entry_into_force, Utc("2020-03-05T22:01:00Z"));
  EXPECT_EQ(a.entry_into_force_text, "2020-03-06T00:01 Asia/Damascus");
  EXPECT_FALSE(a.end.has_value());
  EXPECT_EQ(a.amends, "sochi-2018-memorandum");
  EXPECT_EQ(a.supersedes, "");
  EXPECT_EQ(a.countries, std::vector<std::string>{"SYR"});
  EXPECT_EQ(a.source, "PA-X agreement 2273");
  ExpectIdlibSides(a);

  ASSERT_EQ(a.places.size(), 2u);
  EXPECT_EQ(a.places[0].id, "trumba");
  EXPECT_EQ(a.places[0].name, "Trumba");
  EXPECT_EQ(a.places[0].position, (geo::LatLon{35.864, 36.783}));
  EXPECT_TRUE(a.places[0].approximate);
  EXPECT_EQ(a.places[1].name, "Ain al-Havr");
  EXPECT_EQ(a.places[1].position, (geo::LatLon{35.78, 36.18}));
  EXPECT_TRUE(a.places[1].approximate);

  ASSERT_EQ(a.zones.size(), 2u);
  const model::ZoneDef* area = a.FindZone("de-escalation-area");
  ASSERT_NE(area, nullptr);
  EXPECT_EQ(area->zone.shape(), geo::ZoneShape::kPolygon);
  EXPECT_TRUE(area->approximate);
  EXPECT_FALSE(area->note.empty());
  EXPECT_EQ(area->source, "zones/de-escalation-area.geojson");
  const model::ZoneDef* corridor = a.FindZone("m4-corridor");
  ASSERT_NE(corridor, nullptr);
  EXPECT_EQ(corridor->zone.shape(), geo::ZoneShape::kCorridor);
  EXPECT_DOUBLE_EQ(corridor->zone.half_width_m(), 6000);
  EXPECT_TRUE(corridor->approximate);
  ASSERT_EQ(corridor->zone.line().size(), 8u);
  EXPECT_EQ(corridor->zone.line().front(), (geo::LatLon{35.5312, 35.7909}));  // Latakia
  EXPECT_EQ(corridor->zone.line().back(), (geo::LatLon{36.2012, 37.1612}));   // Aleppo

  ASSERT_EQ(a.provisions.size(), 3u);
  const model::Provision& art1 = Provision(a, "art1");
  EXPECT_EQ(art1.kind, model::ProvisionKind::kProhibition);
  EXPECT_EQ(art1.article, "Art. 1");
  EXPECT_EQ(Acts(art1.prohibits),
            (std::vector<std::string>{"Battles", "Explosions/Remote violence", "Violence against civilians"}));
  EXPECT_EQ(art1.by_sides, (std::vector<std::string>{"government", "opposition"}));
  EXPECT_EQ(art1.where, std::vector<std::string>{"de-escalation-area"});
  EXPECT_EQ(art1.from, OptUtc("2020-03-05T22:01:00Z"));
  EXPECT_EQ(art1.from_text, "2020-03-06T00:01 Asia/Damascus");
  ASSERT_EQ(art1.except.size(), 1u);
  EXPECT_TRUE(art1.except[0].against_designated);

  const model::Provision& art2 = Provision(a, "art2");
  EXPECT_EQ(art2.kind, model::ProvisionKind::kObligation);
  EXPECT_EQ(art2.obligation, model::ObligationKind::kOther);
  EXPECT_EQ(art2.obligated, (std::vector<std::string>{"RUS", "TUR"}));
  EXPECT_EQ(art2.due, OptUtc("2020-03-12T22:00:00Z"));
  EXPECT_NE(art2.note.find("in force on 13 March"), std::string::npos) << art2.note;

  const model::Provision& art3 = Provision(a, "art3");
  EXPECT_EQ(art3.obligation, model::ObligationKind::kJointPatrol);
  EXPECT_EQ(art3.obligated, (std::vector<std::string>{"RUS", "TUR"}));
  EXPECT_EQ(art3.along, "m4-corridor");
  EXPECT_EQ(art3.route_from_place, "Trumba");
  EXPECT_EQ(art3.route_to_place, "Ain al-Havr");
  EXPECT_EQ(art3.route_from, (std::optional<geo::LatLon>{{35.864, 36.783}}));
  EXPECT_EQ(art3.route_to, (std::optional<geo::LatLon>{{35.78, 36.18}}));
  EXPECT_EQ(art3.from, OptUtc("2020-03-14T22:00:00Z"));
  EXPECT_EQ(Acts(art3.evidence.acts), std::vector<std::string>{"Strategic developments"});
  EXPECT_EQ(art3.evidence.notes_contain, std::vector<std::string>{"patrol"});
  EXPECT_DOUBLE_EQ(art3.met_fraction, 0.9);

  std::vector<std::string> files;
  for (const auto& f : loaded.files) files.push_back(f.first);
  EXPECT_EQ(files, (std::vector<std::string>{"examples/idlib-2020/additional-protocol-2020.yaml", "actors.yaml",
                                             "zones/de-escalation-area.geojson", "zones/m4.geojson"}));
  EXPECT_EQ(loaded.actors.size(), 8u);
}

TEST(IdlibExample, SochiMemorandum) {
  const LoadedAgreement loaded = Load("sochi-memorandum-2018.yaml");
  const model::Agreement& a = loaded.agreement;
  EXPECT_EQ(a.id, "sochi-2018-memorandum");
  EXPECT_EQ(a.signed_on, *time::ParseIsoDate("2018-09-17"));
  EXPECT_EQ(a.entry_into_force, Utc("2018-09-16T21:00:00Z"));  // 00:00 in Damascus, on summer time (UTC+3)
  EXPECT_EQ(a.source, "PA-X agreement 2169");
  EXPECT_TRUE(a.amends.empty());
  ExpectIdlibSides(a);

  // No prohibition: its "no military operation" clause is Russia's undertaking.
  for (const model::Provision& p : a.provisions) {
    EXPECT_EQ(p.kind, model::ProvisionKind::kObligation) << p.id;
  }
  const model::Provision& status_quo = Provision(a, "status-quo");
  EXPECT_EQ(status_quo.obligation, model::ObligationKind::kOther);
  EXPECT_EQ(status_quo.obligated, std::vector<std::string>{"RUS"});
  EXPECT_FALSE(status_quo.note.empty());

  const model::ZoneDef* dmz = a.FindZone("dmz");
  ASSERT_NE(dmz, nullptr);
  EXPECT_EQ(dmz->zone.shape(), geo::ZoneShape::kBand);
  EXPECT_DOUBLE_EQ(dmz->zone.half_width_m(), 15000);
  EXPECT_TRUE(dmz->approximate);

  const model::Provision& weapons = Provision(a, "withdraw-heavy-weapons");
  EXPECT_EQ(weapons.obligation, model::ObligationKind::kWithdraw);
  EXPECT_EQ(weapons.zone, "dmz");
  EXPECT_EQ(weapons.weapons, (std::vector<std::string>{"tanks", "MLRS", "artillery", "mortars"}));
  EXPECT_EQ(weapons.due, OptUtc("2018-10-09T21:00:00Z"));
  const model::Provision& groups = Provision(a, "withdraw-radical-groups");
  EXPECT_EQ(groups.obligation, model::ObligationKind::kWithdraw);
  EXPECT_EQ(groups.zone, "dmz");
  EXPECT_EQ(groups.due, OptUtc("2018-10-14T21:00:00Z"));
  const model::Provision& patrols = Provision(a, "coordinated-patrols");
  EXPECT_EQ(patrols.obligation, model::ObligationKind::kJointPatrol);
  EXPECT_EQ(patrols.along, "dmz");
  for (const char* id : {"open-m4", "open-m5"}) {
    const model::Provision& road = Provision(a, id);
    EXPECT_EQ(road.obligation, model::ObligationKind::kOpenRoad) << id;
    EXPECT_EQ(road.due, OptUtc("2018-12-31T22:00:00Z")) << id;  // end of 2018, Damascus winter time (UTC+2)
  }
  EXPECT_EQ(Provision(a, "open-m4").along, "m4-road");
  EXPECT_EQ(Provision(a, "open-m5").along, "m5-road");
}

// Towns from the facts' table ([lat, lon]).
struct Town {
  const char* name;
  geo::LatLon at;
};
const Town kLatakia{"Latakia", {35.5312, 35.7909}};
const Town kAinAlHavr{"Ain al-Havr", {35.78, 36.18}};
const Town kJisr{"Jisr al-Shughur", {35.8126, 36.3176}};
const Town kAriha{"Ariha", {35.8167, 36.6000}};
const Town kIdlib{"Idlib", {35.9306, 36.6339}};
const Town kNayrab{"Al-Nayrab", {35.847, 36.740}};
const Town kTrumba{"Trumba", {35.864, 36.783}};
const Town kSaraqib{"Saraqib", {35.8645, 36.8059}};
const Town kMaarat{"Maarat al-Numan", {35.6500, 36.6667}};
const Town kKansafra{"Kansafra", {35.629, 36.519}};
const Town kAleppo{"Aleppo", {36.2012, 37.1612}};

void ExpectIn(const model::ZoneDef& zone, const std::vector<Town>& towns, bool inside) {
  for (const Town& t : towns) {
    EXPECT_EQ(zone.zone.Contains(t.at), inside)
        << t.name << (inside ? " should be in " : " should not be in ") << zone.id << " (distance "
        << zone.zone.DistanceM(t.at) << " m)";
  }
}

TEST(IdlibExample, TownsFallWhereTheyShould) {
  const LoadedAgreement protocol = Load("additional-protocol-2020.yaml");
  const LoadedAgreement sochi = Load("sochi-memorandum-2018.yaml");
  const model::ZoneDef* area = protocol.agreement.FindZone("de-escalation-area");
  const model::ZoneDef* corridor = protocol.agreement.FindZone("m4-corridor");
  const model::ZoneDef* dmz = sochi.agreement.FindZone("dmz");
  const model::ZoneDef* m4 = sochi.agreement.FindZone("m4-road");
  const model::ZoneDef* m5 = sochi.agreement.FindZone("m5-road");
  ASSERT_TRUE(area && corridor && dmz && m4 && m5);

  // The area holds the towns the facts place in it, not the cities at the M4's ends.
  ExpectIn(*area, {kAinAlHavr, kJisr, kAriha, kIdlib, kNayrab, kTrumba, kSaraqib, kMaarat, kKansafra}, true);
  ExpectIn(*area, {kLatakia, kAleppo}, false);
  // The M4 and its corridor pass through the towns on the M4, not the M5's or Idlib city.
  ExpectIn(*corridor, {kLatakia, kAinAlHavr, kJisr, kAriha, kNayrab, kTrumba, kSaraqib, kAleppo}, true);
  ExpectIn(*corridor, {kMaarat, kKansafra, kIdlib}, false);
  ExpectIn(*m4, {kLatakia, kAinAlHavr, kJisr, kAriha, kNayrab, kTrumba, kSaraqib, kAleppo}, true);
  ExpectIn(*m5, {kAleppo, kSaraqib, kMaarat}, true);
  ExpectIn(*m5, {kAriha, kIdlib, kJisr}, false);
  // "Trumba, 2 km west of Saraqib".
  EXPECT_NEAR(geo::GeodesicDistanceM(kTrumba.at, kSaraqib.at), 2000, 300);
  // The patrol route's ends lie on the M4 line itself.
  const model::Provision* art3 = protocol.agreement.FindProvision("art3");
  ASSERT_NE(art3, nullptr);
  const geo::Zone m4_line = geo::Zone::MakeCorridor(corridor->zone.line(), 1);
  EXPECT_EQ(m4_line.DistanceM(*art3->route_from), 0);
  EXPECT_EQ(m4_line.DistanceM(*art3->route_to), 0);

  // The DMZ: near the southern front, not deep inside around Idlib city; and
  // inside the de-escalation area everywhere (sampled every ~1 km).
  ExpectIn(*dmz, {kKansafra, kMaarat}, true);
  ExpectIn(*dmz, {kIdlib, kLatakia, kAleppo}, false);
  int in_dmz = 0;
  const geo::BBox& box = dmz->zone.bbox();
  for (double lat = box.min_lat_deg; lat <= box.max_lat_deg; lat += 0.01) {
    for (double lon = box.min_lon_deg; lon <= box.max_lon_deg; lon += 0.01) {
      const geo::LatLon p{lat, lon};
      if (!dmz->zone.Contains(p)) continue;
      ++in_dmz;
      // A point exactly on the shared edge counts for both (CLOSED boundary).
      EXPECT_TRUE(area->zone.Contains(p) || area->zone.DistanceM(p) < 1.0) << lat << ", " << lon;
    }
  }
  EXPECT_GT(in_dmz, 1000);
}

// The example's actors: ids, ACLED names, designations left open where the
// facts give no date.
TEST(IdlibExample, Actors) {
  const LoadedAgreement loaded = Load("additional-protocol-2020.yaml");
  std::vector<std::string> ids;
  for (const model::Actor& a : loaded.actors) ids.push_back(a.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"syrian-army", "russian-forces", "pro-government-militias",
                                           "turkish-forces", "syrian-national-army", "hts",
                                           "turkistan-islamic-party", "civilians"}));
  for (const model::Actor& a : loaded.actors) {
    EXPECT_EQ(a.pos.file, "examples/idlib-2020/actors.yaml") << a.id;
    const bool designated = a.id == "hts" || a.id == "turkistan-islamic-party";
    ASSERT_EQ(a.designations.size(), designated ? 1u : 0u) << a.id;
    if (!designated) continue;
    EXPECT_EQ(a.designations[0].by, "UNSC");
    EXPECT_EQ(a.designations[0].as, "terrorist");
    EXPECT_FALSE(a.designations[0].from.has_value()) << a.id << ": no date in the facts";
    EXPECT_TRUE(a.designations[0].ValidOn(*time::ParseIsoDate("2020-03-06")));
  }
}

}  // namespace
}  // namespace truce::agreement
