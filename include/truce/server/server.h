// `truce serve`: the HTTP API under /api/v1 and the dashboard's files, on
// Boost.Beast/Asio. Asynchronous, keep-alive, TCP_NODELAY, one write per
// response; graceful shutdown on SIGINT/SIGTERM (or Stop()); one JSON line
// per request in the access log. Handlers only translate between HTTP and the
// library facade (truce::Engine); each worker thread has its own Engine, and
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
  int threads = 2;                  // worker threads, each with its own Engine
  std::size_t max_body_bytes = 64u << 20;  // larger request bodies get 413
  std::size_t cache_bytes = 64u << 20;     // response cache budget
  // How long a read of the store's generation stands for the next requests:
  // writes by other processes show after at most this; writes through this
  // server at once. 0: read it on every request.
  int generation_check_ms = 20;
  std::ostream* access_log = nullptr;      // one JSON line per request; null: none
  bool handle_signals = true;              // stop on SIGINT/SIGTERM
  ArticleOptions article;                  // dictionaries and gazetteer for extraction and labels
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
