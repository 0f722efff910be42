#include "network/launcher/network_launcher.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/crypto/pem_file.h"
#include "common/file/file_io.h"
#include "common/participation/participation_client.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "msp/msp_dir.h"
#include "network/client/chaincode_lifecycle.h"
#include "network/client/gateway_client.h"
#include "network/consortium/consortium.h"
#include "network/launcher/network_layout.h"
#include "network/launcher/node_health.h"
#include "network/launcher/node_process.h"
#include "nlohmann/json.hpp"

namespace careledger::launcher {
namespace {

constexpr absl::Duration kPollInterval = absl::Milliseconds(200);
constexpr absl::Duration kStillWaitingEvery = absl::Seconds(10);
constexpr int kLogLinesInErrors = 20;

// One line per step, stamped with the time since `up` began.
class Progress {
 public:
  explicit Progress(ProgressSink sink) : sink_(std::move(sink)), start_(absl::Now()) {}

  void Say(std::string_view line) const {
    if (!sink_) return;
    sink_(absl::StrFormat("[%6.1fs] %s", absl::ToDoubleSeconds(absl::Now() - start_), AsAbsl(line)));
  }

  // Polls `done` until it returns true or `timeout` passes, saying every 10 s what it is waiting for.
  // False on timeout.
  bool WaitUntil(const std::function<bool()>& done, absl::Duration timeout, std::string_view what) const {
    const absl::Time begin = absl::Now();
    absl::Time next_note = begin + kStillWaitingEvery;
    for (;;) {
      if (done()) return true;
      const absl::Time now = absl::Now();
      if (now - begin >= timeout) return false;
      if (now >= next_note) {
        Say(absl::StrCat("  still waiting for ", AsAbsl(what), " (",
                         absl::FormatDuration(absl::Trunc(now - begin, absl::Seconds(1))), ")"));
        next_note += kStillWaitingEvery;
      }
      absl::SleepFor(kPollInterval);
    }
  }

  absl::Duration elapsed() const { return absl::Now() - start_; }

 private:
  ProgressSink sink_;
  absl::Time start_;
};

bool IsRunning(const NodeState& n) { return n.pid > 0 && IsSameProcess(static_cast<pid_t>(n.pid), n.start_time); }

std::string LogEnd(const NodeState& n) {
  absl::StatusOr<std::string> tail = TailOfFile(n.log_path, kLogLinesInErrors);
  return tail.ok() ? *tail : tail.status().ToString();
}

absl::StatusOr<participation::ParticipationClient> AdminClient(const NetworkState& state, const NodeState& n) {
  const OrganizationState* org = state.FindOrganization(n.organization);
  if (org == nullptr || org->admin_dir.empty()) {
    return absl::NotFoundError(absl::StrCat("no admin of ", n.organization, " in the network state"));
  }
  participation::ParticipationClientOptions options;
  options.address = n.AdminAddress();
  options.ca_file = n.TlsCaFile();
  options.client_cert_file = org->admin_dir + "/tls/client.crt";
  options.client_key_file = org->admin_dir + "/tls/client.key";
  options.timeout = absl::Seconds(10);
  options.server_name = absl::StrCat(n.name, " admin");
  return participation::ParticipationClient::Create(options);
}

struct ChannelInfo {
  uint64_t height = 0;
  uint64_t leader_id = 0;
};

// The channel as the node's admin endpoint reports it; NotFound if the node does not serve it.
absl::StatusOr<ChannelInfo> InfoOf(const NetworkState& state, const NodeState& n, const std::string& channel) {
  ASSIGN_OR_RETURN(participation::ParticipationClient admin, AdminClient(state, n));
  ASSIGN_OR_RETURN(participation::ParticipationReply reply, admin.Info(channel));
  RETURN_IF_ERROR(reply.ToStatus(n.AdminAddress()));
  const nlohmann::json info = nlohmann::json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
  if (!info.is_object() || !info.contains("height") || !info["height"].is_number_unsigned()) {
    return absl::InternalError(absl::StrCat(n.name, ": unexpected channel info ", reply.body));
  }
  ChannelInfo result;
  result.height = info["height"].get<uint64_t>();
  if (info.contains("leaderId") && info["leaderId"].is_number_unsigned()) {
    result.leader_id = info["leaderId"].get<uint64_t>();
  }
  return result;
}

absl::StatusOr<client::GatewayClient> GatewayAsAdmin(const NetworkState& state, const NodeState& peer,
                                                     const OrganizationState& org) {
  ASSIGN_OR_RETURN(msp::SigningIdentity admin, msp::LoadSigningIdentity(org.admin_dir + "/msp", org.msp_id));
  client::GatewayEndpoint endpoint;
  endpoint.address = peer.Address();
  ASSIGN_OR_RETURN(endpoint.tls_root_certs_pem, crypto::ReadCertificatePem(peer.TlsCaFile()));
  endpoint.server_name_override = peer.name;
  return client::GatewayClient::Connect(endpoint, std::make_shared<const msp::SigningIdentity>(std::move(admin)));
}

// Runs up's steps on one network; the state file is rewritten whenever a PID changes.
class Launcher {
 public:
  Launcher(const UpOptions& options, NetworkState state, network::Consortium consortium, const Progress& progress)
      : options_(options), state_(std::move(state)), consortium_(std::move(consortium)), progress_(progress) {}

