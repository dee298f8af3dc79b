// The router: the route table, tokens and roles, rate limits, body limits, the
// response cache keyed on the store's generation, and Status -> HTTP status.
// What a request carries is parsed in request.cc; each resource's handlers are
// in services/ (services.h); sockets are in http_server.cc.
#include "api.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "request.h"
#include "truce/time/time.h"
#include "services/services.h"
#include "truce/core/strings.h"
#include "truce/core/utf8.h"

namespace truce::server {

namespace {

// 50, 0.5: a limit as a person would write it.
std::string FormatNumber(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

// The answer for a Status the client can act on; nullopt for the server's
// own failures (Api::FromStatus).
std::optional<Response> ClientError(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument: return ErrorResponse(400, "invalid_argument", s.message());
    case StatusCode::kParseError: return ErrorResponse(400, "parse_error", s.message());
    case StatusCode::kValidationError: return ErrorResponse(400, "validation_error", s.message());
    case StatusCode::kNotFound: return ErrorResponse(404, "not_found", s.message());
    case StatusCode::kAlreadyExists: return ErrorResponse(409, "already_exists", s.message());
    case StatusCode::kFailedPrecondition: return ErrorResponse(409, "failed_precondition", s.message());
    default: return std::nullopt;
  }
}

// Seconds a client is asked to wait when another writer holds the database
// (the store itself waits 5 s for it first).
constexpr int kBusyRetryAfterS = 2;

struct Route {
  RouteInfo info;
  service::Handler handler;
};

const std::vector<Route>& Routes() {
  static const std::vector<Route> kRoutes = {
      {{"GET", "/api/v1/health", Access::kPublic, false}, service::Health},
      {{"GET", "/api/v1/version", Access::kPublic, true}, service::Version},
      {{"GET", "/api/v1/openapi.json", Access::kPublic, true}, service::OpenApi},
      {{"GET", "/api/v1/agreements", Access::kRead, true}, service::ListAgreements},
      {{"POST", "/api/v1/agreements", Access::kAnalyst, false}, service::AddAgreement},
      {{"GET", "/api/v1/agreements/{id}", Access::kRead, true}, service::GetAgreement},
      {{"GET", "/api/v1/agreements/{id}/zones", Access::kRead, true}, service::AgreementZones},
      {{"GET", "/api/v1/agreements/{id}/obligations", Access::kRead, true}, service::AgreementObligations},
      {{"GET", "/api/v1/incidents", Access::kRead, true}, service::ListIncidents},
      {{"GET", "/api/v1/incidents/{id}", Access::kRead, true}, service::GetReport},
      {{"POST", "/api/v1/incidents/link", Access::kAnalyst, false, /*heavy=*/true}, service::LinkReports},
      {{"POST", "/api/v1/incidents/unlink", Access::kAnalyst, false, /*heavy=*/true}, service::UnlinkReports},
      {{"POST", "/api/v1/incidents/{id}/split", Access::kAnalyst, false, /*heavy=*/true}, service::SplitIncident},
      {{"POST", "/api/v1/reconcile", Access::kAnalyst, false, /*heavy=*/true}, service::Reconcile},
      {{"GET", "/api/v1/findings", Access::kRead, true}, service::ListFindings},
      {{"GET", "/api/v1/map", Access::kRead, true}, service::MapView},
      {{"GET", "/api/v1/timeline", Access::kRead, true}, service::TimelineView},
      {{"GET", "/api/v1/reports/daily", Access::kRead, true}, service::DailyReport},
      {{"GET", "/api/v1/places", Access::kRead, true}, service::Places},
      {{"POST", "/api/v1/extract", Access::kRead, false, /*heavy=*/true}, service::Extract},
      {{"POST", "/api/v1/ingest", Access::kAnalyst, false}, service::Ingest},
      {{"GET", "/api/v1/jobs", Access::kAnalyst, false}, service::ListJobs},
      {{"GET", "/api/v1/jobs/{id}", Access::kAnalyst, false}, service::GetJob},
      {{"GET", "/api/v1/tokens", Access::kAdmin, false}, service::ListTokens},
      {{"POST", "/api/v1/tokens", Access::kAdmin, false}, service::CreateToken},
      {{"DELETE", "/api/v1/tokens/{id}", Access::kAdmin, false}, service::RevokeToken},
  };
  return kRoutes;
}

// Whether `path` matches `pattern`, filling {name} segments.
bool MatchPath(std::string_view pattern, std::string_view path, std::map<std::string, std::string>* params) {
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty() || pattern[0] != '/' || path[0] != '/') return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    const std::size_t pe = std::min(pattern.find('/'), pattern.size());
    const std::size_t se = std::min(path.find('/'), path.size());
    std::string_view ps = pattern.substr(0, pe), ss = path.substr(0, se);
    if (ps.size() > 2 && ps.front() == '{' && ps.back() == '}') {
      std::string value;
      if (ss.empty() || !PercentDecode(ss, &value)) return false;
      (*params)[std::string(ps.substr(1, ps.size() - 2))] = std::move(value);
    } else if (ps != ss) {
      return false;
    }
    pattern.remove_prefix(pe);
    path.remove_prefix(se);
  }
  return true;
}

