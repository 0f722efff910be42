// The channel participation API (participation_api.h) over HTTPS with mutual TLS, for one node's
// ChannelParticipation: the orderer serves it on its Admin listener, the peer on peer.admin. A client is
// admitted only with a certificate that chains to one of the configured client root CAs (the TLS handshake
// fails otherwise, before any request is read): whoever holds such a certificate administers the node's
// channels.
//
//   ParticipationServerOptions options;
//   options.listen = config.admin.listen;
//   options.tls = ServerTls{chain_pem, key_pem, {client_ca_pem}};
//   options.log_module = "peer.admin";
//   ASSIGN_OR_RETURN(std::unique_ptr<ParticipationServer> server, ParticipationServer::Start(options, &node));
//
// Untrusted input, bounded: a join's body is limited by its Content-Length (at most max_request_body_bytes),
// compressed and chunked bodies are refused, and every connection serves exactly one request, so that the
// unread body of a refused request can never be taken for a next request. Answers that are not the API's own
// (a malformed request line, ...) are still JSON {"error": ...}.
//
// Thread-safety: Start and Stop from one thread; requests are served on the server's own small thread pool,
// so the node's methods are called concurrently.
#ifndef CARELEDGER_COMMON_PARTICIPATION_PARTICIPATION_SERVER_H_
#define CARELEDGER_COMMON_PARTICIPATION_PARTICIPATION_SERVER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/nodeconfig/listen_address.h"
#include "common/participation/channel_participation.h"

namespace careledger::participation {

// The server's TLS material, PEM text.
struct ServerTls {
  std::string certificate_chain_pem;             // the server's certificate, then its intermediate CAs
  std::string private_key_pem;                   // its ECDSA P-256 key
  std::vector<std::string> client_root_ca_pems;  // client certificates must chain to one of these; not empty
};

struct ParticipationServerOptions {
  nodeconfig::HostPort listen;   // port 0: any free port (see ParticipationServer::port)
  std::optional<ServerTls> tls;  // nullopt: plain HTTP, which the nodes' configurations allow on loopback only
  uint64_t max_request_body_bytes = uint64_t{100} << 20;  // a join's body: the genesis block and its form
  int threads = 4;         // concurrent requests; the API is for a few administrators
  std::string log_module;  // the logger's module: "orderer.admin", "peer.admin"; required
};

class ParticipationServer {
 public:
  // Binds the listener and starts serving `node`, which must outlive the server (or its Stop).
  // InvalidArgument for TLS material OpenSSL refuses (naming which part), options without client root CAs,
  // or without a log module; Unavailable if the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<ParticipationServer>> Start(ParticipationServerOptions options,
                                                                    ChannelParticipation* node);

  // Stops (as Stop) if still running.
  ~ParticipationServer();

  ParticipationServer(const ParticipationServer&) = delete;
  ParticipationServer& operator=(const ParticipationServer&) = delete;

  // The port the listener is bound to.
  uint16_t port() const;

  // Stops accepting, lets the requests in progress finish, and returns; the node is not called afterwards.
  // Idempotent.
  void Stop();

 private:
  struct Impl;
  explicit ParticipationServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace careledger::participation

#endif  // CARELEDGER_COMMON_PARTICIPATION_PARTICIPATION_SERVER_H_
