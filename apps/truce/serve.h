// Serving the API and dashboard: what `truce serve` and `truce demo` share.
#pragma once

#include <string>

#include "command.h"

namespace truce::cli {

struct ServeFlags {
  std::string listen = "127.0.0.1:8080";
  bool anonymous_read = false;
  std::string web;                // the dashboard's files; default: web/dist beside the sources
  std::string access_log = "-";   // a file, "-" (stderr) or "off"
  int threads = 2;
  int max_body_mb = 64;
  // Limits; defaults as server::ServerOptions gives them.
  int work_threads = 2;
  int work_queue = 16;
  int idle_timeout_s = 30;
  int max_connections = 0;  // 0: from the descriptor limit
  double rate_limit_per_s = 50;
  double burst = 500;
  double anonymous_extract_per_min = 6;
  int extract_budget_ms = 5000;
};

// Declares --listen, --anonymous-read, --web, --access-log, --threads,
// --max-body-mb and the limits: --work-threads, --work-queue, --idle-timeout,
// --rate-limit, --burst, --anonymous-extract-per-min, --extract-budget-ms.
void AddServeOptions(CLI::App& sub, ServeFlags& flags, bool with_anonymous_flag);

// Serves ctx.db until SIGINT/SIGTERM. Prints "truce: serving http://HOST:PORT/"
// on ctx.out once listening (with --listen HOST:0, the port chosen).
Status Serve(Context& ctx, const ServeFlags& flags);

}  // namespace truce::cli
