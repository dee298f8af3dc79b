// truce: the command-line tool. Thin: parses the command line, runs one
// Command, and turns its Status into a message on stderr and an exit code.
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "command.h"

namespace truce::cli {

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return kExitOk;
    case StatusCode::kInvalidArgument: return kExitUsage;
    case StatusCode::kParseError:
    case StatusCode::kValidationError: return kExitBadInput;
    case StatusCode::kNotFound: return kExitNotFound;
    case StatusCode::kDatabaseError:
    case StatusCode::kBusy:
    case StatusCode::kFailedPrecondition: return kExitDatabase;
    default: return kExitFailure;
  }
}

}  // namespace truce::cli

int main(int argc, char** argv) {
  using namespace truce::cli;
  CLI::App app{"truce: rules incidents against ceasefire agreements.\n"
               "Exit codes: 0 ok, 1 failure, 2 usage, 3 bad input, 4 not found, 5 database (or busy: another\n"
               "writer held it longer than --wait), 6 evidence log\n"
               "does not verify (truce verify) or a copy does not match its source (truce copy).",
               "truce"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "truce 0.1.0");
  const char* env_db = std::getenv("TRUCE_DB");
  std::string db = env_db && *env_db ? env_db : "truce.db";
  app.add_option("--db", db, "database: a SQLite file path or a postgresql://user@host:port/db URL (default ./truce.db, or $TRUCE_DB)");
  // Writers take turns: one that finds the database locked waits, retrying
  // with back-off, rather than failing after SQLite's few seconds.
  double wait_s = 60;
  app.add_option("--wait", wait_s,
                 "seconds a write waits for another writer (an ingest, a server's job) to release the database "
                 "(and its job lock, for commands that write incidents, agreements or findings), "
                 "then exit 5; 0 = fail at once")
      ->type_name("SECONDS")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 86400.0 * 7).description(""));
  app.fallthrough();

  std::vector<std::unique_ptr<Command>> commands = AllCommands();
  Command* chosen = nullptr;
  for (auto& cmd : commands) {
    CLI::App* sub = app.add_subcommand(cmd->name(), cmd->description());
    cmd->Setup(*sub);
    Command* raw = cmd.get();
    sub->callback([&chosen, raw] { chosen = raw; });
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (chosen == nullptr) return kExitUsage;

  truce::RealFileSystem fs;
  truce::SystemClock clock;
  Context ctx{db, &std::cout, &std::cerr, &fs, &clock, static_cast<bool>(::isatty(STDERR_FILENO))};
  ctx.wait_s = wait_s;
  truce::Status status = chosen->Run(ctx);
  std::cout.flush();
  if (!status.ok()) {
    std::cerr << "truce " << chosen->name() << ": " << status.ToString();
    if (status.code() == truce::StatusCode::kBusy) {
      std::cerr << " (waited " << wait_s << " s; --wait SECONDS to wait longer)";
    }
    std::cerr << "\n";
    return ExitCodeFor(status);
  }
  return ctx.exit_code;
}
