// /agreements: the agreements in the database, one with its zones (GeoJSON)
// and its obligations' statuses, and a new one from YAML or JSON files (a
// job: 202, then GET /jobs/{id}).
#include "services.h"

#include <chrono>
#include <utility>
#include <vector>

#include "truce/facade/answers.h"

namespace truce::server::service {

using json = nlohmann::json;

Result<Response> ListAgreements(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  TRUCE_ASSIGN_OR_RETURN(std::string body, c.engine.AgreementsJson());
  return Body(std::move(body));
}

Result<Response> GetAgreement(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  TRUCE_ASSIGN_OR_RETURN(std::string body, c.engine.AgreementJson(c.path["id"]));
  return Body(std::move(body));
}

Result<Response> AgreementZones(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  TRUCE_ASSIGN_OR_RETURN(std::string body, c.engine.AgreementZonesGeoJson(c.path["id"]));
  return Body(std::move(body), "application/geo+json");
}

Result<Response> AgreementObligations(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({"as_of"}));
  TRUCE_ASSIGN_OR_RETURN(auto as_of, c.query.Date("as_of"));
  const time::Days day = as_of.value_or(std::chrono::floor<std::chrono::days>(c.clock.Now()));
  TRUCE_ASSIGN_OR_RETURN(std::string body, c.engine.ObligationsJson(c.path["id"], day));
  return Body(std::move(body));
}

Result<Response> AddAgreement(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({"name"}));
  std::vector<std::pair<std::string, std::string>> files;
  const std::string& type = c.request.content_type;
  if (type.rfind("application/json", 0) == 0) {
    TRUCE_ASSIGN_OR_RETURN(json body, ParseJsonBody(c.request));
    TRUCE_RETURN_IF_ERROR(OnlyMembers(body, {"files"}));
    auto it = body.find("files");
    if (it == body.end() || !it->is_array() || it->empty()) {
      return Status::InvalidArgument("body: 'files' must be a non-empty array of {\"path\", \"content\"}, the YAML first");
    }
    for (std::size_t k = 0; k < it->size(); ++k) {
      const json& f = (*it)[k];
      const std::string where = "body: files[" + std::to_string(k) + "]";
      if (!f.is_object()) return Status::InvalidArgument(where + " must be an object");
      TRUCE_RETURN_IF_ERROR(OnlyMembers(f, {"path", "content"}));
      auto path = Member(f, "path", true);
      auto content = Member(f, "content", true);
      if (!path.ok()) return Status::InvalidArgument(where + ": " + path.status().message().substr(6));
      if (!content.ok()) return Status::InvalidArgument(where + ": " + content.status().message().substr(6));
      files.emplace_back("upload/" + *path, *content);
    }
  } else if (type.rfind("application/yaml", 0) == 0 || type.rfind("text/yaml", 0) == 0 ||
             type.rfind("application/x-yaml", 0) == 0) {
    const std::string name = BaseName(c.query.Get("name", "agreement.yaml"));
    // Nothing that is not UTF-8 is stored: it would poison every later read.
    if (const std::string bad = Utf8Problem(c.request.body); !bad.empty()) {
      return Status::InvalidArgument(name + ": " + bad);
    }
    files.emplace_back("upload/" + name, c.request.body);
  } else {
    return Status::InvalidArgument(
        "an agreement is sent as YAML (Content-Type: application/yaml) or as JSON {\"files\": [...]}");
  }
  // The agreement is read, validated and stored by the job (its errors carry
  // file:line:column), then everything is ruled again.
  const std::string subject = files.front().first;
  auto write = [files = std::move(files)](Engine& engine, const JobQueue::Report& report) -> Result<Response> {
    report({"storing", 0, 0, ""});
    TRUCE_ASSIGN_OR_RETURN(std::string id, engine.AddAgreementFiles(files));
    report({"ruling", 0, 0, ""});
    TRUCE_ASSIGN_OR_RETURN(RuleResult ruled, engine.RuleChanges({}));
    Response r = Body(AgreementAddedJson(id, ruled));
    r.status = 201;
    return r;
  };
  return c.api.SubmitJob("agreement", subject, "analyst", std::move(write));
}

}  // namespace truce::server::service
