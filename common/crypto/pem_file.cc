#include "common/crypto/pem_file.h"

#include "common/file/file_io.h"
#include "common/status_macros.h"

namespace careledger::crypto {

absl::StatusOr<std::vector<Certificate>> ReadCertificateFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::string pem, file::ReadFile(path, kMaxPemFileBytes));
  absl::StatusOr<std::vector<Certificate>> certificates = Certificate::ParsePemBundle(pem);
  if (!certificates.ok()) return Annotate(certificates.status(), path);
  return certificates;
}

absl::StatusOr<PrivateKey> ReadPrivateKeyFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::string pem, file::ReadFile(path, kMaxPemFileBytes));
  absl::StatusOr<PrivateKey> key = PrivateKey::FromPem(pem);
  if (!key.ok()) return Annotate(key.status(), path);
  return key;
}

absl::StatusOr<std::string> ReadCertificatePem(const std::string& path) {
  ASSIGN_OR_RETURN(std::string pem, file::ReadFile(path, kMaxPemFileBytes));
  if (absl::StatusOr<std::vector<Certificate>> certificates = Certificate::ParsePemBundle(pem); !certificates.ok()) {
    return Annotate(certificates.status(), path);
  }
  return pem;
}

absl::StatusOr<std::string> ReadPrivateKeyPem(const std::string& path) {
  ASSIGN_OR_RETURN(std::string pem, file::ReadFile(path, kMaxPemFileBytes));
  if (absl::StatusOr<PrivateKey> key = PrivateKey::FromPem(pem); !key.ok()) return Annotate(key.status(), path);
  return pem;
}

}  // namespace careledger::crypto
