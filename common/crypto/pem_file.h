// Reading PEM files (TLS certificates, keys, CA bundles) named by a configuration or a command line, so that
// a missing or malformed file is refused up front, by its path, rather than at the first connection.
#ifndef CARELEDGER_COMMON_CRYPTO_PEM_FILE_H_
#define CARELEDGER_COMMON_CRYPTO_PEM_FILE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/crypto/ecdsa.h"
#include "common/crypto/x509.h"

namespace careledger::crypto {

// Certificate and key files are small; anything larger is not one.
inline constexpr uint64_t kMaxPemFileBytes = 1 << 20;

// Every certificate of the PEM file at `path`, in file order (a server's chain: leaf first). Errors start with
// the path: the read error's code (NotFound, PermissionDenied, ...) or InvalidArgument for a file larger than
// kMaxPemFileBytes, without a certificate, or with a malformed one.
absl::StatusOr<std::vector<Certificate>> ReadCertificateFile(const std::string& path);

// The unencrypted ECDSA P-256 private key of the PEM file at `path`. Errors as ReadCertificateFile; messages
// never include the file's content.
absl::StatusOr<PrivateKey> ReadPrivateKeyFile(const std::string& path);

// The text of those files, for APIs that take PEM (gRPC's TLS credentials), once it has been checked as above.
absl::StatusOr<std::string> ReadCertificatePem(const std::string& path);
absl::StatusOr<std::string> ReadPrivateKeyPem(const std::string& path);

}  // namespace careledger::crypto

#endif  // CARELEDGER_COMMON_CRYPTO_PEM_FILE_H_
