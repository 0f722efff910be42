#include "network/bench/deliver_follower.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"
#include "network/bench/status_names.h"

namespace careledger::bench {
namespace {

constexpr auto kReconnectBackoff = std::chrono::milliseconds(200);

}  // namespace

DeliverFollower::DeliverFollower(std::shared_ptr<grpc::Channel> channel, std::shared_ptr<const protoutil::Signer> signer,
                                 std::string channel_id, DeliveryTracker* tracker)
    : stub_(::orderer::AtomicBroadcast::NewStub(std::move(channel))),
      signer_(std::move(signer)),
      channel_id_(std::move(channel_id)),
      tracker_(tracker) {}

DeliverFollower::~DeliverFollower() { Stop(); }

void DeliverFollower::Start() { thread_ = std::thread([this] { Loop(); }); }

absl::Status DeliverFollower::WaitReady(Clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait_until(lock, deadline, [&] { return ready_ || !first_failure_.ok(); });
  if (ready_) return absl::OkStatus();
  if (!first_failure_.ok()) return first_failure_;
  return absl::DeadlineExceededError("Deliver sent no block in time");
}

void DeliverFollower::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    if (context_ != nullptr) context_->TryCancel();
    changed_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

std::map<std::string, uint64_t> DeliverFollower::errors() const {
  std::lock_guard<std::mutex> lock(mu_);
  return errors_;
}

uint64_t DeliverFollower::reconnects() const {
  std::lock_guard<std::mutex> lock(mu_);
  return reconnects_;
}

void DeliverFollower::Loop() {
  while (RunCall()) {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait_for(lock, kReconnectBackoff, [&] { return stopping_; });
    if (stopping_) return;
    reconnects_++;
  }
}

bool DeliverFollower::RunCall() {
  std::optional<uint64_t> start;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return false;
    start = next_block_;
  }
  auto seek = MakeSeekEnvelope(*signer_, channel_id_, start);
  if (!seek.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!ready_) first_failure_ = seek.status();
    errors_["deliver_request_unsigned"]++;
    changed_.notify_all();
    return false;
  }

  grpc::ClientContext context;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return false;
    context_ = &context;
  }
  auto call = stub_->Deliver(&context);
  std::optional<::common::Status> ended_with;
  if (call->Write(*seek)) {
    ::orderer::DeliverResponse response;
    while (call->Read(&response)) {
      if (response.has_block()) {
        tracker_->OnBlock(response.block(), Clock::now());
        std::lock_guard<std::mutex> lock(mu_);
        next_block_ = response.block().header().number() + 1;
        if (!ready_) {
          ready_ = true;
          changed_.notify_all();
        }
      } else if (response.Type_case() == ::orderer::DeliverResponse::kStatus) {
        ended_with = response.status();
      }
    }
  }
  const grpc::Status status = call->Finish();

  std::lock_guard<std::mutex> lock(mu_);
  context_ = nullptr;
  if (stopping_) return false;
  std::string kind;
  if (ended_with.has_value()) {
    kind = "deliver_status:" + StatusName(*ended_with);
  } else if (!status.ok()) {
    kind = "deliver_stream:" + CodeName(status.error_code());
  } else {
    kind = "deliver_stream_closed";
  }
  errors_[kind]++;
  if (!ready_) {
    // The first stream never delivered: the orderer refuses us or cannot be reached; say so instead of retrying.
    first_failure_ = ended_with.has_value()
                         ? absl::FailedPreconditionError(absl::StrCat("Deliver answered ", StatusName(*ended_with)))
                         : absl::UnavailableError(absl::StrCat("Deliver stream failed: ", kind, " ",
                                                               status.error_message()));
    changed_.notify_all();
    return false;
  }
  return true;
}

}  // namespace careledger::bench
