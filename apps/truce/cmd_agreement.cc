#include <ostream>

#include "common.h"
#include "truce/core/utf8.h"

namespace truce::cli {
namespace {

// Stored text, one line each: an agreement stored before the loader checked
// text may hold control characters (invalid UTF-8 comes back repaired).
std::string E(std::string_view s) { return EscapeControls(s); }

class AgreementCommand : public Command {
 public:
  std::string name() const override { return "agreement"; }
  std::string description() const override { return "Check, add, list and show agreements."; }
  void Setup(CLI::App& sub) override {
    sub.require_subcommand(1);
    check_ = sub.add_subcommand("check", "Validate agreement files without storing them.");
    check_->add_option("files", files_, "agreement YAML files")->required()->check(TextArg())->check(CLI::ExistingFile);
    add_ = sub.add_subcommand("add", "Validate agreement files and store them (all or none).");
    add_->add_option("files", files_, "agreement YAML files")->required()->check(TextArg())->check(CLI::ExistingFile);
    list_ = sub.add_subcommand("list", "List stored agreements.");
    show_ = sub.add_subcommand("show", "Show a stored agreement.");
    show_->add_option("id", id_, "agreement id")->required()->check(TextArg());
  }
  Status Run(Context& ctx) override {
    if (check_->parsed()) {
      for (const std::string& f : files_) {
        TRUCE_ASSIGN_OR_RETURN(AgreementSummary a, Engine::CheckAgreement(f, *ctx.fs));
        *ctx.out << f << ": ok (" << a.id << ", " << a.provisions << " provisions, " << a.zones << " zones)\n";
      }
      return Status::Ok();
    }
    TRUCE_ASSIGN_OR_RETURN(auto engine, OpenEngine(ctx));
    if (add_->parsed()) {
      TRUCE_ASSIGN_OR_RETURN(auto jobs, LockJobs(ctx, *engine));
      TRUCE_ASSIGN_OR_RETURN(auto ids, engine->AddAgreements(files_));
      for (const auto& id : ids) *ctx.out << "added " << id << "\n";
      return Status::Ok();
    }
    if (list_->parsed()) {
      TRUCE_ASSIGN_OR_RETURN(auto all, engine->ListAgreements());
      if (all.empty()) *ctx.out << "no agreements\n";
      for (const auto& a : all) {
        *ctx.out << E(a.id) << "\t" << E(a.entry_into_force) << "\t" << a.provisions << " provisions\t" << E(a.title)
                 << "\n";
      }
      return Status::Ok();
    }
    TRUCE_ASSIGN_OR_RETURN(std::string text, engine->AgreementText(id_));
    *ctx.out << text;
    return Status::Ok();
  }

 private:
  CLI::App *check_ = nullptr, *add_ = nullptr, *list_ = nullptr, *show_ = nullptr;
  std::vector<std::string> files_;
  std::string id_;
};

}  // namespace

std::unique_ptr<Command> MakeAgreementCommand() { return std::make_unique<AgreementCommand>(); }

}  // namespace truce::cli
