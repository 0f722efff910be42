#include "network/bench/gateway_load.h"

#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "gateway/gateway.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "network/bench/status_names.h"
#include "network/client/gateway_messages.h"

namespace careledger::bench {

namespace {

const grpc::Status kCancelled(grpc::StatusCode::CANCELLED, "the load was cancelled");

}  // namespace

struct GatewayLoad::Slot {
  enum class Step { kIdle, kEndorse, kSubmit, kCommitStatus };

  int index = 0;
  ::gateway::Gateway::Stub* stub = nullptr;
  Step step = Step::kIdle;
  uint64_t sequence = 0;
  bool retired = false;  // a client-side failure that would repeat: the slot starts nothing more

  std::unique_ptr<grpc::ClientContext> context;  // one per call, as gRPC requires
  grpc::Status status;
  ::gateway::EndorseResponse endorse_response;
  ::gateway::SubmitResponse submit_response;
  ::gateway::CommitStatusResponse commit_response;
  std::unique_ptr<grpc::ClientAsyncResponseReader<::gateway::EndorseResponse>> endorse_call;
  std::unique_ptr<grpc::ClientAsyncResponseReader<::gateway::SubmitResponse>> submit_call;
  std::unique_ptr<grpc::ClientAsyncResponseReader<::gateway::CommitStatusResponse>> commit_call;

  client::Proposal proposal;
  client::PreparedTransaction prepared;
  TransactionOutcome outcome;
};

// One completion queue, its polling thread and the slots it drives.
class GatewayLoad::Poller {
 public:
  // `channels`: one per gateway; the poller keeps a stub on each.
  Poller(GatewayLoad& load, const std::vector<std::shared_ptr<grpc::Channel>>& channels, uint64_t seed)
      : load_(load), random_(seed) {
    for (const std::shared_ptr<grpc::Channel>& channel : channels) stubs_.push_back(::gateway::Gateway::NewStub(channel));
  }

  // Adds a slot sending to gateway `gateway` (an index into the channels).
  void AddSlot(std::unique_ptr<Slot> slot, size_t gateway) {
    slot->stub = stubs_.at(gateway).get();
    slots_.push_back(std::move(slot));
  }

  void Start() {
    for (const std::unique_ptr<Slot>& slot : slots_) StartTransaction(*slot);
    thread_ = std::thread([this] { Poll(); });
  }

