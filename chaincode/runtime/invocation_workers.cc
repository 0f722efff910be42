#include "chaincode/runtime/invocation_workers.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace careledger::chaincode {

struct InvocationWorkers::Task {
  explicit Task(std::function<void()> fn) : fn(std::move(fn)) {}

  enum class State { kQueued, kRunning, kDone, kCancelled };

  std::function<void()> fn;
  std::mutex mu;
  std::condition_variable finished;
  State state = State::kQueued;  // guarded by mu
  bool abandoned = false;        // guarded by mu: the caller stopped waiting while it ran
};

// Lives as long as the pool or any of its threads, whichever is longer.
struct InvocationWorkers::Shared {
  explicit Shared(Options options) : options(options) {}

  const Options options;
  std::mutex mu;
  std::condition_variable work;             // a task was queued, or the pool is stopping
  std::condition_variable thread_exit;      // a thread left WorkerLoop
  std::deque<std::shared_ptr<Task>> queue;  // guarded by mu
  size_t threads = 0;                       // guarded by mu: alive, including stuck ones
  size_t running = 0;                       // guarded by mu: running a task nobody gave up on
  size_t stuck = 0;                         // guarded by mu: running a task its caller gave up on
  bool stopping = false;                    // guarded by mu
};

InvocationWorkers::InvocationWorkers(Options options) {
  options.max_workers = std::max<size_t>(options.max_workers, 1);
  options.max_stuck_workers = std::max<size_t>(options.max_stuck_workers, 1);
  shared_ = std::make_shared<Shared>(options);
}

InvocationWorkers::~InvocationWorkers() {
  std::unique_lock<std::mutex> lock(shared_->mu);
  shared_->stopping = true;
  shared_->work.notify_all();
  shared_->thread_exit.wait(lock, [this] { return shared_->threads == shared_->stuck; });
}

size_t InvocationWorkers::stuck_workers() const {
  std::lock_guard<std::mutex> lock(shared_->mu);
  return shared_->stuck;
}

size_t InvocationWorkers::threads() const {
  std::lock_guard<std::mutex> lock(shared_->mu);
  return shared_->threads;
}

void InvocationWorkers::WorkerLoop(std::shared_ptr<Shared> shared) {
  std::unique_lock<std::mutex> lock(shared->mu);
  while (true) {
    if (shared->queue.empty()) {
      if (shared->stopping) break;
      shared->work.wait(lock, [&] { return shared->stopping || !shared->queue.empty(); });
      continue;
    }
    std::shared_ptr<Task> task = std::move(shared->queue.front());
    shared->queue.pop_front();
    ++shared->running;
    lock.unlock();

    bool run = false;
    {
      std::lock_guard<std::mutex> task_lock(task->mu);
      if (task->state == Task::State::kQueued) {
        task->state = Task::State::kRunning;
        run = true;
      }
    }
    if (run) {
      task->fn();
      std::lock_guard<std::mutex> task_lock(task->mu);
      task->state = Task::State::kDone;
      {
        // This worker counts as free again before its caller wakes up, so that a caller submitting its next
        // task right away finds it instead of starting another thread.
        std::lock_guard<std::mutex> shared_lock(shared->mu);
        if (task->abandoned) {
          --shared->stuck;
        } else {
          --shared->running;
        }
      }
      task->finished.notify_all();
    } else {
      std::lock_guard<std::mutex> shared_lock(shared->mu);
      --shared->running;  // a cancelled task: nothing ran
    }
    task.reset();  // the task's captures die here, on the worker, whether or not anyone still waits
    lock.lock();
  }
  --shared->threads;
  shared->thread_exit.notify_all();
}

absl::StatusOr<InvocationWorkers::Outcome> InvocationWorkers::Run(std::function<void()> fn, absl::Duration timeout) {
  const auto start = std::chrono::steady_clock::now();
  auto task = std::make_shared<Task>(std::move(fn));
  {
    std::lock_guard<std::mutex> lock(shared_->mu);
    if (shared_->stuck >= shared_->options.max_stuck_workers) {
      return absl::UnavailableError(absl::StrCat(
          shared_->stuck, " chaincode workers are stuck in invocations that ran past their time limit (the limit is ",
          shared_->options.max_stuck_workers, "); no new invocation starts until one of them returns"));
    }
    shared_->queue.push_back(task);
    const size_t live = shared_->threads - shared_->stuck;  // idle, about to be idle, or running
    const size_t free = live - shared_->running;
    if (shared_->queue.size() > free && live < shared_->options.max_workers) {
      try {
        std::thread(&InvocationWorkers::WorkerLoop, shared_).detach();
        ++shared_->threads;
      } catch (const std::system_error& error) {
        if (live == 0) {
          shared_->queue.pop_back();
          return absl::ResourceExhaustedError(absl::StrCat("cannot start a chaincode worker thread: ", error.what()));
        }
        // Otherwise a running worker takes the task when it is free.
      }
    }
    shared_->work.notify_one();
  }

  std::unique_lock<std::mutex> task_lock(task->mu);
  const auto done = [&] { return task->state == Task::State::kDone; };
  if (timeout == absl::InfiniteDuration()) {
    task->finished.wait(task_lock, done);
  } else {
    // Clamped so that a huge finite limit cannot overflow the clock arithmetic.
    const absl::Duration limit = std::min(timeout, absl::Hours(24 * 365));
    task->finished.wait_until(task_lock, start + absl::ToChronoNanoseconds(limit), done);
  }
  switch (task->state) {
    case Task::State::kDone:
      return Outcome::kFinished;
    case Task::State::kQueued:
      task->state = Task::State::kCancelled;  // the worker that dequeues it skips it
      return Outcome::kExpiredQueued;
    case Task::State::kRunning: {
      task->abandoned = true;
      // Moved from running to stuck while task->mu is held: the worker reads `abandoned` under the same lock
      // when the task returns, so it always undoes the right count.
      std::lock_guard<std::mutex> lock(shared_->mu);
      --shared_->running;
      ++shared_->stuck;
      return Outcome::kExpiredRunning;
    }
    case Task::State::kCancelled:
      break;
  }
  return absl::InternalError("chaincode task in an impossible state");
}

}  // namespace careledger::chaincode
