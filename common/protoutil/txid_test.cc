#include "common/protoutil/txid.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::protoutil {
namespace {

using ::testing::HasSubstr;

// 24 bytes 0x00..0x17, and a serialized msp.SerializedIdentity{mspid "Org1MSP", id_bytes "cert"}.
const std::string kNonce(
    "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17", 24);
const std::string kCreator(
    "\x0a\x07Org1MSP\x12\x04"
    "cert");

// Expected IDs were computed outside CareLedger with coreutils:
//   printf '\x00\x01...\x17\x0a\x07Org1MSP\x12\x04cert' | sha256sum   -> 9b509b14...
//   printf 'noncecreator' | sha256sum                                -> 709184f9...
//   printf '' | sha256sum                                            -> e3b0c442...
constexpr char kTxIdOrg1[] = "9b509b14e9418ff403128c815509476925771dc21a7c77e2899e7c170e960a45";
constexpr char kTxIdNonceCreator[] = "709184f9d24f6ade8fcd4d6521a6eef295fef6c2e67216c58b68ac15e8946492";
constexpr char kTxIdEmpty[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

TEST(ComputeTxIdTest, KnownAnswers) {
  EXPECT_EQ(ComputeTxId(kNonce, kCreator), kTxIdOrg1);
  EXPECT_EQ(ComputeTxId("nonce", "creator"), kTxIdNonceCreator);
  EXPECT_EQ(ComputeTxId("", ""), kTxIdEmpty);
}

TEST(ComputeTxIdTest, IsTheHashOfTheConcatenation) {
  // Fabric hashes nonce || creator with no separator, so only the concatenation matters.
  EXPECT_EQ(ComputeTxId("non", "cecreator"), kTxIdNonceCreator);
}

TEST(CheckTxIdTest, AcceptsTheComputedId) { EXPECT_TRUE(CheckTxId(kTxIdOrg1, kNonce, kCreator).ok()); }

TEST(CheckTxIdTest, RejectsAnotherIdNamingBoth) {
  absl::Status status = CheckTxId(kTxIdEmpty, kNonce, kCreator);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr(kTxIdEmpty));
  EXPECT_THAT(status.message(), HasSubstr(std::string("expected \"") + kTxIdOrg1 + "\""));
}

TEST(CheckTxIdTest, IsCaseSensitiveAsFabric) {
  std::string upper = kTxIdOrg1;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(CheckTxId(upper, kNonce, kCreator).code(), absl::StatusCode::kInvalidArgument);
}

TEST(CheckTxIdTest, EscapesAndShortensHostileIds) {
  const std::string hostile = std::string(1000, 'x') + "\n\x01";
  absl::Status status = CheckTxId(hostile, kNonce, kCreator);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("(1002 bytes)"));
  EXPECT_LT(status.message().size(), 300u);
}

TEST(CreateNonceTest, GivesFreshNoncesOfFabricsSize) {
  absl::StatusOr<std::string> a = CreateNonce();
  absl::StatusOr<std::string> b = CreateNonce();
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(a->size(), kNonceSize);
  EXPECT_EQ(kNonceSize, 24u);
  EXPECT_NE(*a, *b);
}

}  // namespace
}  // namespace careledger::protoutil
