#include "common/protoutil/transaction.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/protoutil/marshal.h"
#include "common/protoutil/proposal.h"
#include "common/protoutil/unmarshal.h"
#include "common/status_macros.h"

namespace careledger::protoutil {
namespace {

// Chaincode messages are untrusted text; keep them short and printable in our errors.
constexpr size_t kMaxShownMessageLength = 200;

bool IsSuccessStatus(int32_t status) { return status >= kResponseStatusOk && status < kResponseStatusErrorThreshold; }

std::string ShownMessage(std::string_view message) {
  if (message.size() <= kMaxShownMessageLength) return absl::CHexEscape(std::string(message));
  return absl::StrCat(absl::CHexEscape(std::string(message.substr(0, kMaxShownMessageLength))), "...");
}

// Says how two payloads differ, so that an operator can tell a truncation from a different simulation.
std::string DescribeDifference(std::string_view a, std::string_view b) {
  const auto first_difference = std::mismatch(a.begin(), a.end(), b.begin(), b.end()).first;
  return absl::StrCat(a.size(), " vs ", b.size(), " bytes, first difference at byte ", first_difference - a.begin());
}

absl::StatusOr<ParsedTransactionAction> ParseAction(const ::protos::TransactionAction& action) {
  ParsedTransactionAction parsed;
  if (action.header().empty()) return absl::InvalidArgumentError("no signature header");
  ASSIGN_OR_RETURN(parsed.signature_header, Unmarshal<::common::SignatureHeader>(action.header(), "signature header"));
  if (parsed.signature_header.creator().empty()) {
    return absl::InvalidArgumentError("signature header has no creator");
  }
  if (parsed.signature_header.nonce().empty()) return absl::InvalidArgumentError("signature header has no nonce");

  if (action.payload().empty()) return absl::InvalidArgumentError("no payload (a ChaincodeActionPayload)");
  ASSIGN_OR_RETURN(parsed.chaincode_action_payload,
                   Unmarshal<::protos::ChaincodeActionPayload>(action.payload(), "chaincode action payload"));
  if (!parsed.chaincode_action_payload.has_action()) {
    return absl::InvalidArgumentError("chaincode action payload has no endorsed action");
  }
  const ::protos::ChaincodeEndorsedAction& endorsed = parsed.chaincode_action_payload.action();
  if (endorsed.proposal_response_payload().empty()) {
    return absl::InvalidArgumentError("endorsed action has no proposal response payload");
  }
  ASSIGN_OR_RETURN(
      parsed.proposal_response_payload,
      Unmarshal<::protos::ProposalResponsePayload>(endorsed.proposal_response_payload(), "proposal response payload"));
  if (parsed.proposal_response_payload.extension().empty()) {
    return absl::InvalidArgumentError("proposal response payload has no extension (a ChaincodeAction)");
  }
  ASSIGN_OR_RETURN(parsed.chaincode_action, Unmarshal<::protos::ChaincodeAction>(
                                                parsed.proposal_response_payload.extension(), "chaincode action"));
  ASSIGN_OR_RETURN(parsed.read_write_set,
                   Unmarshal<::rwset::TxReadWriteSet>(parsed.chaincode_action.results(), "chaincode action results"));
  parsed.kv_read_write_sets.reserve(parsed.read_write_set.ns_rwset_size());
  for (const ::rwset::NsReadWriteSet& ns : parsed.read_write_set.ns_rwset()) {
    absl::StatusOr<::kvrwset::KVRWSet> kv = Unmarshal<::kvrwset::KVRWSet>(ns.rwset(), "read-write set");
    if (!kv.ok()) {
      return Annotate(kv.status(), absl::StrCat("namespace \"", ShownMessage(ns.namespace_()), "\""));
    }
    parsed.kv_read_write_sets.push_back(*std::move(kv));
  }
  return parsed;
}

}  // namespace

absl::StatusOr<::protos::ProposalResponse> CreateProposalResponse(const ::protos::Proposal& proposal,
                                                                  const ::protos::Response& response,
                                                                  std::string_view results, std::string_view events,
                                                                  const ::protos::ChaincodeID& chaincode_id,
                                                                  const Signer& endorser) {
  if (!IsSuccessStatus(response.status())) {
    return absl::InvalidArgumentError(
        absl::StrCat("refusing to endorse a failed chaincode response (status ", response.status(), ")"));
  }
  ASSIGN_OR_RETURN(const std::string proposal_hash, ProposalHash(proposal));

  ::protos::ChaincodeAction action;
  action.set_results(std::string(results));
  action.set_events(std::string(events));
  *action.mutable_response() = response;
  *action.mutable_chaincode_id() = chaincode_id;
  ::protos::ProposalResponsePayload payload;
  payload.set_proposal_hash(proposal_hash);
  ASSIGN_OR_RETURN(*payload.mutable_extension(), Marshal(action, "chaincode action"));

  ::protos::ProposalResponse proposal_response;
  proposal_response.set_version(1);
  *proposal_response.mutable_response() = response;
  ASSIGN_OR_RETURN(*proposal_response.mutable_payload(), Marshal(payload, "proposal response payload"));

  const std::string identity = endorser.SerializedIdentity();
  if (identity.empty()) return absl::InvalidArgumentError("the endorser's serialized identity is empty");
  // The endorser signs its identity too, so that an endorsement cannot be re-attributed to another identity.
  absl::StatusOr<std::string> signature = endorser.Sign(absl::StrCat(proposal_response.payload(), identity));
  if (!signature.ok()) return Annotate(signature.status(), "signing the proposal response payload");
  ::protos::Endorsement& endorsement = *proposal_response.mutable_endorsement();
  endorsement.set_endorser(identity);
  endorsement.set_signature(*std::move(signature));
  return proposal_response;
}

absl::StatusOr<::common::Envelope> CreateUnsignedTransaction(const ::protos::Proposal& proposal,
                                                             std::span<const ::protos::ProposalResponse> responses) {
  if (responses.empty()) return absl::InvalidArgumentError("a transaction needs at least one proposal response");

  if (proposal.header().empty()) return absl::InvalidArgumentError("proposal has no header");
  ASSIGN_OR_RETURN(::common::Header header, Unmarshal<::common::Header>(proposal.header(), "proposal header"));
  if (header.signature_header().empty()) {
    return absl::InvalidArgumentError("proposal header has no signature header");
  }
  RETURN_IF_ERROR(Unmarshal<::common::SignatureHeader>(header.signature_header(), "signature header").status());
  if (proposal.payload().empty()) return absl::InvalidArgumentError("proposal has no payload");
  ASSIGN_OR_RETURN(const auto proposal_payload,
                   Unmarshal<::protos::ChaincodeProposalPayload>(proposal.payload(), "chaincode proposal payload"));

  for (size_t i = 0; i < responses.size(); ++i) {
    const ::protos::Response& response = responses[i].response();
    if (!IsSuccessStatus(response.status())) {
      return absl::FailedPreconditionError(absl::StrCat("proposal response ", i, " was not successful: status ",
                                                        response.status(), " \"", ShownMessage(response.message()),
                                                        "\""));
    }
    if (responses[i].payload() != responses[0].payload()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "proposal response ", i, " has a payload that differs from response 0's (",
          DescribeDifference(responses[i].payload(), responses[0].payload()), "): the endorsers disagree"));
    }
  }

  ::protos::ChaincodeActionPayload action_payload;
  ASSIGN_OR_RETURN(*action_payload.mutable_chaincode_proposal_payload(),
                   ProposalPayloadForTransaction(proposal_payload));
  ::protos::ChaincodeEndorsedAction& endorsed = *action_payload.mutable_action();
  endorsed.set_proposal_response_payload(responses[0].payload());
  std::set<std::string_view> endorsers;  // views into `responses`, which outlive this function's use of them
  for (const ::protos::ProposalResponse& response : responses) {
    if (!response.has_endorsement()) continue;
    if (!endorsers.insert(response.endorsement().endorser()).second) continue;
    *endorsed.add_endorsements() = response.endorsement();
  }
  if (endorsed.endorsements().empty()) {
    return absl::FailedPreconditionError("none of the proposal responses carries an endorsement");
  }

  ::protos::Transaction transaction;
  ::protos::TransactionAction& action = *transaction.add_actions();
  action.set_header(header.signature_header());
  ASSIGN_OR_RETURN(*action.mutable_payload(), Marshal(action_payload, "chaincode action payload"));

  ::common::Payload payload;
  *payload.mutable_header() = std::move(header);
  ASSIGN_OR_RETURN(*payload.mutable_data(), Marshal(transaction, "transaction"));
  ::common::Envelope envelope;
  ASSIGN_OR_RETURN(*envelope.mutable_payload(), Marshal(payload, "transaction payload"));
  return envelope;
}

