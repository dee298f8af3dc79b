// The facade's small types (truce/facade/types.h) to the modules' own.
#include "core.h"

namespace truce {

Status CheckDatasetFormat(std::string_view format) { return ingest::ParseFormat(format).status(); }

namespace facade {

rules::RuleOptions ToRuleOptions(const RuleOptions& o) {
  rules::RuleOptions r;
  r.scope_margin_m = o.scope_margin_m;
  r.scope_margin = o.scope_margin;
  r.route_tolerance_m = o.route_tolerance_m;
  return r;
}

store::FindingFilter ToFindingFilter(const FindingQuery& q) {
  store::FindingFilter f;
  f.agreement_id = q.agreement_id;
  f.side = q.side;
  f.status = q.status;
  f.zone_id = q.zone_id;
  f.event_type = q.event_type;
  f.from_day = q.from_day;
  f.to_day = q.to_day;
  f.bbox = q.bbox;
  f.support = q.support;
  return f;
}

query::Filter ToFilter(const IncidentQuery& q) {
  query::Filter f;
  f.agreement_id = q.agreement_id;
  f.status = q.status;
  f.side = q.side;
  f.event_type = q.event_type;
  f.bbox = q.bbox;
  f.from_day = q.from_day;
  f.to_day = q.to_day;
  f.support = model::ParseSupport(q.support);  // the doors refuse unknown names
  return f;
}

TokenInfo ToTokenInfo(const store::TokenRecord& t) {
  return TokenInfo{t.id, t.name, t.role, t.created_at, t.revoked_at};
}

}  // namespace facade
}  // namespace truce
