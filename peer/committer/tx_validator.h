// Validating the transactions of a block: the committer's second stage, after block_verifier.h has accepted
// the block and before the MVCC check (peer/committer/mvcc) and the ledger commit.
//
// Every transaction gets a TxValidationCode. A transaction that breaks a rule is INVALID with the code Fabric
// uses for that rule, and the block goes on; only a local failure (the chaincode definitions or the ledger's
// transaction index cannot be read) is an error Status, which stops the block. The verdict on a transaction
// depends only on the block, the channel's MSPs, the chaincodes' endorsement policies and the ledger's set of
// committed transaction IDs: no clock, no randomness, no iteration over unordered containers. Transactions are
// validated in parallel; the result is the same with any number of threads.
//
// Why one pool task per transaction rather than gathering the block's signatures for crypto::VerifyAll: the
// signatures are about 90 % of the work (committer_benchmark), a transaction is independent of the others
// until stage 2, and the batched design would need the same parsing plus a second pass and a barrier. Measured
// per CPU-second on blocks of 500 transactions with two endorsements each, per-transaction validation reaches
// about 80 % of the signature bound and verifying only the signatures with VerifyAll about 95 %, so batching
// could save at most the parsing, which it has to do anyway.
//
// Stage 1, in parallel, each transaction on its own. The checks run in this order; the first that fails decides:
//
//   code                           rule broken
//   -----------------------------  ------------------------------------------------------------------------------
//   NIL_ENVELOPE                   the block entry is empty
//   INVALID_OTHER_REASON (1)       the entry is not a canonical Envelope (malformed, or see canonical.h)
//   BAD_PAYLOAD                    the envelope has no payload, or it is not a canonical Payload
//   BAD_COMMON_HEADER              the payload has no header; the channel or signature header is missing or not
//                                  canonical; the type is not ENDORSER_TRANSACTION, CONFIG or CONFIG_UPDATE; the
//                                  epoch is not 0; the signature header lacks a creator or a nonce
//   TARGET_CHAIN_NOT_FOUND (2)     the channel ID is not this channel's
//   BAD_CREATOR_SIGNATURE          the creator is not a valid identity of the channel's MSPs, or the envelope's
//                                  signature over the payload bytes does not verify
//   UNSUPPORTED_TX_PAYLOAD         the type is CONFIG_UPDATE (orderers turn those into CONFIG transactions)
//   INVALID_CONFIG_TRANSACTION     CONFIG: the data is not a ConfigEnvelope holding a config. Otherwise a CONFIG
//                                  transaction is VALID here: whether the update is allowed is for the config
//                                  stage to decide
//   BAD_PROPOSAL_TXID              tx_id is not SHA-256(nonce || creator) (protoutil::ComputeTxId)
//   INVALID_ENDORSER_TRANSACTION   the data is not a canonical Transaction with exactly one action; the action's
//                                  signature header is missing, not canonical, lacks a nonce or names another
//                                  creator than the payload's; its ChaincodeActionPayload, endorsed action or
//                                  ProposalResponsePayload is missing or not canonical; the proposal hash is not
//                                  protoutil::ProposalHashOfParts(channel header, action header, proposal payload)
//   BAD_HEADER_EXTENSION           the channel header's extension is not a canonical ChaincodeHeaderExtension
//   BAD_RESPONSE_PAYLOAD (3)       the ProposalResponsePayload's extension is missing or not a canonical
//                                  ChaincodeAction; the chaincode response's status is not in [200, 400)
//   BAD_RWSET                      the results are not a canonical TxReadWriteSet, or a namespace's KVRWSet or a
//                                  collection's HashedRWSet is not canonical
//   INVALID_OTHER_REASON           the header extension or the ChaincodeAction has no chaincode_id
//   INVALID_CHAINCODE              the chaincode name is empty or differs between header extension and
//                                  ChaincodeAction, or the ChaincodeAction's chaincode version is empty
//   INVALID_OTHER_REASON           the chaincode event, if any, is not a canonical ChaincodeEvent of the invoked
//                                  chaincode
//   ILLEGAL_WRITESET (4)           a namespace appears twice in the read-write set, or the transaction writes
//                                  (keys, key metadata, private data hashes) into another namespace than the
//                                  invoked chaincode's
//   INVALID_CHAINCODE              the channel defines no chaincode of that name (EndorsementPolicySource: NotFound)
//   ENDORSEMENT_POLICY_FAILURE (5) the valid endorsements do not satisfy the chaincode's endorsement policy
//
// Stage 2, sequentially in block order, for the endorser transactions that passed the envelope checks (up to
// and including BAD_PROPOSAL_TXID), as Fabric's validator does:
//   DUPLICATE_TXID                 a transaction with this ID is already committed (CommittedTxIds), whatever
//                                  stage 1 decided
//   DUPLICATE_TXID                 an earlier transaction of this block that is still VALID has the same ID (the
//                                  first one wins)
//
// Notes on the table, where CareLedger's rule is not a line-by-line copy of Fabric's
// (core/common/validation/msgvalidation.go, core/committer/txvalidator/v20 and its plugin dispatcher):
//  (1) Fabric: an entry that does not unmarshal. VerifyBlock already refuses such blocks as a whole, so this
//      code only appears when a caller validates an unverified block.
//  (2) Fabric defines the code but its check is a stub; CareLedger checks the channel before the creator,
//      whose identity only means something in this channel's MSPs.
//  (3) Fabric does not check the response status at commit time (its endorsers refuse to sign failures);
//      CareLedger does, so that a committed transaction always carries a successful response.
//  (4) Fabric 2 validates a write into another namespace against that namespace's own endorsement policy
//      (for chaincode-to-chaincode calls). CareLedger's chaincodes cannot name another namespace
//      (chaincode/runtime/ledger_access.h), so such a write can only be forged: ILLEGAL_WRITESET, the code
//      Fabric 1.x used for writes an invocation may not make. Reads of other namespaces are allowed.
//  (5) Endorsements are checked as Fabric's policy evaluation does (policies::VerifiedSigners): an
//      endorsement whose identity is not valid in the channel or whose signature over
//      (proposal_response_payload || endorser) does not verify is ignored, and an endorser counts once
//      however often, and in whichever encoding of its certificate, it appears (Identity::signer_key(): by
//      MSP and public key, where Fabric compares certificate hashes); the policy decides over what is left.
//      There is one response payload per transaction, so "the endorsers returned identical responses" is
//      exactly "every counted endorsement signed these bytes". Key-level (state-based) and collection
//      endorsement policies are not evaluated yet.
// Codes this stage never produces: MVCC_READ_CONFLICT, PHANTOM_READ_CONFLICT (the MVCC stage),
// INVALID_WRITESET (the ledger), and codes Fabric reserves for paths that cannot occur here (UNKNOWN_TX_TYPE,
// MARSHAL_TX_ERROR, NIL_TXACTION, EXPIRED_CHAINCODE, CHAINCODE_VERSION_CONFLICT, BAD_CHANNEL_HEADER).
#ifndef CARELEDGER_PEER_COMMITTER_TX_VALIDATOR_H_
#define CARELEDGER_PEER_COMMITTER_TX_VALIDATOR_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/common.pb.h"
#include "common/concurrency/thread_pool.h"
#include "common/configtx.pb.h"
#include "common/policies/policy.h"
#include "common/protoutil/transaction.h"
#include "peer/transaction.pb.h"

