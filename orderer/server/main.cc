// careledger-orderer: a CareLedger ordering node.
//
//   careledger-orderer [--config orderer.yaml] [--set Key.Path=value ...]   run until SIGTERM or SIGINT, then
//                                                                           stop gracefully
//   careledger-orderer config show [--config orderer.yaml] [--set ...]      print every key as the node would
//                                                                           use it
//
// ORDERER_* environment variables override the file's keys (orderer/config/orderer_config.h), and --set
// flags override both (common/config/set_flags.h). Running, the
// node writes nothing to stdout; its logs go to stderr. Exit status: 0 after a requested stop, 1 if the
// configuration is refused or the node cannot start, 2 for a wrong command line.
#include <pthread.h>
#include <signal.h>
#include <string.h>

#include <iostream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "common/config/environment.h"
#include "common/config/set_flags.h"
#include "common/logging/logger.h"
#include "common/logging/registry.h"
#include "orderer/config/orderer_config.h"
#include "orderer/server/orderer_server.h"

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int Run(const careledger::orderer::OrdererConfig& config, const sigset_t& stop_signals) {
  careledger::logging::Registry::Global().SetSpec(config.logging.log_spec);
  const careledger::logging::Logger log("orderer.server");
  auto server = careledger::orderer::OrdererServer::Start(config);
  if (!server.ok()) {
    log.Error("cannot start", {{"config", config.source_name}, {"error", server.status()}});
    return kExitFailure;
  }
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  log.Info("signal received", {{"signal", sigabbrev_np(signal_number)}});
  (*server)->Stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"careledger-orderer: a CareLedger ordering node (Raft), serving Fabric's Broadcast and Deliver"};
  std::string config_path = "orderer.yaml";
  app.add_option("--config", config_path, "the node's configuration file")->capture_default_str();
  std::vector<std::string> sets;
  app.add_option("--set", sets,
                 "override a key of the file, e.g. --set General.ListenPort=7060 (repeatable; wins over the "
                 "ORDERER_* variable of the same key)");
  CLI::App* config_command = app.add_subcommand("config", "Inspect the configuration");
  config_command->require_subcommand(1);
  config_command->fallthrough();
  CLI::App* show = config_command->add_subcommand(
      "show", "Print every key as the node would use it, with the file position, variable or default it comes from");
  show->fallthrough();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kExitUsage;
  }

  // Block the stop signals before any thread starts, so that every thread inherits the mask and only the
  // sigwait below receives them. A client that hangs up mid-write must not kill the node: ignore SIGPIPE.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto environment = careledger::config::ApplySetFlags(careledger::config::Environment::FromProcess(),
                                                       careledger::orderer::kOrdererEnvironmentPrefix, sets);
  if (!environment.ok()) {
    std::cerr << "careledger-orderer: " << environment.status().message() << "\n";
    return kExitUsage;
  }
  auto config = careledger::orderer::LoadOrdererConfig(config_path, *environment);
  if (!config.ok()) {
    std::cerr << "careledger-orderer: " << config.status().message() << "\n";
    return kExitFailure;
  }
  if (show->parsed()) {
    std::cout << careledger::orderer::FormatEffectiveConfig(*config);
    return 0;
  }
  return Run(*config, stop_signals);
}
