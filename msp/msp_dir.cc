#include "msp/msp_dir.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/config/config_document.h"
#include "common/file/file_io.h"
#include "common/status_macros.h"

namespace careledger::msp {
namespace {

constexpr uint64_t kMaxPemFileBytes = 1 << 20;

std::string Join(const std::string& dir, std::string_view name) { return absl::StrCat(dir, "/", std::string(name)); }

// Every file of `dir/sub`, in name order; an absent folder is empty unless `required`.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ReadFolder(const std::string& dir,
                                                                            std::string_view sub, bool required) {
  const std::string folder = Join(dir, sub);
  auto names = file::ListFiles(folder);
  if (!names.ok()) {
    if (names.status().code() == absl::StatusCode::kNotFound && !required) {
      return std::vector<std::pair<std::string, std::string>>{};
    }
    return names.status();
  }
  std::vector<std::pair<std::string, std::string>> files;
  for (const std::string& name : *names) {
    if (!name.empty() && name[0] == '.') continue;  // editor and atomic-write leftovers
    const std::string path = Join(folder, name);
    ASSIGN_OR_RETURN(std::string data, file::ReadFile(path, kMaxPemFileBytes));
    files.emplace_back(path, std::move(data));
  }
  if (required && files.empty()) return absl::NotFoundError(absl::StrCat(folder, ": no files"));
  return files;
}

// Reads certificates from `dir/sub` into `out`, checking each file parses.
absl::Status ReadCertFolder(const std::string& dir, std::string_view sub, bool required,
                            google::protobuf::RepeatedPtrField<std::string>* out) {
  ASSIGN_OR_RETURN(auto files, ReadFolder(dir, sub, required));
  for (auto& [path, pem] : files) {
    auto certs = crypto::Certificate::ParsePemBundle(pem);
    if (!certs.ok()) return Annotate(certs.status(), path);
    out->Add(std::move(pem));
  }
  return absl::OkStatus();
}

absl::Status ReadOuIdentifier(config::ConfigNode& node_ous, std::string_view key, const std::string& dir,
                              ::msp::FabricOUIdentifier* out) {
  if (!node_ous.Has(key)) return absl::OkStatus();
  ASSIGN_OR_RETURN(config::ConfigNode id, node_ous.GetMapping(key));
  ASSIGN_OR_RETURN(std::string ou, id.GetString("OrganizationalUnitIdentifier"));
  ASSIGN_OR_RETURN(std::string cert_path, id.GetStringOr("Certificate", ""));
  out->set_organizational_unit_identifier(ou);
  if (!cert_path.empty()) {
    auto pem = file::ReadFile(cert_path[0] == '/' ? cert_path : Join(dir, cert_path), kMaxPemFileBytes);
    if (!pem.ok()) return id.InvalidValueError("Certificate", std::string(pem.status().message()));
    out->set_certificate(*std::move(pem));
  }
  return absl::OkStatus();
}

absl::Status ReadNodeOus(const std::string& dir, ::msp::FabricMSPConfig* config) {
  const std::string path = Join(dir, "config.yaml");
  if (!file::Exists(path)) return absl::OkStatus();
  ASSIGN_OR_RETURN(config::ConfigDocument doc, config::ConfigDocument::Load(path));
  config::ConfigNode root = doc.Root();
  if (root.Has("NodeOUs")) {
    ASSIGN_OR_RETURN(config::ConfigNode node_ous, root.GetMapping("NodeOUs"));
    ::msp::FabricNodeOUs* ous = config->mutable_fabric_node_ous();
    ASSIGN_OR_RETURN(bool enable, node_ous.GetBoolOr("Enable", false));
    ous->set_enable(enable);
    RETURN_IF_ERROR(ReadOuIdentifier(node_ous, "ClientOUIdentifier", dir, ous->mutable_client_ou_identifier()));
    RETURN_IF_ERROR(ReadOuIdentifier(node_ous, "PeerOUIdentifier", dir, ous->mutable_peer_ou_identifier()));
    RETURN_IF_ERROR(ReadOuIdentifier(node_ous, "AdminOUIdentifier", dir, ous->mutable_admin_ou_identifier()));
    RETURN_IF_ERROR(ReadOuIdentifier(node_ous, "OrdererOUIdentifier", dir, ous->mutable_orderer_ou_identifier()));
  }
  ASSIGN_OR_RETURN(std::vector<config::ConfigNode> ou_ids, root.GetMappingListOrEmpty("OrganizationalUnitIdentifiers"));
  for (config::ConfigNode& node : ou_ids) {
    ::msp::FabricOUIdentifier* id = config->add_organizational_unit_identifiers();
    ASSIGN_OR_RETURN(std::string ou, node.GetString("OrganizationalUnitIdentifier"));
    id->set_organizational_unit_identifier(ou);
    ASSIGN_OR_RETURN(std::string cert_path, node.GetStringOr("Certificate", ""));
    if (!cert_path.empty()) {
      auto pem = file::ReadFile(cert_path[0] == '/' ? cert_path : Join(dir, cert_path), kMaxPemFileBytes);
      if (!pem.ok()) return node.InvalidValueError("Certificate", std::string(pem.status().message()));
      id->set_certificate(*std::move(pem));
    }
  }
  return doc.CheckNoUnknownKeys();
}

absl::Status WritePems(const std::string& dir, std::string_view sub, const std::string& stem,
                       const std::vector<crypto::Certificate>& certs) {
  for (size_t i = 0; i < certs.size(); ++i) {
    const std::string name = certs.size() == 1 ? stem + ".pem" : absl::StrCat(stem, "-", i, ".pem");
    RETURN_IF_ERROR(file::WriteFileAtomic(Join(Join(dir, sub), name), certs[i].ToPem()));
  }
  return absl::OkStatus();
}

std::string NodeOusYaml(const std::string& ca_file) {
  std::string yaml = "NodeOUs:\n  Enable: true\n";
  for (auto [key, ou] : {std::pair{"ClientOUIdentifier", "client"}, std::pair{"PeerOUIdentifier", "peer"},
                         std::pair{"AdminOUIdentifier", "admin"}, std::pair{"OrdererOUIdentifier", "orderer"}}) {
    absl::StrAppend(&yaml, "  ", key, ":\n    Certificate: ", ca_file, "\n    OrganizationalUnitIdentifier: ", ou,
                    "\n");
  }
  return yaml;
}

}  // namespace

