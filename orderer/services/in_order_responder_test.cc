#include "orderer/services/in_order_responder.h"

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace careledger::orderer {
namespace {

constexpr absl::Duration kPoll = absl::Milliseconds(1);

::orderer::BroadcastResponse Numbered(int n) {
  ::orderer::BroadcastResponse response;
  response.set_status(::common::SUCCESS);
  response.set_info(std::to_string(n));
  return response;
}

// Collects what the responder writes.
class Client {
 public:
  InOrderResponder::WriteFn Writer() {
    return [this](const ::orderer::BroadcastResponse& r) {
      std::lock_guard<std::mutex> lock(mu_);
      written_.push_back(r.info());
      return !gone_;
    };
  }
  void GoAway() {
    std::lock_guard<std::mutex> lock(mu_);
    gone_ = true;
  }
  std::vector<std::string> written() {
    std::lock_guard<std::mutex> lock(mu_);
    return written_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> written_;
  bool gone_ = false;
};

InOrderResponder::CancelledFn Never() {
  return [] { return false; };
}

TEST(InOrderResponderTest, WritesAnswersInArrivalOrderWhateverOrderTheyAreDecidedIn) {
  Client client;
  InOrderResponder responder(client.Writer(), Never(), 16, kPoll);
  std::vector<InOrderResponder::Answer> answers;
  for (int i = 0; i < 10; ++i) answers.push_back(responder.Add());
  std::vector<std::thread> deciders;
  for (int i = 9; i >= 0; --i) deciders.emplace_back([&answers, i] { answers[static_cast<size_t>(i)](Numbered(i)); });
  for (std::thread& t : deciders) t.join();
  ASSERT_TRUE(responder.Drain());
  EXPECT_EQ(client.written(), (std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}));
}

TEST(InOrderResponderTest, WaitForRoomWaitsWhileMaxAnswersAreOutstanding) {
  Client client;
  std::atomic<int> polls{0};
  // Reports cancellation at the first poll: WaitForRoom only polls if it had to wait.
  InOrderResponder responder(client.Writer(), [&polls] { return ++polls > 0; }, 2, kPoll);
  InOrderResponder::Answer first = responder.Add();
  ASSERT_TRUE(responder.WaitForRoom());
  InOrderResponder::Answer second = responder.Add();
  EXPECT_FALSE(responder.WaitForRoom());
  EXPECT_GT(polls.load(), 0);
}

TEST(InOrderResponderTest, RoomFreesOnceTheOldestAnswerIsWritten) {
  Client client;
  InOrderResponder responder(client.Writer(), Never(), 1, kPoll);
  InOrderResponder::Answer answer = responder.Add();
  std::thread decider([answer] { answer(Numbered(0)); });
  EXPECT_TRUE(responder.WaitForRoom());
  decider.join();
  EXPECT_EQ(client.written(), std::vector<std::string>{"0"});
}

TEST(InOrderResponderTest, AClientThatGoesAwayStopsTheWritesAndTheReading) {
  Client client;
  client.GoAway();
  InOrderResponder responder(client.Writer(), Never(), 8, kPoll);
  InOrderResponder::Answer a = responder.Add();
  InOrderResponder::Answer b = responder.Add();
  a(Numbered(0));
  EXPECT_FALSE(responder.Drain());
  b(Numbered(1));  // dropped
  EXPECT_FALSE(responder.WaitForRoom());
  EXPECT_EQ(client.written(), std::vector<std::string>{"0"});
}

TEST(InOrderResponderTest, CancellationEndsDrainWithAnswersOutstanding) {
  Client client;
  InOrderResponder responder(client.Writer(), [] { return true; }, 8, kPoll);
  InOrderResponder::Answer never_answered = responder.Add();
  EXPECT_FALSE(responder.Drain());
}

TEST(InOrderResponderTest, AnswersArrivingAfterTheResponderIsGoneAreDropped) {
  Client client;
  InOrderResponder::Answer late;
  {
    InOrderResponder responder(client.Writer(), [] { return true; }, 8, kPoll);
    late = responder.Add();
  }
  late(Numbered(0));
  EXPECT_TRUE(client.written().empty());
}

}  // namespace
}  // namespace careledger::orderer
