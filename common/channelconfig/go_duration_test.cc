#include "common/channelconfig/go_duration.h"

#include <cstdint>
#include <limits>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::channelconfig {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kMaxNanos = std::numeric_limits<int64_t>::max();
constexpr int64_t kMinNanos = std::numeric_limits<int64_t>::min();

struct ParseCase {
  std::string text;
  absl::Duration want;
};

// The cases of Go's own time.ParseDuration tests, so that a config value means the same on a Fabric node.
TEST(GoDurationTest, ParsesWhatGoParses) {
  const ParseCase cases[] = {
      {"0", absl::ZeroDuration()},
      {"5s", absl::Seconds(5)},
      {"30s", absl::Seconds(30)},
      {"1478s", absl::Seconds(1478)},
      {"-5s", -absl::Seconds(5)},
      {"+5s", absl::Seconds(5)},
      {"-0", absl::ZeroDuration()},
      {"+0", absl::ZeroDuration()},
      {"5.0s", absl::Seconds(5)},
      {"5.6s", absl::Seconds(5) + absl::Milliseconds(600)},
      {"5.s", absl::Seconds(5)},
      {".5s", absl::Milliseconds(500)},
      {"1.0s", absl::Seconds(1)},
      {"1.00s", absl::Seconds(1)},
      {"1.004s", absl::Seconds(1) + absl::Milliseconds(4)},
      {"1.0040s", absl::Seconds(1) + absl::Milliseconds(4)},
      {"100.00100s", absl::Seconds(100) + absl::Milliseconds(1)},
      {"10ns", absl::Nanoseconds(10)},
      {"11us", absl::Microseconds(11)},
      {"12\xc2\xb5s", absl::Microseconds(12)},  // U+00B5
      {"12\xce\xbcs", absl::Microseconds(12)},  // U+03BC
      {"13ms", absl::Milliseconds(13)},
      {"14s", absl::Seconds(14)},
      {"15m", absl::Minutes(15)},
      {"16h", absl::Hours(16)},
      {"3h30m", absl::Hours(3) + absl::Minutes(30)},
      {"10.5s4m", absl::Minutes(4) + absl::Seconds(10) + absl::Milliseconds(500)},
      {"-2m3.4s", -(absl::Minutes(2) + absl::Seconds(3) + absl::Milliseconds(400))},
      {"1h2m3s4ms5us6ns", absl::Hours(1) + absl::Minutes(2) + absl::Seconds(3) + absl::Milliseconds(4) +
                              absl::Microseconds(5) + absl::Nanoseconds(6)},
      {"39h9m14.425s", absl::Hours(39) + absl::Minutes(9) + absl::Seconds(14) + absl::Milliseconds(425)},
      {"52763797000ns", absl::Nanoseconds(52763797000)},
      {"0.3333333333333333333h", absl::Minutes(20)},
      {"9007199254740993ns", absl::Nanoseconds((int64_t{1} << 53) + 1)},
      {"9223372036854775807ns", absl::Nanoseconds(kMaxNanos)},
      {"9223372036854775.807us", absl::Nanoseconds(kMaxNanos)},
      {"9223372036s854ms775us807ns", absl::Nanoseconds(kMaxNanos)},
      {"-9223372036854775808ns", absl::Nanoseconds(kMinNanos)},
      {"-9223372036854775.808us", absl::Nanoseconds(kMinNanos)},
      {"-2562047h47m16.854775808s", absl::Nanoseconds(kMinNanos)},
      {"0.100000000000000000000h", absl::Minutes(6)},
      {"0.830103483285477580700h", absl::Minutes(49) + absl::Seconds(48) + absl::Nanoseconds(372539827)},
  };
  for (const ParseCase& c : cases) {
    absl::StatusOr<absl::Duration> parsed = ParseGoDuration(c.text);
    ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.status();
    EXPECT_EQ(*parsed, c.want) << c.text;
  }
}

