#include "orderer/config/config_checks.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "common/crypto/x509.h"
#include "common/status_macros.h"
#include "common/crypto/pem_file.h"

namespace careledger::orderer::internal {
namespace {

std::string KeyPath(const config::ConfigNode& node, std::string_view key) {
  return node.path().empty() ? std::string(key) : absl::StrCat(node.path(), ".", AsAbsl(key));
}

// Says where a value no one wrote came from, so that an operator who never typed a path is not puzzled by
// an error about it.
std::string DefaultNote(const config::ConfigNode& node, std::string_view key) {
  return node.Has(key) ? "" : " (the default value)";
}

absl::Status FileError(const config::ConfigNode& node, std::string_view key, const absl::Status& status) {
  return node.InvalidValueError(key, absl::StrCat(status.message(), DefaultNote(node, key)));
}

}  // namespace

absl::Status CheckKeyPair(const config::ConfigNode& node, std::string_view certificate_key,
                          const std::string& certificate, std::string_view private_key_key,
                          const std::string& private_key, std::string_view why_required) {
  if (certificate.empty()) {
    return node.InvalidValueError(certificate_key, absl::StrCat("empty, but required: ", AsAbsl(why_required)));
  }
  if (private_key.empty()) {
    return node.InvalidValueError(private_key_key, absl::StrCat("empty, but required: ", AsAbsl(why_required)));
  }
  absl::StatusOr<std::vector<crypto::Certificate>> chain = crypto::ReadCertificateFile(certificate);
  if (!chain.ok()) return FileError(node, certificate_key, chain.status());
  absl::StatusOr<crypto::PrivateKey> key = crypto::ReadPrivateKeyFile(private_key);
  if (!key.ok()) return FileError(node, private_key_key, key.status());
  if (!(key->public_key() == chain->front().public_key())) {
    return node.InvalidValueError(
        private_key_key, absl::StrCat(private_key, DefaultNote(node, private_key_key),
                                      " is not the key of the certificate in ", KeyPath(node, certificate_key),
                                      " (", certificate, ", subject ", chain->front().subject().one_line, ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckCaFiles(const config::ConfigNode& node, std::string_view key, const std::vector<std::string>& paths) {
  for (size_t i = 0; i < paths.size(); ++i) {
    const std::string item = absl::StrCat("item ", i + 1, ": ");
    if (paths[i].empty()) return node.InvalidValueError(key, absl::StrCat(item, "empty path"));
    absl::StatusOr<std::vector<crypto::Certificate>> certificates = crypto::ReadCertificateFile(paths[i]);
    if (!certificates.ok()) {
      return node.InvalidValueError(key, absl::StrCat(item, certificates.status().message(), DefaultNote(node, key)));
    }
    for (size_t j = 0; j < certificates->size(); ++j) {
      const crypto::Certificate& ca = (*certificates)[j];
      if (!ca.is_ca()) {
        return node.InvalidValueError(
            key, absl::StrCat(item, paths[i], DefaultNote(node, key), ": certificate ", j + 1, " (subject ",
                              ca.subject().one_line, ") is not a CA certificate"));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status CheckTls(const config::ConfigNode& tls_node, const TlsConfig& tls) {
  if (!tls.enabled) return absl::OkStatus();
  const std::string why = absl::StrCat(KeyPath(tls_node, "Enabled"), " is true");
  RETURN_IF_ERROR(CheckKeyPair(tls_node, "Certificate", tls.certificate, "PrivateKey", tls.private_key, why));
  RETURN_IF_ERROR(CheckCaFiles(tls_node, "RootCAs", tls.root_cas));
  if (tls.client_auth_required) {
    if (tls.client_root_cas.empty()) {
      return tls_node.InvalidValueError(
          "ClientRootCAs", absl::StrCat("empty, but ", KeyPath(tls_node, "ClientAuthRequired"),
                                        " is true: client certificates are verified against these CAs"));
    }
    RETURN_IF_ERROR(CheckCaFiles(tls_node, "ClientRootCAs", tls.client_root_cas));
  }
  return absl::OkStatus();
}

absl::Status CheckFolder(const config::ConfigNode& node, std::string_view key, const std::string& path) {
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) {
    return node.InvalidValueError(key, absl::StrCat(path, DefaultNote(node, key), ": no such folder"));
  }
  if (!std::filesystem::is_directory(status)) {
    return node.InvalidValueError(key, absl::StrCat(path, DefaultNote(node, key), ": not a folder"));
  }
  return absl::OkStatus();
}

absl::Status CheckDistinctPorts(const std::vector<Listener>& listeners) {
  for (size_t i = 0; i < listeners.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      const HostPort& a = listeners[j].address;
      const HostPort& b = listeners[i].address;
      if (a.port != b.port) continue;
      if (a.host == b.host || IsWildcardHost(a.host) || IsWildcardHost(b.host)) {
        return listeners[i].node->InvalidValueError(
            listeners[i].key,
            absl::StrCat(b.ToString(), " cannot listen on the port of ",
                         KeyPath(*listeners[j].node, listeners[j].key), " (", a.ToString(), ")"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace careledger::orderer::internal
