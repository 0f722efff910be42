#include "msp/msp.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "absl/strings/str_cat.h"
#include "common/crypto/sha256.h"
#include "common/status_macros.h"
#include "common/strings.h"

namespace careledger::msp {
namespace {

absl::StatusOr<std::vector<crypto::Certificate>> ParseCerts(
    const google::protobuf::RepeatedPtrField<std::string>& pems, std::string_view what, bool must_be_ca) {
  std::vector<crypto::Certificate> out;
  for (int i = 0; i < pems.size(); ++i) {
    auto certs = crypto::Certificate::ParsePemBundle(pems[i]);
    if (!certs.ok()) return Annotate(certs.status(), absl::StrCat(AsAbsl(what), "[", i, "]"));
    for (crypto::Certificate& cert : *certs) {
      if (must_be_ca && !cert.is_ca()) {
        return absl::InvalidArgumentError(
            absl::StrCat(AsAbsl(what), "[", i, "]: '", cert.subject().one_line, "' is not a CA certificate"));
      }
      out.push_back(std::move(cert));
    }
  }
  return out;
}

// id_bytes hold one PEM certificate: any text before it, only whitespace after it.
//
// Fabric reads id_bytes with Go's pem.Decode, which skips text before the first "-----BEGIN " line and
// ignores what follows the first block. Leading text is accepted here too: certificate files written by
// tools may start with a description (`openssl x509 -text`), a Fabric client may send one as it is, and
// refusing it would protect nothing, since policies tell signers apart by Identity::signer_key(), not by
// these bytes. What follows the block is refused although Fabric ignores it: no Fabric SDK writes a second
// certificate or trailing data, and an identity that carries more than the certificate it stands for is
// malformed. Certificate::FromPem already refuses a second certificate; this refuses anything else after the
// first block (and so a first block that is not the certificate, which Fabric refuses too).
absl::Status CheckNothingAfterPemBlock(std::string_view id_bytes) {
  constexpr std::string_view kBegin = "\n-----BEGIN ";  // a line that starts with it, as both readers want
  constexpr std::string_view kEnd = "\n-----END ";
  constexpr std::string_view kDashes = "-----";
  const size_t begin = id_bytes.starts_with(kBegin.substr(1)) ? 0 : id_bytes.find(kBegin);
  if (begin == std::string_view::npos) return absl::InvalidArgumentError("no PEM block found");
  const size_t end = id_bytes.find(kEnd, begin);
  const size_t end_dashes = end == std::string_view::npos ? end : id_bytes.find(kDashes, end + kEnd.size());
  if (end_dashes == std::string_view::npos) return absl::InvalidArgumentError("the PEM block has no END line");
  const absl::string_view after = absl::StripAsciiWhitespace(AsAbsl(id_bytes.substr(end_dashes + kDashes.size())));
  if (!after.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(after.size(),
                                                   " bytes follow the certificate's PEM block; id_bytes must hold "
                                                   "exactly one certificate"));
  }
  return absl::OkStatus();
}

bool HasOu(const crypto::Certificate& cert, std::string_view ou) {
  const auto& ous = cert.subject().organizational_units;
  return std::find(ous.begin(), ous.end(), ou) != ous.end();
}

}  // namespace

std::string SerializeIdentity(std::string_view msp_id, const crypto::Certificate& certificate) {
  ::msp::SerializedIdentity id;
  id.set_mspid(std::string(msp_id));
  id.set_id_bytes(certificate.ToPem());
  return id.SerializeAsString();
}

