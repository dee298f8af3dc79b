// /tokens: API tokens listed, created (the secret shown once) and revoked.
#include "services.h"


namespace truce::server::service {

using json = nlohmann::json;

namespace {

json TokenJson(const store::TokenRecord& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"role", t.role},
          {"created_at", t.created_at},
          {"revoked_at", t.revoked_at ? json(*t.revoked_at) : json(nullptr)}};
}

}  // namespace

Result<Response> ListTokens(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  TRUCE_ASSIGN_OR_RETURN(auto tokens, c.engine.ListTokens());
  json items = json::array();
  for (const auto& t : tokens) items.push_back(TokenJson(t));
  return Json({{"items", items}});
}

Result<Response> CreateToken(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  TRUCE_ASSIGN_OR_RETURN(json body, ParseJsonBody(c.request));
  TRUCE_RETURN_IF_ERROR(OnlyMembers(body, {"role", "name"}));
  TRUCE_ASSIGN_OR_RETURN(std::string role_name, Member(body, "role", true));
  TRUCE_ASSIGN_OR_RETURN(std::string name, Member(body, "name", false));
  std::optional<Role> role = ParseRole(role_name);
  if (!role) return Status::InvalidArgument("body: 'role' must be viewer, analyst or admin, got '" + role_name + "'");
  TRUCE_ASSIGN_OR_RETURN(TokenGrant g, c.engine.CreateToken(*role, name));
  json j = TokenJson(g.record);
  j["token"] = g.token;
  return Json(j, 201);
}

Result<Response> RevokeToken(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  TRUCE_ASSIGN_OR_RETURN(std::int64_t id, ParseId(c.path["id"], "token"));
  TRUCE_RETURN_IF_ERROR(c.engine.RevokeToken(id));
  Response r;
  r.status = 204;
  return r;
}

}  // namespace truce::server::service
