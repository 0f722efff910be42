// One writer, many readers, and waiting for blocks: what the orderer's Deliver and the peer rely on.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/blockstore/block_store.h"
#include "common/blockstore/test_chain.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"

namespace careledger::blockstore {
namespace {

// Far enough that reaching it means the test is broken, not slow.
absl::Time Eventually() { return absl::Now() + absl::Seconds(60); }

class ConcurrencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Options options;
    options.index_transactions = true;
    options.max_file_size = 64 << 10;  // several files, so readers cross file boundaries
    absl::StatusOr<std::unique_ptr<BlockStore>> store = BlockStore::Open(temp_.Path("ledger"), options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  careledger::testing::ScopedTempDir temp_;
  ChainBuilder chain_;
  std::unique_ptr<BlockStore> store_;
};

TEST_F(ConcurrencyTest, WaitReturnsAtOnceWhenTheHeightIsReached) {
  ASSERT_TRUE(store_->Append(chain_.Next()).ok());
  EXPECT_TRUE(store_->WaitForHeight(0, absl::InfinitePast()));
  EXPECT_TRUE(store_->WaitForHeight(1, absl::InfinitePast()));
  EXPECT_FALSE(store_->WaitForHeight(2, absl::InfinitePast()));
}

TEST_F(ConcurrencyTest, WaitEndsWhenTheBlockIsAppended) {
  absl::Notification waiting;
  std::atomic<bool> reached{false};
  std::thread waiter([&] {
    waiting.Notify();
    reached = store_->WaitForHeight(3, Eventually());
  });
  waiting.WaitForNotification();
  ASSERT_TRUE(store_->AppendBatch(chain_.NextBlocks(2)).ok());
  ASSERT_TRUE(store_->Append(chain_.Next()).ok());
  waiter.join();
  EXPECT_TRUE(reached);
}

TEST_F(ConcurrencyTest, WaitEndsAtTheDeadline) {
  const absl::Time deadline = absl::Now() + absl::Milliseconds(50);
  EXPECT_FALSE(store_->WaitForHeight(1, deadline));
  EXPECT_GE(absl::Now(), deadline);
}

TEST_F(ConcurrencyTest, CloseEndsEveryWait) {
  std::vector<std::thread> waiters;
  std::atomic<int> returned_false{0};
  for (int i = 0; i < 4; ++i) {
    waiters.emplace_back([&] {
      if (!store_->WaitForHeight(1, Eventually())) ++returned_false;
    });
  }
  store_->Close();
  for (std::thread& t : waiters) t.join();
  EXPECT_EQ(returned_false, 4);
  EXPECT_FALSE(store_->WaitForHeight(1, Eventually()));  // and later waits end at once
}

TEST_F(ConcurrencyTest, CancellationEndsOnlyTheCancelledWait) {
  std::atomic<bool> cancel_first{false};
  std::atomic<bool> cancel_second{false};
  std::atomic<int> first_result{-1};
  std::atomic<int> second_result{-1};
  std::thread first([&] { first_result = store_->WaitForHeight(1, Eventually(), &cancel_first); });
  std::thread second([&] { second_result = store_->WaitForHeight(1, Eventually(), &cancel_second); });
  cancel_first = true;
  store_->WakeWaiters();
  first.join();
  EXPECT_EQ(first_result, 0);
  EXPECT_EQ(second_result, -1);  // still waiting
  ASSERT_TRUE(store_->Append(chain_.Next()).ok());
  second.join();
  EXPECT_EQ(second_result, 1);
}

// Readers follow the writer as Deliver streams do, and query the newest blocks while they are appended.
TEST_F(ConcurrencyTest, ReadersSeeEveryBlockWhileOneWriterAppends) {
  constexpr int kBlocks = 120;
  ChainBuilder reference;
  const std::vector<::common::Block> blocks = reference.NextBlocks(kBlocks, 4, 300);
  std::vector<std::string> expected;
  for (const ::common::Block& block : blocks) expected.push_back(block.SerializeAsString());

  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {  // a Deliver stream from block 0
      for (int n = 0; n < kBlocks; ++n) {
        if (!store_->WaitForHeight(n + 1, Eventually())) {
          ++failures;
          return;
        }
        absl::StatusOr<std::string> bytes = store_->GetBlockBytes(n);
        if (!bytes.ok() || *bytes != expected[n]) ++failures;
      }
    });
  }
  readers.emplace_back([&] {  // a client polling the tip and looking transactions up
    uint64_t seen = 0;
    while (seen < kBlocks) {
      const uint64_t height = store_->Height();
      if (height < seen) ++failures;  // never goes backwards
      seen = height;
      if (height == 0) continue;
      absl::StatusOr<::common::Block> last = store_->GetBlock(height - 1);
      if (!last.ok() || last->header().number() != height - 1) ++failures;
      absl::StatusOr<TransactionLocation> tx = store_->FindTransaction(TxIdOf(height - 1, 3));
      if (!tx.ok() || tx->block_number != height - 1) ++failures;
      // Blocks not yet visible stay invisible, even if already in the index.
      if (store_->FindTransaction(TxIdOf(kBlocks + 5, 0)).status().code() != absl::StatusCode::kNotFound) ++failures;
    }
  });

  for (int i = 0; i < kBlocks;) {
    if (i % 3 == 0 && i + 4 <= kBlocks) {
      ASSERT_TRUE(store_->AppendBatch(std::span<const ::common::Block>(blocks).subspan(i, 4)).ok());
      i += 4;
    } else {
      ASSERT_TRUE(store_->Append(blocks[i]).ok());
      ++i;
    }
  }
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(store_->Height(), static_cast<uint64_t>(kBlocks));
}

TEST_F(ConcurrencyTest, AppendsFromSeveralThreadsAreSerialized) {
  // Each thread tries to append the same next block; exactly one wins each round, the others are refused.
  constexpr int kRounds = 20;
  for (int round = 0; round < kRounds; ++round) {
    const ::common::Block block = chain_.Next();
    std::atomic<int> ok{0};
    std::atomic<int> refused{0};
    std::vector<std::thread> writers;
    for (int w = 0; w < 3; ++w) {
      writers.emplace_back([&] {
        const absl::Status status = store_->Append(block);
        if (status.ok()) {
          ++ok;
        } else if (status.code() == absl::StatusCode::kFailedPrecondition) {
          ++refused;
        }
      });
    }
    for (std::thread& t : writers) t.join();
    ASSERT_EQ(ok, 1);
    ASSERT_EQ(refused, 2);
  }
  EXPECT_EQ(store_->Height(), static_cast<uint64_t>(kRounds));
}

}  // namespace
}  // namespace careledger::blockstore
