// Settings every CareLedger node (orderer, peer) configures the same way, whatever its file calls the keys:
// a listener's TLS, the gRPC server's keepalive, and the log levels. Plain values; each node's configuration
// module (orderer/config, peer/config) says which keys fill them and what their defaults are.
#ifndef CARELEDGER_COMMON_NODECONFIG_NODE_SETTINGS_H_
#define CARELEDGER_COMMON_NODECONFIG_NODE_SETTINGS_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/logging/log_spec.h"

namespace careledger::nodeconfig {

// Where a node's TLS files are unless its configuration says otherwise: next to the configuration file, as
// `careledger crypto generate` lays them out.
inline constexpr char kDefaultTlsCertificate[] = "tls/server.crt";
inline constexpr char kDefaultTlsPrivateKey[] = "tls/server.key";
inline constexpr char kDefaultTlsRootCa[] = "tls/ca.crt";

// One listener's TLS. Paths are absolute once a configuration is loaded.
struct TlsConfig {
  bool enabled = false;
  std::string certificate;                   // PEM: the server's certificate, optionally followed by its chain
  std::string private_key;                   // PEM: its unencrypted ECDSA P-256 key
  std::vector<std::string> root_cas;         // PEM files of CAs this node trusts for the servers it dials
  bool client_auth_required = false;         // require and verify client certificates (mutual TLS)
  std::vector<std::string> client_root_cas;  // PEM files of CAs client certificates must chain to

  friend bool operator==(const TlsConfig&, const TlsConfig&) = default;
};

// The TLS a node's client-facing listener has when its configuration names nothing: on, with the default
// files, client certificates not required. The orderer's General.TLS and the peer's peer.tls.
inline TlsConfig DefaultClientListenerTls() {
  return TlsConfig{.enabled = true,
                   .certificate = kDefaultTlsCertificate,
                   .private_key = kDefaultTlsPrivateKey,
                   .root_cas = {kDefaultTlsRootCa},
                   .client_auth_required = false,
                   .client_root_cas = {}};
}

// A gRPC server's keepalive.
struct KeepaliveConfig {
  absl::Duration server_min_interval = absl::Seconds(60);  // clients pinging more often are disconnected
  absl::Duration server_interval = absl::Hours(2);         // idle time before the server pings a client
  absl::Duration server_timeout = absl::Seconds(20);       // wait for the ping's answer before closing

  friend bool operator==(const KeepaliveConfig&, const KeepaliveConfig&) = default;
};

struct LoggingConfig {
  std::string spec = "info";  // as written, e.g. "info:orderer.raft=debug"
  logging::LogSpec log_spec;  // the same, parsed

  friend bool operator==(const LoggingConfig&, const LoggingConfig&) = default;
};

}  // namespace careledger::nodeconfig

#endif  // CARELEDGER_COMMON_NODECONFIG_NODE_SETTINGS_H_
