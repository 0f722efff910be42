#include "network/bench/delivery_tracker.h"

#include <thread>

#include "common/protoutil/block.h"
#include "common/protoutil/test_signer.h"
#include "gtest/gtest.h"
#include "network/bench/envelope_supply.h"

namespace careledger::bench {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

class DeliveryTrackerTest : public ::testing::Test {
 protected:
  void SetUp() override { tracker_.SetWindow({t0_, t0_ + std::chrono::seconds(10)}); }

  SignedEnvelope Envelope() {
    auto e = MakeBenchEnvelope(signer_, "healthchannel", 32);
    EXPECT_TRUE(e.ok()) << e.status();
    return *e;
  }

  ::common::Block Block(uint64_t number, const std::vector<SignedEnvelope>& envelopes) {
    std::vector<std::string> data;
    for (const SignedEnvelope& e : envelopes) data.push_back(e.envelope.SerializeAsString());
    return protoutil::NewBlock(number, "", std::move(data));
  }

  protoutil::testing::FakeSigner signer_{"bench client"};
  const Clock::time_point t0_ = Clock::now();
  DeliveryTracker tracker_;
};

TEST_F(DeliveryTrackerTest, MeasuresSendToBlockForEnvelopesSentInTheWindow) {
  const SignedEnvelope a = Envelope(), b = Envelope(), early = Envelope();
  tracker_.Sent(early.tx_id, t0_ - milliseconds(5));  // warm-up: delivered, not measured
  tracker_.Sent(a.tx_id, t0_ + milliseconds(10));
  tracker_.Sent(b.tx_id, t0_ + milliseconds(20));
  tracker_.Acknowledged(a.tx_id, true);
  tracker_.Acknowledged(early.tx_id, true);
  EXPECT_EQ(tracker_.awaiting_delivery(), 2u);
  tracker_.OnBlock(Block(5, {early, a, b}), t0_ + milliseconds(50));
  tracker_.Acknowledged(b.tx_id, true);  // the block may come before the answer
  EXPECT_EQ(tracker_.awaiting_delivery(), 0u);
  EXPECT_TRUE(tracker_.WaitAllDelivered(Clock::now()));

  const DeliveryResult r = tracker_.Finish();
  EXPECT_EQ(r.blocks, 1u);
  EXPECT_EQ(r.delivered, 3u);
  ASSERT_EQ(r.latencies_ns.size(), 2u);
  EXPECT_EQ(r.latencies_ns[0], 40'000'000);
  EXPECT_EQ(r.latencies_ns[1], 30'000'000);
  EXPECT_EQ(r.acknowledged_not_delivered, 0u);
  EXPECT_EQ(r.delivered_twice, 0u);
}

TEST_F(DeliveryTrackerTest, AcknowledgedButNeverDeliveredIsCounted) {
  const SignedEnvelope a = Envelope(), lost = Envelope(), failed = Envelope();
  for (const SignedEnvelope* e : {&a, &lost, &failed}) tracker_.Sent(e->tx_id, t0_ + milliseconds(1));
  tracker_.Acknowledged(a.tx_id, true);
  tracker_.Acknowledged(lost.tx_id, true);
  tracker_.Acknowledged(failed.tx_id, false);  // refused: not expected in a block
  tracker_.OnBlock(Block(1, {a}), t0_ + milliseconds(30));
  EXPECT_FALSE(tracker_.WaitAllDelivered(Clock::now() + milliseconds(1)));
  const DeliveryResult r = tracker_.Finish();
  EXPECT_EQ(r.delivered, 1u);
  EXPECT_EQ(r.acknowledged_not_delivered, 1u);
  EXPECT_EQ(r.delivered_despite_error, 0u);
}

TEST_F(DeliveryTrackerTest, CountsDuplicatesLateOrderingAndMalformedEntries) {
  const SignedEnvelope a = Envelope(), refused = Envelope(), others = Envelope();
  tracker_.Sent(a.tx_id, t0_ + milliseconds(1));
  tracker_.Sent(refused.tx_id, t0_ + milliseconds(1));
  tracker_.Acknowledged(a.tx_id, true);
  tracker_.Acknowledged(refused.tx_id, false);
  ::common::Block block = Block(1, {a, refused, others});  // `others` is another client's
  block.mutable_data()->add_data("not an envelope \xff\xff");
  tracker_.OnBlock(block, t0_ + milliseconds(5));
  tracker_.OnBlock(Block(2, {a}), t0_ + milliseconds(9));
  const DeliveryResult r = tracker_.Finish();
  EXPECT_EQ(r.blocks, 2u);
  EXPECT_EQ(r.delivered, 2u);
  EXPECT_EQ(r.delivered_twice, 1u);
  EXPECT_EQ(r.delivered_despite_error, 1u);
  EXPECT_EQ(r.malformed_envelopes, 1u);
  EXPECT_EQ(r.acknowledged_not_delivered, 0u);
}

TEST_F(DeliveryTrackerTest, WaitAllDeliveredWakesWhenTheBlockArrives) {
  const SignedEnvelope a = Envelope();
  tracker_.Sent(a.tx_id, t0_);
  tracker_.Acknowledged(a.tx_id, true);
  std::thread deliverer([&] { tracker_.OnBlock(Block(1, {a}), Clock::now()); });
  EXPECT_TRUE(tracker_.WaitAllDelivered(Clock::now() + std::chrono::seconds(30)));
  deliverer.join();
}

}  // namespace
}  // namespace careledger::bench
