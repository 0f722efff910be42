// Internal to careledger_orderer_config: the checks orderer_config.h promises once every value is read, each
// failing with ConfigNode::InvalidValueError, so the message points at and names the key at fault:
//   orderer.yaml:6:18: General.TLS.Certificate: /etc/orderer/tls/server.crt: no PEM CERTIFICATE block found
// Paths given to these checks are already resolved (absolute).
#ifndef CARELEDGER_ORDERER_CONFIG_CONFIG_CHECKS_H_
#define CARELEDGER_ORDERER_CONFIG_CONFIG_CHECKS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "common/config/config_node.h"
#include "orderer/config/listen_address.h"
#include "orderer/config/orderer_config.h"

namespace careledger::orderer::internal {

// The certificate file (keys `certificate_key` of `node`) holds at least one certificate and the key file
// (key `private_key_key`) the private key of its first one. An empty path is an error whose message ends
// with `why_required` ("TLS is enabled", ...).
absl::Status CheckKeyPair(const config::ConfigNode& node, std::string_view certificate_key,
                          const std::string& certificate, std::string_view private_key_key,
                          const std::string& private_key, std::string_view why_required);

// Each file of `paths` (the list under `key`) holds CA certificates only.
absl::Status CheckCaFiles(const config::ConfigNode& node, std::string_view key, const std::vector<std::string>& paths);

// A listener's TLS section `tls_node`: nothing if disabled; else the key pair, the CA files, and client CAs
// when client authentication is required.
absl::Status CheckTls(const config::ConfigNode& tls_node, const TlsConfig& tls);

// `path` (under `key`) is an existing folder.
absl::Status CheckFolder(const config::ConfigNode& node, std::string_view key, const std::string& path);

// A listener as configured: its address and the key the error should name.
struct Listener {
  const config::ConfigNode* node;
  std::string_view key;
  HostPort address;
};

// No two listeners can bind the same port: equal ports on equal hosts, or where either host is a wildcard.
// The error names the later listener's key and the earlier one's. (Two different names of one machine,
// "localhost" and "127.0.0.1", are not detected: that needs name resolution.)
absl::Status CheckDistinctPorts(const std::vector<Listener>& listeners);

}  // namespace careledger::orderer::internal

#endif  // CARELEDGER_ORDERER_CONFIG_CONFIG_CHECKS_H_
