// CommitStatus: the validation code and block of a submitted transaction, waiting for its block to commit
// (Fabric's internal/pkg/gateway/commitstatus.go and commit/finder.go). The request is signed by the client
// and checked against the channel's gateway/CommitStatus ACL (Fabric's default: /Channel/Application/Readers).
//
// Served on gRPC's callback API: a waiting call is a small object filed under its transaction ID in the
// ledger's table (Ledger::NotifyOnCommit), not a server thread polling the ledger. With hundreds of clients
// waiting, the synchronous version spent most of the peer's CPU waking every waiter at every block and
// asking each whether its client had gone.
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/logging/logger.h"
#include "common/status_macros.h"
#include "grpcpp/alarm.h"
#include "peer/gateway/gateway_rpcs.h"
#include "peer/gateway/signed_request.h"
#include "peer/gateway/status_mapping.h"

namespace careledger::gateway {
namespace {

const logging::Logger& Log() {
  static const logging::Logger log("peer.gateway");
  return log;
}

class CommitStatusCall;

// One call's wait. Three things may end it, on three threads: the commit (the ledger's notification, on the
// committing thread), the client leaving or the server stopping (the reactor's OnCancel), and the server's
// wait limit (an alarm). The first to claim the call answers it and withdraws the others; a late one finds the
// call claimed and does nothing. Shared by all three, so it outlives the reactor for the late ones.
class Waiting : public std::enable_shared_from_this<Waiting> {
 public:
  Waiting(CommitStatusCall* call, ::gateway::CommitStatusResponse* response, std::string client)
      : call_(call), response_(response), client_(std::move(client)) {}

  // Arms the wait for `tx_id` on `channel`'s ledger, answering at once if the transaction is committed.
  void Start(std::shared_ptr<GatewayChannel> channel, std::string channel_id, std::string tx_id,
             absl::Duration limit);

  // Answers the call with `result` unless it is answered already.
  void Answer(absl::StatusOr<::gateway::CommitStatusResponse> result);

 private:
  absl::Mutex mu_;
  CommitStatusCall* call_ ABSL_GUARDED_BY(mu_);  // null once answered
  ::gateway::CommitStatusResponse* const response_;
  const std::string client_;
  // Set by Start before anything that reads them can run.
  std::shared_ptr<GatewayChannel> channel_;
  std::string channel_id_;
  std::string tx_id_;
  uint64_t ticket_ ABSL_GUARDED_BY(mu_) = 0;                 // the ledger's, while armed
  std::unique_ptr<grpc::Alarm> alarm_ ABSL_GUARDED_BY(mu_);  // the wait limit, while armed
};

class CommitStatusCall final : public grpc::ServerUnaryReactor {
 public:
  CommitStatusCall(::gateway::CommitStatusResponse* response, std::string client)
      : waiting_(std::make_shared<Waiting>(this, response, std::move(client))) {}

  Waiting& waiting() { return *waiting_; }

  void OnCancel() override { waiting_->Answer(absl::CancelledError("the client cancelled the call")); }
  void OnDone() override { delete this; }

 private:
  const std::shared_ptr<Waiting> waiting_;
};

void Waiting::Start(std::shared_ptr<GatewayChannel> channel, std::string channel_id, std::string tx_id,
                    absl::Duration limit) {
  channel_ = std::move(channel);
  channel_id_ = std::move(channel_id);
  tx_id_ = std::move(tx_id);
  const uint64_t ticket = channel_->ledger().NotifyOnCommit(
      tx_id_, [self = shared_from_this()](absl::StatusOr<ledger::TransactionStatus> status) {
        if (!status.ok()) {
          self->Answer(absl::IsUnavailable(status.status())
                           ? absl::UnavailableError(absl::StrCat("the ledger of channel '", self->channel_id_,
                                                                 "' closed"))
                           : Annotate(status.status(), absl::StrCat("channel '", self->channel_id_,
                                                                    "': reading the status of transaction '",
                                                                    self->tx_id_, "'")));
          return;
        }
        ::gateway::CommitStatusResponse response;
        response.set_result(status->code);
        response.set_block_number(status->block_number);
        self->Answer(std::move(response));
      });
  absl::MutexLock lock(&mu_);
  if (call_ == nullptr) return;  // answered already
  ticket_ = ticket;
  alarm_ = std::make_unique<grpc::Alarm>();
  alarm_->Set(absl::ToChronoTime(absl::Now() + limit), [weak = weak_from_this()](bool fired) {
    std::shared_ptr<Waiting> self = weak.lock();
    if (!fired || self == nullptr) return;  // cancelled: the call was answered otherwise
    self->Answer(absl::DeadlineExceededError(absl::StrCat(
        "transaction '", self->tx_id_, "' has not been committed on channel '", self->channel_id_, "' yet")));
  });
}

void Waiting::Answer(absl::StatusOr<::gateway::CommitStatusResponse> result) {
  CommitStatusCall* call = nullptr;
  uint64_t ticket = 0;
  grpc::Alarm* alarm = nullptr;
  {
    absl::MutexLock lock(&mu_);
    call = std::exchange(call_, nullptr);
    ticket = ticket_;
    alarm = alarm_.get();
  }
  if (call == nullptr) return;
  // Withdraw whatever else might still answer (each is a no-op if it is what runs this).
  if (ticket != 0) channel_->ledger().CancelNotifyOnCommit(tx_id_, ticket);
  if (alarm != nullptr) alarm->Cancel();
  if (!result.ok()) {
    Log().Debug("call failed", {{"rpc", "CommitStatus"}, {"client", client_}, {"error", result.status()}});
    call->Finish(ToGrpcStatus(result.status()));
    return;
  }
  *response_ = *std::move(result);
  call->Finish(grpc::Status::OK);
}

}  // namespace

grpc::ServerUnaryReactor* StartCommitStatus(const GatewayContext& gateway, grpc::CallbackServerContext* context,
                                            const ::gateway::SignedCommitStatusRequest& signed_request,
                                            ::gateway::CommitStatusResponse* response) {
  auto* call = new CommitStatusCall(response, context->peer());
  absl::StatusOr<OpenedRequest<::gateway::CommitStatusRequest>> opened =
      OpenSignedRequest<::gateway::CommitStatusRequest>(gateway, signed_request.request(), signed_request.signature(),
                                                        kCommitStatusResource, "commit status request");
  if (!opened.ok()) {
    call->waiting().Answer(opened.status());
  } else if (opened->request.transaction_id().empty()) {
    call->waiting().Answer(absl::InvalidArgumentError("the commit status request has no transaction ID"));
  } else {
    call->waiting().Start(std::move(opened->channel), opened->request.channel_id(),
                          opened->request.transaction_id(), gateway.options.commit_status_wait_limit);
  }
  return call;
}

}  // namespace careledger::gateway
