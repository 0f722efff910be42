#include "chaincode/runtime/invocation_workers.h"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "chaincode/runtime/testing/wait_for.h"
#include "gtest/gtest.h"

namespace careledger::chaincode {
namespace {

using testing::WaitFor;
using Outcome = InvocationWorkers::Outcome;

// A gate a task blocks on until the test opens it. Shared, because a task may outlive the test's frame.
class Gate {
 public:
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

TEST(InvocationWorkersTest, ReusesOneThreadForSequentialTasks) {
  InvocationWorkers workers({.max_workers = 4, .max_stuck_workers = 2});
  int runs = 0;
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(workers.Run([&] { ++runs; }, absl::Seconds(10)).value(), Outcome::kFinished);
  }
  EXPECT_EQ(runs, 100);
  EXPECT_EQ(workers.threads(), 1u);
}

TEST(InvocationWorkersTest, RunsUpToMaxWorkersTasksAtOnce) {
  InvocationWorkers workers({.max_workers = 3, .max_stuck_workers = 2});
  std::atomic<int> waiting{0};
  auto gate = std::make_shared<Gate>();
  std::vector<std::thread> callers;
  for (int i = 0; i < 3; ++i) {
    callers.emplace_back([&, gate] {
      EXPECT_EQ(workers
                    .Run(
                        [&, gate] {
                          ++waiting;
                          gate->Wait();
                        },
                        absl::Seconds(20))
                    .value(),
                Outcome::kFinished);
    });
  }
  // All three run at the same time: each is inside its task before any may leave.
  EXPECT_TRUE(WaitFor([&] { return waiting.load() == 3; }));
  gate->Open();
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(workers.threads(), 3u);
}

TEST(InvocationWorkersTest, ATaskThatExpiresInTheQueueNeverRuns) {
  InvocationWorkers workers({.max_workers = 1, .max_stuck_workers = 2});
  auto gate = std::make_shared<Gate>();
  std::atomic<bool> first_running{false};
  std::thread first([&, gate] {
    EXPECT_EQ(workers
                  .Run(
                      [&, gate] {
                        first_running = true;
                        gate->Wait();
                      },
                      absl::Seconds(20))
                  .value(),
              Outcome::kFinished);
  });
  ASSERT_TRUE(WaitFor([&] { return first_running.load(); }));
  std::atomic<bool> second_ran{false};
  EXPECT_EQ(workers.Run([&] { second_ran = true; }, absl::Milliseconds(50)).value(), Outcome::kExpiredQueued);
  gate->Open();
  first.join();
  // The worker has been through the queue once this third task ran.
  ASSERT_EQ(workers.Run([] {}, absl::Seconds(10)).value(), Outcome::kFinished);
  EXPECT_FALSE(second_ran.load());
  EXPECT_EQ(workers.stuck_workers(), 0u);
}

TEST(InvocationWorkersTest, AnAbandonedWorkerIsStuckUntilItsTaskReturnsAndIsReplacedMeanwhile) {
  InvocationWorkers workers({.max_workers = 1, .max_stuck_workers = 2});
  auto gate = std::make_shared<Gate>();
  EXPECT_EQ(workers.Run([gate] { gate->Wait(); }, absl::Milliseconds(20)).value(), Outcome::kExpiredRunning);
  EXPECT_EQ(workers.stuck_workers(), 1u);
  // Capacity is not lost: a new worker serves the next task.
  EXPECT_EQ(workers.Run([] {}, absl::Seconds(10)).value(), Outcome::kFinished);
  EXPECT_EQ(workers.threads(), 2u);
  gate->Open();
  EXPECT_TRUE(WaitFor([&] { return workers.stuck_workers() == 0; }));
}

TEST(InvocationWorkersTest, RefusesWorkWhileTooManyWorkersAreStuck) {
  InvocationWorkers workers({.max_workers = 4, .max_stuck_workers = 1});
  auto gate = std::make_shared<Gate>();
  ASSERT_EQ(workers.Run([gate] { gate->Wait(); }, absl::Milliseconds(20)).value(), Outcome::kExpiredRunning);
  const absl::StatusOr<Outcome> refused = workers.Run([] {}, absl::Seconds(10));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(refused.status().message().find("1 chaincode workers are stuck"), absl::string_view::npos)
      << refused.status();
  gate->Open();
  ASSERT_TRUE(WaitFor([&] { return workers.stuck_workers() == 0; }));
  EXPECT_EQ(workers.Run([] {}, absl::Seconds(10)).value(), Outcome::kFinished);
}

TEST(InvocationWorkersTest, DestructionDoesNotWaitForAStuckWorker) {
  auto gate = std::make_shared<Gate>();
  auto finished = std::make_shared<std::atomic<bool>>(false);
  {
    InvocationWorkers workers({.max_workers = 2, .max_stuck_workers = 2});
    ASSERT_EQ(workers
                  .Run(
                      [gate, finished] {
                        gate->Wait();
                        *finished = true;
                      },
                      absl::Milliseconds(20))
                  .value(),
              Outcome::kExpiredRunning);
  }
  gate->Open();  // the stuck task still runs to its end after the pool is gone
  EXPECT_TRUE(WaitFor([&] { return finished->load(); }));
}

}  // namespace
}  // namespace careledger::chaincode
