// The PostGIS layers (gis.h) on the real PostgreSQL test server, whose
// template database has PostGIS (tests/pglib.py): incidents' points equal
// their lat/lon after insert and update and are found through the GiST index;
// the zones of the Idlib example's agreements, queried with ST_Covers and
// ST_DWithin, contain exactly the incidents truce's zones and its ruler put
// in them; replacing an agreement replaces its zones; truce copy fills them;
// a database whose role may not create PostGIS keeps working without layers;
// SQLite has none.
#include <unistd.h>

#include <cmath>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "gis.h"
#include "test_db.h"
#include "truce/agreement/agreement.h"
#include "truce/core/env.h"
#include "truce/core/sha256.h"
#include "truce/rules/rules.h"
#include "truce/store/copy.h"
#include "truce/store/store.h"

namespace truce::store {
namespace {

using testdb::ParamName;

using testdb::Engine;
using testdb::TestDatabase;

std::string Example(const std::string& file) {
  return std::string(TRUCE_SOURCE_DIR) + "/examples/idlib-2020/" + file;
}

agreement::LoadedAgreement LoadExample(const std::string& file) {
  RealFileSystem fs;
  auto la = agreement::LoadAgreementFile(Example(file), fs);
  EXPECT_TRUE(la.ok()) << la.status().ToString();
  return la.ok() ? *std::move(la) : agreement::LoadedAgreement{};
}

StoredAgreement Stored(const agreement::LoadedAgreement& la) {
  return StoredAgreement{la.agreement.id, la.agreement.title, la.agreement.source_file, la.agreement.content_hash,
                         la.files, "2024-01-01T00:00:00Z"};
}

std::unique_ptr<Store> OpenMigrated(const std::string& db) {
  auto s = OpenStore(db);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  if (!s.ok()) return nullptr;
  Status m = (*s)->Migrate();
  EXPECT_TRUE(m.ok()) << m.ToString();
  return std::move(s).value();
}

// Stores one report at `p` (in its own transaction); returns its id. Its
// notes are kept as their place in the raw record (schema 10).
std::int64_t AddReport(Store& store, geo::LatLon p, int n) {
  model::SourceRecord rec;
  rec.dataset = "acled";
  rec.source_file = "grid.csv";
  rec.file_hash = Sha256Hex("grid.csv");
  rec.row = n;
  rec.raw = "grid point " + std::to_string(n) + ",\"the \"\"grid\"\" point's notes " + std::to_string(n) + "\"";
  rec.content_hash = Sha256Hex(rec.raw);
  auto id = store.InsertSourceRecord(rec);
  EXPECT_TRUE(id.ok() && id->has_value()) << id.status().ToString();
  model::Report rep;
  rep.record_id = id.ok() && id->has_value() ? **id : 0;
  rep.dataset = "acled";
  rep.source_id = "G" + std::to_string(n);
  rep.time.first_day = rep.time.last_day = *time::ParseIsoDate("2020-03-10");
  rep.location = "grid " + std::to_string(n);
  rep.point = p;
  rep.event_type = "Explosions/Remote violence";
  rep.sub_event_type = "Shelling/artillery/missile attack";
  rep.actor1 = "Military Forces of Syria (2000-)";
  rep.notes = "the \"grid\" point's notes " + std::to_string(n);
  auto rid = store.InsertReports({&rep}, {rec.raw});
  EXPECT_TRUE(rid.ok()) << rid.status().ToString();
  return rid.ok() ? rid->front() : 0;
}

// Every row of a query, its columns joined by '|'.
std::vector<std::string> Rows(const TestDatabase& tdb, const std::string& sql, const std::string& setup = "") {
  std::vector<std::string> out;
  auto db = tdb.Connect();
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  if (!db.ok()) return out;
  if (!setup.empty()) { EXPECT_TRUE((*db)->Exec(setup, "test set-up").ok()); }
  auto s = (*db)->Prepare(sql, "test query");
  EXPECT_TRUE(s.ok()) << s.status().ToString() << "\n" << sql;
  if (!s.ok()) return out;
  for (;;) {
    auto row = s->Step("test query");
    EXPECT_TRUE(row.ok()) << row.status().ToString() << "\n" << sql;
    if (!row.ok() || !*row) break;
    std::string line;
    for (int c = 0; c < s->ColumnCount(); ++c) {
      if (c > 0) line += "|";
      line += s->IsNull(c) ? "<null>" : std::string(s->TextView(c));
    }
    out.push_back(line);
  }
  return out;
}

std::string One(const TestDatabase& tdb, const std::string& sql) {
  auto t = tdb.QueryText(sql);
  EXPECT_TRUE(t.ok()) << t.status().ToString() << "\n" << sql;
  return t.ok() ? *t : "";
}

// The PostgreSQL tests: instantiated as "Postgres" so that CTest runs them
// on the fixture's server (truce_pg).
class GisPgTest : public ::testing::TestWithParam<Engine> {};

TEST(GisLayersTest, SqliteHasNoLayersAndWorksAsBefore) {
  TestDatabase tdb(Engine::kSqlite, "gis_sqlite");
  auto store = OpenMigrated(tdb.db());
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->PutAgreement(Stored(LoadExample("sochi-memorandum-2018.yaml"))).ok());
  EXPECT_EQ(One(tdb, "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'gis_%'"), "0");
}

TEST_P(GisPgTest, IncidentPointsEqualLatLonAfterInsertAndUpdateAndUseTheIndex) {
  TestDatabase tdb(GetParam(), "gis_points");
  auto store = OpenMigrated(tdb.db());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(One(tdb, "SELECT extname FROM pg_extension WHERE extname = 'postgis'"), "postgis")
      << "the test server's template database should have PostGIS (tests/pglib.py)";
  const std::int64_t a = AddReport(*store, {35.86, 36.8}, 1);
  const std::int64_t b = AddReport(*store, {-33.5, -70.25}, 2);
  auto check = [&](std::int64_t id, double lat, double lon) {
    std::vector<std::string> r = Rows(tdb, "SELECT ST_Y(geom), ST_X(geom), ST_SRID(geom), GeometryType(geom), "
                                           "lat_deg, lon_deg FROM gis_incidents WHERE id = " +
                                               std::to_string(id));
    ASSERT_EQ(r.size(), 1u);
    auto v = [&](int k) {
      std::string s = r[0];
      for (int i = 0; i < k; ++i) s = s.substr(s.find('|') + 1);
      return s.substr(0, s.find('|'));
    };
    EXPECT_DOUBLE_EQ(std::stod(v(0)), lat);
    EXPECT_DOUBLE_EQ(std::stod(v(1)), lon);
    EXPECT_EQ(v(2), "4326");
    EXPECT_EQ(v(3), "POINT");
    EXPECT_DOUBLE_EQ(std::stod(v(4)), lat);
    EXPECT_DOUBLE_EQ(std::stod(v(5)), lon);
  };
  check(a, 35.86, 36.8);
  check(b, -33.5, -70.25);
  // The notes as the store reads them, not the column's ''.
  EXPECT_EQ(One(tdb, "SELECT notes FROM gis_incidents WHERE id = " + std::to_string(b)), "the \"grid\" point's notes 2");
  EXPECT_EQ(One(tdb, "SELECT notes || '|' || notes_at FROM incidents WHERE id = " + std::to_string(b)), "|14");
  // The text values as the store reads them, not the columns' '' (schema 11).
  EXPECT_EQ(One(tdb, "SELECT location || '|' || actor1 || '|' || event_type || '|' || sub_event_type || '|' || "
                     "admin1 || '|' FROM gis_incidents WHERE id = " +
                         std::to_string(b)),
            "grid 2|Military Forces of Syria (2000-)|Explosions/Remote violence|Shelling/artillery/missile attack||");
  EXPECT_EQ(One(tdb, "SELECT location || '|' || (location_ref IS NOT NULL) FROM incidents WHERE id = " +
                         std::to_string(b)),
            "|true");
  // Behind the store's back, as an analyst's SQL would: the point follows.
  ASSERT_TRUE(tdb.Exec("UPDATE incidents SET lat_deg = 36.01, lon_deg = 36.52 WHERE id = " + std::to_string(a)).ok());
  check(a, 36.01, 36.52);
  // QGIS reads the layer's kind and SRID from geometry_columns.
  EXPECT_EQ(One(tdb, "SELECT type || ' ' || srid FROM geometry_columns WHERE f_table_name = 'gis_incidents'"),
            "POINT 4326");
  // A box query through the view reaches the GiST index on incidents.
  std::vector<std::string> plan =
      Rows(tdb, "EXPLAIN SELECT id FROM gis_incidents WHERE geom && ST_MakeEnvelope(36, 35, 37, 37, 4326)",
           "SET enable_seqscan = off");
  std::string joined;
  for (const auto& l : plan) joined += l + "\n";
  EXPECT_NE(joined.find("incidents_geom"), std::string::npos) << joined;
  std::vector<std::string> in_box =
      Rows(tdb, "SELECT id FROM gis_incidents WHERE geom && ST_MakeEnvelope(36, 35, 37, 37, 4326) ORDER BY id");
  EXPECT_EQ(in_box, std::vector<std::string>{std::to_string(a)});
}

// The grid of points over the Idlib example's zones, each with the (agreement,
// zone) pairs truce's zones contain it in; points within `kMarginM` of an edge
// are left out (PostGIS measures polygons in the plane and lines on the
// spheroid; truce its own way: the two may differ by metres at an edge).
constexpr double kMarginM = 300;

TEST_P(GisPgTest, ZonesContainTheIncidentsTruceRulesInThem) {
  TestDatabase tdb(GetParam(), "gis_zones");
  auto store = OpenMigrated(tdb.db());
  ASSERT_NE(store, nullptr);
  std::vector<agreement::LoadedAgreement> las = {LoadExample("sochi-memorandum-2018.yaml"),
                                                  LoadExample("additional-protocol-2020.yaml")};
  for (const auto& la : las) ASSERT_TRUE(store->PutAgreement(Stored(la)).ok());

  // The zones table: one row per zone, each shape with its axis and width.
  std::size_t zones = 0;
  for (const auto& la : las) zones += la.agreement.zones.size();
  EXPECT_EQ(One(tdb, "SELECT COUNT(*) FROM gis_zones"), std::to_string(zones));
  EXPECT_EQ(One(tdb, "SELECT GeometryType(axis) || ' ' || width_m FROM gis_zones WHERE agreement_id = "
                     "'idlib-2020-protocol' AND zone_id = 'm4-corridor'"),
            "LINESTRING 6000");
  EXPECT_EQ(One(tdb, "SELECT COUNT(*) FROM gis_zones WHERE NOT ST_IsValid(geom) OR ST_IsEmpty(geom)"), "0");

  // Points every 0.07 degrees over the area, ruled by truce's zones.
  std::set<std::tuple<std::int64_t, std::string, std::string>> expected;
  std::vector<std::pair<std::int64_t, geo::LatLon>> points;
  int n = 0;
  ASSERT_TRUE(store->Begin().ok());
  for (double lat = 35.0; lat <= 36.7; lat += 0.07) {
    for (double lon = 35.8; lon <= 37.4; lon += 0.07) {
      const geo::LatLon p{lat, lon};
      bool near_edge = false;
      std::vector<std::pair<std::string, std::string>> in;
      for (const auto& la : las) {
        for (const model::ZoneDef& z : la.agreement.zones) {
          geo::ZoneRelation r = z.zone.Relate(p, 0);
          if (r.edge_distance_m < kMarginM) near_edge = true;
          if (r.center_inside) in.emplace_back(la.agreement.id, z.id);
        }
      }
      if (near_edge) continue;
      const std::int64_t id = AddReport(*store, p, ++n);
      points.emplace_back(id, p);
      for (const auto& [ag, zone] : in) expected.emplace(id, ag, zone);
    }
  }
  ASSERT_TRUE(store->Commit().ok());
  ASSERT_GT(points.size(), 200u);

  // Polygons contain the point (ST_Covers, in the plane of lon/lat, as truce
  // takes them); corridors and circles are their axis and width (ST_DWithin
  // on the spheroid); a band is on one side of its line: its outline.
  std::set<std::tuple<std::int64_t, std::string, std::string>> got;
  for (const std::string& row :
       Rows(tdb, "SELECT i.id, z.agreement_id, z.zone_id FROM gis_incidents AS i JOIN gis_zones AS z ON "
                 "CASE z.shape WHEN 'polygon' THEN ST_Covers(z.axis, i.geom) "
                 "WHEN 'band' THEN ST_Covers(z.geom, i.geom) "
                 "ELSE ST_DWithin(z.axis::geography, i.geom::geography, z.width_m) END")) {
    const auto a = row.find('|'), b = row.rfind('|');
    got.emplace(std::stoll(row.substr(0, a)), row.substr(a + 1, b - a - 1), row.substr(b + 1));
  }
  EXPECT_EQ(got, expected);
  EXPECT_GT(expected.size(), 50u);  // the grid reaches into the zones

  // truce's ruler: every incident it rules inside a prohibition's zone is a
  // pair the layers give, and every pair the layers give for a zone some
  // prohibition uses is one the ruler rules inside.
  auto ruler = rules::Ruler::Build(las);
  ASSERT_TRUE(ruler.ok()) << ruler.status().ToString();
  std::set<std::pair<std::string, std::string>> ruled_zones;
  for (const rules::ActiveProvision& ap : (*ruler)->prohibitions()) {
    for (const model::ZoneDef* z : ap.zones) ruled_zones.emplace(ap.agreement->id, z->id);
  }
  ASSERT_FALSE(ruled_zones.empty());
  std::set<std::tuple<std::int64_t, std::string, std::string>> ruled, layered;
  for (const auto& [id, p] : points) {
    model::Report r;
    r.id = id;
    r.time.first_day = r.time.last_day = *time::ParseIsoDate("2020-03-10");
    r.point = p;
    r.event_type = "Explosions/Remote violence";
    r.sub_event_type = "Shelling/artillery/missile attack";
    r.actor1 = "Military Forces of Syria (2000-)";
    std::vector<rules::Decision> decisions;
    (*ruler)->Decide(rules::IncidentView::Of(r), &decisions);
    for (const rules::Decision& d : decisions) {
      if (d.zone != nullptr && d.center_inside) {
        ruled.emplace(id, (*ruler)->prohibitions()[d.prohibition].agreement->id, d.zone->id);
      }
    }
  }
  for (const auto& t : got) {
    if (ruled_zones.count({std::get<1>(t), std::get<2>(t)}) > 0) layered.insert(t);
  }
  EXPECT_FALSE(ruled.empty());
  EXPECT_EQ(ruled, layered);

  // Findings as a layer: QGIS's key is `id`; the point is the finding's own.
  EXPECT_EQ(One(tdb, "SELECT type || ' ' || srid FROM geometry_columns WHERE f_table_name = 'gis_findings'"),
            "POINT 4326");
}

TEST_P(GisPgTest, ReplacingAnAgreementReplacesItsZonesAndCopyFillsThem) {
  TestDatabase tdb(GetParam(), "gis_replace");
  auto store = OpenMigrated(tdb.db());
  ASSERT_NE(store, nullptr);
  agreement::LoadedAgreement sochi = LoadExample("sochi-memorandum-2018.yaml");
  ASSERT_TRUE(store->PutAgreement(Stored(sochi)).ok());
  const std::string n = std::to_string(sochi.agreement.zones.size());
  EXPECT_EQ(One(tdb, "SELECT COUNT(*) FROM gis_zones"), n);
  ASSERT_TRUE(store->PutAgreement(Stored(sochi)).ok());  // replaced: not doubled
  EXPECT_EQ(One(tdb, "SELECT COUNT(*) FROM gis_zones"), n);
  // Files that do not parse (only tests store such): the agreement is stored,
  // without zones.
  StoredAgreement broken = Stored(sochi);
  broken.files = {{"b.yaml", "id: [not an agreement"}};
  ASSERT_TRUE(store->PutAgreement(broken).ok());
  EXPECT_EQ(One(tdb, "SELECT COUNT(*) FROM gis_zones"), "0");
  ASSERT_TRUE(store->PutAgreement(Stored(sochi)).ok());
  // Zones edited behind the store's back are rebuilt by the next `truce init`.
  ASSERT_TRUE(tdb.Exec("DELETE FROM gis_zones").ok());
  ASSERT_TRUE(store->Migrate().ok());
  EXPECT_EQ(One(tdb, "SELECT COUNT(*) FROM gis_zones"), n);
  AddReport(*store, {35.86, 36.8}, 1);
  store.reset();

  // Out to SQLite and back into another PostgreSQL database: verified, and the
  // zones there are the agreements'.
  TestDatabase lite(Engine::kSqlite, "gis_copy");
  TestDatabase back(Engine::kPostgres, "gis_copy_back");
  auto out = CopyDatabase(tdb.db(), lite.db(), {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(out->ok());
  auto in = CopyDatabase(lite.db(), back.db(), {});
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  EXPECT_TRUE(in->ok());
  EXPECT_EQ(One(back, "SELECT COUNT(*) FROM gis_zones"), n);
  EXPECT_EQ(One(back, "SELECT COUNT(*) FROM gis_incidents"), "1");
}

TEST_P(GisPgTest, WithoutPostgisWorksWithoutLayers) {
  // A database without the extension, owned by a role that may not create it
  // (PostGIS is not a trusted extension): as on a server where only the DBA
  // installs extensions.
  TestDatabase tdb(GetParam(), "gis_none");
  const std::string role = "truce_nogis_" + std::to_string(getpid());
  (void)tdb.Exec("DROP ROLE IF EXISTS " + role);
  ASSERT_TRUE(tdb.Exec("DROP EXTENSION postgis; CREATE ROLE " + role + " LOGIN").ok());
  const std::string dbname = tdb.db().substr(tdb.db().rfind('/') + 1);
  ASSERT_TRUE(tdb.Exec("ALTER DATABASE \"" + dbname + "\" OWNER TO " + role).ok());
  std::string url = tdb.db();
  const auto at = url.find('@'), scheme = url.find("://");
  ASSERT_NE(at, std::string::npos);
  url = url.substr(0, scheme + 3) + role + url.substr(at);
  {
    auto store = OpenMigrated(url);
    ASSERT_NE(store, nullptr);
    auto sochi = LoadExample("sochi-memorandum-2018.yaml");
    EXPECT_TRUE(store->PutAgreement(Stored(sochi)).ok());
    AddReport(*store, {35.86, 36.8}, 1);
    auto count = store->CountReports();
    EXPECT_TRUE(count.ok() && *count == 1);
    EXPECT_TRUE(store->Migrate().ok());  // again: still fine, still off
    auto evidence = store->VerifyEvidence();
    ASSERT_TRUE(evidence.ok());
    EXPECT_TRUE(evidence->intact());
  }
  EXPECT_EQ(One(tdb, "SELECT COUNT(*) FROM pg_extension WHERE extname = 'postgis'"), "0");
  EXPECT_EQ(One(tdb, "SELECT COUNT(*) FROM pg_class WHERE relname LIKE 'gis_%'"), "0");
  EXPECT_EQ(One(tdb, "SELECT COUNT(*) FROM agreements"), "1");
  // And it copies out as any other.
  TestDatabase lite(Engine::kSqlite, "gis_none_copy");
  auto out = CopyDatabase(url, lite.db(), {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(out->ok());
  (void)tdb.Exec("REASSIGN OWNED BY " + role + " TO postgres");
  (void)tdb.Exec("ALTER DATABASE \"" + dbname + "\" OWNER TO postgres");
  (void)tdb.Exec("DROP OWNED BY " + role);
  (void)tdb.Exec("DROP ROLE " + role);
}

INSTANTIATE_TEST_SUITE_P(Postgres, GisPgTest, ::testing::Values(Engine::kPostgres), ParamName);

}  // namespace
}  // namespace truce::store