TEST(GoDurationTest, RefusesWhatGoRefuses) {
  const std::string cases[] = {
      "",
      "3",
      "-",
      "s",
      ".",
      "-.",
      ".s",
      "+.s",
      "1d",
      "\x85\x85",
      "\xff"
      "ff",
      "hello \xff"
      "ff world",
      "1.5",
      "5s3",
      "1 s",
      " 1s",
      "1s ",
      "9223372036854775808ns",  // one past the maximum
      "9223372036854775.808us",
      "-9223372036854775809ns",
      "3000000h",
      "9223372036854775808h",
      "18446744073709551616ns",  // 2^64: the integer part overflows
  };
  for (const std::string& text : cases) {
    absl::StatusOr<absl::Duration> parsed = ParseGoDuration(text);
    EXPECT_FALSE(parsed.ok()) << "accepted " << text << " as " << *parsed;
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_THAT(parsed.status().message(), HasSubstr("in duration"));
    }
  }
}

TEST(GoDurationTest, ErrorsSayWhatIsWrong) {
  EXPECT_THAT(ParseGoDuration("3").status().message(), HasSubstr("missing unit"));
  EXPECT_THAT(ParseGoDuration("3d").status().message(), HasSubstr("unknown unit \"d\""));
  EXPECT_THAT(ParseGoDuration("3000000h").status().message(), HasSubstr("overflow"));
  EXPECT_THAT(ParseGoDuration("").status().message(), HasSubstr("no number"));
  // Untrusted text is escaped and shortened in the message.
  const std::string message(ParseGoDuration("\x01" + std::string(500, 'x')).status().message());
  EXPECT_THAT(message, HasSubstr("\\x01"));
  EXPECT_LT(message.size(), 200u);
}

struct FormatCase {
  absl::Duration duration;
  std::string want;
};

// The cases of Go's Duration.String tests.
TEST(GoDurationTest, FormatsAsGoFormats) {
  const FormatCase cases[] = {
      {absl::ZeroDuration(), "0s"},
      {absl::Nanoseconds(1), "1ns"},
      {absl::Nanoseconds(1100), "1.1\xc2\xb5s"},
      {absl::Microseconds(2200), "2.2ms"},
      {absl::Milliseconds(3300), "3.3s"},
      {absl::Minutes(4) + absl::Seconds(5), "4m5s"},
      {absl::Minutes(4) + absl::Milliseconds(5001), "4m5.001s"},
      {absl::Hours(5) + absl::Minutes(6) + absl::Milliseconds(7001), "5h6m7.001s"},
      {absl::Minutes(8) + absl::Nanoseconds(1), "8m0.000000001s"},
      {absl::Nanoseconds(kMaxNanos), "2562047h47m16.854775807s"},
      {absl::Nanoseconds(kMinNanos), "-2562047h47m16.854775808s"},
      {absl::Minutes(1), "1m0s"},
      {absl::Hours(1), "1h0m0s"},
      {absl::Seconds(2), "2s"},
      {absl::Milliseconds(500), "500ms"},
      {absl::Milliseconds(250), "250ms"},
      {-absl::Milliseconds(1), "-1ms"},
      {absl::InfiniteDuration(), "2562047h47m16.854775807s"},
      {-absl::InfiniteDuration(), "-2562047h47m16.854775808s"},
      {absl::Nanoseconds(1) / 2, "0s"},  // sub-nanosecond parts are truncated
  };
  for (const FormatCase& c : cases) EXPECT_EQ(FormatGoDuration(c.duration), c.want) << c.duration;
}

TEST(GoDurationTest, FormatThenParseGivesTheSameDuration) {
  const absl::Duration durations[] = {absl::Nanoseconds(1),        absl::Nanoseconds(999),
                                      absl::Microseconds(1),       absl::Milliseconds(1) + absl::Nanoseconds(3),
                                      absl::Seconds(59),           absl::Hours(25) + absl::Nanoseconds(7),
                                      -absl::Seconds(90),          absl::Nanoseconds(kMaxNanos),
                                      absl::Nanoseconds(kMinNanos)};
  for (absl::Duration d : durations) {
    absl::StatusOr<absl::Duration> parsed = ParseGoDuration(FormatGoDuration(d));
    ASSERT_TRUE(parsed.ok()) << FormatGoDuration(d) << ": " << parsed.status();
    EXPECT_EQ(*parsed, d) << FormatGoDuration(d);
  }
}

}  // namespace
}  // namespace careledger::channelconfig