bool Allows(Access need, std::optional<Role> role, bool anonymous_read) {
  switch (need) {
    case Access::kPublic: return true;
    case Access::kRead: return anonymous_read || role.has_value();
    case Access::kAnalyst: return role && *role >= Role::kAnalyst;
    case Access::kAdmin: return role && *role >= Role::kAdmin;
  }
  return false;
}

}  // namespace

const std::vector<RouteInfo>& ApiRoutes() {
  static const std::vector<RouteInfo> kInfos = [] {
    std::vector<RouteInfo> out;
    for (const Route& r : Routes()) out.push_back(r.info);
    return out;
  }();
  return kInfos;
}

// ---------------------------------------------------------------- Api

// Finished jobs kept for GET /jobs and /jobs/{id}.
constexpr std::size_t kJobHistory = 100;
// How often a job waiting for another server's job tries the job lock again.
constexpr int kJobLockPollMs = 20;

Api::Api(const ServerOptions& options, FileSystem& fs, Clock& clock)
    : options_(options),
      fs_(fs),
      clock_(clock),
      files_(service::LoadStaticFiles(options.web_dir, fs)),
      jobs_(std::make_unique<JobQueue>(options.work_queue, kJobHistory,
                                       [&clock] { return time::FormatInstantUtc(clock.Now()); })) {}

Api::~Api() {
  {
    std::lock_guard<std::mutex> lock(follow_mu_);
    follow_stop_ = true;
  }
  follow_cv_.notify_all();
  if (follower_.joinable()) follower_.join();
}

Result<Engine*> Api::EngineForThisThread() {
  std::lock_guard<std::mutex> lock(engines_mu_);
  auto& slot = engines_[std::this_thread::get_id()];
  if (!slot) {
    TRUCE_ASSIGN_OR_RETURN(slot, Engine::Open(options_.db, fs_, clock_));
    slot->ShareCaches(caches_);
  }
  return slot.get();
}

Status Api::Check() {
  TRUCE_ASSIGN_OR_RETURN(Engine * engine, EngineForThisThread());
  // Findings a killed writer left behind its data are brought up to date
  // before anything is answered; a busy database is not a reason not to
  // start (the next write re-rules).
  if (auto ruled = engine->RuleIfStale(); !ruled.ok()) {
    LogError("the findings are stale and could not be ruled again at start: " + ruled.status().ToString());
  } else if (ruled->has_value()) {
    LogError("ruled again at start: the stored findings lagged the data (" +
             std::to_string((*ruled)->findings) + " findings)");
  }
  // Built now rather than on the first request (about a second per 100 000 incidents).
  TRUCE_RETURN_IF_ERROR(Refresh(*engine));
  if (!options_.web_dir.empty() && !files_.count("index.html")) {
    return Status::NotFound(options_.web_dir + ": no index.html (build the dashboard: npm run build)");
  }
  // Writes by other servers and processes on the database are looked for
  // every generation_check_ms (docs/design.md, "Several servers").
  if (options_.generation_check_ms > 0 && !follower_.joinable()) follower_ = std::thread([this] { Follow(); });
  return Status::Ok();
}

Result<std::int64_t> Api::CurrentGeneration(Engine& engine) {
  if (options_.generation_check_ms > 0) {
    const std::int64_t published = generation_.load();
    if (published >= 0) return published;
  }
  return engine.Generation();
}

