#include "gis.h"

#include <cstdio>
#include <string>
#include <vector>

#include "pg_db.h"
#include "schema.h"
#include "truce/agreement/agreement.h"
#include "truce/geo/geo.h"

namespace truce::store::gis {
namespace {

// The point of a row, typed so that QGIS (geometry_columns) reads its kind and
// SRID from the view. The expression index on `incidents` is on exactly this
// expression, so that the planner uses it through the view.
#define TRUCE_GIS_POINT(lon, lat) \
  "CAST(ST_SetSRID(ST_MakePoint(" lon ", " lat "), 4326) AS geometry(Point, 4326))"

const char* const kLayerStatements[] = {
    "CREATE INDEX IF NOT EXISTS incidents_geom ON incidents USING GIST ((" TRUCE_GIS_POINT("lon_deg", "lat_deg") "))",

    // One row per report (the table `incidents` holds reports); incident_id
    // is the reconciled incident it belongs to (its own id when it leads one).
    "CREATE OR REPLACE VIEW gis_incidents AS SELECT i.id, COALESCE(m.incident_id, i.id) AS incident_id,"
    " i.dataset, i.source_id, i.first_day, i.last_day, i.date_precision, "
    TRUCE_INCIDENT_TEXT_AS("i", "event_type") ", " TRUCE_INCIDENT_TEXT_AS("i", "sub_event_type") ", "
    TRUCE_INCIDENT_TEXT_AS("i", "actor1") ", " TRUCE_INCIDENT_TEXT_AS("i", "actor2") ", "
    TRUCE_INCIDENT_TEXT_AS("i", "country") ", " TRUCE_INCIDENT_TEXT_AS("i", "admin1") ", "
    TRUCE_INCIDENT_TEXT_AS("i", "admin2") ", " TRUCE_INCIDENT_TEXT_AS("i", "location")
    ", i.lat_deg, i.lon_deg, i.uncertainty_m, i.fatalities, " TRUCE_INCIDENT_TEXT_AS("i", "source") ", "
    TRUCE_INCIDENT_NOTES_SQL("i") " AS notes, " TRUCE_GIS_POINT("i.lon_deg", "i.lat_deg") " AS geom"
    " FROM incidents AS i LEFT JOIN reconciled_members AS m ON m.report_id = i.id",

    // The findings carry the estimate they were ruled on (schema version 6):
    // their point, not the report row's. No spatial index: every `truce rule`
    // rewrites them all, and an index would be rebuilt with them.
    "CREATE OR REPLACE VIEW gis_findings AS SELECT f.id, f.incident_id, f.agreement_id, f.provision_id,"
    " f.status, f.side, f.guarantor, f.actor_id, f.zone_id, f.distance_m, f.confidence, f.reason,"
    " f.first_day, f.last_day, f.location, f.admin1, f.event_type, f.sub_event_type, f.actor1, f.actor2,"
    " f.fatalities, f.support, f.sources, f.lat_deg, f.lon_deg, " TRUCE_GIS_POINT("f.lon_deg", "f.lat_deg") " AS geom"
    " FROM findings AS f",

    "CREATE TABLE IF NOT EXISTS gis_zones ("
    " id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    " agreement_id TEXT COLLATE \"C\" NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,"
    " zone_id TEXT COLLATE \"C\" NOT NULL,"
    " name TEXT NOT NULL,"
    " shape TEXT NOT NULL,"           // polygon, corridor, band, circle (geo::ZoneShapeName)
    " width_m DOUBLE PRECISION NOT NULL,"  // corridor half-width, band width, circle radius; 0 for polygons
    " band_side TEXT,"                // left or right of the line's direction, for bands
    " approximate BOOLEAN NOT NULL,"
    " note TEXT NOT NULL,"
    " source TEXT NOT NULL,"          // the GeoJSON file it came from, if any
    " geom geometry(MultiPolygon, 4326) NOT NULL,"  // the outline, as the dashboard's map draws it
    " axis geometry(Geometry, 4326) NOT NULL,"      // what the rules measure from
    " UNIQUE (agreement_id, zone_id))",
    "CREATE INDEX IF NOT EXISTS gis_zones_geom ON gis_zones USING GIST (geom)",
    "CREATE INDEX IF NOT EXISTS gis_zones_axis ON gis_zones USING GIST (axis)",
};

#undef TRUCE_GIS_POINT

void AppendPoint(geo::LatLon p, std::string* out) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g %.17g", p.lon_deg, p.lat_deg);
  out->append(buf);
}

void AppendRing(const geo::Ring& ring, std::string* out) {
  out->push_back('(');
  for (size_t k = 0; k < ring.size(); ++k) {
    if (k > 0) out->append(", ");
    AppendPoint(ring[k], out);
  }
  out->push_back(')');
}

std::string MultiPolygonWkt(const std::vector<geo::Polygon>& polygons) {
  if (polygons.empty()) return "MULTIPOLYGON EMPTY";
  std::string out = "MULTIPOLYGON(";
  for (size_t k = 0; k < polygons.size(); ++k) {
    if (k > 0) out.append(", ");
    out.push_back('(');
    AppendRing(polygons[k].outer, &out);
    for (const geo::Ring& hole : polygons[k].holes) {
      out.append(", ");
      AppendRing(hole, &out);
    }
    out.push_back(')');
  }
  out.push_back(')');
  return out;
}

// What the rules measure from: the polygons themselves, a corridor's or a
// band's centre line (a one-point line is a point), a circle's centre.
std::string AxisWkt(const geo::Zone& zone) {
  std::string out;
  switch (zone.shape()) {
    case geo::ZoneShape::kPolygon:
      return MultiPolygonWkt(zone.polygons());
    case geo::ZoneShape::kCircle:
      out = "POINT(";
      AppendPoint(zone.center(), &out);
      return out + ")";
    case geo::ZoneShape::kCorridor:
    case geo::ZoneShape::kBand: {
      const geo::LineString& line = zone.line();
      if (line.empty()) return "LINESTRING EMPTY";
      if (line.size() == 1) {
        out = "POINT(";
        AppendPoint(line[0], &out);
        return out + ")";
      }
      AppendRing(line, &out);
      return "LINESTRING" + out;
    }
  }
  return "GEOMETRYCOLLECTION EMPTY";
}

Status InsertZones(sql::Db& db, const StoredAgreement& a) {
  auto loaded = agreement::ReloadAgreement(a.files);
  if (!loaded.ok()) return Status::Ok();  // not an agreement truce could rule with: no zones to show
  const std::string what = "storing the zones of agreement '" + a.id + "' as PostGIS geometries";
  // Prepared for this call, not cached: the table may be created and dropped
  // (a rolled-back transaction) on this connection.
  TRUCE_ASSIGN_OR_RETURN(sql::Stmt ins_stmt,
                         db.Prepare("INSERT INTO gis_zones (agreement_id, zone_id, name, shape, width_m, band_side, "
                                   "approximate, note, source, geom, axis) VALUES (?, ?, ?, ?, ?, ?, "
                                   "CAST(? AS boolean), ?, ?, ST_Multi(ST_GeomFromText(?, 4326)), "
                                   "ST_GeomFromText(?, 4326))",
                                   what));
  sql::Stmt* ins = &ins_stmt;
  for (const model::ZoneDef& z : loaded->agreement.zones) {
    sql::ScopedReset reset(ins);
    const geo::Zone& zone = z.zone;
    ins->Bind(1, a.id);
    ins->Bind(2, z.id);
    ins->Bind(3, z.name.empty() ? z.id : z.name);
    ins->Bind(4, geo::ZoneShapeName(zone.shape()));
    ins->Bind(5, zone.shape() == geo::ZoneShape::kPolygon ? 0.0 : zone.half_width_m());
    if (zone.shape() == geo::ZoneShape::kBand) {
      ins->Bind(6, zone.band_side() == geo::BandSide::kLeft ? "left" : "right");
    } else {
      ins->BindNull(6);
    }
    ins->Bind(7, z.approximate ? "true" : "false");
    ins->Bind(8, z.note);
    ins->Bind(9, z.source);
    ins->Bind(10, MultiPolygonWkt(geo::ZoneOutline(zone)));
    ins->Bind(11, AxisWkt(zone));
    TRUCE_RETURN_IF_ERROR(ins->Run(what + ", zone '" + z.id + "'"));
  }
  return Status::Ok();
}

Result<bool> QueryBool(sql::Db& db, const char* sql, const char* what) {
  TRUCE_ASSIGN_OR_RETURN(sql::Stmt s, db.Prepare(sql, what));
  TRUCE_ASSIGN_OR_RETURN(bool row, s.Step(what));
  return row && !s.IsNull(0) && s.Int(0) != 0;
}

// Creates the extension and the layers; any failure (a role that may not
// create the extension, or objects in a schema it may not write) leaves them
// off, and the transaction as it was.
Result<bool> CreateLayers(sql::Db& db) {
  const char* what = "setting up the PostGIS layers";
  TRUCE_ASSIGN_OR_RETURN(bool installed, QueryBool(db,
                                                   "SELECT CAST(EXISTS (SELECT 1 FROM pg_extension WHERE extname = "
                                                   "'postgis') AS integer)",
                                                   what));
  if (!installed) {
    TRUCE_ASSIGN_OR_RETURN(bool available, QueryBool(db,
                                                     "SELECT CAST(EXISTS (SELECT 1 FROM pg_available_extensions "
                                                     "WHERE name = 'postgis') AS integer)",
                                                     what));
    if (!available) return false;
  }
  TRUCE_RETURN_IF_ERROR(db.Exec("SAVEPOINT truce_gis", what));
  Status s = installed ? Status::Ok() : db.Exec("CREATE EXTENSION IF NOT EXISTS postgis", what);
  for (const char* statement : kLayerStatements) {
    if (!s.ok()) break;
    s = db.Exec(statement, what);
  }
  if (!s.ok()) {
    TRUCE_RETURN_IF_ERROR(db.Exec("ROLLBACK TO SAVEPOINT truce_gis", what));
    TRUCE_RETURN_IF_ERROR(db.Exec("RELEASE SAVEPOINT truce_gis", what));
    return false;
  }
  TRUCE_RETURN_IF_ERROR(db.Exec("RELEASE SAVEPOINT truce_gis", what));
  return true;
}

}  // namespace

bool OnPostgres(sql::Db& db) { return dynamic_cast<pg::PgDb*>(&db) != nullptr; }

Result<bool> LayersOn(sql::Db& db) {
  if (!OnPostgres(db)) return false;
  return QueryBool(db, "SELECT CAST(to_regclass('gis_zones') IS NOT NULL AS integer)",
                   "checking for the PostGIS layers");
}

Result<bool> EnsureLayers(sql::Db& db, const std::vector<StoredAgreement>& agreements) {
  if (!OnPostgres(db)) return false;
  TRUCE_ASSIGN_OR_RETURN(bool on, CreateLayers(db));
  if (!on) return false;
  TRUCE_RETURN_IF_ERROR(db.Exec("DELETE FROM gis_zones", "rebuilding the PostGIS zones"));
  for (const StoredAgreement& a : agreements) TRUCE_RETURN_IF_ERROR(InsertZones(db, a));
  return true;
}

Status PutZones(sql::Db& db, const StoredAgreement& agreement) {
  TRUCE_ASSIGN_OR_RETURN(bool on, LayersOn(db));
  return on ? InsertZones(db, agreement) : Status::Ok();
}

}  // namespace truce::store::gis
