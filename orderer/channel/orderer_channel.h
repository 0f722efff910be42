// One channel as this orderer serves it: its configuration (from the last config block in its store), the
// MSPs and policies that configuration defines, its block store and its Raft chain. Broadcast, Deliver and
// the admin API all reach a channel through this object.
//
// Thread-safety: immutable after Open except for the chain and store, which are thread-safe themselves.
#ifndef CARELEDGER_ORDERER_CHANNEL_ORDERER_CHANNEL_H_
#define CARELEDGER_ORDERER_CHANNEL_ORDERER_CHANNEL_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/blockstore/block_store.h"
#include "common/channelconfig/channel_config.h"
#include "msp/msp_manager.h"
#include "msp/signing_identity.h"
#include "orderer/chain/chain.h"
#include "orderer/cluster/cluster_dialer.h"

namespace careledger::orderer {

// What this orderer node is, for every channel it serves.
struct OrdererNode {
  std::shared_ptr<const msp::SigningIdentity> signer;        // signs the blocks this node cuts
  crypto::Certificate cluster_tls_certificate{nullptr};       // presented on the cluster listener and when dialling
  std::shared_ptr<cluster::ClusterConnections> connections;   // to the other consenters
  std::string data_dir;                                        // channels live in <data_dir>/channels/<channel>/
  // Chain tuning that is the node's, not the channel's.
  bool cut_when_idle = true;
  unsigned snapshot_interval_blocks = 100;
  absl::Duration election_timeout = absl::Seconds(1);
  absl::Duration heartbeat_timeout = absl::Milliseconds(100);
  absl::Duration dial_timeout = absl::Seconds(5);  // General.Cluster.DialTimeout
};

class OrdererChannel {
 public:
  // Opens the channel stored in `channel_dir` (blocks/ and raft/ inside), reads its configuration from the
  // last config block, builds its MSPs, and starts its chain. FailedPrecondition if this node is not one of
  // the channel's consenters (its cluster TLS certificate is not in the consenter set); the errors of the
  // store, the configuration, the MSPs and the chain otherwise, annotated with the channel.
  static absl::StatusOr<std::shared_ptr<OrdererChannel>> Open(const std::string& channel_dir, const OrdererNode& node);

  ~OrdererChannel();

  const std::string& id() const { return config_->channel_id(); }
  const channelconfig::ChannelConfig& config() const { return *config_; }
  const msp::MspManager& msps() const { return *msps_; }
  Chain& chain() { return *chain_; }
  blockstore::BlockStore& store() { return *store_; }
  std::shared_ptr<Chain> shared_chain() const { return chain_; }
  uint64_t raft_id() const { return raft_id_; }

  // Stops the chain; pending envelopes fail with Unavailable. Idempotent.
  void Stop();

 private:
  OrdererChannel() = default;

  std::shared_ptr<const channelconfig::ChannelConfig> config_;
  std::unique_ptr<msp::MspManager> msps_;
  std::shared_ptr<blockstore::BlockStore> store_;
  std::shared_ptr<Chain> chain_;
  uint64_t raft_id_ = 0;
};

// The channel configuration a stored chain currently has: that of its last config block.
absl::StatusOr<channelconfig::ChannelConfig> CurrentChannelConfig(const blockstore::BlockStore& store);

}  // namespace careledger::orderer

#endif  // CARELEDGER_ORDERER_CHANNEL_ORDERER_CHANNEL_H_
