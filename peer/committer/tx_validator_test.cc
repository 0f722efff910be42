#include "peer/committer/tx_validator.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/concurrency/thread_pool.h"
#include "common/policies/policy_parser.h"
#include "common/policies/signature_policy.h"
#include "common/protoutil/block.h"
#include "common/protoutil/envelope.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "peer/chaincode_event.pb.h"
#include "peer/committer/testing/test_chain.h"
#include "peer/committer/testing/test_channel.h"
#include "peer/committer/testing/test_transaction.h"

namespace careledger::committer {
namespace {

using ::protos::TxValidationCode;
using ::testing::HasSubstr;
using testing::Channel;
using testing::EndorserTransactionSpec;
using testing::Layer;

std::unique_ptr<policies::Policy> Compile(std::string_view text) {
  absl::StatusOr<::common::SignaturePolicyEnvelope> envelope = policies::ParseSignaturePolicy(text);
  EXPECT_TRUE(envelope.ok()) << envelope.status();
  absl::StatusOr<std::unique_ptr<policies::Policy>> policy = policies::NewSignaturePolicy(*envelope);
  EXPECT_TRUE(policy.ok()) << policy.status();
  return *std::move(policy);
}

::testing::AssertionResult HasCode(const ValidatedTransaction& tx, TxValidationCode expected) {
  if (tx.code == expected) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "code " << ::protos::TxValidationCode_Name(tx.code) << " ("
                                       << tx.reason << "), expected " << ::protos::TxValidationCode_Name(expected);
}

// Replaces the bytes of `layer` with what `change` makes of them.
std::function<void(Layer, std::string&)> OnLayer(Layer layer, std::function<void(std::string&)> change) {
  return [layer, change = std::move(change)](Layer at, std::string& bytes) {
    if (at == layer) change(bytes);
  };
}

// Parses the bytes of `layer` as a T, lets `change` modify it, and serializes it back.
template <typename T>
std::function<void(Layer, std::string&)> OnMessage(Layer layer, std::function<void(T&)> change) {
  return OnLayer(layer, [change = std::move(change)](std::string& bytes) {
    T message;
    ASSERT_TRUE(message.ParseFromString(bytes));
    change(message);
    bytes = message.SerializeAsString();
  });
}

class FailingPolicies final : public EndorsementPolicySource {
 public:
  absl::StatusOr<const policies::Policy*> ForChaincode(std::string_view) const override {
    return absl::UnavailableError("lifecycle state unreadable");
  }
};

class FailingTxIds final : public CommittedTxIds {
 public:
  absl::StatusOr<bool> Contains(std::string_view) const override { return absl::DataLossError("index corrupt"); }
};

class TxValidatorTest : public ::testing::Test {
 protected:
  TxValidatorTest() {
    policies_.Add("records", Compile("AND('Hospital1MSP.peer', 'Hospital2MSP.peer')"));
    policies_.Add("notes", Compile("OR('Hospital1MSP.peer', 'Hospital2MSP.peer')"));
    policies_.Add("twice", Compile("OutOf(2, 'Hospital1MSP.peer', 'Hospital1MSP.peer')"));
  }

  // A valid transaction of client1 invoking `chaincode`, endorsed by Hospital1's and Hospital2's peers.
  static EndorserTransactionSpec Spec(int seed, std::string_view chaincode = "records") {
    const testing::TestChannel& c = Channel();
    return testing::DefaultEndorserTransaction(c.id, chaincode, c.client1, {&c.peer1, &c.peer2}, seed);
  }
  static std::string Tx(int seed, std::string_view chaincode = "records") {
    return testing::BuildEndorserTransaction(Spec(seed, chaincode));
  }
  static std::string Build(const EndorserTransactionSpec& spec) { return testing::BuildEndorserTransaction(spec); }

  absl::StatusOr<std::vector<ValidatedTransaction>> Validate(std::vector<std::string> entries,
                                                             ThreadPool* pool = nullptr) const {
    const ::common::Block block = protoutil::NewBlock(1, "previous", std::move(entries));
    return TxValidator(Channel().id, *Channel().msps, policies_, pool).Validate(block, committed_);
  }

  ValidatedTransaction ValidateOne(std::string entry) const {
    absl::StatusOr<std::vector<ValidatedTransaction>> results = Validate({std::move(entry)});
    EXPECT_TRUE(results.ok()) << results.status();
    if (!results.ok() || results->size() != 1) return {};
    return std::move(results->front());
  }

