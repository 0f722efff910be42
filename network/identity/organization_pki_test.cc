#include "network/identity/organization_pki.h"

#include "common/file/file_io.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "msp/msp.h"
#include "msp/msp_dir.h"

namespace careledger::network {
namespace {

using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1790000000);

class OrganizationPkiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spec_.name = "Hospital1";
    spec_.msp_id = "Hospital1MSP";
    spec_.domain = "hospital1.example.org";
    spec_.intermediate_ca = true;
  }

  // The organisation's MSP exactly as a node would build it from disk.
  std::shared_ptr<const msp::Msp> MspFromDisk() {
    auto config = msp::LoadMspConfig(dir_ + "/msp", spec_.msp_id);
    EXPECT_TRUE(config.ok()) << config.status();
    auto m = msp::Msp::Create(*config);
    EXPECT_TRUE(m.ok()) << m.status();
    return *m;
  }

  absl::StatusOr<std::shared_ptr<const msp::Identity>> LoadAndValidate(const std::string& identity_dir) {
    auto signer = msp::LoadSigningIdentity(identity_dir + "/msp", spec_.msp_id);
    if (!signer.ok()) return signer.status();
    ::msp::SerializedIdentity s;
    s.ParseFromString(signer->SerializedIdentity());
    return MspFromDisk()->DeserializeIdentity(s);
  }

  careledger::testing::ScopedTempDir temp_;
  const std::string dir_ = temp_.Path("hospital1.example.org");
  OrganizationSpec spec_;
};

TEST_F(OrganizationPkiTest, IssuedIdentitiesValidateAgainstTheOrganizationMspOnDisk) {
  auto pki = OrganizationPki::OpenOrCreate(dir_, spec_, kNow);
  ASSERT_TRUE(pki.ok()) << pki.status();
  auto peer = pki->Issue({IdentityKind::kPeer, "peer0", msp::NodeRole::kPeer, {}}, kNow);
  ASSERT_TRUE(peer.ok()) << peer.status();
  EXPECT_EQ(peer->full_name, "peer0.hospital1.example.org");
  auto doctor = pki->Issue({IdentityKind::kUser, "dr.alice", msp::NodeRole::kClient,
                            {{"role", "doctor"}, {"person_id", "D-1001"}}},
                           kNow);
  ASSERT_TRUE(doctor.ok()) << doctor.status();
  EXPECT_EQ(doctor->dir, dir_ + "/users/dr.alice@hospital1.example.org");

  auto peer_id = LoadAndValidate(peer->dir);
  ASSERT_TRUE(peer_id.ok()) << peer_id.status();
  EXPECT_EQ((*peer_id)->role(), msp::NodeRole::kPeer);
  EXPECT_EQ((*peer_id)->chain().size(), 3u);  // leaf, intermediate, root
  auto doctor_id = LoadAndValidate(doctor->dir);
  ASSERT_TRUE(doctor_id.ok()) << doctor_id.status();
  EXPECT_EQ((*doctor_id)->Attribute("role"), "doctor");
  EXPECT_EQ((*doctor_id)->Attribute("person_id"), "D-1001");
}

TEST_F(OrganizationPkiTest, TlsMaterialChainsToTheTlsCaAndNamesTheHost) {
  auto pki = OrganizationPki::OpenOrCreate(dir_, spec_, kNow);
  ASSERT_TRUE(pki.ok());
  auto peer = pki->Issue({IdentityKind::kPeer, "peer0", msp::NodeRole::kPeer, {}}, kNow);
  ASSERT_TRUE(peer.ok());
  auto server = crypto::Certificate::FromPem(*file::ReadFile(peer->dir + "/tls/server.crt"));
  ASSERT_TRUE(server.ok());
  EXPECT_TRUE(server->CheckIssuedBy(pki->tls_root_cert()).ok());
  EXPECT_THAT(server->dns_names(), ::testing::ElementsAre("peer0.hospital1.example.org", "peer0", "localhost"));
  EXPECT_THAT(server->ip_addresses(), ::testing::ElementsAre("127.0.0.1"));
  auto key = crypto::PrivateKey::FromPem(*file::ReadFile(peer->dir + "/tls/server.key"));
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->public_key(), server->public_key());
  EXPECT_EQ(*file::ReadFile(peer->dir + "/tls/ca.crt"), pki->tls_root_cert().ToPem());
}