absl::StatusOr<std::shared_ptr<const Msp>> Msp::Create(const ::msp::FabricMSPConfig& config) {
  if (config.name().empty()) return absl::InvalidArgumentError("MSP config has an empty name (MSP ID)");
  const std::string where = absl::StrCat("MSP ", config.name());
  std::shared_ptr<Msp> msp(new Msp(config.name()));

  if (config.root_certs().empty()) return absl::InvalidArgumentError(absl::StrCat(where, ": no root CA certificate"));
  ASSIGN_OR_RETURN(msp->roots_, ParseCerts(config.root_certs(), "root_certs", /*must_be_ca=*/true));
  ASSIGN_OR_RETURN(msp->intermediates_,
                   ParseCerts(config.intermediate_certs(), "intermediate_certs", /*must_be_ca=*/true));
  ASSIGN_OR_RETURN(crypto::ChainVerifier verifier, crypto::ChainVerifier::Create(msp->roots_, msp->intermediates_));
  msp->verifier_ = std::make_unique<crypto::ChainVerifier>(std::move(verifier));
  for (const crypto::Certificate& inter : msp->intermediates_) {
    // An intermediate must itself be trusted, judged like an identity: at its own notBefore.
    auto chain = msp->verifier_->Verify(inter, inter.not_before() + absl::Seconds(1));
    if (!chain.ok()) return Annotate(chain.status(), absl::StrCat(where, ": intermediate certificate"));
  }

  ASSIGN_OR_RETURN(msp->admins_, ParseCerts(config.admins(), "admins", /*must_be_ca=*/false));
  ASSIGN_OR_RETURN(msp->tls_roots_, ParseCerts(config.tls_root_certs(), "tls_root_certs", /*must_be_ca=*/true));
  ASSIGN_OR_RETURN(msp->tls_intermediates_,
                   ParseCerts(config.tls_intermediate_certs(), "tls_intermediate_certs", /*must_be_ca=*/true));

  for (int i = 0; i < config.revocation_list_size(); ++i) {
    auto crl = crypto::Crl::FromPem(config.revocation_list(i));
    if (!crl.ok()) return Annotate(crl.status(), absl::StrCat(where, ": revocation_list[", i, "]"));
    // A CRL counts only if one of this MSP's CAs signed it; otherwise anyone could revoke its members.
    bool signed_by_ca = false;
    for (const auto* cas : {&msp->roots_, &msp->intermediates_}) {
      for (const crypto::Certificate& ca : *cas) signed_by_ca = signed_by_ca || crl->CheckIssuedBy(ca).ok();
    }
    if (!signed_by_ca) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": revocation_list[", i, "] (issuer '",
                                                     crl->issuer().one_line, "') is not signed by a CA of this MSP"));
    }
    msp->crls_.push_back(*std::move(crl));
  }

  const ::msp::FabricNodeOUs& ous = config.fabric_node_ous();
  msp->node_ous_.enabled = ous.enable();
  if (ous.enable()) {
    if (ous.client_ou_identifier().organizational_unit_identifier().empty() ||
        ous.peer_ou_identifier().organizational_unit_identifier().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": NodeOUs are enabled but the client or peer OU identifier is missing"));
    }
    struct Slot {
      const ::msp::FabricOUIdentifier& spec;
      OuIdentifier& target;
      const char* name;
    };
    for (Slot slot : {Slot{ous.client_ou_identifier(), msp->node_ous_.client, "client"},
                      Slot{ous.peer_ou_identifier(), msp->node_ous_.peer, "peer"},
                      Slot{ous.admin_ou_identifier(), msp->node_ous_.admin, "admin"},
                      Slot{ous.orderer_ou_identifier(), msp->node_ous_.orderer, "orderer"}}) {
      slot.target.ou = slot.spec.organizational_unit_identifier();
      if (slot.spec.certificate().empty()) continue;
      auto cert = crypto::Certificate::FromPem(slot.spec.certificate());
      if (!cert.ok()) return Annotate(cert.status(), absl::StrCat(where, ": ", slot.name, " OU certificate"));
      const bool is_ours =
          std::find(msp->roots_.begin(), msp->roots_.end(), *cert) != msp->roots_.end() ||
          std::find(msp->intermediates_.begin(), msp->intermediates_.end(), *cert) != msp->intermediates_.end();
      if (!is_ours) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": the ", slot.name, " OU certificate is not one of the MSP's CA certificates"));
      }
      slot.target.certifier_der = cert->der();
    }
  }
  return std::shared_ptr<const Msp>(std::move(msp));
}

