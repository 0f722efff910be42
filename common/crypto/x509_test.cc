#include "common/crypto/x509.h"

#include "common/crypto/x509_issuer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::crypto {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const absl::Time kStart = absl::FromUnixSeconds(1700000000);  // 2023-11-14
const absl::Time kEnd = kStart + absl::Hours(24 * 365 * 10);

struct Ca {
  PrivateKey key;
  Certificate cert;
};

CertificateTemplate CaTemplate(const std::string& cn) {
  CertificateTemplate t;
  t.subject.common_name = cn;
  t.subject.organization = "Hospital1";
  t.subject.country = "US";
  t.not_before = kStart;
  t.not_after = kEnd;
  t.is_ca = true;
  return t;
}

Ca MakeRoot(const std::string& cn) {
  PrivateKey key = *PrivateKey::Generate();
  auto cert = IssueCertificate(CaTemplate(cn), key.public_key(), key, nullptr);
  EXPECT_TRUE(cert.ok()) << cert.status();
  return {key, *cert};
}

Ca MakeIntermediate(const Ca& parent, const std::string& cn) {
  PrivateKey key = *PrivateKey::Generate();
  auto cert = IssueCertificate(CaTemplate(cn), key.public_key(), parent.key, &parent.cert);
  EXPECT_TRUE(cert.ok()) << cert.status();
  return {key, *cert};
}

Certificate MakeLeaf(const Ca& ca, const std::string& cn, absl::Time not_before = kStart,
                     absl::Time not_after = kEnd) {
  CertificateTemplate t;
  t.subject.common_name = cn;
  t.subject.organization = "Hospital1";
  t.subject.organizational_units = {"client", "cardiology"};
  t.not_before = not_before;
  t.not_after = not_after;
  t.dns_names = {"peer0.hospital1.example.org", "localhost"};
  t.ip_addresses = {"127.0.0.1", "::1"};
  t.server_auth = true;
  t.extensions.push_back({"1.2.3.4.5.6.7.8.1", R"({"attrs":{"role":"doctor"}})", false});
  PrivateKey key = *PrivateKey::Generate();
  auto cert = IssueCertificate(t, key.public_key(), ca.key, &ca.cert);
  EXPECT_TRUE(cert.ok()) << cert.status();
  return *cert;
}

TEST(CertificateTest, IssuedFieldsReadBack) {
  Ca root = MakeRoot("ca.hospital1");
  Certificate leaf = MakeLeaf(root, "dr.alice");
  EXPECT_EQ(leaf.subject().common_name, "dr.alice");
  EXPECT_EQ(leaf.subject().organization, "Hospital1");
  EXPECT_THAT(leaf.subject().organizational_units, ElementsAre("client", "cardiology"));
  EXPECT_EQ(leaf.issuer().common_name, "ca.hospital1");
  EXPECT_EQ(leaf.not_before(), kStart);
  EXPECT_EQ(leaf.not_after(), kEnd);
  EXPECT_FALSE(leaf.is_ca());
  EXPECT_TRUE(root.cert.is_ca());
  EXPECT_THAT(leaf.dns_names(), ElementsAre("peer0.hospital1.example.org", "localhost"));
  EXPECT_THAT(leaf.ip_addresses(), ElementsAre("127.0.0.1", "::1"));
  EXPECT_EQ(leaf.serial_number().size(), 16u);
  EXPECT_EQ(leaf.subject_key_id().size(), 32u);  // SHA-256 of the point, as Fabric's cryptogen
  EXPECT_EQ(leaf.authority_key_id(), root.cert.subject_key_id());
  EXPECT_EQ(root.cert.authority_key_id(), root.cert.subject_key_id());
  EXPECT_EQ(leaf.ExtensionValue("1.2.3.4.5.6.7.8.1"), R"({"attrs":{"role":"doctor"}})");
  EXPECT_EQ(leaf.ExtensionValue("1.2.3.4.5.6.7.8.2"), std::nullopt);
  EXPECT_EQ(leaf.ExtensionValue("not an oid"), std::nullopt);
  EXPECT_THAT(leaf.subject().one_line, HasSubstr("CN=dr.alice"));
}

TEST(CertificateTest, PemAndDerRoundTrip) {
  Ca root = MakeRoot("ca");
  auto from_pem = Certificate::FromPem(root.cert.ToPem());
  auto from_der = Certificate::FromDer(root.cert.der());
  ASSERT_TRUE(from_pem.ok() && from_der.ok());
  EXPECT_EQ(*from_pem, root.cert);
  EXPECT_EQ(*from_der, root.cert);
  EXPECT_EQ(from_pem->public_key(), root.key.public_key());
}

