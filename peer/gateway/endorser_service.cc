#include "peer/gateway/endorser_service.h"

#include <string>

#include "common/protoutil/proposal.h"
#include "common/protoutil/transaction.h"
#include "peer/gateway/gateway_options.h"

namespace careledger::gateway {
namespace {

::protos::ProposalResponse Refusal(std::string message) {
  ::protos::ProposalResponse response;
  response.mutable_response()->set_status(500);
  response.mutable_response()->set_message(std::move(message));
  return response;
}

// Fabric's endorser attaches the proposal response payload to a chaincode error (status >= 500): the proposal
// hash and the ChaincodeAction carrying the chaincode's response. Left without it if the proposal cannot be
// hashed (it could, or the endorser would have refused it).
void AttachChaincodeErrorPayload(const ::protos::SignedProposal& signed_proposal,
                                 ::protos::ProposalResponse& response) {
  absl::StatusOr<protoutil::ParsedProposal> parsed = protoutil::ParseSignedProposal(signed_proposal);
  if (!parsed.ok()) return;
  absl::StatusOr<std::string> hash = protoutil::ProposalHash(parsed->proposal);
  if (!hash.ok()) return;
  ::protos::ChaincodeAction action;
  *action.mutable_response() = response.response();
  action.mutable_chaincode_id()->set_name(parsed->invocation_spec.chaincode_spec().chaincode_id().name());
  ::protos::ProposalResponsePayload payload;
  payload.set_proposal_hash(*std::move(hash));
  payload.set_extension(action.SerializeAsString());
  response.set_payload(payload.SerializeAsString());
}

}  // namespace

grpc::Status EndorserService::ProcessProposal(grpc::ServerContext* /*context*/,
                                              const ::protos::SignedProposal* proposal,
                                              ::protos::ProposalResponse* response) {
  if (audit_) {
    *response = Refusal(kAuditEndorseRefusal);
    return grpc::Status::OK;
  }
  absl::StatusOr<::protos::ProposalResponse> endorsed =
      endorser_.ProcessProposal(*proposal, endorser::ProposalMode::kEndorse);
  if (!endorsed.ok()) {
    *response = Refusal(std::string(endorsed.status().message()));
    return grpc::Status::OK;
  }
  *response = *std::move(endorsed);
  if (response->response().status() >= 500) AttachChaincodeErrorPayload(*proposal, *response);
  return grpc::Status::OK;
}

}  // namespace careledger::gateway