namespace careledger::committer {

// The endorsement policies of a channel's chaincodes. The peer implements it from the `_lifecycle` chaincode
// definitions; tests use a fixed map. Must be thread-safe: it is called from every validation thread.
class EndorsementPolicySource {
 public:
  virtual ~EndorsementPolicySource() = default;

  // The endorsement policy of the chaincode named `name` (an untrusted string from a transaction), which stays
  // valid as long as this source. NotFound if the channel defines no such chaincode: the transaction is then
  // INVALID_CHAINCODE. Any other error is a local failure (the definitions could not be read) and stops the
  // validation of the block.
  virtual absl::StatusOr<const policies::Policy*> ForChaincode(std::string_view name) const = 0;
};

// The ledger's index of committed transaction IDs. Called from one thread at a time.
class CommittedTxIds {
 public:
  virtual ~CommittedTxIds() = default;

  // Whether a transaction with ID `tx_id` is in a block already committed to this channel's ledger, with any
  // validation code (as in Fabric, an invalid transaction's ID is used up too). An error is a local failure
  // and stops the validation of the block.
  virtual absl::StatusOr<bool> Contains(std::string_view tx_id) const = 0;
};

// One transaction of a block, as validated.
struct ValidatedTransaction {
  ::protos::TxValidationCode code = ::protos::NOT_VALIDATED;
  // Why the transaction is invalid, naming the layer (for logs; not recorded in the block). Empty if VALID.
  std::string reason;
  // The payload's headers, as soon as they parsed (their type, tx_id and timestamp, the creator); default
  // messages if the transaction failed before that. Beware: tx_id is only known to be the transaction's own
  // (bound to its nonce and creator) if the code is VALID or comes after BAD_PROPOSAL_TXID in the table
  // above; an earlier failure may carry any ID, even another client's, so do not report those to the ID's
  // owner.
  ::common::ChannelHeader channel_header;
  ::common::SignatureHeader signature_header;
  // For an ENDORSER_TRANSACTION whose layers all parsed: every layer, down to the key-value read-write sets,
  // for the MVCC stage and the ledger (which act on VALID transactions only). Collection hashed read-write sets
  // stay serialized, as protoutil leaves them.
  std::optional<protoutil::ParsedEndorserTransaction> endorser_transaction;
  // For a CONFIG transaction whose ConfigEnvelope parsed, for the config stage.
  std::optional<::common::ConfigEnvelope> config_envelope;
};

// Validates the transactions of one channel's blocks. Holds references to its dependencies, which must
// outlive it; build a new validator when the channel's configuration (its MSPs) changes. Validate is
// thread-safe, but blocks must be validated one at a time and in order, since stage 2 depends on what the
// ledger has committed.
class TxValidator {
 public:
  // `deserializer` is the channel's MSP manager. Stage 1 runs on `pool` and on the calling thread; with a null
  // pool, on the calling thread only.
  TxValidator(std::string channel_id, const policies::IdentityDeserializer& deserializer,
              const EndorsementPolicySource& endorsement_policies, ThreadPool* pool);

  // Validates every data entry of `block` (whose header and signatures VerifyBlock has checked) and returns
  // one result per entry, in block order; never NOT_VALIDATED. Errors are local failures only, from
  // EndorsementPolicySource or `committed`, annotated with the block number and the transaction's index (the
  // first in block order, if several fail); no partial result is returned then.
  absl::StatusOr<std::vector<ValidatedTransaction>> Validate(const ::common::Block& block,
                                                             const CommittedTxIds& committed) const;

 private:
  std::string channel_id_;
  const policies::IdentityDeserializer& deserializer_;
  const EndorsementPolicySource& endorsement_policies_;
  ThreadPool* pool_;
};

}  // namespace careledger::committer

#endif  // CARELEDGER_PEER_COMMITTER_TX_VALIDATOR_H_
