#include "common/protoutil/proposal.h"

#include <optional>
#include <string>
#include <vector>

#include "common/encoding/hex.h"
#include "common/protoutil/envelope.h"
#include "common/protoutil/test_signer.h"
#include "common/protoutil/txid.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::protoutil {
namespace {

using ::careledger::protoutil::testing::FailingSigner;
using ::careledger::protoutil::testing::FakeSigner;
using ::testing::HasSubstr;

constexpr char kCreator[] = "hospital1-clinician";
constexpr char kNonce[] = "0123456789abcdefghijklmn";  // 24 bytes

google::protobuf::Timestamp Time() {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(1700000000);
  timestamp.set_nanos(42);
  return timestamp;
}

ChaincodeProposal SmallProposal(const TransientMap& transient = {{"k", "v"}}) {
  const std::vector<std::string> args = {"f", "x"};
  return CreateChaincodeProposalWithNonce("records", "cc", args, kCreator, transient, Time(), kNonce).value();
}

TEST(CreateChaincodeProposalTest, BuildsTheGatewaySdkStructure) {
  const ChaincodeProposal created = SmallProposal();
  EXPECT_EQ(created.tx_id, ComputeTxId(kNonce, kCreator));
  EXPECT_TRUE(created.proposal.extension().empty());

  ::common::Header header;
  ASSERT_TRUE(header.ParseFromString(created.proposal.header()));
  ::common::ChannelHeader channel;
  ASSERT_TRUE(channel.ParseFromString(header.channel_header()));
  EXPECT_EQ(channel.type(), ::common::ENDORSER_TRANSACTION);
  EXPECT_EQ(channel.version(), 0);
  EXPECT_EQ(channel.channel_id(), "records");
  EXPECT_EQ(channel.tx_id(), created.tx_id);
  EXPECT_EQ(channel.epoch(), 0u);
  EXPECT_EQ(channel.timestamp().seconds(), 1700000000);
  EXPECT_EQ(channel.timestamp().nanos(), 42);
  // ChaincodeHeaderExtension{chaincode_id (2) {name (2) "cc"}}, hand-encoded.
  EXPECT_EQ(channel.extension(),
            "\x12\x04\x12\x02"
            "cc");
  ::common::SignatureHeader signature;
  ASSERT_TRUE(signature.ParseFromString(header.signature_header()));
  EXPECT_EQ(signature.creator(), kCreator);
  EXPECT_EQ(signature.nonce(), kNonce);

  // ChaincodeProposalPayload{input (1) = ChaincodeInvocationSpec{chaincode_spec (1) = ChaincodeSpec{
  //   chaincode_id (2) {name (2) "cc"}, input (3) {args (1) "f", "x"}}}, TransientMap (2) {"k": "v"}},
  // hand-encoded from the .proto field numbers; type stays UNDEFINED (not written), as in the Go SDK.
  EXPECT_EQ(HexEncode(created.proposal.payload()),
            "0a10"  // input, 16 bytes
            "0a0e"  //   chaincode_spec, 14 bytes
            "1204"
            "12026363"  //     chaincode_id{name "cc"}
            "1a06"
            "0a0166"
            "0a0178"  //     input{args "f", "x"}
            "1206"
            "0a016b"
            "120176");  // TransientMap entry {"k", "v"}
}

TEST(CreateChaincodeProposalTest, DrawsAFreshNonce) {
  const std::vector<std::string> args = {"f"};
  absl::StatusOr<ChaincodeProposal> a = CreateChaincodeProposal("records", "cc", args, kCreator, {}, Time());
  absl::StatusOr<ChaincodeProposal> b = CreateChaincodeProposal("records", "cc", args, kCreator, {}, Time());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->tx_id, b->tx_id);
  const FakeSigner signer(kCreator);
  absl::StatusOr<ParsedProposal> parsed = ParseSignedProposal(SignProposal(a->proposal, signer).value());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->signature_header.nonce().size(), kNonceSize);
}

