#include "common/protoutil/envelope.h"

#include <optional>
#include <string>

#include "common/protoutil/test_signer.h"
#include "common/protoutil/txid.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "orderer/ab.pb.h"

namespace careledger::protoutil {
namespace {

using ::careledger::protoutil::testing::FailingSigner;
using ::careledger::protoutil::testing::FakeSigner;
using ::testing::HasSubstr;

google::protobuf::Timestamp Time() {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(1700000000);
  timestamp.set_nanos(42);
  return timestamp;
}

::orderer::SeekInfo SeekNewest() {
  ::orderer::SeekInfo seek;
  seek.mutable_start()->mutable_newest();
  seek.mutable_stop()->mutable_newest();
  return seek;
}

TEST(MakeHeadersTest, SetEveryField) {
  const ::common::ChannelHeader channel =
      MakeChannelHeader(::common::ENDORSER_TRANSACTION, "records", "txid", Time(), 3, "ext");
  EXPECT_EQ(channel.type(), ::common::ENDORSER_TRANSACTION);
  EXPECT_EQ(channel.version(), 0);
  EXPECT_EQ(channel.timestamp().seconds(), 1700000000);
  EXPECT_EQ(channel.timestamp().nanos(), 42);
  EXPECT_EQ(channel.channel_id(), "records");
  EXPECT_EQ(channel.tx_id(), "txid");
  EXPECT_EQ(channel.epoch(), 3u);
  EXPECT_EQ(channel.extension(), "ext");

  const ::common::SignatureHeader signature = MakeSignatureHeader("creator", "nonce");
  EXPECT_EQ(signature.creator(), "creator");
  EXPECT_EQ(signature.nonce(), "nonce");

  absl::StatusOr<::common::Header> header = MakePayloadHeader(channel, signature);
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_EQ(header->channel_header(), channel.SerializeAsString());
  EXPECT_EQ(header->signature_header(), signature.SerializeAsString());
}

TEST(CreateSignedEnvelopeTest, BuildsWhatParseEnvelopeReadsBack) {
  const FakeSigner signer("hospital1-admin");
  absl::StatusOr<::common::Envelope> envelope =
      CreateSignedEnvelope(::common::DELIVER_SEEK_INFO, "records", signer, SeekNewest(), 0, Time());
  ASSERT_TRUE(envelope.ok()) << envelope.status();
  EXPECT_EQ(envelope->signature(), FakeSigner::SignatureOf("hospital1-admin", envelope->payload()));

  absl::StatusOr<ParsedEnvelope> parsed = ParseEnvelope(*envelope);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->channel_header.type(), ::common::DELIVER_SEEK_INFO);
  EXPECT_EQ(parsed->channel_header.channel_id(), "records");
  EXPECT_EQ(parsed->channel_header.timestamp().seconds(), 1700000000);
  EXPECT_EQ(parsed->signature_header.creator(), "hospital1-admin");
  EXPECT_EQ(parsed->signature_header.nonce().size(), kNonceSize);
  EXPECT_TRUE(CheckTxId(parsed->channel_header.tx_id(), parsed->signature_header.nonce(), "hospital1-admin").ok());
  ::orderer::SeekInfo seek;
  ASSERT_TRUE(seek.ParseFromString(parsed->payload.data()));
  EXPECT_TRUE(seek.start().has_newest());
}

TEST(CreateSignedEnvelopeTest, UsesAFreshNonceEachTime) {
  const FakeSigner signer("id");
  absl::StatusOr<::common::Envelope> a =
      CreateSignedEnvelope(::common::CONFIG_UPDATE, "c", signer, SeekNewest(), 0, Time());
  absl::StatusOr<::common::Envelope> b =
      CreateSignedEnvelope(::common::CONFIG_UPDATE, "c", signer, SeekNewest(), 0, Time());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(ParseEnvelope(*a)->channel_header.tx_id(), ParseEnvelope(*b)->channel_header.tx_id());
}

TEST(CreateSignedEnvelopeTest, MessageEnvelopesMayBeChannelLess) {
  absl::StatusOr<::common::Envelope> envelope =
      CreateSignedEnvelope(::common::MESSAGE, "", FakeSigner("id"), SeekNewest(), 0, Time());
  ASSERT_TRUE(envelope.ok()) << envelope.status();
  EXPECT_TRUE(ParseEnvelope(*envelope).ok());
}

TEST(CreateSignedEnvelopeTest, RefusesAChannelLessTransaction) {
  absl::StatusOr<::common::Envelope> envelope =
      CreateSignedEnvelope(::common::ENDORSER_TRANSACTION, "", FakeSigner("id"), SeekNewest(), 0, Time());
  EXPECT_EQ(envelope.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(envelope.status().message(), HasSubstr("ENDORSER_TRANSACTION (3) needs a channel ID"));
}

TEST(CreateSignedEnvelopeTest, RefusesASignerWithoutIdentity) {
  absl::StatusOr<::common::Envelope> envelope =
      CreateSignedEnvelope(::common::CONFIG_UPDATE, "c", FakeSigner(""), SeekNewest(), 0, Time());
  EXPECT_EQ(envelope.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(CreateSignedEnvelopeTest, PassesOnSigningErrors) {
  absl::StatusOr<::common::Envelope> envelope =
      CreateSignedEnvelope(::common::CONFIG_UPDATE, "c", FailingSigner("id"), SeekNewest(), 0, Time());
  EXPECT_EQ(envelope.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(envelope.status().message(), HasSubstr("signing the envelope payload: HSM not reachable"));
}

// Builds envelopes with one layer broken, to check ParseEnvelope names it.
class ParseEnvelopeTest : public ::testing::Test {
 protected:
  ParseEnvelopeTest() {
    channel_header_ = MakeChannelHeader(::common::ENDORSER_TRANSACTION, "records", "tx", Time(), 0, "");
    signature_header_ = MakeSignatureHeader("creator", "nonce");
  }

  ::common::Envelope Build() const {
    ::common::Payload payload;
    payload.mutable_header()->set_channel_header(channel_header_bytes_.value_or(channel_header_.SerializeAsString()));
    payload.mutable_header()->set_signature_header(
        signature_header_bytes_.value_or(signature_header_.SerializeAsString()));
    payload.set_data("data");
    ::common::Envelope envelope;
    envelope.set_payload(payload.SerializeAsString());
    envelope.set_signature("signature");
    return envelope;
  }

  void ExpectError(const ::common::Envelope& envelope, std::string_view message) const {
    absl::StatusOr<ParsedEnvelope> parsed = ParseEnvelope(envelope);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(parsed.status().message(), HasSubstr(message));
  }

  ::common::ChannelHeader channel_header_;
  ::common::SignatureHeader signature_header_;
  std::optional<std::string> channel_header_bytes_;
  std::optional<std::string> signature_header_bytes_;
};

TEST_F(ParseEnvelopeTest, AcceptsAWellFormedEnvelope) {
  absl::StatusOr<ParsedEnvelope> parsed = ParseEnvelope(Build());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->payload.data(), "data");
  EXPECT_EQ(parsed->channel_header.tx_id(), "tx");
  EXPECT_EQ(parsed->signature_header.nonce(), "nonce");
}

TEST_F(ParseEnvelopeTest, MissingPayload) { ExpectError(::common::Envelope(), "envelope has no payload"); }

TEST_F(ParseEnvelopeTest, MalformedPayload) {
  ::common::Envelope envelope;
  envelope.set_payload("\x0a\x09short");
  ExpectError(envelope, "malformed envelope payload (common.Payload)");
}

TEST_F(ParseEnvelopeTest, MissingHeader) {
  ::common::Payload payload;
  payload.set_data("data");
  ::common::Envelope envelope;
  envelope.set_payload(payload.SerializeAsString());
  ExpectError(envelope, "envelope payload has no header");
}

TEST_F(ParseEnvelopeTest, MissingChannelHeader) {
  channel_header_bytes_ = "";
  ExpectError(Build(), "envelope payload: header has no channel header");
}

TEST_F(ParseEnvelopeTest, MalformedChannelHeader) {
  channel_header_bytes_ = "\xff\xff";
  ExpectError(Build(), "envelope payload: malformed channel header (common.ChannelHeader)");
}

TEST_F(ParseEnvelopeTest, MissingSignatureHeader) {
  signature_header_bytes_ = "";
  ExpectError(Build(), "header has no signature header");
}

TEST_F(ParseEnvelopeTest, MalformedSignatureHeader) {
  signature_header_bytes_ = "\x0a\x40";
  ExpectError(Build(), "malformed signature header (common.SignatureHeader)");
}

TEST_F(ParseEnvelopeTest, MissingCreator) {
  signature_header_.clear_creator();
  ExpectError(Build(), "signature header has no creator");
}

TEST_F(ParseEnvelopeTest, MissingNonce) {
  signature_header_.clear_nonce();
  ExpectError(Build(), "signature header has no nonce");
}

TEST_F(ParseEnvelopeTest, EmptyChannelIdOfATransaction) {
  channel_header_.clear_channel_id();
  ExpectError(Build(), "channel header of type ENDORSER_TRANSACTION (3) has no channel ID");
}

TEST_F(ParseEnvelopeTest, EmptyChannelIdOfAnUnknownTypeIsParsed) {
  // Deciding what an unknown type means (UNKNOWN_TX_TYPE) is the validator's job, not the parser's.
  channel_header_.clear_channel_id();
  channel_header_.set_type(42);
  absl::StatusOr<ParsedEnvelope> parsed = ParseEnvelope(Build());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->channel_header.type(), 42);
}

TEST(ChannelIdRequiredTest, ForEveryChannelScopedType) {
  EXPECT_TRUE(ChannelIdRequired(::common::ENDORSER_TRANSACTION));
  EXPECT_TRUE(ChannelIdRequired(::common::CONFIG));
  EXPECT_TRUE(ChannelIdRequired(::common::CONFIG_UPDATE));
  EXPECT_TRUE(ChannelIdRequired(::common::DELIVER_SEEK_INFO));
  EXPECT_FALSE(ChannelIdRequired(::common::MESSAGE));
  EXPECT_FALSE(ChannelIdRequired(-1));
}

}  // namespace
}  // namespace careledger::protoutil
