#include "common/protoutil/proposal.h"

#include <utility>

#include "absl/status/status.h"
#include "common/crypto/sha256.h"
#include "common/protoutil/envelope.h"
#include "common/protoutil/marshal.h"
#include "common/protoutil/txid.h"
#include "common/protoutil/unmarshal.h"
#include "common/status_macros.h"

namespace careledger::protoutil {

absl::StatusOr<ChaincodeProposal> CreateChaincodeProposal(std::string_view channel_id, std::string_view chaincode_name,
                                                          std::span<const std::string> args, std::string_view creator,
                                                          const TransientMap& transient,
                                                          const google::protobuf::Timestamp& timestamp) {
  ASSIGN_OR_RETURN(const std::string nonce, CreateNonce());
  return CreateChaincodeProposalWithNonce(channel_id, chaincode_name, args, creator, transient, timestamp, nonce);
}

absl::StatusOr<ChaincodeProposal> CreateChaincodeProposalWithNonce(
    std::string_view channel_id, std::string_view chaincode_name, std::span<const std::string> args,
    std::string_view creator, const TransientMap& transient, const google::protobuf::Timestamp& timestamp,
    std::string_view nonce) {
  if (chaincode_name.empty()) return absl::InvalidArgumentError("a chaincode proposal needs a chaincode name");
  if (creator.empty()) return absl::InvalidArgumentError("a chaincode proposal needs a creator");
  if (nonce.empty()) return absl::InvalidArgumentError("a chaincode proposal needs a nonce");

  ::protos::ChaincodeID chaincode_id;
  chaincode_id.set_name(std::string(chaincode_name));

  ::protos::ChaincodeHeaderExtension extension;
  *extension.mutable_chaincode_id() = chaincode_id;
  ASSIGN_OR_RETURN(const std::string extension_bytes, Marshal(extension, "chaincode header extension"));

  ChaincodeProposal result;
  result.tx_id = ComputeTxId(nonce, creator);
  ASSIGN_OR_RETURN(const ::common::Header header,
                   MakePayloadHeader(MakeChannelHeader(::common::ENDORSER_TRANSACTION, channel_id, result.tx_id,
                                                       timestamp, /*epoch=*/0, extension_bytes),
                                     MakeSignatureHeader(creator, nonce)));
  ASSIGN_OR_RETURN(*result.proposal.mutable_header(), Marshal(header, "proposal header"));

  ::protos::ChaincodeInvocationSpec invocation;
  ::protos::ChaincodeSpec& spec = *invocation.mutable_chaincode_spec();
  *spec.mutable_chaincode_id() = std::move(chaincode_id);
  ::protos::ChaincodeInput& input = *spec.mutable_input();  // present even with no args, as the SDKs send it
  for (const std::string& arg : args) input.add_args(arg);

  ::protos::ChaincodeProposalPayload payload;
  ASSIGN_OR_RETURN(*payload.mutable_input(), Marshal(invocation, "chaincode invocation spec"));
  for (const auto& [key, value] : transient) (*payload.mutable_transientmap())[key] = value;
  ASSIGN_OR_RETURN(*result.proposal.mutable_payload(), Marshal(payload, "chaincode proposal payload"));
  return result;
}

absl::StatusOr<::protos::SignedProposal> SignProposal(const ::protos::Proposal& proposal, const Signer& signer) {
  if (proposal.header().empty()) return absl::InvalidArgumentError("proposal has no header");
  ASSIGN_OR_RETURN(const auto header, Unmarshal<::common::Header>(proposal.header(), "proposal header"));
  if (header.signature_header().empty()) {
    return absl::InvalidArgumentError("proposal header has no signature header");
  }
  ASSIGN_OR_RETURN(const auto signature_header,
                   Unmarshal<::common::SignatureHeader>(header.signature_header(), "signature header"));
  if (signature_header.creator() != signer.SerializedIdentity()) {
    return absl::InvalidArgumentError("the signer is not the proposal's creator");
  }

  ::protos::SignedProposal signed_proposal;
  ASSIGN_OR_RETURN(*signed_proposal.mutable_proposal_bytes(), Marshal(proposal, "proposal"));
  absl::StatusOr<std::string> signature = signer.Sign(signed_proposal.proposal_bytes());
  if (!signature.ok()) return Annotate(signature.status(), "signing the proposal");
  *signed_proposal.mutable_signature() = *std::move(signature);
  return signed_proposal;
}

absl::StatusOr<ParsedProposal> ParseSignedProposal(const ::protos::SignedProposal& signed_proposal) {
  if (signed_proposal.proposal_bytes().empty()) {
    return absl::InvalidArgumentError("signed proposal has no proposal bytes");
  }
  if (signed_proposal.signature().empty()) return absl::InvalidArgumentError("signed proposal has no signature");

  ParsedProposal parsed;
  ASSIGN_OR_RETURN(parsed.proposal, Unmarshal<::protos::Proposal>(signed_proposal.proposal_bytes(), "proposal"));
  if (parsed.proposal.header().empty()) return absl::InvalidArgumentError("proposal has no header");
  ASSIGN_OR_RETURN(parsed.header, Unmarshal<::common::Header>(parsed.proposal.header(), "proposal header"));
  absl::StatusOr<ParsedHeader> headers = ParseHeader(parsed.header);
  if (!headers.ok()) return Annotate(headers.status(), "proposal");
  parsed.channel_header = std::move(headers->channel_header);
  parsed.signature_header = std::move(headers->signature_header);
  absl::Status tx_id_status =
      CheckTxId(parsed.channel_header.tx_id(), parsed.signature_header.nonce(), parsed.signature_header.creator());
  if (!tx_id_status.ok()) return Annotate(tx_id_status, "proposal");

  if (parsed.channel_header.extension().empty()) {
    return absl::InvalidArgumentError("proposal's channel header has no extension (a ChaincodeHeaderExtension)");
  }
  ASSIGN_OR_RETURN(
      parsed.chaincode_header_extension,
      Unmarshal<::protos::ChaincodeHeaderExtension>(parsed.channel_header.extension(), "chaincode header extension"));
  if (!parsed.chaincode_header_extension.has_chaincode_id()) {
    return absl::InvalidArgumentError("chaincode header extension has no chaincode ID");
  }
  if (parsed.chaincode_header_extension.chaincode_id().name().empty()) {
    return absl::InvalidArgumentError("chaincode header extension has an empty chaincode name");
  }

  if (parsed.proposal.payload().empty()) return absl::InvalidArgumentError("proposal has no payload");
  ASSIGN_OR_RETURN(parsed.payload, Unmarshal<::protos::ChaincodeProposalPayload>(parsed.proposal.payload(),
                                                                                 "chaincode proposal payload"));
  if (parsed.payload.input().empty()) {
    return absl::InvalidArgumentError("chaincode proposal payload has no input (a ChaincodeInvocationSpec)");
  }
  ASSIGN_OR_RETURN(parsed.invocation_spec,
                   Unmarshal<::protos::ChaincodeInvocationSpec>(parsed.payload.input(), "chaincode invocation spec"));
  if (!parsed.invocation_spec.has_chaincode_spec()) {
    return absl::InvalidArgumentError("chaincode invocation spec has no chaincode spec");
  }
  if (!parsed.invocation_spec.chaincode_spec().has_input()) {
    return absl::InvalidArgumentError("chaincode spec has no input");
  }
  return parsed;
}

absl::StatusOr<std::string> ProposalPayloadForTransaction(const ::protos::ChaincodeProposalPayload& payload) {
  ::protos::ChaincodeProposalPayload without_transient;
  without_transient.set_input(payload.input());
  return Marshal(without_transient, "chaincode proposal payload without transient map");
}

absl::StatusOr<std::string> ProposalHash(const ::protos::Proposal& proposal) {
  if (proposal.header().empty()) return absl::InvalidArgumentError("proposal has no header");
  ASSIGN_OR_RETURN(const auto header, Unmarshal<::common::Header>(proposal.header(), "proposal header"));
  if (header.channel_header().empty()) return absl::InvalidArgumentError("proposal header has no channel header");
  if (header.signature_header().empty()) {
    return absl::InvalidArgumentError("proposal header has no signature header");
  }
  if (proposal.payload().empty()) return absl::InvalidArgumentError("proposal has no payload");
  ASSIGN_OR_RETURN(const auto payload,
                   Unmarshal<::protos::ChaincodeProposalPayload>(proposal.payload(), "chaincode proposal payload"));
  ASSIGN_OR_RETURN(const std::string payload_for_tx, ProposalPayloadForTransaction(payload));
  return ProposalHashOfParts(header.channel_header(), header.signature_header(), payload_for_tx);
}

std::string ProposalHashOfParts(std::string_view channel_header, std::string_view signature_header,
                                std::string_view chaincode_proposal_payload) {
  crypto::Sha256Hasher hasher;
  hasher.Update(channel_header);
  hasher.Update(signature_header);
  hasher.Update(chaincode_proposal_payload);
  return std::string(crypto::AsBytes(hasher.Finish()));
}

}  // namespace careledger::protoutil
