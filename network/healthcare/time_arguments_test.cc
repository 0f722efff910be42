#include "network/healthcare/time_arguments.h"

#include "gtest/gtest.h"

namespace careledger::healthcare {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1700000000);  // 2023-11-14T22:13:20Z

TEST(ParseSpanTest, AcceptsTermsOfEachUnit) {
  EXPECT_EQ(*ParseSpan("30d"), absl::Hours(30 * 24));
  EXPECT_EQ(*ParseSpan("2w"), absl::Hours(14 * 24));
  EXPECT_EQ(*ParseSpan("1h30m"), absl::Minutes(90));
  EXPECT_EQ(*ParseSpan("90s"), absl::Seconds(90));
}

TEST(ParseSpanTest, RefusesMalformedSpans) {
  for (const char* text : {"", "d", "30", "30x", "1.5h", "-3d", "0s", "0d0h", "36600d", "9999999999d", "3 d"}) {
    absl::StatusOr<absl::Duration> span = ParseSpan(text);
    EXPECT_EQ(span.status().code(), absl::StatusCode::kInvalidArgument) << text;
  }
  EXPECT_NE(ParseSpan("30x").status().message().find("unknown unit 'x'"), std::string_view::npos);
}

TEST(ParseExpiryTest, ASpanCountsFromNow) {
  EXPECT_EQ(*ParseExpiry("30d", kNow), 1700000000 + 30 * 86400);
  EXPECT_EQ(*ParseExpiry("1h", kNow), 1700003600);
}

TEST(ParseExpiryTest, ASpanFromAFractionalNowRoundsUp) {
  EXPECT_EQ(*ParseExpiry("10s", kNow + absl::Milliseconds(1)), 1700000011);
}

TEST(ParseExpiryTest, TakesRfc3339Times) {
  EXPECT_EQ(*ParseExpiry("2026-12-31T00:00:00Z", kNow), 1798675200);
  EXPECT_EQ(*ParseExpiry("2026-12-31T01:00:00+01:00", kNow), 1798675200);
  EXPECT_EQ(*ParseExpiry("2026-12-31T00:00:00.25Z", kNow), 1798675201);
}

TEST(ParseExpiryTest, TakesUnixSecondsAsTheyAre) {
  EXPECT_EQ(*ParseExpiry("1798675200", kNow), 1798675200);
  EXPECT_EQ(*ParseExpiry("0", kNow), 0);  // in the past: the chaincode's refusal says so
  EXPECT_EQ(*ParseExpiry("253402300799", kNow), kMaxUnixSeconds);
}

TEST(ParseExpiryTest, RefusesAnythingElse) {
  for (const char* text : {"", "tomorrow", "2026-12-31", "2026-13-31T00:00:00Z", "253402300800", "99999999999999999999",
                           "12.5", "-5", "10000-01-01T00:00:00Z"}) {
    absl::StatusOr<int64_t> expiry = ParseExpiry(text, kNow);
    ASSERT_EQ(expiry.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_NE(expiry.status().message().find("invalid expiry"), std::string_view::npos) << expiry.status();
  }
}

TEST(ParseEmergencyDurationTest, TakesSpansAndSeconds) {
  EXPECT_EQ(*ParseEmergencyDuration("2h"), 7200);
  EXPECT_EQ(*ParseEmergencyDuration("24h"), 86400);
  EXPECT_EQ(*ParseEmergencyDuration("1s"), 1);
  EXPECT_EQ(*ParseEmergencyDuration("600"), 600);
}

TEST(ParseEmergencyDurationTest, RefusesDurationsOutsideOneSecondToADay) {
  for (const char* text : {"0", "86401", "25h", "2d", "", "soon", "1234567"}) {
    absl::StatusOr<int64_t> duration = ParseEmergencyDuration(text);
    ASSERT_EQ(duration.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_NE(duration.status().message().find("invalid duration"), std::string_view::npos) << duration.status();
  }
}

}  // namespace
}  // namespace careledger::healthcare
