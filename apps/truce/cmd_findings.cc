#include <ostream>

#include "common.h"

namespace truce::cli {
namespace {

class FindingsCommand : public Command {
 public:
  std::string name() const override { return "findings"; }
  std::string description() const override {
    return "Print stored findings (run `truce rule` first), filtered: one per incident and provision;\n"
           "each says its support (single, corroborated, observed) and who reported the incident.\n"
           "--format json prints an array of objects with at least status, reason, provision,\n"
           "agreement, side, date and location.";
  }
  void Setup(CLI::App& sub) override {
    sub.add_option("--agreement", filter_.agreement_id, "agreement id")->check(TextArg());
    sub.add_option("--side", filter_.side, "responsible side id")->check(TextArg());
    sub.add_option("--status", status_, "violation, exempt, no_violation, outside_scope or undetermined")
        ->check(TextArg());
    sub.add_option("--zone", filter_.zone_id, "zone id")->check(TextArg());
    sub.add_option("--from", from_, "first incident day (YYYY-MM-DD)")->check(TextArg());
    sub.add_option("--to", to_, "last incident day (YYYY-MM-DD)")->check(TextArg());
    sub.add_option("--support", filter_.support, "single, corroborated or observed")->check(TextArg());
    sub.add_option("--by", by_,
                   "incident (DEFAULT: the stored findings, one per incident) or report (every report ruled on\n"
                   "its own now, as if nothing were reconciled: the per-report view for audits)")
        ->capture_default_str()
        ->check(CLI::IsMember({"incident", "report"}));
    sub.add_option("--sort", filter_.sort,
                   "the order: date (DEFAULT), status, side, location, support, agreement, event_type, actor,\n"
                   "fatalities, distance_m, incident or confidence; '-' first for descending (-date: newest first)")
        ->check(TextArg());
    sub.add_option("--format", format_, "table, csv, json or geojson")
        ->capture_default_str()
        ->check(CLI::IsMember({"table", "csv", "json", "geojson"}));
  }
  Status Run(Context& ctx) override {
    if (!status_.empty()) {
      if (!model::ParseFindingStatus(status_)) {
        return Status::InvalidArgument("--status: unknown status '" + status_ +
                                       "' (violation, exempt, no_violation, outside_scope, undetermined)");
      }
      filter_.status = status_;
    }
    if (!filter_.support.empty() && !model::ParseSupport(filter_.support)) {
      return Status::InvalidArgument("--support: unknown support '" + filter_.support +
                                     "' (single, corroborated, observed)");
    }
    if (Status s = CheckFindingSort(filter_.sort); !s.ok()) return Status::InvalidArgument("--sort: " + s.message());
    filter_.by_report = by_ == "report";
    if (!from_.empty()) {
      TRUCE_ASSIGN_OR_RETURN(filter_.from_day, ParseDayFlag("--from", from_));
    }
    if (!to_.empty()) {
      TRUCE_ASSIGN_OR_RETURN(filter_.to_day, ParseDayFlag("--to", to_));
    }
    TRUCE_ASSIGN_OR_RETURN(auto engine, OpenEngine(ctx));
    TRUCE_ASSIGN_OR_RETURN(std::string text, engine->FindingsText(filter_, format_));
    *ctx.out << text;
    return Status::Ok();
  }

 private:
  FindingQuery filter_;
  std::string status_, from_, to_;
  std::string format_ = "table";
  std::string by_ = "incident";
};

}  // namespace

std::unique_ptr<Command> MakeFindingsCommand() { return std::make_unique<FindingsCommand>(); }

}  // namespace truce::cli
