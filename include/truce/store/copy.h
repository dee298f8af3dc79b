// Moving a database: every table of one store copied into another (SQLite
// to SQLite, and to or from PostgreSQL), ids kept, in one transaction on the
// target, then checked: per-table row counts and content hashes, and the
// evidence log verified on the target with the source's head.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "truce/core/status.h"
#include "truce/store/store.h"

namespace truce::store {

struct CopyOptions {
  // Replace whatever the target holds (its rows are deleted in the same
  // transaction). DEFAULT false: a target holding any row is refused
  // (AlreadyExists), so that nothing is overwritten by mistake.
  bool replace = false;
  OpenOptions open;  // for both databases (the target's write lock wait)
};

// One table copied: its rows, and the SHA-256 (hex) of their canonical text
// in key order, as read from the source and read back from the target.
struct TableCopy {
  std::string table;
  std::int64_t source_rows = 0, target_rows = 0;
  std::string source_sha256, target_sha256;
  bool matches() const { return source_rows == target_rows && source_sha256 == target_sha256; }
};

struct CopyReport {
  std::vector<TableCopy> tables;  // in the order copied (the schema's creation order)
  int schema_version = 0;
  // The evidence log verified on both sides (Store::VerifyEvidence).
  bool source_intact = false, target_intact = false;
  std::int64_t source_entries = 0, target_entries = 0;
  std::string source_head, target_head;
  // Every table matches, and the target's log verifies as the source's does,
  // with the same head.
  bool ok() const;
};

// The tables a copy moves, in creation order (every migration's CREATE TABLE
// but the schema_version bookkeeping). A table a migration adds is copied
// without any change here.
std::vector<std::string> CopiedTables();

// Copies the database `from` (a --db value: SQLite path or postgresql:// URL)
// into `to`, creating or upgrading the target's schema first (Migrate). The
// source is only read, in one snapshot, and must be at the latest schema
// version (FailedPrecondition: `truce init` upgrades it); a missing SQLite
// source is NotFound. The copy is one transaction on the target: rows are
// hashed as they are read and read back before the commit, and a count or
// hash that differs rolls it back (the report ends at that table, ok()
// false, nothing written). The generation counter is the one row not copied as is:
// it moves past the target's old value so that servers on the target see the
// change. After the commit, both evidence logs are verified; a target that
// does not verify with the source's head is left as written and reported
// (ok() false).
Result<CopyReport> CopyDatabase(const std::string& from, const std::string& to, const CopyOptions& options = {});

}  // namespace truce::store
