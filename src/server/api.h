// The API (docs/api.md): the router (api.cc: routes, authentication, roles,
// rate limits, the response cache, error bodies), request parsing
// (request.h), and one file of handlers per resource (services/), each of
// which parses and checks the request, calls the facade and writes the
// answer. Sockets are elsewhere (http_server.cc). Private to src/server.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "http_types.h"
#include "jobs.h"
#include "truce/server/server.h"

namespace truce::server {

// Who may call a route: anyone, readers (viewer tokens, or anyone with
// --anonymous-read), analysts, admins.
enum class Access { kPublic, kRead, kAnalyst, kAdmin };

struct RouteInfo {
  std::string method;   // "GET"
  std::string pattern;  // "/api/v1/incidents/{id}"
  Access access = Access::kRead;
  bool cacheable = false;  // a GET whose answer depends only on the target and the data
  // Seconds of CPU rather than milliseconds (extraction): answered on the
  // work threads. (Ingest and new agreements are jobs: jobs.h.)
  bool heavy = false;
};

// Every route the server answers under /api/v1, in the order they are matched.
const std::vector<RouteInfo>& ApiRoutes();
// The OpenAPI 3 document (src/server/openapi.json, compiled in).
const std::string& OpenApiDocument();

// One file of the dashboard, answered as read at start-up: as it is, and the
// .gz / .br siblings the build wrote beside it (null when absent), each with
// its headers (Content-Encoding, Vary, Cache-Control, ETag) already written;
// `not_modified` is the 304 for each (same order: identity, gzip, brotli).
struct StaticAsset {
  std::shared_ptr<const Prepared> identity, gzip, brotli;
  std::shared_ptr<const Prepared> not_modified[3];
  std::string etag[3];  // quoted, as sent
};

// What Api::Admit decided from a request's header alone.
struct Admission {
  // Set: answer this and read no body (401, 403, 404, 405, 413, 429, 400).
  std::shared_ptr<const Prepared> refusal;
  const void* route = nullptr;  // the matched route (api.cc); null: a static file
  std::optional<Role> role;     // the token's; nullopt: no token
  std::string who;              // the token's name ("token ID" when it has none): the analyst of overrides
  std::map<std::string, std::string> params;  // {id} -> value
  bool heavy = false;           // answer on a work thread (RouteInfo::heavy)
  std::size_t max_body_bytes = 0;
};

// Per-key token buckets (keys: "token:ID", "addr:IP", ...). Thread-safe.
class RateLimiter {
 public:
  // Takes one token from `key`'s bucket (full, `burst`, when first seen;
  // refilled at `per_s`). false when empty, with the seconds until a token is
  // back in *retry_after_s.
  bool Take(const std::string& key, double per_s, double burst, double* retry_after_s);

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point at;
  };
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

class Api {
 public:
  Api(const ServerOptions& options, FileSystem& fs, Clock& clock);
  ~Api();
  // Opens an Engine on the calling thread and checks the database is ready.
  Status Check();

  // The first half of a request, before its body is read (`head.body` is
  // empty): routing, the token, rate limits and body limits. Any thread.
  Admission Admit(const Request& head);
  // The second half, with the body (any thread; heavy routes on a work
  // thread). No exception escapes: an unexpected one is a 500 naming the
  // request id, its details go to the error log.
  std::shared_ptr<const Prepared> Handle(const Request& request, const Admission& admission);
  // Both halves (tests).
  std::shared_ptr<const Prepared> Handle(const Request& request);

  // One line on the error log (ServerOptions::error_log, else stderr).
  void LogError(const std::string& line);

  // Jobs (jobs.h; docs/api.md, "Jobs"). SubmitJob queues `write` and answers
  // 202 with the job's id, href and a Location header, or 503 with
  // Retry-After when the queue is full or the server is stopping. `write`
  // runs on the queue's worker thread with that thread's Engine; its
  // Status errors become the job's error as the endpoint would have
  // answered them; after it, the incident index is built again there (so
  // that readers never wait for it) before the job shows done.
  using Write = std::function<Result<Response>(Engine&, const JobQueue::Report&)>;
  Response SubmitJob(const std::string& kind, const std::string& subject, const std::string& role, Write write);
  JobQueue& jobs() { return *jobs_; }
  // The server stops: no more jobs; the running one finishes, queued ones
  // fail. What happened, in words ("" when nothing ran).
  std::string ShutdownJobs() { return jobs_->Shutdown(); }
  void StopAcceptingJobs() { jobs_->StopAccepting(); }

  struct Call;  // one request being answered (api.cc)

 private:
  std::shared_ptr<const Prepared> AdmitOrThrow(const Request& head, Admission* admission);
  std::shared_ptr<const Prepared> HandleOrThrow(const Request& request, const Admission& admission);
  // A Status as an answer; 5xx details go to the error log, not to the client.
  Response FromStatus(const Status& s, const Request& request);
  std::shared_ptr<const Prepared> Unexpected(const Request& request, const char* what);
  // A Status as a job's outcome (FromStatus, logged under the job's id).
  JobOutcome JobFailure(const Status& s, std::int64_t job_id);

 public:
  Result<Engine*> EngineForThisThread();

 private:
  // The generation requests answer at: the published one (Refresh), or the
  // store's, read on every request, when generation_check_ms is 0.
  Result<std::int64_t> CurrentGeneration(Engine& engine);
  // Reads the store's generation; when it moved past the published one,
  // builds the incident index at it and only then publishes it, so that
  // readers switch to new data without waiting for a build; not while a
  // job (of any server) is between its data and its findings. Called by the
  // follower thread every generation_check_ms (writes by other servers and
  // processes), after each write through this server, and by each job.
  Status Refresh(Engine& engine);
  // The follower thread's loop (started by Check when generation_check_ms > 0).
  void Follow();
  // GET / and /assets/NAME: the dashboard's files (the variant the request's
  // Accept-Encoding allows, 304 on a current If-None-Match), else a pointer page or 404.
  std::shared_ptr<const Prepared> StaticFile(const Request& request, const std::string& path) const;
  std::shared_ptr<const Prepared> Cached(const std::string& key, std::int64_t generation);
  // A 304 (its ETag and Cache-Control) when the request's If-None-Match names
  // the answer's ETag, else the answer.
  static std::shared_ptr<const Prepared> NotModifiedOr(const Request& request,
                                                       const std::shared_ptr<const Prepared>& p);
  void Remember(const std::string& key, std::int64_t generation, const std::shared_ptr<const Prepared>& p);

  const ServerOptions options_;
  FileSystem& fs_;
  Clock& clock_;
  std::shared_ptr<EngineCaches> caches_ = MakeEngineCaches();

  std::mutex engines_mu_;
  std::map<std::thread::id, std::unique_ptr<Engine>> engines_;

  // Static files of the dashboard, read once: name -> its answers (services.h).
  std::map<std::string, StaticAsset> files_;

  // The published generation: the incident index is built at least at it.
  std::atomic<std::int64_t> generation_{-1};
  std::mutex refresh_mu_;  // one Refresh at a time
  std::mutex follow_mu_;
  std::condition_variable follow_cv_;
  bool follow_stop_ = false;
  std::thread follower_;

  RateLimiter limiter_;
  std::mutex error_log_mu_;

  std::mutex cache_mu_;
  std::int64_t cache_generation_ = -1;
  std::size_t cache_bytes_ = 0;
  std::unordered_map<std::string, std::shared_ptr<const Prepared>> cache_;

  // Last: its worker thread stops (the running job finishes) before the
  // rest is destroyed.
  std::unique_ptr<JobQueue> jobs_;
};

}  // namespace truce::server
