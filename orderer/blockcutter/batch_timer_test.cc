#include "orderer/blockcutter/batch_timer.h"

#include <optional>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "orderer/blockcutter/block_cutter.h"

namespace careledger::orderer {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1700000000);
const absl::Duration kTimeout = absl::Seconds(2);

TEST(BatchTimerTest, StoppedTimerNeverExpires) {
  BatchTimer timer;
  EXPECT_FALSE(timer.running());
  EXPECT_FALSE(timer.Expired(kT0 + absl::Hours(1000), kTimeout));
  EXPECT_EQ(timer.Deadline(kTimeout), std::nullopt);
  EXPECT_EQ(timer.started_at(), std::nullopt);
}

TEST(BatchTimerTest, ExpiresExactlyWhenTheTimeoutHasPassed) {
  BatchTimer timer;
  timer.Start(kT0);
  EXPECT_TRUE(timer.running());
  EXPECT_EQ(timer.started_at(), kT0);
  EXPECT_FALSE(timer.Expired(kT0, kTimeout));
  EXPECT_FALSE(timer.Expired(kT0 + kTimeout - absl::Nanoseconds(1), kTimeout));
  EXPECT_TRUE(timer.Expired(kT0 + kTimeout, kTimeout));
  EXPECT_EQ(timer.Deadline(kTimeout), kT0 + kTimeout);
}

TEST(BatchTimerTest, ClockSteppedBackBeforeTheStartIsNotExpired) {
  BatchTimer timer;
  timer.Start(kT0);
  EXPECT_FALSE(timer.Expired(kT0 - absl::Hours(1), kTimeout));
}

TEST(BatchTimerTest, StopStopsAndStartRestarts) {
  BatchTimer timer;
  timer.Start(kT0);
  timer.Stop();
  EXPECT_FALSE(timer.running());
  EXPECT_FALSE(timer.Expired(kT0 + kTimeout, kTimeout));
  timer.Start(kT0 + absl::Seconds(1));
  timer.Start(kT0 + absl::Seconds(5));
  EXPECT_EQ(timer.started_at(), kT0 + absl::Seconds(5));
}

TEST(BatchTimerTest, ObserveStartsTheTimerWhenSomethingBecomesPending) {
  BatchTimer timer;
  timer.Observe(/*pending=*/true, kT0);
  EXPECT_EQ(timer.started_at(), kT0);
}

TEST(BatchTimerTest, ObserveKeepsTheStartWhileSomethingStaysPending) {
  BatchTimer timer;
  timer.Observe(true, kT0);
  timer.Observe(true, kT0 + absl::Seconds(1));
  EXPECT_EQ(timer.started_at(), kT0);
}

TEST(BatchTimerTest, ObserveStopsTheTimerWhenNothingIsPending) {
  BatchTimer timer;
  timer.Observe(true, kT0);
  timer.Observe(false, kT0 + absl::Seconds(1));
  EXPECT_FALSE(timer.running());
  timer.Observe(false, kT0 + absl::Seconds(2));
  EXPECT_FALSE(timer.running());
}

// The chain loop as batch_timer.h sketches it, with Fabric's etcdraft behaviour: a cut because of overflow
// that leaves a new envelope pending does not restart the timer.
TEST(BatchTimerTest, OverflowCutWithANewPendingBatchKeepsTheTimerRunningFromTheFirstEnvelope) {
  absl::StatusOr<BlockCutter> cutter = BlockCutter::Create({10, 100, 50});
  ASSERT_TRUE(cutter.ok());
  BatchTimer timer;

  absl::StatusOr<OrderedResult> r = cutter->Ordered(std::string(30, 'a'));
  ASSERT_TRUE(r.ok());
  timer.Observe(r->pending, kT0);
  r = cutter->Ordered(std::string(30, 'b'));  // overflows: "a" is cut, "b" pending
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->batches.size(), 1u);
  timer.Observe(r->pending, kT0 + absl::Seconds(1));
  EXPECT_EQ(timer.started_at(), kT0);

  const absl::Time now = kT0 + kTimeout;
  ASSERT_TRUE(timer.Expired(now, kTimeout));
  EXPECT_EQ(cutter->Cut(), Batch{std::string(30, 'b')});
  timer.Stop();
  EXPECT_FALSE(timer.running());
}

TEST(BatchTimerTest, CountCutWithNothingPendingStopsTheTimer) {
  absl::StatusOr<BlockCutter> cutter = BlockCutter::Create({2, 100, 50});
  ASSERT_TRUE(cutter.ok());
  BatchTimer timer;
  absl::StatusOr<OrderedResult> r = cutter->Ordered("x");
  ASSERT_TRUE(r.ok());
  timer.Observe(r->pending, kT0);
  r = cutter->Ordered("y");
  ASSERT_TRUE(r.ok());
  timer.Observe(r->pending, kT0 + absl::Seconds(1));
  EXPECT_FALSE(timer.running());
}

}  // namespace
}  // namespace careledger::orderer
