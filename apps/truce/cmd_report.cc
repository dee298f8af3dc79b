#include <ostream>

#include "common.h"

namespace truce::cli {
namespace {

class ReportCommand : public Command {
 public:
  std::string name() const override { return "report"; }
  std::string description() const override {
    return "The daily report of one agreement: findings by status, violations per side and area\n"
           "compared with the previous day, each incident's reason, and obligations due.";
  }
  void Setup(CLI::App& sub) override {
    sub.add_option("--agreement", agreement_, "agreement id")->required()->check(TextArg());
    sub.add_option("--day", day_, "the day (YYYY-MM-DD, in the agreement's time zone)")->required()->check(TextArg());
    sub.add_option("--format", format_, "markdown (people), json (programs) or html (a self-contained page)")
        ->capture_default_str()
        ->check(CLI::IsMember({"markdown", "json", "html"}));
  }
  Status Run(Context& ctx) override {
    TRUCE_ASSIGN_OR_RETURN(time::Days day, ParseDayFlag("--day", day_));
    TRUCE_ASSIGN_OR_RETURN(auto engine, OpenEngine(ctx));
    TRUCE_ASSIGN_OR_RETURN(std::string text, engine->DailyReport(agreement_, day, format_));
    *ctx.out << text;
    return Status::Ok();
  }

 private:
  std::string agreement_, day_;
  std::string format_ = "markdown";
};

}  // namespace

std::unique_ptr<Command> MakeReportCommand() { return std::make_unique<ReportCommand>(); }

}  // namespace truce::cli
