// /jobs: the writes POST /ingest and POST /agreements queued (jobs.h), as
// this server keeps them in memory.
#include "services.h"

#include <algorithm>
#include <chrono>

namespace truce::server::service {

Result<Response> ListJobs(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  std::string body = "{\"jobs\":[";
  bool first = true;
  for (const JobSnapshot& job : c.api.jobs().List()) {
    if (!first) body += ',';
    first = false;
    body += JobJson(job);
  }
  body += "]}";
  return Body(std::move(body));
}

Result<Response> GetJob(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({"wait"}));
  TRUCE_ASSIGN_OR_RETURN(std::int64_t id, ParseId(c.path["id"], "job"));
  // Longer waits are cut to kMaxJobWaitS: the client asks again.
  TRUCE_ASSIGN_OR_RETURN(std::int64_t wait_s, c.query.Int("wait", 0, 0, 86'400));
  wait_s = std::min<std::int64_t>(wait_s, kMaxJobWaitS);
  std::optional<JobSnapshot> job = wait_s > 0 ? c.api.jobs().WaitFor(id, std::chrono::seconds(wait_s))
                                              : c.api.jobs().Get(id);
  if (!job) {
    return Status::NotFound("no job " + std::to_string(id) +
                            " on this server (jobs are kept in its memory: the latest 100, until it restarts)");
  }
  return Body(JobJson(*job));
}

}  // namespace truce::server::service