  testing::FixedEndorsementPolicies policies_;
  testing::FixedTxIds committed_;
};

TEST_F(TxValidatorTest, ValidTransactionIsValidAndFullyParsed) {
  const EndorserTransactionSpec spec = Spec(1);
  const ValidatedTransaction tx = ValidateOne(Build(spec));
  ASSERT_TRUE(HasCode(tx, ::protos::VALID));
  EXPECT_EQ(tx.reason, "");
  EXPECT_EQ(tx.channel_header.tx_id(), spec.channel_header.tx_id());
  EXPECT_EQ(tx.signature_header.creator(), Channel().client1.SerializedIdentity());
  ASSERT_TRUE(tx.endorser_transaction.has_value());
  ASSERT_EQ(tx.endorser_transaction->actions.size(), 1u);
  const protoutil::ParsedTransactionAction& action = tx.endorser_transaction->actions[0];
  EXPECT_EQ(action.chaincode_action.chaincode_id().name(), "records");
  ASSERT_EQ(action.kv_read_write_sets.size(), 1u);
  ASSERT_EQ(action.kv_read_write_sets[0].writes_size(), 1);
  EXPECT_EQ(action.kv_read_write_sets[0].writes(0).key(), "key");
  EXPECT_EQ(action.kv_read_write_sets[0].writes(0).value(), "value");
  EXPECT_EQ(action.read_write_set.ns_rwset(0).namespace_(), "records");
  EXPECT_FALSE(tx.config_envelope.has_value());
}

// --- The envelope (Fabric's ValidateTransaction) ---

TEST_F(TxValidatorTest, EmptyEntryIsNilEnvelope) { EXPECT_TRUE(HasCode(ValidateOne(""), ::protos::NIL_ENVELOPE)); }

TEST_F(TxValidatorTest, MalformedEnvelopeIsInvalidOtherReason) {
  EXPECT_TRUE(HasCode(ValidateOne("\x0a\x7f"), ::protos::INVALID_OTHER_REASON));
}

TEST_F(TxValidatorTest, NonCanonicalEnvelopeIsInvalidOtherReason) {
  EndorserTransactionSpec spec = Spec(1);
  spec.edit = OnLayer(Layer::kEnvelope, [](std::string& b) { b = testing::WithUnknownField(b); });
  const ValidatedTransaction tx = ValidateOne(Build(spec));
  EXPECT_TRUE(HasCode(tx, ::protos::INVALID_OTHER_REASON));
  EXPECT_THAT(tx.reason, HasSubstr("envelope (common.Envelope) is not in canonical encoding"));
}

TEST_F(TxValidatorTest, EnvelopeWithoutPayloadIsBadPayload) {
  ::common::Envelope envelope;
  envelope.set_signature("signature");
  EXPECT_TRUE(HasCode(ValidateOne(envelope.SerializeAsString()), ::protos::BAD_PAYLOAD));
}

TEST_F(TxValidatorTest, MalformedPayloadIsBadPayload) {
  EndorserTransactionSpec spec = Spec(1);
  spec.edit = OnLayer(Layer::kPayload, [](std::string& b) { b = "\x0a\x7f"; });
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::BAD_PAYLOAD));
}

TEST_F(TxValidatorTest, NonCanonicalPayloadIsBadPayload) {
  EndorserTransactionSpec spec = Spec(1);
  // data (field 2) before header (field 1): both parse, and the creator signed exactly these bytes.
  spec.edit = OnLayer(Layer::kPayload, [](std::string& b) {
    ::common::Payload payload;
    ASSERT_TRUE(payload.ParseFromString(b));
    ::common::Payload header_only, data_only;
    *header_only.mutable_header() = payload.header();
    data_only.set_data(payload.data());
    b = data_only.SerializeAsString() + header_only.SerializeAsString();
  });
  const ValidatedTransaction tx = ValidateOne(Build(spec));
  EXPECT_TRUE(HasCode(tx, ::protos::BAD_PAYLOAD));
  EXPECT_THAT(tx.reason, HasSubstr("payload (common.Payload) is not in canonical encoding"));
}

TEST_F(TxValidatorTest, PayloadWithoutHeaderIsBadCommonHeader) {
  EndorserTransactionSpec spec = Spec(1);
  spec.edit = OnMessage<::common::Payload>(Layer::kPayload, [](::common::Payload& p) { p.clear_header(); });
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::BAD_COMMON_HEADER));
}

TEST_F(TxValidatorTest, MissingChannelHeaderIsBadCommonHeader) {
  EndorserTransactionSpec spec = Spec(1);
  spec.edit = OnLayer(Layer::kChannelHeader, [](std::string& b) { b.clear(); });
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::BAD_COMMON_HEADER));
}

TEST_F(TxValidatorTest, NonCanonicalChannelHeaderIsBadCommonHeader) {
  EndorserTransactionSpec spec = Spec(1);
  spec.edit = OnLayer(Layer::kChannelHeader, [](std::string& b) { b = testing::WithUnknownField(b); });
  const ValidatedTransaction tx = ValidateOne(Build(spec));
  EXPECT_TRUE(HasCode(tx, ::protos::BAD_COMMON_HEADER));
  EXPECT_THAT(tx.reason, HasSubstr("channel header (common.ChannelHeader) is not in canonical encoding"));
}

TEST_F(TxValidatorTest, NonCanonicalSignatureHeaderIsBadCommonHeader) {
  EndorserTransactionSpec spec = Spec(1);
  spec.edit = OnLayer(Layer::kSignatureHeader, [](std::string& b) { b = testing::WithUnknownField(b); });
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::BAD_COMMON_HEADER));
}

