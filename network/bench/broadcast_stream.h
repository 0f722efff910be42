// One closed-loop Broadcast stream of the bench: keeps up to `in_flight` envelopes written but unanswered,
// matches each answer to the oldest unanswered envelope (an orderer answers a stream's envelopes in order),
// and reopens the stream after a failure until told to stop.
//
// All of a stream's state lives in this object. Two threads serve it: the session thread opens the call and
// reads the answers, a writer thread per call writes envelopes as room frees up; nothing runs per envelope.
#ifndef CARELEDGER_NETWORK_BENCH_BROADCAST_STREAM_H_
#define CARELEDGER_NETWORK_BENCH_BROADCAST_STREAM_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "network/bench/delivery_tracker.h"
#include "network/bench/envelope_supply.h"
#include "network/bench/measurement_window.h"
#include "orderer/ab.grpc.pb.h"

namespace careledger::bench {

struct StreamResult {
  uint64_t sent = 0;
  uint64_t acknowledged = 0;            // SUCCESS answers
  uint64_t acknowledged_in_window = 0;  // SUCCESS answers received inside the window
  uint64_t reconnects = 0;
  std::vector<int64_t> latencies_ns;    // send -> SUCCESS answer, envelopes sent inside the window
  std::map<std::string, uint64_t> errors;  // kinds as in bench_report.h
};

class BroadcastStream {
 public:
  using Clock = std::chrono::steady_clock;

  struct Options {
    int in_flight = 64;
    MeasurementWindow window;
    absl::Duration reconnect_backoff = absl::Milliseconds(200);
  };

  // `supply` and `tracker` (may be null: no Deliver) must outlive the stream.
  BroadcastStream(std::shared_ptr<grpc::Channel> channel, EnvelopeSupply* supply, DeliveryTracker* tracker,
                  Options options);
  // Cancels and joins.
  ~BroadcastStream();
  BroadcastStream(const BroadcastStream&) = delete;
  BroadcastStream& operator=(const BroadcastStream&) = delete;

  void Start();
  // Stops taking new envelopes: the stream waits for the unanswered ones, half-closes and ends; it is not
  // reopened after that.
  void StopSending();
  // Waits until the stream has ended or `deadline`; true if it ended.
  bool WaitEnded(Clock::time_point deadline);
  // Ends the stream now (its unanswered envelopes count as no_response) and joins its threads.
  void Cancel();

  // Live counters for progress lines; thread-safe.
  uint64_t sent() const { return sent_.load(); }
  uint64_t acknowledged() const { return acknowledged_.load(); }
  uint64_t errors() const { return error_count_.load(); }

  // Everything counted; call after Cancel.
  StreamResult Result() const;

 private:
  struct Pending {
    std::string tx_id;
    Clock::time_point sent_at;
  };
  using Call = grpc::ClientReaderWriter<::common::Envelope, ::orderer::BroadcastResponse>;

  void SessionLoop();
  void RunCall();
  void WriterLoop(Call* call, bool* half_closed);
  void OnResponse(const ::orderer::BroadcastResponse& response);
  void CountError(const std::string& kind, uint64_t n = 1);  // requires mu_

  const std::shared_ptr<grpc::Channel> channel_;
  const std::unique_ptr<::orderer::AtomicBroadcast::Stub> stub_;
  EnvelopeSupply* const supply_;
  DeliveryTracker* const tracker_;
  const Options options_;

  std::atomic<uint64_t> sent_{0};
  std::atomic<uint64_t> acknowledged_{0};
  std::atomic<uint64_t> error_count_{0};

  mutable std::mutex mu_;
  std::condition_variable changed_;   // pending_ shrank, or a flag below changed
  std::deque<Pending> pending_;       // written, unanswered, in write order; guarded by mu_
  bool call_over_ = false;            // the current call can take no more writes; guarded by mu_
  bool stop_sending_ = false;         // guarded by mu_
  bool cancelled_ = false;            // guarded by mu_
  bool ended_ = false;                // the session thread is done; guarded by mu_
  grpc::ClientContext* context_ = nullptr;  // of the current call, for Cancel; guarded by mu_
  StreamResult result_;               // counters and errors guarded by mu_; latencies_ns session thread only

  std::thread session_;
};

}  // namespace careledger::bench

#endif  // CARELEDGER_NETWORK_BENCH_BROADCAST_STREAM_H_
