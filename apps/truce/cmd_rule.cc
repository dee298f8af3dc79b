#include <ostream>

#include "common.h"

namespace truce::cli {
namespace {

class RuleCommand : public Command {
 public:
  std::string name() const override { return "rule"; }
  std::string description() const override {
    return "Rule every stored incident against every stored agreement; replaces the stored findings\n"
           "and obligation statuses.";
  }
  void Setup(CLI::App& sub) override {
    sub.add_option("--as-of", as_of_, "day (YYYY-MM-DD) for obligation statuses (default: today, UTC)");
    sub.add_option("--scope-margin-km", margin_km_,
                   "incidents farther than this outside a provision's zones get no finding for it")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    sub.add_option("--scope-margin-days", margin_days_,
                   "incidents more than this many days outside a provision's time get no finding for it")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
  }
  Status Run(Context& ctx) override {
    std::optional<time::Days> as_of;
    if (!as_of_.empty()) {
      TRUCE_ASSIGN_OR_RETURN(as_of, ParseDayFlag("--as-of", as_of_));
    }
    RuleOptions options;
    options.scope_margin_m = margin_km_ * 1000;
    options.scope_margin = std::chrono::seconds(static_cast<long long>(margin_days_ * 86400));
    TRUCE_ASSIGN_OR_RETURN(auto engine, OpenEngine(ctx));
    TRUCE_ASSIGN_OR_RETURN(auto jobs, LockJobs(ctx, *engine));
    TRUCE_ASSIGN_OR_RETURN(RuleResult r, engine->Rule(options, as_of));
    *ctx.out << "ruled " << r.incidents << " incidents: " << r.findings << " findings";
    const char* order[] = {"violation", "undetermined", "exempt", "no_violation", "outside_scope"};
    for (const char* s : order) *ctx.out << ", " << (r.by_status.count(s) ? r.by_status.at(s) : 0) << " " << s;
    *ctx.out << "\n";
    for (const auto& o : r.obligations) {
      *ctx.out << "obligation " << o.agreement_id << " " << o.provision_id << ": "
               << model::ObligationStateName(o.state) << " (as of " << time::FormatDate(o.as_of) << ")\n";
    }
    return Status::Ok();
  }

 private:
  std::string as_of_;
  double margin_km_ = 50;
  double margin_days_ = 30;
};

}  // namespace

std::unique_ptr<Command> MakeRuleCommand() { return std::make_unique<RuleCommand>(); }

}  // namespace truce::cli