TEST_F(TxValidatorTest, HeaderTypeThatIsNoTransactionIsBadCommonHeader) {
  for (int type : {static_cast<int>(::common::MESSAGE), static_cast<int>(::common::DELIVER_SEEK_INFO), 42}) {
    EndorserTransactionSpec spec = Spec(1);
    spec.channel_header.set_type(type);
    const ValidatedTransaction tx = ValidateOne(Build(spec));
    EXPECT_TRUE(HasCode(tx, ::protos::BAD_COMMON_HEADER)) << type;
    EXPECT_THAT(tx.reason, HasSubstr("is not a transaction type"));
  }
}

TEST_F(TxValidatorTest, NonZeroEpochIsBadCommonHeader) {
  EndorserTransactionSpec spec = Spec(1);
  spec.channel_header.set_epoch(1);
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::BAD_COMMON_HEADER));
}

TEST_F(TxValidatorTest, MissingCreatorOrNonceIsBadCommonHeader) {
  EndorserTransactionSpec no_nonce = Spec(1);
  no_nonce.signature_header.clear_nonce();
  EXPECT_TRUE(HasCode(ValidateOne(Build(no_nonce)), ::protos::BAD_COMMON_HEADER));
  EndorserTransactionSpec no_creator = Spec(1);
  no_creator.signature_header.clear_creator();
  EXPECT_TRUE(HasCode(ValidateOne(Build(no_creator)), ::protos::BAD_COMMON_HEADER));
}

TEST_F(TxValidatorTest, OtherChannelIsTargetChainNotFound) {
  EndorserTransactionSpec spec = Spec(1);
  spec.channel_header.set_channel_id("otherchannel");
  const ValidatedTransaction tx = ValidateOne(Build(spec));
  EXPECT_TRUE(HasCode(tx, ::protos::TARGET_CHAIN_NOT_FOUND));
  EXPECT_THAT(tx.reason, HasSubstr("\"otherchannel\", not \"healthchannel\""));
}

TEST_F(TxValidatorTest, CreatorOutsideTheChannelIsBadCreatorSignature) {
  const testing::TestChannel& c = Channel();
  const ValidatedTransaction tx = ValidateOne(Build(
      testing::DefaultEndorserTransaction(c.id, "records", c.outsider, {&c.peer1, &c.peer2}, 1)));
  EXPECT_TRUE(HasCode(tx, ::protos::BAD_CREATOR_SIGNATURE));
  EXPECT_THAT(tx.reason, HasSubstr("not a valid identity of this channel"));
}

TEST_F(TxValidatorTest, EnvelopeSignedByAnotherKeyIsBadCreatorSignature) {
  EndorserTransactionSpec spec = Spec(1);
  spec.envelope_signer = &Channel().peer1;
  const ValidatedTransaction tx = ValidateOne(Build(spec));
  EXPECT_TRUE(HasCode(tx, ::protos::BAD_CREATOR_SIGNATURE));
  EXPECT_THAT(tx.reason, HasSubstr("signature over the payload does not verify"));
}

TEST_F(TxValidatorTest, UnsignedEnvelopeIsBadCreatorSignature) {
  EndorserTransactionSpec spec = Spec(1);
  spec.edit = OnMessage<::common::Envelope>(Layer::kEnvelope, [](::common::Envelope& e) { e.clear_signature(); });
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::BAD_CREATOR_SIGNATURE));
}

TEST_F(TxValidatorTest, ConfigUpdateIsUnsupportedTxPayload) {
  EndorserTransactionSpec spec = Spec(1);
  spec.channel_header.set_type(::common::CONFIG_UPDATE);
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::UNSUPPORTED_TX_PAYLOAD));
}

// A CONFIG envelope as an orderer makes it: the config wrapped in a ConfigEnvelope, signed by the orderer.
std::string ConfigTransaction(const ::common::ConfigEnvelope& config_envelope) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(1700000000);
  absl::StatusOr<::common::Envelope> envelope = protoutil::CreateSignedEnvelope(
      ::common::CONFIG, Channel().id, Channel().orderer, config_envelope, 0, timestamp);
  EXPECT_TRUE(envelope.ok()) << envelope.status();
  return envelope->SerializeAsString();
}

TEST_F(TxValidatorTest, ConfigTransactionIsLeftValidForTheConfigStage) {
  ::common::ConfigEnvelope config_envelope;
  *config_envelope.mutable_config() = Channel().config->config();
  const ValidatedTransaction tx = ValidateOne(ConfigTransaction(config_envelope));
  ASSERT_TRUE(HasCode(tx, ::protos::VALID));
  ASSERT_TRUE(tx.config_envelope.has_value());
  EXPECT_EQ(tx.config_envelope->config().sequence(), Channel().config->sequence());
  EXPECT_FALSE(tx.endorser_transaction.has_value());
}

TEST_F(TxValidatorTest, ConfigEnvelopeWithoutConfigIsInvalidConfigTransaction) {
  EXPECT_TRUE(HasCode(ValidateOne(ConfigTransaction(::common::ConfigEnvelope())),
                      ::protos::INVALID_CONFIG_TRANSACTION));
}

