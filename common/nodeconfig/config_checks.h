// Checks a node's configuration makes once every value is read (common/config has checked each value's type
// and range): the files the configuration names, and its listeners taken together. Each fails with an
// InvalidArgument that points at and names the key at fault (ConfigKey::Error):
//   orderer.yaml:6:18: General.TLS.Certificate: /etc/orderer/tls/server.crt: no PEM CERTIFICATE block found
// and adds " (the default value)" after a path nobody wrote, so that an operator who never typed it is not
// puzzled. Paths given to these checks are already resolved (absolute, config_paths.h).
//
// They read the files they check (bounded, crypto/pem_file.h) and write nothing. Thread-safety: as ConfigKey.
#ifndef CARELEDGER_COMMON_NODECONFIG_CONFIG_CHECKS_H_
#define CARELEDGER_COMMON_NODECONFIG_CONFIG_CHECKS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "common/nodeconfig/config_key.h"
#include "common/nodeconfig/listen_address.h"

namespace careledger::nodeconfig {

// The certificate file `certificate` (set by `certificate_key`) holds at least one certificate, and the key
// file `private_key` (set by `private_key_key`) the private key of its first one. An empty path is an error
// whose message ends with `why_required` ("General.TLS.Enabled is true", ...).
absl::Status CheckKeyPair(const ConfigKey& certificate_key, const std::string& certificate,
                          const ConfigKey& private_key_key, const std::string& private_key,
                          std::string_view why_required);

// The file `path` (the single value of `key`) holds CA certificates only, at least one.
absl::Status CheckCaFile(const ConfigKey& key, const std::string& path);

// Each file of `paths` (the list `key`) holds CA certificates only; errors say which item ("item 2: ...").
absl::Status CheckCaFiles(const ConfigKey& key, const std::vector<std::string>& paths);

// `path` (the value of `key`) is an existing folder.
absl::Status CheckFolder(const ConfigKey& key, const std::string& path);

// A listener as configured: its address and the key the error should name.
struct Listener {
  ConfigKey key;
  HostPort address;
};

// No two listeners can bind the same port: equal ports on equal hosts, or where either host is a wildcard.
// The error names the later listener's key and the earlier one's. (Two different names of one machine,
// "localhost" and "127.0.0.1", are not detected: that needs name resolution.)
absl::Status CheckDistinctPorts(const std::vector<Listener>& listeners);

}  // namespace careledger::nodeconfig

#endif  // CARELEDGER_COMMON_NODECONFIG_CONFIG_CHECKS_H_
