// One channel as this peer holds it: its ledger, its current configuration and MSPs, the committer that
// applies new blocks, and the puller that fetches them from the channel's orderers. The endorser and the
// gateway reach a channel through this object (it is the endorser's EndorserChannel).
//
// Layout: <data_dir>/ledgers/<channel ID>/ holds the channel's ledger (peer/ledger).
//
// Configuration: read once from the chain when the channel opens (ChannelConfig::OfChain). A later config
// block is committed like any block; the peer applies it on its next start (channel configuration updates
// are not ordered yet: the ordering service refuses CONFIG_UPDATE).
//
// Thread-safety: everything is thread-safe; blocks are committed by the puller's thread, one at a time.
#ifndef CARELEDGER_PEER_CHANNEL_PEER_CHANNEL_H_
#define CARELEDGER_PEER_CHANNEL_PEER_CHANNEL_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/channelconfig/channel_config.h"
#include "common/concurrency/thread_pool.h"
#include "msp/msp_manager.h"
#include "msp/signing_identity.h"
#include "peer/committer/block_committer.h"
#include "peer/deliverclient/block_puller.h"
#include "peer/channel/channel_metrics.h"
#include "peer/endorser/endorser_channel.h"
#include "peer/gateway/orderer_broadcaster.h"
#include "peer/ledger/ledger.h"

namespace careledger::peer {

// What this peer node is, for every channel it holds.
struct PeerNode {
  const msp::SigningIdentity* signer = nullptr;  // the peer's identity: signs Deliver requests
  std::string data_dir;                           // channels live in <data_dir>/ledgers/<channel ID>/
  ThreadPool* validation_pool = nullptr;          // validates transactions in parallel (null: inline)
  // TLS client certificate and key presented to orderers that require them (PEM; may be empty).
  std::string tls_client_cert_pem;
  std::string tls_client_key_pem;
  // peer.deliveryclient.addressOverrides: orderers of a channel's configuration dialled elsewhere, for pulling
  // blocks and for the gateway's Broadcast alike.
  std::vector<gateway::OrdererAddressOverride> orderer_address_overrides;
  // How the puller connects and waits between attempts (peer.deliveryclient).
  absl::Duration orderer_connect_timeout = absl::Seconds(3);
  absl::Duration pull_initial_backoff = absl::Milliseconds(100);
  absl::Duration pull_max_backoff = absl::Seconds(10);
  // Where each channel reports its commits (channel_metrics.h); null: no metrics. Must outlive the channels.
  const CommitMetricFamilies* metrics = nullptr;
};

class PeerChannel final : public endorser::EndorserChannel {
 public:
  // Creates the channel from `genesis` (block 0, from the administrator): a new ledger with block 0
  // committed. AlreadyExists if this peer already holds the channel; the genesis block's errors
  // (BlockCommitter::CommitGenesis) otherwise, with nothing left on disk.
  static absl::StatusOr<std::unique_ptr<PeerChannel>> Join(const PeerNode& node, const ::common::Block& genesis);

  // Opens a channel joined before. NotFound if this peer does not hold it; the ledger's errors (recovery
  // included) and the configuration's otherwise.
  static absl::StatusOr<std::unique_ptr<PeerChannel>> Open(const PeerNode& node, const std::string& channel_id);

  // The channel IDs under <data_dir>/ledgers/, sorted.
  static std::vector<std::string> JoinedChannels(const PeerNode& node);

  // Deletes the channel's folder (its ledger). The channel must be stopped and not reopened meanwhile.
  // Internal naming the folder if it cannot be deleted.
  static absl::Status Delete(const PeerNode& node, const std::string& channel_id);

  ~PeerChannel() override;

  // Starts pulling blocks from the orderers. Idempotent.
  void StartPulling();
  // Stops pulling and closes the ledger (readers keep working until destruction). Idempotent.
  void Stop();

  // Verifies, validates and commits the next block (the puller's sink; also used by tests).
  absl::StatusOr<committer::CommittedBlock> CommitBlock(::common::Block block);

  const std::string& id() const { return config_->channel_id(); }
  // The channel's orderers as this peer dials them: the configuration's endpoints with the node's overrides.
  std::vector<gateway::OrdererEndpoint> orderers() const;
  ledger::Ledger& ledger() const { return *ledger_; }
  // Why the puller's last round ended (OK if it never failed or is not running).
  absl::Status puller_status() const;

  // endorser::EndorserChannel
  const channelconfig::ChannelConfig& config() const override { return *config_; }
  const msp::MspManager& msps() const override { return *msps_; }
  std::shared_ptr<const ledger::StateSnapshot> NewSnapshot() const override;
  absl::StatusOr<bool> HasTransaction(std::string_view tx_id) const override;
  absl::StatusOr<std::vector<chaincode::KeyModification>> History(std::string_view ns,
                                                                 std::string_view key) const override;

 private:
  PeerChannel() = default;
  static absl::StatusOr<std::unique_ptr<PeerChannel>> OpenLedger(const PeerNode& node, std::unique_ptr<ledger::Ledger>);

  PeerNode node_;
  std::unique_ptr<ledger::Ledger> ledger_;
  std::unique_ptr<const channelconfig::ChannelConfig> config_;
  std::unique_ptr<msp::MspManager> msps_;
  std::unique_ptr<committer::BlockCommitter> committer_;
  std::unique_ptr<ChannelCommitMetrics> metrics_;  // null without PeerNode::metrics
  mutable std::mutex puller_mu_;
  std::unique_ptr<deliverclient::BlockPuller> puller_;  // guarded by puller_mu_
};

}  // namespace careledger::peer

#endif  // CARELEDGER_PEER_CHANNEL_PEER_CHANNEL_H_
