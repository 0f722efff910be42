// The bench's Deliver client: follows a channel's blocks from the newest one on and hands every block to the
// DeliveryTracker as it arrives. After a failure it reopens the stream at the block after the last one it
// received, so no block is missed.
//
// The request is a signed DELIVER_SEEK_INFO envelope whose data is an orderer.SeekInfo {start: newest (then
// the next expected block), stop: specified max uint64, behavior: BLOCK_UNTIL_READY}.
#ifndef CARELEDGER_NETWORK_BENCH_DELIVER_FOLLOWER_H_
#define CARELEDGER_NETWORK_BENCH_DELIVER_FOLLOWER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/common.pb.h"
#include "common/protoutil/signer.h"
#include "network/bench/delivery_tracker.h"
#include "network/bench/envelope_supply.h"
#include "orderer/ab.grpc.pb.h"

namespace careledger::bench {

class DeliverFollower {
 public:
  using Clock = std::chrono::steady_clock;

  // `tracker` must outlive the follower.
  DeliverFollower(std::shared_ptr<grpc::Channel> channel, std::shared_ptr<const protoutil::Signer> signer,
                  std::string channel_id, DeliveryTracker* tracker);
  // Stops and joins.
  ~DeliverFollower();
  DeliverFollower(const DeliverFollower&) = delete;
  DeliverFollower& operator=(const DeliverFollower&) = delete;

  void Start();
  // Waits for the first block. OK once it arrived; the orderer's refusal ("Deliver answered FORBIDDEN") or
  // the stream's failure as FailedPrecondition / Unavailable; DeadlineExceeded if nothing came by `deadline`.
  // A follower whose first stream failed does not retry.
  absl::Status WaitReady(Clock::time_point deadline);
  // Cancels the stream and joins.
  void Stop();

  // Errors by kind (deliver_status:<STATUS>, deliver_stream:<CODE>, deliver_stream_closed) and reopened
  // streams; call after Stop.
  std::map<std::string, uint64_t> errors() const;
  uint64_t reconnects() const;

 private:
  void Loop();
  // One call; returns false if the follower should not reopen it.
  bool RunCall();

  const std::unique_ptr<::orderer::AtomicBroadcast::Stub> stub_;
  const std::shared_ptr<const protoutil::Signer> signer_;
  const std::string channel_id_;
  DeliveryTracker* const tracker_;

  mutable std::mutex mu_;
  std::condition_variable changed_;
  bool stopping_ = false;                    // guarded by mu_
  bool ready_ = false;                       // the first block arrived; guarded by mu_
  absl::Status first_failure_;               // why it never became ready; guarded by mu_
  grpc::ClientContext* context_ = nullptr;   // guarded by mu_
  std::optional<uint64_t> next_block_;       // guarded by mu_
  std::map<std::string, uint64_t> errors_;   // guarded by mu_
  uint64_t reconnects_ = 0;                  // guarded by mu_
  std::thread thread_;
};

}  // namespace careledger::bench

#endif  // CARELEDGER_NETWORK_BENCH_DELIVER_FOLLOWER_H_
