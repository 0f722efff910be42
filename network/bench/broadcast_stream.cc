#include "network/bench/broadcast_stream.h"

#include <utility>

#include "grpcpp/grpcpp.h"
#include "network/bench/status_names.h"

namespace careledger::bench {
namespace {

// How long a writer waits for a signed envelope before checking again whether it should still send.
constexpr absl::Duration kTakeWait = absl::Milliseconds(100);

}  // namespace

BroadcastStream::BroadcastStream(std::shared_ptr<grpc::Channel> channel, EnvelopeSupply* supply,
                                 DeliveryTracker* tracker, Options options)
    : channel_(std::move(channel)),
      stub_(::orderer::AtomicBroadcast::NewStub(channel_)),
      supply_(supply),
      tracker_(tracker),
      options_(options) {}

BroadcastStream::~BroadcastStream() { Cancel(); }

void BroadcastStream::Start() { session_ = std::thread([this] { SessionLoop(); }); }

void BroadcastStream::StopSending() {
  std::lock_guard<std::mutex> lock(mu_);
  stop_sending_ = true;
  changed_.notify_all();
}

bool BroadcastStream::WaitEnded(Clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  return changed_.wait_until(lock, deadline, [&] { return ended_; });
}

void BroadcastStream::Cancel() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = true;
    if (context_ != nullptr) context_->TryCancel();
    changed_.notify_all();
  }
  if (session_.joinable()) session_.join();
}

StreamResult BroadcastStream::Result() const {
  std::lock_guard<std::mutex> lock(mu_);
  StreamResult result = result_;
  result.sent = sent_.load();
  result.acknowledged = acknowledged_.load();
  return result;
}

void BroadcastStream::CountError(const std::string& kind, uint64_t n) {
  result_.errors[kind] += n;
  error_count_.fetch_add(n);
}

void BroadcastStream::SessionLoop() {
  while (true) {
    RunCall();
    std::unique_lock<std::mutex> lock(mu_);
    if (stop_sending_ || cancelled_) break;
    // A failed stream is reopened, after a pause so that an orderer that is down is not hammered.
    changed_.wait_for(lock, absl::ToChronoNanoseconds(options_.reconnect_backoff),
                      [&] { return stop_sending_ || cancelled_; });
    if (stop_sending_ || cancelled_) break;
    result_.reconnects++;
  }
  std::lock_guard<std::mutex> lock(mu_);
  ended_ = true;
  changed_.notify_all();
}

void BroadcastStream::RunCall() {
  grpc::ClientContext context;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (cancelled_) return;
    context_ = &context;
    call_over_ = false;
  }
  std::unique_ptr<Call> call = stub_->Broadcast(&context);
  bool half_closed = false;
  std::thread writer([&] { WriterLoop(call.get(), &half_closed); });

  ::orderer::BroadcastResponse response;
  while (call->Read(&response)) OnResponse(response);
  {
    // The call is over: a writer waiting for room or an envelope must give up; one inside Write returns false.
    std::lock_guard<std::mutex> lock(mu_);
    call_over_ = true;
    changed_.notify_all();
  }
  writer.join();
  const grpc::Status status = call->Finish();

  std::lock_guard<std::mutex> lock(mu_);
  context_ = nullptr;
  if (!pending_.empty()) {
    CountError("no_response", pending_.size());
    if (tracker_ != nullptr) {
      for (const Pending& p : pending_) tracker_->Acknowledged(p.tx_id, false);
    }
    pending_.clear();
  }
  if (cancelled_) return;  // we ended it: not the orderer's failure
  if (!status.ok()) {
    CountError("broadcast_stream:" + CodeName(status.error_code()));
  } else if (!half_closed) {
    CountError("broadcast_stream_closed");
  }
}

void BroadcastStream::WriterLoop(Call* call, bool* half_closed) {
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      changed_.wait(lock, [&] {
        return call_over_ || cancelled_ || stop_sending_ || pending_.size() < static_cast<size_t>(options_.in_flight);
      });
      if (call_over_ || cancelled_) return;
      if (stop_sending_) {
        // Half-close only once every envelope is answered, so that no orderer can end the call early.
        changed_.wait(lock, [&] { return call_over_ || cancelled_ || pending_.empty(); });
        if (call_over_ || cancelled_) return;
        break;
      }
    }
    std::optional<SignedEnvelope> envelope = supply_->Take(kTakeWait);
    if (!envelope.has_value()) continue;
    const Clock::time_point now = Clock::now();
    // Registered before the write, so that neither the answer nor the block can arrive before the record.
    if (tracker_ != nullptr) tracker_->Sent(envelope->tx_id, now);
    {
      std::lock_guard<std::mutex> lock(mu_);
      pending_.push_back({envelope->tx_id, now});
    }
    sent_.fetch_add(1);
    if (!call->Write(envelope->envelope)) return;  // the call is over; the session thread counts the loss
  }
  *half_closed = call->WritesDone();
}

void BroadcastStream::OnResponse(const ::orderer::BroadcastResponse& response) {
  const Clock::time_point now = Clock::now();
  Pending pending;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (pending_.empty()) {
      CountError("unexpected_response");
      return;
    }
    pending = std::move(pending_.front());
    pending_.pop_front();
    changed_.notify_all();
    if (response.status() != ::common::Status::SUCCESS) {
      CountError("broadcast_status:" + StatusName(response.status()));
    } else if (options_.window.Contains(now)) {
      result_.acknowledged_in_window++;
    }
  }
  const bool success = response.status() == ::common::Status::SUCCESS;
  if (success) {
    acknowledged_.fetch_add(1);
    if (options_.window.Contains(pending.sent_at)) {
      result_.latencies_ns.push_back(
          std::chrono::duration_cast<std::chrono::nanoseconds>(now - pending.sent_at).count());
    }
  }
  if (tracker_ != nullptr) tracker_->Acknowledged(pending.tx_id, success);
}

}  // namespace careledger::bench
