#include "peer/ledger/valid_write_sets.h"

#include <string>
#include <vector>

#include "common/protoutil/block_hash.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "peer/ledger/testing/test_blocks.h"

namespace careledger::ledger {
namespace {

using ::careledger::ledger::testing::Delete;
using ::careledger::ledger::testing::Put;
using ::careledger::ledger::testing::TestBlockBuilder;
using ::careledger::ledger::testing::TestTransaction;
using ::careledger::ledger::testing::TxIdAt;
using ::careledger::ledger::testing::TxWriting;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A composite key (Fabric's CreateCompositeKey): it starts with 0x00 and separates its parts with 0x00.
const std::string kCompositeKey("\x00" "consent\x00" "patient-1\x00", 19);

TEST(ValidWriteSetsTest, ReturnsTheWritesOfValidTransactionsInOrder) {
  TestBlockBuilder builder;
  const ::common::Block block = builder.NextBlock({
      TxWriting({Put("records", "patient-1", "v1"), Put("consent", "patient-1", "granted")}),
      TxWriting({Put("records", "patient-2", "lost")}, ::protos::MVCC_READ_CONFLICT),
      TxWriting({Delete("records", "patient-1"), Put("records", kCompositeKey, "c")}),
  });
  absl::StatusOr<std::vector<TxWriteSet>> got = ValidWriteSets(block);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 2u);

  const TxWriteSet& first = (*got)[0];
  EXPECT_EQ(first.tx_num, 0u);
  EXPECT_EQ(first.tx_id, TxIdAt(block, 0));
  EXPECT_EQ(first.timestamp.seconds(), 1700000000);
  EXPECT_THAT(first.writes, ElementsAre(KeyWrite{"records", "patient-1", false, "v1"},
                                        KeyWrite{"consent", "patient-1", false, "granted"}));

  const TxWriteSet& third = (*got)[1];
  EXPECT_EQ(third.tx_num, 2u);
  EXPECT_EQ(third.tx_id, TxIdAt(block, 2));
  EXPECT_EQ(third.timestamp.seconds(), 1700000002);
  EXPECT_THAT(third.writes, ElementsAre(KeyWrite{"records", "patient-1", true, ""},
                                        KeyWrite{"records", kCompositeKey, false, "c"}));
}

TEST(ValidWriteSetsTest, ConfigTransactionsCarryNoWrites) {
  TestBlockBuilder builder;
  absl::StatusOr<std::vector<TxWriteSet>> got = ValidWriteSets(builder.NextConfigBlock());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(got->empty());
}

TEST(ValidWriteSetsTest, InvalidTransactionsAreNotParsed) {
  TestBlockBuilder builder;
  const ::common::Block block = builder.NextBlockWithEntries(
      {"not an envelope"}, std::string(1, static_cast<char>(::protos::BAD_PAYLOAD)));
  absl::StatusOr<std::vector<TxWriteSet>> got = ValidWriteSets(block);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(got->empty());
}

TEST(ValidWriteSetsTest, RefusesAValidEntryThatIsNotATransaction) {
  TestBlockBuilder builder;
  builder.NextConfigBlock();
  const ::common::Block block = builder.NextBlockWithEntries({"\xff\xff"}, std::string(1, '\0'));
  absl::StatusOr<std::vector<TxWriteSet>> got = ValidWriteSets(block);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(got.status().message(), HasSubstr("block 1, transaction 0 (marked VALID)"));
}

TEST(ValidWriteSetsTest, RefusesAValidEndorserTransactionWithTwoActions) {
  TestBlockBuilder builder;
  ::common::Block block = builder.NextBlock({TxWriting({Put("records", "k", "v")})});
  // Give the transaction a second action: no validator accepts that.
  ::common::Envelope envelope;
  ASSERT_TRUE(envelope.ParseFromString(block.data().data(0)));
  ::common::Payload payload;
  ASSERT_TRUE(payload.ParseFromString(envelope.payload()));
  ::protos::Transaction transaction;
  ASSERT_TRUE(transaction.ParseFromString(payload.data()));
  *transaction.add_actions() = transaction.actions(0);
  payload.set_data(transaction.SerializeAsString());
  envelope.set_payload(payload.SerializeAsString());
  *block.mutable_data()->mutable_data(0) = envelope.SerializeAsString();

  absl::StatusOr<std::vector<TxWriteSet>> got = ValidWriteSets(block);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(got.status().message(), HasSubstr("exactly one action"));
}

TEST(ValidWriteSetsTest, RefusesABadFilter) {
  TestBlockBuilder builder;
  ::common::Block block = builder.NextBlock({TxWriting({Put("records", "k", "v")}), {}});
  block.mutable_metadata()->mutable_metadata(::common::TRANSACTIONS_FILTER)->pop_back();
  EXPECT_EQ(ValidWriteSets(block).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace careledger::ledger