TEST(CreateChaincodeProposalTest, RejectsMissingInputs) {
  const std::vector<std::string> args;
  EXPECT_EQ(CreateChaincodeProposalWithNonce("c", "", args, kCreator, {}, Time(), kNonce).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CreateChaincodeProposalWithNonce("c", "cc", args, "", {}, Time(), kNonce).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CreateChaincodeProposalWithNonce("c", "cc", args, kCreator, {}, Time(), "").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CreateChaincodeProposalTest, ChannelLessProposalsAndNoArgsAreParsed) {
  const std::vector<std::string> args;
  absl::StatusOr<ChaincodeProposal> created =
      CreateChaincodeProposalWithNonce("", "_lifecycle", args, kCreator, {}, Time(), kNonce);
  ASSERT_TRUE(created.ok()) << created.status();
  absl::StatusOr<ParsedProposal> parsed =
      ParseSignedProposal(SignProposal(created->proposal, FakeSigner(kCreator)).value());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->channel_header.channel_id().empty());
  EXPECT_EQ(parsed->invocation_spec.chaincode_spec().input().args_size(), 0);
}

TEST(SignProposalTest, SignsTheSerializedProposal) {
  const ChaincodeProposal created = SmallProposal();
  absl::StatusOr<::protos::SignedProposal> signed_proposal = SignProposal(created.proposal, FakeSigner(kCreator));
  ASSERT_TRUE(signed_proposal.ok()) << signed_proposal.status();
  EXPECT_EQ(signed_proposal->proposal_bytes(), created.proposal.SerializeAsString());
  EXPECT_EQ(signed_proposal->signature(), FakeSigner::SignatureOf(kCreator, signed_proposal->proposal_bytes()));
}

