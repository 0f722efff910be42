// Evaluate: run a query (a proposal that is never submitted) on one peer and return the chaincode's answer, as
// Fabric's gateway does (internal/pkg/gateway/evaluate.go).
//
// Where: on this peer (its endorser in evaluate mode: Readers policy, no signature) when the client names no
// target organisation or names this peer's; otherwise on the peers of the targets, in the client's order,
// moving on to the next peer while one cannot be reached or refuses without an answer from the chaincode.
#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/protoutil/unmarshal.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "peer/gateway/gateway_rpcs.h"
#include "peer/gateway/status_mapping.h"

namespace careledger::gateway {
namespace {

// The client's result: the chaincode's response, with its payload taken from the proposal response's
// ChaincodeAction when there is one (Fabric: Response.payload need not be the transaction's result).
::gateway::EvaluateResponse ResultOf(const ::protos::ProposalResponse& response) {
  ::gateway::EvaluateResponse result;
  *result.mutable_result() = response.response();
  if (response.payload().empty()) return result;
  auto payload =
      protoutil::Unmarshal<::protos::ProposalResponsePayload>(response.payload(), "proposal response payload");
  if (!payload.ok()) return result;
  auto action = protoutil::Unmarshal<::protos::ChaincodeAction>(payload->extension(), "chaincode action");
  if (action.ok()) result.mutable_result()->set_payload(action->response().payload());
  return result;
}

// Fabric's wording for an endorser's final refusal, keeping its code.
absl::Status EndorserRefusal(const absl::Status& failure, std::vector<::gateway::ErrorDetail> details) {
  return WithErrorDetails(
      absl::Status(failure.code(), absl::StrCat("evaluate call to endorser returned error: ", failure.message())),
      details);
}

absl::StatusOr<::gateway::EvaluateResponse> EvaluateLocally(const GatewayContext& gateway,
                                                            const ProposedTransaction& proposed) {
  absl::StatusOr<::protos::ProposalResponse> response =
      gateway.local_endorser.ProcessProposal(*proposed.signed_proposal, endorser::ProposalMode::kEvaluate);
  absl::Status failure = response.status();
  if (response.ok() && !IsSuccessStatus(response->response().status()))
    failure = ChaincodeRefusal(response->response());
  if (!failure.ok()) {
    return EndorserRefusal(
        failure, {MakeErrorDetail(gateway.options.address, gateway.options.local_msp_id, AsStd(failure.message()))});
  }
  return ResultOf(*response);
}

absl::StatusOr<::gateway::EvaluateResponse> EvaluateRemotely(const GatewayContext& gateway,
                                                             const ProposedTransaction& proposed,
                                                             const std::vector<std::string>& targets,
                                                             const CallContext& call) {
  std::vector<::gateway::ErrorDetail> details;
  absl::Status last_failure;
  bool any_peer = false;
  for (const std::string& org : targets) {
    for (const std::shared_ptr<EndorsingPeer>& peer : proposed.channel->EndorsersOf(org)) {
      any_peer = true;
      if (absl::Now() >= call.deadline) {
        return WithErrorDetails(absl::DeadlineExceededError("evaluate timeout expired"), details);
      }
      absl::StatusOr<::protos::ProposalResponse> response =
          peer->ProcessProposal(*proposed.signed_proposal, DeadlineWithin(call, gateway.options.endorsement_timeout));
      if (response.ok()) return ResultOf(*response);
      details.push_back(MakeErrorDetail(peer->address(), peer->msp_id(), AsStd(response.status().message())));
      if (!MayTryAnotherPeer(response.status())) return EndorserRefusal(response.status(), std::move(details));
      last_failure = response.status();
    }
  }
  if (!any_peer) {
    return absl::FailedPreconditionError(absl::StrCat("no peer of the target organisations [",
                                                      absl::StrJoin(targets, ", "), "] is known on channel '",
                                                      proposed.channel_id, "'"));
  }
  return WithErrorDetails(
      absl::Status(last_failure.code(), "failed to evaluate transaction, see attached details for more info"), details);
}

}  // namespace

absl::StatusOr<::gateway::EvaluateResponse> Evaluate(const GatewayContext& gateway,
                                                     const ::gateway::EvaluateRequest& request,
                                                     const CallContext& call) {
  ASSIGN_OR_RETURN(ProposedTransaction proposed,
                   ReadProposedTransaction(gateway.channels, request.proposed_transaction(), request.transaction_id(),
                                           request.channel_id()));
  const std::vector<std::string> targets(request.target_organizations().begin(), request.target_organizations().end());
  if (targets.empty() || std::find(targets.begin(), targets.end(), gateway.options.local_msp_id) != targets.end()) {
    return EvaluateLocally(gateway, proposed);
  }
  return EvaluateRemotely(gateway, proposed, targets, call);
}

}  // namespace careledger::gateway
