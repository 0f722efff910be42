// `careledger chaincode ...`: installing chaincode packages and defining chaincodes on a channel through a peer's
// Fabric Gateway (network/cli/chaincode_commands.cc describes each command).
#ifndef CARELEDGER_NETWORK_CLI_CHAINCODE_COMMANDS_H_
#define CARELEDGER_NETWORK_CLI_CHAINCODE_COMMANDS_H_

#include "CLI/CLI.hpp"
#include "network/cli/command.h"

namespace careledger::cli {

// Adds the `chaincode` command group to `app`; each command leaves its outcome in `result`.
void RegisterChaincodeCommands(CLI::App& app, CommandResult& result);

}  // namespace careledger::cli

#endif  // CARELEDGER_NETWORK_CLI_CHAINCODE_COMMANDS_H_