TEST_F(TxValidatorTest, WrongTxIdIsBadProposalTxId) {
  EndorserTransactionSpec spec = Spec(1);
  spec.channel_header.set_tx_id(Spec(2).channel_header.tx_id());
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::BAD_PROPOSAL_TXID));
}

// --- The endorser transaction's structure (Fabric's validateEndorserTransaction) ---

TEST_F(TxValidatorTest, TransactionWithoutActionIsInvalidEndorserTransaction) {
  EndorserTransactionSpec spec = Spec(1);
  spec.edit = OnLayer(Layer::kTransaction, [](std::string& b) { b.clear(); });
  const ValidatedTransaction tx = ValidateOne(Build(spec));
  EXPECT_TRUE(HasCode(tx, ::protos::INVALID_ENDORSER_TRANSACTION));
  EXPECT_THAT(tx.reason, HasSubstr("0 actions; exactly one is supported"));
}

TEST_F(TxValidatorTest, TransactionWithTwoActionsIsInvalidEndorserTransaction) {
  EndorserTransactionSpec spec = Spec(1);
  spec.edit = OnMessage<::protos::Transaction>(Layer::kTransaction, [](::protos::Transaction& t) {
    *t.add_actions() = t.actions(0);
  });
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::INVALID_ENDORSER_TRANSACTION));
}

TEST_F(TxValidatorTest, NonCanonicalTransactionIsInvalidEndorserTransaction) {
  EndorserTransactionSpec spec = Spec(1);
  spec.edit = OnLayer(Layer::kTransaction, [](std::string& b) { b = testing::WithUnknownField(b); });
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::INVALID_ENDORSER_TRANSACTION));
}

TEST_F(TxValidatorTest, ActionCreatorOtherThanTheTransactionsIsInvalidEndorserTransaction) {
  EndorserTransactionSpec spec = Spec(1);
  spec.action_header.set_creator(Channel().peer1.SerializedIdentity());
  const ValidatedTransaction tx = ValidateOne(Build(spec));
  EXPECT_TRUE(HasCode(tx, ::protos::INVALID_ENDORSER_TRANSACTION));
  EXPECT_THAT(tx.reason, HasSubstr("not the transaction's creator"));
}

TEST_F(TxValidatorTest, NonCanonicalActionHeaderIsInvalidEndorserTransaction) {
  EndorserTransactionSpec spec = Spec(1);
  spec.edit = OnLayer(Layer::kActionHeader, [](std::string& b) { b = testing::WithUnknownField(b); });
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::INVALID_ENDORSER_TRANSACTION));
}

TEST_F(TxValidatorTest, MalformedChaincodeActionPayloadIsInvalidEndorserTransaction) {
  EndorserTransactionSpec spec = Spec(1);
  spec.edit = OnLayer(Layer::kChaincodeActionPayload, [](std::string& b) { b = "\x12\x7f"; });
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::INVALID_ENDORSER_TRANSACTION));
}

TEST_F(TxValidatorTest, NonCanonicalProposalResponsePayloadIsInvalidEndorserTransaction) {
  EndorserTransactionSpec spec = Spec(1);
  spec.edit = OnLayer(Layer::kProposalResponsePayload, [](std::string& b) { b = testing::WithUnknownField(b); });
  const ValidatedTransaction tx = ValidateOne(Build(spec));
  EXPECT_TRUE(HasCode(tx, ::protos::INVALID_ENDORSER_TRANSACTION));
  EXPECT_THAT(tx.reason, HasSubstr("proposal response payload (protos.ProposalResponsePayload) is not in canonical"));
}

TEST_F(TxValidatorTest, ProposalHashMismatchIsInvalidEndorserTransaction) {
  EndorserTransactionSpec spec = Spec(1);
  // The endorsers signed a response to another proposal input than the one the transaction carries.
  spec.edit = OnMessage<::protos::ChaincodeActionPayload>(
      Layer::kChaincodeActionPayload,
      [](::protos::ChaincodeActionPayload& p) { p.set_chaincode_proposal_payload("another input"); });
  const ValidatedTransaction tx = ValidateOne(Build(spec));
  EXPECT_TRUE(HasCode(tx, ::protos::INVALID_ENDORSER_TRANSACTION));
  EXPECT_THAT(tx.reason, HasSubstr("proposal hash does not match"));
}

// --- The chaincode action (Fabric's plugin dispatcher and default validation plugin) ---

TEST_F(TxValidatorTest, MalformedHeaderExtensionIsBadHeaderExtension) {
  EndorserTransactionSpec spec = Spec(1);
  spec.edit = OnLayer(Layer::kHeaderExtension, [](std::string& b) { b = "\x0a\x7f"; });
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::BAD_HEADER_EXTENSION));
  spec.edit = OnLayer(Layer::kHeaderExtension, [](std::string& b) { b = testing::WithUnknownField(b); });
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::BAD_HEADER_EXTENSION));
}

