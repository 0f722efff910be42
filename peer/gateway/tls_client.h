// How this peer reaches other nodes of a channel — other organisations' peers (peer.Endorser) and the
// ordering service (orderer.AtomicBroadcast) — over TLS, trusting exactly the TLS roots that the channel
// configuration gives for the node's organisation.
#ifndef CARELEDGER_PEER_GATEWAY_TLS_CLIENT_H_
#define CARELEDGER_PEER_GATEWAY_TLS_CLIENT_H_

#include <memory>
#include <string>
#include <string_view>

#include "msp/msp_config.pb.h"

namespace grpc {
class Channel;
}  // namespace grpc

namespace careledger::gateway {

// This peer's own TLS client certificate and key (PEM), presented to servers that require mutual TLS (Fabric
// peers and orderers with clientAuthRequired). Both empty: no client certificate.
struct TlsClientIdentity {
  std::string certificate_pem;
  std::string private_key_pem;
};

// The PEM certificates that authenticate an organisation's TLS servers: its MSP's tls_root_certs followed by its
// tls_intermediate_certs, as Fabric's peers trust them. Empty if the organisation lists none.
std::string TlsRootsOf(const ::msp::FabricMSPConfig& msp);

// A gRPC channel to `address` ("host:port") whose server certificate must chain to `roots_pem` and name the
// host. Connects lazily (the first call) and reconnects by itself; no message size limit, since blocks and
// proposals may exceed gRPC's 4 MiB default. Thread-safe, like every grpc::Channel.
std::shared_ptr<grpc::Channel> NewTlsChannel(std::string_view address, std::string_view roots_pem,
                                             const TlsClientIdentity& client);

}  // namespace careledger::gateway

#endif  // CARELEDGER_PEER_GATEWAY_TLS_CLIENT_H_
