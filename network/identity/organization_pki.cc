#include "network/identity/organization_pki.h"

#include <algorithm>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/crypto/x509_issuer.h"
#include "common/encoding/hex.h"
#include "common/file/file_io.h"
#include "common/status_macros.h"
#include "msp/msp_dir.h"
#include "nlohmann/json.hpp"

namespace careledger::network {
namespace {

constexpr absl::Duration kCaValidity = absl::Hours(24 * 3652);       // ten years
constexpr absl::Duration kIdentityValidity = absl::Hours(24 * 730);  // two years
constexpr absl::Duration kClockSkew = absl::Minutes(5);  // certificates start a little early for skewed clocks

std::string Join(const std::string& a, std::string_view b) { return absl::StrCat(a, "/", std::string(b)); }

crypto::DistinguishedName OrgName(const OrganizationSpec& spec, std::string common_name) {
  crypto::DistinguishedName dn;
  dn.common_name = std::move(common_name);
  dn.organization = spec.name;
  dn.country = spec.country;
  dn.state = spec.state;
  dn.locality = spec.locality;
  return dn;
}

// Loads <dir>/<stem>-cert.pem and <stem>-key.pem, or, if neither exists, creates them: self-signed when
// `parent` is null, else issued by it.
absl::StatusOr<std::pair<crypto::PrivateKey, crypto::Certificate>> LoadOrCreateCa(
    const std::string& dir, const std::string& stem, const crypto::DistinguishedName& subject,
    const std::pair<crypto::PrivateKey, crypto::Certificate>* parent, absl::Time now) {
  const std::string cert_path = Join(dir, stem + "-cert.pem");
  const std::string key_path = Join(dir, stem + "-key.pem");
  const bool has_cert = file::Exists(cert_path), has_key = file::Exists(key_path);
  if (has_cert != has_key) {
    return absl::FailedPreconditionError(absl::StrCat(has_cert ? key_path : cert_path,
                                                      ": missing while its pair exists; refusing to replace a CA"));
  }
  if (has_cert) {
    ASSIGN_OR_RETURN(std::string cert_pem, file::ReadFile(cert_path));
    ASSIGN_OR_RETURN(std::string key_pem, file::ReadFile(key_path));
    auto cert = crypto::Certificate::FromPem(cert_pem);
    if (!cert.ok()) return Annotate(cert.status(), cert_path);
    auto key = crypto::PrivateKey::FromPem(key_pem);
    if (!key.ok()) return Annotate(key.status(), key_path);
    if (!(cert->public_key() == key->public_key())) {
      return absl::FailedPreconditionError(absl::StrCat(key_path, ": does not match ", cert_path));
    }
    return std::pair{*key, *cert};
  }
  crypto::CertificateTemplate t;
  t.subject = subject;
  t.not_before = now - kClockSkew;
  t.not_after = now + kCaValidity;
  t.is_ca = true;
  ASSIGN_OR_RETURN(crypto::PrivateKey key, crypto::PrivateKey::Generate());
  const crypto::PrivateKey& signer = parent != nullptr ? parent->first : key;
  ASSIGN_OR_RETURN(crypto::Certificate cert, crypto::IssueCertificate(t, key.public_key(), signer,
                                                                      parent != nullptr ? &parent->second : nullptr));
  RETURN_IF_ERROR(file::WriteFileAtomic(key_path, key.ToPem(), 0600));
  RETURN_IF_ERROR(file::WriteFileAtomic(cert_path, cert.ToPem()));
  return std::pair{key, cert};
}

absl::StatusOr<std::vector<std::string>> SubFolders(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return names;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_directory(ec)) names.push_back(entry.path().filename().string());
  }
  if (ec) return absl::InternalError(absl::StrCat(dir, ": cannot list: ", ec.message()));
  std::sort(names.begin(), names.end());
  return names;
}

