// The evidence log's database side, private to the store module (formats in
// docs/evidence.md). The store calls a Recorder from its writes, inside their
// transactions, so that nothing is stored without its entry; Verify and
// ForEach read the log back. Thread-safety: one Recorder per connection, as
// the Db.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sql.h"
#include "truce/core/status.h"
#include "truce/store/evidence.h"

namespace truce::store::evidence {

// The tables whose rows ingests add; an entry covers them by id ranges.
enum class RowTable { kFiles = 0, kReports = 1, kIncidents = 2, kClaims = 3 };

// A row's canonical text from the current row of `s` (every column it
// selected, in order): "# TABLE\n", then per column "NAME TYPE VALUE\n" where
// TYPE is `n` (NULL, no value), `iLEN` (integer in decimal), `rLEN` (real,
// shortest text that reads back the same double), `tLEN` (text, its bytes)
// or `bLEN` (blob), LEN being the value's length in bytes.
void AppendRow(std::string* out, std::string_view table, const sql::Stmt& s);

// A row's locator: the first 16 hex digits of its text's SHA-256. Not what
// protects the row (the part's SHA-256 over all its rows does), only a way to
// name the row that changed.
std::string RowLocator(std::string_view row_text);
void AppendLocator(std::string* out, std::string_view row_text);

class Recorder {
 public:
  explicit Recorder(sql::Db* db);
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // A row an ingest added: read back as stored and added to the pending
  // batch. Outside a transaction the batch is appended at once (in a
  // transaction of its own, right after the row's).
  Status RowAdded(RowTable table, std::int64_t id);
  // Rows an ingest added, ids ascending (a batch): read back in one query
  // over their range, as RowAdded reads one.
  Status RowsAdded(RowTable table, const std::vector<std::int64_t>& ids);
  // The files row of the ingested file (by hash): covered like the rows, and
  // its path becomes the batch's subject.
  Status FileRecorded(const std::string& file_hash, const std::string& path);
  // Appends the pending batch as one `ingest` entry; nothing when none is
  // pending. Called just before COMMIT.
  Status Flush();
  // Forgets the pending batch (a transaction begun or rolled back).
  void Discard();

  // Appends an entry at once (inside the caller's transaction or savepoint):
  // an agreement as now stored with all its files; a token's row as now.
  Status AgreementStored(const std::string& id);
  Status TokenChanged(std::int64_t id, const char* kind);
  // An analyst's decision (a match_overrides row, schema version 6): a
  // `decision` entry covering the row by its id, as ingests' rows are (such
  // rows are never changed).
  Status DecisionStored(std::int64_t override_id, const std::string& subject);
  // The first entry (schema migration 4), covering every row stored before
  // the log existed; nothing when the log has entries.
  Status EnsureGenesis();

 private:
  struct Pending;
  struct PartRecord;
  Status AppendEntry(const char* kind, const std::string& subject, std::vector<PartRecord> parts);

  sql::Db* db_;
  std::unique_ptr<Pending> pending_;
  std::string row_;  // reused for each row's text
};

// Walks the whole log in one read snapshot: every entry's hash and link, every
// part's rows recomputed from the tables, and every stored row covered.
Result<EvidenceReport> Verify(sql::Db& db);

// Each entry with its part texts, in order, in one read snapshot (for an
// export). DatabaseError when a part's rows no longer match: run Verify first.
Status ForEach(sql::Db& db, const std::function<Status(const EvidenceExport&)>& fn);

}  // namespace truce::store::evidence
