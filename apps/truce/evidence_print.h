// What `truce verify` and `truce export-evidence` print about the evidence
// log (docs/cli.md): one line per problem, first mismatch first.
#pragma once

#include <ostream>

#include "truce/core/utf8.h"
#include "truce/store/evidence.h"

namespace truce::cli {

// "entry 3 (ingest, b.csv): reports row 5 was changed ...", then a summary.
inline void PrintEvidenceProblems(std::ostream& out, const store::EvidenceReport& r) {
  for (const store::EvidenceProblem& p : r.problems) {
    if (p.seq == 0) {
      out << EscapeControls(p.what) << "\n";
    } else {
      out << "entry " << p.seq << " (" << p.kind << ", " << EscapeControls(p.subject) << "): " << EscapeControls(p.what)
          << "\n";
    }
  }
  if (r.more_problems > 0) out << "... and " << r.more_problems << " more problems\n";
  const auto n = static_cast<std::int64_t>(r.problems.size()) + r.more_problems;
  out << "the evidence log does not verify: " << n << (n == 1 ? " problem" : " problems") << " in " << r.entries
      << (r.entries == 1 ? " entry" : " entries") << "\n";
}

}  // namespace truce::cli
