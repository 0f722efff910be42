#include "peer/gateway/local_endorsing_peer.h"

namespace careledger::gateway {

absl::StatusOr<::protos::ProposalResponse> LocalEndorsingPeer::ProcessProposal(const ::protos::SignedProposal& proposal,
                                                                               absl::Time /*deadline*/) {
  absl::StatusOr<::protos::ProposalResponse> response =
      endorser_.ProcessProposal(proposal, endorser::ProposalMode::kEndorse);
  if (!response.ok()) return response.status();
  if (!IsSuccessStatus(response->response().status())) return ChaincodeRefusal(response->response());
  return response;
}

}  // namespace careledger::gateway
