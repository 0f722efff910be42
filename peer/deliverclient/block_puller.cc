#include "peer/deliverclient/block_puller.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/protoutil/envelope.h"
#include "common/protoutil/timestamp.h"
#include "common/status_macros.h"
#include "grpcpp/grpcpp.h"
#include "orderer/ab.grpc.pb.h"

namespace careledger::deliverclient {
namespace {

absl::StatusOr<::common::Envelope> SeekFrom(const protoutil::Signer& signer, const std::string& channel_id,
                                            uint64_t next) {
  ::orderer::SeekInfo seek;
  seek.mutable_start()->mutable_specified()->set_number(next);
  seek.mutable_stop()->mutable_specified()->set_number(std::numeric_limits<uint64_t>::max());
  seek.set_behavior(::orderer::SeekInfo::BLOCK_UNTIL_READY);
  return protoutil::CreateSignedEnvelope(::common::DELIVER_SEEK_INFO, channel_id, signer, seek, /*epoch=*/0,
                                         protoutil::ToTimestamp(absl::Now()));
}

std::shared_ptr<grpc::Channel> Dial(const OrdererEndpoint& endpoint, const BlockPullerOptions& options) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);  // blocks are bounded by the channel's AbsoluteMaxBytes, not by gRPC
  // Each round gets a channel of its own, so a failed orderer's connection state never leaks into the next.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  if (endpoint.tls_root_certs_pem.empty()) {
    return grpc::CreateCustomChannel(endpoint.address, grpc::InsecureChannelCredentials(), args);
  }
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = endpoint.tls_root_certs_pem;
  ssl.pem_cert_chain = options.tls_client_cert_pem;
  ssl.pem_private_key = options.tls_client_key_pem;
  return grpc::CreateCustomChannel(endpoint.address, grpc::SslCredentials(ssl), args);
}

}  // namespace

BlockPuller::BlockPuller(BlockPullerOptions options, const protoutil::Signer& signer, NextBlock next_block,
                         BlockSink sink)
    : options_(std::move(options)), signer_(signer), next_block_(std::move(next_block)), sink_(std::move(sink)) {}

BlockPuller::~BlockPuller() { Stop(); }

void BlockPuller::Start() { thread_ = std::thread([this] { Loop(); }); }

void BlockPuller::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    if (context_ != nullptr) context_->TryCancel();
    stop_changed_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

absl::Status BlockPuller::last_error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_error_;
}

uint64_t BlockPuller::failures() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failures_;
}

void BlockPuller::Loop() {
  if (options_.orderers.empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    last_error_ =
        absl::FailedPreconditionError(absl::StrCat("channel ", options_.channel_id, ": no orderer to pull from"));
    return;
  }
  absl::Duration backoff = options_.initial_backoff;
  for (size_t round = 0;; ++round) {
    const OrdererEndpoint& endpoint = options_.orderers[round % options_.orderers.size()];
    bool progressed = false;
    absl::Status ended = PullFrom(endpoint, &progressed);
    std::unique_lock<std::mutex> lock(mu_);
    if (stopping_) return;
    last_error_ = Annotate(ended, absl::StrCat("channel ", options_.channel_id, ", orderer ", endpoint.address));
    failures_++;
    backoff = progressed ? options_.initial_backoff : std::min(backoff * 2, options_.max_backoff);
    stop_changed_.wait_for(lock, absl::ToChronoNanoseconds(backoff), [this] { return stopping_; });
    if (stopping_) return;
  }
}

absl::Status BlockPuller::PullFrom(const OrdererEndpoint& endpoint, bool* progressed) {
  ASSIGN_OR_RETURN(::common::Envelope seek, SeekFrom(signer_, options_.channel_id, next_block_()));
  std::unique_ptr<::orderer::AtomicBroadcast::Stub> stub =
      ::orderer::AtomicBroadcast::NewStub(Dial(endpoint, options_));
  grpc::ClientContext context;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return absl::CancelledError("stopping");
    context_ = &context;
  }
  auto call = stub->Deliver(&context);
  absl::Status ended = absl::UnavailableError("the stream ended");
  if (call->Write(seek)) {
    ::orderer::DeliverResponse response;
    while (call->Read(&response)) {
      if (response.Type_case() == ::orderer::DeliverResponse::kStatus) {
        ended = absl::UnavailableError(
            absl::StrCat("Deliver answered ", ::common::Status_Name(response.status())));
        break;
      }
      if (!response.has_block()) continue;
      const uint64_t number = response.block().header().number();
      if (absl::Status taken = sink_(std::move(*response.mutable_block())); !taken.ok()) {
        ended = Annotate(taken, absl::StrCat("block ", number));
        break;
      }
      *progressed = true;
    }
  }
  context.TryCancel();  // we may have stopped reading early
  const grpc::Status status = call->Finish();
  {
    std::lock_guard<std::mutex> lock(mu_);
    context_ = nullptr;
  }
  if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
    return absl::UnavailableError(absl::StrCat("Deliver stream failed: ", status.error_message()));
  }
  return ended;
}

}  // namespace careledger::deliverclient
