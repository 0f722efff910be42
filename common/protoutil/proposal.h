// Chaincode proposals: what a client asks endorsers to simulate and sign.
//
//   SignedProposal { proposal_bytes: bytes of Proposal, signature: creator's signature over them }
//     Proposal { header: bytes of common.Header, payload: bytes of ChaincodeProposalPayload }
//       Header: ChannelHeader{ENDORSER_TRANSACTION, channel, tx_id, timestamp, epoch 0,
//                             extension = ChaincodeHeaderExtension{chaincode_id{name}}}
//               SignatureHeader{creator, nonce}
//       ChaincodeProposalPayload { input: bytes of ChaincodeInvocationSpec, TransientMap }
//         ChaincodeInvocationSpec { chaincode_spec{chaincode_id{name}, input{args}} }
//
// CreateChaincodeProposal builds the same structure the Fabric Gateway SDKs build. The transient map carries
// private inputs (e.g. a patient record for a private data collection): it is signed by the client but never
// reaches the ledger, which is why the proposal hash and the transaction carry the payload without it.
//
// All functions are thread-safe; results own their data.
#ifndef CARELEDGER_COMMON_PROTOUTIL_PROPOSAL_H_
#define CARELEDGER_COMMON_PROTOUTIL_PROPOSAL_H_

#include <map>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/common.pb.h"
#include "common/protoutil/signer.h"
#include "google/protobuf/timestamp.pb.h"
#include "peer/chaincode.pb.h"
#include "peer/proposal.pb.h"

namespace careledger::protoutil {

// Private inputs of a proposal, by name. Ordered, so that the serialized proposal is reproducible.
using TransientMap = std::map<std::string, std::string>;

// A proposal and its transaction ID (also inside its channel header).
struct ChaincodeProposal {
  ::protos::Proposal proposal;
  std::string tx_id;
};

// Builds an unsigned proposal to invoke `chaincode_name` on `channel_id` with `args` (args[0] is the
// function name by convention), as `creator` (a serialized identity), with a fresh nonce and
// tx_id = ComputeTxId(nonce, creator). Leaves ChaincodeSpec.type UNDEFINED, as the Go and Java Gateway SDKs
// do (the Node SDK writes NODE; peers ignore it). An empty channel ID is allowed: Fabric uses channel-less
// proposals for peer-local system chaincodes.
//
// Errors: InvalidArgument if chaincode_name or creator is empty, or a part exceeds 2 GiB; Internal if no
// nonce can be drawn.
absl::StatusOr<ChaincodeProposal> CreateChaincodeProposal(std::string_view channel_id, std::string_view chaincode_name,
                                                          std::span<const std::string> args, std::string_view creator,
                                                          const TransientMap& transient,
                                                          const google::protobuf::Timestamp& timestamp);

// As CreateChaincodeProposal, with the caller's nonce (for tests and reproducible fixtures; a nonce must
// never be reused in production). InvalidArgument also if `nonce` is empty.
absl::StatusOr<ChaincodeProposal> CreateChaincodeProposalWithNonce(
    std::string_view channel_id, std::string_view chaincode_name, std::span<const std::string> args,
    std::string_view creator, const TransientMap& transient, const google::protobuf::Timestamp& timestamp,
    std::string_view nonce);

// Serializes `proposal` and signs the bytes. InvalidArgument if the proposal's header is missing or malformed
// or the signer is not the proposal's creator (the endorser would reject the signature); the signer's error,
// annotated, if signing fails.
absl::StatusOr<::protos::SignedProposal> SignProposal(const ::protos::Proposal& proposal, const Signer& signer);

// Every layer of a signed proposal, parsed and checked by ParseSignedProposal.
struct ParsedProposal {
  ::protos::Proposal proposal;
  ::common::Header header;
  ::common::ChannelHeader channel_header;
  ::common::SignatureHeader signature_header;
  ::protos::ChaincodeHeaderExtension chaincode_header_extension;
  ::protos::ChaincodeProposalPayload payload;  // with its transient map
  ::protos::ChaincodeInvocationSpec invocation_spec;
};

// Parses every layer of `signed_proposal`. InvalidArgument naming the layer if: there are no proposal bytes or
// no signature; the proposal, its header, channel header, signature header, header extension, payload or
// invocation spec is missing or malformed; the signature header has no creator or no nonce; the channel
// header's tx_id is not ComputeTxId(nonce, creator); the extension names no chaincode; the invocation spec
// has no chaincode spec or no input.
//
// Does not check the signature, the creator's identity, the header type, the epoch or the channel: the
// endorser does, with the parsed layers.
absl::StatusOr<ParsedProposal> ParseSignedProposal(const ::protos::SignedProposal& signed_proposal);

// Returns the bytes of `payload` as they go into a transaction: ChaincodeProposalPayload{input} without the
// transient map (and without unknown fields), as Fabric's GetBytesProposalPayloadForTx.
// InvalidArgument only if over 2 GiB.
absl::StatusOr<std::string> ProposalPayloadForTransaction(const ::protos::ChaincodeProposalPayload& payload);

// The proposal hash an endorser puts into ProposalResponsePayload.proposal_hash, as Fabric's endorser and
// GetProposalHash1 compute it: SHA-256(header.channel_header || header.signature_header ||
// ProposalPayloadForTransaction(payload)), over the header bytes exactly as received.
// InvalidArgument if the proposal has no header, the header lacks either header, the proposal has no payload,
// or the header or payload is malformed.
absl::StatusOr<std::string> ProposalHash(const ::protos::Proposal& proposal);

// The same hash from a transaction's parts, as Fabric's committer (GetProposalHash2) checks it:
// SHA-256(channel_header || signature_header || chaincode_proposal_payload), all bytes as they appear in the
// transaction (the payload already without its transient map).
std::string ProposalHashOfParts(std::string_view channel_header, std::string_view signature_header,
                                std::string_view chaincode_proposal_payload);

}  // namespace careledger::protoutil

#endif  // CARELEDGER_COMMON_PROTOUTIL_PROPOSAL_H_
