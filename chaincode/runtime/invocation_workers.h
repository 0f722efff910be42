// InvocationWorkers: reusable threads that run chaincode invocations, and let the caller stop waiting for
// one at a deadline.
//
// Why not common/concurrency's ThreadPool: its workers are a fixed set joined at destruction, so one
// chaincode looping forever would block the pool's destructor and silently shrink its capacity. Here a
// worker whose caller gave up is counted as stuck and replaced; it rejoins the others if its chaincode ever
// returns.
//
// What a stuck worker costs: a thread (its stack, 8 MiB of address space, the touched part of it resident)
// and, if the chaincode spins rather than blocks, a CPU core, until the chaincode returns or the process
// exits. Native code cannot be stopped safely (killing a thread would leave locks held and memory
// half-written), so the bound on stuck workers is what keeps a bad chaincode from exhausting the process:
// once `max_stuck_workers` are stuck, Run refuses new work until one of them returns.
//
// Threads are created on demand, up to `max_workers` running at once (stuck ones not counted), and then
// kept for reuse: the fast path hands a task to an idle thread and creates none.
//
// Thread-safe. The destructor requires that no Run is in progress; it waits for the threads that are not
// stuck and leaves stuck ones to exit when their task returns (they share the pool's state, not the pool).
#ifndef CARELEDGER_CHAINCODE_RUNTIME_INVOCATION_WORKERS_H_
#define CARELEDGER_CHAINCODE_RUNTIME_INVOCATION_WORKERS_H_

#include <cstddef>
#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace careledger::chaincode {

class InvocationWorkers {
 public:
  struct Options {
    size_t max_workers = 64;       // tasks running at once (more wait in a queue); at least 1
    size_t max_stuck_workers = 8;  // workers abandoned at a deadline before Run refuses work; at least 1
  };

  enum class Outcome {
    kFinished,        // the task ran and returned
    kExpiredQueued,   // the deadline passed before a worker took the task: it will never run
    kExpiredRunning,  // the deadline passed while the task ran: its worker is stuck until it returns
  };

  explicit InvocationWorkers(Options options);
  ~InvocationWorkers();
  InvocationWorkers(const InvocationWorkers&) = delete;
  InvocationWorkers& operator=(const InvocationWorkers&) = delete;

  // Runs `task` on a worker and waits until it returned or `timeout` (measured on the steady clock from the
  // call, queueing included; InfiniteDuration: no limit) passed. `task` must not throw. After
  // kExpiredRunning the task keeps running on its own: everything it touches must be owned by it (or
  // outlive it). Unavailable if max_stuck_workers are stuck; ResourceExhausted if no thread can be created
  // and none is running.
  absl::StatusOr<Outcome> Run(std::function<void()> task, absl::Duration timeout);

  // Workers whose task ran past its deadline and has not returned yet.
  size_t stuck_workers() const;
  // Threads alive (idle, running or stuck).
  size_t threads() const;

 private:
  struct Shared;
  struct Task;
  static void WorkerLoop(std::shared_ptr<Shared> shared);

  std::shared_ptr<Shared> shared_;
};

}  // namespace careledger::chaincode

#endif  // CARELEDGER_CHAINCODE_RUNTIME_INVOCATION_WORKERS_H_
