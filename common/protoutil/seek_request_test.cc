#include "common/protoutil/seek_request.h"

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "common/protoutil/envelope.h"
#include "common/protoutil/test_seek.h"
#include "common/protoutil/timestamp.h"
#include "common/protoutil/test_signer.h"

namespace careledger::protoutil {
namespace {

using ::testing::HasSubstr;

using careledger::protoutil::testing::Newest;
using careledger::protoutil::testing::NextCommit;
using careledger::protoutil::testing::Oldest;
using careledger::protoutil::testing::Seek;
using careledger::protoutil::testing::Specified;

TEST(ResolveSeekRangeTest, FollowsFabricsPositionRules) {
  const uint64_t height = 5;
  EXPECT_EQ(*ResolveSeekRange(Seek(Oldest(), Newest()), height), (SeekRange{0, 4}));
  EXPECT_EQ(*ResolveSeekRange(Seek(Newest(), Newest()), height), (SeekRange{4, 4}));
  EXPECT_EQ(*ResolveSeekRange(Seek(Specified(1), Specified(3)), height), (SeekRange{1, 3}));
  EXPECT_EQ(*ResolveSeekRange(Seek(Specified(9), Specified(12)), height), (SeekRange{9, 12}));
  EXPECT_EQ(*ResolveSeekRange(Seek(NextCommit(), Specified(kStreamForever)), height), (SeekRange{5, kStreamForever}));
  // Fabric: a stop at "oldest" means the start block alone.
  EXPECT_EQ(*ResolveSeekRange(Seek(Specified(2), Oldest()), height), (SeekRange{2, 2}));
  EXPECT_EQ(*ResolveSeekRange(Seek(Oldest(), Oldest()), height), (SeekRange{0, 0}));
}

TEST(ResolveSeekRangeTest, RefusesRangesThatNameNoBlocks) {
  EXPECT_THAT(ResolveSeekRange(Seek(Specified(3), Specified(2)), 5).status().message(), HasSubstr("lies after"));
  EXPECT_THAT(ResolveSeekRange(Seek(Specified(7), Newest()), 5).status().message(), HasSubstr("lies after"));
  EXPECT_THAT(ResolveSeekRange(Seek(Oldest(), NextCommit()), 5).status().message(), HasSubstr("next_commit"));
  EXPECT_EQ(ResolveSeekRange(Seek(Specified(kStreamForever), Specified(kStreamForever)), 5).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ResolveSeekRange(Seek(::orderer::SeekPosition(), Newest()), 5).status().code(),
            absl::StatusCode::kInvalidArgument);
}

class ParseSeekRequestTest : public ::testing::Test {
 protected:
  ::common::Envelope Request(const google::protobuf::Message& data,
                             ::common::HeaderType type = ::common::DELIVER_SEEK_INFO, absl::Time at = kNow) {
    auto envelope = CreateSignedEnvelope(type, "healthchannel", client_, data, 0, ToTimestamp(at));
    EXPECT_TRUE(envelope.ok()) << envelope.status();
    return *envelope;
  }

  static inline const absl::Time kNow = absl::FromUnixSeconds(1700003600);
  testing::FakeSigner client_{"client of Hospital1MSP"};
};

TEST_F(ParseSeekRequestTest, ParsesASignedSeekInfoEnvelope) {
  auto request = ParseSeekRequest(Request(Seek(Oldest(), Newest())), kNow + absl::Minutes(14));
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->envelope.channel_header.channel_id(), "healthchannel");
  EXPECT_TRUE(request->seek_info.start().has_oldest());
  EXPECT_EQ(request->envelope.signature_header.creator(), client_.SerializedIdentity());
}

TEST_F(ParseSeekRequestTest, RefusesEachMalformedLayer) {
  EXPECT_THAT(ParseSeekRequest(::common::Envelope(), kNow).status().message(), HasSubstr("payload"));
  EXPECT_THAT(ParseSeekRequest(Request(Seek(Oldest(), Newest()), ::common::ENDORSER_TRANSACTION), kNow)
                  .status()
                  .message(),
              HasSubstr("DELIVER_SEEK_INFO"));
  EXPECT_THAT(ParseSeekRequest(Request(Seek(Oldest(), Newest()), ::common::DELIVER_SEEK_INFO,
                                       kNow - absl::Minutes(16)),
                               kNow)
                  .status()
                  .message(),
              HasSubstr("away from this node's time"));
  ::orderer::SeekInfo no_stop;
  *no_stop.mutable_start() = Oldest();
  EXPECT_THAT(ParseSeekRequest(Request(no_stop), kNow).status().message(), HasSubstr("no stop"));
  EXPECT_THAT(ParseSeekRequest(Request(Seek(Oldest(), ::orderer::SeekPosition())), kNow).status().message(),
              HasSubstr("stop position has no type"));

  // Payload data that is not a SeekInfo: field 1 (SeekInfo.start) holds bytes that are no SeekPosition.
  ::common::Envelope not_a_seek_info;
  not_a_seek_info.set_payload("\xff\xff");
  EXPECT_THAT(ParseSeekRequest(Request(not_a_seek_info), kNow).status().message(), HasSubstr("malformed SeekInfo"));
}

}  // namespace
}  // namespace careledger::protoutil
