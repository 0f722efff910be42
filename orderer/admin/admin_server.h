// The orderer's Admin listener: the channel participation API (participation_api.h) over HTTPS with mutual
// TLS. A client is admitted only with a certificate that chains to one of the configured client root CAs
// (Admin.TLS.ClientRootCAs): the TLS handshake fails otherwise, before any request is read.
//
// Untrusted input, bounded: a join's body is limited by its Content-Length (at most max_request_body_bytes),
// compressed and chunked bodies are refused, and every connection serves exactly one request, so that the
// unread body of a refused request can never be taken for a next request. Answers that are not the API's own
// (a malformed request line, ...) are still JSON {"error": ...}.
//
// Thread-safety: Start and Stop from one thread; requests are served on the server's own small thread pool.
#ifndef CARELEDGER_ORDERER_ADMIN_ADMIN_SERVER_H_
#define CARELEDGER_ORDERER_ADMIN_ADMIN_SERVER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/nodeconfig/listen_address.h"
#include "orderer/channel/channel_registry.h"

namespace careledger::orderer::admin {

// The server's TLS material, PEM text.
struct AdminTls {
  std::string certificate_chain_pem;             // the server's certificate, then its intermediate CAs
  std::string private_key_pem;                   // its ECDSA P-256 key
  std::vector<std::string> client_root_ca_pems;  // client certificates must chain to one of these; not empty
};

struct AdminServerOptions {
  nodeconfig::HostPort listen;  // port 0: any free port (see AdminServer::port)
  std::optional<AdminTls> tls;  // nullopt: plain HTTP, which the orderer's configuration allows on loopback only
  uint64_t max_request_body_bytes = uint64_t{100} << 20;
  int threads = 4;  // concurrent requests; the API is for a few administrators
};

class AdminServer {
 public:
  // Binds the listener and starts serving. `registry` must outlive the server. InvalidArgument for TLS
  // material OpenSSL refuses (naming which part), or options without client root CAs; Unavailable if the
  // address cannot be bound.
  static absl::StatusOr<std::unique_ptr<AdminServer>> Start(AdminServerOptions options, ChannelRegistry* registry);

  // Stops (as Stop) if still running.
  ~AdminServer();

  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  // The port the listener is bound to.
  uint16_t port() const;

  // Stops accepting, lets the requests in progress finish, and returns. Idempotent.
  void Stop();

 private:
  struct Impl;
  explicit AdminServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace careledger::orderer::admin

#endif  // CARELEDGER_ORDERER_ADMIN_ADMIN_SERVER_H_