  absl::Status Run() {
    state_.up_complete = false;
    RETURN_IF_ERROR(WriteNetworkState(options_.dir, state_));
    RETURN_IF_ERROR(StartNodes(NodeKind::kOrderer));
    for (const ChannelState& channel : state_.channels) {
      RETURN_IF_ERROR(JoinNodes(NodeKind::kOrderer, channel));
      RETURN_IF_ERROR(WaitForLeader(channel.name));
    }
    RETURN_IF_ERROR(StartNodes(NodeKind::kPeer));
    for (const ChannelState& channel : state_.channels) {
      RETURN_IF_ERROR(JoinNodes(NodeKind::kPeer, channel));
      RETURN_IF_ERROR(WaitForPeers(channel.name, 1, "the genesis block"));
    }
    for (const network::ChannelDescription& channel : consortium_.channels) {
      for (const network::ChaincodeSpec& chaincode : channel.chaincodes) {
        RETURN_IF_ERROR(DefineChaincode(channel, chaincode));
      }
    }
    state_.up_complete = true;
    return WriteNetworkState(options_.dir, state_);
  }

 private:
  absl::Status StartNodes(NodeKind kind) {
    const std::string& binary = kind == NodeKind::kOrderer ? options_.orderer_binary : options_.peer_binary;
    const char* ready_line = kind == NodeKind::kOrderer ? "orderer ready" : "peer ready";
    std::map<std::string, uint64_t> log_offsets;  // the ready line must come from this run
    std::set<std::string> starting;
    for (NodeState& n : state_.nodes) {
      if (n.kind != kind) continue;
      if (IsRunning(n)) {  // resuming an `up` cut short
        progress_.Say(absl::StrCat(n.name, " is already running (pid ", n.pid, ")"));
        continue;
      }
      RETURN_IF_ERROR(WaitForPorts(n));
      starting.insert(n.name);
      std::error_code no_log;  // a node's first start: no log yet
      const uintmax_t log_size = std::filesystem::file_size(n.log_path, no_log);
      log_offsets[n.name] = no_log ? 0 : log_size;
      absl::StatusOr<DetachedProcess> process = StartDetached(binary, {"--config", n.config_path}, n.log_path);
      if (!process.ok()) {
        return Annotate(process.status(), absl::StrCat("starting ", n.name, "; ", n.log_path, " ends:\n", LogEnd(n)));
      }
      n.pid = process->pid;
      n.start_time = process->start_time;
      n.executable = binary;
      RETURN_IF_ERROR(WriteNetworkState(options_.dir, state_));
      progress_.Say(absl::StrCat("started ", n.name, " (pid ", n.pid, "), log ", n.log_path));
    }
    for (const NodeState& n : state_.nodes) {
      if (n.kind != kind || starting.count(n.name) == 0) continue;
      bool exited = false;
      const auto ready = [&] {
        absl::StatusOr<std::string> log = file::ReadFile(n.log_path, 64 << 20);
        if (log.ok() && log->find(ready_line, log_offsets[n.name]) != std::string::npos) return true;
        exited = !IsRunning(n);
        return exited;
      };
      if (!progress_.WaitUntil(ready, options_.start_timeout, absl::StrCat(n.name, "'s \"", ready_line, "\"")) ||
          exited) {
        return absl::UnavailableError(absl::StrCat(n.name, " did not become ready (",
                                                   exited ? "it exited" : "timed out", "); ", n.log_path,
                                                   " ends:\n", LogEnd(n)));
      }
      progress_.Say(absl::StrCat(n.name, " is ready"));
    }
    return absl::OkStatus();
  }

