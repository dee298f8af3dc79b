// The API's routes and handlers: each handler parses and checks the request,
// calls the facade, and writes the answer (docs/api.md). Authentication,
// roles, the response cache and error bodies live here too; sockets do not
// (http_server.cc). Private to src/server.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "http_types.h"
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
};

// Every route the server answers under /api/v1, in the order they are matched.
const std::vector<RouteInfo>& ApiRoutes();
// The OpenAPI 3 document (src/server/openapi.json, compiled in).
const std::string& OpenApiDocument();

class Api {
 public:
  Api(const ServerOptions& options, FileSystem& fs, Clock& clock);
  ~Api();
  // Opens an Engine on the calling thread and checks the database is ready.
  Status Check();
  // Answers one request (any thread).
  std::shared_ptr<const Prepared> Handle(const Request& request);

  struct Call;  // one request being answered (api.cc)

 private:
  Result<Engine*> EngineForThisThread();
  // The store's generation, read at most every generation_check_ms.
  Result<std::int64_t> CurrentGeneration(Engine& engine);
  // GET / and /assets/NAME: the dashboard's files, else a pointer page or 404.
  std::shared_ptr<const Prepared> StaticFile(const std::string& path) const;
  std::shared_ptr<const Prepared> Cached(const std::string& key, std::int64_t generation);
  void Remember(const std::string& key, std::int64_t generation, const std::shared_ptr<const Prepared>& p);

  const ServerOptions options_;
  FileSystem& fs_;
  Clock& clock_;
  std::shared_ptr<query::IndexCache> index_cache_ = std::make_shared<query::IndexCache>();

  std::mutex engines_mu_;
  std::map<std::thread::id, std::unique_ptr<Engine>> engines_;

  // Static files of the dashboard, read once: name -> (content type, bytes).
  std::map<std::string, std::shared_ptr<const Prepared>> files_;

  // The generation as last read and when (steady clock, ns); a write through
  // this server sets checked_at_ns_ to 0 so that the next request reads it.
  std::atomic<std::int64_t> generation_{-1};
  std::atomic<std::int64_t> checked_at_ns_{0};

  std::mutex cache_mu_;
  std::int64_t cache_generation_ = -1;
  std::size_t cache_bytes_ = 0;
  std::unordered_map<std::string, std::shared_ptr<const Prepared>> cache_;
};

}  // namespace truce::server
