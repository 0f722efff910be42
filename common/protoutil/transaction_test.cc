#include "common/protoutil/transaction.h"

#include <optional>
#include <string>
#include <vector>

#include "common/protoutil/envelope.h"
#include "common/protoutil/proposal.h"
#include "common/protoutil/test_signer.h"
#include "common/protoutil/txid.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::protoutil {
namespace {

using ::careledger::protoutil::testing::FailingSigner;
using ::careledger::protoutil::testing::FakeSigner;
using ::testing::HasSubstr;

constexpr char kClient[] = "hospital1-clinician";
constexpr char kNonce[] = "0123456789abcdefghijklmn";

google::protobuf::Timestamp Time() {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(1700000000);
  return timestamp;
}

::protos::Proposal MakeProposal() {
  const std::vector<std::string> args = {"RecordConsent", "patient-7"};
  return CreateChaincodeProposalWithNonce("records", "consent", args, kClient, {{"secret", "record"}}, Time(), kNonce)
      .value()
      .proposal;
}

::protos::Response Ok() {
  ::protos::Response response;
  response.set_status(200);
  response.set_message("OK");
  response.set_payload("result");
  return response;
}

// A read-write set writing consent/patient-7.
std::string Results() {
  ::kvrwset::KVRWSet kv;
  ::kvrwset::KVWrite& write = *kv.add_writes();
  write.set_key("patient-7");
  write.set_value("granted");
  ::rwset::TxReadWriteSet rwset;
  ::rwset::NsReadWriteSet& ns = *rwset.add_ns_rwset();
  ns.set_namespace_("consent");
  ns.set_rwset(kv.SerializeAsString());
  return rwset.SerializeAsString();
}

::protos::ChaincodeID ChaincodeId() {
  ::protos::ChaincodeID id;
  id.set_name("consent");
  id.set_version("1.0");
  return id;
}

::protos::ProposalResponse Endorse(const ::protos::Proposal& proposal, std::string_view endorser) {
  return CreateProposalResponse(proposal, Ok(), Results(), "event", ChaincodeId(), FakeSigner(std::string(endorser)))
      .value();
}

TEST(CreateProposalResponseTest, SignsPayloadAndEndorserAsFabric) {
  const ::protos::Proposal proposal = MakeProposal();
  absl::StatusOr<::protos::ProposalResponse> response =
      CreateProposalResponse(proposal, Ok(), Results(), "event", ChaincodeId(), FakeSigner("peer0.hospital1"));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->version(), 1);
  EXPECT_EQ(response->response().status(), 200);
  EXPECT_EQ(response->response().payload(), "result");
  EXPECT_EQ(response->endorsement().endorser(), "peer0.hospital1");
  EXPECT_EQ(response->endorsement().signature(),
            FakeSigner::SignatureOf("peer0.hospital1", response->payload() + "peer0.hospital1"));

  ::protos::ProposalResponsePayload payload;
  ASSERT_TRUE(payload.ParseFromString(response->payload()));
  EXPECT_EQ(payload.proposal_hash(), ProposalHash(proposal).value());
  ::protos::ChaincodeAction action;
  ASSERT_TRUE(action.ParseFromString(payload.extension()));
  EXPECT_EQ(action.results(), Results());
  EXPECT_EQ(action.events(), "event");
  EXPECT_EQ(action.response().payload(), "result");
  EXPECT_EQ(action.chaincode_id().version(), "1.0");
}

TEST(CreateProposalResponseTest, RefusesToEndorseAFailure) {
  ::protos::Response failed = Ok();
  failed.set_status(500);
  absl::StatusOr<::protos::ProposalResponse> response =
      CreateProposalResponse(MakeProposal(), failed, "", "", ChaincodeId(), FakeSigner("peer"));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(response.status().message(), HasSubstr("status 500"));
}

