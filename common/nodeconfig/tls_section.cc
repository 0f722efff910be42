#include "common/nodeconfig/tls_section.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/nodeconfig/config_checks.h"
#include "common/status_macros.h"

namespace careledger::nodeconfig {

absl::StatusOr<TlsSection> ReadTlsSection(const config::ConfigNode& section, const TlsKeyNames& names,
                                          const TlsConfig& defaults) {
  TlsConfig tls;
  ASSIGN_OR_RETURN(ConfigKey enabled, LocateKey(section, names.enabled));
  ASSIGN_OR_RETURN(tls.enabled, enabled.node.GetBoolOr(enabled.key, defaults.enabled));
  ASSIGN_OR_RETURN(ConfigKey certificate, LocateKey(section, names.certificate));
  ASSIGN_OR_RETURN(tls.certificate, certificate.node.GetStringOr(certificate.key, defaults.certificate));
  ASSIGN_OR_RETURN(ConfigKey private_key, LocateKey(section, names.private_key));
  ASSIGN_OR_RETURN(tls.private_key, private_key.node.GetStringOr(private_key.key, defaults.private_key));

  std::optional<ConfigKey> root_cas;
  if (!names.root_cas.empty()) {
    ASSIGN_OR_RETURN(root_cas, LocateKey(section, names.root_cas));
    if (names.root_cas_is_list) {
      ASSIGN_OR_RETURN(tls.root_cas, root_cas->node.GetStringListOr(root_cas->key, defaults.root_cas));
    } else {
      if (defaults.root_cas.size() > 1) {
        return absl::InternalError(
            absl::StrCat(root_cas->Path(), " is a single file but has ", defaults.root_cas.size(), " defaults"));
      }
      const std::string fallback = defaults.root_cas.empty() ? "" : defaults.root_cas.front();
      ASSIGN_OR_RETURN(std::string file, root_cas->node.GetStringOr(root_cas->key, fallback));
      if (!file.empty()) tls.root_cas.push_back(std::move(file));
    }
  }

  ASSIGN_OR_RETURN(ConfigKey client_auth_required, LocateKey(section, names.client_auth_required));
  ASSIGN_OR_RETURN(tls.client_auth_required,
                   client_auth_required.node.GetBoolOr(client_auth_required.key, defaults.client_auth_required));
  ASSIGN_OR_RETURN(ConfigKey client_root_cas, LocateKey(section, names.client_root_cas));
  ASSIGN_OR_RETURN(tls.client_root_cas,
                   client_root_cas.node.GetStringListOr(client_root_cas.key, defaults.client_root_cas));
  return TlsSection{.tls = std::move(tls),
                    .keys = TlsKeys{.enabled = std::move(enabled),
                                    .certificate = std::move(certificate),
                                    .private_key = std::move(private_key),
                                    .root_cas = std::move(root_cas),
                                    .root_cas_is_list = names.root_cas_is_list,
                                    .client_auth_required = std::move(client_auth_required),
                                    .client_root_cas = std::move(client_root_cas)}};
}

absl::Status CheckTls(const TlsKeys& keys, const TlsConfig& tls) {
  if (!tls.enabled) return absl::OkStatus();
  const std::string why = absl::StrCat(keys.enabled.Path(), " is true");
  RETURN_IF_ERROR(CheckKeyPair(keys.certificate, tls.certificate, keys.private_key, tls.private_key, why));
  if (keys.root_cas.has_value()) {
    if (keys.root_cas_is_list) {
      RETURN_IF_ERROR(CheckCaFiles(*keys.root_cas, tls.root_cas));
    } else {
      for (const std::string& file : tls.root_cas) RETURN_IF_ERROR(CheckCaFile(*keys.root_cas, file));
    }
  }
  if (tls.client_auth_required) {
    if (tls.client_root_cas.empty()) {
      return keys.client_root_cas.Error(absl::StrCat("empty, but ", keys.client_auth_required.Path(),
                                                     " is true: client certificates are verified against these CAs"));
    }
    RETURN_IF_ERROR(CheckCaFiles(keys.client_root_cas, tls.client_root_cas));
  }
  return absl::OkStatus();
}

absl::Status CheckAdminTls(const ConfigKey& listen_key, const HostPort& listen, const TlsKeys& keys,
                           const TlsConfig& tls) {
  if (tls.enabled && !tls.client_auth_required) {
    return keys.client_auth_required.Error(
        absl::StrCat("must be true when ", keys.enabled.Path(),
                     " is true: the admin endpoint authorises requests by the client's certificate"));
  }
  if (!tls.enabled && !IsLoopbackHost(listen.host)) {
    return keys.enabled.Error(absl::StrCat("false is allowed only on a loopback ", listen_key.Path(), ", not ",
                                           listen.ToString(),
                                           ": without TLS the admin endpoint cannot authenticate anyone"));
  }
  return CheckTls(keys, tls);
}

}  // namespace careledger::nodeconfig
