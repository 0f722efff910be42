// How `careledger` command groups plug into the CLI: each group registers its subcommands on the app and
// reports its outcome through a shared exit status, so that main stays a few lines.
#ifndef CARELEDGER_NETWORK_CLI_COMMAND_H_
#define CARELEDGER_NETWORK_CLI_COMMAND_H_

#include <iostream>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"

namespace careledger::cli {

// Exit codes of careledger: 0 success, 1 the operation failed, 2 the command line was wrong.
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Where a command's callback leaves its result for main.
struct CommandResult {
  absl::Status status;
};

// Prints a failed status as "careledger: <message>" on stderr and returns the exit code.
inline int ReportAndExitCode(const absl::Status& status) {
  if (status.ok()) return 0;
  std::cerr << "careledger: " << status.message() << "\n";
  return status.code() == absl::StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
}

// The nodes that serve the channel participation API.
enum class ParticipatingNode { kOrderer, kPeer };

void RegisterCryptoCommands(CLI::App& app, CommandResult& result);
void RegisterIdentityCommands(CLI::App& app, CommandResult& result);
// `careledger orderer|peer channel join|list|info|remove`: the node's channel participation API. Adds the
// node's command (`careledger orderer`, `careledger peer`) to `app`.
void RegisterChannelParticipationCommands(CLI::App& app, CommandResult& result, ParticipatingNode node);
void RegisterChannelCommands(CLI::App& app, CommandResult& result);
void RegisterBenchCommands(CLI::App& app, CommandResult& result);
// `careledger network up|down|stop|status|logs|check|client-env`: a consortium's network on this machine.
void RegisterNetworkCommands(CLI::App& app, CommandResult& result);
// `careledger document upload|amend|fetch|verify|erase` and `careledger vault keygen` (docs/vault.md).
void RegisterDocumentCommands(CLI::App& app, CommandResult& result);
// The healthcare chaincode's role commands: `careledger patient|record|emergency|accesslog`
// (docs/healthcare-cli.md).
void RegisterHealthcareCommands(CLI::App& app, CommandResult& result);
// `careledger audit verify|report` (docs/audit.md).
void RegisterAuditCommands(CLI::App& app, CommandResult& result);

}  // namespace careledger::cli

#endif  // CARELEDGER_NETWORK_CLI_COMMAND_H_
