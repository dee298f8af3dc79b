#include "serve.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <ostream>

#include "common.h"
#include "truce/server/server.h"

namespace truce::cli {
namespace {

std::string FindWebDir(const std::string& given) {
  if (!given.empty()) return given;
  if (const char* env = std::getenv("TRUCE_WEB"); env != nullptr && *env) return env;
  for (std::string dir : {std::string(TRUCE_SOURCE_DIR) + "/web/dist", std::string("web/dist")}) {
    if (std::filesystem::exists(dir + "/index.html")) return dir;
  }
  return "";
}

}  // namespace

void AddServeOptions(CLI::App& sub, ServeFlags& flags, bool with_anonymous_flag) {
  sub.add_option("--listen", flags.listen, "address and port, HOST:PORT (default 127.0.0.1:8080; port 0: any free one)");
  if (with_anonymous_flag) {
    sub.add_flag("--anonymous-read", flags.anonymous_read,
                 "let anyone read (GET routes and extraction) without a token; writes still need one");
  }
  sub.add_option("--web", flags.web,
                 "the dashboard's built files (default: web/dist beside the sources, or $TRUCE_WEB), read once at start; "
                 "NAME.br / NAME.gz beside a file are sent to browsers that accept them, names with a content hash "
                 "(app-HASH.js) are cached for a year, index.html is revalidated");
  sub.add_option("--access-log", flags.access_log, "where to write one JSON line per request: a file, - (stderr, "
                                                   "the default) or off");
  sub.add_option("--threads", flags.threads, "I/O threads: they read requests and answer all but the heavy ones (default 2)")->check(CLI::Range(1, 64));
  sub.add_option("--max-body-mb", flags.max_body_mb, "larger request bodies are refused with 413 (default 64)")
      ->check(CLI::Range(1, 4096));
  sub.add_option("--work-threads", flags.work_threads,
                 "threads for extraction and waits for jobs (GET /jobs/ID?wait=), apart from the --threads "
                 "that answer the rest (default 2)")
      ->check(CLI::Range(1, 64));
  sub.add_option("--work-queue", flags.work_queue,
                 "heavy requests that may wait for a work thread, and write jobs (POST /ingest, /agreements) "
                 "that may wait behind the running one; more get 503 with Retry-After (default 16)")
      ->check(CLI::Range(0, 100000));
  sub.add_option("--idle-timeout", flags.idle_timeout_s,
                 "seconds an idle keep-alive connection is kept, and within which a request's header must "
                 "arrive (default 30)")
      ->check(CLI::Range(1, 86400));
  sub.add_option("--max-connections", flags.max_connections,
                 "connections open at once; a new one beyond them closes the connection idle longest, or is "
                 "closed itself when none is idle (default 0: what the descriptor limit, ulimit -n, leaves room "
                 "for after an eighth of it, at least 32, is kept for database files and files served)")
      ->check(CLI::Range(0, 1000000));
  sub.add_option("--rate-limit", flags.rate_limit_per_s,
                 "API requests per second per token (or per client address without one); more get 429 with "
                 "Retry-After (default 50; 0: no limit)")
      ->check(CLI::Range(0.0, 1e6));
  sub.add_option("--burst", flags.burst, "requests above --rate-limit allowed at once (default 500)")
      ->check(CLI::Range(1.0, 1e9));
  if (with_anonymous_flag) {
    sub.add_option("--anonymous-extract-per-min", flags.anonymous_extract_per_min,
                   "with --anonymous-read: extractions per minute per client address without a token, each at "
                   "most 256 KiB (default 6; 0: extraction needs a token)")
        ->check(CLI::Range(0.0, 1e6));
  }
  sub.add_option("--extract-budget-ms", flags.extract_budget_ms,
                 "time one extraction may take (POST /extract, news ingest); longer texts are refused with "
                 "400 (default 5000; 0: no limit)")
      ->check(CLI::Range(0, 3600000));
}

Status Serve(Context& ctx, const ServeFlags& flags) {
  const std::size_t colon = flags.listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Status::InvalidArgument("--listen: expected HOST:PORT, got '" + flags.listen + "'");
  }
  server::ServerOptions options;
  options.db = ctx.db;
  options.host = flags.listen.substr(0, colon);
  const std::string port = flags.listen.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) > 65535) {
    return Status::InvalidArgument("--listen: '" + port + "' is not a port number (0-65535)");
  }
  options.port = static_cast<std::uint16_t>(std::stoi(port));
  options.anonymous_read = flags.anonymous_read;
  options.threads = flags.threads;
  options.max_body_bytes = static_cast<std::size_t>(flags.max_body_mb) << 20;
  options.work_threads = flags.work_threads;
  options.work_queue = static_cast<std::size_t>(flags.work_queue);
  options.idle_timeout_s = flags.idle_timeout_s;
  options.max_connections = static_cast<std::size_t>(flags.max_connections);
  options.rate_limit_per_s = flags.rate_limit_per_s;
  options.burst = flags.burst;
  options.anonymous_extract_per_min = flags.anonymous_extract_per_min;
  options.article.extract_budget_ms = flags.extract_budget_ms;
  options.error_log = ctx.err;
  options.web_dir = FindWebDir(flags.web);
  if (options.web_dir.empty()) {
    *ctx.err << "warning: no dashboard found (build it with 'npm run build' or pass --web); serving the API only\n";
  }
  std::ofstream log_file;
  if (flags.access_log == "-") {
    options.access_log = ctx.err;
  } else if (flags.access_log != "off") {
    log_file.open(flags.access_log, std::ios::app);
    if (!log_file) return Status::IoError("--access-log: cannot open '" + flags.access_log + "' for appending");
    options.access_log = &log_file;
  }
  TRUCE_ASSIGN_OR_RETURN(bool exists, DatabaseExists(ctx));
  if (!exists) {
    return Status::NotFound(ctx.db + ": no such database (create one with 'truce init' or 'truce demo')");
  }
  TRUCE_ASSIGN_OR_RETURN(auto server, server::Server::Create(options, *ctx.fs, *ctx.clock));
  *ctx.out << "truce: serving http://" << options.host << ":" << server->port() << "/"
           << (flags.anonymous_read ? " (anonymous reads allowed)" : "") << std::endl;
  *ctx.err << "press Ctrl-C to stop\n";
  Status s = server->Run();
  *ctx.err << "truce: stopped\n";
  return s;
}

}  // namespace truce::cli