  // Waits until `n` can listen on each of its ports: after a crash, the kernel holds a killed node's ports for
  // a while (its connections closing), and a node that cannot bind exits at once.
  absl::Status WaitForPorts(const NodeState& n) const {
    std::vector<uint16_t> ports = {n.port, n.admin_port, n.operations_port};
    if (n.kind == NodeKind::kOrderer) ports.push_back(n.cluster_port);
    uint16_t busy = 0;
    const auto all_free = [&] {
      for (uint16_t port : ports) {
        if (port != 0 && !CanListenOn(n.host, port)) {
          busy = port;
          return false;
        }
      }
      return true;
    };
    if (all_free()) return absl::OkStatus();
    progress_.Say(absl::StrCat(n.name, ": port ", busy, " is still taken; waiting for it to be released"));
    if (!progress_.WaitUntil(all_free, options_.start_timeout, absl::StrCat(n.name, "'s port ", busy))) {
      return absl::UnavailableError(absl::StrCat("cannot start ", n.name, ": port ", n.host, ":", busy,
                                                 " is in use (another program listens there?)"));
    }
    return absl::OkStatus();
  }

  bool IsMember(const NodeState& n, const std::string& channel) const {
    if (n.kind == NodeKind::kOrderer) return true;
    for (const network::ChannelDescription& c : consortium_.channels) {
      if (c.name != channel) continue;
      return std::find(c.organizations.begin(), c.organizations.end(), n.organization) != c.organizations.end();
    }
    return false;
  }

  absl::Status JoinNodes(NodeKind kind, const ChannelState& channel) {
    ASSIGN_OR_RETURN(std::string block, file::ReadFile(channel.genesis_block_path, uint64_t{100} << 20));
    for (const NodeState& n : state_.nodes) {
      if (n.kind != kind || !IsMember(n, channel.name)) continue;
      absl::StatusOr<ChannelInfo> info = InfoOf(state_, n, channel.name);
      if (info.ok()) {
        progress_.Say(absl::StrCat(n.name, " already serves ", channel.name, " (height ", info->height, ")"));
        continue;
      }
      if (!absl::IsNotFound(info.status())) return Annotate(info.status(), absl::StrCat("asking ", n.name));
      ASSIGN_OR_RETURN(participation::ParticipationClient admin, AdminClient(state_, n));
      ASSIGN_OR_RETURN(participation::ParticipationReply reply, admin.Join(block));
      if (reply.status != 201) {
        return absl::InternalError(absl::StrCat(n.name, " (", n.AdminAddress(), ") did not join ", channel.name, ": ",
                                                reply.status, " ", reply.ErrorMessage()));
      }
      progress_.Say(absl::StrCat(n.name, " joined ", channel.name));
    }
    return absl::OkStatus();
  }

  absl::Status WaitForLeader(const std::string& channel) {
    std::vector<const NodeState*> orderers;
    for (const NodeState& n : state_.nodes) {
      if (n.kind == NodeKind::kOrderer) orderers.push_back(&n);
    }
    std::string last;
    std::string leader;
    const auto agreed = [&] {
      last.clear();
      std::set<uint64_t> leaders;
      for (const NodeState* n : orderers) {
        absl::StatusOr<ChannelInfo> info = InfoOf(state_, *n, channel);
        if (!info.ok()) {
          absl::StrAppend(&last, n->name, ": ", info.status().message(), "; ");
          return false;
        }
        absl::StrAppend(&last, n->name, ": leader ", info->leader_id, "; ");
        leaders.insert(info->leader_id);
      }
      // Raft IDs are the consenters' positions, 1..N, in the orderers' order.
      if (leaders.size() != 1 || *leaders.begin() == 0 || *leaders.begin() > orderers.size()) return false;
      leader = orderers[*leaders.begin() - 1]->name;
      return true;
    };
    if (!progress_.WaitUntil(agreed, options_.step_timeout, absl::StrCat("a Raft leader of ", channel))) {
      return absl::DeadlineExceededError(
          absl::StrCat("the orderers did not agree on a leader of ", channel, " within ",
                       absl::FormatDuration(options_.step_timeout), ": ", last));
    }
    progress_.Say(absl::StrCat(channel, ": Raft leader ", leader));
    return absl::OkStatus();
  }

