#include "peer/committer/testing/test_transaction.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/crypto/sha256.h"
#include "common/protoutil/marshal.h"
#include "common/protoutil/proposal.h"
#include "common/protoutil/txid.h"
#include "common/strings.h"
#include "msp/identities.pb.h"
#include "peer/chaincode.pb.h"
#include "peer/transaction.pb.h"

namespace careledger::committer::testing {
namespace {

template <typename T>
T OrDie(absl::StatusOr<T> value, std::string_view what) {
  if (!value.ok()) {
    std::fprintf(stderr, "test transaction: %.*s: %s\n", static_cast<int>(what.size()), what.data(),
                 value.status().ToString().c_str());
    std::abort();
  }
  return *std::move(value);
}

std::string Serialize(const google::protobuf::MessageLite& message, Layer layer,
                      const std::function<void(Layer, std::string&)>& edit) {
  std::string bytes = OrDie(protoutil::Marshal(message, message.GetTypeName()), "serializing");
  if (edit) edit(layer, bytes);
  return bytes;
}

}  // namespace

EndorserTransactionSpec DefaultEndorserTransaction(std::string_view channel, std::string_view chaincode,
                                                   const protoutil::Signer& creator,
                                                   std::vector<const protoutil::Signer*> endorsers, int nonce_seed) {
  EndorserTransactionSpec spec;
  const std::string identity = creator.SerializedIdentity();
  const std::string nonce =
      crypto::Sha256Bytes(absl::StrCat("test nonce ", nonce_seed)).substr(0, protoutil::kNonceSize);
  spec.channel_header.set_type(::common::ENDORSER_TRANSACTION);
  spec.channel_header.set_channel_id(std::string(channel));
  spec.channel_header.set_tx_id(protoutil::ComputeTxId(nonce, identity));
  spec.channel_header.mutable_timestamp()->set_seconds(1700000000);
  spec.signature_header.set_creator(identity);
  spec.signature_header.set_nonce(nonce);
  spec.action_header = spec.signature_header;
  spec.header_extension.mutable_chaincode_id()->set_name(std::string(chaincode));

  ::protos::ChaincodeInvocationSpec invocation;
  invocation.mutable_chaincode_spec()->mutable_chaincode_id()->set_name(std::string(chaincode));
  for (const char* arg : {"put", "key", "value"}) invocation.mutable_chaincode_spec()->mutable_input()->add_args(arg);
  ::protos::ChaincodeProposalPayload proposal_payload;
  proposal_payload.set_input(OrDie(protoutil::Marshal(invocation, "invocation spec"), "serializing"));
  spec.chaincode_proposal_payload = OrDie(protoutil::Marshal(proposal_payload, "proposal payload"), "serializing");

  NamespaceReadWriteSet ns;
  ns.name = std::string(chaincode);
  ::kvrwset::KVRead* read = ns.kv.add_reads();
  read->set_key("key");
  read->mutable_version()->set_block_num(1);
  ::kvrwset::KVWrite* write = ns.kv.add_writes();
  write->set_key("key");
  write->set_value("value");
  spec.namespaces.push_back(std::move(ns));

  spec.chaincode_action.mutable_response()->set_status(200);
  spec.chaincode_action.mutable_chaincode_id()->set_name(std::string(chaincode));
  spec.chaincode_action.mutable_chaincode_id()->set_version("1.0");
  spec.envelope_signer = &creator;
  spec.endorsers = std::move(endorsers);
  return spec;
}

std::string BuildEndorserTransaction(const EndorserTransactionSpec& spec) {
  const auto& edit = spec.edit;
  ::common::ChannelHeader channel_header = spec.channel_header;
  channel_header.set_extension(Serialize(spec.header_extension, Layer::kHeaderExtension, edit));
  const std::string channel_header_bytes = Serialize(channel_header, Layer::kChannelHeader, edit);
  const std::string signature_header_bytes = Serialize(spec.signature_header, Layer::kSignatureHeader, edit);
  const std::string action_header_bytes = Serialize(spec.action_header, Layer::kActionHeader, edit);

  ::rwset::TxReadWriteSet read_write_set;
  for (const NamespaceReadWriteSet& ns : spec.namespaces) {
    ::rwset::NsReadWriteSet* out = read_write_set.add_ns_rwset();
    out->set_namespace_(ns.name);
    out->set_rwset(OrDie(protoutil::Marshal(ns.kv, "kv read-write set"), "serializing"));
    for (const auto& collection : ns.collections) *out->add_collection_hashed_rwset() = collection;
  }
  ::protos::ChaincodeAction chaincode_action = spec.chaincode_action;
  chaincode_action.set_results(Serialize(read_write_set, Layer::kReadWriteSet, edit));

  ::protos::ProposalResponsePayload response_payload;
  response_payload.set_proposal_hash(protoutil::ProposalHashOfParts(channel_header_bytes, action_header_bytes,
                                                                    spec.chaincode_proposal_payload));
  response_payload.set_extension(Serialize(chaincode_action, Layer::kChaincodeAction, edit));
  const std::string response_payload_bytes = Serialize(response_payload, Layer::kProposalResponsePayload, edit);

  ::protos::ChaincodeActionPayload action_payload;
  action_payload.set_chaincode_proposal_payload(spec.chaincode_proposal_payload);
  ::protos::ChaincodeEndorsedAction* endorsed = action_payload.mutable_action();
  endorsed->set_proposal_response_payload(response_payload_bytes);
  for (const protoutil::Signer* endorser : spec.endorsers) {
    ::protos::Endorsement* endorsement = endorsed->add_endorsements();
    endorsement->set_endorser(endorser->SerializedIdentity());
    endorsement->set_signature(
        OrDie(endorser->Sign(absl::StrCat(response_payload_bytes, endorsement->endorser())), "endorsing"));
  }

  ::protos::Transaction transaction;
  ::protos::TransactionAction* action = transaction.add_actions();
  action->set_header(action_header_bytes);
  action->set_payload(Serialize(action_payload, Layer::kChaincodeActionPayload, edit));

  ::common::Payload payload;
  payload.mutable_header()->set_channel_header(channel_header_bytes);
  payload.mutable_header()->set_signature_header(signature_header_bytes);
  payload.set_data(Serialize(transaction, Layer::kTransaction, edit));

  ::common::Envelope envelope;
  envelope.set_payload(Serialize(payload, Layer::kPayload, edit));
  envelope.set_signature(OrDie(spec.envelope_signer->Sign(envelope.payload()), "signing the envelope"));
  return Serialize(envelope, Layer::kEnvelope, edit);
}

std::string AnotherEncoding(std::string_view serialized_identity) {
  ::msp::SerializedIdentity identity;
  if (!identity.ParseFromArray(serialized_identity.data(), static_cast<int>(serialized_identity.size()))) {
    std::fprintf(stderr, "test transaction: not a serialized identity\n");
    std::abort();
  }
  identity.set_id_bytes("another reading of the same certificate\n" + identity.id_bytes());
  return identity.SerializeAsString();
}

std::string WithUnknownField(std::string_view bytes) {
  // Field 1000, wire type 0 (varint): tag (1000 << 3) = 8000 = 0xc0 0x3e, value 1.
  return absl::StrCat(AsAbsl(bytes), "\xc0\x3e\x01");
}

}  // namespace careledger::committer::testing
