// careledger-peer: a CareLedger peer node.
//
//   careledger-peer [--config core.yaml] [--set key.path=value ...]   run until SIGTERM or SIGINT, then stop
//                                                                    gracefully
//   careledger-peer config show [--config core.yaml] [--set ...]     print every key as the node would use it
//
// CORE_* environment variables override the file's keys (peer/config/peer_config.h), and --set flags override
// both. Running, the node writes nothing to stdout; its logs go to stderr. Exit status: 0 after a requested
// stop, 1 if the configuration is refused or the node cannot start, 2 for a wrong command line.
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
#include "peer/config/peer_config.h"
#include "peer/server/peer_server.h"

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int Run(const careledger::peer::PeerConfig& config, const sigset_t& stop_signals) {
  careledger::logging::Registry::Global().SetSpec(config.logging.log_spec);
  const careledger::logging::Logger log("peer.server");
  auto server = careledger::peer::PeerServer::Start(config);
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
  CLI::App app{"careledger-peer: a CareLedger peer, serving Fabric's Gateway, Endorser and Deliver"};
  std::string config_path = "core.yaml";
  app.add_option("--config", config_path, "the node's configuration file")->capture_default_str();
  std::vector<std::string> sets;
  app.add_option("--set", sets,
                 "override a key of the file, e.g. --set peer.listenAddress=0.0.0.0:7061 (repeatable; wins over the "
                 "CORE_* variable of the same key)");
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
                                                       careledger::peer::kPeerEnvironmentPrefix, sets);
  if (!environment.ok()) {
    std::cerr << "careledger-peer: " << environment.status().message() << "\n";
    return kExitUsage;
  }
  auto config = careledger::peer::LoadPeerConfig(config_path, *environment);
  if (!config.ok()) {
    std::cerr << "careledger-peer: " << config.status().message() << "\n";
    return kExitFailure;
  }
  if (show->parsed()) {
    std::cout << careledger::peer::FormatEffectiveConfig(*config);
    return 0;
  }
  return Run(*config, stop_signals);
}
