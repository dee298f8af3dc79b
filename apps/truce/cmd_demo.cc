#include <unistd.h>

#include <filesystem>
#include <ostream>

#include "common.h"
#include "serve.h"

namespace truce::cli {
namespace {

// Where the Idlib example lives: --example, else beside the sources this
// binary was built from, else ./examples/idlib-2020.
std::string FindExample(const std::string& given) {
  if (!given.empty()) return given;
  for (std::string dir : {std::string(TRUCE_SOURCE_DIR) + "/examples/idlib-2020", std::string("examples/idlib-2020")}) {
    if (std::filesystem::exists(dir + "/additional-protocol-2020.yaml")) return dir;
  }
  return "examples/idlib-2020";
}

class DemoCommand : public Command {
 public:
  std::string name() const override { return "demo"; }
  std::string description() const override {
    return "Run the Idlib 2020 example end to end in a fresh database at --db: add the 2018\n"
           "memorandum and the 2020 protocol, ingest the reconstructed incidents and patrol tracks,\n"
           "rule, and print the findings and the daily reports for 6 and 7 March 2020; then serve the\n"
           "dashboard and API on it (anonymous reads) until Ctrl-C, unless --no-serve.\n"
           "Refuses to touch a --db that already exists.";
  }
  void Setup(CLI::App& sub) override {
    sub.add_option("--example", example_, "the example directory (default: examples/idlib-2020)")->check(TextArg());
    sub.add_flag("--no-serve", no_serve_, "stop after printing; do not start the server");
    AddServeOptions(sub, serve_, /*with_anonymous_flag=*/false);
    serve_.anonymous_read = true;
  }
  Status Run(Context& ctx) override {
    const std::string dir = FindExample(example_);
    if (ctx.fs->Exists(ctx.db)) {
      return Status::AlreadyExists(ctx.db + " exists; the demo needs a fresh database (remove it or pass --db)");
    }
    TRUCE_ASSIGN_OR_RETURN(auto engine, OpenEngine(ctx));
    TRUCE_RETURN_IF_ERROR(engine->Init());
    std::ostream& out = *ctx.out;
    out << "== Truce demo: the Idlib ceasefire of 5 March 2020 (" << dir << ")\n";
    out << "   The incidents are an illustrative reconstruction from public reporting, not ACLED data.\n\n";

    TRUCE_ASSIGN_OR_RETURN(auto ids, engine->AddAgreements({dir + "/sochi-memorandum-2018.yaml",
                                                            dir + "/additional-protocol-2020.yaml"}));
    for (const auto& id : ids) out << "added agreement " << id << "\n";
    for (const char* f : {"incidents-2020.csv", "patrols-2020.geojson"}) {
      TRUCE_ASSIGN_OR_RETURN(auto r, engine->Ingest(dir + "/" + f, {}));
      out << "ingested " << f << ": " << r.variant << ", " << r.added << " incidents\n";
    }
    const time::Days as_of = *time::ParseIsoDate("2020-08-31");
    TRUCE_ASSIGN_OR_RETURN(RuleResult ruled, engine->Rule({}, as_of));
    out << "ruled " << ruled.incidents << " incidents: " << ruled.findings << " findings\n\n";

    FindingQuery query;
    query.agreement_id = "idlib-2020-protocol";
    TRUCE_ASSIGN_OR_RETURN(std::string table, engine->FindingsText(query, "table"));
    out << "== Findings under the Additional Protocol\n\n" << table << "\n";

    for (const char* day : {"2020-03-06", "2020-03-07"}) {
      TRUCE_ASSIGN_OR_RETURN(std::string md,
                             engine->DailyReport("idlib-2020-protocol", *time::ParseIsoDate(day), "markdown"));
      out << md << "\n";
    }
    for (const char* day : {"2020-03-15", "2020-08-31"}) {
      TRUCE_ASSIGN_OR_RETURN(auto obligations,
                             engine->ObligationsAsOf("idlib-2020-protocol", *time::ParseIsoDate(day)));
      out << "== Obligations of the Additional Protocol as of the end of " << day << "\n";
      for (const auto& o : obligations) {
        out << "  " << o.provision_id << ": " << model::ObligationStateName(o.state) << ": " << o.reason << "\n";
      }
      out << "\n";
    }
    out << "Database: " << ctx.db << "  (try: truce --db " << ctx.db << " findings --status violation)\n";
    if (no_serve_) return Status::Ok();
    out << "\n== Dashboard and API (Ctrl-C to stop)\n";
    engine.reset();
    return Serve(ctx, serve_);
  }

 private:
  std::string example_;
  bool no_serve_ = false;
  ServeFlags serve_;
};

}  // namespace

std::unique_ptr<Command> MakeDemoCommand() { return std::make_unique<DemoCommand>(); }

}  // namespace truce::cli
