// The files a node's TLS configuration names, read as PEM text with errors that name the configuration key at
// fault ("peer.tls.cert.file: ..."). Shared by the gRPC listeners (grpc_listener.h) and the HTTP ones (the
// operations endpoint, the admin API), so that every listener reads the same files the same way.
#ifndef CARELEDGER_COMMON_NODECONFIG_TLS_FILES_H_
#define CARELEDGER_COMMON_NODECONFIG_TLS_FILES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/nodeconfig/node_settings.h"

namespace careledger::nodeconfig {

// The PEM text of a certificate file (a chain, or a bundle of CAs) or of a private key file that configuration
// key `key` names; errors as common/crypto/pem_file.h's, annotated with `key`.
absl::StatusOr<std::string> ReadCertificatesPem(const std::string& path, std::string_view key);
absl::StatusOr<std::string> ReadPrivateKeyPem(const std::string& path, std::string_view key);
// One PEM text per file.
absl::StatusOr<std::vector<std::string>> ReadCertificatePems(const std::vector<std::string>& paths,
                                                             std::string_view key);

// The configuration keys of a TLS section's files, for errors: {"General.TLS.Certificate",
// "General.TLS.PrivateKey", "General.TLS.ClientRootCAs"} or {"peer.tls.cert.file", ...}.
struct TlsFileKeys {
  std::string_view certificate;
  std::string_view private_key;
  std::string_view client_root_cas;
};

// A listener's TLS section with its files read.
struct TlsServerFiles {
  std::string certificate_chain_pem;
  std::string private_key_pem;
  std::vector<std::string> client_root_ca_pems;
  bool client_auth_required = false;
};

// nullopt if `tls` is disabled; otherwise its certificate, key and client roots, read. The errors above.
absl::StatusOr<std::optional<TlsServerFiles>> ReadTlsServerFiles(const TlsConfig& tls, const TlsFileKeys& keys);

}  // namespace careledger::nodeconfig

#endif  // CARELEDGER_COMMON_NODECONFIG_TLS_FILES_H_
