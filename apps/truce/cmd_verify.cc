#include <algorithm>
#include <ostream>

#include "common.h"
#include "evidence_print.h"

namespace truce::cli {
namespace {

class VerifyCommand : public Command {
 public:
  std::string name() const override { return "verify"; }
  std::string description() const override {
    return "Check the evidence log: every entry's hash and link, every stored report, incident,\n"
           "claim, agreement and token against the entry that recorded it, and rows that no entry\n"
           "covers. Exit 6 when anything differs, naming the first entry that does not match.";
  }
  void Setup(CLI::App& sub) override {
    sub.add_option("--head", head_,
                   "an entry hash kept from an earlier verify or export (its HEAD): also fail unless the "
                   "chain still holds it, i.e. nothing up to it was rewritten");
  }
  Status Run(Context& ctx) override {
    if (!head_.empty() && (head_.size() != 64 || head_.find_first_not_of("0123456789abcdef") != std::string::npos)) {
      return Status::InvalidArgument("--head: expected 64 lower-case hex digits, got '" + head_ + "'");
    }
    TRUCE_ASSIGN_OR_RETURN(auto engine, OpenEngine(ctx));
    TRUCE_ASSIGN_OR_RETURN(store::EvidenceReport r, engine->VerifyEvidence());
    if (!head_.empty() && std::find(r.chain.begin(), r.chain.end(), head_) == r.chain.end()) {
      store::EvidenceProblem p;
      p.what = "the kept head " + head_ + " is not in the chain: entries up to it were rewritten or removed";
      r.problems.insert(r.problems.begin(), std::move(p));
    }
    if (!r.intact()) {
      PrintEvidenceProblems(*ctx.out, r);
      ctx.exit_code = kExitEvidence;
      return Status::Ok();
    }
    *ctx.out << r.entries << (r.entries == 1 ? " entry" : " entries") << ", chain intact (" << r.rows
             << " rows recomputed)\nhead " << r.head_sha256 << "\n";
    return Status::Ok();
  }

 private:
  std::string head_;
};

}  // namespace

std::unique_ptr<Command> MakeVerifyCommand() { return std::make_unique<VerifyCommand>(); }

}  // namespace truce::cli
