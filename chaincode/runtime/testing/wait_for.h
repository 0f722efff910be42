// Test-only: waits for a condition that another thread (a chaincode past its time limit) makes true, with a
// deadline, instead of sleeping for a guessed time.
#ifndef CARELEDGER_CHAINCODE_RUNTIME_TESTING_WAIT_FOR_H_
#define CARELEDGER_CHAINCODE_RUNTIME_TESTING_WAIT_FOR_H_

#include <chrono>
#include <functional>
#include <thread>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace careledger::chaincode::testing {

// Polls `condition` every millisecond until it holds (true) or `timeout` passed (false).
inline bool WaitFor(const std::function<bool()>& condition, absl::Duration timeout = absl::Seconds(20)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!condition()) {
    if (absl::Now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

}  // namespace careledger::chaincode::testing

#endif  // CARELEDGER_CHAINCODE_RUNTIME_TESTING_WAIT_FOR_H_
