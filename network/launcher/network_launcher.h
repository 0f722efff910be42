// `careledger network up | down | status`: a consortium's network as detached processes on this machine,
// from its description to a channel every node has joined with its chaincodes defined, and back.
//
// Up, step by step (each step one progress line with the time since the start; waits longer than 10 s say
// so every 10 s):
//   1. generate the layout (network_layout.h) unless <dir>/network.json exists: a generated network is
//      reused as it is, ports and keys included (`down --purge` to start afresh from a changed description)
//   2. start every orderer (node_process.h: its own session, outliving the CLI; PID and start time go into
//      the state file at once), wait for each "orderer ready" line
//   3. join each orderer to each channel through its admin endpoint as the ordering organisation's admin,
//      unless it already serves the channel; wait until the orderers agree on a Raft leader
//   4. start every peer, wait for each "peer ready" line; join each to the channels of its organisation;
//      wait until each holds the genesis block
//   5. define each channel's chaincodes through the lifecycle unless already committed at that sequence:
//      each member organisation with an endorsing peer approves through its own peer as its admin, the first
//      commits, and every member peer has the definition's block before the next step
// Re-running on a network whose nodes all run changes nothing and reports "already running" (OK), unless
// the last up did not finish (NetworkState::up_complete): then it resumes, skipping what is done. If only
// some nodes run (one was stopped with NetworkStopNode, or crashed), up starts the stopped ones and leaves the
// others alone; after `down` (data kept) it restarts them all. Either way the joins and definitions the nodes
// already have are skipped, and a restarted node catches up on the blocks it missed by itself.
//
// A failed step leaves started nodes running for inspection (their logs: `careledger network logs`); the
// error names the node and quotes the end of its log where that helps.
//
// Thread-safety: one call at a time per network folder (nothing locks the state file).
#ifndef CARELEDGER_NETWORK_LAUNCHER_NETWORK_LAUNCHER_H_
#define CARELEDGER_NETWORK_LAUNCHER_NETWORK_LAUNCHER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "network/launcher/network_state.h"

namespace careledger::launcher {

// Receives one line per step, without a trailing newline.
using ProgressSink = std::function<void(std::string_view line)>;

struct UpOptions {
  std::string dir;          // the network folder
  std::string config_path;  // the consortium description, read only when the network is generated
  std::string peer_binary;     // careledger-peer
  std::string orderer_binary;  // careledger-orderer
  std::string log_spec = "info";
  absl::Duration start_timeout = absl::Seconds(60);  // per node, until its ready line
  absl::Duration step_timeout = absl::Seconds(120);  // each join, leader election, lifecycle step and wait
  ProgressSink progress;                             // may be empty
};

// Errors: NotFound if there is no network and no description at config_path; InvalidArgument for a bad
// description (file:line:column); FailedPrecondition if the network is partly running; Unavailable if a node
// exits or is not ready in time (with its log's end); DeadlineExceeded for a wait that ran out; the
// participation and gateway clients' errors, naming the node, channel and step.
absl::Status NetworkUp(const UpOptions& options);

struct DownOptions {
  std::string dir;
  bool purge = false;  // also delete the network folder (keys, ledgers, logs)
  absl::Duration grace = absl::Seconds(15);  // SIGTERM to SIGKILL
  ProgressSink progress;
};

// Stops every recorded node still running as the process that was started (PID and start time match; a
// PID reused by another program is left alone), all at once, SIGKILL after the grace period; clears the PID
// slots. With purge, then removes the folder. NotFound if there is no network in `dir`.
absl::Status NetworkDown(const DownOptions& options);

struct StopNodeOptions {
  std::string dir;
  std::string node;  // its name or a unique prefix ("orderer1")
  absl::Duration grace = absl::Seconds(15);
  ProgressSink progress;
};

// Stops one node as NetworkDown stops them all; the others keep running (`up` restarts it). NotFound if there is
// no network in `dir` or no such node; InvalidArgument if the prefix is ambiguous.
absl::Status NetworkStopNode(const StopNodeOptions& options);

struct ChannelStatus {
  std::string channel;
  std::optional<uint64_t> height;  // empty if not known
  std::string leader;              // orderers: the Raft leader's node name as this orderer knows it
  std::string error;               // why the height is unknown
};

struct NodeStatus {
  NodeState node;
  bool running = false;
  std::string health;                   // running nodes: their /healthz verdict (node_health.h)
  std::vector<ChannelStatus> channels;  // asked only of running nodes
};

// Each node: running or not, and for a running node its health (operations endpoint) and each channel's
// height (and Raft leader for orderers) through its admin endpoint. NotFound if there is no network in `dir`.
absl::StatusOr<std::vector<NodeStatus>> NetworkStatus(const std::string& dir);

struct CheckOptions {
  std::string dir;
  std::string channel;             // empty: the network's first channel
  std::string chaincode = "bench";  // a chaincode with bench's `put KEY VALUE` and `get KEY`
  std::string peer;                // a node name or unique prefix (NetworkState::FindNode); empty: the first
                                   // running endorsing peer
  absl::Duration timeout = absl::Seconds(60);
};

struct CheckResult {
  std::string peer;
  std::string organization;  // whose admin signed
  std::string key;
  std::string value;
  std::string tx_id;
  uint64_t block_number = 0;
  absl::Duration elapsed;
};

// A transaction round trip through a peer's Gateway, as its organisation's admin: Submit `put <key> <value>`
// (endorsed as the chaincode's policy requires, ordered, committed VALID), then Evaluate `get <key>` on the
// same peer and compare. NotFound for an unknown network, channel or peer; FailedPrecondition if the peer is
// not running or not endorsing; the gateway client's errors; DataLoss if `get` returns another value.
absl::StatusOr<CheckResult> NetworkCheck(const CheckOptions& options);

// A table of NetworkStatus: NODE ROLE STATE PID ADDRESS CHANNELS.
std::string FormatNetworkStatus(const std::vector<NodeStatus>& status);

}  // namespace careledger::launcher

#endif  // CARELEDGER_NETWORK_LAUNCHER_NETWORK_LAUNCHER_H_
