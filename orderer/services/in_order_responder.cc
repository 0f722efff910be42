#include "orderer/services/in_order_responder.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace careledger::orderer {

struct InOrderResponder::State {
  std::mutex mu;
  std::condition_variable cv;
  // Reserved answers from the first one not yet handed to the writer; empty until decided. Guarded by mu.
  std::deque<std::optional<::orderer::BroadcastResponse>> pending;
  uint64_t first = 0;        // ticket of pending.front(); guarded by mu
  uint64_t next = 0;         // ticket of the next Add; guarded by mu
  size_t unwritten = 0;      // reserved and not yet written (pending plus the one being written); guarded by mu
  bool broken = false;       // a write failed or the call was cancelled; guarded by mu
  bool stopping = false;     // the responder is being destroyed; guarded by mu

  void Fill(uint64_t ticket, ::orderer::BroadcastResponse response) {
    std::lock_guard<std::mutex> lock(mu);
    if (broken || stopping || ticket < first || ticket - first >= pending.size()) return;
    pending[ticket - first] = std::move(response);
    if (ticket == first) cv.notify_all();
  }
};

InOrderResponder::InOrderResponder(WriteFn write, CancelledFn cancelled, size_t max_outstanding, absl::Duration poll)
    : write_(std::move(write)),
      cancelled_(std::move(cancelled)),
      max_outstanding_(max_outstanding == 0 ? 1 : max_outstanding),
      poll_(poll),
      state_(std::make_shared<State>()),
      writer_([this] { RunWriter(); }) {}

InOrderResponder::~InOrderResponder() {
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->stopping = true;
  }
  state_->cv.notify_all();
  writer_.join();
}

void InOrderResponder::RunWriter() {
  State& s = *state_;
  std::unique_lock<std::mutex> lock(s.mu);
  while (true) {
    s.cv.wait(lock, [&s] { return s.stopping || s.broken || (!s.pending.empty() && s.pending.front().has_value()); });
    if (s.stopping || s.broken) return;
    ::orderer::BroadcastResponse response = *std::move(s.pending.front());
    s.pending.pop_front();
    ++s.first;
    lock.unlock();
    const bool written = write_(response);
    lock.lock();
    --s.unwritten;
    if (!written) s.broken = true;
    s.cv.notify_all();
  }
}

bool InOrderResponder::WaitUntil(const std::function<bool()>& done) {
  State& s = *state_;
  std::unique_lock<std::mutex> lock(s.mu);
  while (!done()) {
    if (s.broken) return false;
    if (s.cv.wait_for(lock, absl::ToChronoNanoseconds(poll_)) == std::cv_status::timeout && cancelled_()) {
      s.broken = true;
      s.cv.notify_all();
      return false;
    }
  }
  return !s.broken;
}

bool InOrderResponder::WaitForRoom() {
  return WaitUntil([this] { return state_->unwritten < max_outstanding_; });
}

InOrderResponder::Answer InOrderResponder::Add() {
  uint64_t ticket;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    ticket = state_->next++;
    state_->pending.emplace_back();
    ++state_->unwritten;
  }
  return [state = state_, ticket](::orderer::BroadcastResponse response) { state->Fill(ticket, std::move(response)); };
}

bool InOrderResponder::Drain() {
  return WaitUntil([this] { return state_->unwritten == 0; });
}

}  // namespace careledger::orderer
