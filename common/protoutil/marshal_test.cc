#include "common/protoutil/marshal.h"

#include <string>

#include "gtest/gtest.h"
#include "peer/proposal.pb.h"

namespace careledger::protoutil {
namespace {

TEST(MarshalTest, WritesMapEntriesInKeyOrder) {
  ::protos::ChaincodeProposalPayload payload;
  (*payload.mutable_transientmap())["b"] = "2";
  (*payload.mutable_transientmap())["a"] = "1";
  absl::StatusOr<std::string> bytes = Marshal(payload, "payload");
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  // Field 2 entries {key (1) "a", value (2) "1"} then {"b", "2"}, hand-encoded.
  EXPECT_EQ(*bytes, std::string("\x12\x06\x0a\x01"
                                "a"
                                "\x12\x01"
                                "1"
                                "\x12\x06\x0a\x01"
                                "b"
                                "\x12\x01"
                                "2"));
}

TEST(MarshalTest, MatchesProtobufForMessagesWithoutMaps) {
  ::protos::Proposal proposal;
  proposal.set_header("header");
  proposal.set_payload("payload");
  absl::StatusOr<std::string> bytes = Marshal(proposal, "proposal");
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*bytes, proposal.SerializeAsString());
}

TEST(MarshalTest, EmptyMessageIsEmptyBytes) {
  absl::StatusOr<std::string> bytes = Marshal(::protos::Proposal(), "proposal");
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_TRUE(bytes->empty());
}

}  // namespace
}  // namespace careledger::protoutil
