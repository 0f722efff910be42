// Which peers endorse for each organisation of a channel, as this peer learns them from the channel
// configuration: what the peer's channel object answers GatewayChannel::EndorsersOf with.
//
// Fabric's gateway learns its channel's peers through gossip and discovery. CareLedger peers do not gossip: the
// peers an organisation offers to other organisations' gateways are its anchor peers
// (/Channel/Application/<org>/AnchorPeers), trusted with the organisation's TLS roots from its MSP definition.
// So an organisation that wants its peers to endorse for others lists them as anchor peers.
#ifndef CARELEDGER_PEER_GATEWAY_ENDORSING_PEERS_H_
#define CARELEDGER_PEER_GATEWAY_ENDORSING_PEERS_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/channelconfig/channel_config.h"
#include "peer/gateway/gateway_channel.h"
#include "peer/gateway/remote_endorsing_peer.h"
#include "peer/gateway/tls_client.h"

namespace careledger::gateway {

// Every anchor peer of the channel's application organisations, in configuration order, with its
// organisation's MSP ID and TLS roots.
std::vector<PeerEndpoint> AnchorPeersOf(const channelconfig::ChannelConfig& config);

// The endorsing peers of one channel configuration. Immutable after construction; thread-safe.
class EndorsingPeers {
 public:
  // `local` (this peer's LocalEndorsingPeer) first for its organisation, then a RemoteEndorsingPeer for each
  // anchor peer of `config` except this peer itself (the anchor peer whose address is `local_address`).
  // `client` is this peer's TLS client identity for those connections.
  static EndorsingPeers FromConfig(const channelconfig::ChannelConfig& config, std::shared_ptr<EndorsingPeer> local,
                                   std::string_view local_address, const TlsClientIdentity& client);

  // The peers of organisation `msp_id`, best first; empty if none is known.
  std::vector<std::shared_ptr<EndorsingPeer>> Of(std::string_view msp_id) const;

 private:
  std::map<std::string, std::vector<std::shared_ptr<EndorsingPeer>>, std::less<>> peers_;
};

}  // namespace careledger::gateway

#endif  // CARELEDGER_PEER_GATEWAY_ENDORSING_PEERS_H_
