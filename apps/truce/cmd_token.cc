#include <ostream>

#include "common.h"
#include "truce/core/utf8.h"

namespace truce::cli {
namespace {

class TokenCommand : public Command {
 public:
  std::string name() const override { return "token"; }
  std::string description() const override {
    return "Create, list and revoke the API tokens of 'truce serve'. Roles: viewer (reads), analyst\n"
           "(also ingests and adds agreements), admin (also manages tokens). Only a token's SHA-256 is\n"
           "stored: the token itself is printed once, by create.";
  }
  void Setup(CLI::App& sub) override {
    sub.require_subcommand(1);
    create_ = sub.add_subcommand("create", "Create a token and print it (once).");
    create_->add_option("--role", role_, "viewer, analyst or admin")->required()->check(TextArg());
    create_->add_option("--name", name_,
                        "who or what it is for (shown by list): one line of printable UTF-8, at most 256 bytes")
        ->check(TextArg(kMaxNameBytes));
    list_ = sub.add_subcommand("list", "List tokens (never the secrets).");
    revoke_ = sub.add_subcommand("revoke", "Revoke a token: it stops working at once.");
    revoke_->add_option("id", id_, "the token's id (from list)")->required();
  }
  Status Run(Context& ctx) override {
    TRUCE_ASSIGN_OR_RETURN(auto engine, OpenEngine(ctx));
    if (create_->parsed()) {
      // The same rule as POST /tokens (the validator above already refused a bad name).
      TRUCE_RETURN_IF_ERROR(CheckName(name_, "--name"));
      std::optional<Role> role = ParseRole(role_);
      if (!role) return Status::InvalidArgument("--role: expected viewer, analyst or admin, got '" + role_ + "'");
      TRUCE_ASSIGN_OR_RETURN(TokenGrant g, engine->CreateToken(*role, name_));
      *ctx.out << g.token << "\n";
      *ctx.err << "created token " << g.record.id << " (" << g.record.role
               << "); keep it now, it is not shown again\n";
      return Status::Ok();
    }
    if (list_->parsed()) {
      TRUCE_ASSIGN_OR_RETURN(auto tokens, engine->ListTokens());
      if (tokens.empty()) *ctx.out << "no tokens\n";
      // A name stored before names were checked (an old database) may hold a
      // newline or a tab: escaped, it cannot forge a row or a column.
      for (const auto& t : tokens) {
        *ctx.out << t.id << "\t" << EscapeControls(t.role) << "\t" << EscapeControls(t.created_at) << "\t"
                 << (t.revoked_at ? "revoked " + EscapeControls(*t.revoked_at) : std::string("active")) << "\t"
                 << EscapeControls(t.name) << "\n";
      }
      return Status::Ok();
    }
    TRUCE_RETURN_IF_ERROR(engine->RevokeToken(id_));
    *ctx.out << "revoked token " << id_ << "\n";
    return Status::Ok();
  }

 private:
  CLI::App *create_ = nullptr, *list_ = nullptr, *revoke_ = nullptr;
  std::string role_, name_;
  std::int64_t id_ = 0;
};

}  // namespace

std::unique_ptr<Command> MakeTokenCommand() { return std::make_unique<TokenCommand>(); }

}  // namespace truce::cli
