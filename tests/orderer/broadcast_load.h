// Test-only: a client that keeps broadcasting to one orderer while a test kills, stops and restarts
// orderers, and remembers the fate of every envelope it sent, so that the test can hold the chain to it.
//
//   BroadcastLoad load(client, signer, {.channel = "healthchannel", .max_envelopes = 200});
//   load.Start();
//   ... WaitUntil([&] { return load.succeeded() >= 20; }, ...); net->Kill(leader); ...
//   std::vector<EnvelopeOutcome> outcomes = load.Finish(absl::Seconds(20));
//
// One session thread signs and writes envelopes on a Broadcast stream, keeping at most `window` unanswered
// (pipelined, as Fabric's clients may) and pacing them `interval` apart; a reader thread takes the answers,
// which come in order. When the stream breaks (the orderer died), the envelopes it had not answered are
// recorded as unanswered and a new stream is opened after `backoff`; after a refusal (e.g.
// SERVICE_UNAVAILABLE while a new leader is elected) the next envelope also waits `backoff`, as a client
// retrying would. Each envelope is sent once: nothing is resubmitted, so any envelope may appear at most
// once in the chain, and one answered SUCCESS exactly once.
//
// Thread-safety: the counters may be read from any thread while the load runs; Start and Finish from the
// test's thread.
#ifndef CARELEDGER_TESTS_ORDERER_BROADCAST_LOAD_H_
#define CARELEDGER_TESTS_ORDERER_BROADCAST_LOAD_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/common.pb.h"
#include "common/protoutil/signer.h"
#include "tests/orderer/ab_client.h"

namespace careledger::testing {

struct BroadcastLoadOptions {
  std::string channel;
  std::string label = "load";        // prefixes each envelope's data, for reading a chain by eye
  size_t max_envelopes = 200;        // written in all; the load stops sending after that
  size_t window = 8;                 // written but not yet answered, at most
  absl::Duration interval = absl::Milliseconds(5);   // between two writes
  absl::Duration backoff = absl::Milliseconds(100);  // after a refusal or a broken stream
};

// What became of one envelope.
struct EnvelopeOutcome {
  std::string tx_id;
  bool answered = false;                         // false: the stream broke (or the load ended) first
  ::common::Status status = ::common::UNKNOWN;   // the answer, if answered
  absl::Time written_at;
  absl::Time answered_at;                        // if answered
};

class BroadcastLoad {
 public:
  // `client` and `signer` must outlive the load.
  BroadcastLoad(const AbClient* client, const protoutil::Signer* signer, BroadcastLoadOptions options);
  // Cancels and joins (as Finish with no grace) if still running.
  ~BroadcastLoad();
  BroadcastLoad(const BroadcastLoad&) = delete;
  BroadcastLoad& operator=(const BroadcastLoad&) = delete;

  void Start();

  // Stops writing, waits up to `grace` for the answers still due, ends the stream and returns every
  // envelope's outcome in the order written. Idempotent: later calls return the same outcomes.
  std::vector<EnvelopeOutcome> Finish(absl::Duration grace);

  // Answers SUCCESS so far; those answered at or after `since`.
  size_t succeeded() const { return succeeded_.load(); }
  size_t SucceededSince(absl::Time since) const;
  size_t written() const { return written_.load(); }
  // The first error that is not the orderer's doing (e.g. signing failed); OK otherwise.
  absl::Status error() const;

 private:
  void SessionLoop();
  // Writes on one stream until it breaks, the budget is spent or Finish is called. Returns when its reader
  // is done.
  void RunStream();
  // Waits `d` unless Finish is called meanwhile; false if it was.
  bool Pause(absl::Duration d);

  const AbClient* client_;
  const protoutil::Signer* signer_;
  const BroadcastLoadOptions options_;

  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::vector<EnvelopeOutcome> outcomes_;   // guarded by mu_; in the order written
  std::deque<size_t> unanswered_;           // guarded by mu_; indexes into outcomes_ on the current stream
  bool refused_since_write_ = false;        // guarded by mu_
  bool finishing_ = false;                  // guarded by mu_
  absl::Time answers_deadline_ = absl::InfiniteFuture();  // guarded by mu_; set by Finish
  absl::Status error_;                      // guarded by mu_
  std::atomic<size_t> succeeded_{0};
  std::atomic<size_t> written_{0};
  std::thread session_;
};

}  // namespace careledger::testing

#endif  // CARELEDGER_TESTS_ORDERER_BROADCAST_LOAD_H_
