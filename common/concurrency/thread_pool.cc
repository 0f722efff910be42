#include "common/concurrency/thread_pool.h"

#include <atomic>
#include <memory>

namespace careledger {

ThreadPool::ThreadPool(size_t threads) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  workers_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  work_available_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void ThreadPool::Schedule(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    tasks_.push_back(std::move(task));
  }
  work_available_.notify_one();
}

void ThreadPool::WorkerLoop() {
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_available_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopping, and nothing left to run
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

namespace {

// Shared between the caller of ParallelFor and the helper tasks it schedules. Helpers may start after the
// caller has returned (when the pool was busy); they then find no index left and never touch `fn`.
struct ParallelForState {
  ParallelForState(size_t n, absl::FunctionRef<void(size_t)> fn) : n(n), fn(fn) {}
  const size_t n;
  absl::FunctionRef<void(size_t)> fn;
  std::atomic<size_t> next{0};
  std::atomic<size_t> completed{0};
  std::mutex mu;
  std::condition_variable all_done;

  // Claims and runs indices until none is left.
  void Drain() {
    size_t ran = 0;
    for (size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) {
      fn(i);
      ++ran;
    }
    if (ran > 0 && completed.fetch_add(ran) + ran == n) {
      std::lock_guard<std::mutex> lock(mu);
      all_done.notify_all();
    }
  }
};

}  // namespace

void ThreadPool::ParallelFor(size_t n, absl::FunctionRef<void(size_t)> fn) {
  if (n == 0) return;
  auto state = std::make_shared<ParallelForState>(n, fn);
  const size_t helpers = std::min(workers_.size(), n - 1);
  for (size_t i = 0; i < helpers; ++i) Schedule([state] { state->Drain(); });
  state->Drain();
  std::unique_lock<std::mutex> lock(state->mu);
  state->all_done.wait(lock, [&] { return state->completed.load() == n; });
}

}  // namespace careledger