TEST(CertificateTest, BundleParsesEveryCertificateAndFromPemWantsExactlyOne) {
  Ca a = MakeRoot("a");
  Ca b = MakeRoot("b");
  const std::string bundle = "comment\n" + a.cert.ToPem() + b.cert.ToPem();
  auto certs = Certificate::ParsePemBundle(bundle);
  ASSERT_TRUE(certs.ok()) << certs.status();
  EXPECT_THAT(*certs, ElementsAre(a.cert, b.cert));
  EXPECT_THAT(Certificate::FromPem(bundle).status().message(), HasSubstr("expected one certificate, found 2"));
}

TEST(CertificateTest, RejectsMalformedInput) {
  EXPECT_THAT(Certificate::FromPem("").status().message(), HasSubstr("no PEM CERTIFICATE"));
  EXPECT_EQ(Certificate::FromPem("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n").status().code(),
            absl::StatusCode::kInvalidArgument);
  Ca root = MakeRoot("ca");
  std::string der = root.cert.der();
  EXPECT_THAT(Certificate::FromDer(der + "x").status().message(), HasSubstr("trailing bytes"));
  EXPECT_EQ(Certificate::FromDer(der.substr(0, der.size() / 2)).status().code(), absl::StatusCode::kInvalidArgument);
  // Flip every byte in turn: parsing must never crash, and whatever parses must be a different certificate.
  for (size_t i = 0; i < der.size(); i += 7) {
    std::string mutated = der;
    mutated[i] = static_cast<char>(mutated[i] ^ 0x5a);
    auto cert = Certificate::FromDer(mutated);
    if (cert.ok()) {
      EXPECT_NE(cert->der(), der);
    }
  }
  EXPECT_THAT(Certificate::FromPem(std::string(2 << 20, 'A')).status().message(), HasSubstr("larger than 1 MiB"));
}

TEST(CertificateTest, CheckIssuedBy) {
  Ca root = MakeRoot("root");
  Ca other = MakeRoot("other");
  Certificate leaf = MakeLeaf(root, "leaf");
  EXPECT_TRUE(leaf.CheckIssuedBy(root.cert).ok());
  EXPECT_EQ(leaf.CheckIssuedBy(other.cert).code(), absl::StatusCode::kPermissionDenied);
  // Same name as root, different key: the name matches but the signature does not.
  Ca impostor = MakeRoot("root");
  EXPECT_EQ(leaf.CheckIssuedBy(impostor.cert).code(), absl::StatusCode::kPermissionDenied);
}

TEST(ChainVerifierTest, VerifiesThroughIntermediatesAndReturnsChain) {
  Ca root = MakeRoot("root");
  Ca inter = MakeIntermediate(root, "intermediate");
  Certificate leaf = MakeLeaf(inter, "leaf");
  std::vector<Certificate> roots = {root.cert};
  std::vector<Certificate> intermediates = {inter.cert};
  auto verifier = ChainVerifier::Create(roots, intermediates);
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  auto chain = verifier->Verify(leaf, kStart + absl::Hours(1));
  ASSERT_TRUE(chain.ok()) << chain.status();
  EXPECT_THAT(*chain, ElementsAre(leaf, inter.cert, root.cert));
}

TEST(ChainVerifierTest, MissingIntermediateOrForeignRootFails) {
  Ca root = MakeRoot("root");
  Ca inter = MakeIntermediate(root, "intermediate");
  Certificate leaf = MakeLeaf(inter, "leaf");
  std::vector<Certificate> roots = {root.cert};
  auto no_intermediates = ChainVerifier::Create(roots, {});
  ASSERT_TRUE(no_intermediates.ok());
  auto result = no_intermediates->Verify(leaf, std::nullopt);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(result.status().message(), HasSubstr("does not chain to a trusted root"));

  Ca foreign = MakeRoot("foreign");
  std::vector<Certificate> foreign_roots = {foreign.cert};
  auto verifier = ChainVerifier::Create(foreign_roots, {});
  EXPECT_FALSE(verifier->Verify(MakeLeaf(root, "x"), std::nullopt).ok());
}

TEST(ChainVerifierTest, TimeIsCheckedOnlyWhenGiven) {
  Ca root = MakeRoot("root");
  Certificate expired = MakeLeaf(root, "leaf", kStart, kStart + absl::Hours(1));
  std::vector<Certificate> roots = {root.cert};
  auto verifier = ChainVerifier::Create(roots, {});
  ASSERT_TRUE(verifier.ok());
  EXPECT_TRUE(verifier->Verify(expired, kStart + absl::Minutes(30)).ok());
  auto late = verifier->Verify(expired, kStart + absl::Hours(2));
  EXPECT_THAT(late.status().message(), HasSubstr("expired"));
  EXPECT_THAT(verifier->Verify(expired, kStart - absl::Hours(1)).status().message(), HasSubstr("not yet valid"));
  EXPECT_TRUE(verifier->Verify(expired, std::nullopt).ok());
}

