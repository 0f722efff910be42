// The answers of one Broadcast stream. They are decided out of order -- a refusal at once, an ordered envelope
// when its block commits (on the chain's Raft loop thread) -- but Fabric's clients match answers to envelopes
// by position, so they are written in the order the envelopes arrived. A thread of the responder's own does
// the writing: whoever decides an answer only stores it, and never waits for a slow client.
//
//   InOrderResponder responder(write, cancelled, /*max_outstanding=*/1024, poll);
//   while (responder.WaitForRoom() && stream->Read(&envelope)) {
//     InOrderResponder::Answer answer = responder.Add();   // this envelope's place in the answer order
//     ... answer(response) now, or later from any thread ...
//   }
//   responder.Drain();                                      // every answer written (or the client is gone)
//
// Thread-safety: WaitForRoom, Add and Drain are called by one thread (the stream's reader); an Answer may be
// called from any thread, also after the responder is destroyed (the answer is then dropped).
#ifndef CARELEDGER_ORDERER_SERVICES_IN_ORDER_RESPONDER_H_
#define CARELEDGER_ORDERER_SERVICES_IN_ORDER_RESPONDER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <thread>

#include "absl/time/time.h"
#include "orderer/ab.pb.h"

namespace careledger::orderer {

class InOrderResponder {
 public:
  // Writes one response to the client; false if the client is gone (nothing more is written then).
  using WriteFn = std::function<bool(const ::orderer::BroadcastResponse&)>;
  // True once the call is cancelled (client gone, deadline, server shutdown); polled every `poll` while the
  // reader waits, as a cancelled call wakes nobody.
  using CancelledFn = std::function<bool()>;
  // Fills one reserved place. Call it exactly once.
  using Answer = std::function<void(::orderer::BroadcastResponse)>;

  // Starts the writer thread. `max_outstanding` >= 1 bounds the answers reserved but not yet written.
  InOrderResponder(WriteFn write, CancelledFn cancelled, size_t max_outstanding, absl::Duration poll);
  // Stops the writer thread: once this returns, `write` is never called again. Answers still outstanding are
  // dropped when they arrive.
  ~InOrderResponder();
  InOrderResponder(const InOrderResponder&) = delete;
  InOrderResponder& operator=(const InOrderResponder&) = delete;

  // Blocks while max_outstanding answers are reserved but unwritten. True when there is room; false if the
  // client is gone or the call was cancelled (stop reading then).
  bool WaitForRoom();

  // Reserves the next place in the answer order.
  Answer Add();

  // Blocks until every reserved answer is written: true; false if the client went away or the call was
  // cancelled first.
  bool Drain();

 private:
  struct State;
  // Waits on the state until `done` holds or the stream breaks or is cancelled; true if `done` holds.
  bool WaitUntil(const std::function<bool()>& done);
  void RunWriter();

  const WriteFn write_;
  const CancelledFn cancelled_;
  const size_t max_outstanding_;
  const absl::Duration poll_;
  std::shared_ptr<State> state_;  // shared with the Answers
  std::thread writer_;
};

}  // namespace careledger::orderer

#endif  // CARELEDGER_ORDERER_SERVICES_IN_ORDER_RESPONDER_H_
