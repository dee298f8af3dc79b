// The store's schema as an ordered list of migrations, in SQL that SQLite and
// PostgreSQL both accept (see docs/design.md, "Store"). Migration N brings a
// database from version N-1 to N; the applied versions are rows of the
// `schema_version` table. Never edit a released migration: add the next one.
#pragma once

#include <string>
#include <vector>

namespace truce::store {

struct Migration {
  int version = 0;
  std::string description;
  std::vector<std::string> statements;  // run in order, in one transaction
};

// Ascending by version, starting at 1, with no gaps.
const std::vector<Migration>& Migrations();
// The version the code expects (the last migration's).
int LatestSchemaVersion();

// An incident's notes as every reader selects them (schema version 10),
// `alias` naming the incidents row: the column's text where notes_at and
// notes_len are both NULL (every row of before), else the column's text
// ('' as the store writes it) followed by the raw record's characters at
// the place, each doubled '"' made one. Every stored value of the three
// reaches the text, so that a change to any one is a changed row for the
// evidence log (a NULL place reads as NULL). SQL both engines run; a reports
// lookup by id per row read.
#define TRUCE_INCIDENT_NOTES_SQL(alias)                                                                  \
  "CASE WHEN " alias ".notes_at IS NULL AND " alias ".notes_len IS NULL THEN " alias ".notes ELSE " alias \
  ".notes || (SELECT replace(substr(r.raw, CAST(" alias ".notes_at + 1 AS INTEGER), CAST(" alias         \
  ".notes_len AS INTEGER)), '\"\"', '\"') FROM reports AS r WHERE r.id = " alias ".report_id) END"

// Creates the bookkeeping table itself; portable, idempotent.
inline constexpr const char* kCreateSchemaVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version INTEGER NOT NULL PRIMARY KEY,"
    " description TEXT NOT NULL,"
    " applied_at TEXT NOT NULL)";

}  // namespace truce::store
