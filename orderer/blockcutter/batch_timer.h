// BatchTimer: when the pending batch has waited the channel's Orderer.BatchTimeout, the chain loop cuts it.
//
// A pure helper: it holds the time its caller passed to Start and compares it with the time passed to
// Expired; it reads no clock and owns no thread. The chain loop reads its clock once per turn, and waits
// for Deadline() (or for new work) instead of polling.
//
// Why a type of its own rather than a "first pending envelope arrived at" inside BlockCutter:
//   - the cutter's output depends only on the envelopes and limits given to it; keeping time out of it keeps
//     it a function of its inputs, tested without a clock;
//   - only the Raft leader cuts blocks, so only the leader runs the timer; leadership changes are the chain
//     loop's business, and it stops the timer when it steps down (Stop) without touching the cutter;
//   - Fabric's etcdraft does not restart the timer when a batch is cut because it overflowed and a new one is
//     pending: the timer measures from the first envelope that found nothing pending and runs until nothing
//     is pending (or it fires). Observe() is that rule, kept next to the timer so the loop cannot get it
//     subtly different.
//
// The loop, per envelope and on each wake-up:
//   ASSIGN_OR_RETURN(OrderedResult r, cutter.Ordered(std::move(envelope)));
//   timer.Observe(r.pending, now);
//   ... propose r.batches ...
//   if (timer.Expired(now, batch_timeout)) { propose cutter.Cut(); timer.Stop(); }
//
// A value type; thread-compatible.
#ifndef CARELEDGER_ORDERER_BLOCKCUTTER_BATCH_TIMER_H_
#define CARELEDGER_ORDERER_BLOCKCUTTER_BATCH_TIMER_H_

#include <optional>

#include "absl/time/time.h"

namespace careledger::orderer {

class BatchTimer {
 public:
  // Starts the timer at `now`; a running timer restarts at `now`.
  void Start(absl::Time now) { started_at_ = now; }

  // Stops the timer: it is not running and never expires until started again.
  void Stop() { started_at_.reset(); }

  bool running() const { return started_at_.has_value(); }

  // When the timer was started; nullopt if it is not running.
  std::optional<absl::Time> started_at() const { return started_at_; }

  // True if the timer is running and `timeout` has passed since it started (now >= start + timeout). A
  // `now` earlier than the start (a clock stepped back) is not expired.
  bool Expired(absl::Time now, absl::Duration timeout) const;

  // When the timer expires with `timeout`; nullopt if it is not running.
  std::optional<absl::Time> Deadline(absl::Duration timeout) const;

  // Fabric's etcdraft rule after each Ordered call: start the timer if something is pending and it is not
  // running (a running timer keeps its start), stop it if nothing is pending.
  void Observe(bool pending, absl::Time now);

 private:
  std::optional<absl::Time> started_at_;
};

}  // namespace careledger::orderer

#endif  // CARELEDGER_ORDERER_BLOCKCUTTER_BATCH_TIMER_H_