TEST_F(TxValidatorTest, MalformedChaincodeActionIsBadResponsePayload) {
  EndorserTransactionSpec spec = Spec(1);
  spec.edit = OnLayer(Layer::kChaincodeAction, [](std::string& b) { b = "\x0a\x7f"; });
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::BAD_RESPONSE_PAYLOAD));
  spec.edit = OnLayer(Layer::kChaincodeAction, [](std::string& b) { b = testing::WithUnknownField(b); });
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::BAD_RESPONSE_PAYLOAD));
}

TEST_F(TxValidatorTest, UnsuccessfulChaincodeResponseIsBadResponsePayload) {
  for (int status : {500, 400, 199, 0}) {
    EndorserTransactionSpec spec = Spec(1);
    spec.chaincode_action.mutable_response()->set_status(status);
    const ValidatedTransaction tx = ValidateOne(Build(spec));
    EXPECT_TRUE(HasCode(tx, ::protos::BAD_RESPONSE_PAYLOAD)) << status;
    EXPECT_THAT(tx.reason, HasSubstr(absl::StrCat("status ", status, ";")));
  }
  EndorserTransactionSpec spec = Spec(1);
  spec.chaincode_action.mutable_response()->set_status(399);
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::VALID));
}

TEST_F(TxValidatorTest, MalformedReadWriteSetIsBadRwset) {
  EndorserTransactionSpec spec = Spec(1);
  spec.edit = OnLayer(Layer::kReadWriteSet, [](std::string& b) { b = "\x12\x7f"; });
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::BAD_RWSET));
}

TEST_F(TxValidatorTest, NonCanonicalNamespaceReadWriteSetIsBadRwset) {
  EndorserTransactionSpec spec = Spec(1);
  spec.edit = OnMessage<::rwset::TxReadWriteSet>(Layer::kReadWriteSet, [](::rwset::TxReadWriteSet& rw) {
    rw.mutable_ns_rwset(0)->set_rwset(testing::WithUnknownField(rw.ns_rwset(0).rwset()));
  });
  const ValidatedTransaction tx = ValidateOne(Build(spec));
  EXPECT_TRUE(HasCode(tx, ::protos::BAD_RWSET));
  EXPECT_THAT(tx.reason, HasSubstr("read-write set of namespace \"records\" (kvrwset.KVRWSet) is not in canonical"));
}

TEST_F(TxValidatorTest, MalformedCollectionHashedReadWriteSetIsBadRwset) {
  EndorserTransactionSpec spec = Spec(1);
  ::rwset::CollectionHashedReadWriteSet collection;
  collection.set_collection_name("consents");
  collection.set_hashed_rwset("\x0a\x7f");
  spec.namespaces[0].collections.push_back(collection);
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::BAD_RWSET));
}

TEST_F(TxValidatorTest, ChaincodeActionWithoutChaincodeIdIsInvalidOtherReason) {
  EndorserTransactionSpec spec = Spec(1);
  spec.chaincode_action.clear_chaincode_id();
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::INVALID_OTHER_REASON));
}

TEST_F(TxValidatorTest, HeaderExtensionWithoutChaincodeIdIsInvalidOtherReason) {
  EndorserTransactionSpec spec = Spec(1);
  spec.header_extension.clear_chaincode_id();
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::INVALID_OTHER_REASON));
}

TEST_F(TxValidatorTest, EmptyChaincodeNameIsInvalidChaincode) {
  EndorserTransactionSpec spec = Spec(1);
  spec.header_extension.mutable_chaincode_id()->clear_name();
  spec.chaincode_action.mutable_chaincode_id()->clear_name();
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::INVALID_CHAINCODE));
}

TEST_F(TxValidatorTest, ResponseFromAnotherChaincodeIsInvalidChaincode) {
  EndorserTransactionSpec spec = Spec(1);
  spec.chaincode_action.mutable_chaincode_id()->set_name("notes");
  const ValidatedTransaction tx = ValidateOne(Build(spec));
  EXPECT_TRUE(HasCode(tx, ::protos::INVALID_CHAINCODE));
  EXPECT_THAT(tx.reason, HasSubstr("invoked chaincode \"records\" but the chaincode action is from \"notes\""));
}

TEST_F(TxValidatorTest, EmptyChaincodeVersionIsInvalidChaincode) {
  EndorserTransactionSpec spec = Spec(1);
  spec.chaincode_action.mutable_chaincode_id()->clear_version();
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::INVALID_CHAINCODE));
}

TEST_F(TxValidatorTest, EventOfAnotherChaincodeIsInvalidOtherReason) {
  ::protos::ChaincodeEvent event;
  event.set_event_name("consent-granted");
  event.set_chaincode_id("notes");
  EndorserTransactionSpec spec = Spec(1);
  spec.chaincode_action.set_events(event.SerializeAsString());
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::INVALID_OTHER_REASON));

  event.set_chaincode_id("records");
  spec.chaincode_action.set_events(event.SerializeAsString());
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::VALID));
  spec.chaincode_action.set_events("\x0a\x7f");
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::INVALID_OTHER_REASON));
}

