// The analyst decides last (docs/reconcile.md): POST /incidents/link and
// /unlink (two reports, {"a", "b", "note"}), /incidents/{id}/split, and
// /reconcile (every report matched again from scratch). The analyst recorded
// is the token's name. Each write makes the findings stale, so each rules
// again before it answers, as an ingest does.
#include "services.h"

#include <utility>

#include "truce/facade/answers.h"

namespace truce::server::service {

namespace {

using json = nlohmann::json;

// {"a", "b", "note"}: the two reports of a link or an unlink.
struct PairBody {
  std::int64_t a = 0, b = 0;
  std::string note;
};

Result<PairBody> ParsePair(const Request& request) {
  TRUCE_ASSIGN_OR_RETURN(json body, ParseJsonBody(request));
  TRUCE_RETURN_IF_ERROR(OnlyMembers(body, {"a", "b", "note"}));
  PairBody p;
  TRUCE_ASSIGN_OR_RETURN(p.a, IdMember(body, "a"));
  TRUCE_ASSIGN_OR_RETURN(p.b, IdMember(body, "b"));
  TRUCE_ASSIGN_OR_RETURN(p.note, Member(body, "note", false));
  if (p.a == p.b) return Status::InvalidArgument("body: 'a' and 'b' are the same report");
  return p;
}

// The note of a split: an optional JSON body {"note"}; none is no note.
Result<std::string> OptionalNote(const Request& request) {
  if (request.body.empty()) return std::string();
  TRUCE_ASSIGN_OR_RETURN(json body, ParseJsonBody(request));
  TRUCE_RETURN_IF_ERROR(OnlyMembers(body, {"note"}));
  return Member(body, "note", false);
}

Result<Response> Overridden(Api::Call& c, const OverrideResult& result) {
  TRUCE_ASSIGN_OR_RETURN(RuleResult ruled, c.engine.RuleChanges({}));
  return Body(OverrideAnswerJson(result, ruled));
}

}  // namespace

Result<Response> LinkReports(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  TRUCE_ASSIGN_OR_RETURN(PairBody p, ParsePair(c.request));
  TRUCE_ASSIGN_OR_RETURN(OverrideResult result, c.engine.LinkReports(p.a, p.b, c.who, p.note));
  return Overridden(c, result);
}

Result<Response> UnlinkReports(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  TRUCE_ASSIGN_OR_RETURN(PairBody p, ParsePair(c.request));
  TRUCE_ASSIGN_OR_RETURN(OverrideResult result, c.engine.UnlinkReports(p.a, p.b, c.who, p.note));
  return Overridden(c, result);
}

Result<Response> SplitIncident(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  TRUCE_ASSIGN_OR_RETURN(std::int64_t id, ParseId(c.path["id"], "incident"));
  TRUCE_ASSIGN_OR_RETURN(std::string note, OptionalNote(c.request));
  TRUCE_ASSIGN_OR_RETURN(OverrideResult result, c.engine.SplitIncident(id, c.who, note));
  return Overridden(c, result);
}

Result<Response> Reconcile(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  if (!c.request.body.empty()) return Status::InvalidArgument("POST /reconcile takes no body");
  TRUCE_ASSIGN_OR_RETURN(ReconcileResult result, c.engine.Reconcile());
  TRUCE_ASSIGN_OR_RETURN(RuleResult ruled, c.engine.RuleChanges({}));
  return Body(ReconcileAnswerJson(result, ruled));
}

}  // namespace truce::server::service
