#include <ostream>

#include "common.h"

namespace truce::cli {
namespace {

class InitCommand : public Command {
 public:
  std::string name() const override { return "init"; }
  std::string description() const override {
    return "Create the database (or upgrade its schema) at --db.";
  }
  void Setup(CLI::App&) override {}
  Status Run(Context& ctx) override {
    TRUCE_ASSIGN_OR_RETURN(auto engine, OpenEngine(ctx));
    TRUCE_RETURN_IF_ERROR(engine->Init());
    TRUCE_ASSIGN_OR_RETURN(int version, engine->SchemaVersion());
    *ctx.out << "initialised " << ctx.db << " (schema version " << version << ")\n";
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<Command> MakeInitCommand() { return std::make_unique<InitCommand>(); }

}  // namespace truce::cli