TEST_F(OrganizationPkiTest, ReopeningKeepsCasAndIdentities) {
  std::string root_pem, peer_pem;
  {
    auto pki = OrganizationPki::OpenOrCreate(dir_, spec_, kNow);
    ASSERT_TRUE(pki.ok());
    root_pem = pki->root_cert().ToPem();
    ASSERT_TRUE(pki->Issue({IdentityKind::kPeer, "peer0", msp::NodeRole::kPeer, {}}, kNow).ok());
    peer_pem = *file::ReadFile(dir_ + "/peers/peer0.hospital1.example.org/msp/signcerts/cert.pem");
  }
  auto again = OrganizationPki::OpenOrCreate(dir_, spec_, kNow + absl::Hours(1));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->root_cert().ToPem(), root_pem);
  auto twice = again->Issue({IdentityKind::kPeer, "peer0", msp::NodeRole::kPeer, {}}, kNow);
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(*file::ReadFile(dir_ + "/peers/peer0.hospital1.example.org/msp/signcerts/cert.pem"), peer_pem);
}

TEST_F(OrganizationPkiTest, RevocationReachesEveryMspFolder) {
  auto pki = OrganizationPki::OpenOrCreate(dir_, spec_, kNow);
  ASSERT_TRUE(pki.ok());
  auto gone = pki->Issue({IdentityKind::kUser, "dr.gone", msp::NodeRole::kClient, {}}, kNow);
  auto kept = pki->Issue({IdentityKind::kUser, "dr.kept", msp::NodeRole::kClient, {}}, kNow);
  auto peer = pki->Issue({IdentityKind::kPeer, "peer0", msp::NodeRole::kPeer, {}}, kNow);
  ASSERT_TRUE(gone.ok() && kept.ok() && peer.ok());
  ASSERT_TRUE(LoadAndValidate(gone->dir).ok());

  auto crl = pki->Revoke(gone->dir, kNow + absl::Hours(1));
  ASSERT_TRUE(crl.ok()) << crl.status();
  auto rejected = LoadAndValidate(gone->dir);
  EXPECT_EQ(rejected.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(rejected.status().message(), HasSubstr("revoked"));
  EXPECT_TRUE(LoadAndValidate(kept->dir).ok());
  // The peer's own msp/ folder got the CRL too.
  EXPECT_EQ(*file::ReadFile(peer->dir + "/msp/crls/crl-0.pem"), crl->ToPem());
  EXPECT_EQ(pki->Revoke(gone->dir, kNow).status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(pki->Revoke(dir_ + "/users/nobody", kNow).status().code(), absl::StatusCode::kNotFound);

  // Revocations survive reopening, and listing shows them.
  auto reopened = OrganizationPki::OpenOrCreate(dir_, spec_, kNow + absl::Hours(2));
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  auto list = reopened->ListIdentities();
  ASSERT_TRUE(list.ok());
  int revoked = 0;
  for (const IdentityInfo& id : *list) revoked += id.revoked ? 1 : 0;
  EXPECT_EQ(revoked, 1);
  EXPECT_EQ(list->size(), 3u);
  EXPECT_EQ(list->front().kind, IdentityKind::kPeer);
}

TEST_F(OrganizationPkiTest, RefusesInconsistentCaMaterial) {
  ASSERT_TRUE(OrganizationPki::OpenOrCreate(dir_, spec_, kNow).ok());
  OrganizationSpec no_intermediate = spec_;
  no_intermediate.intermediate_ca = false;
  EXPECT_THAT(OrganizationPki::OpenOrCreate(dir_, no_intermediate, kNow).status().message(),
              HasSubstr("intermediate CA"));
  // A CA key replaced by a different key: refuse rather than issue from a mismatched pair.
  ASSERT_TRUE(file::WriteFileAtomic(dir_ + "/tlsca/tlsca-key.pem", crypto::PrivateKey::Generate()->ToPem(), 0600).ok());
  auto mismatched = OrganizationPki::OpenOrCreate(dir_, spec_, kNow);
  EXPECT_EQ(mismatched.status().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(file::RemoveFile(dir_ + "/tlsca/tlsca-key.pem").ok());
  EXPECT_THAT(OrganizationPki::OpenOrCreate(dir_, spec_, kNow).status().message(), HasSubstr("refusing to replace"));
}

}  // namespace
}  // namespace careledger::network
