// The CLI's small command framework: one Command subclass per subcommand, in
// its own cmd_<name>.cc, listed once in commands.cc. main.cc alone turns a
// Status into a message and an exit code (see docs/cli.md, "Exit codes").
#pragma once

#include <CLI/CLI.hpp>

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "truce/core/env.h"
#include "truce/core/status.h"

namespace truce::cli {

// What every command may use; nothing reaches for globals.
struct Context {
  std::string db;          // --db PATH (default ./truce.db, or $TRUCE_DB)
  std::ostream* out;       // results
  std::ostream* err;       // progress and diagnostics
  FileSystem* fs;
  Clock* clock;
  bool err_is_tty = false; // whether progress bars may be drawn
  // The exit code of a command that ran to the end but must report a
  // finding through it (verify: kExitEvidence); a failure is a Status.
  int exit_code = 0;
  // --wait SECONDS: how long a write waits for another writer's lock before
  // failing (exit 5); 0 fails at once.
  double wait_s = 60;
};

class Command {
 public:
  virtual ~Command() = default;
  virtual std::string name() const = 0;
  virtual std::string description() const = 0;
  // Declares the subcommand's options on `sub` (binding them to members).
  virtual void Setup(CLI::App& sub) = 0;
  // Runs with the options parsed. Expected failures come back as a Status.
  virtual Status Run(Context& ctx) = 0;
};

// Every subcommand, in the order `truce --help` lists them.
std::vector<std::unique_ptr<Command>> AllCommands();

// Exit codes (documented in docs/cli.md and `truce --help`).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;      // a runtime failure not listed below
inline constexpr int kExitUsage = 2;        // bad command line
inline constexpr int kExitBadInput = 3;     // input file malformed or invalid
inline constexpr int kExitNotFound = 4;     // a named file, agreement or record does not exist
inline constexpr int kExitDatabase = 5;     // the database failed or is not initialised
inline constexpr int kExitEvidence = 6;     // verify: the evidence log does not match the stored data
int ExitCodeFor(const Status& status);

}  // namespace truce::cli