Status Api::Refresh(Engine& engine) {
  std::lock_guard<std::mutex> lock(refresh_mu_);
  TRUCE_ASSIGN_OR_RETURN(std::int64_t g, engine.Generation());
  if (g <= generation_.load()) return Status::Ok();
  // A job commits its data, then its findings (two transactions): between
  // the two, while the findings are stale and a job holds the job lock, the
  // old answers stand, so that no server shows incidents without their
  // findings. Stale with no job running (a CLI ingest not ruled yet): shown.
  TRUCE_ASSIGN_OR_RETURN(bool stale, engine.FindingsStale());
  if (stale) {
    TRUCE_ASSIGN_OR_RETURN(bool free, engine.TryLockJobs());
    if (!free) return Status::Ok();
    TRUCE_RETURN_IF_ERROR(engine.UnlockJobs());
  }
  TRUCE_RETURN_IF_ERROR(engine.BuildIndex());  // at g or later
  generation_.store(g);
  return Status::Ok();
}

void Api::Follow() {
  std::string last_error;
  std::unique_lock<std::mutex> lock(follow_mu_);
  for (;;) {
    follow_cv_.wait_for(lock, std::chrono::milliseconds(options_.generation_check_ms), [this] { return follow_stop_; });
    if (follow_stop_) return;
    lock.unlock();
    auto engine = EngineForThisThread();
    Status s = engine.ok() ? Refresh(**engine) : engine.status();
    // Said once per distinct failure, not every few milliseconds.
    if (!s.ok() && s.ToString() != last_error) {
      LogError("looking for other processes' writes: " + s.ToString() + " (the answers stay at generation " +
               std::to_string(generation_.load()) + ")");
    }
    last_error = s.ok() ? "" : s.ToString();
    lock.lock();
  }
}


std::shared_ptr<const Prepared> Api::Cached(const std::string& key, std::int64_t generation) {
  std::lock_guard<std::mutex> lock(cache_mu_);
  if (generation != cache_generation_) {
    cache_.clear();
    cache_bytes_ = 0;
    cache_generation_ = generation;
    return nullptr;
  }
  auto it = cache_.find(key);
  return it == cache_.end() ? nullptr : it->second;
}

void Api::Remember(const std::string& key, std::int64_t generation, const std::shared_ptr<const Prepared>& p) {
  std::lock_guard<std::mutex> lock(cache_mu_);
  if (generation != cache_generation_) return;  // the data changed meanwhile
  const std::size_t size = key.size() + p->head.size() + p->response.body.size();
  if (size > options_.cache_bytes / 8) return;
  if (cache_bytes_ + size > options_.cache_bytes) {
    cache_.clear();  // simple and bounded; the hot entries come back at once
    cache_bytes_ = 0;
  }
  if (cache_.emplace(key, p).second) cache_bytes_ += size;
}

// ---------------------------------------------------------------- jobs

JobOutcome Api::JobFailure(const Status& s, std::int64_t job_id) {
  Request as_job;
  as_job.id = "job-" + std::to_string(job_id);
  as_job.method = "JOB";
  as_job.target = std::to_string(job_id);
  Response r = FromStatus(s, as_job);
  return {r.status, std::move(r.body)};
}

Response Api::SubmitJob(const std::string& kind, const std::string& subject, const std::string& role, Write write) {
  auto submitted = jobs_->Submit(kind, subject, role, [this, write = std::move(write)](std::int64_t id,
                                                                                      const JobQueue::Report& report) {
    auto engine = EngineForThisThread();
    if (!engine.ok()) return JobFailure(engine.status(), id);
    // One job at a time across every server on the database: the job
    // lock, waited for while another server's job holds it.
    for (bool waiting = false;;) {
      Result<bool> locked = (*engine)->TryLockJobs();
      if (!locked.ok()) return JobFailure(locked.status(), id);
      if (*locked) break;
      if (!waiting) report({"waiting", 0, 0, ""});
      waiting = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(kJobLockPollMs));
    }
    Result<Response> done = write(**engine, report);
    if (Status unlocked = (*engine)->UnlockJobs(); !unlocked.ok()) {
      LogError("job " + std::to_string(id) + ": " + unlocked.ToString());
    }
    // The index at the new generation is built here, on the job's thread,
    // while readers keep the old one; the job is done once it is, and its
    // generation published.
    report({"indexing", 0, 0, ""});
    if (Status built = Refresh(**engine); !built.ok()) {
      LogError("job " + std::to_string(id) + ": the incident index was not built again: " + built.ToString());
    }
    if (!done.ok()) return JobFailure(done.status(), id);
    return JobOutcome{done->status, std::move(done->body)};
  });
  if (!submitted) {
    return RetryLater(503, "busy",
                      "the server has " + std::to_string(jobs_->Pending()) +
                          " writes queued or running (--work-queue " + std::to_string(options_.work_queue) +
                          ") or is stopping; try again in a few seconds",
                      5);
  }
  const std::string href = "/api/v1/jobs/" + std::to_string(*submitted);
  Response r;
  r.status = 202;
  r.body = nlohmann::json({{"job", *submitted}, {"href", href}}).dump();
  r.headers.emplace_back("Location", href);
  return r;
}