  // Waits until every member peer of `channel` holds `height` blocks.
  absl::Status WaitForPeers(const std::string& channel, uint64_t height, std::string_view what) {
    for (const NodeState& n : state_.nodes) {
      if (n.kind != NodeKind::kPeer || !IsMember(n, channel)) continue;
      std::string last = "no answer";
      const auto reached = [&] {
        absl::StatusOr<ChannelInfo> info = InfoOf(state_, n, channel);
        last = info.ok() ? absl::StrCat("height ", info->height) : info.status().ToString();
        return info.ok() && info->height >= height;
      };
      if (!progress_.WaitUntil(reached, options_.step_timeout, absl::StrCat(n.name, " to hold ", AsAbsl(what)))) {
        return absl::DeadlineExceededError(absl::StrCat(n.name, " did not reach height ", height, " of ", channel,
                                                        " (", AsAbsl(what), ") within ",
                                                        absl::FormatDuration(options_.step_timeout), " (", last, ")"));
      }
    }
    progress_.Say(absl::StrCat(channel, ": every peer holds ", AsAbsl(what), " (height ", height, ")"));
    return absl::OkStatus();
  }

  // Each approving organisation with the endorsing peer it approves through.
  std::vector<std::pair<const OrganizationState*, const NodeState*>> Approvers(
      const network::ChannelDescription& channel) const {
    std::vector<std::pair<const OrganizationState*, const NodeState*>> approvers;
    for (const std::string& name : channel.organizations) {
      const OrganizationState* org = state_.FindOrganization(name);
      if (org == nullptr) continue;
      for (const NodeState& n : state_.nodes) {
        if (n.organization == name && n.role == "endorsing") {
          approvers.emplace_back(org, &n);
          break;
        }
      }
    }
    return approvers;
  }

  absl::Status DefineChaincode(const network::ChannelDescription& channel, const network::ChaincodeSpec& chaincode) {
    const std::string what = absl::StrCat("chaincode ", chaincode.name, " ", chaincode.version, " (sequence ",
                                          chaincode.sequence, ") on ", channel.name);
    const auto approvers = Approvers(channel);
    if (approvers.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat(what, ": no member organisation of ", channel.name,
                       " has an endorsing peer to approve through"));
    }
    client::ChaincodeDefinitionSpec spec;
    spec.name = chaincode.name;
    spec.version = chaincode.version;
    spec.sequence = chaincode.sequence;
    spec.package_id = chaincode.package_id;
    spec.signature_policy = chaincode.endorsement_policy;
    client::SubmitOptions submit;
    submit.timeout = options_.step_timeout;
    client::EvaluateOptions evaluate;
    evaluate.timeout = options_.step_timeout;

    ASSIGN_OR_RETURN(client::GatewayClient committer,
                     GatewayAsAdmin(state_, *approvers.front().second, *approvers.front().first));
    absl::StatusOr<::lifecycle::QueryChaincodeDefinitionResult> committed =
        client::QueryCommitted(committer, channel.name, chaincode.name, evaluate);
    if (committed.ok() && committed->sequence() >= chaincode.sequence) {
      progress_.Say(absl::StrCat(what, ": already defined (sequence ", committed->sequence(), ")"));
      return absl::OkStatus();
    }
    uint64_t last_block = 0;
    for (const auto& [org, peer] : approvers) {
      ASSIGN_OR_RETURN(client::GatewayClient admin, GatewayAsAdmin(state_, *peer, *org));
      absl::StatusOr<client::SubmitResult> approved = client::ApproveForMyOrg(admin, channel.name, spec, submit);
      if (!approved.ok()) {
        // A run cut short may have approved already: the same definition stands approved, nothing to redo.
        if (client::QueryApproved(admin, channel.name, chaincode.name, chaincode.sequence, evaluate).ok()) {
          progress_.Say(absl::StrCat(what, ": ", org->name, " had approved it already"));
          continue;
        }
        return Annotate(approved.status(), absl::StrCat(what, ": approving as ", org->name, "'s admin through ",
                                                        peer->name));
      }
      last_block = std::max(last_block, approved->block_number);
      progress_.Say(absl::StrCat(what, ": approved by ", org->name, " (block ", approved->block_number, ")"));
    }
    // The commit is checked against the approvals on every endorsing peer: they must all hold them first.
    RETURN_IF_ERROR(WaitForPeers(channel.name, last_block + 1, absl::StrCat("the approvals of ", chaincode.name)));
    absl::StatusOr<client::SubmitResult> done = client::Commit(committer, channel.name, spec, submit);
    if (!done.ok()) {
      return Annotate(done.status(), absl::StrCat(what, ": committing as ", approvers.front().first->name, "'s admin"));
    }
    progress_.Say(absl::StrCat(what, ": committed by ", approvers.front().first->name, " (block ",
                               done->block_number, ")"));
    return WaitForPeers(channel.name, done->block_number + 1, absl::StrCat("the definition of ", chaincode.name));
  }

