// careledger network up | down | stop | status | logs | check | client-env: a consortium's network on this
// machine
// (network/launcher/network_launcher.h says what each step does; docs/network.md is the operator's page).
//
//   up      [--config FILE] [--dir DIR]   generate (once) and start the network, join its channels, define
//                                         its chaincodes; one progress line per step on stdout. Exit 0 when
//                                         it runs, including "already running"; starts the nodes that are
//                                         stopped, if any.
//   down    [--dir DIR] [--purge]         stop the nodes up started (by recorded PID and start time)
//   stop    NODE [--dir DIR]              stop one node (`up` starts it again)
//   status  [--dir DIR]                   each node: role, running or stopped, PID, address, health (its
//                                         /healthz), height per channel
//   logs    NODE [--dir DIR] [-n LINES]   the end of a node's log (NODE: its name or a unique prefix, "orderer0")
//   check   [--dir DIR] [--peer NODE]     one transaction round trip through a peer's Gateway (bench's put/get)
//   client-env [--dir DIR] [--user NAME]  `export GW_...` lines for load.js and Fabric's samples
//
// --dir defaults to out/network and --config to network/examples/healthnet.yaml, both relative to the
// current folder (the repository's root in the README). The node programs are found by --peer-binary and
// --orderer-binary, else $CARELEDGER_PEER_BINARY / $CARELEDGER_ORDERER_BINARY, else next to this program
// (an installation), else in the build tree beside it (build/peer/server/, build/orderer/server/), else on
// $PATH.
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "network/cli/command.h"
#include "network/launcher/client_environment.h"
#include "network/launcher/network_launcher.h"
#include "network/launcher/node_process.h"

namespace careledger::cli {
namespace {

constexpr char kDefaultDir[] = "out/network";
constexpr char kDefaultConfig[] = "network/examples/healthnet.yaml";

bool IsExecutable(const std::filesystem::path& path) {
  std::error_code error;
  return std::filesystem::is_regular_file(path, error) && access(path.c_str(), X_OK) == 0;
}

// The node program `name` (careledger-peer), searched as the file comment says; an absolute path, since the
// node runs from wherever `up` was run. NotFound listing where it looked.
absl::StatusOr<std::string> FindNodeBinary(const std::string& flag, const char* env, const std::string& name,
                                           const std::string& build_subdir) {
  std::vector<std::filesystem::path> candidates;
  if (!flag.empty()) {
    candidates.push_back(flag);
  } else if (const char* value = std::getenv(env); value != nullptr && *value != '\0') {
    candidates.push_back(value);
  } else {
    std::error_code error;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
    if (!error) {
      candidates.push_back(self.parent_path() / name);
      candidates.push_back(self.parent_path().parent_path() / build_subdir / name);
    }
    if (const char* path = std::getenv("PATH"); path != nullptr) {
      for (absl::string_view dir : absl::StrSplit(path, ':', absl::SkipEmpty())) {
        candidates.push_back(std::filesystem::path(std::string(dir)) / name);
      }
    }
  }
  std::vector<std::string> tried;
  for (const std::filesystem::path& candidate : candidates) {
    if (IsExecutable(candidate)) return std::filesystem::absolute(candidate).lexically_normal().string();
    tried.push_back(candidate.string());
  }
  return absl::NotFoundError(absl::StrCat("cannot find ", name, " (looked for ", absl::StrJoin(tried, ", "),
                                          "); build it or pass its path"));
}

absl::StatusOr<absl::Duration> PositiveDuration(const std::string& flag, const std::string& text) {
  absl::Duration duration;
  if (!absl::ParseDuration(text, &duration) || duration <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " '", text, "' is not a positive duration such as 30s or 2m"));
  }
  return duration;
}

void PrintLine(std::string_view line) { std::cout << line << std::endl; }

struct UpFlags {
  std::string config = kDefaultConfig;
  std::string dir = kDefaultDir;
  std::string peer_binary;
  std::string orderer_binary;
  std::string log_spec = "info";
  std::string start_timeout = "60s";
  std::string timeout = "120s";
};

