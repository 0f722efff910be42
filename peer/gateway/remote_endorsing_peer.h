// A peer reached through its peer.Endorser service over TLS: how the gateway asks another organisation's peers
// to endorse (and to evaluate, when a client targets another organisation).
#ifndef CARELEDGER_PEER_GATEWAY_REMOTE_ENDORSING_PEER_H_
#define CARELEDGER_PEER_GATEWAY_REMOTE_ENDORSING_PEER_H_

#include <memory>
#include <string>

#include "peer/gateway/gateway_channel.h"
#include "peer/gateway/tls_client.h"

namespace careledger::gateway {

// Where a peer is and whom it belongs to.
struct PeerEndpoint {
  std::string msp_id;         // its organisation
  std::string address;        // "host:port"; its TLS certificate must name the host
  std::string tls_roots_pem;  // its organisation's TLS roots (TlsRootsOf)
};

// An EndorsingPeer for `endpoint`, presenting `client` as this peer's TLS client identity. The connection is
// made by the first call and kept. ProcessProposal (see EndorsingPeer) sends the signed proposal unchanged,
// with `deadline` as the call's, and reads the answer as Fabric's gateway does: a status in [200, 400) is the
// endorsement; a refusal that carries a payload is the chaincode's (ChaincodeRefusal, Unknown); one without is
// the peer's own (Aborted, with the peer's message); a call that fails is Unavailable or DeadlineExceeded
// (TransportError). Thread-safe: calls run concurrently on one connection.
std::shared_ptr<EndorsingPeer> NewRemoteEndorsingPeer(PeerEndpoint endpoint, const TlsClientIdentity& client);

}  // namespace careledger::gateway

#endif  // CARELEDGER_PEER_GATEWAY_REMOTE_ENDORSING_PEER_H_
