// `truce serve`: the HTTP API under /api/v1 and the dashboard's files, on
// Boost.Beast/Asio. Asynchronous, keep-alive, TCP_NODELAY, one write per
// response; graceful shutdown on SIGINT/SIGTERM (or Stop()); one JSON line
// per request in the access log. Handlers only translate between HTTP and the
// library facade (truce::Engine); each I/O and work thread has its own Engine, and
// all share one incident index and one response cache keyed on the store's
// generation. See docs/api.md and docs/design.md ("Server").
// Thread-safety: Run() on one thread; Stop() and port() from any.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>

#include "truce/core/env.h"
#include "truce/core/status.h"
#include "truce/facade/engine.h"

namespace truce::server {

struct ServerOptions {
  std::string db;                   // as --db takes it
  std::string host = "127.0.0.1";   // an IP address
  std::uint16_t port = 8080;        // 0: any free port (see Server::port())
  bool anonymous_read = false;      // reads (and extraction) need no token
  std::string web_dir;              // the dashboard's files (web/dist); empty: no dashboard
  int threads = 2;                  // I/O threads, each with its own Engine (so has each work thread)
  std::size_t max_body_bytes = 64u << 20;  // larger request bodies get 413
  std::size_t cache_bytes = 64u << 20;     // response cache budget
  // How long a read of the store's generation stands for the next requests:
  // writes by other processes show after at most this; writes through this
  // server at once. 0: read it on every request.
  int generation_check_ms = 20;
  std::ostream* access_log = nullptr;      // one JSON line per request; null: none
  // Unexpected failures (what a 500 hides behind its request id), descriptor
  // exhaustion. null: std::cerr.
  std::ostream* error_log = nullptr;
  bool handle_signals = true;              // stop on SIGINT/SIGTERM
  // Dictionaries and gazetteer for extraction and labels; its
  // extract_budget_ms bounds each extraction (POST /extract, news ingest).
  ArticleOptions article;

  // Limits (docs/api.md, "Limits and errors").
  // Extraction, ingest and new agreements run on this many threads of their
  // own, so that the I/O threads keep answering; REQUIRES >= 1.
  int work_threads = 2;
  // Heavy requests waiting for a work thread beyond those running; one more
  // is answered 503 with Retry-After.
  std::size_t work_queue = 16;
  // An idle keep-alive connection is closed after this, and a request's
  // header must arrive within it. REQUIRES >= 1.
  int idle_timeout_s = 30;
  // Connections open at once. A new one beyond it closes the connection
  // idle longest, or is itself closed at once when none is idle. 0: what
  // the descriptor limit leaves room for (RLIMIT_NOFILE less the
  // descriptors open at start and a reserve of an eighth, at least 32, for
  // database files, journals and files served), so that the process never
  // runs out of descriptors because of connections.
  std::size_t max_connections = 0;
  // A request body must arrive within this (counted from the end of its
  // header), and an answer must be taken by the client within it.
  int body_timeout_s = 300;
  // Token buckets: requests under /api/ per second, and the burst above that
  // rate, per token (requests with a valid token) or per client address
  // (the rest); over it: 429 with Retry-After. 0: no limit.
  double rate_limit_per_s = 50;
  double burst = 500;
  // POST /extract without a token (with anonymous_read): per client address
  // per minute (0: needs a token), and a smaller body.
  double anonymous_extract_per_min = 6;
  std::size_t anonymous_extract_max_bytes = 256u << 10;
};

class Server {
 public:
  // Opens the database (it must be initialised) and binds the address; does
  // not serve yet. IoError naming the address when it cannot be bound.
  static Result<std::unique_ptr<Server>> Create(ServerOptions options, FileSystem& fs, Clock& clock);
  ~Server();

  std::uint16_t port() const;  // the bound port
  // Serves until Stop() or a signal; in-flight requests are answered, idle
  // connections closed. Returns the first fatal error, if any.
  Status Run();
  void Stop();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace truce::server