absl::StatusOr<std::shared_ptr<const Identity>> Msp::DeserializeIdentity(
    const ::msp::SerializedIdentity& serialized) const {
  if (serialized.mspid() != name_) {
    return absl::InvalidArgumentError(
        absl::StrCat("identity of MSP '", serialized.mspid(), "' given to MSP '", name_, "'"));
  }
  auto leaf = crypto::Certificate::FromPem(serialized.id_bytes());
  if (!leaf.ok()) return Annotate(leaf.status(), absl::StrCat("identity of MSP ", name_));
  if (absl::Status one_block = CheckNothingAfterPemBlock(serialized.id_bytes()); !one_block.ok()) {
    return Annotate(one_block, absl::StrCat("identity of MSP ", name_));
  }
  const std::string subject = leaf->subject().one_line;
  if (leaf->is_ca()) {
    return absl::PermissionDeniedError(
        absl::StrCat("'", subject, "' is a CA certificate, which cannot be used as an identity"));
  }
  // Judged at the certificate's own notBefore: the verdict on a transaction must not change as time passes.
  ASSIGN_OR_RETURN(std::vector<crypto::Certificate> chain,
                   verifier_->Verify(*leaf, leaf->not_before() + absl::Seconds(1)));
  RETURN_IF_ERROR(CheckNotRevoked(chain));
  ASSIGN_OR_RETURN(NodeRole role, Classify(chain));
  Attributes attributes;
  if (std::optional<std::string> ext = leaf->ExtensionValue(kAttributesOid); ext.has_value()) {
    auto parsed = ParseAttributes(*ext);
    if (!parsed.ok()) {
      return absl::PermissionDeniedError(absl::StrCat("'", subject, "': ", parsed.status().message()));
    }
    attributes = *std::move(parsed);
  }
  ASSIGN_OR_RETURN(std::string signer_key, Identity::SignerKey(name_, leaf->public_key()));
  return std::shared_ptr<const Identity>(new Identity(shared_from_this(), serialized.SerializeAsString(),
                                                      std::move(signer_key), std::move(chain), role,
                                                      std::move(attributes)));
}

