#include "common/nodeconfig/config_checks.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "common/crypto/pem_file.h"
#include "common/crypto/x509.h"
#include "common/strings.h"

namespace careledger::nodeconfig {
namespace {

// Says where a value no one wrote came from, so that an operator who never typed a path is not puzzled by
// an error about it.
std::string DefaultNote(const ConfigKey& key) { return key.Has() ? "" : " (the default value)"; }

// `prefix` is "" for a single file, "item N: " for one of a list.
absl::Status CheckCaCertificates(const ConfigKey& key, std::string_view prefix, const std::string& path) {
  if (path.empty()) return key.Error(absl::StrCat(AsAbsl(prefix), "empty path"));
  absl::StatusOr<std::vector<crypto::Certificate>> certificates = crypto::ReadCertificateFile(path);
  if (!certificates.ok()) {
    return key.Error(absl::StrCat(AsAbsl(prefix), certificates.status().message(), DefaultNote(key)));
  }
  for (size_t j = 0; j < certificates->size(); ++j) {
    const crypto::Certificate& ca = (*certificates)[j];
    if (!ca.is_ca()) {
      return key.Error(absl::StrCat(AsAbsl(prefix), path, DefaultNote(key), ": certificate ", j + 1, " (subject ",
                                    ca.subject().one_line, ") is not a CA certificate"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckKeyPair(const ConfigKey& certificate_key, const std::string& certificate,
                          const ConfigKey& private_key_key, const std::string& private_key,
                          std::string_view why_required) {
  if (certificate.empty()) {
    return certificate_key.Error(absl::StrCat("empty, but required: ", AsAbsl(why_required)));
  }
  if (private_key.empty()) {
    return private_key_key.Error(absl::StrCat("empty, but required: ", AsAbsl(why_required)));
  }
  absl::StatusOr<std::vector<crypto::Certificate>> chain = crypto::ReadCertificateFile(certificate);
  if (!chain.ok()) return certificate_key.Error(absl::StrCat(chain.status().message(), DefaultNote(certificate_key)));
  absl::StatusOr<crypto::PrivateKey> key = crypto::ReadPrivateKeyFile(private_key);
  if (!key.ok()) return private_key_key.Error(absl::StrCat(key.status().message(), DefaultNote(private_key_key)));
  if (!(key->public_key() == chain->front().public_key())) {
    return private_key_key.Error(absl::StrCat(private_key, DefaultNote(private_key_key),
                                              " is not the key of the certificate in ", certificate_key.Path(), " (",
                                              certificate, ", subject ", chain->front().subject().one_line, ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckCaFile(const ConfigKey& key, const std::string& path) { return CheckCaCertificates(key, "", path); }

absl::Status CheckCaFiles(const ConfigKey& key, const std::vector<std::string>& paths) {
  for (size_t i = 0; i < paths.size(); ++i) {
    absl::Status status = CheckCaCertificates(key, absl::StrCat("item ", i + 1, ": "), paths[i]);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status CheckFolder(const ConfigKey& key, const std::string& path) {
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) return key.Error(absl::StrCat(path, DefaultNote(key), ": no such folder"));
  if (!std::filesystem::is_directory(status)) return key.Error(absl::StrCat(path, DefaultNote(key), ": not a folder"));
  return absl::OkStatus();
}

absl::Status CheckDistinctPorts(const std::vector<Listener>& listeners) {
  for (size_t i = 0; i < listeners.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      const HostPort& a = listeners[j].address;
      const HostPort& b = listeners[i].address;
      if (a.port != b.port) continue;
      if (a.host == b.host || IsWildcardHost(a.host) || IsWildcardHost(b.host)) {
        return listeners[i].key.Error(absl::StrCat(b.ToString(), " cannot listen on the port of ",
                                                   listeners[j].key.Path(), " (", a.ToString(), ")"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace careledger::nodeconfig