TEST_F(TxValidatorTest, WriteIntoAnotherNamespaceIsIllegalWriteset) {
  EndorserTransactionSpec spec = Spec(1);
  testing::NamespaceReadWriteSet other;
  other.name = "notes";
  other.kv.add_writes()->set_key("someone else's key");
  spec.namespaces.push_back(other);
  const ValidatedTransaction tx = ValidateOne(Build(spec));
  EXPECT_TRUE(HasCode(tx, ::protos::ILLEGAL_WRITESET));
  EXPECT_THAT(tx.reason, HasSubstr("chaincode \"records\" wrote into namespace \"notes\""));

  spec.namespaces.back().kv.clear_writes();
  spec.namespaces.back().kv.add_metadata_writes()->set_key("someone else's key");
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::ILLEGAL_WRITESET));
}

TEST_F(TxValidatorTest, PrivateWriteIntoAnotherNamespaceIsIllegalWriteset) {
  EndorserTransactionSpec spec = Spec(1);
  ::kvrwset::HashedRWSet hashed;
  hashed.add_hashed_writes()->set_key_hash(std::string(32, 'k'));
  testing::NamespaceReadWriteSet other;
  other.name = "notes";
  ::rwset::CollectionHashedReadWriteSet collection;
  collection.set_collection_name("consents");
  collection.set_hashed_rwset(hashed.SerializeAsString());
  other.collections.push_back(collection);
  spec.namespaces.push_back(other);
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::ILLEGAL_WRITESET));
}

TEST_F(TxValidatorTest, ReadOfAnotherNamespaceIsAllowed) {
  EndorserTransactionSpec spec = Spec(1);
  testing::NamespaceReadWriteSet other;
  other.name = "notes";
  other.kv.add_reads()->set_key("shared key");
  spec.namespaces.push_back(other);
  const ValidatedTransaction tx = ValidateOne(Build(spec));
  ASSERT_TRUE(HasCode(tx, ::protos::VALID));
  EXPECT_EQ(tx.endorser_transaction->actions[0].kv_read_write_sets.size(), 2u);
}

TEST_F(TxValidatorTest, NamespaceTwiceIsIllegalWriteset) {
  EndorserTransactionSpec spec = Spec(1);
  spec.namespaces.push_back(spec.namespaces[0]);
  const ValidatedTransaction tx = ValidateOne(Build(spec));
  EXPECT_TRUE(HasCode(tx, ::protos::ILLEGAL_WRITESET));
  EXPECT_THAT(tx.reason, HasSubstr("namespace \"records\" appears twice"));
}

TEST_F(TxValidatorTest, UndefinedChaincodeIsInvalidChaincode) {
  const ValidatedTransaction tx = ValidateOne(Tx(1, "unknown"));
  EXPECT_TRUE(HasCode(tx, ::protos::INVALID_CHAINCODE));
  EXPECT_THAT(tx.reason, HasSubstr("no chaincode \"unknown\" is defined on this channel"));
}

// --- Endorsements ---

TEST_F(TxValidatorTest, MissingEndorsementIsEndorsementPolicyFailure) {
  EndorserTransactionSpec spec = Spec(1);
  spec.endorsers = {&Channel().peer1};
  const ValidatedTransaction tx = ValidateOne(Build(spec));
  EXPECT_TRUE(HasCode(tx, ::protos::ENDORSEMENT_POLICY_FAILURE));
  EXPECT_THAT(tx.reason, HasSubstr("endorsement policy of \"records\""));
  spec.endorsers.clear();
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::ENDORSEMENT_POLICY_FAILURE));
}

TEST_F(TxValidatorTest, OrPolicyIsSatisfiedByEitherOrganisation) {
  for (const msp::SigningIdentity* endorser : {&Channel().peer1, &Channel().peer2}) {
    EndorserTransactionSpec spec = Spec(1, "notes");
    spec.endorsers = {endorser};
    EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::VALID)) << endorser->msp_id();
  }
}

TEST_F(TxValidatorTest, EndorsementByAClientIsEndorsementPolicyFailure) {
  EndorserTransactionSpec spec = Spec(1, "notes");
  spec.endorsers = {&Channel().client1};
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::ENDORSEMENT_POLICY_FAILURE));
}

// Flips a bit of endorsement `index`'s signature.
std::function<void(Layer, std::string&)> ForgeEndorsement(int index) {
  return OnMessage<::protos::ChaincodeActionPayload>(
      Layer::kChaincodeActionPayload, [index](::protos::ChaincodeActionPayload& p) {
        std::string& signature = *p.mutable_action()->mutable_endorsements(index)->mutable_signature();
        signature[10] = static_cast<char>(signature[10] ^ 1);
      });
}

TEST_F(TxValidatorTest, ForgedEndorsementIsEndorsementPolicyFailure) {
  EndorserTransactionSpec spec = Spec(1);
  spec.edit = ForgeEndorsement(1);
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::ENDORSEMENT_POLICY_FAILURE));
}

