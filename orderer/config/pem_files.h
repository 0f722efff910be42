// Reading the PEM files the orderer's configuration names (TLS certificates, keys, CA bundles), so that a
// missing or malformed file is refused at start-up, by the key that names it, rather than at the first
// connection.
#ifndef CARELEDGER_ORDERER_CONFIG_PEM_FILES_H_
#define CARELEDGER_ORDERER_CONFIG_PEM_FILES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/crypto/ecdsa.h"
#include "common/crypto/x509.h"

namespace careledger::orderer {

// Certificate and key files are small; anything larger is not one.
inline constexpr uint64_t kMaxPemFileBytes = 1 << 20;

// Every certificate of the PEM file at `path`, in file order (a server's chain: leaf first). Errors start with
// the path: the read error's code (NotFound, PermissionDenied, ...) or InvalidArgument for a file larger than
// kMaxPemFileBytes, without a certificate, or with a malformed one.
absl::StatusOr<std::vector<crypto::Certificate>> ReadCertificateFile(const std::string& path);

// The unencrypted ECDSA P-256 private key of the PEM file at `path`. Errors as ReadCertificateFile; messages
// never include the file's content.
absl::StatusOr<crypto::PrivateKey> ReadPrivateKeyFile(const std::string& path);

}  // namespace careledger::orderer

#endif  // CARELEDGER_ORDERER_CONFIG_PEM_FILES_H_
