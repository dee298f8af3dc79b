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

// A --day / --from / --to value: YYYY-MM-DD, or InvalidArgument naming the flag.
Result<time::Days> ParseDayFlag(const std::string& flag, const std::string& value);

}  // namespace truce::cli