// ---------------------------------------------------------------- rate limits

bool RateLimiter::Take(const std::string& key, double per_s, double burst, double* retry_after_s) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  // Bounded memory: buckets that have filled up again are forgotten (a new
  // bucket starts full, so forgetting one changes nothing).
  if (buckets_.size() > 100'000) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      const double seconds = std::chrono::duration<double>(now - it->second.at).count();
      it = it->second.tokens + seconds * per_s >= burst ? buckets_.erase(it) : std::next(it);
    }
  }
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst, now});
  Bucket& b = it->second;
  if (!fresh) {
    const double seconds = std::chrono::duration<double>(now - b.at).count();
    b.tokens = std::min(burst, b.tokens + seconds * per_s);
    b.at = now;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return true;
  }
  *retry_after_s = per_s > 0 ? (1 - b.tokens) / per_s : 3600;
  return false;
}

// ---------------------------------------------------------------- admission and answers

void Api::LogError(const std::string& line) {
  std::ostream& out = options_.error_log != nullptr ? *options_.error_log : std::cerr;
  std::lock_guard<std::mutex> lock(error_log_mu_);
  out << "truce: " << RepairUtf8(line) << std::endl;
}

Response Api::FromStatus(const Status& s, const Request& request) {
  if (std::optional<Response> r = ClientError(s)) return *std::move(r);
  // The server's own failures: the message may name the database's path or
  // quote SQLite; the log gets it, the client a request id to quote.
  LogError("request " + request.id + " (" + request.method + " " + request.target + "): " + s.ToString());
  if (s.code() == StatusCode::kBusy) {
    return RetryLater(503, "busy",
                      "another writer holds the database; try again in a few seconds (request " + request.id + ")",
                      kBusyRetryAfterS);
  }
  return ErrorResponse(500, "internal", "the server could not answer (request " + request.id +
                                            "); its log has the details");
}

std::shared_ptr<const Prepared> Api::Unexpected(const Request& request, const char* what) {
  LogError("request " + request.id + " (" + request.method + " " + request.target +
           "): unexpected exception: " + what);
  return Prepare(ErrorResponse(500, "internal", "unexpected failure (request " + request.id + ")"));
}

Admission Api::Admit(const Request& head) {
  Admission admission;
  try {
    admission.refusal = AdmitOrThrow(head, &admission);
  } catch (const std::exception& e) {
    admission.refusal = Unexpected(head, e.what());
  } catch (...) {
    admission.refusal = Unexpected(head, "not a std::exception");
  }
  return admission;
}

std::shared_ptr<const Prepared> Api::Handle(const Request& request, const Admission& admission) {
  try {
    return HandleOrThrow(request, admission);
  } catch (const std::exception& e) {
    return Unexpected(request, e.what());
  } catch (...) {
    return Unexpected(request, "not a std::exception");
  }
}

std::shared_ptr<const Prepared> Api::Handle(const Request& request) {
  Admission admission = Admit(request);
  if (admission.refusal) return admission.refusal;
  return Handle(request, admission);
}

