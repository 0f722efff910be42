#include "peer/vault/vault_service.h"

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "common/crypto/sha256.h"
#include "common/encoding/hex.h"
#include "common/file/file_io.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "msp/msp_manager.h"
#include "msp/testing/test_org.h"
#include "peer/vault/request_signing.h"
#include "peer/vault/testing/health_ledger.h"

namespace careledger::vault {
namespace {

using ::careledger::vault::DownloadResponse;
using ::careledger::vault::EraseResponse;
using ::careledger::vault::SignedVaultRequest;
using ::careledger::vault::UploadResponse;
using ::careledger::vault::VaultRequest;
using ::testing::HasSubstr;
using testing::AccessSpec;
using testing::HealthLedger;

std::string Sha(std::string_view data) { return HexEncode(crypto::Sha256Bytes(data)); }

class VaultServiceTest : public ::testing::Test {
 protected:
  VaultServiceTest()
      : health_(dir_.Path("ledger"), "patients"),
        msps_(*msp::MspManager::FromDefinitions({hospital1_.MspConfig(), hospital2_.MspConfig()})),
        channels_("patients", *msps_, health_.ledger()),
        store_(*DocumentStore::Open(dir_.Path("vault"), *MasterKey::FromBytes(std::string(32, 'm')))),
        used_(*UsedAccessTransactions::Open(dir_.Path("vault/used-access"))) {
    VaultServiceOptions options;
    options.node_name = "peer0.hospital1.example.org";
    options.local_msp_id = "Hospital1MSP";
    options.access.commit_wait = absl::Milliseconds(100);
    service_ = std::make_unique<VaultService>(channels_, *store_, *used_, std::move(options));
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    stub_ = ::careledger::vault::Vault::NewStub(
        grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
    health_.CommitPatient("P-2001", "Hospital1MSP");
  }
  ~VaultServiceTest() override { server_->Shutdown(); }

  static SignedVaultRequest Sign(const msp::SigningIdentity& who, VaultRequest request,
                                 absl::Time now = absl::Now(), std::string channel = "patients") {
    return *SignVaultRequest(std::move(request), channel, who, now);
  }
  static VaultRequest UploadOf(std::string_view content, std::string_view sha256) {
    VaultRequest request;
    request.mutable_upload()->set_content(std::string(content));
    request.mutable_upload()->set_sha256(std::string(sha256));
    return request;
  }
  static VaultRequest DownloadOf(std::string_view record, uint64_t version, std::string_view sha256,
                                 std::string_view tx_id) {
    VaultRequest request;
    request.mutable_download()->set_record_id(std::string(record));
    request.mutable_download()->set_version(version);
    request.mutable_download()->set_sha256(std::string(sha256));
    request.mutable_download()->set_access_tx_id(std::string(tx_id));
    return request;
  }
  static VaultRequest EraseOf(std::string_view record) {
    VaultRequest request;
    request.mutable_erase()->set_record_id(std::string(record));
    return request;
  }

  grpc::Status Upload(const SignedVaultRequest& request, UploadResponse* response = nullptr) {
    grpc::ClientContext context;
    UploadResponse ignored;
    return stub_->Upload(&context, request, response != nullptr ? response : &ignored);
  }
  grpc::Status Download(const SignedVaultRequest& request, DownloadResponse* response = nullptr) {
    grpc::ClientContext context;
    DownloadResponse ignored;
    return stub_->Download(&context, request, response != nullptr ? response : &ignored);
  }
  grpc::Status Erase(const SignedVaultRequest& request, EraseResponse* response = nullptr) {
    grpc::ClientContext context;
    EraseResponse ignored;
    return stub_->Erase(&context, request, response != nullptr ? response : &ignored);
  }

  // Alice stores the report, and the ledger records it as version 1 of R-1.
  void StoreReport() {
    ASSERT_TRUE(Upload(Sign(alice_, UploadOf(report_, Sha(report_)))).ok());
    health_.CommitRecordVersion("R-1", "P-2001", 1, Sha(report_));
  }
  // `who` logs an access to R-1 version 1 on the ledger.
  std::string LogAccess(const msp::SigningIdentity& who, std::string sha256 = "") {
    AccessSpec spec;
    spec.creator = &who;
    spec.sha256 = sha256.empty() ? Sha(report_) : sha256;
    spec.timestamp = absl::Now() - absl::Seconds(5);
    return health_.CommitAccess(spec);
  }

  careledger::testing::ScopedTempDir dir_;
  const msp::testing::TestOrg hospital1_{"Hospital1MSP"};
  const msp::testing::TestOrg hospital2_{"Hospital2MSP"};
  const msp::testing::TestOrg outsider_org_{"Hospital9MSP"};
  const msp::SigningIdentity alice_ =
      hospital1_.Issue("alice", {"client"}, {{"role", "doctor"}, {"person_id", "D-1001"}});
  const msp::SigningIdentity carol_ =
      hospital2_.Issue("carol", {"client"}, {{"role", "doctor"}, {"person_id", "D-2001"}});
  const msp::SigningIdentity dave_ =
      hospital2_.Issue("dave", {"client"}, {{"role", "doctor"}, {"person_id", "D-2002"}});
  const msp::SigningIdentity nina_ =
      hospital1_.Issue("nina", {"client"}, {{"role", "nurse"}, {"person_id", "N-1001"}});
  const msp::SigningIdentity bob_ =
      hospital1_.Issue("bob", {"client"}, {{"role", "patient"}, {"person_id", "P-2001"}});
  const msp::SigningIdentity bob_elsewhere_ =
      hospital2_.Issue("bob2", {"client"}, {{"role", "patient"}, {"person_id", "P-2001"}});
  const msp::SigningIdentity gina_ =
      hospital2_.Issue("gina", {"client"}, {{"role", "guardian"}, {"person_id", "G-7"}});
  const msp::SigningIdentity admin1_ = hospital1_.Issue("admin1", msp::NodeRole::kAdmin);
  const msp::SigningIdentity admin2_ = hospital2_.Issue("admin2", msp::NodeRole::kAdmin);
  const msp::SigningIdentity outsider_ =
      outsider_org_.Issue("eve", {"client"}, {{"role", "doctor"}, {"person_id", "D-9"}});
  const std::string report_ = "discharge letter: patient P-2001, stable";

  HealthLedger health_;
  std::unique_ptr<msp::MspManager> msps_;
  testing::OneChannel channels_;
  std::unique_ptr<DocumentStore> store_;
  std::unique_ptr<UsedAccessTransactions> used_;
  std::unique_ptr<VaultService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<::careledger::vault::Vault::Stub> stub_;
};

TEST_F(VaultServiceTest, UploadDownloadErase) {
  UploadResponse uploaded;
  const grpc::Status upload = Upload(Sign(alice_, UploadOf(report_, Sha(report_))), &uploaded);
  ASSERT_TRUE(upload.ok()) << upload.error_message();
  EXPECT_EQ(uploaded.sha256(), Sha(report_));
  EXPECT_EQ(uploaded.size(), report_.size());
  EXPECT_EQ(uploaded.location(), "vault://peer0.hospital1.example.org/" + Sha(report_));
  EXPECT_FALSE(uploaded.already_stored());
  health_.CommitRecordVersion("R-1", "P-2001", 1, Sha(report_));

  // A doctor of another hospital with a committed access gets the document, once.
  const std::string access = LogAccess(carol_);
  DownloadResponse downloaded;
  const grpc::Status download = Download(Sign(carol_, DownloadOf("R-1", 1, Sha(report_), access)), &downloaded);
  ASSERT_TRUE(download.ok()) << download.error_message();
  EXPECT_EQ(downloaded.content(), report_);
  EXPECT_EQ(downloaded.sha256(), Sha(report_));
  const grpc::Status again = Download(Sign(carol_, DownloadOf("R-1", 1, Sha(report_), access)));
  EXPECT_EQ(again.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(again.error_message(), HasSubstr("already used"));

  // The patient erases the record's documents; a new access no longer gets the document.
  EraseResponse erased;
  const grpc::Status erase = Erase(Sign(bob_, EraseOf("R-1")), &erased);
  ASSERT_TRUE(erase.ok()) << erase.error_message();
  ASSERT_EQ(erased.erased_size(), 1);
  EXPECT_EQ(erased.erased(0).version(), 1u);
  EXPECT_EQ(erased.erased(0).sha256(), Sha(report_));
  EXPECT_FALSE(erased.erased(0).already_erased());
  const std::string later = LogAccess(carol_);
  const grpc::Status gone = Download(Sign(carol_, DownloadOf("R-1", 1, Sha(report_), later)));
  EXPECT_EQ(gone.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(gone.error_message(), HasSubstr("was erased at"));
  EXPECT_FALSE(*used_->IsClaimed(later));
}

TEST_F(VaultServiceTest, UploadIsIdempotentAndChecksTheHash) {
  UploadResponse first;
  ASSERT_TRUE(Upload(Sign(alice_, UploadOf(report_, Sha(report_))), &first).ok());
  UploadResponse second;
  ASSERT_TRUE(Upload(Sign(admin1_, UploadOf(report_, Sha(report_))), &second).ok());
  EXPECT_TRUE(second.already_stored());
  const grpc::Status mismatch = Upload(Sign(alice_, UploadOf("tampered", Sha(report_))));
  EXPECT_EQ(mismatch.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(mismatch.error_message(), HasSubstr("hash mismatch"));
  EXPECT_FALSE(*store_->Contains(Sha("tampered")));
}

TEST_F(VaultServiceTest, UnauthorisedUploadsAreRefused) {
  for (const msp::SigningIdentity* who : {&nina_, &carol_, &bob_, &admin2_}) {
    const grpc::Status status = Upload(Sign(*who, UploadOf(report_, Sha(report_))));
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << who->certificate().serial_number().size() << " " << who->msp_id();
    EXPECT_THAT(status.error_message(), HasSubstr("may not store documents in the vault of Hospital1MSP"));
  }
  EXPECT_FALSE(*store_->Contains(Sha(report_)));
}

TEST_F(VaultServiceTest, IdentityOutsideTheChannelIsRefused) {
  const grpc::Status status = Upload(Sign(outsider_, UploadOf(report_, Sha(report_))));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("not a valid identity of channel 'patients'"));
}

TEST_F(VaultServiceTest, BadSignatureIsRefused) {
  SignedVaultRequest request = Sign(alice_, UploadOf(report_, Sha(report_)));
  std::string signature = request.signature();
  signature[signature.size() / 2] = static_cast<char>(signature[signature.size() / 2] ^ 0x10);
  request.set_signature(signature);
  const grpc::Status bad = Upload(request);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(bad.error_message(), HasSubstr("signature does not verify"));

  // Signed by alice, presented as carol's.
  VaultRequest inner;
  ASSERT_TRUE(inner.ParseFromString(Sign(alice_, UploadOf(report_, Sha(report_))).request()));
  inner.set_creator(carol_.SerializedIdentity());
  SignedVaultRequest swapped;
  swapped.set_request(inner.SerializeAsString());
  swapped.set_signature(*alice_.Sign(swapped.request()));
  EXPECT_EQ(Upload(swapped).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_FALSE(*store_->Contains(Sha(report_)));
}

TEST_F(VaultServiceTest, StaleOrFutureTimestampsAreRefused) {
  for (absl::Duration offset : {-absl::Minutes(6), absl::Minutes(6)}) {
    const grpc::Status status = Upload(Sign(alice_, UploadOf(report_, Sha(report_)), absl::Now() + offset));
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_THAT(status.error_message(), HasSubstr("is more than 5m from the vault's clock"));
  }
  EXPECT_TRUE(Upload(Sign(alice_, UploadOf(report_, Sha(report_)), absl::Now() - absl::Minutes(4))).ok());
}

TEST_F(VaultServiceTest, RequestSignedForAnotherOperationIsRefused) {
  const grpc::Status status = Erase(Sign(alice_, UploadOf(report_, Sha(report_))));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("signed for upload, not for erase"));
}

TEST_F(VaultServiceTest, UnknownChannelIsNotFound) {
  const grpc::Status status = Upload(Sign(alice_, UploadOf(report_, Sha(report_)), absl::Now(), "other"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("has not joined channel 'other'"));
}

TEST_F(VaultServiceTest, DownloadNeedsTheRequestersOwnAccess) {
  StoreReport();
  const std::string daves = LogAccess(dave_);
  const grpc::Status status = Download(Sign(carol_, DownloadOf("R-1", 1, Sha(report_), daves)));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("signed by someone else"));
  // Dave's access is still his to use.
  EXPECT_TRUE(Download(Sign(dave_, DownloadOf("R-1", 1, Sha(report_), daves))).ok());
}

TEST_F(VaultServiceTest, DownloadWithoutACommittedAccessIsRefused) {
  StoreReport();
  const std::string never = std::string(64, 'a');
  const grpc::Status status = Download(Sign(carol_, DownloadOf("R-1", 1, Sha(report_), never)));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("not committed"));
}

TEST_F(VaultServiceTest, DownloadOfADocumentHeldElsewhereKeepsTheAccess) {
  StoreReport();
  const std::string other = Sha("a document at another hospital");
  const std::string access = LogAccess(carol_, other);
  const grpc::Status status = Download(Sign(carol_, DownloadOf("R-1", 1, other, access)));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("is not in this vault"));
  EXPECT_FALSE(*used_->IsClaimed(access));
}

TEST_F(VaultServiceTest, TamperedCiphertextIsDataLoss) {
  StoreReport();
  const std::string path = dir_.Path("vault/documents/" + Sha(report_));
  std::string sealed = *file::ReadFile(path);
  sealed[sealed.size() / 2] = static_cast<char>(sealed[sealed.size() / 2] ^ 0x01);
  ASSERT_TRUE(file::WriteFileAtomic(path, sealed, 0600).ok());
  const grpc::Status status = Download(Sign(carol_, DownloadOf("R-1", 1, Sha(report_), LogAccess(carol_))));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DATA_LOSS);
  EXPECT_THAT(status.error_message(), HasSubstr(Sha(report_)));
}

TEST_F(VaultServiceTest, EraseByOthersIsRefused) {
  StoreReport();
  for (const msp::SigningIdentity* who : {&bob_elsewhere_, &alice_, &nina_, &admin2_, &gina_}) {
    const grpc::Status status = Erase(Sign(*who, EraseOf("R-1")));
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << who->certificate().serial_number().size() << " " << who->msp_id();
  }
  EXPECT_TRUE(*store_->Contains(Sha(report_)));
}

TEST_F(VaultServiceTest, EraseByGuardianOrAdminEveryVersion) {
  StoreReport();
  const std::string amended = report_ + " (amended)";
  ASSERT_TRUE(Upload(Sign(alice_, UploadOf(amended, Sha(amended)))).ok());
  health_.CommitRecordVersion("R-1", "P-2001", 2, Sha(amended));
  health_.CommitGuardian("P-2001", "Hospital2MSP", "G-7");
  EraseResponse erased;
  ASSERT_TRUE(Erase(Sign(gina_, EraseOf("R-1")), &erased).ok());
  ASSERT_EQ(erased.erased_size(), 2);
  EXPECT_EQ(erased.erased(1).version(), 2u);
  EXPECT_FALSE(*store_->Contains(Sha(report_)));
  EXPECT_FALSE(*store_->Contains(Sha(amended)));
  EraseResponse again;
  ASSERT_TRUE(Erase(Sign(admin1_, EraseOf("R-1")), &again).ok());
  ASSERT_EQ(again.erased_size(), 2);
  EXPECT_TRUE(again.erased(0).already_erased());
}

TEST_F(VaultServiceTest, EraseOfAnUnknownRecordIsNotFound) {
  const grpc::Status status = Erase(Sign(bob_, EraseOf("R-404")));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("unknown record R-404"));
}

}  // namespace
}  // namespace careledger::vault
