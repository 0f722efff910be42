// The operations endpoint of a node (the peer's `operations:` section, the orderer's `Operations:`): an HTTP
// listener for operators and monitoring, shaped as Hyperledger Fabric's operations service so that the same
// probes and scrapers work.
//
//   GET  /healthz   200 {"status":"OK","time":"2026-11-25T01:02:03.456Z"} when every registered check passes;
//                   503 {"status":"Service Unavailable","time":...,"failed_checks":[{"component":"ledger",
//                   "reason":"..."}]} otherwise
//   GET  /metrics   the metrics registry in Prometheus' text format, "text/plain; version=0.0.4"
//                   (404 when the node has none: metrics.provider disabled)
//   GET  /version   {"Version":"0.1.0","CommitSHA":"abc1234"}
//   GET  /logspec   {"spec":"info"}: the log level spec in force (common/logging/log_spec.h)
//   PUT  /logspec   body {"spec":"warn:peer.committer=debug"}: changes it at once; 204, or 400 {"error":...}
//
// Any other path is 404 and any other method 405, both {"error": ...}.
//
// TLS (optional): as Fabric's, the server requests a client certificate and verifies any that is presented
// against the client root CAs; with client_auth_required a connection without one fails its handshake.
// Without client_auth_required, /healthz and /version stay open to anyone (load balancers, liveness
// probes) while /metrics and /logspec answer 401 unless the client presented a verified certificate.
//
// Untrusted input, bounded: request bodies are limited to kMaxRequestBodyBytes, each connection serves one
// request, and a malformed PUT body is a 400 that changes nothing.
//
// Thread-safety: Start and Stop from one thread; AddHealthCheck from any thread at any time. Requests are
// served on the server's own small thread pool; health checks, the metrics registry and the logging registry
// are called from it concurrently with the node's own threads.
#ifndef CARELEDGER_COMMON_OPERATIONS_OPERATIONS_SERVER_H_
#define CARELEDGER_COMMON_OPERATIONS_OPERATIONS_SERVER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/logging/registry.h"
#include "common/metrics/metrics.h"
#include "common/nodeconfig/listen_address.h"
#include "common/nodeconfig/tls_files.h"

namespace careledger::operations {

inline constexpr uint64_t kMaxRequestBodyBytes = 64 * 1024;

// A health check: OK when the component is healthy, else a status whose message is the reason shown in
// /healthz. It runs on a request thread for every /healthz: it must be cheap and must not block.
using HealthCheck = std::function<absl::Status()>;

// The server's TLS material, PEM text; a presented client certificate is verified against the client roots,
// and required with client_auth_required. nodeconfig::ReadTlsServerFiles reads it from a node's configuration.
using ServerTls = nodeconfig::TlsServerFiles;

struct OperationsServerOptions {
  nodeconfig::HostPort listen;   // port 0: any free port (see OperationsServer::port)
  std::optional<ServerTls> tls;  // nullopt: plain HTTP
  // What /metrics serves; nullptr: no /metrics (404). Must outlive the server.
  const metrics::Registry* metrics = nullptr;
  // What /logspec reads and changes; must outlive the server.
  logging::Registry* logging = &logging::Registry::Global();
  std::string log_module;  // the logger's module: "peer.operations", "orderer.operations"; required
  int threads = 2;         // concurrent requests: scrapers and probes, a few at a time
};

// The version /version reports: the project's version and the commit it was configured from (CMake).
struct BuildVersion {
  std::string version;
  std::string commit_sha;  // "unknown" when the build had no git checkout
};
BuildVersion CurrentBuildVersion();

class OperationsServer {
 public:
  // Binds the listener and starts serving. InvalidArgument without a log module, or for TLS material
  // OpenSSL refuses (naming which part), or client_auth_required without client root CAs; Unavailable if the
  // address cannot be bound (in use, not local), naming it.
  static absl::StatusOr<std::unique_ptr<OperationsServer>> Start(OperationsServerOptions options);

  // Stops (as Stop) if still running.
  ~OperationsServer();

  OperationsServer(const OperationsServer&) = delete;
  OperationsServer& operator=(const OperationsServer&) = delete;

  // Adds a check that /healthz runs, reported under `component`; a second check under the same name
  // replaces the first. Checks run in name order.
  void AddHealthCheck(std::string component, HealthCheck check);

  // Runs every check, as /healthz does: the failures, by component, in name order.
  std::vector<std::pair<std::string, std::string>> FailedChecks() const;

  // The port the listener is bound to.
  uint16_t port() const;

  // Stops accepting, lets the requests in progress finish, and returns. Idempotent.
  void Stop();

 private:
  struct Impl;
  explicit OperationsServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace careledger::operations

#endif  // CARELEDGER_COMMON_OPERATIONS_OPERATIONS_SERVER_H_
