// The API's JSON (docs/api.md) for answers the server puts together from
// more than one Engine call: rendered here, like every other output format.
#pragma once

#include <string>
#include <vector>

#include "truce/facade/types.h"

namespace truce {

// POST /ingest: the file's counts; `ruled` (null: not ruled again) as
// {"findings", "by_status"}.
std::string IngestAnswerJson(const IngestResult& result, const RuleResult* ruled);
// POST /agreements: {"id", "ruled": {"findings", "by_status"}}.
std::string AgreementAddedJson(const std::string& id, const RuleResult& ruled);
// POST /incidents/link, /unlink, /incidents/{id}/split: {"incidents": [ids
// of the reports' incidents after re-matching], "message", "ruled"}.
std::string OverrideAnswerJson(const OverrideResult& result, const RuleResult& ruled);
// POST /reconcile: {"reports", "incidents", "merged", "overrides", "ruled"}.
std::string ReconcileAnswerJson(const ReconcileResult& result, const RuleResult& ruled);
// GET /tokens: {"items": [...]}, never the secrets.
std::string TokensJson(const std::vector<TokenInfo>& tokens);
// POST /tokens: the token's record and, this once, its secret.
std::string TokenGrantJson(const TokenGrant& grant);

}  // namespace truce
