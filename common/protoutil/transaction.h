// Endorsements and endorser transactions.
//
// An endorser answers a proposal with a ProposalResponse whose payload is
//
//   ProposalResponsePayload { proposal_hash: ProposalHash(proposal),
//                             extension: bytes of ChaincodeAction{results: bytes of rwset.TxReadWriteSet,
//                                                                 events: bytes of ChaincodeEvent,
//                                                                 response, chaincode_id} }
//
// and signs (payload bytes || its serialized identity). The client collects endorsements whose payloads are
// byte-identical and submits
//
//   Envelope { Payload { header: the proposal's Header,
//                        data: bytes of Transaction{ actions: [ TransactionAction{
//                          header: the proposal's SignatureHeader bytes,
//                          payload: bytes of ChaincodeActionPayload{
//                            chaincode_proposal_payload: the proposal payload without transient map,
//                            action: ChaincodeEndorsedAction{proposal_response_payload, endorsements}}}]}}}
//
// which the committer takes apart again with ParseEndorserTransaction.
//
// All functions are thread-safe; results own their data.
#ifndef CARELEDGER_COMMON_PROTOUTIL_TRANSACTION_H_
#define CARELEDGER_COMMON_PROTOUTIL_TRANSACTION_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/common.pb.h"
#include "common/protoutil/signer.h"
#include "ledger/rwset/kvrwset/kv_rwset.pb.h"
#include "ledger/rwset/rwset.pb.h"
#include "peer/chaincode.pb.h"
#include "peer/proposal.pb.h"
#include "peer/proposal_response.pb.h"
#include "peer/transaction.pb.h"

namespace careledger::protoutil {

// The lowest and first non-successful chaincode response statuses (Fabric's shim.OK and ERRORTHRESHOLD).
inline constexpr int32_t kResponseStatusOk = 200;
inline constexpr int32_t kResponseStatusErrorThreshold = 400;

// Builds an endorser's signed response to `proposal`: version 1, `response`, payload =
// ProposalResponsePayload{ProposalHash(proposal), ChaincodeAction{results, events, response, chaincode_id}},
// endorsement = {endorser.SerializedIdentity(), endorser.Sign(payload bytes || endorser identity)}, exactly the
// bytes Fabric's default endorsement plugin signs. `results` is a serialized rwset.TxReadWriteSet and `events`
// a serialized ChaincodeEvent or empty; neither is inspected.
//
// Errors: InvalidArgument if response.status is not in [200, 400) (a failed simulation is answered without an
// endorsement, never signed), if ProposalHash fails, or if the endorser's identity is empty; the endorser's
// error, annotated, if signing fails.
absl::StatusOr<::protos::ProposalResponse> CreateProposalResponse(const ::protos::Proposal& proposal,
                                                                  const ::protos::Response& response,
                                                                  std::string_view results, std::string_view events,
                                                                  const ::protos::ChaincodeID& chaincode_id,
                                                                  const Signer& endorser);

// Assembles and signs the transaction envelope for `proposal` from its endorsed `responses`, as Fabric's
// CreateSignedTx: one action carrying the proposal payload without its transient map, the first response's
// payload, and each distinct endorser's endorsement once (in response order; responses without an endorsement
// contribute none). The payload header is the proposal's header, so tx_id and creator stay the proposal's.
//
// Errors: InvalidArgument if `responses` is empty, the proposal's header, signature header or payload is
// missing or malformed, or `signer` is not the proposal's creator; FailedPrecondition if a response's status is
// not in [200, 400), if a response's payload is not byte-identical to the first one's (the endorsers disagree,
// e.g. because state changed between their simulations) or if no response carries an endorsement; the
// signer's error, annotated, if signing fails. Messages name the offending response by index.
absl::StatusOr<::common::Envelope> CreateSignedTransaction(const ::protos::Proposal& proposal,
                                                           std::span<const ::protos::ProposalResponse> responses,
                                                           const Signer& signer);

// The same transaction, unsigned: Envelope.signature is empty. What the Fabric Gateway's Endorse returns
// (prepared_transaction): the client signs the payload itself before Submit. Same errors as
// CreateSignedTransaction, without the signer's.
absl::StatusOr<::common::Envelope> CreateUnsignedTransaction(const ::protos::Proposal& proposal,
                                                             std::span<const ::protos::ProposalResponse> responses);

// One action of an endorser transaction, every layer parsed.
struct ParsedTransactionAction {
  ::common::SignatureHeader signature_header;  // TransactionAction.header
  ::protos::ChaincodeActionPayload chaincode_action_payload;
  ::protos::ProposalResponsePayload proposal_response_payload;
  ::protos::ChaincodeAction chaincode_action;
  ::rwset::TxReadWriteSet read_write_set;  // chaincode_action.results
  // kv_read_write_sets[i] is read_write_set.ns_rwset(i).rwset() parsed. Private data (collection hashed
  // read-write sets) is left serialized.
  std::vector<::kvrwset::KVRWSet> kv_read_write_sets;
};

// An endorser transaction, every layer parsed.
struct ParsedEndorserTransaction {
  ::protos::Transaction transaction;
  std::vector<ParsedTransactionAction> actions;  // actions[i] is transaction.actions(i) parsed
};

// Parses the data of `payload`, which the caller has established (ParseEnvelope) to be of type
// ENDORSER_TRANSACTION, down to the key-value read-write sets. InvalidArgument naming the action and layer if:
// the payload has no data; the transaction is malformed or has no action; an action's signature header is
// missing, malformed, or lacks creator or nonce; its payload, endorsed action, proposal response payload or
// its extension (the ChaincodeAction) is missing or malformed; its results or a namespace's read-write set is
// malformed (empty results are an empty read-write set).
//
// Does not check what validation decides: that there is exactly one action (Fabric's rule), the proposal hash
// (compare proposal_response_payload.proposal_hash with ProposalHashOfParts), the endorsements or the
// read-write sets' contents.
absl::StatusOr<ParsedEndorserTransaction> ParseEndorserTransaction(const ::common::Payload& payload);

}  // namespace careledger::protoutil

#endif  // CARELEDGER_COMMON_PROTOUTIL_TRANSACTION_H_
