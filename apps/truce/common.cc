#include "common.h"

#include "truce/core/strings.h"
#include "truce/core/utf8.h"
#include "truce/store/store.h"

#include <cmath>
#include <cstdlib>
#include <ostream>

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
