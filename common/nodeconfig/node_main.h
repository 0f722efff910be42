// The main() of a CareLedger node executable (careledger-orderer, careledger-peer): one command line, one way to
// run, for every node kind.
//
//   <program> [--config FILE] [--set Key.Path=value ...]   run until SIGTERM or SIGINT, then stop gracefully
//   <program> config show [--config FILE] [--set ...]      print every key as the node would use it
//
// <PREFIX>_* environment variables override the file's keys, and --set flags override both
// (common/config/set_flags.h). Running, the node writes nothing to stdout; its logs go to stderr. Exit status:
// 0 after a requested stop, 1 if the configuration is refused or the node cannot start, 2 for a wrong command
// line.
//
// Header-only (a template over the node's configuration and server types); the executables link CLI11.
#ifndef CARELEDGER_COMMON_NODECONFIG_NODE_MAIN_H_
#define CARELEDGER_COMMON_NODECONFIG_NODE_MAIN_H_

#include <pthread.h>
#include <signal.h>
#include <string.h>

#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/config/environment.h"
#include "common/config/set_flags.h"
#include "common/logging/logger.h"
#include "common/logging/registry.h"

namespace careledger::nodeconfig {

// What differs between node kinds. `Config` has `logging` (LoggingConfig) and `source_name`; `Server` has Stop().
template <typename Config, typename Server>
struct NodeProgram {
  std::string name;              // "careledger-peer": messages start with it
  std::string description;       // the --help headline
  std::string default_config;    // "core.yaml"
  std::string environment_prefix;  // "CORE"
  std::string set_example;       // "peer.listenAddress=0.0.0.0:7061"
  std::string logger;            // "peer.server"
  std::function<absl::StatusOr<Config>(const std::string& path, const config::Environment&)> load;
  std::function<std::string(const Config&)> format_effective_config;
  std::function<absl::StatusOr<std::unique_ptr<Server>>(const Config&)> start;
};

template <typename Config, typename Server>
int RunNodeMain(int argc, char** argv, const NodeProgram<Config, Server>& program) {
  constexpr int kExitFailure = 1;
  constexpr int kExitUsage = 2;
  CLI::App app{program.description};
  std::string config_path = program.default_config;
  app.add_option("--config", config_path, "the node's configuration file")->capture_default_str();
  std::vector<std::string> sets;
  app.add_option("--set", sets,
                 "override a key of the file, e.g. --set " + program.set_example + " (repeatable; wins over the " +
                     program.environment_prefix + "_* variable of the same key)");
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
  // Debian builds Abseil without NDEBUG, which leaves absl::Mutex's deadlock detector on: a lock-order graph
  // updated on every lock, a few percent of a loaded peer's CPU (measured with perf under `careledger bench
  // gateway`). The unit tests keep Abseil's default, and with it the lock-order checks.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  // Block the stop signals before any thread starts, so that every thread inherits the mask and only the
  // sigwait below receives them. A client that hangs up mid-write must not kill the node: ignore SIGPIPE.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto environment =
      config::ApplySetFlags(config::Environment::FromProcess(), program.environment_prefix, sets);
  if (!environment.ok()) {
    std::cerr << program.name << ": " << environment.status().message() << "\n";
    return kExitUsage;
  }
  absl::StatusOr<Config> config = program.load(config_path, *environment);
  if (!config.ok()) {
    std::cerr << program.name << ": " << config.status().message() << "\n";
    return kExitFailure;
  }
  if (show->parsed()) {
    std::cout << program.format_effective_config(*config);
    return 0;
  }

  logging::Registry::Global().SetSpec(config->logging.log_spec);
  const logging::Logger log(program.logger);
  absl::StatusOr<std::unique_ptr<Server>> server = program.start(*config);
  if (!server.ok()) {
    log.Error("cannot start", {{"config", config->source_name}, {"error", server.status()}});
    return kExitFailure;
  }
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  log.Info("signal received", {{"signal", sigabbrev_np(signal_number)}});
  (*server)->Stop();
  return 0;
}

}  // namespace careledger::nodeconfig

#endif  // CARELEDGER_COMMON_NODECONFIG_NODE_MAIN_H_
