// PostGIS layers of a PostgreSQL store (docs/design.md, "GIS layers"): where
// the server has the PostGIS extension (installed in the database, or
// installable by the role), the store also keeps incidents, findings and the
// agreements' zones as geometries (SRID 4326) with GiST indexes, so that QGIS
// or any GIS opens them as layers:
//   gis_incidents  a view of `incidents` (one row per report, key `id`) with
//                  `geom` = the point (lon_deg, lat_deg), backed by an
//                  expression GiST index on `incidents`: it can never
//                  disagree with lat/lon, and copies, hashes and the evidence
//                  log see the tables exactly as on SQLite;
//   gis_findings   a view of `findings` (key `id`) with `geom` = the point
//                  the finding was ruled on (the incident's estimate);
//   gis_zones      a table (key `id`) of each stored agreement's zones:
//                  `geom` the outline to draw (MultiPolygon), `axis` what the
//                  rules measure from (the polygons; a corridor's or band's
//                  centre line; a circle's centre) and `width_m`; kept in step
//                  by PutAgreement (its rows go with the agreement's, by a
//                  cascade) and rebuilt by Migrate (`truce init`, truce copy).
// Nothing of this is part of the schema versions: a database without PostGIS
// is the same database, and SQLite never has these objects. Private to the
// store module.
#pragma once

#include "sql.h"
#include "truce/core/status.h"
#include "truce/store/store.h"

namespace truce::store::gis {

// Whether `db` is a PostgreSQL connection (the only engine with layers).
bool OnPostgres(sql::Db& db);

// Whether the layers are on: `db` is PostgreSQL and holds gis_zones. One
// catalogue query; false on SQLite without asking.
Result<bool> LayersOn(sql::Db& db);

// Inside the caller's write transaction: on PostgreSQL, creates the PostGIS
// extension when the server offers it and it is not there yet (in a
// savepoint: a role that may not create it leaves the transaction whole and
// the layers off), then the layers' views, table and indexes (idempotent),
// and rebuilds gis_zones from `agreements`. Returns whether the layers are on.
// On SQLite: false, nothing done.
Result<bool> EnsureLayers(sql::Db& db, const std::vector<StoredAgreement>& agreements);

// Inside the caller's write transaction, after the agreement's rows were
// (re)written: its zones into gis_zones, when the layers are on. An agreement
// whose files do not parse (the facade validates before storing; only tests
// store such) gets no zones.
Status PutZones(sql::Db& db, const StoredAgreement& agreement);

}  // namespace truce::store::gis