TEST(ChainVerifierTest, RejectsNonCaRootsAndLeafActingAsCa) {
  Ca root = MakeRoot("root");
  Certificate leaf = MakeLeaf(root, "leaf");
  std::vector<Certificate> bad_roots = {leaf};
  EXPECT_THAT(ChainVerifier::Create(bad_roots, {}).status().message(), HasSubstr("not a CA"));
  EXPECT_THAT(ChainVerifier::Create({}, {}).status().message(), HasSubstr("at least one root"));
}

TEST(IssuerTest, RejectsInconsistentTemplates) {
  Ca root = MakeRoot("root");
  PrivateKey key = *PrivateKey::Generate();
  CertificateTemplate t = CaTemplate("x");
  t.is_ca = false;
  t.subject.common_name = "";
  EXPECT_THAT(IssueCertificate(t, key.public_key(), root.key, &root.cert).status().message(),
              HasSubstr("common name"));
  t.subject.common_name = "x";
  t.not_after = t.not_before;
  EXPECT_THAT(IssueCertificate(t, key.public_key(), root.key, &root.cert).status().message(), HasSubstr("not_after"));
  t.not_after = kEnd;
  t.ip_addresses = {"300.1.1.1"};
  EXPECT_THAT(IssueCertificate(t, key.public_key(), root.key, &root.cert).status().message(),
              HasSubstr("not an IPv4 or IPv6"));
  t.ip_addresses.clear();
  t.extensions = {{"bogus", "v", false}};
  EXPECT_THAT(IssueCertificate(t, key.public_key(), root.key, &root.cert).status().message(),
              HasSubstr("not a dotted OID"));
  t.extensions.clear();
  EXPECT_THAT(IssueCertificate(t, key.public_key(), key, &root.cert).status().message(), HasSubstr("signing key"));
  EXPECT_THAT(IssueCertificate(t, key.public_key(), root.key, nullptr).status().message(), HasSubstr("self-signed"));
  Certificate leaf = MakeLeaf(root, "leaf");
  EXPECT_THAT(IssueCertificate(t, key.public_key(), root.key, &leaf).status().message(), HasSubstr("not a CA"));
}

TEST(CrlTest, IssuedCrlRevokesListedSerialsOnly) {
  Ca root = MakeRoot("root");
  Certificate revoked = MakeLeaf(root, "revoked");
  Certificate kept = MakeLeaf(root, "kept");
  CrlTemplate t;
  t.revoked = {{revoked.serial_number(), kStart + absl::Hours(2)}};
  t.this_update = kStart + absl::Hours(3);
  t.next_update = kStart + absl::Hours(24 * 30);
  t.crl_number = 7;
  auto crl = IssueCrl(t, root.cert, root.key);
  ASSERT_TRUE(crl.ok()) << crl.status();
  EXPECT_TRUE(crl->Revokes(revoked));
  EXPECT_FALSE(crl->Revokes(kept));
  EXPECT_TRUE(crl->CheckIssuedBy(root.cert).ok());
  EXPECT_EQ(crl->authority_key_id(), root.cert.subject_key_id());
  EXPECT_EQ(crl->this_update(), t.this_update);
  EXPECT_EQ(crl->next_update(), t.next_update);

  auto reparsed = Crl::FromPem(crl->ToPem());
  ASSERT_TRUE(reparsed.ok()) << reparsed.status();
  EXPECT_THAT(reparsed->revoked_serials(), ElementsAre(revoked.serial_number()));
  EXPECT_TRUE(Crl::FromDer(crl->der()).ok());

  // A certificate with the same serial from another CA is not revoked by this CRL.
  Ca other = MakeRoot("other");
  CertificateTemplate lt = CaTemplate("same-serial");
  lt.is_ca = false;
  lt.serial_number = revoked.serial_number();
  PrivateKey k = *PrivateKey::Generate();
  Certificate foreign = *IssueCertificate(lt, k.public_key(), other.key, &other.cert);
  EXPECT_FALSE(crl->Revokes(foreign));
  EXPECT_EQ(crl->CheckIssuedBy(other.cert).code(), absl::StatusCode::kPermissionDenied);
}

TEST(CrlTest, RejectsMalformedInput) {
  EXPECT_EQ(Crl::FromPem("nothing").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Crl::FromDer("\x30\x00").status().code(), absl::StatusCode::kInvalidArgument);
  Ca root = MakeRoot("root");
  CrlTemplate t;
  t.this_update = kStart;
  t.next_update = kStart;
  EXPECT_THAT(IssueCrl(t, root.cert, root.key).status().message(), HasSubstr("next_update"));
}

}  // namespace
}  // namespace careledger::crypto
