// A fixed set of worker threads for CPU-bound work that must scale with cores: signature verification,
// transaction validation. Threads are created once; no thread is created per task.
#ifndef CARELEDGER_COMMON_CONCURRENCY_THREAD_POOL_H_
#define CARELEDGER_COMMON_CONCURRENCY_THREAD_POOL_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/functional/function_ref.h"

namespace careledger {

class ThreadPool {
 public:
  // Starts `threads` workers; 0 means one per hardware thread.
  explicit ThreadPool(size_t threads);
  // Runs every task already scheduled, then joins the workers.
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  size_t size() const { return workers_.size(); }

  // Queues `task` to run on a worker. Tasks must not throw. Thread-safe.
  void Schedule(std::function<void()> task);

  // Calls fn(i) for every i in [0, n), spread over the workers and the calling thread, and returns when every
  // call has returned. Calls may run in any order and concurrently; fn must not throw. Thread-safe; may be
  // called from several threads at once. Never deadlocks when the workers are busy: the caller itself works
  // through whatever the workers have not claimed.
  void ParallelFor(size_t n, absl::FunctionRef<void(size_t)> fn);

 private:
  void WorkerLoop();

  std::mutex mu_;
  std::condition_variable work_available_;
  std::deque<std::function<void()>> tasks_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::vector<std::thread> workers_;
};

}  // namespace careledger

#endif  // CARELEDGER_COMMON_CONCURRENCY_THREAD_POOL_H_
