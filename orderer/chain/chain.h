// One channel's ordering: a Raft group among the channel's consenters whose committed entries are signed
// blocks (as Fabric's etcdraft), appended to every consenter's block store.
//
//   Broadcast (validated) ─► Order ─► leader: block cutter ─► sign block ─► Raft (majority fsync) ─► apply
//                                    follower: Forwarder ─► leader's Order                       ─► block store
//
// Acknowledgement. Order's `done` reports OK only once the block holding the envelope is committed by a
// majority and applied on the leader: an acknowledged envelope survives the crash of any minority. Envelopes
// that were pending or in flight when leadership is lost fail with Unavailable and should be resubmitted;
// such an envelope may still appear in the chain (its block may commit under the next leader), and a peer
// then marks the resubmitted copy DUPLICATE_TXID, as Fabric's do.
//
// Cutting. The leader cuts by the channel's batch size (count, preferred bytes) and batch timeout, and,
// unless `cut_when_idle` is off, also as soon as no block is in flight: at low load envelopes then wait for
// one Raft round instead of the whole batch timeout, and under load blocks fill up while earlier ones commit
// (group commit). Config envelopes go into a block of their own.
//
// Threads: the Raft loop thread owns all ordering state; Order may be called from any thread.
#ifndef CARELEDGER_ORDERER_CHAIN_CHAIN_H_
#define CARELEDGER_ORDERER_CHAIN_CHAIN_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/blockstore/block_store.h"
#include "common/logging/logger.h"
#include "common/protoutil/signer.h"
#include "orderer/blockcutter/batch_timer.h"
#include "orderer/blockcutter/block_cutter.h"
#include "orderer/chain/block_applier.h"
#include "orderer/chain/forwarder.h"
#include "orderer/cluster/cluster_dialer.h"
#include "orderer/cluster/cluster_service.h"
#include "orderer/raft/raft_node.h"
#include "orderer/raft/stream_transport.h"

namespace careledger::orderer {

struct ChainOptions {
  std::string channel_id;
  uint64_t self_id = 0;                             // our Raft ID among the consenters
  std::vector<cluster::ClusterMember> consenters;   // every consenter, us included
  BatchSizeLimits batch_limits;
  absl::Duration batch_timeout = absl::Seconds(2);
  bool cut_when_idle = true;
  uint64_t last_config_index = 0;                   // of the chain as stored
  std::string raft_dir;                             // the Raft log and snapshots of this channel
  absl::Duration election_timeout = absl::Seconds(1);
  absl::Duration heartbeat_timeout = absl::Milliseconds(100);
  absl::Duration dial_timeout = absl::Seconds(5);  // how long a connection to another consenter may take
  unsigned snapshot_interval_blocks = 100;
};

struct ChainStatus {
  uint64_t leader_id = 0;  // 0 while none is known
  uint64_t term = 0;
  bool is_leader = false;
  uint64_t height = 0;
};

class Chain final : public cluster::ClusterChannel, public std::enable_shared_from_this<Chain> {
 public:
  using Done = std::function<void(absl::Status)>;

  // Starts the channel's Raft member. `store` holds the chain (at least the genesis block); `signer` signs the
  // blocks this node cuts as leader; `connections` reaches the other consenters. InvalidArgument for options
  // that cannot work (us not among the consenters, bad batch limits); the Raft node's errors otherwise.
  static absl::StatusOr<std::shared_ptr<Chain>> Start(ChainOptions options, std::shared_ptr<blockstore::BlockStore> store,
                                                      std::shared_ptr<const protoutil::Signer> signer,
                                                      std::shared_ptr<cluster::ClusterConnections> connections);
  ~Chain() override;

  // Orders a validated envelope (see the header comment for when `done` reports OK). `done` runs exactly once,
  // on any thread. InvalidArgument if the envelope exceeds the batch size's absolute maximum; Unavailable when
  // no leader is known, leadership is lost, or the chain is stopping.
  void Order(std::string envelope, bool is_config, Done done);

  ChainStatus status() const;
  const std::string& channel_id() const { return options_.channel_id; }
  blockstore::BlockStore& store() { return *store_; }

  // Stops Raft and fails whatever is unanswered. Idempotent.
  void Stop();

  // cluster::ClusterChannel
  std::optional<cluster::ClusterMember> MemberByClientCertificate(const crypto::Certificate& cert) const override;
  void ServeRaftStream(uint64_t from, const std::string& address, std::unique_ptr<raft::ByteStream> stream) override;
  void OrderForwarded(std::string envelope, bool is_config, Done done) override;
  uint64_t Height() const override { return store_->Height(); }
  absl::StatusOr<std::string> BlockBytes(uint64_t number) const override { return store_->GetBlockBytes(number); }

 private:
  Chain(ChainOptions options, std::shared_ptr<blockstore::BlockStore> store,
        std::shared_ptr<const protoutil::Signer> signer, std::shared_ptr<cluster::ClusterConnections> connections,
        BlockCutter cutter);

  std::optional<cluster::ClusterMember> MemberById(uint64_t id) const;

  // ---- Raft loop thread ----
  void OrderOnLoop(std::string envelope, bool is_config, bool forwarded, Done done);
  void EnqueueAsLeader(std::string envelope, bool is_config, Done done);
  void ProposeBatch(Batch batch, bool is_config);
  void MaybeCutWhenIdle();
  void OnTick();
  void OnLeaderChange(const raft::RaftMember& leader, uint64_t term);
  void FailPending(const absl::Status& status);

  const ChainOptions options_;
  std::shared_ptr<blockstore::BlockStore> store_;
  std::shared_ptr<const protoutil::Signer> signer_;
  std::shared_ptr<cluster::ClusterConnections> connections_;
  logging::Logger log_;

  std::unique_ptr<cluster::ClusterDialer> dialer_;
  std::unique_ptr<raft::StreamTransport> transport_;
  std::unique_ptr<BlockApplier> applier_;
  std::unique_ptr<Forwarder> forwarder_;
  std::unique_ptr<raft::RaftNode> node_;
  // Notified once Start has stored node_. The Raft loop may call OnLeaderChange and OnTick before
  // RaftNode::Start has even returned (a single consenter elects itself at once), and they use node_.
  absl::Notification node_stored_;

  std::atomic<uint64_t> leader_id_{0};
  std::atomic<uint64_t> term_{0};
  std::atomic<bool> stopped_{false};

  // Raft loop thread only.
  BlockCutter cutter_;
  BatchTimer timer_;
  std::deque<Done> pending_acks_;            // one per envelope in the cutter, in order
  struct HeldEnvelope {
    std::string envelope;
    bool is_config;
    Done done;
  };
  std::deque<HeldEnvelope> held_;            // arrived while a new leader waits for its barrier
  bool is_leader_ = false;
  bool ready_ = false;                       // leader whose barrier completed: the tip below is current
  uint64_t next_number_ = 0;
  std::string previous_hash_;
  uint64_t last_config_index_ = 0;
  int in_flight_ = 0;
};

}  // namespace careledger::orderer

#endif  // CARELEDGER_ORDERER_CHAIN_CHAIN_H_