  const UpOptions& options_;
  NetworkState state_;
  network::Consortium consortium_;
  const Progress& progress_;
};

}  // namespace

absl::Status NetworkUp(const UpOptions& given) {
  // Nodes resolve relative paths in their configuration against its folder, not the CLI's: every path
  // written into the layout is absolute.
  UpOptions options = given;
  options.dir = std::filesystem::absolute(given.dir).lexically_normal().string();
  const Progress progress(options.progress);
  absl::StatusOr<NetworkState> state = ReadNetworkState(options.dir);
  if (!state.ok() && !absl::IsNotFound(state.status())) return state.status();
  if (state.ok()) {
    std::vector<std::string> running, stopped;
    for (const NodeState& n : state->nodes) (IsRunning(n) ? running : stopped).push_back(n.name);
    if (stopped.empty() && state->up_complete) {
      progress.Say(absl::StrCat("the network in ", options.dir, " is already running (", running.size(),
                                " nodes); nothing to do"));
      return absl::OkStatus();
    }
    if (stopped.empty()) {
      progress.Say("every node runs but the last `up` did not finish: resuming it");
    } else if (!running.empty()) {
      progress.Say(absl::StrCat("starting the stopped nodes (", absl::StrJoin(stopped, ", "),
                                "); the running ones are left as they are"));
    }
    progress.Say(absl::StrCat("using the network generated in ", options.dir, " (from ", state->config_path, ")"));
  } else {
    if (!file::Exists(options.config_path)) {
      return absl::NotFoundError(absl::StrCat("no consortium description at ", options.config_path,
                                              " (--config; network/examples/healthnet.yaml is an example)"));
    }
    progress.Say(absl::StrCat("generating identities, genesis blocks and node configurations from ",
                              options.config_path, " in ", options.dir));
    ASSIGN_OR_RETURN(std::string text, file::ReadFile(options.config_path));
    ASSIGN_OR_RETURN(network::Consortium consortium, network::ParseConsortium(text, options.config_path));
    LayoutOptions layout;
    layout.log_spec = options.log_spec;
    layout.now = absl::Now();
    ASSIGN_OR_RETURN(state, GenerateNetwork(consortium, text, options.dir, layout));
    progress.Say(absl::StrCat("generated ", state->nodes.size(), " nodes and ", state->channels.size(),
                              " channel(s); state in ", options.dir, "/", kNetworkStateFile));
  }
  // The description the network was generated from, which names its channels and chaincodes.
  ASSIGN_OR_RETURN(network::Consortium consortium, network::LoadConsortium(state->config_path));
  Launcher launcher(options, *std::move(state), std::move(consortium), progress);
  absl::Status status = launcher.Run();
  if (!status.ok()) {
    progress.Say(absl::StrCat("failed; started nodes are left running for inspection: `careledger network logs` "
                              "shows their logs, `careledger network down --dir ", options.dir, "` stops them"));
    return status;
  }
  progress.Say(absl::StrCat("network up in ",
                            absl::FormatDuration(absl::Trunc(progress.elapsed(), absl::Milliseconds(100))),
                            "; `careledger network status --dir ", options.dir, "` shows it"));
  return absl::OkStatus();
}