TEST_F(TxValidatorTest, ForgedEndorsementDoesNotSpoilAnotherThatSuffices) {
  EndorserTransactionSpec spec = Spec(1, "notes");
  spec.edit = ForgeEndorsement(0);
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::VALID));
}

TEST_F(TxValidatorTest, EndorsementOfADifferentResponseIsEndorsementPolicyFailure) {
  // Hospital2's peer simulated the same proposal but got another result: its endorsement signs other bytes.
  EndorserTransactionSpec other = Spec(1);
  other.namespaces[0].kv.mutable_writes(0)->set_value("another value");
  ::protos::Endorsement other_endorsement;
  other.edit = OnMessage<::protos::ChaincodeActionPayload>(
      Layer::kChaincodeActionPayload,
      [&](::protos::ChaincodeActionPayload& p) { other_endorsement = p.action().endorsements(1); });
  Build(other);

  EndorserTransactionSpec spec = Spec(1);
  spec.edit = OnMessage<::protos::ChaincodeActionPayload>(
      Layer::kChaincodeActionPayload,
      [&](::protos::ChaincodeActionPayload& p) { *p.mutable_action()->mutable_endorsements(1) = other_endorsement; });
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::ENDORSEMENT_POLICY_FAILURE));
}

TEST_F(TxValidatorTest, DuplicatedEndorserCountsOnce) {
  EndorserTransactionSpec spec = Spec(1, "twice");
  spec.endorsers = {&Channel().peer1, &Channel().peer1};
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::ENDORSEMENT_POLICY_FAILURE));
  spec.endorsers = {&Channel().peer1, &Channel().peer1b};
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::VALID));
}

// The MSP accepts PEM text with anything before "-----BEGIN" and keeps those bytes as the identity's
// serialized form: were signers told apart by those bytes rather than by Identity::signer_key(), one
// Hospital1 peer would satisfy a policy that needs two.
TEST_F(TxValidatorTest, EndorserCountsOnceWhateverTheEncodingOfItsCertificate) {
  const std::string reencoded = testing::AnotherEncoding(Channel().peer1.SerializedIdentity());
  ASSERT_TRUE(Channel().msps->DeserializeIdentity(reencoded).ok());
  const testing::ReencodedSigner same_peer(Channel().peer1, reencoded);
  EndorserTransactionSpec spec = Spec(1, "twice");
  spec.endorsers = {&Channel().peer1, &same_peer};
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::ENDORSEMENT_POLICY_FAILURE));
  spec.endorsers = {&same_peer, &Channel().peer1b};  // a valid endorsement, in whichever encoding
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::VALID));
}

TEST_F(TxValidatorTest, EndorserOutsideTheChannelDoesNotCount) {
  EndorserTransactionSpec spec = Spec(1);
  spec.endorsers = {&Channel().peer1, &Channel().outsider};
  EXPECT_TRUE(HasCode(ValidateOne(Build(spec)), ::protos::ENDORSEMENT_POLICY_FAILURE));
}

// --- Duplicate transaction IDs (stage 2) ---

TEST_F(TxValidatorTest, DuplicateTxIdInTheBlockIsDuplicateTxIdAndTheFirstWins) {
  EndorserTransactionSpec replay = Spec(1);
  replay.namespaces[0].kv.mutable_writes(0)->set_value("replayed");  // same ID, different content
  absl::StatusOr<std::vector<ValidatedTransaction>> results = Validate({Tx(1), Tx(2), Build(replay), Tx(1)});
  ASSERT_TRUE(results.ok()) << results.status();
  EXPECT_TRUE(HasCode((*results)[0], ::protos::VALID));
  EXPECT_TRUE(HasCode((*results)[1], ::protos::VALID));
  EXPECT_TRUE(HasCode((*results)[2], ::protos::DUPLICATE_TXID));
  EXPECT_THAT((*results)[2].reason, HasSubstr("transaction 0 of this block has the same ID"));
  EXPECT_TRUE(HasCode((*results)[3], ::protos::DUPLICATE_TXID));
}

TEST_F(TxValidatorTest, InvalidTransactionDoesNotTakeItsIdInTheBlock) {
  EndorserTransactionSpec under_endorsed = Spec(1);
  under_endorsed.endorsers = {&Channel().peer1};
  absl::StatusOr<std::vector<ValidatedTransaction>> results = Validate({Build(under_endorsed), Tx(1)});
  ASSERT_TRUE(results.ok()) << results.status();
  EXPECT_TRUE(HasCode((*results)[0], ::protos::ENDORSEMENT_POLICY_FAILURE));
  EXPECT_TRUE(HasCode((*results)[1], ::protos::VALID));
}

