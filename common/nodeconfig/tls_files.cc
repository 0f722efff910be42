#include "common/nodeconfig/tls_files.h"

#include <utility>

#include "common/crypto/pem_file.h"
#include "common/status_macros.h"

namespace careledger::nodeconfig {

absl::StatusOr<std::string> ReadCertificatesPem(const std::string& path, std::string_view key) {
  absl::StatusOr<std::string> pem = crypto::ReadCertificatePem(path);
  if (!pem.ok()) return Annotate(pem.status(), key);
  return pem;
}

absl::StatusOr<std::string> ReadPrivateKeyPem(const std::string& path, std::string_view key) {
  absl::StatusOr<std::string> pem = crypto::ReadPrivateKeyPem(path);
  if (!pem.ok()) return Annotate(pem.status(), key);
  return pem;
}

absl::StatusOr<std::vector<std::string>> ReadCertificatePems(const std::vector<std::string>& paths,
                                                             std::string_view key) {
  std::vector<std::string> pems;
  for (const std::string& path : paths) {
    ASSIGN_OR_RETURN(std::string pem, ReadCertificatesPem(path, key));
    pems.push_back(std::move(pem));
  }
  return pems;
}

absl::StatusOr<std::optional<TlsServerFiles>> ReadTlsServerFiles(const TlsConfig& tls, const TlsFileKeys& keys) {
  if (!tls.enabled) return std::nullopt;
  TlsServerFiles files;
  ASSIGN_OR_RETURN(files.certificate_chain_pem, ReadCertificatesPem(tls.certificate, keys.certificate));
  ASSIGN_OR_RETURN(files.private_key_pem, ReadPrivateKeyPem(tls.private_key, keys.private_key));
  ASSIGN_OR_RETURN(files.client_root_ca_pems, ReadCertificatePems(tls.client_root_cas, keys.client_root_cas));
  files.client_auth_required = tls.client_auth_required;
  return files;
}

}  // namespace careledger::nodeconfig
