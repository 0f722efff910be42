// One Raft group member, on the `raft` C library (libraft 0.15, the engine under dqlite) with its libuv
// storage: the replicated, durable log beneath a channel's chain. Nothing above this file sees libraft.
//
// Threads: a RaftNode runs its own libuv loop thread. Everything libraft does, and every callback into the
// StateMachine or into the `done` of Propose, happens on that thread. Other threads talk to the node only
// through Post() (and Stop()). Loop-thread methods are marked as such; calling them elsewhere is a bug.
//
// Durability: an entry is committed once a majority of voters has written it to disk (libraft fsyncs its
// segments); Propose's `done` reports OK only after the entry is committed and applied locally.
#ifndef CARELEDGER_ORDERER_RAFT_RAFT_NODE_H_
#define CARELEDGER_ORDERER_RAFT_RAFT_NODE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

struct raft_uv_transport;  // libraft's transport interface (raft/uv.h)
struct uv_loop_s;

namespace careledger::orderer::raft {

// The application above the log. Called on the loop thread only, in log order.
class StateMachine {
 public:
  virtual ~StateMachine() = default;
  // A committed entry. Must be deterministic. A non-OK status is a local failure (disk, corruption): the node
  // logs it and stops applying, as a node that cannot apply must not pretend to progress.
  virtual absl::Status Apply(std::string_view entry) = 0;
  // A compact description of everything applied so far; libraft persists it and truncates the log before it.
  virtual absl::StatusOr<std::string> Snapshot() = 0;
  // Replace the state by a snapshot (at start-up, or when the leader sends one to a lagging node).
  virtual absl::Status Restore(std::string_view snapshot) = 0;
};

// Provides libraft with connections to the other members. Created by the caller, attached to the node's loop
// by Start (see stream_transport.h for CareLedger's mutual-TLS implementation).
class TransportProvider {
 public:
  virtual ~TransportProvider() = default;
  // Returns the libraft transport bound to `loop`; owned by the provider, valid until the provider is
  // destroyed (after the node stopped).
  virtual raft_uv_transport* Attach(uv_loop_s* loop) = 0;
};

struct RaftMember {
  uint64_t id = 0;      // Raft server ID, > 0
  std::string address;  // how the transport reaches it (the cluster address)
};

struct RaftNodeOptions {
  uint64_t id = 0;
  std::string address;
  // The voters a brand-new group starts with. Ignored when `data_dir` already holds Raft state: the group's
  // configuration is then the one in the log.
  std::vector<RaftMember> initial_members;
  std::string data_dir;  // Raft log, metadata and snapshots; created if missing
  absl::Duration election_timeout = absl::Milliseconds(1000);
  absl::Duration heartbeat_timeout = absl::Milliseconds(100);
  // How long a leader waits for a follower to install a snapshot before sending it again. A follower busy
  // writing its own snapshot refuses one, so this bounds how long a lagging member stays behind (libraft's
  // default, 30 s, is far too long for an ordering service).
  absl::Duration install_snapshot_timeout = absl::Seconds(5);
  // Take a snapshot every `snapshot_threshold` applied entries, keeping `snapshot_trailing` entries behind it
  // so that slightly lagging members catch up from the log instead of a snapshot.
  unsigned snapshot_threshold = 100;
  unsigned snapshot_trailing = 50;
  // How often the loop checks for a leadership change (libraft 0.15 has no callback for it).
  absl::Duration leadership_poll_interval = absl::Milliseconds(20);

  // Called on the loop thread whenever this node's view of the leader changes (including to "no leader").
  // Given here, not later, because a single-member group is already leader when Start returns.
  std::function<void(const RaftMember& leader, uint64_t term)> on_leader_change;
  // Called on the loop thread every leadership_poll_interval: the application's clock (batch timeouts).
  std::function<void()> on_tick;
};

class RaftNode {
 public:
  // Opens (or bootstraps) the Raft state in options.data_dir and starts the loop thread. `fsm` and
  // `transport` must outlive the node. InvalidArgument for bad options; Internal if libraft or libuv fail,
  // with libraft's message; DataLoss-like Internal ("persisted data is corrupted") if the log on disk is
  // damaged: the node refuses to start rather than drop entries. Ignores SIGPIPE process-wide (a peer
  // closing a connection must be an error code, not the end of the process).
  static absl::StatusOr<std::unique_ptr<RaftNode>> Start(const RaftNodeOptions& options, StateMachine* fsm,
                                                         TransportProvider* transport);
  // Stops the node (see Stop).
  ~RaftNode();
  RaftNode(const RaftNode&) = delete;
  RaftNode& operator=(const RaftNode&) = delete;

  // Runs `task` on the loop thread, in posting order. Thread-safe. Returns false, dropping the task, once
  // Stop has begun.
  bool Post(std::function<void()> task);

  // Closes libraft (pending proposals complete with Unavailable), the transport and the loop, and joins the
  // loop thread. Idempotent; must not be called from the loop thread.
  void Stop();

  // ---- Loop thread only ----

  // Appends `entry` (any bytes; framed and padded here as libraft's format needs) to the log if this node is
  // the leader. `done` runs exactly once, on the loop thread: OK
  // when the entry is committed and applied here; Unavailable if this node is not (or stops being) the
  // leader or is stopping; Internal for other libraft failures.
  void Propose(std::string entry, std::function<void(absl::Status)> done);

  // Runs `done` once every entry appended before it is committed and applied (a Raft barrier): a new leader
  // uses it to learn the state its predecessor left. Same statuses as Propose.
  void Barrier(std::function<void(absl::Status)> done);

  bool IsLeader() const;
  // The current leader's ID and address; {0, ""} when there is none known.
  RaftMember Leader() const;
  uint64_t term() const;
  uint64_t id() const;


  struct Impl;

 private:
  explicit RaftNode(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace careledger::orderer::raft

#endif  // CARELEDGER_ORDERER_RAFT_RAFT_NODE_H_
