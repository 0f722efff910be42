#include "msp/testing/test_org.h"

#include <cstdio>
#include <cstdlib>

#include "common/crypto/x509_issuer.h"

namespace careledger::msp::testing {
namespace {

template <typename T>
T OrDie(absl::StatusOr<T> v, const char* what) {
  if (!v.ok()) {
    std::fprintf(stderr, "TestOrg: %s: %s\n", what, std::string(v.status().message()).c_str());
    std::abort();
  }
  return *std::move(v);
}

crypto::CertificateTemplate CaTemplate(const std::string& cn, const std::string& org) {
  crypto::CertificateTemplate t;
  t.subject.common_name = cn;
  t.subject.organization = org;
  t.not_before = kTestEpoch - absl::Hours(1);
  t.not_after = kTestEpoch + absl::Hours(24 * 3650 * 2);
  t.is_ca = true;
  return t;
}

}  // namespace

TestOrg::Ca TestOrg::MakeRootCa(const std::string& msp_id) {
  crypto::PrivateKey key = OrDie(crypto::PrivateKey::Generate(), "root key");
  crypto::Certificate cert = OrDie(
      crypto::IssueCertificate(CaTemplate("ca." + msp_id, msp_id), key.public_key(), key, nullptr), "root certificate");
  return Ca{key, cert};
}

TestOrg::TestOrg(std::string msp_id, bool with_intermediate) : msp_id_(std::move(msp_id)), root_(MakeRootCa(msp_id_)) {
  if (with_intermediate) {
    crypto::PrivateKey key = OrDie(crypto::PrivateKey::Generate(), "intermediate key");
    crypto::Certificate cert = OrDie(crypto::IssueCertificate(CaTemplate("ica." + msp_id_, msp_id_), key.public_key(),
                                                              root_.key, &root_.cert),
                                     "intermediate certificate");
    intermediate_.push_back({key, cert});
  }
}

::msp::FabricMSPConfig TestOrg::MspConfig(bool node_ous) const {
  ::msp::FabricMSPConfig config;
  config.set_name(msp_id_);
  config.add_root_certs(root_.cert.ToPem());
  for (const Ca& ca : intermediate_) config.add_intermediate_certs(ca.cert.ToPem());
  config.add_tls_root_certs(root_.cert.ToPem());
  if (node_ous) {
    ::msp::FabricNodeOUs* ous = config.mutable_fabric_node_ous();
    ous->set_enable(true);
    ous->mutable_client_ou_identifier()->set_organizational_unit_identifier("client");
    ous->mutable_peer_ou_identifier()->set_organizational_unit_identifier("peer");
    ous->mutable_admin_ou_identifier()->set_organizational_unit_identifier("admin");
    ous->mutable_orderer_ou_identifier()->set_organizational_unit_identifier("orderer");
  }
  return config;
}

SigningIdentity TestOrg::Issue(const std::string& common_name, const std::vector<std::string>& ous,
                               const Attributes& attributes, absl::Time not_before, absl::Time not_after) const {
  crypto::CertificateTemplate t;
  t.subject.common_name = common_name;
  t.subject.organization = msp_id_;
  t.subject.organizational_units = ous;
  t.not_before = not_before;
  t.not_after = not_after;
  if (!attributes.empty()) t.extensions.push_back({kAttributesOid, EncodeAttributes(attributes), false});
  crypto::PrivateKey key = OrDie(crypto::PrivateKey::Generate(), "identity key");
  crypto::Certificate cert =
      OrDie(crypto::IssueCertificate(t, key.public_key(), issuer().key, &issuer().cert), "identity certificate");
  return OrDie(SigningIdentity::Create(msp_id_, cert, key), "signing identity");
}

std::pair<crypto::Certificate, crypto::PrivateKey> TestOrg::IssueWithKey(const std::string& common_name,
                                                                         const std::vector<std::string>& ous) const {
  crypto::CertificateTemplate t;
  t.subject.common_name = common_name;
  t.subject.organization = msp_id_;
  t.subject.organizational_units = ous;
  t.not_before = kTestEpoch;
  t.not_after = kTestEpoch + absl::Hours(24 * 3650);
  crypto::PrivateKey key = OrDie(crypto::PrivateKey::Generate(), "identity key");
  return {OrDie(crypto::IssueCertificate(t, key.public_key(), issuer().key, &issuer().cert), "identity certificate"),
          key};
}

crypto::Certificate TestOrg::IssueForKey(const std::string& common_name, NodeRole role,
                                         const crypto::PublicKey& key) const {
  crypto::CertificateTemplate t;
  t.subject.common_name = common_name;
  t.subject.organization = msp_id_;
  t.subject.organizational_units = {std::string(NodeRoleName(role))};
  t.not_before = kTestEpoch;
  t.not_after = kTestEpoch + absl::Hours(24 * 3650);
  return OrDie(crypto::IssueCertificate(t, key, issuer().key, &issuer().cert), "identity certificate");
}

SigningIdentity TestOrg::Issue(const std::string& common_name, NodeRole role, const Attributes& attributes) const {
  return Issue(common_name, {std::string(NodeRoleName(role))}, attributes);
}

std::string TestOrg::Crl(const std::vector<crypto::Certificate>& revoked) const {
  crypto::CrlTemplate t;
  for (const crypto::Certificate& c : revoked) t.revoked.push_back({c.serial_number(), kTestEpoch});
  t.this_update = kTestEpoch;
  t.next_update = kTestEpoch + absl::Hours(24 * 365);
  return OrDie(crypto::IssueCrl(t, issuer().cert, issuer().key), "CRL").ToPem();
}

}  // namespace careledger::msp::testing
