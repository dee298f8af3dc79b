#include "common.h"

namespace truce::cli {

Result<std::unique_ptr<Engine>> OpenEngine(Context& ctx) { return Engine::Open(ctx.db, *ctx.fs, *ctx.clock); }

Result<time::Days> ParseDayFlag(const std::string& flag, const std::string& value) {
  auto d = time::ParseIsoDate(value);
  if (!d.ok()) return Status::InvalidArgument(flag + ": " + d.status().message());
  return d;
}

}  // namespace truce::cli
