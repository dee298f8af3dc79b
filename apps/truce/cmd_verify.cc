#include <ostream>

#include "common.h"

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
    TRUCE_ASSIGN_OR_RETURN(EvidenceAnswer r, engine->VerifyEvidence(head_));
    *ctx.out << r.text;
    if (!r.intact) ctx.exit_code = kExitEvidence;
    return Status::Ok();
  }

 private:
  std::string head_;
};

}  // namespace

std::unique_ptr<Command> MakeVerifyCommand() { return std::make_unique<VerifyCommand>(); }

}  // namespace truce::cli
