#include <cstdio>
#include <cstdlib>
#include <ostream>

#include "common.h"
#include "truce/store/copy.h"

namespace truce::cli {
namespace {

class CopyCommand : public Command {
 public:
  std::string name() const override { return "copy"; }
  std::string description() const override {
    return "Copy a whole database into another, ids kept, in one transaction on the target, then check\n"
           "it: rows and SHA-256 per table, and the evidence log verified on the target with the source's\n"
           "head. Exit 6 when anything differs. --db is not used.";
  }
  void Setup(CLI::App& sub) override {
    sub.add_option("--from", from_, "the database to copy (a SQLite path or a postgresql:// URL); only read")
        ->required()
        ->check(TextArg());
    sub.add_option("--to", to_,
                   "the database to write (created, or its schema upgraded); refused if it holds data")
        ->required()
        ->check(TextArg());
    sub.add_flag("--replace", replace_, "overwrite a target that holds data (its rows are deleted)");
  }
  Status Run(Context& ctx) override {
    store::CopyOptions options;
    options.replace = replace_;
    options.open.busy_timeout_ms = std::llround(ctx.wait_s * 1000);
    TRUCE_ASSIGN_OR_RETURN(store::CopyReport r, store::CopyDatabase(from_, to_, options));
    std::int64_t rows = 0;
    bool tables_match = true;
    char line[256];
    std::snprintf(line, sizeof line, "%-20s %9s  %s\n", "TABLE", "ROWS", "SHA-256");
    *ctx.out << line;
    for (const store::TableCopy& t : r.tables) {
      rows += t.source_rows;
      std::snprintf(line, sizeof line, "%-20s %9lld  %s\n", t.table.c_str(), static_cast<long long>(t.source_rows),
                    t.source_sha256.c_str());
      *ctx.out << line;
      if (!t.matches()) {
        tables_match = false;
        std::snprintf(line, sizeof line, "%-20s %9lld  %s  <- the target read back differs\n", "",
                      static_cast<long long>(t.target_rows), t.target_sha256.c_str());
        *ctx.out << line;
      }
    }
    if (!tables_match) {
      *ctx.out << "copy failed: the target does not hold what was read; rolled back, nothing written\n";
      ctx.exit_code = kExitEvidence;
      return Status::Ok();
    }
    *ctx.out << "evidence log: source " << r.source_entries << " entries, "
             << (r.source_intact ? "intact" : "DOES NOT VERIFY") << ", head " << r.source_head << "\n"
             << "evidence log: target " << r.target_entries << " entries, "
             << (r.target_intact ? "intact" : "DOES NOT VERIFY") << ", head " << r.target_head << "\n";
    if (!r.ok()) {
      *ctx.out << (r.source_intact ? "copy written, but the target's evidence log does not verify as the source's"
                                   : "copy written as read, but the source's evidence log does not verify")
               << " ('truce verify' on each says where)\n";
      ctx.exit_code = kExitEvidence;
      return Status::Ok();
    }
    *ctx.out << "copied " << r.tables.size() << " tables, " << rows << " rows (schema version " << r.schema_version
             << "); counts, hashes and evidence head match\n";
    return Status::Ok();
  }

 private:
  std::string from_, to_;
  bool replace_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeCopyCommand() { return std::make_unique<CopyCommand>(); }

}  // namespace truce::cli
