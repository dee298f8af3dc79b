// truce-extract-dev: `truce extract` on its own, for development before the
// command is registered in apps/truce (same Command class, same exit codes).
#include <unistd.h>

#include <iostream>

#include "command.h"

namespace truce::cli {
std::unique_ptr<Command> MakeExtractCommand();
}

int main(int argc, char** argv) {
  using namespace truce::cli;
  std::unique_ptr<Command> cmd = MakeExtractCommand();
  CLI::App app{"truce-extract-dev: " + cmd->description()};
  cmd->Setup(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  truce::RealFileSystem fs;
  truce::SystemClock clock;
  Context ctx{"", &std::cout, &std::cerr, &fs, &clock, static_cast<bool>(::isatty(STDERR_FILENO))};
  truce::Status st = cmd->Run(ctx);
  std::cout.flush();
  if (!st.ok()) {
    std::cerr << "truce extract: " << st.ToString() << "\n";
    switch (st.code()) {
      case truce::StatusCode::kInvalidArgument: return kExitUsage;
      case truce::StatusCode::kParseError:
      case truce::StatusCode::kValidationError: return kExitBadInput;
      case truce::StatusCode::kNotFound: return kExitNotFound;
      default: return kExitFailure;
    }
  }
  return kExitOk;
}
