#include "peer/gateway/call_context.h"

#include <algorithm>
#include <chrono>

#include "absl/time/clock.h"

namespace careledger::gateway {

CallContext CallContextOf(const grpc::ServerContext& context) {
  CallContext call;
  const std::chrono::system_clock::time_point deadline = context.deadline();
  // gRPC reports "no deadline" as the largest time point, which absl::FromChrono cannot represent.
  call.deadline =
      deadline == std::chrono::system_clock::time_point::max() ? absl::InfiniteFuture() : absl::FromChrono(deadline);
  call.cancelled = [&context] { return context.IsCancelled(); };
  call.client = context.peer();
  return call;
}

absl::Time DeadlineWithin(const CallContext& call, absl::Duration limit) {
  return std::min(call.deadline, absl::Now() + limit);
}

HeightWait WaitForLedgerHeight(const ledger::Ledger& ledger, uint64_t height, absl::Time deadline,
                               const CallContext& call, absl::Duration poll) {
  const absl::Duration step = poll > absl::ZeroDuration() ? poll : absl::Milliseconds(1);
  while (true) {
    if (ledger.Height() >= height) return HeightWait::kReached;
    if (call.cancelled()) return HeightWait::kCancelled;
    const absl::Time now = absl::Now();
    if (now >= deadline) return HeightWait::kDeadlineExceeded;
    const absl::Time step_deadline = std::min(deadline, now + step);
    if (ledger.WaitForHeight(height, step_deadline)) return HeightWait::kReached;
    // Without a cancellation flag, WaitForHeight gives up before its deadline only when the ledger is closed.
    if (absl::Now() < step_deadline) return HeightWait::kLedgerClosed;
  }
}

}  // namespace careledger::gateway
