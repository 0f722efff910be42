#include "peer/gateway/endorsing_peers.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace careledger::gateway {

std::vector<PeerEndpoint> AnchorPeersOf(const channelconfig::ChannelConfig& config) {
  std::vector<PeerEndpoint> endpoints;
  for (const channelconfig::ApplicationOrg& org : config.application_orgs()) {
    const std::string roots = TlsRootsOf(org.msp_config);
    for (const channelconfig::AnchorPeer& anchor : org.anchor_peers) {
      endpoints.push_back({org.msp_id, absl::StrCat(anchor.host, ":", anchor.port), roots});
    }
  }
  return endpoints;
}

EndorsingPeers EndorsingPeers::FromConfig(const channelconfig::ChannelConfig& config,
                                          std::shared_ptr<EndorsingPeer> local, std::string_view local_address,
                                          const TlsClientIdentity& client) {
  EndorsingPeers peers;
  if (local != nullptr) peers.peers_[local->msp_id()].push_back(std::move(local));
  for (PeerEndpoint& endpoint : AnchorPeersOf(config)) {
    if (endpoint.address == local_address) continue;
    std::string msp_id = endpoint.msp_id;
    peers.peers_[msp_id].push_back(NewRemoteEndorsingPeer(std::move(endpoint), client));
  }
  return peers;
}

std::vector<std::shared_ptr<EndorsingPeer>> EndorsingPeers::Of(std::string_view msp_id) const {
  auto found = peers_.find(msp_id);
  if (found == peers_.end()) return {};
  return found->second;
}

}  // namespace careledger::gateway
