#include "network/client/vault_client.h"

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "careledger/vault.grpc.pb.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "msp/msp_manager.h"
#include "msp/testing/test_org.h"
#include "peer/vault/testing/health_ledger.h"
#include "peer/vault/vault_service.h"

namespace careledger::client {
namespace {

using ::testing::HasSubstr;

TEST(VaultLocationTest, ParsesAndRefuses) {
  const std::string sha = DocumentSha256("x");
  absl::StatusOr<VaultLocation> location = ParseVaultLocation("vault://peer0.hospital1.example.org/" + sha);
  ASSERT_TRUE(location.ok()) << location.status();
  EXPECT_EQ(location->node_name, "peer0.hospital1.example.org");
  EXPECT_EQ(location->sha256, sha);
  for (const std::string& bad : {"https://peer0/" + sha, "vault:///" + sha, "vault://peer0/" + sha.substr(1),
                                 std::string("vault://peer0"), std::string("vault://peer0/") + std::string(64, 'G')}) {
    EXPECT_EQ(ParseVaultLocation(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

std::unique_ptr<grpc::Server> Serve(grpc::Service* service, int* port) {
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), port);
  builder.RegisterService(service);
  return builder.BuildAndStart();
}

class VaultClientTest : public ::testing::Test {
 protected:
  VaultClientTest()
      : health_(dir_.Path("ledger"), "patients"),
        msps_(*msp::MspManager::FromDefinitions({hospital1_.MspConfig()})),
        channels_("patients", *msps_, health_.ledger()),
        store_(*vault::DocumentStore::Open(dir_.Path("vault"), *vault::MasterKey::FromBytes(std::string(32, 'm')))),
        used_(*vault::UsedAccessTransactions::Open(dir_.Path("used"))) {
    vault::VaultServiceOptions options;
    options.node_name = "peer0.hospital1.example.org";
    options.local_msp_id = "Hospital1MSP";
    service_ = std::make_unique<vault::VaultService>(channels_, *store_, *used_, std::move(options));
    int port = 0;
    server_ = Serve(service_.get(), &port);
    endpoint_.address = "127.0.0.1:" + std::to_string(port);
    health_.CommitPatient("P-2001", "Hospital1MSP");
  }
  ~VaultClientTest() override { server_->Shutdown(); }

  VaultClient ClientOf(const msp::SigningIdentity& who) {
    return *VaultClient::Connect(endpoint_, std::make_shared<const msp::SigningIdentity>(who));
  }

  careledger::testing::ScopedTempDir dir_;
  const msp::testing::TestOrg hospital1_{"Hospital1MSP"};
  const msp::SigningIdentity alice_ =
      hospital1_.Issue("alice", {"client"}, {{"role", "doctor"}, {"person_id", "D-1001"}});
  const msp::SigningIdentity bob_ =
      hospital1_.Issue("bob", {"client"}, {{"role", "patient"}, {"person_id", "P-2001"}});
  vault::testing::HealthLedger health_;
  std::unique_ptr<msp::MspManager> msps_;
  vault::testing::OneChannel channels_;
  std::unique_ptr<vault::DocumentStore> store_;
  std::unique_ptr<vault::UsedAccessTransactions> used_;
  std::unique_ptr<vault::VaultService> service_;
  std::unique_ptr<grpc::Server> server_;
  GatewayEndpoint endpoint_;
};

TEST_F(VaultClientTest, UploadDownloadErase) {
  const std::string report = "radiology report";
  VaultClient alice = ClientOf(alice_);
  absl::StatusOr<UploadedDocument> uploaded = alice.Upload("patients", report);
  ASSERT_TRUE(uploaded.ok()) << uploaded.status();
  EXPECT_EQ(uploaded->sha256, DocumentSha256(report));
  EXPECT_EQ(uploaded->location, "vault://peer0.hospital1.example.org/" + DocumentSha256(report));
  health_.CommitRecordVersion("R-1", "P-2001", 1, uploaded->sha256);

  vault::testing::AccessSpec spec;
  spec.creator = &alice_;
  spec.sha256 = uploaded->sha256;
  spec.timestamp = absl::Now();
  const std::string access = health_.CommitAccess(spec);
  absl::StatusOr<std::string> document = alice.Download("patients", "R-1", 1, uploaded->sha256, access);
  ASSERT_TRUE(document.ok()) << document.status();
  EXPECT_EQ(*document, report);

  absl::StatusOr<std::vector<ErasedDocument>> erased = ClientOf(bob_).Erase("patients", "R-1");
  ASSERT_TRUE(erased.ok()) << erased.status();
  ASSERT_EQ(erased->size(), 1u);
  EXPECT_EQ((*erased)[0].sha256, uploaded->sha256);
}

TEST_F(VaultClientTest, ErrorsKeepTheVaultsCodeAndNameTheAddress) {
  const absl::StatusOr<UploadedDocument> refused = ClientOf(bob_).Upload("patients", "x");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("vault Upload at " + endpoint_.address));
}

// A vault that answers every download with other bytes than asked for.
class LyingVault final : public ::careledger::vault::Vault::Service {
 public:
  grpc::Status Download(grpc::ServerContext*, const ::careledger::vault::SignedVaultRequest*,
                        ::careledger::vault::DownloadResponse* response) override {
    response->set_content("not the document");
    return grpc::Status::OK;
  }
};

TEST_F(VaultClientTest, DownloadChecksTheBytesAgainstTheLedgersHash) {
  LyingVault liar;
  int port = 0;
  std::unique_ptr<grpc::Server> server = Serve(&liar, &port);
  GatewayEndpoint endpoint;
  endpoint.address = "127.0.0.1:" + std::to_string(port);
  VaultClient client = *VaultClient::Connect(endpoint, std::make_shared<const msp::SigningIdentity>(alice_));
  const absl::StatusOr<std::string> document =
      client.Download("patients", "R-1", 1, DocumentSha256("the document"), std::string(64, 'a'));
  EXPECT_EQ(document.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(document.status().message()),
              HasSubstr("not the ledger's " + DocumentSha256("the document")));
  server->Shutdown();
}

}  // namespace
}  // namespace careledger::client