namespace {

// SIGTERM to each of `nodes` at once, then waits for each (SIGKILL after `grace`): they stop in parallel. Clears
// the PID slot of every node that is gone.
absl::Status StopNodes(const std::vector<NodeState*>& nodes, absl::Duration grace, const Progress& progress) {
  std::vector<NodeState*> stopping;
  for (NodeState* n : nodes) {
    if (n->pid > 0 && SignalTerminate(static_cast<pid_t>(n->pid), n->start_time)) {
      stopping.push_back(n);
      progress.Say(absl::StrCat("stopping ", n->name, " (pid ", n->pid, ")"));
    }
  }
  absl::Status first_error;
  for (NodeState* n : stopping) {
    absl::StatusOr<bool> killed = StopProcess(static_cast<pid_t>(n->pid), n->start_time, grace);
    if (!killed.ok()) {
      if (first_error.ok()) first_error = Annotate(killed.status(), n->name);
      continue;
    }
    progress.Say(absl::StrCat(n->name, *killed ? " killed (SIGKILL after " : " stopped",
                              *killed ? absl::StrCat(absl::FormatDuration(grace), ")") : ""));
  }
  if (stopping.empty()) progress.Say("no node to stop was running");
  for (NodeState* n : nodes) {
    if (n->pid > 0 && !IsRunning(*n)) {
      n->pid = 0;
      n->start_time = 0;
    }
  }
  return first_error;
}

}  // namespace

absl::Status NetworkStopNode(const StopNodeOptions& options) {
  const Progress progress(options.progress);
  ASSIGN_OR_RETURN(NetworkState state, ReadNetworkState(options.dir));
  ASSIGN_OR_RETURN(const NodeState* found, state.FindNode(options.node));
  NodeState* node = &state.nodes[static_cast<size_t>(found - state.nodes.data())];
  absl::Status status = StopNodes({node}, options.grace, progress);
  RETURN_IF_ERROR(WriteNetworkState(options.dir, state));
  RETURN_IF_ERROR(status);
  progress.Say(absl::StrCat("`careledger network up --dir ", options.dir, "` starts ", node->name, " again"));
  return absl::OkStatus();
}

