#include "peer/vault/access_check.h"

#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "common/crypto/sha256.h"
#include "common/encoding/hex.h"
#include "common/protoutil/test_signer.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "peer/vault/testing/health_ledger.h"

namespace careledger::vault {
namespace {

using ::testing::HasSubstr;
using testing::AccessSpec;
using testing::HealthLedger;

class AccessCheckTest : public ::testing::Test {
 protected:
  AccessCheckTest()
      : health_(dir_.Path("ledger"), "patients"),
        used_(*UsedAccessTransactions::Open(dir_.Path("used"))) {}

  AccessSpec Spec() const {
    AccessSpec spec;
    spec.creator = &carol_;
    spec.sha256 = sha_;
    spec.timestamp = now_ - absl::Seconds(30);
    return spec;
  }
  AccessRequest Request(const std::string& tx_id) const {
    AccessRequest request;
    request.requester = carol_identity_;
    request.record_id = "R-1";
    request.version = 1;
    request.sha256 = sha_;
    request.access_tx_id = tx_id;
    return request;
  }
  absl::StatusOr<GrantedAccess> Check(const AccessRequest& request) {
    AccessCheckOptions options;
    options.commit_wait = absl::Milliseconds(50);
    return CheckAccess(health_.ledger(), *used_, request, now_, options);
  }
  static std::string Message(const absl::StatusOr<GrantedAccess>& result) {
    return std::string(result.status().message());
  }

  careledger::testing::ScopedTempDir dir_;
  HealthLedger health_;
  std::unique_ptr<UsedAccessTransactions> used_;
  const protoutil::testing::FakeSigner carol_{"Hospital2MSP doctor carol"};
  const protoutil::testing::FakeSigner dave_{"Hospital2MSP doctor dave"};
  const std::string carol_identity_ = carol_.SerializedIdentity();
  const std::string sha_ = HexEncode(crypto::Sha256Bytes("lab report"));
  const absl::Time now_ = absl::FromUnixSeconds(1750000000);
};

TEST_F(AccessCheckTest, ValidAccessIsGrantedOnce) {
  const std::string tx_id = health_.CommitAccess(Spec());
  absl::StatusOr<GrantedAccess> granted = Check(Request(tx_id));
  ASSERT_TRUE(granted.ok()) << granted.status();
  EXPECT_EQ(granted->block_number, 1u);
  EXPECT_EQ(granted->patient_id, "P-2001");
  EXPECT_EQ(granted->accessed_at, now_ - absl::Seconds(30));
  EXPECT_TRUE(*used_->IsClaimed(tx_id));

  const absl::StatusOr<GrantedAccess> again = Check(Request(tx_id));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(Message(again), HasSubstr("already used"));
}

TEST_F(AccessCheckTest, UncommittedTransactionIsNotFound) {
  const std::string tx_id = health_.AccessEnvelope(Spec()).tx_id;
  const absl::StatusOr<GrantedAccess> result = Check(Request(tx_id));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(Message(result), HasSubstr("not committed"));
  EXPECT_FALSE(*used_->IsClaimed(tx_id));
}

TEST_F(AccessCheckTest, WaitsForATransactionThatCommitsMeanwhile) {
  const ledger::testing::TestEnvelope envelope = health_.AccessEnvelope(Spec());
  // The check may find the transaction at once or wait for its block; either way it must not give up before
  // the block commits.
  std::thread committer([&] { health_.CommitEnvelope(envelope, ::protos::VALID); });
  AccessCheckOptions options;
  options.commit_wait = absl::Seconds(20);
  const absl::StatusOr<GrantedAccess> granted =
      CheckAccess(health_.ledger(), *used_, Request(envelope.tx_id), now_, options);
  committer.join();
  EXPECT_TRUE(granted.ok()) << granted.status();
}

TEST_F(AccessCheckTest, InvalidTransactionIsRefusedWithItsCode) {
  AccessSpec spec = Spec();
  spec.code = ::protos::MVCC_READ_CONFLICT;
  const absl::StatusOr<GrantedAccess> result = Check(Request(health_.CommitAccess(spec)));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(Message(result), HasSubstr("is invalid (MVCC_READ_CONFLICT in block 1)"));
}

TEST_F(AccessCheckTest, OtherChaincodeIsRefused) {
  AccessSpec spec = Spec();
  spec.chaincode = "records";
  const absl::StatusOr<GrantedAccess> result = Check(Request(health_.CommitAccess(spec)));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(Message(result), HasSubstr("does not invoke the healthcare chaincode"));
}

TEST_F(AccessCheckTest, OtherEventIsRefused) {
  AccessSpec spec = Spec();
  spec.event_name = "RecordVersionAdded";
  const absl::StatusOr<GrantedAccess> result = Check(Request(health_.CommitAccess(spec)));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(Message(result), HasSubstr("is not a LogAccess"));
}

TEST_F(AccessCheckTest, AccessToAnotherRecordVersionOrDocumentIsRefused) {
  const std::string tx_id = health_.CommitAccess(Spec());
  AccessRequest request = Request(tx_id);
  request.record_id = "R-2";
  EXPECT_THAT(Message(Check(request)), HasSubstr("logged an access to record R-1 version 1, not to record R-2"));
  request = Request(tx_id);
  request.version = 2;
  EXPECT_EQ(Check(request).status().code(), absl::StatusCode::kPermissionDenied);
  request = Request(tx_id);
  const std::string other = HexEncode(crypto::Sha256Bytes("other"));
  request.sha256 = other;
  EXPECT_THAT(Message(Check(request)), HasSubstr("not to document " + other));
  // None of the refusals used the access up.
  EXPECT_TRUE(Check(Request(tx_id)).ok());
}

TEST_F(AccessCheckTest, AccessSignedBySomeoneElseIsRefused) {
  AccessSpec spec = Spec();
  spec.creator = &dave_;
  const absl::StatusOr<GrantedAccess> result = Check(Request(health_.CommitAccess(spec)));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(Message(result), HasSubstr("signed by someone else"));
}

TEST_F(AccessCheckTest, StaleOrFutureAccessIsRefused) {
  AccessSpec spec = Spec();
  spec.timestamp = now_ - absl::Minutes(6);
  const absl::StatusOr<GrantedAccess> stale = Check(Request(health_.CommitAccess(spec)));
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(Message(stale), HasSubstr("older than the vault's access window of 5m"));
  spec.timestamp = now_ + absl::Minutes(6);
  const absl::StatusOr<GrantedAccess> future = Check(Request(health_.CommitAccess(spec)));
  EXPECT_EQ(future.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(Message(future), HasSubstr("ahead of the vault's clock"));
  spec.timestamp = now_ - absl::Minutes(4);
  EXPECT_TRUE(Check(Request(health_.CommitAccess(spec))).ok());
}

TEST_F(AccessCheckTest, MalformedTransactionIdIsInvalidArgument) {
  EXPECT_EQ(Check(Request("../../etc/passwd")).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Check(Request(std::string(64, 'A'))).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(AccessCheckTest, ConcurrentClaimsGrantExactlyOne) {
  const std::string tx_id = health_.CommitAccess(Spec());
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (Check(Request(tx_id)).ok()) ++granted;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(granted.load(), 1);
}

}  // namespace
}  // namespace careledger::vault
