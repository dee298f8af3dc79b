// Helpers the subcommands share: opening the engine on --db, parsing dates.
#pragma once

#include <memory>
#include <string>

#include "command.h"
#include "truce/facade/engine.h"

namespace truce::cli {

// Opens the database named by --db (without creating the schema); a write
// waits up to --wait for another writer, saying so on stderr.
Result<std::unique_ptr<Engine>> OpenEngine(Context& ctx);

// The database's job lock (Engine::TryLockJobs), held by a command that
// writes incidents, agreements or findings (ingest, agreement add, incident
// link/unlink/split, reconcile, rule) for as long as it runs, so that it never
// runs at once with a server's write job or another such command on the same
// database (docs/design.md, "Several servers"). Released when it goes; the
// engine must outlive it.
class JobLock {
 public:
  explicit JobLock(Engine* engine) : engine_(engine) {}
  ~JobLock();
  JobLock(const JobLock&) = delete;
  JobLock& operator=(const JobLock&) = delete;

 private:
  Engine* engine_;
};

// Takes the job lock: at once when free; else one line on stderr says the
// command waits ("truce: waiting for another writer's job ..."), and it tries
// again every 20 ms for up to --wait seconds, then Busy (exit 5).
Result<std::unique_ptr<JobLock>> LockJobs(Context& ctx, Engine& engine);

// Whether the database --db names is there: a SQLite file that exists, or a
// PostgreSQL database that holds truce's tables (an empty database, as its
// administrator creates it, is to PostgreSQL what a missing file is to
// SQLite). DatabaseError when the server cannot be reached.
Result<bool> DatabaseExists(Context& ctx);

// A --day / --from / --to value: YYYY-MM-DD, or InvalidArgument naming the flag.
Result<time::Days> ParseDayFlag(const std::string& flag, const std::string& value);

// A check for text arguments (ids, names, dates, paths): valid UTF-8 with no
// control characters (core's CheckName rule) and at most `max_bytes`, so that
// only printable text reaches messages, lookups and the database. CLI11
// reports a failure naming the argument ("--name: invalid UTF-8 (byte 0xFF at
// byte 3)") and main exits 2. Adds nothing to --help.
CLI::Validator TextArg(std::size_t max_bytes = std::string::npos);

}  // namespace truce::cli
