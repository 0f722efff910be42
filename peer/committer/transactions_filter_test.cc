#include "peer/committer/transactions_filter.h"

#include <string>
#include <vector>

#include "common/protoutil/block.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::committer {
namespace {

using ::testing::HasSubstr;

::common::Block BlockOf(int transactions) {
  return protoutil::NewBlock(7, "previous", std::vector<std::string>(static_cast<size_t>(transactions), "tx"));
}

TEST(SetTransactionsFilterTest, WritesOneCodeBytePerTransaction) {
  ::common::Block block = BlockOf(3);
  const std::vector<::protos::TxValidationCode> codes = {::protos::VALID, ::protos::ENDORSEMENT_POLICY_FAILURE,
                                                         ::protos::INVALID_OTHER_REASON};
  ASSERT_TRUE(SetTransactionsFilter(codes, &block).ok());
  EXPECT_EQ(block.metadata().metadata(::common::TRANSACTIONS_FILTER), std::string("\x00\x0a\xff", 3));
  EXPECT_EQ(block.metadata().metadata_size(), 5);
}

TEST(SetTransactionsFilterTest, GrowsTheMetadataToFabricsFiveEntriesAndKeepsTheOthers) {
  ::common::Block block = BlockOf(1);
  block.mutable_metadata()->clear_metadata();
  block.mutable_metadata()->add_metadata("signatures");
  ASSERT_TRUE(SetTransactionsFilter(std::vector{::protos::VALID}, &block).ok());
  ASSERT_EQ(block.metadata().metadata_size(), 5);
  EXPECT_EQ(block.metadata().metadata(::common::SIGNATURES), "signatures");
  EXPECT_EQ(block.metadata().metadata(::common::TRANSACTIONS_FILTER), std::string(1, '\0'));
}

TEST(SetTransactionsFilterTest, ReplacesAnEarlierFilter) {
  ::common::Block block = BlockOf(1);
  ASSERT_TRUE(SetTransactionsFilter(std::vector{::protos::VALID}, &block).ok());
  ASSERT_TRUE(SetTransactionsFilter(std::vector{::protos::MVCC_READ_CONFLICT}, &block).ok());
  EXPECT_EQ(block.metadata().metadata(::common::TRANSACTIONS_FILTER), "\x0b");
}

TEST(SetTransactionsFilterTest, RefusesAWrongNumberOfCodesAndLeavesTheBlockUnchanged) {
  ::common::Block block = BlockOf(2);
  const std::string before = block.SerializeAsString();
  const absl::Status status = SetTransactionsFilter(std::vector{::protos::VALID}, &block);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("block 7 has 2 transactions but 1 validation codes"));
  EXPECT_EQ(block.SerializeAsString(), before);
}

TEST(SetTransactionsFilterTest, RefusesATransactionThatWasNotValidated) {
  ::common::Block block = BlockOf(2);
  const std::string before = block.SerializeAsString();
  const absl::Status status = SetTransactionsFilter(std::vector{::protos::VALID, ::protos::NOT_VALIDATED}, &block);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("transaction 1 was not validated"));
  EXPECT_EQ(block.SerializeAsString(), before);
}

TEST(SetTransactionsFilterTest, RefusesACodeThatDoesNotFitAByte) {
  ::common::Block block = BlockOf(1);
  const absl::Status status =
      SetTransactionsFilter(std::vector{static_cast<::protos::TxValidationCode>(300)}, &block);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("does not fit a byte"));
}

}  // namespace
}  // namespace careledger::committer