TEST_F(TxValidatorTest, CommittedTxIdIsDuplicateTxId) {
  EndorserTransactionSpec under_endorsed = Spec(2);
  under_endorsed.endorsers = {&Channel().peer1};
  committed_.Add(Spec(1).channel_header.tx_id());
  committed_.Add(Spec(2).channel_header.tx_id());
  absl::StatusOr<std::vector<ValidatedTransaction>> results = Validate({Tx(1), Build(under_endorsed), Tx(3)});
  ASSERT_TRUE(results.ok()) << results.status();
  EXPECT_TRUE(HasCode((*results)[0], ::protos::DUPLICATE_TXID));
  EXPECT_THAT((*results)[0].reason, HasSubstr("is already committed"));
  // As in Fabric, the ledger's duplicates are found before the endorsement policy is looked at.
  EXPECT_TRUE(HasCode((*results)[1], ::protos::DUPLICATE_TXID));
  EXPECT_TRUE(HasCode((*results)[2], ::protos::VALID));
}

TEST_F(TxValidatorTest, TransactionsFailingTheEnvelopeChecksAreNotLookedUp) {
  EndorserTransactionSpec bad_signature = Spec(1);
  bad_signature.envelope_signer = &Channel().peer1;
  committed_.Add(Spec(1).channel_header.tx_id());
  EXPECT_TRUE(HasCode(ValidateOne(Build(bad_signature)), ::protos::BAD_CREATOR_SIGNATURE));
}

// --- Local failures ---

TEST_F(TxValidatorTest, UnreadableEndorsementPolicyIsAnError) {
  const FailingPolicies failing;
  const ::common::Block block = protoutil::NewBlock(4, "previous", {Tx(1), Tx(2)});
  absl::StatusOr<std::vector<ValidatedTransaction>> results =
      TxValidator(Channel().id, *Channel().msps, failing, nullptr).Validate(block, committed_);
  EXPECT_EQ(results.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(results.status().message(), HasSubstr("block 4, transaction 0: reading the endorsement policy of "
                                                    "chaincode \"records\": lifecycle state unreadable"));
}

TEST_F(TxValidatorTest, UnreadableTxIdIndexIsAnError) {
  const FailingTxIds failing;
  const ::common::Block block = protoutil::NewBlock(4, "previous", {"", Tx(1)});
  absl::StatusOr<std::vector<ValidatedTransaction>> results =
      TxValidator(Channel().id, *Channel().msps, policies_, nullptr).Validate(block, failing);
  EXPECT_EQ(results.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(results.status().message(), HasSubstr("block 4, transaction 1: looking up its transaction ID"));
}

// --- Parallelism ---

TEST_F(TxValidatorTest, ParallelValidationGivesTheSequentialResult) {
  // Every kind of transaction, several times, so that threads interleave them differently.
  std::vector<std::string> entries;
  for (int round = 0; round < 4; ++round) {
    const int seed = 100 * round;
    entries.push_back(Tx(seed + 1));
    entries.push_back("");
    EndorserTransactionSpec under_endorsed = Spec(seed + 2);
    under_endorsed.endorsers = {&Channel().peer2};
    entries.push_back(Build(under_endorsed));
    entries.push_back(Tx(seed + 2));  // takes the ID the invalid one did not
    EndorserTransactionSpec forged = Spec(seed + 3);
    forged.envelope_signer = &Channel().peer2;
    entries.push_back(Build(forged));
    EndorserTransactionSpec illegal = Spec(seed + 4);
    illegal.namespaces.push_back(illegal.namespaces[0]);
    entries.push_back(Build(illegal));
    entries.push_back(Tx(seed + 5, "notes"));
    entries.push_back(Tx(seed + 1));  // duplicate of this round's first
    entries.push_back(Tx(seed + 6, "unknown"));
    EndorserTransactionSpec failed = Spec(seed + 7);
    failed.chaincode_action.mutable_response()->set_status(500);
    entries.push_back(Build(failed));
  }
  committed_.Add(Spec(205).channel_header.tx_id());

  absl::StatusOr<std::vector<ValidatedTransaction>> sequential = Validate(entries, nullptr);
  ASSERT_TRUE(sequential.ok()) << sequential.status();
  std::vector<std::string> expected;
  for (const ValidatedTransaction& tx : *sequential) {
    expected.push_back(absl::StrCat(::protos::TxValidationCode_Name(tx.code), ": ", tx.reason));
  }
  EXPECT_THAT(expected, ::testing::Contains(::testing::StartsWith("VALID")));
  EXPECT_THAT(expected, ::testing::Contains(::testing::StartsWith("DUPLICATE_TXID")));

  for (size_t threads : {1u, 3u}) {
    ThreadPool pool(threads);  // plus the calling thread
    for (int repeat = 0; repeat < 3; ++repeat) {
      absl::StatusOr<std::vector<ValidatedTransaction>> parallel = Validate(entries, &pool);
      ASSERT_TRUE(parallel.ok()) << parallel.status();
      std::vector<std::string> got;
      for (const ValidatedTransaction& tx : *parallel) {
        got.push_back(absl::StrCat(::protos::TxValidationCode_Name(tx.code), ": ", tx.reason));
      }
      EXPECT_EQ(got, expected) << threads + 1 << " threads";
    }
  }
}

}  // namespace
}  // namespace careledger::committer
