// A node's gRPC listener as its configuration describes it: the TLS credentials made from a TlsConfig's files,
// the keepalive and message-size settings, and a bind that fails loudly. The orderer's public listener and the
// peer's client-facing listener are built the same way, so they are built here.
//
//   grpc::ServerBuilder builder;
//   ApplyMessageLimits(builder, max_recv, max_send);
//   ApplyServerKeepalive(builder, keepalive);
//   builder.RegisterService(&service);
//   ASSIGN_OR_RETURN(auto credentials, ServerCredentialsFor(tls, {"peer.tls.cert.file", ...}));
//   ASSIGN_OR_RETURN(auto server, BuildAndStart(builder, listen, credentials, "peer listener", &port));
//
// Errors name the configuration key at fault ("peer.tls.cert.file: ...").
#ifndef CARELEDGER_COMMON_NODECONFIG_GRPC_LISTENER_H_
#define CARELEDGER_COMMON_NODECONFIG_GRPC_LISTENER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/nodeconfig/listen_address.h"
#include "common/nodeconfig/node_settings.h"
#include "common/nodeconfig/tls_files.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"

namespace careledger::nodeconfig {

// Plaintext credentials if `tls` is disabled. Otherwise the server's certificate and key; client certificates
// are requested (Deliver sessions are bound to them) but required and verified against the client root CAs
// only with client_auth_required, as Fabric's listeners do.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(const TlsConfig& tls,
                                                                              const TlsFileKeys& keys);

// Mutual TLS: client certificates required and verified against `client_roots` (PEM texts).
std::shared_ptr<grpc::ServerCredentials> MutualTlsCredentials(const std::string& certificate_chain_pem,
                                                              const std::string& private_key_pem,
                                                              const std::vector<std::string>& client_roots);

// Message size limits, and SO_REUSEPORT off: gRPC sets it by default, which lets a second process bind the same
// port and silently take half of its connections. A port in use must be an error.
void ApplyMessageLimits(grpc::ServerBuilder& builder, uint64_t max_recv_bytes, uint64_t max_send_bytes);

// The server's keepalive: pings after `server_interval` idle, closes after `server_timeout` unanswered, and
// accepts client pings no more often than `server_min_interval`, even without calls in progress (Fabric's
// PermitWithoutStream).
void ApplyServerKeepalive(grpc::ServerBuilder& builder, const KeepaliveConfig& keepalive);

// Binds `listen` and starts the server; `*port` is the port bound (useful with port 0). Unavailable
// "<what>: cannot listen on <address>" if it cannot bind; nothing keeps running then.
absl::StatusOr<std::unique_ptr<grpc::Server>> BuildAndStart(grpc::ServerBuilder& builder, const HostPort& listen,
                                                            std::shared_ptr<grpc::ServerCredentials> credentials,
                                                            std::string_view what, int* port);

}  // namespace careledger::nodeconfig

#endif  // CARELEDGER_COMMON_NODECONFIG_GRPC_LISTENER_H_
