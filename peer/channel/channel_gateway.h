// A joined channel as the client-facing services see it (gateway::GatewayChannel): the PeerChannel's view and
// ledger, the endorsing peers its configuration names (gateway/endorsing_peers.h) and its orderers
// (gateway/orderer_broadcaster.h), dialled as the PeerChannel says (address overrides applied).
//
// Built once per channel when it opens. The configuration it was built from is the one the PeerChannel read at
// open (peer_channel.h): a later configuration block takes effect at the next start, for both.
//
// Thread-safety: immutable after construction; every method may be called concurrently.
#ifndef CARELEDGER_PEER_CHANNEL_CHANNEL_GATEWAY_H_
#define CARELEDGER_PEER_CHANNEL_CHANNEL_GATEWAY_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "peer/channel/peer_channel.h"
#include "peer/gateway/endorsing_peers.h"
#include "peer/gateway/gateway_channel.h"
#include "peer/gateway/orderer_broadcaster.h"
#include "peer/gateway/tls_client.h"

namespace careledger::peer {

class ChannelGateway final : public gateway::GatewayChannel {
 public:
  // `channel` must outlive this object. `local` is this peer's own endorser (first for its organisation);
  // `local_address` is this peer's address as the channel's anchor peers list it (peer.address), so that it does
  // not dial itself; `client` is its TLS client identity towards other peers and the orderers.
  ChannelGateway(PeerChannel& channel, std::shared_ptr<gateway::EndorsingPeer> local, std::string_view local_address,
                 const gateway::TlsClientIdentity& client);

  const endorser::EndorserChannel& view() const override { return channel_; }
  const ledger::Ledger& ledger() const override { return channel_.ledger(); }
  std::vector<std::shared_ptr<gateway::EndorsingPeer>> EndorsersOf(std::string_view msp_id) const override {
    return peers_.Of(msp_id);
  }
  absl::Status Broadcast(const ::common::Envelope& envelope, absl::Time deadline) const override {
    return orderers_.Broadcast(envelope, deadline);
  }

 private:
  PeerChannel& channel_;
  const gateway::EndorsingPeers peers_;
  const gateway::OrdererBroadcaster orderers_;
};

}  // namespace careledger::peer

#endif  // CARELEDGER_PEER_CHANNEL_CHANNEL_GATEWAY_H_
