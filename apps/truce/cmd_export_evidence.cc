#include <filesystem>
#include <ostream>
#include <system_error>

#include "common.h"

namespace truce::cli {
namespace {

class ExportEvidenceCommand : public Command {
 public:
  std::string name() const override { return "export-evidence"; }
  std::string description() const override {
    return "Verify the evidence log, then write it as a self-verifying bundle into DIR (new or empty):\n"
           "entries/, records/, HEAD, MANIFEST.sha256 and VERIFY.md, the procedure a third party runs\n"
           "with sha256sum alone. Exit 6, writing nothing, when the log does not verify.";
  }
  void Setup(CLI::App& sub) override {
    sub.add_option("dir", dir_, "the bundle's directory (created; must be empty if it exists)")->required();
  }
  Status Run(Context& ctx) override {
    namespace fs = std::filesystem;
    std::error_code ec;
    const bool existed = fs::exists(dir_, ec);
    if (existed && (!fs::is_directory(dir_, ec) || !fs::is_empty(dir_, ec))) {
      return Status::InvalidArgument(dir_ + ": exists and is not an empty directory");
    }
    TRUCE_ASSIGN_OR_RETURN(auto engine, OpenEngine(ctx));
    for (const char* sub : {"", "/entries", "/records"}) {
      fs::create_directories(dir_ + sub, ec);
      if (ec) return Status::IoError(dir_ + sub + ": cannot create the directory: " + ec.message());
    }
    Result<EvidenceAnswer> r = engine->ExportEvidence(dir_);
    if (!r.ok() || !r->intact) {
      // Nothing was written or what was is incomplete: leave no bundle behind.
      if (existed) {
        for (const auto& entry : fs::directory_iterator(dir_, ec)) fs::remove_all(entry.path(), ec);
      } else {
        fs::remove_all(dir_, ec);
      }
      if (!r.ok()) return r.status();
      *ctx.out << r->text;
      ctx.exit_code = kExitEvidence;
      return Status::Ok();
    }
    *ctx.out << r->text;
    return Status::Ok();
  }

 private:
  std::string dir_;
};

}  // namespace

std::unique_ptr<Command> MakeExportEvidenceCommand() { return std::make_unique<ExportEvidenceCommand>(); }

}  // namespace truce::cli
