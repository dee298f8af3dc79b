#include <ostream>

#include "common.h"

namespace truce::cli {
namespace {

// Draws "ingest file.csv [#####-----]  48%" on a terminal; nothing elsewhere.
class ProgressBar {
 public:
  ProgressBar(std::ostream& err, bool enabled, std::string label)
      : err_(err), enabled_(enabled), label_(std::move(label)) {}
  void Update(std::size_t done, std::size_t total) {
    if (!enabled_ || total < (8u << 20)) return;  // only for large files
    int pct = static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total));
    if (pct == last_) return;
    last_ = pct;
    int filled = pct / 4;
    err_ << "\r" << label_ << " [" << std::string(filled, '#') << std::string(25 - filled, '-') << "] " << pct << "%"
         << std::flush;
    drawn_ = true;
  }
  void Finish() {
    if (drawn_) err_ << "\r" << std::string(label_.size() + 36, ' ') << "\r" << std::flush;
  }

 private:
  std::ostream& err_;
  bool enabled_;
  std::string label_;
  int last_ = -1;
  bool drawn_ = false;
};

class IngestCommand : public Command {
 public:
  std::string name() const override { return "ingest"; }
  std::string description() const override {
    return "Load dataset files (ACLED CSV of any vintage, UCDP GED CSV, GDELT 2.0 events, GeoJSON features).\n"
           "Each file is one transaction: a bad row stores nothing from that file unless --skip-bad-rows.\n"
           "A file ingested before (same content) adds nothing.";
  }
  void Setup(CLI::App& sub) override {
    sub.add_option("files", files_, "files to load")->required()->check(CLI::ExistingFile);
    sub.add_option("--format", format_, "auto (default: detected from the content), acled, ucdp, gdelt, geojson")
        ->capture_default_str();
    sub.add_flag("--skip-bad-rows", skip_bad_rows_, "load the good rows and report every bad one");
  }
  Status Run(Context& ctx) override {
    TRUCE_ASSIGN_OR_RETURN(ingest::Format format, ingest::ParseFormat(format_));
    TRUCE_ASSIGN_OR_RETURN(auto engine, OpenEngine(ctx));
    for (const std::string& f : files_) {
      ProgressBar bar(*ctx.err, ctx.err_is_tty, "ingest " + f);
      ingest::ReadOptions options;
      options.format = format;
      options.skip_bad_rows = skip_bad_rows_;
      options.progress = [&bar](std::size_t done, std::size_t total) { bar.Update(done, total); };
      auto result = engine->Ingest(f, options);
      bar.Finish();
      if (!result.ok()) return result.status();
      for (const auto& s : result->skipped) *ctx.out << "skipped " << s.message << "\n";
      if (result->already_ingested) {
        *ctx.out << f << ": already ingested (" << result->variant << ", " << result->records
                 << " records); nothing added\n";
      } else {
        *ctx.out << f << ": " << result->variant << ", " << result->records << " records, " << result->added
                 << " added, " << result->duplicates << " already stored, " << result->skipped.size()
                 << " skipped\n";
      }
    }
    return Status::Ok();
  }

 private:
  std::vector<std::string> files_;
  std::string format_ = "auto";
  bool skip_bad_rows_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeIngestCommand() { return std::make_unique<IngestCommand>(); }

}  // namespace truce::cli
