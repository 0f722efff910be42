#include "peer/channel/channel_gateway.h"

#include <utility>

namespace careledger::peer {

ChannelGateway::ChannelGateway(PeerChannel& channel, std::shared_ptr<gateway::EndorsingPeer> local,
                               std::string_view local_address, const gateway::TlsClientIdentity& client)
    : channel_(channel),
      peers_(gateway::EndorsingPeers::FromConfig(channel.config(), std::move(local), local_address, client)),
      orderers_(channel.orderers(), client) {}

}  // namespace careledger::peer
