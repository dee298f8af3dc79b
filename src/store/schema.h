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

// An incident's text column `column` as every reader selects it (schema
// version 11), `alias` naming the incidents row: the column's text where
// `column`_ref is NULL (every row of before, and values the store keeps in
// the row: empty, short or long ones), else the column's text ('' as the
// store writes it) followed by the incident_texts value the ref names, each
// repeated value (an event type, an actor, a place, a source) stored once.
// A ref naming no value reads as NULL: a changed row for the evidence log.
// SQL both engines run; an incident_texts lookup by id per such column read.
#define TRUCE_INCIDENT_TEXT_SQL(alias, column)                                                             \
  "CASE WHEN " alias "." column "_ref IS NULL THEN " alias "." column " ELSE " alias "." column           \
  " || (SELECT t.value FROM incident_texts AS t WHERE t.id = " alias "." column "_ref) END"
#define TRUCE_INCIDENT_TEXT_AS(alias, column) TRUCE_INCIDENT_TEXT_SQL(alias, column) " AS " column

// The incident columns whose values may be kept in incident_texts (schema
// version 11), in the order of the table's columns; each has a BIGINT
// `<column>_ref`.
inline constexpr const char* kIncidentTextColumns[] = {
    "event_type", "sub_event_type", "actor1",   "assoc_actor1", "actor2", "assoc_actor2",
    "country",    "admin1",         "admin2",   "admin3",       "location", "source"};

// Creates the bookkeeping table itself; portable, idempotent.
inline constexpr const char* kCreateSchemaVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version INTEGER NOT NULL PRIMARY KEY,"
    " description TEXT NOT NULL,"
    " applied_at TEXT NOT NULL)";

}  // namespace truce::store
