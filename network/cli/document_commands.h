// `careledger document upload|amend|fetch|verify|erase` and `careledger vault keygen` (document_commands.cc).
#ifndef CARELEDGER_NETWORK_CLI_DOCUMENT_COMMANDS_H_
#define CARELEDGER_NETWORK_CLI_DOCUMENT_COMMANDS_H_

#include "CLI/CLI.hpp"
#include "network/cli/command.h"

namespace careledger::cli {

void RegisterDocumentCommands(CLI::App& app, CommandResult& result);

}  // namespace careledger::cli

#endif  // CARELEDGER_NETWORK_CLI_DOCUMENT_COMMANDS_H_