TEST(CreateProposalResponseTest, RejectsAProposalWithoutPayload) {
  ::protos::Proposal proposal = MakeProposal();
  proposal.clear_payload();
  EXPECT_EQ(CreateProposalResponse(proposal, Ok(), "", "", ChaincodeId(), FakeSigner("peer")).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CreateProposalResponseTest, PassesOnSigningErrors) {
  absl::StatusOr<::protos::ProposalResponse> response =
      CreateProposalResponse(MakeProposal(), Ok(), "", "", ChaincodeId(), FailingSigner("peer"));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
}

TEST(CreateSignedTransactionTest, AssemblesWhatTheCommitterParses) {
  const ::protos::Proposal proposal = MakeProposal();
  const std::vector<::protos::ProposalResponse> responses = {
      Endorse(proposal, "peer0.hospital1"), Endorse(proposal, "peer0.hospital2"),
      Endorse(proposal, "peer0.hospital1")};  // a duplicate endorser counts once
  const FakeSigner client(kClient);
  absl::StatusOr<::common::Envelope> envelope = CreateSignedTransaction(proposal, responses, client);
  ASSERT_TRUE(envelope.ok()) << envelope.status();
  EXPECT_EQ(envelope->signature(), FakeSigner::SignatureOf(kClient, envelope->payload()));

  absl::StatusOr<ParsedEnvelope> parsed_envelope = ParseEnvelope(*envelope);
  ASSERT_TRUE(parsed_envelope.ok()) << parsed_envelope.status();
  // The transaction keeps the proposal's header, hence its tx ID.
  ::common::Header proposal_header;
  ASSERT_TRUE(proposal_header.ParseFromString(proposal.header()));
  EXPECT_EQ(parsed_envelope->payload.header().SerializeAsString(), proposal.header());
  EXPECT_EQ(parsed_envelope->channel_header.tx_id(), ComputeTxId(kNonce, kClient));

  absl::StatusOr<ParsedEndorserTransaction> tx = ParseEndorserTransaction(parsed_envelope->payload);
  ASSERT_TRUE(tx.ok()) << tx.status();
  ASSERT_EQ(tx->actions.size(), 1u);
  const ParsedTransactionAction& action = tx->actions[0];
  EXPECT_EQ(tx->transaction.actions(0).header(), proposal_header.signature_header());
  EXPECT_EQ(action.signature_header.creator(), kClient);

  // The transient map stays out of the ledger.
  ::protos::ChaincodeProposalPayload in_tx;
  ASSERT_TRUE(in_tx.ParseFromString(action.chaincode_action_payload.chaincode_proposal_payload()));
  EXPECT_TRUE(in_tx.transientmap().empty());
  EXPECT_FALSE(in_tx.input().empty());

  const ::protos::ChaincodeEndorsedAction& endorsed = action.chaincode_action_payload.action();
  EXPECT_EQ(endorsed.proposal_response_payload(), responses[0].payload());
  ASSERT_EQ(endorsed.endorsements_size(), 2);
  EXPECT_EQ(endorsed.endorsements(0).endorser(), "peer0.hospital1");
  EXPECT_EQ(endorsed.endorsements(1).endorser(), "peer0.hospital2");

  // The committer's proposal hash check, as Fabric's validateEndorserTransaction does it.
  EXPECT_EQ(action.proposal_response_payload.proposal_hash(),
            ProposalHashOfParts(parsed_envelope->payload.header().channel_header(), tx->transaction.actions(0).header(),
                                action.chaincode_action_payload.chaincode_proposal_payload()));
  EXPECT_EQ(action.chaincode_action.chaincode_id().name(), "consent");
  ASSERT_EQ(action.read_write_set.ns_rwset_size(), 1);
  EXPECT_EQ(action.read_write_set.ns_rwset(0).namespace_(), "consent");
  ASSERT_EQ(action.kv_read_write_sets.size(), 1u);
  ASSERT_EQ(action.kv_read_write_sets[0].writes_size(), 1);
  EXPECT_EQ(action.kv_read_write_sets[0].writes(0).value(), "granted");
}

TEST(CreateUnsignedTransactionTest, IsTheSignedTransactionWithoutItsSignature) {
  const ::protos::Proposal proposal = MakeProposal();
  const std::vector<::protos::ProposalResponse> responses = {Endorse(proposal, "peer0.hospital1")};
  absl::StatusOr<::common::Envelope> unsigned_envelope = CreateUnsignedTransaction(proposal, responses);
  absl::StatusOr<::common::Envelope> signed_envelope = CreateSignedTransaction(proposal, responses, FakeSigner(kClient));
  ASSERT_TRUE(unsigned_envelope.ok()) << unsigned_envelope.status();
  ASSERT_TRUE(signed_envelope.ok()) << signed_envelope.status();
  EXPECT_TRUE(unsigned_envelope->signature().empty());
  EXPECT_EQ(unsigned_envelope->payload(), signed_envelope->payload());
  EXPECT_EQ(CreateUnsignedTransaction(proposal, {}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(CreateSignedTransactionTest, NeedsAResponse) {
  EXPECT_EQ(CreateSignedTransaction(MakeProposal(), {}, FakeSigner(kClient)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CreateSignedTransactionTest, OnlyTheCreatorMaySign) {
  const ::protos::Proposal proposal = MakeProposal();
  const std::vector<::protos::ProposalResponse> responses = {Endorse(proposal, "peer")};
  absl::StatusOr<::common::Envelope> envelope = CreateSignedTransaction(proposal, responses, FakeSigner("eve"));
  EXPECT_EQ(envelope.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(envelope.status().message(), HasSubstr("not the proposal's creator"));
}

TEST(CreateSignedTransactionTest, RejectsAFailedResponse) {
  const ::protos::Proposal proposal = MakeProposal();
  std::vector<::protos::ProposalResponse> responses = {Endorse(proposal, "a"), Endorse(proposal, "b")};
  responses[1].mutable_response()->set_status(500);
  responses[1].mutable_response()->set_message("chaincode panicked");
  absl::StatusOr<::common::Envelope> envelope = CreateSignedTransaction(proposal, responses, FakeSigner(kClient));
  EXPECT_EQ(envelope.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(envelope.status().message(),
              HasSubstr("proposal response 1 was not successful: status 500 \"chaincode panicked\""));
}

TEST(CreateSignedTransactionTest, RejectsInformationalStatusesAsFabric) {
  const ::protos::Proposal proposal = MakeProposal();
  std::vector<::protos::ProposalResponse> responses = {Endorse(proposal, "a")};
  responses[0].mutable_response()->set_status(0);
  EXPECT_EQ(CreateSignedTransaction(proposal, responses, FakeSigner(kClient)).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(CreateSignedTransactionTest, RejectsDisagreeingEndorsers) {
  const ::protos::Proposal proposal = MakeProposal();
  std::vector<::protos::ProposalResponse> responses = {Endorse(proposal, "a"), Endorse(proposal, "b"),
                                                       Endorse(proposal, "c")};
  responses[2].mutable_payload()->back() ^= 1;
  absl::StatusOr<::common::Envelope> envelope = CreateSignedTransaction(proposal, responses, FakeSigner(kClient));
  EXPECT_EQ(envelope.status().code(), absl::StatusCode::kFailedPrecondition);
  const size_t size = responses[0].payload().size();
  EXPECT_THAT(
      envelope.status().message(),
      HasSubstr("proposal response 2 has a payload that differs from response 0's (" + std::to_string(size) + " vs " +
                std::to_string(size) + " bytes, first difference at byte " + std::to_string(size - 1) + ")"));
}

TEST(CreateSignedTransactionTest, NeedsAnEndorsement) {
  const ::protos::Proposal proposal = MakeProposal();
  std::vector<::protos::ProposalResponse> responses = {Endorse(proposal, "a")};
  responses[0].clear_endorsement();
  absl::StatusOr<::common::Envelope> envelope = CreateSignedTransaction(proposal, responses, FakeSigner(kClient));
  EXPECT_EQ(envelope.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(envelope.status().message(), HasSubstr("carries an endorsement"));
}

TEST(CreateSignedTransactionTest, RejectsABrokenProposal) {
  ::protos::Proposal proposal = MakeProposal();
  const std::vector<::protos::ProposalResponse> responses = {Endorse(proposal, "a")};
  proposal.set_payload("\x0a\x7f");
  absl::StatusOr<::common::Envelope> envelope = CreateSignedTransaction(proposal, responses, FakeSigner(kClient));
  EXPECT_EQ(envelope.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(envelope.status().message(), HasSubstr("malformed chaincode proposal payload"));
  proposal.clear_header();
  EXPECT_THAT(CreateSignedTransaction(proposal, responses, FakeSigner(kClient)).status().message(),
              HasSubstr("proposal has no header"));
}

TEST(CreateSignedTransactionTest, PassesOnSigningErrors) {
  const ::protos::Proposal proposal = MakeProposal();
  const std::vector<::protos::ProposalResponse> responses = {Endorse(proposal, "a")};
  absl::StatusOr<::common::Envelope> envelope = CreateSignedTransaction(proposal, responses, FailingSigner(kClient));
  EXPECT_EQ(envelope.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(envelope.status().message(), HasSubstr("signing the transaction payload"));
}

// Every layer of a one-action transaction as a message, with optional raw bytes replacing one.
struct TransactionLayers {
  TransactionLayers() {
    signature_header = MakeSignatureHeader("creator", "nonce");
    ::kvrwset::KVRWSet kv;
    kv.add_writes()->set_key("k");
    ::rwset::NsReadWriteSet& ns = *read_write_set.add_ns_rwset();
    ns.set_namespace_("consent");
    ns.set_rwset(kv.SerializeAsString());
    chaincode_action.mutable_response()->set_status(200);
    chaincode_action.mutable_chaincode_id()->set_name("consent");
    proposal_response_payload.set_proposal_hash("hash");
    endorsed_action.add_endorsements()->set_endorser("peer");
  }

  ::common::Payload Build() const {
    ::protos::ChaincodeAction action = chaincode_action;
    action.set_results(results_bytes.value_or(read_write_set.SerializeAsString()));
    ::protos::ProposalResponsePayload prp = proposal_response_payload;
    prp.set_extension(extension_bytes.value_or(action.SerializeAsString()));
    ::protos::ChaincodeActionPayload cap;
    cap.set_chaincode_proposal_payload(
        "\x0a\x02"
        "IN");
    if (with_endorsed_action) {
      *cap.mutable_action() = endorsed_action;
      cap.mutable_action()->set_proposal_response_payload(prp_bytes.value_or(prp.SerializeAsString()));
    }
    ::protos::Transaction tx;
    for (int i = 0; i < action_count; ++i) {
      ::protos::TransactionAction& tx_action = *tx.add_actions();
      tx_action.set_header(header_bytes.value_or(signature_header.SerializeAsString()));
      tx_action.set_payload(action_payload_bytes.value_or(cap.SerializeAsString()));
    }
    ::common::Payload payload;
    payload.set_data(data_bytes.value_or(tx.SerializeAsString()));
    return payload;
  }

  ::common::SignatureHeader signature_header;
  ::rwset::TxReadWriteSet read_write_set;
  ::protos::ChaincodeAction chaincode_action;
  ::protos::ProposalResponsePayload proposal_response_payload;
  ::protos::ChaincodeEndorsedAction endorsed_action;
  bool with_endorsed_action = true;
  int action_count = 1;
  std::optional<std::string> data_bytes, header_bytes, action_payload_bytes, prp_bytes, extension_bytes, results_bytes;
};

void ExpectRejected(const ::common::Payload& payload, std::string_view message) {
  absl::StatusOr<ParsedEndorserTransaction> parsed = ParseEndorserTransaction(payload);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr(message));
}

TEST(ParseEndorserTransactionTest, TheLayersBuilderBuildsAValidTransaction) {
  absl::StatusOr<ParsedEndorserTransaction> parsed = ParseEndorserTransaction(TransactionLayers().Build());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->actions.size(), 1u);
  EXPECT_EQ(parsed->actions[0].kv_read_write_sets[0].writes(0).key(), "k");
  EXPECT_EQ(parsed->actions[0].chaincode_action_payload.action().endorsements(0).endorser(), "peer");
}

TEST(ParseEndorserTransactionTest, ReturnsEveryAction) {
  // Fabric validates exactly one action; the parser leaves that rule to the validator.
  TransactionLayers layers;
  layers.action_count = 2;
  absl::StatusOr<ParsedEndorserTransaction> parsed = ParseEndorserTransaction(layers.Build());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->actions.size(), 2u);
}

TEST(ParseEndorserTransactionTest, EmptyResultsAreAnEmptyReadWriteSet) {
  TransactionLayers layers;
  layers.results_bytes = "";
  absl::StatusOr<ParsedEndorserTransaction> parsed = ParseEndorserTransaction(layers.Build());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->actions[0].kv_read_write_sets.empty());
}

TEST(ParseEndorserTransactionTest, NoData) {
  TransactionLayers layers;
  layers.data_bytes = "";
  ExpectRejected(layers.Build(), "endorser transaction payload has no data");
}

TEST(ParseEndorserTransactionTest, MalformedTransaction) {
  TransactionLayers layers;
  layers.data_bytes = "\x0a\x7f";
  ExpectRejected(layers.Build(), "malformed transaction (protos.Transaction)");
}

TEST(ParseEndorserTransactionTest, NoActions) {
  TransactionLayers layers;
  layers.action_count = 0;
  layers.data_bytes = "\x18\x01";  // an unknown field, so the data is not empty
  ExpectRejected(layers.Build(), "transaction has no actions");
}

TEST(ParseEndorserTransactionTest, NoSignatureHeader) {
  TransactionLayers layers;
  layers.header_bytes = "";
  ExpectRejected(layers.Build(), "transaction action 0: no signature header");
}

TEST(ParseEndorserTransactionTest, MalformedSignatureHeader) {
  TransactionLayers layers;
  layers.header_bytes = "\x0a\x7f";
  ExpectRejected(layers.Build(), "transaction action 0: malformed signature header (common.SignatureHeader)");
}

TEST(ParseEndorserTransactionTest, NoCreator) {
  TransactionLayers layers;
  layers.signature_header.clear_creator();
  ExpectRejected(layers.Build(), "transaction action 0: signature header has no creator");
}

TEST(ParseEndorserTransactionTest, NoNonce) {
  TransactionLayers layers;
  layers.signature_header.clear_nonce();
  ExpectRejected(layers.Build(), "transaction action 0: signature header has no nonce");
}

TEST(ParseEndorserTransactionTest, NoActionPayload) {
  TransactionLayers layers;
  layers.action_payload_bytes = "";
  ExpectRejected(layers.Build(), "transaction action 0: no payload");
}

TEST(ParseEndorserTransactionTest, MalformedActionPayload) {
  TransactionLayers layers;
  layers.action_payload_bytes = "\x12\x7f";
  ExpectRejected(layers.Build(), "malformed chaincode action payload (protos.ChaincodeActionPayload)");
}

TEST(ParseEndorserTransactionTest, NoEndorsedAction) {
  TransactionLayers layers;
  layers.with_endorsed_action = false;
  ExpectRejected(layers.Build(), "chaincode action payload has no endorsed action");
}

TEST(ParseEndorserTransactionTest, NoProposalResponsePayload) {
  TransactionLayers layers;
  layers.prp_bytes = "";
  ExpectRejected(layers.Build(), "endorsed action has no proposal response payload");
}

TEST(ParseEndorserTransactionTest, MalformedProposalResponsePayload) {
  TransactionLayers layers;
  layers.prp_bytes = "\x0a\x7f";
  ExpectRejected(layers.Build(), "malformed proposal response payload (protos.ProposalResponsePayload)");
}

TEST(ParseEndorserTransactionTest, NoExtension) {
  TransactionLayers layers;
  layers.extension_bytes = "";
  ExpectRejected(layers.Build(), "proposal response payload has no extension");
}

TEST(ParseEndorserTransactionTest, MalformedChaincodeAction) {
  TransactionLayers layers;
  layers.extension_bytes = "\x0a\x7f";
  ExpectRejected(layers.Build(), "malformed chaincode action (protos.ChaincodeAction)");
}

TEST(ParseEndorserTransactionTest, MalformedResults) {
  TransactionLayers layers;
  layers.results_bytes = "\x12\x7f";
  ExpectRejected(layers.Build(), "malformed chaincode action results (rwset.TxReadWriteSet)");
}

TEST(ParseEndorserTransactionTest, MalformedNamespaceReadWriteSet) {
  TransactionLayers layers;
  layers.read_write_set.mutable_ns_rwset(0)->set_rwset("\x0a\x7f");
  ExpectRejected(layers.Build(),
                 "transaction action 0: namespace \"consent\": malformed read-write set (kvrwset.KVRWSet)");
}

}  // namespace
}  // namespace careledger::protoutil