absl::Status NetworkDown(const DownOptions& options) {
  const Progress progress(options.progress);
  ASSIGN_OR_RETURN(NetworkState state, ReadNetworkState(options.dir));
  std::vector<NodeState*> nodes;
  for (NodeState& n : state.nodes) nodes.push_back(&n);
  RETURN_IF_ERROR(StopNodes(nodes, options.grace, progress));
  if (options.purge) {
    std::error_code error;
    std::filesystem::remove_all(options.dir, error);
    if (error) return absl::InternalError(absl::StrCat("removing ", options.dir, ": ", error.message()));
    progress.Say(absl::StrCat("removed ", options.dir));
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(WriteNetworkState(options.dir, state));
  progress.Say(absl::StrCat("data kept in ", options.dir, " (`careledger network up --dir ", options.dir,
                            "` restarts it; `down --purge` deletes it)"));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<NodeStatus>> NetworkStatus(const std::string& dir) {
  ASSIGN_OR_RETURN(NetworkState state, ReadNetworkState(dir));
  std::vector<const NodeState*> orderers;
  for (const NodeState& n : state.nodes) {
    if (n.kind == NodeKind::kOrderer) orderers.push_back(&n);
  }
  std::vector<NodeStatus> result;
  for (const NodeState& n : state.nodes) {
    NodeStatus status;
    status.node = n;
    status.running = IsRunning(n);
    if (status.running) {
      status.health = NodeHealth(n);
      for (const ChannelState& channel : state.channels) {
        ChannelStatus c;
        c.channel = channel.name;
        absl::StatusOr<ChannelInfo> info = InfoOf(state, n, channel.name);
        if (info.ok()) {
          c.height = info->height;
          if (n.kind == NodeKind::kOrderer && info->leader_id > 0 && info->leader_id <= orderers.size()) {
            c.leader = orderers[info->leader_id - 1]->name;
          }
        } else if (absl::IsNotFound(info.status())) {
          c.error = "not joined";
        } else {
          c.error = std::string(info.status().message());
        }
        status.channels.push_back(std::move(c));
      }
    }
    result.push_back(std::move(status));
  }
  return result;
}

absl::StatusOr<CheckResult> NetworkCheck(const CheckOptions& options) {
  ASSIGN_OR_RETURN(NetworkState state, ReadNetworkState(options.dir));
  if (state.channels.empty()) {
    return absl::NotFoundError(absl::StrCat("the network in ", options.dir, " has no channel"));
  }
  const std::string channel = options.channel.empty() ? state.channels.front().name : options.channel;
  if (std::none_of(state.channels.begin(), state.channels.end(),
                   [&](const ChannelState& c) { return c.name == channel; })) {
    return absl::NotFoundError(absl::StrCat("the network in ", options.dir, " has no channel ", channel));
  }
  const NodeState* peer = nullptr;
  if (!options.peer.empty()) {
    ASSIGN_OR_RETURN(peer, state.FindNode(options.peer));
    if (peer->role != "endorsing") {
      return absl::FailedPreconditionError(absl::StrCat(peer->name, " is not an endorsing peer"));
    }
  } else {
    for (const NodeState& n : state.nodes) {
      if (n.role == "endorsing" && IsRunning(n)) {
        peer = &n;
        break;
      }
    }
    if (peer == nullptr) return absl::FailedPreconditionError("no endorsing peer is running");
  }
  if (!IsRunning(*peer)) return absl::FailedPreconditionError(absl::StrCat(peer->name, " is not running"));
  const OrganizationState* org = state.FindOrganization(peer->organization);
  if (org == nullptr) return absl::NotFoundError(absl::StrCat("no organisation ", peer->organization));

  CheckResult result;
  result.peer = peer->name;
  result.organization = org->name;
  const absl::Time start = absl::Now();
  result.key = "network-check";
  result.value = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", start, absl::UTCTimeZone());
  ASSIGN_OR_RETURN(client::GatewayClient gateway, GatewayAsAdmin(state, *peer, *org));
  client::SubmitOptions submit;
  submit.timeout = options.timeout;
  ASSIGN_OR_RETURN(client::SubmitResult put,
                   gateway.Submit(channel, options.chaincode, {"put", result.key, result.value}, submit));
  result.tx_id = put.tx_id;
  result.block_number = put.block_number;
  client::EvaluateOptions evaluate;
  evaluate.timeout = options.timeout;
  ASSIGN_OR_RETURN(std::string value, gateway.Evaluate(channel, options.chaincode, {"get", result.key}, evaluate));
  if (value != result.value) {
    return absl::DataLossError(absl::StrCat(peer->name, " returned \"", value, "\" for ", result.key,
                                            " after the transaction that wrote \"", result.value, "\" committed"));
  }
  result.elapsed = absl::Now() - start;
  return result;
}

std::string FormatNetworkStatus(const std::vector<NodeStatus>& status) {
  size_t width = 4;
  for (const NodeStatus& s : status) width = std::max(width, s.node.name.size());
  std::string out = absl::StrFormat("%-*s  %-9s  %-7s  %-7s  %-21s  %-6s  %s\n", width, "NODE", "ROLE", "STATE",
                                    "PID", "ADDRESS", "HEALTH", "CHANNELS");
  std::vector<std::string> unhealthy;
  for (const NodeStatus& s : status) {
    std::vector<std::string> channels;
    for (const ChannelStatus& c : s.channels) {
      std::string text = c.height.has_value() ? absl::StrCat(c.channel, " height ", *c.height)
                                              : absl::StrCat(c.channel, ": ", c.error);
      if (!c.leader.empty()) absl::StrAppend(&text, " leader ", c.leader);
      channels.push_back(std::move(text));
    }
    const bool healthy = s.health == "OK";
    if (s.running && !healthy) unhealthy.push_back(absl::StrCat(s.node.name, ": ", s.health));
    absl::StrAppendFormat(&out, "%-*s  %-9s  %-7s  %-7s  %-21s  %-6s  %s\n", width, s.node.name, s.node.role,
                          s.running ? "running" : "stopped", s.running ? absl::StrCat(s.node.pid) : "-",
                          s.node.Address(), !s.running ? "-" : healthy ? "OK" : "FAILED",
                          channels.empty() ? "-" : absl::StrJoin(channels, "; "));
  }
  for (const std::string& line : unhealthy) absl::StrAppend(&out, line, "\n");
  return out;
}

}  // namespace careledger::launcher
