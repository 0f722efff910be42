#include "peer/ledger/block_metadata.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "peer/transaction.pb.h"

namespace careledger::ledger {
namespace {

using ::testing::HasSubstr;

::common::Block BlockWith(int transactions, std::string filter) {
  ::common::Block block;
  block.mutable_header()->set_number(7);
  for (int i = 0; i < transactions; ++i) block.mutable_data()->add_data("tx");
  for (int i = 0; i < 5; ++i) block.mutable_metadata()->add_metadata();
  *block.mutable_metadata()->mutable_metadata(::common::TRANSACTIONS_FILTER) = std::move(filter);
  return block;
}

TEST(TransactionsFilterTest, ReturnsOneCodePerTransaction) {
  const std::string filter = {static_cast<char>(::protos::VALID), static_cast<char>(::protos::MVCC_READ_CONFLICT),
                              static_cast<char>(::protos::INVALID_OTHER_REASON)};
  const ::common::Block block = BlockWith(3, filter);
  absl::StatusOr<std::string_view> got = TransactionsFilter(block);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, filter);
}

TEST(TransactionsFilterTest, AnEmptyBlockHasAnEmptyFilter) {
  EXPECT_TRUE(TransactionsFilter(BlockWith(0, "")).ok());
}

TEST(TransactionsFilterTest, RefusesAMissingFilter) {
  ::common::Block block = BlockWith(1, "\x00");
  block.mutable_metadata()->clear_metadata();
  block.mutable_metadata()->add_metadata();
  block.mutable_metadata()->add_metadata();
  absl::StatusOr<std::string_view> got = TransactionsFilter(block);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(got.status().message(), HasSubstr("block 7 has no TRANSACTIONS_FILTER"));
}

TEST(TransactionsFilterTest, RefusesAFilterOfTheWrongLength) {
  absl::StatusOr<std::string_view> shorter = TransactionsFilter(BlockWith(3, std::string(2, '\0')));
  EXPECT_EQ(shorter.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(shorter.status().message(), HasSubstr("2 bytes for 3 transactions"));
  EXPECT_EQ(TransactionsFilter(BlockWith(1, std::string(2, '\0'))).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(TransactionsFilterTest, RefusesCodesNoCommitterLeaves) {
  absl::StatusOr<std::string_view> not_validated =
      TransactionsFilter(BlockWith(2, {'\0', static_cast<char>(::protos::NOT_VALIDATED)}));
  EXPECT_EQ(not_validated.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(not_validated.status().message(), HasSubstr("transaction 1: validation code 254"));
  EXPECT_EQ(TransactionsFilter(BlockWith(1, {static_cast<char>(200)})).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CommitHashMetadataTest, RoundTripsAsACommonMetadata) {
  ::common::Block block = BlockWith(0, "");
  ASSERT_TRUE(SetCommitHash(block, std::string(32, 'h')).ok());
  ::common::Metadata stored;
  ASSERT_TRUE(stored.ParseFromString(block.metadata().metadata(::common::COMMIT_HASH)));
  EXPECT_EQ(stored.value(), std::string(32, 'h'));
  absl::StatusOr<std::string> got = StoredCommitHash(block);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, std::string(32, 'h'));
}

TEST(CommitHashMetadataTest, AddsMissingMetadataEntries) {
  ::common::Block block;
  ASSERT_TRUE(SetCommitHash(block, "hash").ok());
  EXPECT_EQ(block.metadata().metadata_size(), 5);
  EXPECT_EQ(StoredCommitHash(block).value(), "hash");
}

TEST(CommitHashMetadataTest, RefusesAbsentEmptyOrMalformedEntries) {
  ::common::Block block = BlockWith(0, "");
  EXPECT_THAT(StoredCommitHash(block).status().message(), HasSubstr("block 7 has no COMMIT_HASH"));
  block.mutable_metadata()->mutable_metadata()->RemoveLast();
  EXPECT_EQ(StoredCommitHash(block).status().code(), absl::StatusCode::kInvalidArgument);
  block.mutable_metadata()->add_metadata("\xff\xff");
  EXPECT_EQ(StoredCommitHash(block).status().code(), absl::StatusCode::kInvalidArgument);
  ::common::Metadata without_value;
  without_value.add_signatures()->set_signature("sig");
  *block.mutable_metadata()->mutable_metadata(::common::COMMIT_HASH) = without_value.SerializeAsString();
  EXPECT_THAT(StoredCommitHash(block).status().message(), HasSubstr("holds no hash"));
}

}  // namespace
}  // namespace careledger::ledger
