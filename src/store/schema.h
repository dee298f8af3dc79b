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

// Creates the bookkeeping table itself; portable, idempotent.
inline constexpr const char* kCreateSchemaVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version INTEGER NOT NULL PRIMARY KEY,"
    " description TEXT NOT NULL,"
    " applied_at TEXT NOT NULL)";

}  // namespace truce::store
