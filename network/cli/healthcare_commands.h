// The role commands of the healthcare chaincode: `careledger patient|record|emergency|accesslog ...`
// (network/cli/healthcare_commands.cc describes each; docs/healthcare-cli.md is the user's page).
#ifndef CARELEDGER_NETWORK_CLI_HEALTHCARE_COMMANDS_H_
#define CARELEDGER_NETWORK_CLI_HEALTHCARE_COMMANDS_H_

#include "CLI/CLI.hpp"
#include "network/cli/command.h"

namespace careledger::cli {

// Adds the `patient`, `record`, `emergency` and `accesslog` commands to `app`; each leaves its outcome in
// `result`.
void RegisterHealthcareCommands(CLI::App& app, CommandResult& result);

}  // namespace careledger::cli

#endif  // CARELEDGER_NETWORK_CLI_HEALTHCARE_COMMANDS_H_