absl::Status RunUp(const UpFlags& flags) {
  launcher::UpOptions options;
  options.dir = flags.dir;
  options.config_path = flags.config;
  ASSIGN_OR_RETURN(options.peer_binary, FindNodeBinary(flags.peer_binary, "CARELEDGER_PEER_BINARY", "careledger-peer",
                                                       "peer/server"));
  ASSIGN_OR_RETURN(options.orderer_binary, FindNodeBinary(flags.orderer_binary, "CARELEDGER_ORDERER_BINARY",
                                                          "careledger-orderer", "orderer/server"));
  options.log_spec = flags.log_spec;
  ASSIGN_OR_RETURN(options.start_timeout, PositiveDuration("--start-timeout", flags.start_timeout));
  ASSIGN_OR_RETURN(options.step_timeout, PositiveDuration("--timeout", flags.timeout));
  options.progress = PrintLine;
  return launcher::NetworkUp(options);
}

struct DownFlags {
  std::string dir = kDefaultDir;
  bool purge = false;
  std::string grace = "15s";
};

absl::Status RunDown(const DownFlags& flags) {
  launcher::DownOptions options;
  options.dir = flags.dir;
  options.purge = flags.purge;
  ASSIGN_OR_RETURN(options.grace, PositiveDuration("--grace", flags.grace));
  options.progress = PrintLine;
  return launcher::NetworkDown(options);
}

struct StopFlags {
  std::string dir = kDefaultDir;
  std::string node;
  std::string grace = "15s";
};

absl::Status RunStop(const StopFlags& flags) {
  launcher::StopNodeOptions options;
  options.dir = flags.dir;
  options.node = flags.node;
  ASSIGN_OR_RETURN(options.grace, PositiveDuration("--grace", flags.grace));
  options.progress = PrintLine;
  return launcher::NetworkStopNode(options);
}

absl::Status RunStatus(const std::string& dir) {
  ASSIGN_OR_RETURN(std::vector<launcher::NodeStatus> status, launcher::NetworkStatus(dir));
  std::cout << launcher::FormatNetworkStatus(status);
  return absl::OkStatus();
}

struct LogsFlags {
  std::string dir = kDefaultDir;
  std::string node;
  int lines = 50;
};

absl::Status RunLogs(const LogsFlags& flags) {
  if (flags.lines < 0) return absl::InvalidArgumentError("-n must not be negative");
  ASSIGN_OR_RETURN(launcher::NetworkState state, launcher::ReadNetworkState(flags.dir));
  ASSIGN_OR_RETURN(const launcher::NodeState* node, state.FindNode(flags.node));
  absl::StatusOr<std::string> tail = launcher::TailOfFile(node->log_path, flags.lines);
  if (absl::IsNotFound(tail.status())) {
    return absl::NotFoundError(
        absl::StrCat(node->name, " has no log yet (", node->log_path, "): it was never started"));
  }
  RETURN_IF_ERROR(tail.status());
  std::cout << *tail;
  if (!tail->empty() && tail->back() != '\n') std::cout << "\n";
  return absl::OkStatus();
}

struct CheckFlags {
  launcher::CheckOptions options;
  std::string timeout = "60s";
};

absl::Status RunCheck(CheckFlags flags) {
  ASSIGN_OR_RETURN(flags.options.timeout, PositiveDuration("--timeout", flags.timeout));
  ASSIGN_OR_RETURN(launcher::CheckResult result, launcher::NetworkCheck(flags.options));
  std::cout << "submitted put " << result.key << "=" << result.value << " through " << result.peer << " as "
            << result.organization << "'s admin: transaction " << result.tx_id << " VALID in block "
            << result.block_number << "\n"
            << "evaluated get " << result.key << " on " << result.peer << ": " << result.value << "\n"
            << "round trip in " << absl::FormatDuration(absl::Trunc(result.elapsed, absl::Milliseconds(1))) << "\n";
  return absl::OkStatus();
}

struct ClientEnvFlags {
  std::string dir = kDefaultDir;
  launcher::ClientEnvironmentOptions options;
};

absl::Status RunClientEnv(const ClientEnvFlags& flags) {
  ASSIGN_OR_RETURN(launcher::NetworkState state, launcher::ReadNetworkState(flags.dir));
  ASSIGN_OR_RETURN(auto variables, launcher::ClientEnvironment(state, flags.options));
  std::cout << launcher::FormatExports(variables);
  return absl::OkStatus();
}

void AddDirOption(CLI::App* command, std::string& dir) {
  command->add_option("--dir", dir, "the network folder (default out/network)");
}

}  // namespace