  // Cancels every call in flight (they complete as CANCELLED), starts no more, and ends the polling thread
  // once every call has completed.
  void Shutdown() {
    {
      absl::MutexLock lock(&calls_mu_);
      shut_down_ = true;
      for (const std::unique_ptr<Slot>& slot : slots_) {
        if (slot->step != Slot::Step::kIdle && slot->context != nullptr) slot->context->TryCancel();
      }
    }
    queue_.Shutdown();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void Poll() {
    void* tag = nullptr;
    bool ok = false;
    while (queue_.Next(&tag, &ok)) OnCompleted(*static_cast<Slot*>(tag));
  }

  // Begins the slot's next transaction, unless the load stops.
  void StartTransaction(Slot& slot) {
    if (slot.retired || load_.stopping_.load(std::memory_order_relaxed)) return;
    load_.active_.fetch_add(1, std::memory_order_relaxed);
    const GatewayLoadOptions& options = load_.options_;
    slot.outcome = TransactionOutcome{};
    slot.outcome.start = std::chrono::steady_clock::now();
    const std::string key =
        options.hot_keys > 0
            ? absl::StrCat("hot-", std::uniform_int_distribution<uint64_t>(0, options.hot_keys - 1)(random_))
            : absl::StrCat("k-", load_.run_id_, "-", slot.index, "-", slot.sequence++);
    absl::StatusOr<client::Proposal> proposal = client::NewSignedProposal(
        *options.signer, options.channel_id, options.chaincode, {options.function, key, load_.value_});
    if (!proposal.ok()) return FailInClient(slot, proposal.status());
    slot.proposal = *std::move(proposal);
    const ::gateway::EndorseRequest request = client::EndorseRequestFor(slot.proposal, {});
    const bool started = StartCall(slot, Slot::Step::kEndorse, options.call_timeout, [&] {
      slot.endorse_call = slot.stub->AsyncEndorse(slot.context.get(), request, &queue_);
      slot.endorse_call->Finish(&slot.endorse_response, &slot.status, &slot);
    });
    if (!started) Fail(slot, "Endorse", kCancelled);
  }

  // Starts a call of the slot's next step (`start` issues it, with slot.context) unless the poller is shutting
  // down; false then.
  template <typename IssueCall>
  bool StartCall(Slot& slot, Slot::Step step, absl::Duration timeout, IssueCall start) {
    absl::MutexLock lock(&calls_mu_);
    if (shut_down_) return false;
    slot.step = step;
    slot.context = NewContext(timeout);
    start();
    return true;
  }

  void OnCompleted(Slot& slot) {
    switch (slot.step) {
      case Slot::Step::kEndorse:
        return OnEndorsed(slot);
      case Slot::Step::kSubmit:
        return OnSubmitted(slot);
      case Slot::Step::kCommitStatus:
        return OnCommitStatus(slot);
      case Slot::Step::kIdle:
        return;
    }
  }

  void OnEndorsed(Slot& slot) {
    if (!slot.status.ok()) return Fail(slot, "Endorse", slot.status);
    absl::StatusOr<client::PreparedTransaction> prepared = client::PrepareTransaction(
        slot.proposal, std::move(*slot.endorse_response.mutable_prepared_transaction()), *load_.options_.signer);
    if (!prepared.ok()) return FailInClient(slot, prepared.status());
    slot.prepared = *std::move(prepared);
    const ::gateway::SubmitRequest request = client::SubmitRequestFor(slot.prepared);
    const bool started = StartCall(slot, Slot::Step::kSubmit, load_.options_.call_timeout, [&] {
      slot.submit_call = slot.stub->AsyncSubmit(slot.context.get(), request, &queue_);
      slot.submit_call->Finish(&slot.submit_response, &slot.status, &slot);
    });
    if (!started) Fail(slot, "Submit", kCancelled);
  }

  void OnSubmitted(Slot& slot) {
    if (!slot.status.ok()) return Fail(slot, "Submit", slot.status);
    slot.outcome.acknowledged = true;
    absl::StatusOr<::gateway::SignedCommitStatusRequest> request = client::SignedCommitStatusRequestFor(
        *load_.options_.signer, slot.prepared.channel_id, slot.prepared.tx_id);
    if (!request.ok()) return FailInClient(slot, request.status());
    const bool started = StartCall(slot, Slot::Step::kCommitStatus, load_.options_.commit_timeout, [&] {
      slot.commit_call = slot.stub->AsyncCommitStatus(slot.context.get(), *request, &queue_);
      slot.commit_call->Finish(&slot.commit_response, &slot.status, &slot);
    });
    if (!started) return Fail(slot, "CommitStatus", kCancelled);
    // Its completion is handled by this thread too, so it cannot be counted out before it is counted in.
    load_.awaiting_status_.fetch_add(1, std::memory_order_relaxed);
  }

  void OnCommitStatus(Slot& slot) {
    load_.awaiting_status_.fetch_sub(1, std::memory_order_relaxed);
    if (!slot.status.ok()) return Fail(slot, "CommitStatus", slot.status);
    const ::protos::TxValidationCode code = slot.commit_response.result();
    if (code != ::protos::VALID) {
      const std::string& name = ::protos::TxValidationCode_Name(code);
      slot.outcome.failure = absl::StrCat("invalid:", name.empty() ? absl::StrCat(static_cast<int>(code)) : name);
      slot.outcome.message = absl::StrCat("transaction ", slot.prepared.tx_id, " committed in block ",
                                          slot.commit_response.block_number(), " with code ", name);
    }
    Finish(slot);
  }

  void Fail(Slot& slot, std::string_view step, const grpc::Status& status) {
    slot.outcome.failure = absl::StrCat(AsAbsl(step), ":", CodeName(status.error_code()));
    slot.outcome.message = status.error_message();
    Finish(slot);
  }

  // A failure of the client itself (a prepared transaction that is not the proposal's, a signing failure)
  // would repeat on every transaction: the slot reports it and starts nothing more.
  void FailInClient(Slot& slot, const absl::Status& status) {
    slot.outcome.failure = absl::StrCat("Client:", absl::StatusCodeToString(status.code()));
    slot.outcome.message = std::string(status.message());
    slot.retired = true;
    Finish(slot);
  }

  void Finish(Slot& slot) {
    slot.outcome.end = std::chrono::steady_clock::now();
    {
      absl::MutexLock lock(&calls_mu_);
      slot.step = Slot::Step::kIdle;
    }
    load_.sink_(slot.outcome);
    if (load_.active_.fetch_sub(1, std::memory_order_relaxed) == 1) {
      absl::MutexLock wake(&load_.idle_mu_);  // releasing it makes Drain look at active_ again
    }
    StartTransaction(slot);
  }

  static std::unique_ptr<grpc::ClientContext> NewContext(absl::Duration timeout) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout));
    return context;
  }

  GatewayLoad& load_;
  std::mt19937_64 random_;
  grpc::CompletionQueue queue_;
  std::vector<std::unique_ptr<::gateway::Gateway::Stub>> stubs_;  // one per gateway
  std::vector<std::unique_ptr<Slot>> slots_;
  // Guards each slot's step and context against CancelCalls; held only to start or end a call, never while
  // waiting for one.
  absl::Mutex calls_mu_;
  bool shut_down_ = false;  // guarded by calls_mu_
  std::thread thread_;
};