absl::StatusOr<::msp::FabricMSPConfig> LoadMspConfig(const std::string& dir, const std::string& msp_id) {
  ::msp::FabricMSPConfig config;
  config.set_name(msp_id);
  RETURN_IF_ERROR(ReadCertFolder(dir, "cacerts", /*required=*/true, config.mutable_root_certs()));
  RETURN_IF_ERROR(ReadCertFolder(dir, "intermediatecerts", false, config.mutable_intermediate_certs()));
  RETURN_IF_ERROR(ReadCertFolder(dir, "admincerts", false, config.mutable_admins()));
  RETURN_IF_ERROR(ReadCertFolder(dir, "tlscacerts", false, config.mutable_tls_root_certs()));
  RETURN_IF_ERROR(ReadCertFolder(dir, "tlsintermediatecerts", false, config.mutable_tls_intermediate_certs()));
  ASSIGN_OR_RETURN(auto crls, ReadFolder(dir, "crls", false));
  for (auto& [path, pem] : crls) {
    auto crl = crypto::Crl::FromPem(pem);
    if (!crl.ok()) return Annotate(crl.status(), path);
    config.add_revocation_list(std::move(pem));
  }
  RETURN_IF_ERROR(ReadNodeOus(dir, &config));
  config.mutable_crypto_config()->set_signature_hash_family("SHA2");
  config.mutable_crypto_config()->set_identity_identifier_hash_function("SHA256");
  return config;
}

