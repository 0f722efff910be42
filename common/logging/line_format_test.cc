#include "common/logging/line_format.h"

#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::logging {
namespace {

using ::testing::EndsWith;
using ::testing::StartsWith;

const absl::Time kTime = absl::FromUnixMicros(1795527900123456);  // 2026-11-24T13:45:00.123456Z

std::string Line(std::string_view message, std::initializer_list<Field> fields, Level level = Level::kInfo,
                 std::string_view module = "orderer.raft") {
  return FormatLine(kTime, level, module, message, "", fields);
}

// The part after "<time> <LEVEL> <module> ", without the '\n'.
std::string Tail(std::string_view message, std::initializer_list<Field> fields) {
  const std::string line = Line(message, fields);
  const std::string prefix = "2026-11-24T13:45:00.123456Z INFO  orderer.raft ";
  EXPECT_THAT(line, StartsWith(prefix));
  EXPECT_THAT(line, EndsWith("\n"));
  return line.substr(prefix.size(), line.size() - prefix.size() - 1);
}

TEST(FormatLineTest, TheDocumentedExample) {
  const std::string channel = "healthchannel";
  EXPECT_EQ(Line("leader elected", {{"channel", channel}, {"term", 4}, {"node", "orderer1"}}),
            "2026-11-24T13:45:00.123456Z INFO  orderer.raft leader elected channel=healthchannel term=4 "
            "node=orderer1\n");
}

TEST(FormatLineTest, LevelsArePaddedToOneWidth) {
  EXPECT_THAT(Line("m", {}, Level::kDebug), StartsWith("2026-11-24T13:45:00.123456Z DEBUG orderer.raft m"));
  EXPECT_THAT(Line("m", {}, Level::kInfo), StartsWith("2026-11-24T13:45:00.123456Z INFO  orderer.raft m"));
  EXPECT_THAT(Line("m", {}, Level::kWarn), StartsWith("2026-11-24T13:45:00.123456Z WARN  orderer.raft m"));
  EXPECT_THAT(Line("m", {}, Level::kError), StartsWith("2026-11-24T13:45:00.123456Z ERROR orderer.raft m"));
}

TEST(FormatLineTest, TimeIsUtcWithMicroseconds) {
  EXPECT_THAT(FormatLine(absl::UnixEpoch(), Level::kInfo, "m", "x", "", {}),
              StartsWith("1970-01-01T00:00:00.000000Z "));
  EXPECT_THAT(FormatLine(absl::FromUnixMillis(1), Level::kInfo, "m", "x", "", {}),
              StartsWith("1970-01-01T00:00:00.001000Z "));
}

TEST(FormatLineTest, ValueTypes) {
  const absl::Status failed = absl::UnavailableError("peer0 unreachable");
  EXPECT_EQ(Tail("m", {{"i", -42},
                       {"u", std::numeric_limits<uint64_t>::max()},
                       {"small", static_cast<uint8_t>(7)},
                       {"yes", true},
                       {"no", false},
                       {"ratio", 0.5},
                       {"f", 1.5f},
                       {"ok", absl::OkStatus()},
                       {"error", failed},
                       {"wait", absl::Milliseconds(1500)},
                       {"null", static_cast<const char*>(nullptr)},
                       {"reason", failed.message()}}),
            "m i=-42 u=18446744073709551615 small=7 yes=true no=false ratio=0.5 f=1.5 ok=OK "
            "error=\"UNAVAILABLE: peer0 unreachable\" wait=1.5s null=(null) reason=\"peer0 unreachable\"");
}

TEST(FormatLineTest, ValuesAreQuotedOnlyWhenNeeded) {
  EXPECT_EQ(Tail("m", {{"a", "plain-value_1.2:3/4"},
                       {"b", ""},
                       {"c", "two words"},
                       {"d", "x=y"},
                       {"e", "say \"hi\""},
                       {"f", "C:\\path"}}),
            R"(m a=plain-value_1.2:3/4 b="" c="two words" d="x=y" e="say \"hi\"" f="C:\\path")");
}

TEST(FormatLineTest, NoInputCanBreakTheLine) {
  EXPECT_EQ(Tail("two\nlines\r\tand\x1b[31m", {{"v", "a\nb"}}), R"(two\nlines\r\tand\x1b[31m v="a\nb")");
  // Unicode line and paragraph separators and NEL, which some tools split on, are escaped too.
  EXPECT_EQ(Tail("a\u2028b\u2029c\u0085d", {}), R"(a\u2028b\u2029c\u0085d)");
  // Other UTF-8 is kept; bytes that are not UTF-8 are shown as \x escapes.
  EXPECT_EQ(Tail("Hôpital", {{"name", "Hôpital Éloi"}, {"raw", "\xff\xfe"}}),
            R"(Hôpital name="Hôpital Éloi" raw="\xff\xfe")");
}

TEST(FormatLineTest, KeysAndModulesAreSanitized) {
  EXPECT_EQ(Tail("m", {{"bad key=\n", 1}, {"", 2}, {"ok.key-1_x", 3}}), "m bad_key__=1 _=2 ok.key-1_x=3");
  EXPECT_THAT(FormatLine(kTime, Level::kInfo, "evil module\n", "m", "", {}),
              StartsWith("2026-11-24T13:45:00.123456Z INFO  evil_module_ m"));
}

TEST(FormatLineTest, LongTextIsCut) {
  const std::string big(10000, 'x');
  const std::string tail = Tail(big, {{"v", big}});
  const std::string cut = std::string(4096, 'x') + "...(10000 bytes)";
  EXPECT_EQ(tail, cut + " v=\"" + cut + "\"");
}

TEST(FormatLineTest, ContextGoesBeforeTheStatementsFields) {
  const std::string context = FormatFields({{"channel", "ch1"}, {"node", 2}});
  EXPECT_EQ(context, " channel=ch1 node=2");
  EXPECT_EQ(FormatLine(kTime, Level::kWarn, "orderer.raft", "slow", context, {{"ms", 900}}),
            "2026-11-24T13:45:00.123456Z WARN  orderer.raft slow channel=ch1 node=2 ms=900\n");
}

TEST(FormatLineTest, RandomBytesNeverBreakTheLine) {
  std::mt19937 random(7);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 2000; ++round) {
    std::string message, value, key;
    for (int i = 0; i < 40; ++i) message += static_cast<char>(byte(random));
    for (int i = 0; i < 40; ++i) value += static_cast<char>(byte(random));
    for (int i = 0; i < 8; ++i) key += static_cast<char>(byte(random));
    const std::string line = FormatLine(kTime, Level::kInfo, key, message, "", {{key, value}});
    ASSERT_EQ(line.find('\n'), line.size() - 1) << line;
    ASSERT_EQ(line.find('\r'), std::string::npos) << line;
    for (const char c : line.substr(0, line.size() - 1)) {
      ASSERT_TRUE(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) << line;
    }
  }
}

}  // namespace
}  // namespace careledger::logging
