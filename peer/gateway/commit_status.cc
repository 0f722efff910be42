// CommitStatus: the validation code and block of a submitted transaction, waiting for its block to commit
// (Fabric's internal/pkg/gateway/commitstatus.go and commit/finder.go). The request is signed by the client
// and checked against the channel's gateway/CommitStatus ACL (Fabric's default: /Channel/Application/Readers).
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "peer/gateway/gateway_rpcs.h"
#include "peer/gateway/signed_request.h"

namespace careledger::gateway {

absl::StatusOr<::gateway::CommitStatusResponse> CommitStatus(const GatewayContext& gateway,
                                                             const ::gateway::SignedCommitStatusRequest& signed_request,
                                                             const CallContext& call) {
  ASSIGN_OR_RETURN(
      OpenedRequest<::gateway::CommitStatusRequest> opened,
      OpenSignedRequest<::gateway::CommitStatusRequest>(gateway, signed_request.request(), signed_request.signature(),
                                                        kCommitStatusResource, "commit status request"));
  const ::gateway::CommitStatusRequest& request = opened.request;
  if (request.transaction_id().empty()) {
    return absl::InvalidArgumentError("the commit status request has no transaction ID");
  }

  const ledger::Ledger& ledger = opened.channel->ledger();
  const absl::Time deadline = DeadlineWithin(call, gateway.options.commit_status_wait_limit);
  while (true) {
    // The height is read before the lookup, so a block committed in between is waited for, never missed.
    const uint64_t height = ledger.Height();
    absl::StatusOr<ledger::TransactionStatus> status = ledger.GetTransactionStatus(request.transaction_id());
    if (status.ok()) {
      ::gateway::CommitStatusResponse response;
      response.set_result(status->code);
      response.set_block_number(status->block_number);
      return response;
    }
    if (!absl::IsNotFound(status.status())) {
      return Annotate(status.status(), absl::StrCat("channel '", request.channel_id(),
                                                    "': reading the status of "
                                                    "transaction '",
                                                    request.transaction_id(), "'"));
    }
    switch (WaitForLedgerHeight(ledger, height + 1, deadline, call, gateway.options.poll)) {
      case HeightWait::kReached:
        break;
      case HeightWait::kCancelled:
        return absl::CancelledError("the client cancelled the call");
      case HeightWait::kLedgerClosed:
        return absl::UnavailableError(absl::StrCat("the ledger of channel '", request.channel_id(), "' closed"));
      case HeightWait::kDeadlineExceeded:
        return absl::DeadlineExceededError(absl::StrCat("transaction '", request.transaction_id(),
                                                        "' has not been committed on channel '", request.channel_id(),
                                                        "' yet"));
    }
  }
}

}  // namespace careledger::gateway
