#include "msp/msp_dir.h"

#include <sys/stat.h>

#include "common/file/file_io.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "msp/msp.h"
#include "msp/testing/test_org.h"

namespace careledger::msp {
namespace {

using ::testing::HasSubstr;
using testing::TestOrg;

class MspDirTest : public ::testing::Test {
 protected:

  MspFolder PeerFolder(const TestOrg& org, const std::vector<std::string>& crls) {
    auto [cert, key] = org.IssueWithKey("peer0", {"peer"});
    MspFolder folder;
    folder.ca_certs = {org.root_cert()};
    folder.intermediate_certs = {org.issuing_cert()};
    folder.tls_ca_certs = {org.root_cert()};
    folder.crls = crls;
    folder.sign_cert = cert;
    folder.private_key = key;
    return folder;
  }

  careledger::testing::ScopedTempDir temp_;
  const std::string dir_ = temp_.Path("msp");
};

TEST_F(MspDirTest, WrittenFolderLoadsBackAsAWorkingMspAndSigner) {
  TestOrg org("Hospital1MSP", /*with_intermediate=*/true);
  SigningIdentity revoked = org.Issue("gone", NodeRole::kClient);
  ASSERT_TRUE(WriteMspFolder(dir_, PeerFolder(org, {org.Crl({revoked.certificate()})})).ok());

  auto config = LoadMspConfig(dir_, "Hospital1MSP");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_TRUE(config->fabric_node_ous().enable());
  EXPECT_EQ(config->fabric_node_ous().peer_ou_identifier().organizational_unit_identifier(), "peer");
  EXPECT_EQ(config->fabric_node_ous().peer_ou_identifier().certificate(), org.issuing_cert().ToPem());
  auto msp = Msp::Create(*config);
  ASSERT_TRUE(msp.ok()) << msp.status();

  auto signer = LoadSigningIdentity(dir_, "Hospital1MSP");
  ASSERT_TRUE(signer.ok()) << signer.status();
  ::msp::SerializedIdentity s;
  ASSERT_TRUE(s.ParseFromString(signer->SerializedIdentity()));
  auto identity = (*msp)->DeserializeIdentity(s);
  ASSERT_TRUE(identity.ok()) << identity.status();
  EXPECT_EQ((*identity)->role(), NodeRole::kPeer);
  EXPECT_TRUE((*identity)->Verify("m", *signer->Sign("m")).ok());

  ::msp::SerializedIdentity gone;
  gone.ParseFromString(revoked.SerializedIdentity());
  EXPECT_THAT((*msp)->DeserializeIdentity(gone).status().message(), HasSubstr("revoked"));

  struct stat st {};
  ASSERT_EQ(::stat((dir_ + "/keystore/priv_sk").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(MspDirTest, NeverOverwritesAPrivateKey) {
  TestOrg org("Hospital1MSP");
  ASSERT_TRUE(WriteMspFolder(dir_, PeerFolder(org, {})).ok());
  const std::string before = *file::ReadFile(dir_ + "/keystore/priv_sk");
  absl::Status again = WriteMspFolder(dir_, PeerFolder(org, {}));
  EXPECT_EQ(again.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(*file::ReadFile(dir_ + "/keystore/priv_sk"), before);
}

TEST_F(MspDirTest, ReplaceCrlsRemovesStaleOnes) {
  TestOrg org("Hospital1MSP");
  MspFolder folder = PeerFolder(org, {org.Crl({}), org.Crl({})});
  ASSERT_TRUE(WriteMspFolder(dir_, folder).ok());
  ASSERT_TRUE(ReplaceCrls(dir_, {org.Crl({})}).ok());
  EXPECT_EQ(LoadMspConfig(dir_, "Hospital1MSP")->revocation_list_size(), 1);
}

TEST_F(MspDirTest, ReportsWhatIsMissingOrMalformed) {
  EXPECT_EQ(LoadMspConfig(dir_ + "/nope", "X").status().code(), absl::StatusCode::kNotFound);
  TestOrg org("Hospital1MSP");
  ASSERT_TRUE(WriteMspFolder(dir_, PeerFolder(org, {})).ok());

  ASSERT_TRUE(file::WriteFileAtomic(dir_ + "/cacerts/junk.pem", "not a certificate").ok());
  EXPECT_THAT(LoadMspConfig(dir_, "X").status().message(), HasSubstr("cacerts/junk.pem"));
  ASSERT_TRUE(file::RemoveFile(dir_ + "/cacerts/junk.pem").ok());

  ASSERT_TRUE(file::WriteFileAtomic(dir_ + "/config.yaml", "NodeOUs:\n  Enable: true\n  Colour: red\n").ok());
  EXPECT_THAT(LoadMspConfig(dir_, "X").status().message(), HasSubstr("config.yaml:3:3: NodeOUs.Colour: unknown key"));
  ASSERT_TRUE(file::WriteFileAtomic(
                  dir_ + "/config.yaml",
                  "NodeOUs:\n  Enable: true\n  ClientOUIdentifier:\n    Certificate: cacerts/none.pem\n"
                  "    OrganizationalUnitIdentifier: client\n")
                  .ok());
  EXPECT_THAT(LoadMspConfig(dir_, "X").status().message(), HasSubstr("ClientOUIdentifier.Certificate"));

  // A keystore whose key belongs to another certificate.
  ASSERT_TRUE(file::RemoveFile(dir_ + "/keystore/priv_sk").ok());
  ASSERT_TRUE(file::WriteFileAtomic(dir_ + "/keystore/other_sk", crypto::PrivateKey::Generate()->ToPem(), 0600).ok());
  EXPECT_THAT(LoadSigningIdentity(dir_, "X").status().message(), HasSubstr("no private key matches"));
  ASSERT_TRUE(file::WriteFileAtomic(dir_ + "/signcerts/second.pem", org.root_cert().ToPem()).ok());
  EXPECT_THAT(LoadSigningIdentity(dir_, "X").status().message(), HasSubstr("expected one certificate, found 2"));
}

}  // namespace
}  // namespace careledger::msp
