#include "common.h"

#include "truce/core/strings.h"
#include "truce/core/utf8.h"
#include "truce/store/store.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ostream>
#include <thread>

namespace truce::cli {

Result<std::unique_ptr<Engine>> OpenEngine(Context& ctx) {
  EngineOptions options;
  options.busy_timeout_ms = std::llround(ctx.wait_s * 1000);
  // Said each time a write starts waiting, so that a command that seems to
  // hang tells why.
  std::ostream* err = ctx.err;
  const double wait_s = ctx.wait_s;
  options.on_wait = [err, wait_s] {
    *err << "truce: waiting for another writer to release the database (up to " << wait_s
         << " s; --wait SECONDS to change)...\n"
         << std::flush;
  };
  // The matching rules: $TRUCE_MATCHING, else those built in (docs/reconcile.md).
  if (const char* matching = std::getenv("TRUCE_MATCHING"); matching && *matching) options.matching_path = matching;
  return Engine::Open(ctx.db, *ctx.fs, *ctx.clock, options);
}

JobLock::~JobLock() { (void)engine_->UnlockJobs(); }

Result<std::unique_ptr<JobLock>> LockJobs(Context& ctx, Engine& engine) {
  // As a server's job polls it (src/server/api.cc).
  constexpr auto kPoll = std::chrono::milliseconds(20);
  const auto start = std::chrono::steady_clock::now();
  const auto limit = std::chrono::duration<double>(ctx.wait_s);
  for (bool said = false;;) {
    TRUCE_ASSIGN_OR_RETURN(bool locked, engine.TryLockJobs());
    if (locked) return std::make_unique<JobLock>(&engine);
    if (std::chrono::steady_clock::now() - start >= limit) {
      return Status::Busy("another process holds the database's job lock (a server's write job, or a truce "
                          "command that writes: ingest, agreement add, incident link/unlink/split, reconcile, "
                          "rule)");
    }
    if (!said) {
      *ctx.err << "truce: waiting for another writer's job (a server's, or another truce command's) to finish "
               << "(up to " << ctx.wait_s << " s; --wait SECONDS to change)...\n"
               << std::flush;
      said = true;
    }
    std::this_thread::sleep_for(kPoll);
  }
}

Result<bool> DatabaseExists(Context& ctx) {
  // The URL schemes OpenStore sends to PostgreSQL.
  const std::string lower = ToLowerAscii(ctx.db.substr(0, 16));
  if (!StartsWith(lower, "postgresql://") && !StartsWith(lower, "postgres://")) return ctx.fs->Exists(ctx.db);
  TRUCE_ASSIGN_OR_RETURN(auto store, store::OpenStore(ctx.db));
  TRUCE_ASSIGN_OR_RETURN(int version, store->SchemaVersion());
  return version > 0;
}

Result<time::Days> ParseDayFlag(const std::string& flag, const std::string& value) {
  auto d = time::ParseIsoDate(value);
  if (!d.ok()) return Status::InvalidArgument(flag + ": " + d.status().message());
  return d;
}

CLI::Validator TextArg(std::size_t max_bytes) {
  return CLI::Validator(
      [max_bytes](std::string& value) -> std::string {
        Status st = CheckName(value, "", max_bytes);
        return st.ok() ? std::string() : st.message();
      },
      "");
}

}  // namespace truce::cli