std::shared_ptr<const Prepared> Api::AdmitOrThrow(const Request& head, Admission* admission) {
  admission->max_body_bytes = options_.max_body_bytes;
  // RFC 3986 wants anything outside ASCII percent-encoded; raw bytes would
  // reach the messages that quote the target as they are.
  for (std::size_t i = 0; i < head.target.size(); ++i) {
    const auto b = static_cast<unsigned char>(head.target[i]);
    if (b >= 0x80 || b < 0x20 || b == 0x7F) {
      return Prepare(ErrorResponse(400, "bad_request", "the request target: " + DescribeByteAt(head.target, i) +
                                                           " at byte " + std::to_string(i + 1) +
                                                           " must be percent-encoded"));
    }
  }
  const std::size_t qmark = head.target.find('?');
  const std::string path = head.target.substr(0, qmark);
  if (path.rfind("/api/", 0) != 0) {
    if (head.method != "GET" && head.method != "HEAD") {
      Response r = ErrorResponse(405, "method_not_allowed", head.method + " " + path + ": only GET");
      r.headers.emplace_back("Allow", "GET");
      return Prepare(std::move(r));
    }
    admission->max_body_bytes = 0;  // the dashboard's files take no body
    if (head.content_length.value_or(0) > 0) {
      return Prepare(ErrorResponse(413, "too_large", "GET " + path + " takes no request body"));
    }
    return nullptr;
  }

  auto query = Query::Parse(qmark == std::string::npos ? std::string_view()
                                                       : std::string_view(head.target).substr(qmark + 1));
  if (!query.ok()) return Prepare(FromStatus(query.status(), head));

  // The route: the path first (404), then the method (405).
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
  std::string allowed;
  for (const Route& r : Routes()) {
    std::map<std::string, std::string> p;
    if (!MatchPath(r.info.pattern, path, &p)) continue;
    if (r.info.method == head.method) {
      route = &r;
      params = std::move(p);
      break;
    }
    allowed += (allowed.empty() ? "" : ", ") + r.info.method;
  }
  if (route == nullptr) {
    if (allowed.empty()) return Prepare(ErrorResponse(404, "not_found", "no route " + path));
    Response r = ErrorResponse(405, "method_not_allowed", head.method + " " + path + ": allowed " + allowed);
    r.headers.emplace_back("Allow", allowed);
    return Prepare(std::move(r));
  }
  for (const auto& [name, value] : params) {
    if (const std::string bad = Utf8Problem(value); !bad.empty()) {
      return Prepare(ErrorResponse(400, "invalid_argument", "path segment {" + name + "}: " + bad));
    }
  }

  auto engine = EngineForThisThread();
  if (!engine.ok()) return Prepare(FromStatus(engine.status(), head));

  // Who is asking; a valid token is charged for the request, else the address.
  std::optional<Role> role;
  std::string rate_key = "addr:" + head.remote_address;
  std::shared_ptr<const Prepared> unauthorized;
  if (!head.authorization.empty()) {
    const std::string kBearer = "Bearer ";
    const auto non_ascii = std::find_if(head.authorization.begin(), head.authorization.end(), [](char c) {
      return static_cast<unsigned char>(c) >= 0x80 || static_cast<unsigned char>(c) < 0x20;
    });
    if (non_ascii != head.authorization.end()) {
      const std::size_t at = static_cast<std::size_t>(non_ascii - head.authorization.begin());
      unauthorized = Prepare(ErrorResponse(401, "unauthorized", "Authorization: " +
                                                                     DescribeByteAt(head.authorization, at) + " at byte " +
                                                                     std::to_string(at + 1) + " (a token is ASCII)"));
    } else if (head.authorization.rfind(kBearer, 0) != 0) {
      unauthorized = Prepare(ErrorResponse(401, "unauthorized", "Authorization must be 'Bearer <token>'"));
    } else {
      auto who = (*engine)->Authenticate(head.authorization.substr(kBearer.size()));
      if (!who.ok()) return Prepare(FromStatus(who.status(), head));
      if (!who->has_value()) {
        unauthorized = Prepare(ErrorResponse(401, "unauthorized", "unknown or revoked token"));
      } else {
        role = ParseRole((*who)->role);
        rate_key = "token:" + std::to_string((*who)->id);
        admission->who = (*who)->name.empty() ? "token " + std::to_string((*who)->id) : (*who)->name;
      }
    }
  }
  double retry_after_s = 0;
  if (options_.rate_limit_per_s > 0 && !head.remote_address.empty() &&
      !limiter_.Take(rate_key, options_.rate_limit_per_s, options_.burst, &retry_after_s)) {
    return Prepare(RetryLater(429, "rate_limited",
                              std::string("more than ") + FormatNumber(options_.rate_limit_per_s) +
                                  " requests per second (burst " + FormatNumber(options_.burst) + ") from this " +
                                  (role ? "token" : "address") + "; slow down",
                              static_cast<int>(std::ceil(retry_after_s))));
  }
  if (unauthorized) return unauthorized;
  if (!Allows(route->info.access, role, options_.anonymous_read)) {
    if (!role) {
      Response r = ErrorResponse(401, "unauthorized", "this needs a token (Authorization: Bearer <token>)");
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      return Prepare(std::move(r));
    }
    const char* need = route->info.access == Access::kAdmin ? "admin" : "analyst";
    return Prepare(ErrorResponse(403, "forbidden", std::string("this needs the ") + need + " role; the token is " +
                                               RoleName(*role)));
  }
  // Extraction without a token costs the server seconds of CPU for nothing
  // in return: few per address, small texts.
  if (route->handler == service::Extract && !role) {
    if (options_.anonymous_extract_per_min <= 0) {
      Response r = ErrorResponse(401, "unauthorized", "extraction needs a token on this server");
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      return Prepare(std::move(r));
    }
    admission->max_body_bytes = std::min(admission->max_body_bytes, options_.anonymous_extract_max_bytes);
    if (head.content_length && *head.content_length > admission->max_body_bytes) {
      return Prepare(ErrorResponse(413, "too_large", "the request body is larger than " +
                                                        std::to_string(admission->max_body_bytes) +
                                                        " bytes (extraction without a token)"));
    }
    if (!head.remote_address.empty() &&
        !limiter_.Take("extract:" + head.remote_address, options_.anonymous_extract_per_min / 60.0,
                       options_.anonymous_extract_per_min, &retry_after_s)) {
      return Prepare(RetryLater(429, "rate_limited",
                                "more than " + FormatNumber(options_.anonymous_extract_per_min) +
                                    " extractions per minute without a token from this address; wait or send a token",
                                static_cast<int>(std::ceil(retry_after_s))));
    }
  }
  if (head.content_length && *head.content_length > admission->max_body_bytes) {
    return Prepare(ErrorResponse(413, "too_large", "the request body is larger than " +
                                                      std::to_string(admission->max_body_bytes) + " bytes"));
  }
  admission->route = route;
  admission->role = role;
  admission->params = std::move(params);
  // Waiting for a job holds a work thread, never an I/O thread.
  admission->heavy = route->info.heavy || (route->handler == service::GetJob && query->Has("wait"));
  return nullptr;
}