msp::NodeRole NodeRoleOf(const crypto::Certificate& cert) {
  for (const std::string& ou : cert.subject().organizational_units) {
    for (msp::NodeRole role : {msp::NodeRole::kClient, msp::NodeRole::kPeer, msp::NodeRole::kAdmin,
                               msp::NodeRole::kOrderer}) {
      if (ou == msp::NodeRoleName(role)) return role;
    }
  }
  return msp::NodeRole::kUnclassified;
}

}  // namespace

absl::StatusOr<OrganizationPki> OrganizationPki::OpenOrCreate(const std::string& org_dir, const OrganizationSpec& spec,
                                                              absl::Time now) {
  const std::string ca_dir = Join(org_dir, "ca");
  ASSIGN_OR_RETURN(auto root, LoadOrCreateCa(ca_dir, "ca", OrgName(spec, "ca." + spec.domain), nullptr, now));
  std::optional<Ca> intermediate;
  const bool has_intermediate = file::Exists(Join(ca_dir, "ica-cert.pem"));
  if (has_intermediate != spec.intermediate_ca && file::Exists(Join(org_dir, "msp"))) {
    return absl::FailedPreconditionError(absl::StrCat(
        ca_dir, ": the organisation ", has_intermediate ? "has" : "has no",
        " intermediate CA but the consortium description says intermediateCa: ", spec.intermediate_ca ? "true" : "false"));
  }
  if (spec.intermediate_ca) {
    ASSIGN_OR_RETURN(auto ica, LoadOrCreateCa(ca_dir, "ica", OrgName(spec, "ica." + spec.domain), &root, now));
    intermediate = Ca{ica.first, ica.second};
  }
  ASSIGN_OR_RETURN(auto tls, LoadOrCreateCa(Join(org_dir, "tlsca"), "tlsca", OrgName(spec, "tlsca." + spec.domain),
                                            nullptr, now));
  OrganizationPki pki(org_dir, spec, Ca{root.first, root.second}, intermediate, Ca{tls.first, tls.second});
  RETURN_IF_ERROR(pki.LoadRevocations());
  RETURN_IF_ERROR(pki.WriteOrganizationMsp());
  return pki;
}

std::string OrganizationPki::FullName(IdentityKind kind, const std::string& name) const {
  return kind == IdentityKind::kUser ? absl::StrCat(name, "@", spec_.domain) : absl::StrCat(name, ".", spec_.domain);
}

std::string OrganizationPki::IdentityDir(IdentityKind kind, const std::string& name) const {
  const char* group = kind == IdentityKind::kPeer ? "peers" : kind == IdentityKind::kOrderer ? "orderers" : "users";
  return Join(Join(dir_, group), FullName(kind, name));
}

std::vector<std::string> OrganizationPki::CurrentCrls() const {
  if (!crl_.has_value()) return {};
  return {crl_->ToPem()};
}

absl::Status OrganizationPki::WriteOrganizationMsp() const {
  msp::MspFolder folder;
  folder.ca_certs = {root_.cert};
  if (intermediate_.has_value()) folder.intermediate_certs = {intermediate_->cert};
  folder.tls_ca_certs = {tls_.cert};
  folder.crls = CurrentCrls();
  return msp::WriteMspFolder(Join(dir_, "msp"), folder);
}