void RegisterNetworkCommands(CLI::App& app, CommandResult& result) {
  CLI::App* network = app.add_subcommand("network", "Run a consortium's network on this machine");
  network->require_subcommand(1);

  auto up = std::make_shared<UpFlags>();
  CLI::App* up_cmd = network->add_subcommand(
      "up", "Generate (once) and start the network: orderers, peers, channels, chaincodes; says so if it runs");
  up_cmd->add_option("--config", up->config,
                     "the consortium description, read when the network is first generated "
                     "(default network/examples/healthnet.yaml)");
  AddDirOption(up_cmd, up->dir);
  up_cmd->add_option("--peer-binary", up->peer_binary, "the careledger-peer program");
  up_cmd->add_option("--orderer-binary", up->orderer_binary, "the careledger-orderer program");
  up_cmd->add_option("--log-spec", up->log_spec, "each node's log level when generated (default info)");
  up_cmd->add_option("--start-timeout", up->start_timeout, "how long each node may take to be ready (default 60s)");
  up_cmd->add_option("--timeout", up->timeout, "each join, election and lifecycle step's limit (default 120s)");
  up_cmd->callback([up, &result] { result.status = RunUp(*up); });

  auto down = std::make_shared<DownFlags>();
  CLI::App* down_cmd = network->add_subcommand("down", "Stop the network's nodes, keeping their data");
  AddDirOption(down_cmd, down->dir);
  down_cmd->add_flag("--purge", down->purge, "also delete the network folder: keys, ledgers, logs");
  down_cmd->add_option("--grace", down->grace, "SIGTERM to SIGKILL (default 15s)");
  down_cmd->callback([down, &result] { result.status = RunDown(*down); });

  auto stop = std::make_shared<StopFlags>();
  CLI::App* stop_cmd = network->add_subcommand("stop", "Stop one node, keeping its data (`up` starts it again)");
  stop_cmd->add_option("node", stop->node, "the node: its name or a unique prefix such as orderer1")->required();
  AddDirOption(stop_cmd, stop->dir);
  stop_cmd->add_option("--grace", stop->grace, "SIGTERM to SIGKILL (default 15s)");
  stop_cmd->callback([stop, &result] { result.status = RunStop(*stop); });

  auto status_dir = std::make_shared<std::string>(kDefaultDir);
  CLI::App* status_cmd = network->add_subcommand("status", "Each node's role, state, PID, address, health and heights");
  AddDirOption(status_cmd, *status_dir);
  status_cmd->callback([status_dir, &result] { result.status = RunStatus(*status_dir); });

  auto logs = std::make_shared<LogsFlags>();
  CLI::App* logs_cmd = network->add_subcommand("logs", "The end of a node's log");
  logs_cmd->add_option("node", logs->node, "the node: its name or a unique prefix such as orderer0")->required();
  AddDirOption(logs_cmd, logs->dir);
  logs_cmd->add_option("-n,--lines", logs->lines, "how many lines (default 50)");
  logs_cmd->callback([logs, &result] { result.status = RunLogs(*logs); });

  auto check = std::make_shared<CheckFlags>();
  check->options.dir = kDefaultDir;
  CLI::App* check_cmd = network->add_subcommand(
      "check", "One transaction round trip through a peer's Gateway: Submit bench's put, then Evaluate its get");
  AddDirOption(check_cmd, check->options.dir);
  check_cmd->add_option("--peer", check->options.peer, "the endorsing peer (default the first running one)");
  check_cmd->add_option("-C,--channel", check->options.channel, "the channel (default the network's first)");
  check_cmd->add_option("--chaincode", check->options.chaincode, "a chaincode with bench's put/get (default bench)");
  check_cmd->add_option("--timeout", check->timeout, "for the submit and the evaluate (default 60s)");
  check_cmd->callback([check, &result] { result.status = RunCheck(*check); });

  auto client_env = std::make_shared<ClientEnvFlags>();
  CLI::App* client_env_cmd = network->add_subcommand(
      "client-env", "export lines of GW_ENDPOINT GW_TLS_CA GW_HOST GW_MSP GW_CERT GW_KEY GW_CHANNEL GW_CC for a user, "
                    "as load.js reads them: eval \"$(careledger network client-env --user dr.alice)\"");
  AddDirOption(client_env_cmd, client_env->dir);
  client_env_cmd->add_option("--user", client_env->options.user,
                             "a user's name or full name (default the first hospital's Admin)");
  client_env_cmd->add_option("--chaincode", client_env->options.chaincode, "GW_CC (default bench)");
  client_env_cmd->callback([client_env, &result] { result.status = RunClientEnv(*client_env); });
}

}  // namespace careledger::cli
