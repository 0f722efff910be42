#include "msp/msp.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/crypto/x509_issuer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "msp/testing/test_org.h"

namespace careledger::msp {
namespace {

using ::testing::HasSubstr;
using testing::TestOrg;

std::shared_ptr<const Msp> MakeMsp(const ::msp::FabricMSPConfig& config) {
  auto msp = Msp::Create(config);
  EXPECT_TRUE(msp.ok()) << msp.status();
  return *msp;
}

::msp::SerializedIdentity Serialized(const SigningIdentity& id) {
  ::msp::SerializedIdentity s;
  EXPECT_TRUE(s.ParseFromString(id.SerializedIdentity()));
  return s;
}

::common::MSPPrincipal RolePrincipal(const std::string& msp_id, ::common::MSPRole::MSPRoleType type) {
  ::common::MSPRole role;
  role.set_msp_identifier(msp_id);
  role.set_role(type);
  ::common::MSPPrincipal p;
  p.set_principal_classification(::common::MSPPrincipal::ROLE);
  p.set_principal(role.SerializeAsString());
  return p;
}

TEST(MspTest, DeserializesAndClassifiesEachNodeRole) {
  TestOrg org("Hospital1MSP");
  auto msp = MakeMsp(org.MspConfig());
  for (NodeRole role : {NodeRole::kClient, NodeRole::kPeer, NodeRole::kAdmin, NodeRole::kOrderer}) {
    SigningIdentity signer = org.Issue("node", role);
    auto identity = msp->DeserializeIdentity(Serialized(signer));
    ASSERT_TRUE(identity.ok()) << identity.status();
    EXPECT_EQ((*identity)->role(), role);
    EXPECT_EQ((*identity)->msp_id(), "Hospital1MSP");
    EXPECT_EQ((*identity)->serialized(), signer.SerializedIdentity());
    EXPECT_EQ((*identity)->chain().size(), 2u);
  }
}

TEST(MspTest, ReadsAttributesAndSignaturesVerify) {
  TestOrg org("Hospital1MSP");
  auto msp = MakeMsp(org.MspConfig());
  SigningIdentity doctor = org.Issue("dr.alice", {"client"}, {{"role", "doctor"}, {"hc.person_id", "D-1001"}});
  auto identity = msp->DeserializeIdentity(Serialized(doctor));
  ASSERT_TRUE(identity.ok()) << identity.status();
  EXPECT_EQ((*identity)->Attribute("role"), "doctor");
  EXPECT_EQ((*identity)->Attribute("hc.person_id"), "D-1001");
  EXPECT_EQ((*identity)->Attribute("missing"), std::nullopt);
  EXPECT_THAT((*identity)->ClientId(), HasSubstr("x509::"));
  EXPECT_THAT((*identity)->ClientId(), HasSubstr("CN=dr.alice"));
  const std::string sig = *doctor.Sign("consent grant");
  EXPECT_TRUE((*identity)->Verify("consent grant", sig).ok());
  EXPECT_FALSE((*identity)->Verify("consent revoke", sig).ok());
}

TEST(MspTest, WorksThroughAnIntermediateCa) {
  TestOrg org("Hospital2MSP", /*with_intermediate=*/true);
  auto msp = MakeMsp(org.MspConfig());
  auto identity = msp->DeserializeIdentity(Serialized(org.Issue("peer0", NodeRole::kPeer)));
  ASSERT_TRUE(identity.ok()) << identity.status();
  EXPECT_EQ((*identity)->chain().size(), 3u);
}

TEST(MspTest, RejectsIdentitiesItDoesNotVouchFor) {
  TestOrg org("Hospital1MSP");
  TestOrg other("Hospital1MSP");  // same MSP ID, different CA: an impostor
  auto msp = MakeMsp(org.MspConfig());
  auto foreign = msp->DeserializeIdentity(Serialized(other.Issue("mallory", NodeRole::kAdmin)));
  EXPECT_EQ(foreign.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(foreign.status().message(), HasSubstr("does not chain to a trusted root"));

  ::msp::SerializedIdentity wrong_msp = Serialized(org.Issue("x", NodeRole::kClient));
  wrong_msp.set_mspid("Hospital2MSP");
  EXPECT_EQ(msp->DeserializeIdentity(wrong_msp).status().code(), absl::StatusCode::kInvalidArgument);

  ::msp::SerializedIdentity garbage;
  garbage.set_mspid("Hospital1MSP");
  garbage.set_id_bytes("not a certificate");
  EXPECT_EQ(msp->DeserializeIdentity(garbage).status().code(), absl::StatusCode::kInvalidArgument);

  ::msp::SerializedIdentity ca_as_identity;
  ca_as_identity.set_mspid("Hospital1MSP");
  ca_as_identity.set_id_bytes(org.root_cert().ToPem());
  EXPECT_THAT(msp->DeserializeIdentity(ca_as_identity).status().message(), HasSubstr("is a CA certificate"));
}

TEST(MspTest, RequiresExactlyOneNodeOu) {
  TestOrg org("Hospital1MSP");
  auto msp = MakeMsp(org.MspConfig());
  auto none = msp->DeserializeIdentity(Serialized(org.Issue("x", std::vector<std::string>{"cardiology"})));
  EXPECT_THAT(none.status().message(), HasSubstr("exactly one of the node OUs"));
  auto two = msp->DeserializeIdentity(Serialized(org.Issue("x", std::vector<std::string>{"client", "admin"})));
  EXPECT_THAT(two.status().message(), HasSubstr("found 2"));
  // Without NodeOUs anything the CA issued is a member.
  auto plain = MakeMsp(org.MspConfig(/*node_ous=*/false));
  auto member = plain->DeserializeIdentity(Serialized(org.Issue("x", std::vector<std::string>{})));
  ASSERT_TRUE(member.ok()) << member.status();
  EXPECT_EQ((*member)->role(), NodeRole::kUnclassified);
}

TEST(MspTest, RevokedIdentityIsRejectedOthersAreNot) {
  TestOrg org("Hospital1MSP");
  SigningIdentity revoked = org.Issue("dr.gone", NodeRole::kClient);
  SigningIdentity kept = org.Issue("dr.kept", NodeRole::kClient);
  ::msp::FabricMSPConfig config = org.MspConfig();
  config.add_revocation_list(org.Crl({revoked.certificate()}));
  auto msp = MakeMsp(config);
  auto result = msp->DeserializeIdentity(Serialized(revoked));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(result.status().message(), HasSubstr("has been revoked"));
  EXPECT_TRUE(msp->DeserializeIdentity(Serialized(kept)).ok());
}

TEST(MspTest, ChainValidityIgnoresTheWallClockButExpiryIsCheckable) {
  TestOrg org("Hospital1MSP");
  const absl::Time start = testing::kTestEpoch;
  SigningIdentity short_lived = org.Issue("temp", {"client"}, {}, start, start + absl::Hours(1));
  auto msp = MakeMsp(org.MspConfig());
  auto identity = msp->DeserializeIdentity(Serialized(short_lived));
  ASSERT_TRUE(identity.ok()) << identity.status();  // long expired today, yet validates: determinism
  EXPECT_TRUE((*identity)->CheckValidAt(start + absl::Minutes(30)).ok());
  EXPECT_THAT((*identity)->CheckValidAt(start + absl::Hours(2)).message(), HasSubstr("expired"));
  EXPECT_THAT((*identity)->CheckValidAt(start - absl::Hours(2)).message(), HasSubstr("not valid before"));
}

TEST(MspTest, MalformedAttributeExtensionMakesIdentityInvalid) {
  TestOrg org("Hospital1MSP");
  auto msp = MakeMsp(org.MspConfig());
  // A certificate with a broken attribute extension, issued by the org's own CA.
  crypto::PrivateKey ca_key = *crypto::PrivateKey::Generate();
  crypto::CertificateTemplate ca_t;
  ca_t.subject.common_name = "ca2";
  ca_t.not_before = testing::kTestEpoch - absl::Hours(1);
  ca_t.not_after = testing::kTestEpoch + absl::Hours(1000);
  ca_t.is_ca = true;
  crypto::Certificate ca = *crypto::IssueCertificate(ca_t, ca_key.public_key(), ca_key, nullptr);
  crypto::CertificateTemplate t;
  t.subject.common_name = "bad-attrs";
  t.subject.organizational_units = {"client"};
  t.not_before = testing::kTestEpoch;
  t.not_after = testing::kTestEpoch + absl::Hours(10);
  t.extensions.push_back({kAttributesOid, "{not json", false});
  crypto::PrivateKey key = *crypto::PrivateKey::Generate();
  crypto::Certificate cert = *crypto::IssueCertificate(t, key.public_key(), ca_key, &ca);
  ::msp::FabricMSPConfig config = org.MspConfig();
  config.add_root_certs(ca.ToPem());
  auto msp2 = MakeMsp(config);
  ::msp::SerializedIdentity s;
  s.set_mspid("Hospital1MSP");
  s.set_id_bytes(cert.ToPem());
  EXPECT_THAT(msp2->DeserializeIdentity(s).status().message(), HasSubstr("not valid JSON"));
}

TEST(MspTest, RolePrincipals) {
  TestOrg org("Hospital1MSP");
  auto msp = MakeMsp(org.MspConfig());
  auto peer = *msp->DeserializeIdentity(Serialized(org.Issue("peer0", NodeRole::kPeer)));
  auto admin = *msp->DeserializeIdentity(Serialized(org.Issue("admin", NodeRole::kAdmin)));
  using R = ::common::MSPRole;
  EXPECT_TRUE(peer->SatisfiesPrincipal(RolePrincipal("Hospital1MSP", R::MEMBER)).ok());
  EXPECT_TRUE(peer->SatisfiesPrincipal(RolePrincipal("Hospital1MSP", R::PEER)).ok());
  EXPECT_THAT(peer->SatisfiesPrincipal(RolePrincipal("Hospital1MSP", R::CLIENT)).message(),
              HasSubstr("is a peer, not a client"));
  EXPECT_EQ(peer->SatisfiesPrincipal(RolePrincipal("Hospital1MSP", R::ADMIN)).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(admin->SatisfiesPrincipal(RolePrincipal("Hospital1MSP", R::ADMIN)).ok());
  EXPECT_THAT(peer->SatisfiesPrincipal(RolePrincipal("Hospital2MSP", R::MEMBER)).message(),
              HasSubstr("not a member of MSP Hospital2MSP"));
  ::common::MSPPrincipal bad;
  bad.set_principal_classification(::common::MSPPrincipal::ROLE);
  bad.set_principal("\xff\xff");
  EXPECT_EQ(peer->SatisfiesPrincipal(bad).code(), absl::StatusCode::kInvalidArgument);
}

TEST(MspTest, LegacyAdminCertificatesCountAsAdmins) {
  TestOrg org("Hospital1MSP");
  SigningIdentity legacy = org.Issue("legacy-admin", NodeRole::kClient);
  ::msp::FabricMSPConfig config = org.MspConfig();
  config.add_admins(legacy.certificate().ToPem());
  auto msp = MakeMsp(config);
  auto id = *msp->DeserializeIdentity(Serialized(legacy));
  EXPECT_TRUE(id->SatisfiesPrincipal(RolePrincipal("Hospital1MSP", ::common::MSPRole::ADMIN)).ok());
}

TEST(MspTest, OtherPrincipalKinds) {
  TestOrg org("Hospital1MSP");
  auto msp = MakeMsp(org.MspConfig());
  SigningIdentity signer = org.Issue("dr.bob", NodeRole::kClient);
  auto id = *msp->DeserializeIdentity(Serialized(signer));

  ::common::MSPPrincipal exact;
  exact.set_principal_classification(::common::MSPPrincipal::IDENTITY);
  exact.set_principal(signer.SerializedIdentity());
  EXPECT_TRUE(id->SatisfiesPrincipal(exact).ok());
  exact.set_principal(org.Issue("dr.other", NodeRole::kClient).SerializedIdentity());
  EXPECT_EQ(id->SatisfiesPrincipal(exact).code(), absl::StatusCode::kPermissionDenied);

  ::common::OrganizationUnit ou;
  ou.set_msp_identifier("Hospital1MSP");
  ou.set_organizational_unit_identifier("client");
  ::common::MSPPrincipal ou_principal;
  ou_principal.set_principal_classification(::common::MSPPrincipal::ORGANIZATION_UNIT);
  ou_principal.set_principal(ou.SerializeAsString());
  EXPECT_TRUE(id->SatisfiesPrincipal(ou_principal).ok());
  ou.set_certifiers_identifier(msp->CertifiersId(*id));
  ou_principal.set_principal(ou.SerializeAsString());
  EXPECT_TRUE(id->SatisfiesPrincipal(ou_principal).ok());
  ou.set_certifiers_identifier("other chain");
  ou_principal.set_principal(ou.SerializeAsString());
  EXPECT_EQ(id->SatisfiesPrincipal(ou_principal).code(), absl::StatusCode::kPermissionDenied);

  ::common::MSPIdentityAnonymity anon;
  anon.set_anonymity_type(::common::MSPIdentityAnonymity::NOMINAL);
  ::common::MSPPrincipal anon_principal;
  anon_principal.set_principal_classification(::common::MSPPrincipal::ANONYMITY);
  anon_principal.set_principal(anon.SerializeAsString());
  EXPECT_TRUE(id->SatisfiesPrincipal(anon_principal).ok());
  anon.set_anonymity_type(::common::MSPIdentityAnonymity::ANONYMOUS);
  anon_principal.set_principal(anon.SerializeAsString());
  EXPECT_EQ(id->SatisfiesPrincipal(anon_principal).code(), absl::StatusCode::kPermissionDenied);

  ::common::CombinedPrincipal combined;
  *combined.add_principals() = RolePrincipal("Hospital1MSP", ::common::MSPRole::CLIENT);
  *combined.add_principals() = anon_principal;  // ANONYMOUS: fails
  ::common::MSPPrincipal combined_principal;
  combined_principal.set_principal_classification(::common::MSPPrincipal::COMBINED);
  combined_principal.set_principal(combined.SerializeAsString());
  EXPECT_EQ(id->SatisfiesPrincipal(combined_principal).code(), absl::StatusCode::kPermissionDenied);
  combined.mutable_principals()->RemoveLast();
  combined_principal.set_principal(combined.SerializeAsString());
  EXPECT_TRUE(id->SatisfiesPrincipal(combined_principal).ok());
}

TEST(MspCreateTest, RejectsBadConfigurations) {
  TestOrg org("Hospital1MSP");
  TestOrg other("OtherMSP");
  ::msp::FabricMSPConfig c = org.MspConfig();
  c.set_name("");
  EXPECT_THAT(Msp::Create(c).status().message(), HasSubstr("empty name"));

  c = org.MspConfig();
  c.clear_root_certs();
  EXPECT_THAT(Msp::Create(c).status().message(), HasSubstr("no root CA"));

  c = org.MspConfig();
  c.add_root_certs("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
  EXPECT_THAT(Msp::Create(c).status().message(), HasSubstr("root_certs[1]"));

  c = org.MspConfig();
  c.add_root_certs(org.Issue("leaf", NodeRole::kPeer).certificate().ToPem());
  EXPECT_THAT(Msp::Create(c).status().message(), HasSubstr("not a CA certificate"));

  c = org.MspConfig();
  c.add_revocation_list(other.Crl({}));
  EXPECT_THAT(Msp::Create(c).status().message(), HasSubstr("not signed by a CA of this MSP"));

  c = org.MspConfig();
  c.add_revocation_list("garbage");
  EXPECT_THAT(Msp::Create(c).status().message(), HasSubstr("revocation_list[0]"));

  c = org.MspConfig();
  c.mutable_fabric_node_ous()->mutable_peer_ou_identifier()->clear_organizational_unit_identifier();
  EXPECT_THAT(Msp::Create(c).status().message(), HasSubstr("client or peer OU identifier is missing"));

  c = org.MspConfig();
  c.mutable_fabric_node_ous()->mutable_client_ou_identifier()->set_certificate(other.root_cert().ToPem());
  EXPECT_THAT(Msp::Create(c).status().message(), HasSubstr("not one of the MSP's CA certificates"));

  TestOrg chained("ChainMSP", /*with_intermediate=*/true);
  c = chained.MspConfig();
  c.set_root_certs(0, other.root_cert().ToPem());  // intermediate no longer chains to a root
  EXPECT_THAT(Msp::Create(c).status().message(), HasSubstr("intermediate certificate"));
}

::msp::SerializedIdentity WithIdBytes(const std::string& msp_id, std::string id_bytes) {
  ::msp::SerializedIdentity s;
  s.set_mspid(msp_id);
  s.set_id_bytes(std::move(id_bytes));
  return s;
}

// `key` as a SubjectPublicKeyInfo with a compressed point (RFC 5480): the same key, written another way.
std::string CompressedSpki(const crypto::PublicKey& key) {
  const std::string& point = key.raw_point();  // 0x04 || X || Y
  const std::string prefix = absl::HexStringToBytes("3039301306072a8648ce3d020106082a8648ce3d030107032200");
  return absl::StrCat(prefix, std::string(1, static_cast<char>(0x02 | (point[64] & 1))), point.substr(1, 32));
}

// One certificate has many encodings, and the MSP keeps whichever bytes it was given as serialized(); the
// signer is named by MSP and key (signer_key()), so that policies count it once however it is presented.
TEST(MspSignerKeyTest, EveryEncodingOfOneCertificateIsOneSigner) {
  TestOrg org("Hospital1MSP");
  auto msp = MakeMsp(org.MspConfig());
  const SigningIdentity peer = org.Issue("peer0", NodeRole::kPeer);
  const std::string pem = peer.certificate().ToPem();
  const std::vector<std::string> encodings = {
      pem,
      "Certificate:\n    Data: whatever `openssl x509 -text` writes before the PEM\n" + pem,
      absl::StrReplaceAll(pem, {{"\n", "\r\n"}}),
      pem + "\n \t\n",
  };
  std::vector<std::shared_ptr<const Identity>> identities;
  for (const std::string& encoding : encodings) {
    auto identity = msp->DeserializeIdentity(WithIdBytes("Hospital1MSP", encoding));
    ASSERT_TRUE(identity.ok()) << identity.status();
    identities.push_back(*std::move(identity));
  }
  for (size_t i = 1; i < identities.size(); ++i) {
    EXPECT_NE(identities[i]->serialized(), identities[0]->serialized()) << i;
    EXPECT_EQ(identities[i]->signer_key(), identities[0]->signer_key()) << i;
  }
  // MSP ID, then the key as OpenSSL writes it for a named curve and an uncompressed point.
  const std::string expected = absl::StrCat("12:Hospital1MSP", peer.certificate().public_key().ToDer());
  EXPECT_EQ(identities[0]->signer_key(), expected);

  auto other = msp->DeserializeIdentity(Serialized(org.Issue("peer1", NodeRole::kPeer)));
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_NE((*other)->signer_key(), identities[0]->signer_key());
}

// A signature proves possession of a key: every certificate an MSP issues over one key names one signer,
// whichever way the certificate writes the key. The same key vouched for by another MSP is that MSP's signer.
TEST(MspSignerKeyTest, OneKeyInSeveralCertificatesIsOneSignerPerMsp) {
  TestOrg org("Hospital1MSP");
  TestOrg other_org("Hospital2MSP");
  auto msp = MakeMsp(org.MspConfig());
  auto other_msp = MakeMsp(other_org.MspConfig());
  const crypto::PublicKey key = crypto::PrivateKey::Generate()->public_key();
  absl::StatusOr<crypto::PublicKey> compressed = crypto::PublicKey::FromDer(CompressedSpki(key));
  ASSERT_TRUE(compressed.ok()) << compressed.status();

  const crypto::Certificate first = org.IssueForKey("peer0", NodeRole::kPeer, key);
  const crypto::Certificate renewed = org.IssueForKey("peer0-renewed", NodeRole::kPeer, key);
  const crypto::Certificate written_compressed = org.IssueForKey("peer0-compressed", NodeRole::kPeer, *compressed);
  ASSERT_NE(written_compressed.public_key().ToDer(), key.ToDer());  // the certificate really differs in form
  std::vector<std::string> signer_keys;
  for (const crypto::Certificate* cert : {&first, &renewed, &written_compressed}) {
    auto identity = msp->DeserializeIdentity(WithIdBytes("Hospital1MSP", cert->ToPem()));
    ASSERT_TRUE(identity.ok()) << identity.status();
    signer_keys.emplace_back((*identity)->signer_key());
  }
  EXPECT_THAT(signer_keys, ::testing::Each(signer_keys[0]));

  auto elsewhere = other_msp->DeserializeIdentity(
      WithIdBytes("Hospital2MSP", other_org.IssueForKey("peer0", NodeRole::kPeer, key).ToPem()));
  ASSERT_TRUE(elsewhere.ok()) << elsewhere.status();
  EXPECT_NE((*elsewhere)->signer_key(), signer_keys[0]);
}

// Text before the certificate is skipped, as Fabric's pem.Decode does (see the test above); anything but
// whitespace after it is refused.
TEST(MspTest, RefusesAnythingButWhitespaceAfterTheCertificate) {
  TestOrg org("Hospital1MSP");
  auto msp = MakeMsp(org.MspConfig());
  const std::string pem = org.Issue("peer0", NodeRole::kPeer).certificate().ToPem();

  auto trailing = msp->DeserializeIdentity(WithIdBytes("Hospital1MSP", pem + "and then some"));
  EXPECT_EQ(trailing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(trailing.status().message(),
              HasSubstr("identity of MSP Hospital1MSP: 13 bytes follow the certificate's PEM block"));

  const std::string second = org.Issue("peer1", NodeRole::kPeer).certificate().ToPem();
  auto two = msp->DeserializeIdentity(WithIdBytes("Hospital1MSP", pem + second));
  EXPECT_EQ(two.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(two.status().message(), HasSubstr("expected one certificate, found 2"));

  // A first block that is not the certificate: Fabric would try to read it as the certificate and fail.
  const std::string key_pem = org.Issue("peer2", NodeRole::kPeer).certificate().public_key().ToPem();
  auto key_first = msp->DeserializeIdentity(WithIdBytes("Hospital1MSP", key_pem + pem));
  EXPECT_EQ(key_first.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(key_first.status().message(), HasSubstr("follow the certificate's PEM block"));
}

TEST(MspTest, OuIdentifierPinnedToACaAcceptsOnlyThatCa) {
  TestOrg org("Hospital1MSP", /*with_intermediate=*/true);
  ::msp::FabricMSPConfig c = org.MspConfig();
  c.mutable_fabric_node_ous()->mutable_client_ou_identifier()->set_certificate(org.issuing_cert().ToPem());
  auto msp = MakeMsp(c);
  EXPECT_TRUE(msp->DeserializeIdentity(Serialized(org.Issue("c", NodeRole::kClient))).ok());
}

}  // namespace
}  // namespace careledger::msp
