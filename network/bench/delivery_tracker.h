// Matches the envelopes the broadcast bench sent with the blocks Deliver returns: broadcast-to-block latency
// per envelope, and the envelopes an orderer acknowledged SUCCESS that never appear in a block.
//
// Every envelope is registered by tx ID before it is written (so a block can never arrive before the
// record), its acknowledgement is recorded when it comes, and each block's envelopes are looked up as the
// block arrives; envelopes of other clients are ignored. Entries are kept until Finish, so an envelope that
// appears twice is noticed.
//
// Thread-safe: streams register and acknowledge while the Deliver reader records blocks.
#ifndef CARELEDGER_NETWORK_BENCH_DELIVERY_TRACKER_H_
#define CARELEDGER_NETWORK_BENCH_DELIVERY_TRACKER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/common.pb.h"
#include "network/bench/measurement_window.h"

namespace careledger::bench {

struct DeliveryResult {
  uint64_t blocks = 0;                       // blocks received (including ones without our envelopes)
  uint64_t delivered = 0;                    // our envelopes found in blocks (each counted once)
  std::vector<int64_t> latencies_ns;         // send -> block arrival, of envelopes sent in the window
  uint64_t acknowledged_not_delivered = 0;   // acknowledged SUCCESS, never in a block
  uint64_t delivered_twice = 0;              // our envelopes found again in a later block
  uint64_t delivered_despite_error = 0;      // in a block although the acknowledgement was not SUCCESS
  uint64_t malformed_envelopes = 0;          // block entries that do not parse down to a channel header
};

class DeliveryTracker {
 public:
  using Clock = std::chrono::steady_clock;

  // Sets the window whose envelopes' latencies are kept; call before the first Sent.
  void SetWindow(MeasurementWindow window);

  // Registers an envelope about to be written.
  void Sent(const std::string& tx_id, Clock::time_point at);
  // Records its acknowledgement: `success` if SUCCESS; false also for envelopes that never got an answer.
  void Acknowledged(const std::string& tx_id, bool success);
  // Looks up every envelope of `block`, which arrived at `arrival`.
  void OnBlock(const ::common::Block& block, Clock::time_point arrival);

  // Waits until every envelope acknowledged SUCCESS has been delivered, or `deadline`. True if all were.
  // Meaningful once every acknowledgement is in (the streams have drained).
  bool WaitAllDelivered(Clock::time_point deadline);
  uint64_t awaiting_delivery() const;

  // The counts and latencies so far; acknowledged SUCCESS but undelivered envelopes count as
  // acknowledged_not_delivered. Call once the run has drained.
  DeliveryResult Finish() const;

 private:
  enum class Ack : uint8_t { kPending, kSuccess, kFailed };
  struct Entry {
    Clock::time_point sent_at;
    Ack ack = Ack::kPending;
    bool delivered = false;
  };

  mutable std::mutex mu_;
  MeasurementWindow window_;                         // guarded by mu_
  std::condition_variable changed_;
  absl::flat_hash_map<std::string, Entry> entries_;  // guarded by mu_
  uint64_t awaiting_ = 0;                            // acknowledged SUCCESS, not delivered; guarded by mu_
  DeliveryResult result_;                            // guarded by mu_ (acknowledged_not_delivered unset)
};

}  // namespace careledger::bench

#endif  // CARELEDGER_NETWORK_BENCH_DELIVERY_TRACKER_H_
