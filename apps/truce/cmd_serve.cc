#include "serve.h"

namespace truce::cli {
namespace {

class ServeCommand : public Command {
 public:
  std::string name() const override { return "serve"; }
  std::string description() const override {
    return "Serve the HTTP API (/api/v1, docs/api.md) and the dashboard (/) on --db until Ctrl-C\n"
           "(SIGINT or SIGTERM: answers in flight are finished, then it exits 0).\n"
           "Every write needs a token (truce token create); reads too, unless --anonymous-read.";
  }
  void Setup(CLI::App& sub) override { AddServeOptions(sub, flags_, /*with_anonymous_flag=*/true); }
  Status Run(Context& ctx) override { return Serve(ctx, flags_); }

 private:
  ServeFlags flags_;
};

}  // namespace

std::unique_ptr<Command> MakeServeCommand() { return std::make_unique<ServeCommand>(); }

}  // namespace truce::cli