std::shared_ptr<const Prepared> Api::HandleOrThrow(const Request& request, const Admission& admission) {
  const std::size_t qmark = request.target.find('?');
  if (admission.route == nullptr) return StaticFile(request, request.target.substr(0, qmark));
  const Route& route = *static_cast<const Route*>(admission.route);
  auto query = Query::Parse(qmark == std::string::npos ? std::string_view()
                                                       : std::string_view(request.target).substr(qmark + 1));
  if (!query.ok()) return Prepare(FromStatus(query.status(), request));
  auto engine = EngineForThisThread();  // a work thread has its own
  if (!engine.ok()) return Prepare(FromStatus(engine.status(), request));

  std::int64_t generation = -1;
  if (route.info.cacheable) {
    auto g = CurrentGeneration(**engine);
    if (!g.ok()) return Prepare(FromStatus(g.status(), request));
    generation = *g;
    if (auto hit = Cached(request.target, generation)) return NotModifiedOr(request, hit);
  }

  Call call{request, **engine, options_, clock_, std::move(query).value(), admission.params,
            route.info.cacheable ? std::optional<std::int64_t>(generation) : std::nullopt, admission.who, *this};
  Result<Response> response = route.handler(call);
  if (request.method != "GET") {  // it may have written: published before it is answered
    if (Status s = Refresh(**engine); !s.ok()) LogError("after " + request.method + " " + request.target + ": " + s.ToString());
  }
  if (route.info.cacheable && response.ok() && response->status == 200) {
    // Revalidated on every use (If-None-Match -> 304); the ETag is the body's,
    // so every server on the database gives the same one for the same answer.
    response->headers.emplace_back("Cache-Control", "no-cache");
    response->headers.emplace_back("ETag", "\"" + service::Fingerprint(response->body) + "\"");
  }
  auto prepared = Prepare(response.ok() ? std::move(response).value() : FromStatus(response.status(), request));
  if (route.info.cacheable && prepared->response.status == 200) {
    Remember(request.target, generation, prepared);
    return NotModifiedOr(request, prepared);
  }
  return prepared;
}

std::shared_ptr<const Prepared> Api::NotModifiedOr(const Request& request, const std::shared_ptr<const Prepared>& p) {
  if (request.if_none_match.empty()) return p;
  Response not_modified;
  not_modified.status = 304;
  for (const auto& [name, value] : p->response.headers) {
    if (name == "ETag") {
      if (!service::NoneMatchHits(request.if_none_match, value)) return p;
      not_modified.headers.emplace_back(name, value);
    } else if (name == "Cache-Control") {
      not_modified.headers.emplace_back(name, value);
    }
  }
  if (not_modified.headers.size() < 2) return p;  // no ETag
  not_modified.content_type = p->response.content_type;
  return Prepare(std::move(not_modified));
}

}  // namespace truce::server
