#include "schema.h"

namespace truce::store {

// Portability: types are the ones both engines know (TEXT, INTEGER, BIGINT,
// DOUBLE PRECISION — PostgreSQL's REAL is only 4 bytes). The one SQLite-only
// spelling is `id INTEGER PRIMARY KEY` (the rowid alias, assigned on insert);
// a PostgreSQL backend writes `id BIGINT GENERATED ALWAYS AS IDENTITY
// PRIMARY KEY` there (docs/design.md, "Store"). Dates are ISO-8601
// TEXT, so that they compare as strings and read the same everywhere.
const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1,
       "files, reports, incidents, agreements, findings, obligation statuses",
       {
           "CREATE TABLE files ("
           " id INTEGER PRIMARY KEY,"
           " file_hash TEXT NOT NULL UNIQUE,"
           " path TEXT NOT NULL,"
           " dataset TEXT NOT NULL,"
           " records BIGINT NOT NULL,"
           " added BIGINT NOT NULL,"
           " ingested_at TEXT NOT NULL)",

           "CREATE TABLE reports ("
           " id INTEGER PRIMARY KEY,"
           " dataset TEXT NOT NULL,"
           " source_file TEXT NOT NULL,"
           " file_hash TEXT NOT NULL,"
           " file_row BIGINT NOT NULL,"
           " raw TEXT NOT NULL,"
           " content_hash TEXT NOT NULL UNIQUE)",
           "CREATE INDEX reports_file_hash ON reports (file_hash)",

           "CREATE TABLE incidents ("
           " id INTEGER PRIMARY KEY,"
           " report_id BIGINT NOT NULL REFERENCES reports (id),"
           " dataset TEXT NOT NULL,"
           " source_id TEXT NOT NULL,"
           " first_day TEXT NOT NULL,"       // YYYY-MM-DD
           " last_day TEXT NOT NULL,"        // YYYY-MM-DD, inclusive
           " date_precision TEXT NOT NULL,"  // time::TimePrecisionName
           " exact_utc TEXT,"                // YYYY-MM-DDTHH:MM:SSZ when known
           " event_type TEXT NOT NULL,"
           " sub_event_type TEXT NOT NULL,"
           " native_code TEXT NOT NULL,"
           " actor1 TEXT NOT NULL,"
           " assoc_actor1 TEXT NOT NULL,"
           " actor2 TEXT NOT NULL,"
           " assoc_actor2 TEXT NOT NULL,"
           " country TEXT NOT NULL,"
           " iso3 TEXT NOT NULL,"
           " admin1 TEXT NOT NULL,"
           " admin2 TEXT NOT NULL,"
           " admin3 TEXT NOT NULL,"
           " location TEXT NOT NULL,"
           " lat_deg DOUBLE PRECISION NOT NULL,"
           " lon_deg DOUBLE PRECISION NOT NULL,"
           " uncertainty_m DOUBLE PRECISION NOT NULL,"
           " geo_precision INTEGER NOT NULL,"
           " time_precision INTEGER NOT NULL,"
           " track TEXT,"  // GeoJSON MultiLineString
           " fatalities INTEGER NOT NULL,"
           " fatalities_low INTEGER,"
           " fatalities_high INTEGER,"
           " source TEXT NOT NULL,"
           " notes TEXT NOT NULL)",
           "CREATE INDEX incidents_first_day ON incidents (first_day)",
           "CREATE INDEX incidents_report ON incidents (report_id)",

           "CREATE TABLE agreements ("
           " id TEXT NOT NULL PRIMARY KEY,"
           " title TEXT NOT NULL,"
           " source_file TEXT NOT NULL,"
           " content_hash TEXT NOT NULL,"
           " added_at TEXT NOT NULL)",
           "CREATE TABLE agreement_files ("
           " agreement_id TEXT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,"
           " ord INTEGER NOT NULL,"
           " path TEXT NOT NULL,"
           " contents TEXT NOT NULL,"
           " PRIMARY KEY (agreement_id, ord))",

           // agreement_id is not a foreign key: findings are recomputed
           // wholesale, and an agreement may be replaced under them.
           "CREATE TABLE findings ("
           " id INTEGER PRIMARY KEY,"
           " incident_id BIGINT NOT NULL REFERENCES incidents (id),"
           " agreement_id TEXT NOT NULL,"
           " provision_id TEXT NOT NULL,"
           " status TEXT NOT NULL,"
           " side TEXT NOT NULL,"
           " guarantor TEXT NOT NULL,"
           " actor_id TEXT NOT NULL,"
           " zone_id TEXT NOT NULL,"
           " distance_m DOUBLE PRECISION NOT NULL,"
           " seconds_from_start BIGINT NOT NULL,"
           " confidence DOUBLE PRECISION NOT NULL,"
           " reason TEXT NOT NULL)",
           "CREATE INDEX findings_agreement_status ON findings (agreement_id, status)",
           "CREATE INDEX findings_status ON findings (status)",
           "CREATE INDEX findings_incident ON findings (incident_id)",

           "CREATE TABLE obligation_status ("
           " id INTEGER PRIMARY KEY,"
           " agreement_id TEXT NOT NULL,"
           " provision_id TEXT NOT NULL,"
           " as_of TEXT NOT NULL,"  // YYYY-MM-DD
           " state TEXT NOT NULL,"  // model::ObligationStateName
           " covered_fraction DOUBLE PRECISION NOT NULL,"
           " evidence TEXT NOT NULL,"  // JSON array of incident ids
           " reason TEXT NOT NULL)",
           "CREATE INDEX obligation_status_agreement ON obligation_status (agreement_id, provision_id)",
       }},
      {2,
       "news reports: claims, incident spans",
       {
           // Where an incident extracted from a news report was said: NULL
           // for dataset rows.
           "ALTER TABLE incidents ADD COLUMN span_begin BIGINT",
           "ALTER TABLE incidents ADD COLUMN span_end BIGINT",

           // Figures and accusations stated in news reports (model::Claim).
           "CREATE TABLE claims ("
           " id INTEGER PRIMARY KEY,"
           " report_id BIGINT NOT NULL REFERENCES reports (id),"
           " kind TEXT NOT NULL,"  // killed ... other, accusation
           " count DOUBLE PRECISION,"  // NULL: no figure (accusation, vague figure)
           " qualifier TEXT NOT NULL,"
           " claimant_name TEXT NOT NULL,"
           " claimant_country TEXT NOT NULL,"
           " claimant_kind TEXT NOT NULL,"
           " subject_name TEXT NOT NULL,"
           " subject_country TEXT NOT NULL,"
           " by_name TEXT NOT NULL,"
           " by_country TEXT NOT NULL,"
           " from_day TEXT,"  // as the report gives it; NULL when not given
           " to_day TEXT,"
           " area TEXT NOT NULL,"
           " text TEXT NOT NULL,"
           " span_begin BIGINT,"
           " span_end BIGINT,"
           " sentence TEXT NOT NULL,"
           " confidence DOUBLE PRECISION NOT NULL)",
           "CREATE INDEX claims_report ON claims (report_id)",
       }},
      {3,
       "API tokens, data generation",
       {
           // Tokens for `truce serve`: only the SHA-256 of each token is kept.
           "CREATE TABLE tokens ("
           " id INTEGER PRIMARY KEY,"
           " name TEXT NOT NULL,"
           " role TEXT NOT NULL,"  // viewer, analyst, admin
           " token_hash TEXT NOT NULL UNIQUE,"
           " created_at TEXT NOT NULL,"
           " revoked_at TEXT)",

           // One row counting write transactions, so that readers (the
           // server's caches, in any process) can tell when data changed.
           "CREATE TABLE generation (id INTEGER NOT NULL PRIMARY KEY, value BIGINT NOT NULL)",
           "INSERT INTO generation (id, value) VALUES (1, 0)",
       }},
      {4,
       "evidence log",
       {
           // The tamper-evident evidence log (docs/evidence.md): a hash chain
           // of entries, each covering what one write stored. An entry's
           // sha256 is that of its canonical text, which names the previous
           // entry's; its payload is the list of its parts (sha256sum format).
           "CREATE TABLE evidence ("
           " seq INTEGER PRIMARY KEY,"  // 1, 2, ... assigned by the store
           " recorded_at TEXT NOT NULL,"
           " kind TEXT NOT NULL,"  // genesis, ingest, agreement, token-created, token-revoked, decision
           " subject TEXT NOT NULL,"
           " payload_sha256 TEXT NOT NULL,"
           " prev_sha256 TEXT NOT NULL,"
           " entry_sha256 TEXT NOT NULL UNIQUE)",
           // One part per table an entry covers: the rows it names
           // (`selector`: id ranges "1-100,120", or an agreement id or token
           // id), the sha256 of their canonical text, one 64-bit locator per
           // row (16 hex digits each) that lets verify name the first row that
           // changed, and for agreements and tokens, whose rows a later write
           // replaces, the text itself (`content`) so that every version stays
           // checkable.
           "CREATE TABLE evidence_parts ("
           " seq BIGINT NOT NULL REFERENCES evidence (seq),"
           " ord INTEGER NOT NULL,"
           " name TEXT NOT NULL,"
           " tbl TEXT NOT NULL,"
           " selector TEXT NOT NULL,"
           " row_count BIGINT NOT NULL,"
           " sha256 TEXT NOT NULL,"
           " locators TEXT NOT NULL,"
           " content TEXT,"
           " PRIMARY KEY (seq, ord))",
           "CREATE INDEX evidence_parts_key ON evidence_parts (tbl, selector)",
       }},
      {5,
       "findings stale marker",
       {
           // Changes to incidents and agreements counted, and how many the
           // stored findings cover (Store::GetFindingsState): a change is
           // counted in the transaction of each ingest or agreement add, and
           // `ruled` set in the one that replaces the findings, so that a
           // crash between the two is seen at the next start. Both only grow,
           // so a ruling that read the data before a change cannot cover it.
           // A database that already holds incidents is ruled once more.
           "CREATE TABLE findings_state (id INTEGER NOT NULL PRIMARY KEY, changes BIGINT NOT NULL, "
           "ruled BIGINT NOT NULL)",
           "INSERT INTO findings_state (id, changes, ruled) SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM incidents) "
           "THEN 1 ELSE 0 END, 0",
       }},
      {6,
       "reconciled incidents: members, analysts' overrides, findings with their incident's estimate",
       {
           // A report that joined another report's incident (table
           // `incidents` holds reports). A report with no row is an incident
           // of its own, whose id is its own: existing data keeps its ids.
           "CREATE TABLE reconciled_members ("
           " report_id BIGINT NOT NULL PRIMARY KEY REFERENCES incidents (id),"
           " incident_id BIGINT NOT NULL REFERENCES incidents (id),"  // the lead (smallest) report id
           " score DOUBLE PRECISION NOT NULL,"
           " reason TEXT NOT NULL,"
           " decided_by TEXT NOT NULL)",  // "matcher", or "analyst NAME at TIME"
           "CREATE INDEX reconciled_members_incident ON reconciled_members (incident_id)",

           // Analysts' decisions about two reports, kept across re-ingest and
           // re-matching; never updated or deleted (the evidence log covers
           // each row), a later decision about the same pair wins.
           "CREATE TABLE match_overrides ("
           " id INTEGER PRIMARY KEY,"
           " kind TEXT NOT NULL CHECK (kind IN ('link', 'unlink')),"
           " report_a BIGINT NOT NULL REFERENCES incidents (id),"
           " report_b BIGINT NOT NULL REFERENCES incidents (id),"
           " analyst TEXT NOT NULL,"
           " decided_at TEXT NOT NULL,"  // ISO-8601 UTC
           " note TEXT NOT NULL)",

           // Each finding carries its incident's estimate as ruled, so that
           // reading findings joins nothing (store::FindingRow). Added NOT
           // NULL with a default (both engines accept it), then filled below.
           "ALTER TABLE findings ADD COLUMN first_day TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE findings ADD COLUMN last_day TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE findings ADD COLUMN lat_deg DOUBLE PRECISION NOT NULL DEFAULT 0",
           "ALTER TABLE findings ADD COLUMN lon_deg DOUBLE PRECISION NOT NULL DEFAULT 0",
           "ALTER TABLE findings ADD COLUMN location TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE findings ADD COLUMN admin1 TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE findings ADD COLUMN event_type TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE findings ADD COLUMN sub_event_type TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE findings ADD COLUMN actor1 TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE findings ADD COLUMN actor2 TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE findings ADD COLUMN fatalities BIGINT NOT NULL DEFAULT 0",
           "ALTER TABLE findings ADD COLUMN fatalities_low BIGINT NOT NULL DEFAULT 0",
           "ALTER TABLE findings ADD COLUMN fatalities_high BIGINT NOT NULL DEFAULT 0",
           "ALTER TABLE findings ADD COLUMN dataset TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE findings ADD COLUMN source_id TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE findings ADD COLUMN support TEXT NOT NULL DEFAULT 'single'",
           "ALTER TABLE findings ADD COLUMN sources BIGINT NOT NULL DEFAULT 1",
           "ALTER TABLE findings ADD COLUMN independent_sources BIGINT NOT NULL DEFAULT 1",
           "ALTER TABLE findings ADD COLUMN reported_by TEXT NOT NULL DEFAULT ''",
           "ALTER TABLE findings ADD COLUMN grades TEXT NOT NULL DEFAULT ''",
           // The findings already stored: their incident's values, as the
           // join gave them until now (each was ruled on one report). A
           // correlated subquery per column: plain SQL in both engines.
           "UPDATE findings SET"
           " first_day = (SELECT i.first_day FROM incidents AS i WHERE i.id = findings.incident_id),"
           " last_day = (SELECT i.last_day FROM incidents AS i WHERE i.id = findings.incident_id),"
           " lat_deg = (SELECT i.lat_deg FROM incidents AS i WHERE i.id = findings.incident_id),"
           " lon_deg = (SELECT i.lon_deg FROM incidents AS i WHERE i.id = findings.incident_id),"
           " location = (SELECT i.location FROM incidents AS i WHERE i.id = findings.incident_id),"
           " admin1 = (SELECT i.admin1 FROM incidents AS i WHERE i.id = findings.incident_id),"
           " event_type = (SELECT i.event_type FROM incidents AS i WHERE i.id = findings.incident_id),"
           " sub_event_type = (SELECT i.sub_event_type FROM incidents AS i WHERE i.id = findings.incident_id),"
           " actor1 = (SELECT i.actor1 FROM incidents AS i WHERE i.id = findings.incident_id),"
           " actor2 = (SELECT i.actor2 FROM incidents AS i WHERE i.id = findings.incident_id),"
           " fatalities = (SELECT i.fatalities FROM incidents AS i WHERE i.id = findings.incident_id),"
           " fatalities_low = (SELECT COALESCE(i.fatalities_low, i.fatalities) FROM incidents AS i"
           " WHERE i.id = findings.incident_id),"
           " fatalities_high = (SELECT COALESCE(i.fatalities_high, i.fatalities) FROM incidents AS i"
           " WHERE i.id = findings.incident_id),"
           " dataset = (SELECT i.dataset FROM incidents AS i WHERE i.id = findings.incident_id),"
           " source_id = (SELECT i.source_id FROM incidents AS i WHERE i.id = findings.incident_id)",
           // The order QueryFindings reads and pages in, and its date filter.
           "CREATE INDEX findings_order ON findings (first_day, incident_id, agreement_id, provision_id, id)",
           // Reconciling changes what the findings say (sources, support,
           // estimates): a database with reports is ruled once more.
           "UPDATE findings_state SET changes = changes + 1 WHERE id = 1 AND EXISTS (SELECT 1 FROM incidents)",
       }},
      {7,
       "reports carry the confidence of their reading (news extraction; 1 for datasets)",
       {
           // Rows stored before it were read as they are now but their
           // confidence was not kept: 1, as for a dataset's row. Not in the
           // evidence log's frozen columns (store/evidence.cc): it is derived
           // from the raw text, which the log covers.
           "ALTER TABLE incidents ADD COLUMN confidence DOUBLE PRECISION NOT NULL DEFAULT 1",
       }},
      {8,
       "no index on reports.file_hash (nothing looks reports up by their file)",
       {
           // Files are found by `files.file_hash`; this index was only kept
           // up: 8 % of a large ingest's database and one more B-tree to
           // write per row.
           "DROP INDEX IF EXISTS reports_file_hash",
       }},
  };
  return kMigrations;
}

int LatestSchemaVersion() { return Migrations().empty() ? 0 : Migrations().back().version; }

}  // namespace truce::store
