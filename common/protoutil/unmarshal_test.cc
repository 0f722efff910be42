#include "common/protoutil/unmarshal.h"

#include <string>

#include "common/common.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::protoutil {
namespace {

using ::testing::HasSubstr;

TEST(UnmarshalTest, ParsesWhatProtobufWrote) {
  ::common::Envelope envelope;
  envelope.set_payload("payload");
  envelope.set_signature("signature");
  absl::StatusOr<::common::Envelope> parsed = Unmarshal<::common::Envelope>(envelope.SerializeAsString(), "envelope");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->payload(), "payload");
  EXPECT_EQ(parsed->signature(), "signature");
}

TEST(UnmarshalTest, EmptyBytesAreTheDefaultMessage) {
  absl::StatusOr<::common::Envelope> parsed = Unmarshal<::common::Envelope>("", "envelope");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->payload().empty());
}

TEST(UnmarshalTest, KeepsUnknownFields) {
  // Field 15, varint 1: not in common.Envelope.
  const std::string bytes = "\x0a\x01p\x78\x01";
  absl::StatusOr<::common::Envelope> parsed = Unmarshal<::common::Envelope>(bytes, "envelope");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->SerializeAsString(), bytes);
}

TEST(UnmarshalTest, TruncatedBytesNameWhatAndType) {
  // Field 1, length 5, but only two bytes follow.
  absl::StatusOr<::common::Envelope> parsed = Unmarshal<::common::Envelope>(
      "\x0a\x05"
      "ab",
      "block data entry 3");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("malformed block data entry 3 (common.Envelope): 4 bytes"));
}

TEST(UnmarshalTest, RejectsAStrayEndGroupTag) {
  absl::StatusOr<::common::Envelope> parsed = Unmarshal<::common::Envelope>("\x0c", "envelope");
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(UnmarshalTest, RejectsInvalidUtf8InAStringField) {
  // ChannelHeader.channel_id (field 4, a proto3 string) holding the byte 0xff.
  absl::StatusOr<::common::ChannelHeader> parsed =
      Unmarshal<::common::ChannelHeader>(std::string("\x22\x01\xff", 3), "channel header");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("malformed channel header (common.ChannelHeader)"));
}

}  // namespace
}  // namespace careledger::protoutil