absl::StatusOr<std::unique_ptr<GatewayLoad>> GatewayLoad::Create(GatewayLoadOptions options, Sink sink) {
  if (options.gateways.empty()) return absl::InvalidArgumentError("the load needs at least one gateway");
  if (options.signer == nullptr) return absl::InvalidArgumentError("the load needs a signing identity");
  if (options.in_flight < 1) return absl::InvalidArgumentError("in-flight must be at least 1");
  if (options.threads < 1 || options.threads > options.in_flight) {
    return absl::InvalidArgumentError(
        absl::StrCat("threads must be between 1 and in-flight (", options.in_flight, "), not ", options.threads));
  }
  if (options.channel_id.empty() || options.chaincode.empty() || options.function.empty()) {
    return absl::InvalidArgumentError("the load needs a channel, a chaincode and a function");
  }
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (const client::GatewayEndpoint& gateway : options.gateways) {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = client::DialGateway(gateway);
    if (!channel.ok()) return Annotate(channel.status(), absl::StrCat("gateway ", gateway.address));
    channels.push_back(*std::move(channel));
  }
  std::unique_ptr<GatewayLoad> load(new GatewayLoad(std::move(options), std::move(sink)));
  std::random_device seed;
  for (int t = 0; t < load->options_.threads; ++t) {
    load->pollers_.push_back(
        std::make_unique<Poller>(*load, channels, (static_cast<uint64_t>(seed()) << 32) | seed()));
  }
  for (int i = 0; i < load->options_.in_flight; ++i) {
    auto slot = std::make_unique<Slot>();
    slot->index = i;
    load->pollers_[static_cast<size_t>(i) % load->pollers_.size()]->AddSlot(std::move(slot),
                                                                             static_cast<size_t>(i) % channels.size());
  }
  return load;
}

GatewayLoad::GatewayLoad(GatewayLoadOptions options, Sink sink)
    : options_(std::move(options)), sink_(std::move(sink)), value_(options_.value_bytes, 'x') {
  std::random_device random;
  run_id_ = absl::StrFormat("%08x", random());
}

GatewayLoad::~GatewayLoad() { Cancel(); }

void GatewayLoad::Start() {
  for (const std::unique_ptr<Poller>& poller : pollers_) poller->Start();
}

void GatewayLoad::Stop() { stopping_.store(true, std::memory_order_relaxed); }

bool GatewayLoad::Drain(absl::Duration timeout) {
  absl::MutexLock lock(&idle_mu_);
  auto idle = [this] { return active_.load(std::memory_order_relaxed) == 0; };
  return idle_mu_.AwaitWithTimeout(absl::Condition(&idle), timeout);
}

void GatewayLoad::Cancel() {
  if (joined_) return;
  Stop();
  for (const std::unique_ptr<Poller>& poller : pollers_) poller->Shutdown();
  joined_ = true;
}

}  // namespace careledger::bench
