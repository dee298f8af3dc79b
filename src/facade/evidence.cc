// Core: the evidence log's verification and export bundle (docs/evidence.md).
#include <algorithm>
#include <utility>
#include <vector>

#include "core.h"

namespace truce::facade {
namespace {

// The bundle's own instructions: the procedure a third party runs with
// sha256sum and a POSIX shell only. tests/evidence/bundle_test.py runs the
// shell block below, as written here, on a real bundle.
constexpr const char* kVerifyMd = R"(# Verifying this evidence bundle

Written by `truce export-evidence`. Each file in `entries/` is one entry of
a hash chain: its SHA-256 (`sha256sum entries/N.txt`) is the entry's hash, and
the next entry names it on its `prev` line (the first names 64 zeros). Each
entry's `payload` line is the SHA-256 of `records/N.payload`, which lists the
SHA-256 of each record file of that entry (`sha256sum -c` format): the rows
exactly as the database stored them (docs/evidence.md in Truce gives their
format). `HEAD` names the last entry and its hash.

Run in this directory; it prints the head hash, or the first file that does
not match and exits 1:

```sh
set -e
sha256sum --quiet -c MANIFEST.sha256
prev=0000000000000000000000000000000000000000000000000000000000000000
for e in entries/*.txt; do
  n=$(basename "$e" .txt)
  grep -qx "prev $prev" "$e" || { echo "$e: prev is not the previous entry's hash"; exit 1; }
  p=$(sha256sum < "records/$n.payload" | cut -c1-64)
  grep -qx "payload $p" "$e" || { echo "$e: records/$n.payload does not match its payload line"; exit 1; }
  if [ -s "records/$n.payload" ]; then
    (cd records && sha256sum --quiet -c "$n.payload") || { echo "$e: a record file does not match"; exit 1; }
  fi
  prev=$(sha256sum < "$e" | cut -c1-64)
done
grep -q " $prev\$" HEAD || { echo "HEAD does not name the last entry"; exit 1; }
echo "chain intact; head $prev"
```

The chain proves that nothing in it changed after its last entry was
written; to prove that the last entry is the one the database had, compare
the head with one kept apart (printed by `truce verify` or by an earlier
export, published, or sent to another party).
)";

std::string Seq8(std::int64_t seq) {
  std::string s = std::to_string(seq);
  return s.size() < 8 ? std::string(8 - s.size(), '0') + s : s;
}

}  // namespace

Result<store::EvidenceReport> Core::VerifyEvidence() { return store_->VerifyEvidence(); }

Result<store::EvidenceReport> Core::ExportEvidence(const std::string& dir) {
  TRUCE_ASSIGN_OR_RETURN(store::EvidenceReport report, store_->VerifyEvidence());
  if (!report.intact()) return report;
  std::vector<std::pair<std::string, std::string>> manifest;  // (path in the bundle, sha256)
  auto write = [&](const std::string& rel, const std::string& bytes) -> Status {
    TRUCE_RETURN_IF_ERROR(fs_.WriteFileAtomic(dir + "/" + rel, bytes));
    manifest.emplace_back(rel, Sha256Hex(bytes));
    return Status::Ok();
  };
  // The entries as exported: a write committed since the verify above adds
  // entries, and each part is checked again as it is read.
  std::int64_t entries = 0;
  store::EvidenceEntry last;
  TRUCE_RETURN_IF_ERROR(store_->ForEachEvidence([&](const store::EvidenceExport& x) -> Status {
    const std::string n = Seq8(x.entry.seq);
    TRUCE_RETURN_IF_ERROR(write("entries/" + n + ".txt", x.text));
    TRUCE_RETURN_IF_ERROR(write("records/" + n + ".payload", x.payload));
    for (const auto& [name, text] : x.parts) TRUCE_RETURN_IF_ERROR(write("records/" + name, text));
    ++entries;
    last = x.entry;
    return Status::Ok();
  }));
  TRUCE_RETURN_IF_ERROR(write("HEAD", "entries/" + Seq8(last.seq) + ".txt " + last.entry_sha256 + "\n"));
  TRUCE_RETURN_IF_ERROR(write("VERIFY.md", kVerifyMd));
  std::sort(manifest.begin(), manifest.end());
  std::string text;
  for (const auto& [rel, sha] : manifest) text += sha + "  " + rel + "\n";
  TRUCE_RETURN_IF_ERROR(fs_.WriteFileAtomic(dir + "/MANIFEST.sha256", text));
  report.entries = entries;
  report.head_sha256 = last.entry_sha256;
  return report;
}

}  // namespace truce::facade
