// /tokens: API tokens listed, created (the secret shown once) and revoked.
#include "services.h"

#include "truce/facade/answers.h"

namespace truce::server::service {

Result<Response> ListTokens(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  TRUCE_ASSIGN_OR_RETURN(auto tokens, c.engine.ListTokens());
  return Body(TokensJson(tokens));
}

Result<Response> CreateToken(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  TRUCE_ASSIGN_OR_RETURN(nlohmann::json body, ParseJsonBody(c.request));
  TRUCE_RETURN_IF_ERROR(OnlyMembers(body, {"role", "name"}));
  TRUCE_ASSIGN_OR_RETURN(std::string role_name, Member(body, "role", true));
  TRUCE_ASSIGN_OR_RETURN(std::string name, Member(body, "name", false));
  std::optional<Role> role = ParseRole(role_name);
  if (!role) return Status::InvalidArgument("body: 'role' must be viewer, analyst or admin, got '" + role_name + "'");
  TRUCE_ASSIGN_OR_RETURN(TokenGrant g, c.engine.CreateToken(*role, name));
  Response r = Body(TokenGrantJson(g));
  r.status = 201;
  return r;
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