absl::Status Msp::CheckNotRevoked(const std::vector<crypto::Certificate>& chain) const {
  // Every certificate but the root can be revoked by a CRL of its issuer.
  for (size_t i = 0; i + 1 < chain.size(); ++i) {
    for (const crypto::Crl& crl : crls_) {
      if (crl.Revokes(chain[i]) && crl.CheckIssuedBy(chain[i + 1]).ok()) {
        return absl::PermissionDeniedError(
            absl::StrCat("certificate '", chain[i].subject().one_line, "' has been revoked by MSP ", name_));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<NodeRole> Msp::Classify(const std::vector<crypto::Certificate>& chain) const {
  if (!node_ous_.enabled) return NodeRole::kUnclassified;
  const crypto::Certificate& leaf = chain.front();
  NodeRole found = NodeRole::kUnclassified;
  int matches = 0;
  for (auto [id, role] : {std::pair{&node_ous_.client, NodeRole::kClient}, std::pair{&node_ous_.peer, NodeRole::kPeer},
                          std::pair{&node_ous_.admin, NodeRole::kAdmin},
                          std::pair{&node_ous_.orderer, NodeRole::kOrderer}}) {
    if (id->ou.empty() || !HasOu(leaf, id->ou)) continue;
    if (!id->certifier_der.empty()) {
      const bool certified = std::any_of(chain.begin() + 1, chain.end(),
                                         [&](const crypto::Certificate& c) { return c.der() == id->certifier_der; });
      if (!certified) {
        return absl::PermissionDeniedError(absl::StrCat("'", leaf.subject().one_line, "' carries OU '", id->ou,
                                                        "' but was not issued by the CA that OU requires"));
      }
    }
    found = role;
    ++matches;
  }
  if (matches != 1) {
    return absl::PermissionDeniedError(absl::StrCat(
        "'", leaf.subject().one_line, "' must carry exactly one of the node OUs of MSP ", name_,
        " (client, peer, admin, orderer), found ", matches));
  }
  return found;
}

bool Msp::IsAdmin(const Identity& identity) const {
  if (node_ous_.enabled && !node_ous_.admin.ou.empty() && identity.role() == NodeRole::kAdmin) return true;
  return std::find(admins_.begin(), admins_.end(), identity.certificate()) != admins_.end();
}

absl::Status Msp::SatisfiesRole(const Identity& identity, const ::common::MSPRole& role) const {
  if (role.msp_identifier() != name_) {
    return absl::PermissionDeniedError(
        absl::StrCat("identity of MSP ", name_, " is not a member of MSP ", role.msp_identifier()));
  }
  auto need_role = [&](NodeRole wanted) -> absl::Status {
    if (!node_ous_.enabled) {
      return absl::PermissionDeniedError(absl::StrCat("MSP ", name_, " does not classify identities (NodeOUs off), so "
                                                      "no identity is a ", AsAbsl(NodeRoleName(wanted))));
    }
    if (identity.role() != wanted) {
      return absl::PermissionDeniedError(absl::StrCat("identity '", identity.certificate().subject().one_line,
                                                      "' is a ", AsAbsl(NodeRoleName(identity.role())), ", not a ",
                                                      AsAbsl(NodeRoleName(wanted)), " of ", name_));
    }
    return absl::OkStatus();
  };
  switch (role.role()) {
    case ::common::MSPRole::MEMBER:
      return absl::OkStatus();
    case ::common::MSPRole::ADMIN:
      if (IsAdmin(identity)) return absl::OkStatus();
      return absl::PermissionDeniedError(
          absl::StrCat("identity '", identity.certificate().subject().one_line, "' is not an admin of ", name_));
    case ::common::MSPRole::CLIENT: return need_role(NodeRole::kClient);
    case ::common::MSPRole::PEER: return need_role(NodeRole::kPeer);
    case ::common::MSPRole::ORDERER: return need_role(NodeRole::kOrderer);
    default:
      return absl::InvalidArgumentError(absl::StrCat("unknown MSP role ", static_cast<int>(role.role())));
  }
}

std::string Msp::CertifiersId(const Identity& identity) const {
  crypto::Sha256Hasher hasher;
  for (size_t i = 1; i < identity.chain().size(); ++i) hasher.Update(identity.chain()[i].der());
  return std::string(crypto::AsBytes(hasher.Finish()));
}

absl::Status Msp::SatisfiesPrincipal(const Identity& identity, const ::common::MSPPrincipal& principal) const {
  switch (principal.principal_classification()) {
    case ::common::MSPPrincipal::ROLE: {
      ::common::MSPRole role;
      if (!role.ParseFromString(principal.principal())) {
        return absl::InvalidArgumentError("ROLE principal does not hold a common.MSPRole");
      }
      return SatisfiesRole(identity, role);
    }
    case ::common::MSPPrincipal::IDENTITY: {
      if (identity.serialized() == principal.principal()) return absl::OkStatus();
      return absl::PermissionDeniedError("identity is not the one the IDENTITY principal names");
    }
    case ::common::MSPPrincipal::ORGANIZATION_UNIT: {
      ::common::OrganizationUnit ou;
      if (!ou.ParseFromString(principal.principal())) {
        return absl::InvalidArgumentError("ORGANIZATION_UNIT principal does not hold a common.OrganizationUnit");
      }
      if (ou.msp_identifier() != name_) {
        return absl::PermissionDeniedError(
            absl::StrCat("identity of MSP ", name_, " is not a member of MSP ", ou.msp_identifier()));
      }
      if (!ou.certifiers_identifier().empty() && ou.certifiers_identifier() != CertifiersId(identity)) {
        return absl::PermissionDeniedError("identity was not certified by the CA chain the principal requires");
      }
      if (!HasOu(identity.certificate(), ou.organizational_unit_identifier())) {
        return absl::PermissionDeniedError(
            absl::StrCat("identity does not carry OU '", ou.organizational_unit_identifier(), "'"));
      }
      return absl::OkStatus();
    }
    case ::common::MSPPrincipal::ANONYMITY: {
      ::common::MSPIdentityAnonymity anonymity;
      if (!anonymity.ParseFromString(principal.principal())) {
        return absl::InvalidArgumentError("ANONYMITY principal does not hold a common.MSPIdentityAnonymity");
      }
      // X.509 identities are nominal: they name their holder.
      if (anonymity.anonymity_type() == ::common::MSPIdentityAnonymity::NOMINAL) return absl::OkStatus();
      return absl::PermissionDeniedError("X.509 identities are not anonymous");
    }
    case ::common::MSPPrincipal::COMBINED: {
      ::common::CombinedPrincipal combined;
      if (!combined.ParseFromString(principal.principal()) || combined.principals().empty()) {
        return absl::InvalidArgumentError("COMBINED principal does not hold a non-empty common.CombinedPrincipal");
      }
      for (const ::common::MSPPrincipal& p : combined.principals()) {
        if (p.principal_classification() == ::common::MSPPrincipal::COMBINED) {
          return absl::InvalidArgumentError("COMBINED principals cannot nest");  // as in Fabric; bounds recursion
        }
        RETURN_IF_ERROR(SatisfiesPrincipal(identity, p));
      }
      return absl::OkStatus();
    }
    default:
      return absl::InvalidArgumentError(absl::StrCat("unknown principal classification ",
                                                     static_cast<int>(principal.principal_classification())));
  }
}

}  // namespace careledger::msp
