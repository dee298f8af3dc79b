// The evidence log's types (schema version 4; docs/evidence.md): a hash chain
// in which every write of stored evidence (reports and their incidents and
// claims, agreement versions, token changes, analysts' decisions) appends an
// entry in the write's own transaction. Store::VerifyEvidence checks it,
// Store::ForEachEvidence gives what an export bundle holds.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace truce::store {

// Entry kinds. kEvidenceDecision covers an analyst's decision: one
// match_overrides row (link or unlink of two reports, schema version 6).
inline constexpr const char* kEvidenceGenesis = "genesis";  // rows stored before the log existed
inline constexpr const char* kEvidenceIngest = "ingest";    // one ingested file (or batch of rows)
inline constexpr const char* kEvidenceAgreement = "agreement";
inline constexpr const char* kEvidenceTokenCreated = "token-created";
inline constexpr const char* kEvidenceTokenRevoked = "token-revoked";
inline constexpr const char* kEvidenceDecision = "decision";

// The `prev` of the first entry.
inline constexpr const char* kEvidenceNoPrevious = "0000000000000000000000000000000000000000000000000000000000000000";

struct EvidenceEntry {
  std::int64_t seq = 0;     // 1, 2, ...
  std::string recorded_at;  // ISO-8601 UTC
  std::string kind;
  std::string subject;          // a file's path, an agreement id, "token 3"
  std::string payload_sha256;   // of the entry's part list (EvidencePayloadText)
  std::string prev_sha256;      // the previous entry's entry_sha256
  std::string entry_sha256;     // of EvidenceEntryText(*this)
};

// The canonical text of an entry: seven lines (`truce-evidence 1`, `seq N`,
// `time T`, `kind K`, `subject S` with control bytes and backslashes escaped
// as \xNN, `payload HEX`, `prev HEX`), each ending in "\n". Its SHA-256 is the
// entry's hash. Frozen: changing it breaks every stored chain.
std::string EvidenceEntryText(const EvidenceEntry& e);

// What `truce verify` found wrong, in chain order.
struct EvidenceProblem {
  std::int64_t seq = 0;  // the entry; 0 for a row that no entry covers
  std::string kind, subject;
  std::string what;
};

struct EvidenceReport {
  std::int64_t entries = 0;
  std::int64_t rows = 0;         // stored rows recomputed
  std::string head_sha256;       // the last entry's hash (kEvidenceNoPrevious when empty)
  std::vector<std::string> chain;  // every entry's recorded hash, in order
  std::vector<EvidenceProblem> problems;  // the first is the first mismatch
  std::int64_t more_problems = 0;         // found but not listed (the list stops at 100)
  bool intact() const { return problems.empty(); }
};

// One entry as an export bundle holds it.
struct EvidenceExport {
  EvidenceEntry entry;
  std::string text;     // EvidenceEntryText(entry)
  std::string payload;  // the part list: "SHA256  NAME\n" per part (sha256sum format)
  std::vector<std::pair<std::string, std::string>> parts;  // (NAME, the rows' canonical text)
};

}  // namespace truce::store
