#include "peer/ledger/recent_transactions.h"

#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace careledger::ledger {
namespace {

using Statuses = std::vector<std::pair<std::string, ::protos::TxValidationCode>>;

TEST(RecentTransactionsTest, FindsEachTransactionOfTheBlocksAdded) {
  RecentTransactions recent(100);
  recent.AddBlock(7, Statuses{{"a", ::protos::VALID}, {"b", ::protos::MVCC_READ_CONFLICT}});
  recent.AddBlock(8, Statuses{{"c", ::protos::ENDORSEMENT_POLICY_FAILURE}});
  ASSERT_TRUE(recent.Find("b").has_value());
  EXPECT_EQ(recent.Find("b")->code, ::protos::MVCC_READ_CONFLICT);
  EXPECT_EQ(recent.Find("b")->block_number, 7u);
  EXPECT_EQ(recent.Find("c")->block_number, 8u);
  EXPECT_EQ(recent.Find("a")->code, ::protos::VALID);
  EXPECT_FALSE(recent.Find("z").has_value());
  EXPECT_EQ(recent.size(), 3u);
}

TEST(RecentTransactionsTest, ARepeatedIdKeepsItsFirstOccurrenceUntilThatBlockIsDropped) {
  RecentTransactions recent(3);
  recent.AddBlock(1, Statuses{{"t", ::protos::VALID}, {"t", ::protos::DUPLICATE_TXID}});
  recent.AddBlock(2, Statuses{{"t", ::protos::DUPLICATE_TXID}, {"u", ::protos::VALID}});
  EXPECT_EQ(recent.Find("t")->block_number, 1u);
  EXPECT_EQ(recent.Find("t")->code, ::protos::VALID);
  // Block 1 goes; the later duplicate is not promoted (the block store answers with the first occurrence).
  recent.AddBlock(3, Statuses{{"v", ::protos::VALID}, {"w", ::protos::VALID}});
  EXPECT_FALSE(recent.Find("t").has_value());
  EXPECT_TRUE(recent.Find("u").has_value());
}

TEST(RecentTransactionsTest, DropsWholeOldestBlocksBeyondCapacityButKeepsTheLast) {
  RecentTransactions recent(2);
  recent.AddBlock(1, Statuses{{"a", ::protos::VALID}});
  recent.AddBlock(2, Statuses{{"b", ::protos::VALID}});
  EXPECT_TRUE(recent.Find("a").has_value());
  recent.AddBlock(3, Statuses{{"c", ::protos::VALID}, {"d", ::protos::VALID}, {"e", ::protos::VALID}});
  EXPECT_FALSE(recent.Find("a").has_value());
  EXPECT_FALSE(recent.Find("b").has_value());
  EXPECT_TRUE(recent.Find("e").has_value());  // a block larger than the capacity is still held whole
  EXPECT_EQ(recent.size(), 3u);
}

TEST(RecentTransactionsTest, IgnoresTransactionsWithoutAnId) {
  RecentTransactions recent(10);
  recent.AddBlock(1, Statuses{{"", ::protos::BAD_PAYLOAD}, {"a", ::protos::VALID}});
  EXPECT_FALSE(recent.Find("").has_value());
  EXPECT_EQ(recent.size(), 1u);
}

}  // namespace
}  // namespace careledger::ledger
