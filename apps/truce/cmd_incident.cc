#include <cstdlib>
#include <ostream>

#include "common.h"
#include "truce/core/utf8.h"

namespace truce::cli {
namespace {

// Who an override is recorded as made by: --by, else $USER.
std::string Analyst(const std::string& given) {
  if (!given.empty()) return given;
  const char* user = std::getenv("USER");
  return user && *user ? user : "unknown";
}

class IncidentCommand : public Command {
 public:
  std::string name() const override { return "incident"; }
  std::string description() const override {
    return "Incidents: each is one happening reconciled from one or more reports (dataset rows,\n"
           "GeoJSON observations, events read from news articles). list and show read; link, unlink\n"
           "and split are the analyst's overrides of the matcher, recorded with who (--by, default\n"
           "$USER) and when, kept across re-ingest and 'truce reconcile'. Ids are report ids: an\n"
           "incident's id is its first report's. The findings go stale after an override.";
  }
  void Setup(CLI::App& sub) override {
    sub.require_subcommand(1);
    list_ = sub.add_subcommand("list", "List incidents: date, support, sources, reports.");
    list_->add_option("--from", from_, "first day (YYYY-MM-DD)")->check(TextArg());
    list_->add_option("--to", to_, "last day (YYYY-MM-DD)")->check(TextArg());
    list_->add_option("--support", query_.support, "single, corroborated or observed")->check(TextArg());
    list_->add_option("--agreement", query_.agreement_id, "only incidents with a finding of this agreement")
        ->check(TextArg());
    list_->add_option("--format", format_, "table, csv or json")
        ->capture_default_str()
        ->check(CLI::IsMember({"table", "csv", "json"}));
    show_ = sub.add_subcommand("show", "Show one incident: its estimate, its reports and why each was merged,\n"
                                       "the figures each source gives, its support and findings.");
    show_->add_option("id", a_, "incident id (or the id of any of its reports)")->required();
    show_->add_option("--format", show_format_, "text or json")
        ->capture_default_str()
        ->check(CLI::IsMember({"text", "json"}));
    link_ = sub.add_subcommand("link", "Put reports A and B (and their incidents) in one incident.");
    unlink_ = sub.add_subcommand("unlink", "Keep reports A and B in different incidents.");
    for (CLI::App* s : {link_, unlink_}) {
      s->add_option("a", a_, "report id")->required();
      s->add_option("b", b_, "report id")->required();
    }
    split_ = sub.add_subcommand("split", "Make every report of incident ID an incident of its own.");
    split_->add_option("id", a_, "incident id")->required();
    for (CLI::App* s : {link_, unlink_, split_}) {
      s->add_option("--by", by_, "who decides (default: $USER)")->check(TextArg(256));
      s->add_option("--note", note_, "why, in a few words")->check(TextArg());
    }
  }
  Status Run(Context& ctx) override {
    if (list_->parsed()) {
      if (!from_.empty()) {
        TRUCE_ASSIGN_OR_RETURN(query_.from_day, ParseDayFlag("--from", from_));
      }
      if (!to_.empty()) {
        TRUCE_ASSIGN_OR_RETURN(query_.to_day, ParseDayFlag("--to", to_));
      }
      if (!query_.support.empty() && !model::ParseSupport(query_.support)) {
        return Status::InvalidArgument("--support: unknown support '" + query_.support +
                                       "' (single, corroborated, observed)");
      }
      TRUCE_ASSIGN_OR_RETURN(auto engine, OpenEngine(ctx));
      TRUCE_ASSIGN_OR_RETURN(std::string text, engine->IncidentsText(query_, format_));
      *ctx.out << text;
      return Status::Ok();
    }
    TRUCE_ASSIGN_OR_RETURN(auto engine, OpenEngine(ctx));
    if (show_->parsed()) {
      TRUCE_ASSIGN_OR_RETURN(std::string text, engine->IncidentText(a_, show_format_));
      *ctx.out << text;
      return Status::Ok();
    }
    const std::string analyst = Analyst(by_);
    TRUCE_RETURN_IF_ERROR(CheckName(analyst, "--by"));
    TRUCE_ASSIGN_OR_RETURN(auto jobs, LockJobs(ctx, *engine));
    OverrideResult r;
    if (link_->parsed()) {
      TRUCE_ASSIGN_OR_RETURN(r, engine->LinkReports(a_, b_, analyst, note_));
    } else if (unlink_->parsed()) {
      TRUCE_ASSIGN_OR_RETURN(r, engine->UnlinkReports(a_, b_, analyst, note_));
    } else {
      TRUCE_ASSIGN_OR_RETURN(r, engine->SplitIncident(a_, analyst, note_));
    }
    *ctx.out << r.message << "\n";
    *ctx.err << "the findings are stale: run 'truce rule'\n";
    return Status::Ok();
  }

 private:
  CLI::App *list_ = nullptr, *show_ = nullptr, *link_ = nullptr, *unlink_ = nullptr, *split_ = nullptr;
  IncidentQuery query_;
  std::string from_, to_, by_, note_;
  std::string format_ = "table", show_format_ = "text";
  std::int64_t a_ = 0, b_ = 0;
};

}  // namespace

std::unique_ptr<Command> MakeIncidentCommand() { return std::make_unique<IncidentCommand>(); }

}  // namespace truce::cli
