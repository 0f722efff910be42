#include "common/protoutil/timestamp.h"

#include "gtest/gtest.h"

namespace careledger::protoutil {
namespace {

TEST(TimestampTest, RoundTripsToTheNanosecond) {
  const absl::Time time = absl::FromUnixSeconds(1700000000) + absl::Nanoseconds(123456789);
  const google::protobuf::Timestamp timestamp = ToTimestamp(time);
  EXPECT_EQ(timestamp.seconds(), 1700000000);
  EXPECT_EQ(timestamp.nanos(), 123456789);
  EXPECT_EQ(FromTimestamp(timestamp), time);
}

TEST(TimestampTest, NanosecondsStayPositiveBeforeTheEpoch) {
  const absl::Time time = absl::FromUnixSeconds(-1) + absl::Milliseconds(250);
  const google::protobuf::Timestamp timestamp = ToTimestamp(time);
  EXPECT_EQ(timestamp.seconds(), -1);
  EXPECT_EQ(timestamp.nanos(), 250000000);
  EXPECT_EQ(FromTimestamp(timestamp), time);
}

}  // namespace
}  // namespace careledger::protoutil
