#include "peer/committer/canonical.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/common.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "peer/committer/testing/test_transaction.h"

namespace careledger::committer {
namespace {

using ::testing::HasSubstr;

// Hand-written wire bytes: field 1 (payload) and field 2 (signature) of a common.Envelope.
constexpr char kPayloadField[] = "\x0a\x03pay";
constexpr char kSignatureField[] = "\x12\x03sig";

std::string Canonical() { return absl::StrCat(kPayloadField, kSignatureField); }

void ExpectNotCanonical(const std::string& bytes) {
  absl::StatusOr<::common::Envelope> parsed = ParseCanonical<::common::Envelope>(bytes, "test envelope");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("test envelope (common.Envelope) is not in canonical encoding"));
}

TEST(ParseCanonicalTest, AcceptsTheCanonicalEncoding) {
  ::common::Envelope envelope;
  envelope.set_payload("pay");
  envelope.set_signature("sig");
  ASSERT_EQ(envelope.SerializeAsString(), Canonical());
  absl::StatusOr<::common::Envelope> parsed = ParseCanonical<::common::Envelope>(Canonical(), "envelope");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->payload(), "pay");
  EXPECT_EQ(parsed->signature(), "sig");
}

TEST(ParseCanonicalTest, AcceptsEmptyBytesAsTheDefaultMessage) {
  absl::StatusOr<::common::Envelope> parsed = ParseCanonical<::common::Envelope>("", "envelope");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->payload().empty());
}

TEST(ParseCanonicalTest, RejectsMalformedBytes) {
  absl::StatusOr<::common::Envelope> parsed = ParseCanonical<::common::Envelope>("\x0a\x09pay", "test envelope");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("malformed test envelope"));
}

TEST(ParseCanonicalTest, RejectsUnknownFields) { ExpectNotCanonical(testing::WithUnknownField(Canonical())); }

TEST(ParseCanonicalTest, RejectsFieldsOutOfOrder) { ExpectNotCanonical(absl::StrCat(kSignatureField, kPayloadField)); }

TEST(ParseCanonicalTest, RejectsASingularFieldWrittenTwice) {
  ExpectNotCanonical(absl::StrCat("\x0a\x03old", kPayloadField, kSignatureField));
}

TEST(ParseCanonicalTest, RejectsNonMinimalVarints) {
  // The payload's length 3 written in two bytes (0x83 0x00).
  ExpectNotCanonical(absl::StrCat(std::string("\x0a\x83\x00pay", 6), kSignatureField));
}

TEST(ParseCanonicalTest, RejectsExplicitDefaultValues) {
  // proto3 omits a field holding its default; an explicitly written empty payload is a second encoding.
  ExpectNotCanonical(absl::StrCat(std::string("\x0a\x00", 2), kSignatureField));
}

TEST(ParseCanonicalTest, RejectsUnknownFieldsInNestedMessages) {
  ::common::ChannelHeader header;
  header.set_channel_id("healthchannel");
  header.mutable_timestamp()->set_seconds(1700000000);
  std::string timestamp = testing::WithUnknownField(header.timestamp().SerializeAsString());
  // Field 3 (timestamp), length-delimited, followed by field 4 (channel_id), both in field order.
  std::string bytes = absl::StrCat("\x1a", std::string(1, static_cast<char>(timestamp.size())), timestamp,
                                   "\x22\x0dhealthchannel");
  absl::StatusOr<::common::ChannelHeader> parsed = ParseCanonical<::common::ChannelHeader>(bytes, "header");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("not in canonical encoding"));
}

}  // namespace
}  // namespace careledger::committer
