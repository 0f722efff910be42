// What a node's HTTP listeners share — the channel participation API (common/participation) and the
// operations endpoint (common/operations): a cpp-httplib server with TLS set up from PEM text, requests
// bounded, one request per connection, a bind that fails loudly, served on a thread of its own.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<HttpServer> http, HttpServer::Create(options));
//   http->routes().Get("/healthz", ...);            // handlers first
//   RETURN_IF_ERROR(http->Listen());                 // then bind and serve
//   ... http->port() ...
//   http->Stop();                                    // or the destructor
//
// httplib binds with SO_REUSEPORT by default, which lets a second process bind the same port and silently take
// half of the connections: here a port in use is an error (SO_REUSEADDR alone still allows a restart while old
// connections linger in TIME_WAIT).
//
// Thread-safety: Create, routes, Listen and Stop from one thread; handlers run on the server's thread pool.
#ifndef CARELEDGER_COMMON_HTTPSERVER_HTTP_SERVER_H_
#define CARELEDGER_COMMON_HTTPSERVER_HTTP_SERVER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/nodeconfig/listen_address.h"
#include "common/nodeconfig/tls_files.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace careledger::httpserver {

// A server's TLS material, PEM text: the certificate chain, its key, the roots a presented client certificate
// must chain to, and whether one is required.
using HttpServerTls = nodeconfig::TlsServerFiles;

struct HttpServerOptions {
  std::string name;              // "admin listener", "operations listener": errors start with it
  nodeconfig::HostPort listen;   // port 0: any free port (see port())
  std::optional<HttpServerTls> tls;  // nullopt: plain HTTP
  int threads = 2;               // requests served at once
  uint64_t max_request_body_bytes = 64 * 1024;
};

class HttpServer {
 public:
  // A server with TLS as `options.tls` says: TLS 1.2 or later, no compression or renegotiation; a presented
  // client certificate is verified against the client roots (a bad one fails the handshake), its absence
  // refused with client_auth_required. InvalidArgument "<name> TLS: <what>" for a certificate, key or root
  // that does not parse or does not match, or for client_auth_required without client roots.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Create(HttpServerOptions options);
  ~HttpServer();  // Stop()

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Where handlers are registered, before Listen.
  httplib::Server& routes() { return *server_; }

  // Binds the listen address and serves on a thread of its own; returns once requests are being accepted.
  // Unavailable "<name>: cannot listen on <address>" if the address cannot be bound (in use, not local).
  absl::Status Listen();

  // The bound port (the one chosen when options.listen.port is 0); 0 before Listen.
  uint16_t port() const { return port_; }

  // Stops accepting, finishes the requests being served, joins the thread. Idempotent.
  void Stop();

 private:
  HttpServer(HttpServerOptions options, std::unique_ptr<httplib::Server> server);

  const HttpServerOptions options_;
  const std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  uint16_t port_ = 0;
  bool listening_ = false;
};

}  // namespace careledger::httpserver

#endif  // CARELEDGER_COMMON_HTTPSERVER_HTTP_SERVER_H_
