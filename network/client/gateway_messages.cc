#include "network/client/gateway_messages.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/protoutil/envelope.h"
#include "common/protoutil/timestamp.h"
#include "common/protoutil/transaction.h"
#include "common/protoutil/unmarshal.h"
#include "common/status_macros.h"
#include "common/strings.h"

namespace careledger::client {
namespace {

// The chaincode's response payload in `envelope`, once it is established that `envelope` is the transaction
// of `proposal`: the same channel and signature headers (hence channel, transaction ID, creator and nonce) and
// the same chaincode input, in the single action Fabric allows.
absl::StatusOr<std::string> ResultOfPrepared(const Proposal& proposal, const ::common::Envelope& envelope) {
  auto refuse = [&proposal](std::string_view why) {
    return absl::InternalError(absl::StrCat("the gateway returned a prepared transaction that is not that of proposal ",
                                            proposal.tx_id, ": ", AsAbsl(why)));
  };
  absl::StatusOr<protoutil::ParsedEnvelope> parsed = protoutil::ParseEnvelope(envelope);
  if (!parsed.ok()) return refuse(AsStd(parsed.status().message()));
  ASSIGN_OR_RETURN(const auto header, protoutil::Unmarshal<::common::Header>(proposal.proposal.header(), "header"));
  if (parsed->payload.header().channel_header() != header.channel_header() ||
      parsed->payload.header().signature_header() != header.signature_header()) {
    return refuse("its headers are not the proposal's");
  }
  if (parsed->channel_header.type() != ::common::ENDORSER_TRANSACTION) return refuse("not an endorser transaction");
  absl::StatusOr<protoutil::ParsedEndorserTransaction> transaction =
      protoutil::ParseEndorserTransaction(parsed->payload);
  if (!transaction.ok()) return refuse(AsStd(transaction.status().message()));
  if (transaction->actions.size() != 1) {
    return refuse(absl::StrCat("it has ", transaction->actions.size(), " actions instead of one"));
  }
  ASSIGN_OR_RETURN(const auto payload, protoutil::Unmarshal<::protos::ChaincodeProposalPayload>(
                                           proposal.proposal.payload(), "proposal payload"));
  ASSIGN_OR_RETURN(const std::string input, protoutil::ProposalPayloadForTransaction(payload));
  const protoutil::ParsedTransactionAction& action = transaction->actions[0];
  if (action.chaincode_action_payload.chaincode_proposal_payload() != input) {
    return refuse("its chaincode input is not the proposal's");
  }
  return action.chaincode_action.response().payload();
}

}  // namespace

absl::StatusOr<Proposal> NewSignedProposal(const msp::SigningIdentity& signer, std::string_view channel_id,
                                           std::string_view chaincode, const std::vector<std::string>& args,
                                           const protoutil::TransientMap& transient) {
  if (channel_id.empty()) return absl::InvalidArgumentError("a transaction needs a channel");
  absl::StatusOr<protoutil::ChaincodeProposal> created = protoutil::CreateChaincodeProposal(
      channel_id, chaincode, args, signer.SerializedIdentity(), transient, protoutil::ToTimestamp(absl::Now()));
  if (!created.ok()) return Annotate(created.status(), "building the proposal");
  absl::StatusOr<::protos::SignedProposal> signed_proposal = protoutil::SignProposal(created->proposal, signer);
  if (!signed_proposal.ok()) return Annotate(signed_proposal.status(), "signing the proposal");
  Proposal proposal;
  proposal.channel_id = std::string(channel_id);
  proposal.tx_id = std::move(created->tx_id);
  proposal.proposal = std::move(created->proposal);
  proposal.signed_proposal = *std::move(signed_proposal);
  return proposal;
}

::gateway::EndorseRequest EndorseRequestFor(const Proposal& proposal,
                                            const std::vector<std::string>& endorsing_organizations) {
  ::gateway::EndorseRequest request;
  request.set_transaction_id(proposal.tx_id);
  request.set_channel_id(proposal.channel_id);
  *request.mutable_proposed_transaction() = proposal.signed_proposal;
  for (const std::string& org : endorsing_organizations) request.add_endorsing_organizations(org);
  return request;
}

absl::StatusOr<PreparedTransaction> PrepareTransaction(const Proposal& proposal, ::common::Envelope prepared,
                                                       const msp::SigningIdentity& signer) {
  PreparedTransaction transaction;
  transaction.channel_id = proposal.channel_id;
  transaction.tx_id = proposal.tx_id;
  transaction.envelope = std::move(prepared);
  ASSIGN_OR_RETURN(transaction.payload, ResultOfPrepared(proposal, transaction.envelope));
  absl::StatusOr<std::string> signature = signer.Sign(transaction.envelope.payload());
  if (!signature.ok()) {
    return absl::InternalError(
        absl::StrCat("signing transaction ", proposal.tx_id, ": ", signature.status().ToString()));
  }
  transaction.envelope.set_signature(*std::move(signature));
  return transaction;
}

::gateway::SubmitRequest SubmitRequestFor(const PreparedTransaction& transaction) {
  ::gateway::SubmitRequest request;
  request.set_transaction_id(transaction.tx_id);
  request.set_channel_id(transaction.channel_id);
  *request.mutable_prepared_transaction() = transaction.envelope;
  return request;
}

absl::StatusOr<::gateway::SignedCommitStatusRequest> SignedCommitStatusRequestFor(const msp::SigningIdentity& signer,
                                                                                  std::string_view channel_id,
                                                                                  std::string_view tx_id) {
  ::gateway::CommitStatusRequest request;
  request.set_transaction_id(std::string(tx_id));
  request.set_channel_id(std::string(channel_id));
  request.set_identity(signer.SerializedIdentity());
  ::gateway::SignedCommitStatusRequest signed_request;
  signed_request.set_request(request.SerializeAsString());
  absl::StatusOr<std::string> signature = signer.Sign(signed_request.request());
  if (!signature.ok()) {
    return absl::InternalError(absl::StrCat("signing the commit status request for transaction ", AsAbsl(tx_id), ": ",
                                            signature.status().ToString()));
  }
  signed_request.set_signature(*std::move(signature));
  return signed_request;
}

}  // namespace careledger::client
