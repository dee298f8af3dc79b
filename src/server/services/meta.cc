// GET /health, /version and /openapi.json: public, about the server itself.
#include "services.h"


namespace truce::server::service {

using json = nlohmann::json;

Result<Response> Health(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  TRUCE_ASSIGN_OR_RETURN(int version, c.engine.SchemaVersion());
  TRUCE_ASSIGN_OR_RETURN(std::int64_t generation, c.engine.Generation());
  return Json({{"status", "ok"}, {"schema_version", version}, {"generation", generation}});
}

Result<Response> Version(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  return Json({{"name", "truce"}, {"version", TRUCE_VERSION}, {"api", "v1"}});
}

Result<Response> OpenApi(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  Response r;
  r.body = OpenApiDocument();
  return r;
}

}  // namespace truce::server::service