TEST(SignProposalTest, RefusesAnotherSigner) {
  absl::StatusOr<::protos::SignedProposal> signed_proposal = SignProposal(SmallProposal().proposal, FakeSigner("eve"));
  EXPECT_EQ(signed_proposal.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(signed_proposal.status().message(), HasSubstr("not the proposal's creator"));
}

TEST(SignProposalTest, RefusesAProposalWithoutHeader) {
  EXPECT_EQ(SignProposal(::protos::Proposal(), FakeSigner(kCreator)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(SignProposalTest, PassesOnSigningErrors) {
  absl::StatusOr<::protos::SignedProposal> signed_proposal =
      SignProposal(SmallProposal().proposal, FailingSigner(kCreator));
  EXPECT_EQ(signed_proposal.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(signed_proposal.status().message(), HasSubstr("signing the proposal"));
}

TEST(ParseSignedProposalTest, ReturnsEveryLayer) {
  const ChaincodeProposal created = SmallProposal();
  absl::StatusOr<ParsedProposal> parsed =
      ParseSignedProposal(SignProposal(created.proposal, FakeSigner(kCreator)).value());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->proposal.SerializeAsString(), created.proposal.SerializeAsString());
  EXPECT_EQ(parsed->header.SerializeAsString(), created.proposal.header());
  EXPECT_EQ(parsed->channel_header.tx_id(), created.tx_id);
  EXPECT_EQ(parsed->signature_header.creator(), kCreator);
  EXPECT_EQ(parsed->chaincode_header_extension.chaincode_id().name(), "cc");
  EXPECT_EQ(parsed->payload.transientmap().at("k"), "v");
  const ::protos::ChaincodeSpec& spec = parsed->invocation_spec.chaincode_spec();
  EXPECT_EQ(spec.type(), ::protos::ChaincodeSpec::UNDEFINED);
  EXPECT_EQ(spec.chaincode_id().name(), "cc");
  ASSERT_EQ(spec.input().args_size(), 2);
  EXPECT_EQ(spec.input().args(0), "f");
  EXPECT_EQ(spec.input().args(1), "x");
}

// Every layer of a proposal as a message, with optional raw bytes replacing one, serialized bottom-up, so each
// test breaks exactly one layer.
struct ProposalLayers {
  ProposalLayers() {
    const ChaincodeProposal created = SmallProposal();
    ::common::Header header;
    header.ParseFromString(created.proposal.header());
    channel_header.ParseFromString(header.channel_header());
    signature_header.ParseFromString(header.signature_header());
    extension.ParseFromString(channel_header.extension());
    payload.ParseFromString(created.proposal.payload());
    invocation_spec.ParseFromString(payload.input());
  }

  ::protos::SignedProposal Build() const {
    ::common::ChannelHeader channel = channel_header;
    channel.set_extension(extension_bytes.value_or(extension.SerializeAsString()));
    ::common::Header header;
    header.set_channel_header(channel_header_bytes.value_or(channel.SerializeAsString()));
    header.set_signature_header(signature_header.SerializeAsString());
    ::protos::ChaincodeProposalPayload cpp = payload;
    cpp.set_input(input_bytes.value_or(invocation_spec.SerializeAsString()));
    ::protos::Proposal proposal;
    proposal.set_header(header_bytes.value_or(header.SerializeAsString()));
    proposal.set_payload(payload_bytes.value_or(cpp.SerializeAsString()));
    ::protos::SignedProposal signed_proposal;
    signed_proposal.set_proposal_bytes(proposal_bytes.value_or(proposal.SerializeAsString()));
    signed_proposal.set_signature("signature");
    return signed_proposal;
  }

  ::common::ChannelHeader channel_header;
  ::common::SignatureHeader signature_header;
  ::protos::ChaincodeHeaderExtension extension;
  ::protos::ChaincodeProposalPayload payload;
  ::protos::ChaincodeInvocationSpec invocation_spec;
  std::optional<std::string> proposal_bytes, header_bytes, channel_header_bytes, extension_bytes, payload_bytes,
      input_bytes;
};

void ExpectRejected(const ::protos::SignedProposal& signed_proposal, std::string_view message) {
  absl::StatusOr<ParsedProposal> parsed = ParseSignedProposal(signed_proposal);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr(message));
}

TEST(ParseSignedProposalTest, TheLayersBuilderBuildsAValidProposal) {
  EXPECT_TRUE(ParseSignedProposal(ProposalLayers().Build()).ok());
}

TEST(ParseSignedProposalTest, NoProposalBytes) {
  ProposalLayers layers;
  layers.proposal_bytes = "";
  ExpectRejected(layers.Build(), "signed proposal has no proposal bytes");
}

TEST(ParseSignedProposalTest, NoSignature) {
  ::protos::SignedProposal signed_proposal = ProposalLayers().Build();
  signed_proposal.clear_signature();
  ExpectRejected(signed_proposal, "signed proposal has no signature");
}

TEST(ParseSignedProposalTest, MalformedProposal) {
  ProposalLayers layers;
  layers.proposal_bytes = "\x12\x7f";
  ExpectRejected(layers.Build(), "malformed proposal (protos.Proposal)");
}

TEST(ParseSignedProposalTest, NoHeader) {
  ProposalLayers layers;
  layers.header_bytes = "";
  ExpectRejected(layers.Build(), "proposal has no header");
}

TEST(ParseSignedProposalTest, MalformedHeader) {
  ProposalLayers layers;
  layers.header_bytes = "\x0a\x7f";
  ExpectRejected(layers.Build(), "malformed proposal header (common.Header)");
}

TEST(ParseSignedProposalTest, MalformedChannelHeader) {
  ProposalLayers layers;
  layers.channel_header_bytes = "\x2a\x7f";
  ExpectRejected(layers.Build(), "proposal: malformed channel header (common.ChannelHeader)");
}

TEST(ParseSignedProposalTest, NoCreator) {
  ProposalLayers layers;
  layers.signature_header.clear_creator();
  ExpectRejected(layers.Build(), "proposal: signature header has no creator");
}

TEST(ParseSignedProposalTest, NoNonce) {
  ProposalLayers layers;
  layers.signature_header.clear_nonce();
  ExpectRejected(layers.Build(), "proposal: signature header has no nonce");
}

TEST(ParseSignedProposalTest, WrongTxId) {
  ProposalLayers layers;
  layers.signature_header.set_nonce("another nonce");
  ExpectRejected(layers.Build(), "does not match its signature header");
}

TEST(ParseSignedProposalTest, NoExtension) {
  ProposalLayers layers;
  layers.extension_bytes = "";
  ExpectRejected(layers.Build(), "channel header has no extension");
}

TEST(ParseSignedProposalTest, MalformedExtension) {
  ProposalLayers layers;
  layers.extension_bytes = "\x12\x7f";
  ExpectRejected(layers.Build(), "malformed chaincode header extension (protos.ChaincodeHeaderExtension)");
}

TEST(ParseSignedProposalTest, ExtensionWithoutChaincodeId) {
  ProposalLayers layers;
  layers.extension.clear_chaincode_id();
  layers.extension_bytes = "\x18\x01";  // only an unknown field: parses, names no chaincode
  ExpectRejected(layers.Build(), "chaincode header extension has no chaincode ID");
}

TEST(ParseSignedProposalTest, ExtensionWithEmptyChaincodeName) {
  ProposalLayers layers;
  layers.extension.mutable_chaincode_id()->clear_name();
  layers.extension.mutable_chaincode_id()->set_version("1.0");
  ExpectRejected(layers.Build(), "chaincode header extension has an empty chaincode name");
}

TEST(ParseSignedProposalTest, NoPayload) {
  ProposalLayers layers;
  layers.payload_bytes = "";
  ExpectRejected(layers.Build(), "proposal has no payload");
}

TEST(ParseSignedProposalTest, MalformedPayload) {
  ProposalLayers layers;
  layers.payload_bytes = "\x0a\x7f";
  ExpectRejected(layers.Build(), "malformed chaincode proposal payload (protos.ChaincodeProposalPayload)");
}

TEST(ParseSignedProposalTest, NoInput) {
  ProposalLayers layers;
  layers.input_bytes = "";
  ExpectRejected(layers.Build(), "chaincode proposal payload has no input");
}

TEST(ParseSignedProposalTest, MalformedInvocationSpec) {
  ProposalLayers layers;
  layers.input_bytes = "\x0a\x7f";
  ExpectRejected(layers.Build(), "malformed chaincode invocation spec (protos.ChaincodeInvocationSpec)");
}

TEST(ParseSignedProposalTest, NoChaincodeSpec) {
  ProposalLayers layers;
  layers.input_bytes = "\x18\x01";  // an unknown field only
  ExpectRejected(layers.Build(), "chaincode invocation spec has no chaincode spec");
}

TEST(ParseSignedProposalTest, NoChaincodeInput) {
  ProposalLayers layers;
  layers.invocation_spec.mutable_chaincode_spec()->clear_input();
  ExpectRejected(layers.Build(), "chaincode spec has no input");
}

TEST(ProposalHashTest, KnownAnswer) {
  // Header{channel_header "CH", signature_header "SH"}; payload {input "IN", TransientMap {"k": "v"}}, both
  // hand-encoded. The hash covers "CH" || "SH" || the payload without its map (0a 02 "IN"):
  //   printf 'CHSH\x0a\x02IN' | sha256sum
  ::protos::Proposal proposal;
  proposal.set_header(
      "\x0a\x02"
      "CH"
      "\x12\x02"
      "SH");
  proposal.set_payload(
      "\x0a\x02"
      "IN"
      "\x12\x06\x0a\x01"
      "k"
      "\x12\x01"
      "v");
  absl::StatusOr<std::string> hash = ProposalHash(proposal);
  ASSERT_TRUE(hash.ok()) << hash.status();
  EXPECT_EQ(HexEncode(*hash), "d0028763c3d07dabf1d250d70f32635ba50d2d4c107fe487b856767232a56885");
  EXPECT_EQ(*hash, ProposalHashOfParts("CH", "SH",
                                       "\x0a\x02"
                                       "IN"));
}

TEST(ProposalHashTest, IgnoresTheTransientMap) {
  absl::StatusOr<std::string> with = ProposalHash(SmallProposal({{"secret", "patient record"}}).proposal);
  absl::StatusOr<std::string> without = ProposalHash(SmallProposal({}).proposal);
  ASSERT_TRUE(with.ok() && without.ok());
  EXPECT_EQ(*with, *without);
}

TEST(ProposalHashTest, RejectsMissingLayers) {
  ::protos::Proposal proposal;
  EXPECT_THAT(ProposalHash(proposal).status().message(), HasSubstr("proposal has no header"));
  proposal.set_header(
      "\x12\x02"
      "SH");
  EXPECT_THAT(ProposalHash(proposal).status().message(), HasSubstr("no channel header"));
  proposal.set_header(
      "\x0a\x02"
      "CH");
  EXPECT_THAT(ProposalHash(proposal).status().message(), HasSubstr("no signature header"));
  proposal.set_header(
      "\x0a\x02"
      "CH"
      "\x12\x02"
      "SH");
  EXPECT_THAT(ProposalHash(proposal).status().message(), HasSubstr("proposal has no payload"));
  proposal.set_payload("\x0a\x05");
  EXPECT_THAT(ProposalHash(proposal).status().message(), HasSubstr("malformed chaincode proposal payload"));
}

TEST(ProposalPayloadForTransactionTest, DropsTheTransientMapAndUnknownFields) {
  ::protos::ChaincodeProposalPayload payload;
  ASSERT_TRUE(
      payload.ParseFromString("\x0a\x02"
                              "IN"
                              "\x12\x06\x0a\x01"
                              "k"
                              "\x12\x01"
                              "v"
                              "\x18\x01"));
  absl::StatusOr<std::string> bytes = ProposalPayloadForTransaction(payload);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*bytes,
            "\x0a\x02"
            "IN");
}

}  // namespace
}  // namespace careledger::protoutil
