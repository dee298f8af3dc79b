#include <ostream>

#include "common.h"
#include "truce/core/utf8.h"

namespace truce::cli {
namespace {

// Stored text, one line each: an agreement stored before the loader checked
// text may hold control characters (invalid UTF-8 comes back repaired).
std::string E(std::string_view s) { return EscapeControls(s); }

void PrintAgreement(std::ostream& out, const agreement::LoadedAgreement& la) {
  const model::Agreement& a = la.agreement;
  out << E(a.id) << ": " << E(a.title) << "\n";
  if (a.signed_on) out << "  signed: " << time::FormatDate(*a.signed_on) << "\n";
  out << "  entry into force: " << time::FormatLocal(a.entry_into_force, a.timezone) << " ("
      << time::FormatInstantUtc(a.entry_into_force) << ")\n";
  if (a.end) out << "  end: " << time::FormatLocal(*a.end, a.timezone) << "\n";
  if (!a.amends.empty()) out << "  amends: " << E(a.amends) << "\n";
  if (!a.supersedes.empty()) out << "  supersedes: " << E(a.supersedes) << "\n";
  out << "  sides:\n";
  for (const auto& [id, side] : a.sides) {
    out << "    " << E(id) << " (guarantor " << (side.guarantor.empty() ? "-" : E(side.guarantor)) << "): ";
    for (size_t i = 0; i < side.actor_ids.size(); ++i) out << (i ? ", " : "") << E(side.actor_ids[i]);
    out << "\n";
  }
  out << "  zones:\n";
  for (const auto& z : a.zones) {
    out << "    " << E(z.id) << ": " << E(z.name.empty() ? z.id : z.name) << " (" << geo::ZoneShapeName(z.zone.shape())
        << (z.approximate ? ", approximate" : "") << ")\n";
  }
  out << "  provisions:\n";
  for (const auto& p : a.provisions) {
    out << "    " << E(p.id) << (p.article.empty() ? "" : " (" + E(p.article) + ")") << ": ";
    if (p.kind == model::ProvisionKind::kProhibition) {
      out << "prohibits ";
      for (size_t i = 0; i < p.prohibits.size(); ++i) out << (i ? ", " : "") << E(p.prohibits[i].ToString());
      out << " in ";
      for (size_t i = 0; i < p.where.size(); ++i) out << (i ? ", " : "") << E(p.where[i]);
    } else {
      out << "obligation " << model::ObligationKindName(p.obligation);
      if (!p.along.empty()) out << " along " << E(p.along);
      if (p.due) out << ", due " << time::FormatLocal(*p.due, a.timezone);
    }
    if (p.from) out << ", from " << time::FormatLocal(*p.from, a.timezone);
    out << "\n";
  }
}

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
        TRUCE_ASSIGN_OR_RETURN(auto la, agreement::LoadAgreementFile(f, *ctx.fs));
        *ctx.out << f << ": ok (" << la.agreement.id << ", " << la.agreement.provisions.size() << " provisions, "
                 << la.agreement.zones.size() << " zones)\n";
      }
      return Status::Ok();
    }
    TRUCE_ASSIGN_OR_RETURN(auto engine, OpenEngine(ctx));
    if (add_->parsed()) {
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
    TRUCE_ASSIGN_OR_RETURN(auto la, engine->GetAgreement(id_));
    PrintAgreement(*ctx.out, la);
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
