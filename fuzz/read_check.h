// The dataset readers' fuzz targets share this: one input read every way the
// ingest module can read it, each record checked (fuzz_util.h), and the ways
// compared with each other.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.h"
#include "internal.h"  // ingest's (truce_ingest_internal): ReadWithChunkBytes, two threads on tiny chunks

namespace truce::fuzz {

// What a read yields, flattened for comparison.
struct ReadTrace {
  bool ok = false;
  std::string error;  // the status's message when !ok
  std::string variant;
  std::vector<std::string> records;  // row, id and content hash of each record, in order
  std::vector<std::int64_t> skipped;
};

inline ReadTrace ReadOnce(std::string_view bytes, ingest::Format format, bool skip_bad_rows, int threads,
                          std::size_t chunk_bytes, bool hold_hash) {
  ingest::ReadOptions options;
  options.format = format;
  options.threads = threads;
  options.skip_bad_rows = skip_bad_rows;
  ReadTrace t;
  auto r = ingest::internal::ReadWithChunkBytes(
      bytes, "fuzz.in", options,
      [&](ingest::Record&& rec) {
        CheckRecord(rec);
        t.records.push_back(std::to_string(rec.source.row) + " " + rec.incident.source_id + " " +
                            rec.source.content_hash);
        return Status::Ok();
      },
      chunk_bytes, hold_hash);
  t.ok = r.ok();
  if (!r.ok()) {
    t.error = r.status().message();
    Touch(t.error);  // may quote the bad bytes
    Require(t.error.find("fuzz.in") != std::string::npos, "an error names the file", t.error);
    return t;
  }
  Require(r->records == static_cast<std::int64_t>(t.records.size()), "the summary counts the records the sink saw");
  t.variant = r->variant;
  for (const auto& s : r->skipped) {
    Touch(s.message);
    t.skipped.push_back(s.row);
  }
  return t;
}

inline void RequireSame(const ReadTrace& a, const ReadTrace& b, const char* what) {
  Require(a.ok == b.ok, what, a.ok ? b.error : a.error);
  Require(a.error == b.error, what, a.error + " | " + b.error);
  Require(a.variant == b.variant, what, a.variant + " | " + b.variant);
  Require(a.records == b.records, what, "different records");
  Require(a.skipped == b.skipped, what, "different rows skipped");
}

// Reads `bytes` as `format` skipping bad rows and stopping at the first (the
// default), each on one thread and on two threads with 64-byte chunks (the
// two-thread reader must give exactly the one-thread result). A file with
// no bad row reads the same both ways; one with bad rows fails when strict.
// GeoJSON has no chunks: `delimited` false skips the two-thread reads.
inline void ReadEveryWay(std::string_view bytes, ingest::Format format, bool delimited = true) {
  const bool hold_hash = !bytes.empty() && (bytes.back() & 1);
  const ReadTrace lenient = ReadOnce(bytes, format, true, 1, 0, false);
  const ReadTrace strict = ReadOnce(bytes, format, false, 1, 0, false);
  if (delimited) {
    RequireSame(lenient, ReadOnce(bytes, format, true, 2, 64, hold_hash), "two threads read as one (skipping)");
    RequireSame(strict, ReadOnce(bytes, format, false, 2, 64, hold_hash), "two threads read as one (strict)");
  }
  if (lenient.ok && lenient.skipped.empty()) RequireSame(lenient, strict, "no bad row: strict reads the same");
  if (lenient.ok && !lenient.skipped.empty()) Require(!strict.ok, "rows skipped, yet the strict read succeeds");
}

}  // namespace truce::fuzz
