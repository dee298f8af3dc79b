// The one place that lists the subcommands.
#include "command.h"

namespace truce::cli {

std::unique_ptr<Command> MakeInitCommand();
std::unique_ptr<Command> MakeAgreementCommand();
std::unique_ptr<Command> MakeIngestCommand();
std::unique_ptr<Command> MakeRuleCommand();
std::unique_ptr<Command> MakeReconcileCommand();
std::unique_ptr<Command> MakeIncidentCommand();
std::unique_ptr<Command> MakeFindingsCommand();
std::unique_ptr<Command> MakeReportCommand();
std::unique_ptr<Command> MakeDemoCommand();
std::unique_ptr<Command> MakeExtractCommand();
std::unique_ptr<Command> MakeServeCommand();
std::unique_ptr<Command> MakeTokenCommand();
std::unique_ptr<Command> MakeVerifyCommand();
std::unique_ptr<Command> MakeExportEvidenceCommand();
std::unique_ptr<Command> MakeCopyCommand();

std::vector<std::unique_ptr<Command>> AllCommands() {
  std::vector<std::unique_ptr<Command>> all;
  all.push_back(MakeInitCommand());
  all.push_back(MakeAgreementCommand());
  all.push_back(MakeIngestCommand());
  all.push_back(MakeRuleCommand());
  all.push_back(MakeReconcileCommand());
  all.push_back(MakeIncidentCommand());
  all.push_back(MakeFindingsCommand());
  all.push_back(MakeReportCommand());
  all.push_back(MakeExtractCommand());
  all.push_back(MakeServeCommand());
  all.push_back(MakeTokenCommand());
  all.push_back(MakeVerifyCommand());
  all.push_back(MakeExportEvidenceCommand());
  all.push_back(MakeCopyCommand());
  all.push_back(MakeDemoCommand());
  return all;
}

}  // namespace truce::cli