absl::StatusOr<::common::Envelope> CreateSignedTransaction(const ::protos::Proposal& proposal,
                                                           std::span<const ::protos::ProposalResponse> responses,
                                                           const Signer& signer) {
  ASSIGN_OR_RETURN(::common::Envelope envelope, CreateUnsignedTransaction(proposal, responses));
  ::common::Payload payload;
  payload.ParseFromString(envelope.payload());  // just built above
  ::common::SignatureHeader signature_header;
  signature_header.ParseFromString(payload.header().signature_header());
  if (signature_header.creator() != signer.SerializedIdentity()) {
    return absl::InvalidArgumentError("the signer is not the proposal's creator");
  }
  absl::StatusOr<std::string> signature = signer.Sign(envelope.payload());
  if (!signature.ok()) return Annotate(signature.status(), "signing the transaction payload");
  *envelope.mutable_signature() = *std::move(signature);
  return envelope;
}

absl::StatusOr<ParsedEndorserTransaction> ParseEndorserTransaction(const ::common::Payload& payload) {
  if (payload.data().empty()) return absl::InvalidArgumentError("endorser transaction payload has no data");
  ParsedEndorserTransaction parsed;
  ASSIGN_OR_RETURN(parsed.transaction, Unmarshal<::protos::Transaction>(payload.data(), "transaction"));
  if (parsed.transaction.actions().empty()) return absl::InvalidArgumentError("transaction has no actions");
  parsed.actions.reserve(parsed.transaction.actions_size());
  for (int i = 0; i < parsed.transaction.actions_size(); ++i) {
    absl::StatusOr<ParsedTransactionAction> action = ParseAction(parsed.transaction.actions(i));
    if (!action.ok()) return Annotate(action.status(), absl::StrCat("transaction action ", i));
    parsed.actions.push_back(*std::move(action));
  }
  return parsed;
}

}  // namespace careledger::protoutil
