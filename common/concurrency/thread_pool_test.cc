#include "common/concurrency/thread_pool.h"

#include <atomic>
#include <latch>
#include <set>
#include <vector>

#include "gtest/gtest.h"

namespace careledger {
namespace {

TEST(ThreadPoolTest, ParallelForCallsEachIndexExactlyOnce) {
  ThreadPool pool(3);
  std::vector<std::atomic<int>> calls(1000);
  pool.ParallelFor(calls.size(), [&](size_t i) { calls[i].fetch_add(1); });
  for (size_t i = 0; i < calls.size(); ++i) ASSERT_EQ(calls[i].load(), 1) << i;
  pool.ParallelFor(0, [&](size_t) { FAIL() << "no index to run"; });
}

TEST(ThreadPoolTest, ParallelForUsesSeveralThreads) {
  ThreadPool pool(2);
  // Each of the first three calls waits until all three have started: possible only if three threads (two
  // workers and the caller) run them concurrently.
  std::latch all_started(3);
  std::mutex mu;
  std::set<std::thread::id> threads;
  pool.ParallelFor(3, [&](size_t) {
    {
      std::lock_guard<std::mutex> lock(mu);
      threads.insert(std::this_thread::get_id());
    }
    all_started.arrive_and_wait();
  });
  EXPECT_EQ(threads.size(), 3u);
}

TEST(ThreadPoolTest, ParallelForCompletesWhileWorkersAreBlocked) {
  ThreadPool pool(2);
  std::latch release(1);
  std::latch blocked(2);
  for (int i = 0; i < 2; ++i) {
    pool.Schedule([&] {
      blocked.count_down();
      release.wait();
    });
  }
  blocked.wait();  // both workers are now busy
  std::atomic<int> sum{0};
  pool.ParallelFor(100, [&](size_t i) { sum.fetch_add(static_cast<int>(i)); });
  EXPECT_EQ(sum.load(), 4950);  // the caller did all the work itself
  release.count_down();
}

TEST(ThreadPoolTest, ConcurrentParallelForsFromSeveralThreads) {
  ThreadPool pool(2);
  std::atomic<int> total{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < 4; ++c) {
    callers.emplace_back([&] { pool.ParallelFor(250, [&](size_t) { total.fetch_add(1); }); });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(total.load(), 1000);
}

TEST(ThreadPoolTest, DestructorRunsScheduledTasks) {
  std::atomic<int> ran{0};
  {
    ThreadPool pool(1);
    for (int i = 0; i < 50; ++i) pool.Schedule([&] { ran.fetch_add(1); });
  }
  EXPECT_EQ(ran.load(), 50);
}

}  // namespace
}  // namespace careledger
