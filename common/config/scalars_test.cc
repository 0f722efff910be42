#include "common/config/scalars.h"

#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::config {
namespace {

using ::testing::HasSubstr;

template <typename T>
std::string ErrorOf(const absl::StatusOr<T>& result) {
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(result.status().message());
}

TEST(ParseBoolTest, AcceptsOnlyTrueAndFalse) {
  EXPECT_EQ(*ParseBool("true"), true);
  EXPECT_EQ(*ParseBool("TRUE"), true);
  EXPECT_EQ(*ParseBool("False"), false);
  EXPECT_EQ(ErrorOf(ParseBool("yes")), R"(expected true or false, got "yes")");
  ErrorOf(ParseBool("1"));
  ErrorOf(ParseBool(""));
  ErrorOf(ParseBool("tRuE"));
}

TEST(ParseIntTest, DecimalWithinRange) {
  EXPECT_EQ(*ParseInt("42"), 42);
  EXPECT_EQ(*ParseInt("-7"), -7);
  EXPECT_EQ(*ParseInt("9223372036854775807"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(*ParseInt("-9223372036854775808"), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(*ParseInt("1", {.min = 1, .max = 1000}), 1);
  EXPECT_EQ(*ParseInt("1000", {.min = 1, .max = 1000}), 1000);
}

TEST(ParseIntTest, MessagesNameTheRange) {
  EXPECT_EQ(ErrorOf(ParseInt("lots", {.min = 1, .max = 1000})),
            R"(expected an integer between 1 and 1000, got "lots")");
  EXPECT_EQ(ErrorOf(ParseInt("0", {.min = 1, .max = 1000})), R"(expected an integer between 1 and 1000, got "0")");
  EXPECT_EQ(ErrorOf(ParseInt("-1", {.min = 0})), R"(expected an integer of at least 0, got "-1")");
  EXPECT_EQ(ErrorOf(ParseInt("11", {.max = 10})), R"(expected an integer of at most 10, got "11")");
  EXPECT_EQ(ErrorOf(ParseInt("x")), R"(expected an integer, got "x")");
}

TEST(ParseIntTest, RefusesLooseSpellings) {
  for (const char* text :
       {"", "-", "+5", " 5", "5 ", "0x10", "1_000", "1e3", "1.0", "9223372036854775808", "--1", "5s"}) {
    EXPECT_FALSE(ParseInt(text).ok()) << text;
  }
}

TEST(ParseDoubleTest, FiniteDecimalsOnly) {
  EXPECT_DOUBLE_EQ(*ParseDouble("0.75"), 0.75);
  EXPECT_DOUBLE_EQ(*ParseDouble("-2"), -2.0);
  EXPECT_DOUBLE_EQ(*ParseDouble("1e-3"), 0.001);
  for (const char* text : {"", "inf", "nan", "-inf", "1e999", "0x1p3", " 1", "1,5", "e", "."}) {
    EXPECT_FALSE(ParseDouble(text).ok()) << text;
  }
  EXPECT_EQ(ErrorOf(ParseDouble("2", {.min = 0, .max = 1})), R"(expected a number between 0 and 1, got "2")");
}

TEST(ParseDurationTest, GoStyleDurations) {
  EXPECT_EQ(*ParseDuration("250ms"), absl::Milliseconds(250));
  EXPECT_EQ(*ParseDuration("2s"), absl::Seconds(2));
  EXPECT_EQ(*ParseDuration("1m30s"), absl::Seconds(90));
  EXPECT_EQ(*ParseDuration("1h"), absl::Hours(1));
  EXPECT_EQ(*ParseDuration("1.5h"), absl::Minutes(90));
  EXPECT_EQ(*ParseDuration("0"), absl::ZeroDuration());
  EXPECT_EQ(*ParseDuration("10us"), absl::Microseconds(10));
}

TEST(ParseDurationTest, RefusesNegativeInfiniteAndGarbage) {
  for (const char* text : {"", "-1s", "+1s", "inf", "-inf", "30", "1d", "2 s", " 2s", "2s ", "s", ".5s", "1e3s",
                           "1h-1m", "forever", "1y"}) {
    EXPECT_FALSE(ParseDuration(text).ok()) << text;
  }
  EXPECT_EQ(ErrorOf(ParseDuration("soon")), R"(expected a duration like "250ms", "2s" or "1m30s", got "soon")");
}

TEST(ParseDurationTest, Range) {
  const DurationRange range{.min = absl::Seconds(1), .max = absl::Minutes(1)};
  EXPECT_EQ(*ParseDuration("1s", range), absl::Seconds(1));
  EXPECT_EQ(*ParseDuration("1m", range), absl::Minutes(1));
  EXPECT_EQ(ErrorOf(ParseDuration("999ms", range)),
            R"(expected a duration like "250ms", "2s" or "1m30s" between 1s and 1m, got "999ms")");
  EXPECT_FALSE(ParseDuration("61s", range).ok());
}

TEST(ParseByteSizeTest, UnitsArePowersOf1024) {
  EXPECT_EQ(*ParseByteSize("98304"), 98304u);
  EXPECT_EQ(*ParseByteSize("0"), 0u);
  EXPECT_EQ(*ParseByteSize("12 B"), 12u);
  EXPECT_EQ(*ParseByteSize("512 KiB"), 512u * 1024);
  EXPECT_EQ(*ParseByteSize("512 KB"), 512u * 1024);
  EXPECT_EQ(*ParseByteSize("512k"), 512u * 1024);
  EXPECT_EQ(*ParseByteSize("2 MB"), 2u << 20);
  EXPECT_EQ(*ParseByteSize("2MiB"), 2u << 20);
  EXPECT_EQ(*ParseByteSize("2 mb"), 2u << 20);
  EXPECT_EQ(*ParseByteSize("99 MB"), 99u << 20);  // Fabric's orderer.yaml AbsoluteMaxBytes
  EXPECT_EQ(*ParseByteSize("3 GB"), uint64_t{3} << 30);
  EXPECT_EQ(*ParseByteSize("1 TiB"), uint64_t{1} << 40);
  EXPECT_EQ(*ParseByteSize("1\tK"), 1024u);
  EXPECT_EQ(*ParseByteSize("18446744073709551615"), std::numeric_limits<uint64_t>::max());
}

TEST(ParseByteSizeTest, RefusesGarbageAndOverflow) {
  for (const char* text : {"", "MB", "-1", "+1", "1.5 MB", "2 XB", "2 MBB", "2 M B", " 2", "2 mbi",
                           "18446744073709551616", "16777216 TB", "1e6", "lots"}) {
    EXPECT_FALSE(ParseByteSize(text).ok()) << text;
  }
  EXPECT_THAT(ErrorOf(ParseByteSize("lots")), HasSubstr(R"(units are powers of 1024), got "lots")"));
  EXPECT_THAT(ErrorOf(ParseByteSize("2 GB", {.min = 1, .max = 1 << 30})), HasSubstr("between 1 B and 1 GiB"));
}

TEST(FormatByteSizeTest, LargestExactUnit) {
  EXPECT_EQ(FormatByteSize(0), "0 B");
  EXPECT_EQ(FormatByteSize(1000), "1000 B");
  EXPECT_EQ(FormatByteSize(1024), "1 KiB");
  EXPECT_EQ(FormatByteSize(1536), "1536 B");
  EXPECT_EQ(FormatByteSize(99u << 20), "99 MiB");
  EXPECT_EQ(FormatByteSize(uint64_t{5} << 40), "5 TiB");
}

TEST(MessagesTest, FoundTextIsEscapedAndCut) {
  EXPECT_EQ(ErrorOf(ParseBool("a\nb\"c")), R"(expected true or false, got "a\nb\"c")");
  const std::string long_text(200, 'x');
  EXPECT_EQ(ErrorOf(ParseBool(long_text)),
            absl::StrCat("expected true or false, got \"", std::string(64, 'x'), "...\""));
}

}  // namespace
}  // namespace careledger::config
