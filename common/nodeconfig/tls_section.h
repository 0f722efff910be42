// A listener's TLS section: reading it with its defaults, and checking it once every key is read.
//
// Both nodes have the same TLS settings (node_settings.h) under different spellings: the orderer writes them
// as Fabric's orderer.yaml does (General.TLS.Certificate, a list RootCAs), the peer as Fabric's core.yaml
// (peer.tls.cert.file, a single rootcert.file). TlsKeyNames says which; the rest is shared, so both refuse
// the same mistakes with the same messages.
//
// Ownership and threads: TlsKeys holds ConfigKeys, handles into the document read (config_key.h).
#ifndef CARELEDGER_COMMON_NODECONFIG_TLS_SECTION_H_
#define CARELEDGER_COMMON_NODECONFIG_TLS_SECTION_H_

#include <optional>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/config/config_node.h"
#include "common/nodeconfig/config_key.h"
#include "common/nodeconfig/listen_address.h"
#include "common/nodeconfig/node_settings.h"

namespace careledger::nodeconfig {

// How one file spells the keys of a TLS section. A dot descends into a nested mapping ("cert.file").
struct TlsKeyNames {
  std::string_view enabled;
  std::string_view certificate;
  std::string_view private_key;
  // The CAs the node trusts when it dials. Empty: the section has no such key (a listener that dials
  // nowhere, like core.yaml's operations.tls), and TlsConfig::root_cas is left empty.
  std::string_view root_cas;
  bool root_cas_is_list = true;  // false: a single file (core.yaml's rootcert.file)
  std::string_view client_auth_required;
  std::string_view client_root_cas;  // always a list
};

// Where each value of a TLS section was read, for the checks' messages.
struct TlsKeys {
  ConfigKey enabled;
  ConfigKey certificate;
  ConfigKey private_key;
  std::optional<ConfigKey> root_cas;  // nullopt when the section has no root CAs
  bool root_cas_is_list = true;
  ConfigKey client_auth_required;
  ConfigKey client_root_cas;
};

struct TlsSection {
  TlsConfig tls;  // paths as written (relative paths not resolved yet)
  TlsKeys keys;
};

// Reads the TLS section `section` as spelt by `names`; each key absent from the file and the environment
// takes its value from `defaults` (a single-file root CA key takes the first of defaults.root_cas, or
// nothing). Errors: common/config's for a value of the wrong type, or a dotted key's mapping that is not a
// mapping; Internal if a single-file root CA key is given several default files (a bug in the caller).
absl::StatusOr<TlsSection> ReadTlsSection(const config::ConfigNode& section, const TlsKeyNames& names,
                                          const TlsConfig& defaults);

// Nothing if `tls` is disabled (as Fabric, the files of a listener without TLS are not looked at); else the
// key pair (CheckKeyPair), the root CA files, and when client authentication is required at least one
// client CA file, each holding CA certificates only. `tls` has its paths resolved. Errors name the key of
// `keys` at fault: "<where>: peer.tls.clientRootCAs.files: empty, but peer.tls.clientAuthRequired is true".
absl::Status CheckTls(const TlsKeys& keys, const TlsConfig& tls);

// An admin endpoint (the channel participation API) authorises requests by the client's TLS certificate:
// with TLS enabled, client authentication must be required; without TLS it may listen only on a loopback
// address (`listen`, read from `listen_key`), because then it authenticates no one. Then CheckTls.
absl::Status CheckAdminTls(const ConfigKey& listen_key, const HostPort& listen, const TlsKeys& keys,
                           const TlsConfig& tls);

}  // namespace careledger::nodeconfig

#endif  // CARELEDGER_COMMON_NODECONFIG_TLS_SECTION_H_
