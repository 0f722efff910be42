// careledger: the operator's and user's command-line tool.
#include "CLI/CLI.hpp"
#include "network/cli/chaincode_commands.h"
#include "network/cli/command.h"

int main(int argc, char** argv) {
  CLI::App app{"careledger: run and use a CareLedger healthcare consortium"};
  app.require_subcommand(1);
  careledger::cli::CommandResult result;
  careledger::cli::RegisterCryptoCommands(app, result);
  careledger::cli::RegisterIdentityCommands(app, result);
  careledger::cli::RegisterChannelParticipationCommands(app, result, careledger::cli::ParticipatingNode::kOrderer);
  careledger::cli::RegisterChannelParticipationCommands(app, result, careledger::cli::ParticipatingNode::kPeer);
  careledger::cli::RegisterChannelCommands(app, result);
  careledger::cli::RegisterChaincodeCommands(app, result);
  careledger::cli::RegisterBenchCommands(app, result);
  careledger::cli::RegisterNetworkCommands(app, result);
  careledger::cli::RegisterDocumentCommands(app, result);
  careledger::cli::RegisterHealthcareCommands(app, result);
  careledger::cli::RegisterAuditCommands(app, result);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : careledger::cli::kExitUsage;
  }
  return careledger::cli::ReportAndExitCode(result.status);
}
