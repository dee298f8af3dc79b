#include <ostream>

#include "common.h"

namespace truce::cli {
namespace {

class ReconcileCommand : public Command {
 public:
  std::string name() const override { return "reconcile"; }
  std::string description() const override {
    return "Re-match every stored report into incidents from scratch (docs/reconcile.md), honouring\n"
           "the analysts' overrides ('truce incident link/unlink/split'), and store the grouping in one\n"
           "transaction. 'truce ingest' already places new reports as it stores them; run this after\n"
           "changing the matching rules ($TRUCE_MATCHING) or the agreements' actor names. The findings\n"
           "go stale: run 'truce rule' next.";
  }
  void Setup(CLI::App&) override {}
  Status Run(Context& ctx) override {
    TRUCE_ASSIGN_OR_RETURN(auto engine, OpenEngine(ctx));
    TRUCE_ASSIGN_OR_RETURN(auto jobs, LockJobs(ctx, *engine));
    TRUCE_ASSIGN_OR_RETURN(ReconcileResult r, engine->Reconcile());
    *ctx.out << r.reports << " reports in " << r.incidents << " incidents (" << r.merged
             << " of two or more reports); " << r.overrides << " analyst decision(s) honoured\n";
    *ctx.err << "the findings are stale: run 'truce rule'\n";
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<Command> MakeReconcileCommand() { return std::make_unique<ReconcileCommand>(); }

}  // namespace truce::cli
