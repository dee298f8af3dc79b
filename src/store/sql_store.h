// The Store over the SQL layer (sql_store.cc), for the engines' Open
// functions; private to the store module.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "sql.h"
#include "truce/store/store.h"

namespace truce::store {

// A Store on an open connection (not migrated: call Migrate()).
std::unique_ptr<Store> NewSqlStore(std::unique_ptr<sql::Db> db);

// Where an incident's `notes` are in `raw`, its report's raw record as
// stored (Store::InsertReports): (notes_at, notes_len) of the first place
// where the raw text holds them with each '"' doubled (as a CSV field
// does), in characters as substr counts them, for TRUCE_INCIDENT_NOTES_SQL
// (schema.h) to read back. nullopt, and the notes are stored as they are,
// when they are not there, shorter than 16 bytes as the raw text holds them,
// or the raw text is longer than 64 KiB, or the place would not be counted
// alike by both engines: the raw text up to their end must be valid UTF-8
// without NUL (SQLite's substr stops at a NUL, and counts a stray
// continuation byte into the character before it), followed by a byte that
// is no continuation byte (not at the raw text's end: a notes_len changed
// later must change what is read), and when `utf8` is false (sql::Db::CharactersAreUtf8)
// every byte up to their end ASCII. `escaped` is scratch space.
std::optional<std::pair<std::int64_t, std::int64_t>> NotesPlace(std::string_view raw, std::string_view notes,
                                                                bool utf8, std::string* escaped);

}  // namespace truce::store