absl::StatusOr<IdentityInfo> OrganizationPki::Issue(const IdentityRequest& request, absl::Time now) {
  const std::string dir = IdentityDir(request.kind, request.name);
  if (file::Exists(Join(dir, "msp/signcerts/cert.pem"))) {
    return absl::AlreadyExistsError(absl::StrCat(dir, ": identity already exists; its keys are kept"));
  }
  const std::string full_name = FullName(request.kind, request.name);

  crypto::CertificateTemplate sign;
  sign.subject = OrgName(spec_, full_name);
  sign.subject.organizational_units = {std::string(msp::NodeRoleName(request.node_ou))};
  sign.not_before = now - kClockSkew;
  sign.not_after = now + kIdentityValidity;
  if (!request.attributes.empty()) {
    sign.extensions.push_back({msp::kAttributesOid, msp::EncodeAttributes(request.attributes), false});
  }
  ASSIGN_OR_RETURN(crypto::PrivateKey sign_key, crypto::PrivateKey::Generate());
  ASSIGN_OR_RETURN(crypto::Certificate sign_cert,
                   crypto::IssueCertificate(sign, sign_key.public_key(), issuing_ca().key, &issuing_ca().cert));

  const bool is_node = request.kind != IdentityKind::kUser;
  crypto::CertificateTemplate tls;
  tls.subject = OrgName(spec_, full_name);
  tls.not_before = sign.not_before;
  tls.not_after = sign.not_after;
  tls.client_auth = true;
  if (is_node) {
    tls.server_auth = true;
    tls.dns_names = {full_name, request.name, "localhost"};
    tls.ip_addresses = {"127.0.0.1"};
  }
  ASSIGN_OR_RETURN(crypto::PrivateKey tls_key, crypto::PrivateKey::Generate());
  ASSIGN_OR_RETURN(crypto::Certificate tls_cert, crypto::IssueCertificate(tls, tls_key.public_key(), tls_.key, &tls_.cert));

  msp::MspFolder folder;
  folder.ca_certs = {root_.cert};
  if (intermediate_.has_value()) folder.intermediate_certs = {intermediate_->cert};
  folder.tls_ca_certs = {tls_.cert};
  folder.crls = CurrentCrls();
  folder.sign_cert = sign_cert;
  folder.private_key = sign_key;
  RETURN_IF_ERROR(msp::WriteMspFolder(Join(dir, "msp"), folder));
  const std::string stem = is_node ? "server" : "client";
  RETURN_IF_ERROR(file::WriteFileAtomic(Join(dir, "tls/ca.crt"), tls_.cert.ToPem()));
  RETURN_IF_ERROR(file::WriteFileAtomic(Join(dir, "tls/" + stem + ".crt"), tls_cert.ToPem()));
  RETURN_IF_ERROR(file::WriteFileAtomic(Join(dir, "tls/" + stem + ".key"), tls_key.ToPem(), 0600));
  return IdentityInfo{request.kind, full_name, dir, sign_cert, request.node_ou, request.attributes, false};
}

absl::Status OrganizationPki::LoadRevocations() {
  const std::string path = Join(dir_, "ca/revocations.json");
  if (!file::Exists(path)) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::string text, file::ReadFile(path));
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("crlNumber") || !doc["crlNumber"].is_number_unsigned() ||
      !doc.contains("revoked") || !doc["revoked"].is_array()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not a CareLedger revocation record"));
  }
  crl_number_ = doc["crlNumber"].get<uint64_t>();
  for (const auto& r : doc["revoked"]) {
    absl::Time at;
    std::string error;
    if (!r.is_object() || !r.contains("serial") || !r["serial"].is_string() || !r.contains("revokedAt") ||
        !r["revokedAt"].is_string() || !absl::ParseTime(absl::RFC3339_full, r["revokedAt"].get<std::string>(), &at, &error)) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": malformed revocation entry"));
    }
    revocations_.push_back({r["serial"].get<std::string>(), r.value("subject", ""), at});
  }
  const std::string crl_path = Join(dir_, "ca/crl.pem");
  if (file::Exists(crl_path)) {
    ASSIGN_OR_RETURN(std::string pem, file::ReadFile(crl_path));
    auto crl = crypto::Crl::FromPem(pem);
    if (!crl.ok()) return Annotate(crl.status(), crl_path);
    crl_ = *std::move(crl);
  }
  return absl::OkStatus();
}

