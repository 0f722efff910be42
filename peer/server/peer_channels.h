// Every channel this peer has joined, by channel ID: what the endorser (endorser::ChannelDirectory) and the
// client-facing services (gateway::GatewayChannels) look channels up in, and what the admin endpoint joins,
// lists and removes channels through (participation::ChannelParticipation).
//
// Layout on disk: PeerChannel's (<node.data_dir>/ledgers/<channel ID>/). OpenAll reopens every channel found
// there at start-up; a channel that does not reopen is an error, since a peer must not silently stop serving
// a channel it joined.
//
// Each channel, once open, pulls its blocks from its orderers, and its gateway view (ChannelGateway) is built
// with this peer's endorser.
//
// Thread-safety: every method is thread-safe. Lookups take a short lock and never wait for I/O; joins are
// serialised among themselves (creating a ledger is I/O) without blocking lookups.
#ifndef CARELEDGER_PEER_SERVER_PEER_CHANNELS_H_
#define CARELEDGER_PEER_SERVER_PEER_CHANNELS_H_

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/common.pb.h"
#include "common/participation/channel_participation.h"
#include "peer/channel/channel_gateway.h"
#include "peer/channel/peer_channel.h"
#include "peer/endorser/endorser_channel.h"
#include "peer/gateway/gateway_channel.h"
#include "peer/gateway/tls_client.h"

namespace careledger::peer {

class PeerChannels final : public endorser::ChannelDirectory, public participation::ChannelParticipation {
 public:
  struct Options {
    PeerNode node;
    std::string local_address;             // peer.address: this peer among the channels' anchor peers
    gateway::TlsClientIdentity tls_client;  // towards other peers and the orderers
  };

  explicit PeerChannels(Options options);
  ~PeerChannels() override;  // StopAll
  PeerChannels(const PeerChannels&) = delete;
  PeerChannels& operator=(const PeerChannels&) = delete;

  // Sets `local` (this peer's endorser) as the first endorser of its organisation in every channel's gateway
  // view, then reopens every joined channel and starts pulling. Call once, before Join. Errors name the channel
  // that does not reopen (PeerChannel::Open's errors); the channels opened before it are stopped again.
  absl::Status OpenAll(std::shared_ptr<gateway::EndorsingPeer> local);

  // participation::ChannelParticipation, for the admin endpoint. A peer reports consensus relation "other".
  // Join: PeerChannel::Join and start serving: InvalidArgument for a block that is not a valid genesis block,
  // AlreadyExists if joined before, FailedPrecondition before OpenAll or after StopAll; nothing is left on disk
  // after an error. Remove stops serving the channel and deletes its ledger (NotFound if not joined).
  absl::StatusOr<participation::ChannelInfo> Join(const ::common::Block& genesis) override;
  std::vector<participation::ChannelInfo> List() const override;
  absl::StatusOr<participation::ChannelInfo> Info(std::string_view channel_id) const override;
  absl::Status Remove(std::string_view channel_id) override;

  // Stops pulling and closes every ledger; lookups find nothing afterwards. Idempotent.
  void StopAll();

  // endorser::ChannelDirectory: nullptr for a channel not joined (or after StopAll). The result keeps the
  // channel's objects alive.
  std::shared_ptr<const endorser::EndorserChannel> Find(std::string_view channel_id) const override;
  // The same channels as the client-facing services look them up (their Find returns the gateway view).
  const gateway::GatewayChannels& gateways() const { return gateways_; }

 private:
  struct Entry {
    std::unique_ptr<PeerChannel> channel;
    std::unique_ptr<ChannelGateway> gateway;  // uses `channel`: declared after it, destroyed before it
  };
  // gateway::GatewayChannels over this registry (the two interfaces' Find differ only in their result).
  class GatewayView final : public gateway::GatewayChannels {
   public:
    explicit GatewayView(const PeerChannels& channels) : channels_(channels) {}
    std::shared_ptr<gateway::GatewayChannel> Find(std::string_view channel_id) const override;

   private:
    const PeerChannels& channels_;
  };

  std::shared_ptr<Entry> Serve(std::unique_ptr<PeerChannel> channel);
  static participation::ChannelInfo InfoOf(const Entry& entry);
  std::shared_ptr<Entry> Lookup(std::string_view channel_id) const;

  const Options options_;
  std::shared_ptr<gateway::EndorsingPeer> local_;  // set by OpenAll
  std::mutex join_mu_;                             // serialises OpenAll, Join, Remove and StopAll
  mutable std::mutex mu_;
  bool open_ = false;                                                // guarded by mu_
  std::map<std::string, std::shared_ptr<Entry>, std::less<>> channels_;  // guarded by mu_
  const GatewayView gateways_{*this};
};

}  // namespace careledger::peer

#endif  // CARELEDGER_PEER_SERVER_PEER_CHANNELS_H_
