#include "orderer/config/pem_files.h"

#include "common/file/file_io.h"
#include "common/status_macros.h"

namespace careledger::orderer {

absl::StatusOr<std::vector<crypto::Certificate>> ReadCertificateFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::string pem, file::ReadFile(path, kMaxPemFileBytes));
  absl::StatusOr<std::vector<crypto::Certificate>> certificates = crypto::Certificate::ParsePemBundle(pem);
  if (!certificates.ok()) return Annotate(certificates.status(), path);
  return certificates;
}

absl::StatusOr<crypto::PrivateKey> ReadPrivateKeyFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::string pem, file::ReadFile(path, kMaxPemFileBytes));
  absl::StatusOr<crypto::PrivateKey> key = crypto::PrivateKey::FromPem(pem);
  if (!key.ok()) return Annotate(key.status(), path);
  return key;
}

}  // namespace careledger::orderer
