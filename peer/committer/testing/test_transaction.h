// Test-only: endorser transactions with real signatures whose every layer a test can change, so that each of
// the validator's rules can be broken on its own while everything signed around it stays valid.
//
//   EndorserTransactionSpec spec = DefaultEndorserTransaction("healthchannel", "records", client, {&p1, &p2}, 7);
//   spec.chaincode_action.mutable_response()->set_status(500);    // a message-level change
//   spec.edit = [](Layer layer, std::string& bytes) { ... };      // or a byte-level one, before signing
//   std::string entry = BuildEndorserTransaction(spec);            // a serialized common.Envelope
//
// Failures (a signer that cannot sign) abort the test binary: a fixture that cannot be built makes every
// assertion after it meaningless.
#ifndef CARELEDGER_PEER_COMMITTER_TESTING_TEST_TRANSACTION_H_
#define CARELEDGER_PEER_COMMITTER_TESTING_TEST_TRANSACTION_H_

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/common.pb.h"
#include "common/protoutil/signer.h"
#include "ledger/rwset/kvrwset/kv_rwset.pb.h"
#include "ledger/rwset/rwset.pb.h"
#include "peer/proposal.pb.h"
#include "peer/proposal_response.pb.h"

namespace careledger::committer::testing {

// The layers BuildEndorserTransaction serializes, innermost first.
enum class Layer {
  kHeaderExtension,          // ChaincodeHeaderExtension, into ChannelHeader.extension
  kChannelHeader,            // Header.channel_header
  kSignatureHeader,          // Header.signature_header
  kActionHeader,             // TransactionAction.header
  kReadWriteSet,             // TxReadWriteSet, into ChaincodeAction.results
  kChaincodeAction,          // ProposalResponsePayload.extension
  kProposalResponsePayload,  // what the endorsers sign
  kChaincodeActionPayload,   // TransactionAction.payload
  kTransaction,              // Payload.data
  kPayload,                  // Envelope.payload: what the creator signs
  kEnvelope,                 // the block entry
};

// One namespace of the read-write set.
struct NamespaceReadWriteSet {
  std::string name;
  ::kvrwset::KVRWSet kv;
  std::vector<::rwset::CollectionHashedReadWriteSet> collections;
};

// Every part of an endorser transaction before it is serialized and signed. Signers are not owned.
struct EndorserTransactionSpec {
  ::common::ChannelHeader channel_header;  // its extension is replaced by header_extension's bytes
  ::common::SignatureHeader signature_header;
  ::common::SignatureHeader action_header;  // TransactionAction.header; the proposal's signature header
  ::protos::ChaincodeHeaderExtension header_extension;
  std::string chaincode_proposal_payload;  // serialized ChaincodeProposalPayload, without transient map
  std::vector<NamespaceReadWriteSet> namespaces;
  ::protos::ChaincodeAction chaincode_action;  // its results are replaced by the read-write set's bytes
  const protoutil::Signer* envelope_signer = nullptr;
  std::vector<const protoutil::Signer*> endorsers;  // each signs (proposal response payload || its identity)
  // Called with each layer's bytes right after they are serialized, before anything hashes, signs or embeds
  // them. May be empty.
  std::function<void(Layer, std::string&)> edit;
};

// A valid transaction: `creator` invokes `chaincode` on `channel` (ENDORSER_TRANSACTION, epoch 0, timestamp
// 1700000000 s, nonce derived from `nonce_seed`, tx_id = ComputeTxId(nonce, creator)); the response has status
// 200 and chaincode ID {chaincode, "1.0"}; the read-write set reads "key" at version (1, 0) and writes
// "key" = "value" in the chaincode's namespace; `endorsers` endorse, in order (duplicates are kept, unlike
// protoutil::CreateSignedTransaction); `creator` signs the envelope.
EndorserTransactionSpec DefaultEndorserTransaction(std::string_view channel, std::string_view chaincode,
                                                   const protoutil::Signer& creator,
                                                   std::vector<const protoutil::Signer*> endorsers, int nonce_seed);

// Serializes and signs every layer of `spec` (proposal hash from the serialized channel header, action header
// and proposal payload) and returns the serialized common.Envelope.
std::string BuildEndorserTransaction(const EndorserTransactionSpec& spec);

// `bytes` followed by an unknown field (number 1000, varint 1): a second reading of the same message that
// protobuf parsers accept.
std::string WithUnknownField(std::string_view bytes);

// Signs as `signer` but presents `serialized` as its identity: with AnotherEncoding, the same certificate
// encoded differently.
class ReencodedSigner final : public protoutil::Signer {
 public:
  ReencodedSigner(const protoutil::Signer& signer, std::string serialized)
      : signer_(signer), serialized_(std::move(serialized)) {}
  std::string SerializedIdentity() const override { return serialized_; }
  absl::StatusOr<std::string> Sign(std::string_view message) const override { return signer_.Sign(message); }

 private:
  const protoutil::Signer& signer_;
  std::string serialized_;
};

// `serialized_identity` (an msp.SerializedIdentity) with text before its certificate's PEM, which PEM
// readers skip: another encoding of the same identity.
std::string AnotherEncoding(std::string_view serialized_identity);

}  // namespace careledger::committer::testing

#endif  // CARELEDGER_PEER_COMMITTER_TESTING_TEST_TRANSACTION_H_