absl::Status OrganizationPki::SaveRevocations() const {
  nlohmann::json revoked = nlohmann::json::array();
  for (const Revocation& r : revocations_) {
    revoked.push_back({{"serial", r.serial_hex},
                       {"subject", r.subject},
                       {"revokedAt", absl::FormatTime(absl::RFC3339_full, r.revoked_at, absl::UTCTimeZone())}});
  }
  nlohmann::json doc = {{"crlNumber", crl_number_}, {"revoked", revoked}};
  return file::WriteFileAtomic(Join(dir_, "ca/revocations.json"), doc.dump(2) + "\n");
}

absl::StatusOr<crypto::Crl> OrganizationPki::Revoke(const std::string& identity_dir, absl::Time now) {
  const std::string cert_path = Join(identity_dir, "msp/signcerts/cert.pem");
  if (!file::Exists(cert_path)) return absl::NotFoundError(absl::StrCat(identity_dir, ": no such identity"));
  ASSIGN_OR_RETURN(std::string pem, file::ReadFile(cert_path));
  auto cert = crypto::Certificate::FromPem(pem);
  if (!cert.ok()) return Annotate(cert.status(), cert_path);
  const std::string serial = HexEncode(cert->serial_number());
  for (const Revocation& r : revocations_) {
    if (r.serial_hex == serial) {
      return absl::AlreadyExistsError(absl::StrCat(cert->subject().one_line, " is already revoked"));
    }
  }
  revocations_.push_back({serial, cert->subject().one_line, now});
  ++crl_number_;
  crypto::CrlTemplate t;
  for (const Revocation& r : revocations_) {
    ASSIGN_OR_RETURN(std::string raw, HexDecode(r.serial_hex));
    t.revoked.push_back({raw, r.revoked_at});
  }
  t.this_update = now;
  t.next_update = now + absl::Hours(24 * 365);
  t.crl_number = crl_number_;
  ASSIGN_OR_RETURN(crypto::Crl crl, crypto::IssueCrl(t, issuing_ca().cert, issuing_ca().key));
  RETURN_IF_ERROR(file::WriteFileAtomic(Join(dir_, "ca/crl.pem"), crl.ToPem()));
  RETURN_IF_ERROR(SaveRevocations());
  crl_ = crl;
  RETURN_IF_ERROR(WriteOrganizationMsp());
  ASSIGN_OR_RETURN(std::vector<IdentityInfo> identities, ListIdentities());
  for (const IdentityInfo& id : identities) RETURN_IF_ERROR(msp::ReplaceCrls(Join(id.dir, "msp"), CurrentCrls()));
  return crl;
}

absl::StatusOr<std::vector<IdentityInfo>> OrganizationPki::ListIdentities() const {
  std::vector<IdentityInfo> out;
  for (auto [group, kind] : {std::pair{"peers", IdentityKind::kPeer}, std::pair{"orderers", IdentityKind::kOrderer},
                             std::pair{"users", IdentityKind::kUser}}) {
    const std::string group_dir = Join(dir_, group);
    ASSIGN_OR_RETURN(std::vector<std::string> names, SubFolders(group_dir));
    for (const std::string& name : names) {
      const std::string dir = Join(group_dir, name);
      const std::string cert_path = Join(dir, "msp/signcerts/cert.pem");
      if (!file::Exists(cert_path)) continue;
      ASSIGN_OR_RETURN(std::string pem, file::ReadFile(cert_path));
      auto cert = crypto::Certificate::FromPem(pem);
      if (!cert.ok()) return Annotate(cert.status(), cert_path);
      msp::Attributes attributes;
      if (auto ext = cert->ExtensionValue(msp::kAttributesOid); ext.has_value()) {
        auto parsed = msp::ParseAttributes(*ext);
        if (!parsed.ok()) return Annotate(parsed.status(), cert_path);
        attributes = *std::move(parsed);
      }
      const bool revoked = crl_.has_value() && crl_->Revokes(*cert);
      out.push_back({kind, name, dir, *cert, NodeRoleOf(*cert), std::move(attributes), revoked});
    }
  }
  return out;
}

}  // namespace careledger::network