absl::StatusOr<SigningIdentity> LoadSigningIdentity(const std::string& dir, const std::string& msp_id) {
  ASSIGN_OR_RETURN(auto certs, ReadFolder(dir, "signcerts", /*required=*/true));
  if (certs.size() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(dir, "/signcerts: expected one certificate, found ", certs.size()));
  }
  auto cert = crypto::Certificate::FromPem(certs[0].second);
  if (!cert.ok()) return Annotate(cert.status(), certs[0].first);
  ASSIGN_OR_RETURN(auto keys, ReadFolder(dir, "keystore", /*required=*/true));
  for (const auto& [path, pem] : keys) {
    auto key = crypto::PrivateKey::FromPem(pem);
    if (!key.ok()) return Annotate(key.status(), path);
    if (key->public_key() == cert->public_key()) return SigningIdentity::Create(msp_id, *cert, *key);
  }
  return absl::InvalidArgumentError(absl::StrCat(dir, "/keystore: no private key matches the certificate in signcerts"));
}

absl::Status WriteMspFolder(const std::string& dir, const MspFolder& folder) {
  const std::string key_path = Join(dir, "keystore/priv_sk");
  if (folder.private_key.has_value() && file::Exists(key_path)) {
    return absl::FailedPreconditionError(absl::StrCat(key_path, ": a private key already exists; not overwriting it"));
  }
  if (folder.ca_certs.empty()) return absl::InvalidArgumentError(absl::StrCat(dir, ": an MSP folder needs a CA"));
  RETURN_IF_ERROR(WritePems(dir, "cacerts", "ca-cert", folder.ca_certs));
  RETURN_IF_ERROR(WritePems(dir, "intermediatecerts", "ica-cert", folder.intermediate_certs));
  RETURN_IF_ERROR(WritePems(dir, "tlscacerts", "tlsca-cert", folder.tls_ca_certs));
  RETURN_IF_ERROR(WritePems(dir, "tlsintermediatecerts", "tlsica-cert", folder.tls_intermediate_certs));
  RETURN_IF_ERROR(ReplaceCrls(dir, folder.crls));
  if (folder.node_ous) {
    // The CA that issues identities: the intermediate when there is one.
    const std::string ca_file = folder.intermediate_certs.empty() ? "cacerts/ca-cert.pem"
                                                                  : "intermediatecerts/ica-cert.pem";
    RETURN_IF_ERROR(file::WriteFileAtomic(Join(dir, "config.yaml"), NodeOusYaml(ca_file)));
  }
  if (folder.sign_cert.has_value()) {
    RETURN_IF_ERROR(file::WriteFileAtomic(Join(dir, "signcerts/cert.pem"), folder.sign_cert->ToPem()));
  }
  if (folder.private_key.has_value()) {
    RETURN_IF_ERROR(file::WriteFileAtomic(key_path, folder.private_key->ToPem(), 0600));
  }
  return absl::OkStatus();
}

absl::Status ReplaceCrls(const std::string& dir, const std::vector<std::string>& crls) {
  const std::string folder = Join(dir, "crls");
  std::vector<std::string> old;
  if (file::Exists(folder)) {
    ASSIGN_OR_RETURN(old, file::ListFiles(folder));
  }
  std::vector<std::string> written;
  for (size_t i = 0; i < crls.size(); ++i) {
    written.push_back(absl::StrCat("crl-", i, ".pem"));
    RETURN_IF_ERROR(file::WriteFileAtomic(Join(folder, written.back()), crls[i]));
  }
  for (const std::string& name : old) {
    if (std::find(written.begin(), written.end(), name) == written.end()) {
      RETURN_IF_ERROR(file::RemoveFile(Join(folder, name)));
    }
  }
  return absl::OkStatus();
}

}  // namespace careledger::msp
