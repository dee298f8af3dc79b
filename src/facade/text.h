// What the CLI prints that is not a report: an agreement shown, the evidence
// log's problems. Private to src/facade.
#pragma once

#include <string>

#include "truce/model/model.h"
#include "truce/store/evidence.h"

namespace truce::facade {

// `truce agreement show`: the agreement's dates, sides, zones and
// provisions, one per line. Stored text may hold control characters (an
// agreement stored before the loader checked text): escaped, one line each.
std::string AgreementText(const model::Agreement& a);

// `truce verify` and `truce export-evidence` when the log does not verify:
// "entry 3 (ingest, b.csv): reports row 5 was changed ...", one line per
// problem, first mismatch first, then a summary.
std::string EvidenceProblemsText(const store::EvidenceReport& r);

}  // namespace truce::facade
