#include "common/nodeconfig/listen_address.h"

#include <optional>
#include <ostream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::nodeconfig {
namespace {

using ::testing::HasSubstr;

struct GoodAddress {
  std::string name;
  std::string text;
  std::optional<uint16_t> default_port;
  HostPort expected;
  std::string formatted;
};

void PrintTo(const GoodAddress& c, std::ostream* os) { *os << c.name; }

const GoodAddress kGoodAddresses[] = {
    {"Ipv4HostTakesTheDefaultPort", "0.0.0.0", 7053, {"0.0.0.0", 7053}, "0.0.0.0:7053"},
    {"Ipv4HostAndPort", "127.0.0.1:8443", 7053, {"127.0.0.1", 8443}, "127.0.0.1:8443"},
    {"DnsNameAndPort", "orderer0.example.org:7050", 7053, {"orderer0.example.org", 7050}, "orderer0.example.org:7050"},
    {"SingleLabelName", "localhost", 1, {"localhost", 1}, "localhost:1"},
    {"BracketedIpv6AndPort", "[::1]:7053", 1, {"::1", 7053}, "[::1]:7053"},
    {"BracketedIpv6TakesTheDefaultPort", "[fe80::1]", 9000, {"fe80::1", 9000}, "[fe80::1]:9000"},
    {"BareIpv6IsAHostWithoutPort", "::", std::nullopt, {"::", 0}, "[::]:0"},
    {"HostWithoutPortWhereThePortIsElsewhere", "10.1.2.3", std::nullopt, {"10.1.2.3", 0}, "10.1.2.3:0"},
    {"HighestPort", "h:65535", 1, {"h", 65535}, "h:65535"},
};

class GoodAddressTest : public ::testing::TestWithParam<GoodAddress> {};

TEST_P(GoodAddressTest, Parses) {
  const GoodAddress& c = GetParam();
  absl::StatusOr<HostPort> address = ParseListenAddress(c.text, c.default_port);
  ASSERT_TRUE(address.ok()) << address.status();
  EXPECT_EQ(*address, c.expected);
  EXPECT_EQ(address->ToString(), c.formatted);
}

INSTANTIATE_TEST_SUITE_P(ListenAddress, GoodAddressTest, ::testing::ValuesIn(kGoodAddresses),
                         [](const ::testing::TestParamInfo<GoodAddress>& info) { return info.param.name; });

struct BadAddress {
  std::string name;
  std::string text;
  std::optional<uint16_t> default_port;
  std::string message;
};

void PrintTo(const BadAddress& c, std::ostream* os) { *os << c.name; }

const BadAddress kBadAddresses[] = {
    {"EmptyIsRejected", "", 1, "empty address"},
    {"PortZeroIsRejected", "h:0", 1, "the port must be an integer between 1 and 65535"},
    {"PortAboveRangeIsRejected", "h:65536", 1, "the port must be an integer between 1 and 65535"},
    {"PortWithSignIsRejected", "h:+80", 1, "the port must be an integer"},
    {"EmptyPortIsRejected", "h:", 1, "the port must be an integer"},
    {"PortWhereNoneIsAllowedIsRejected", "0.0.0.0:7050", std::nullopt, "expected a host without a port"},
    {"NumericNameIsAMistypedAddress", "10.0.0.300", 1, "neither an IPv4 address nor a DNS name"},
    {"UnderscoreInNameIsRejected", "my_host:1", 1, "neither an IPv4 address nor a DNS name"},
    {"LabelStartingWithDashIsRejected", "-h.example.org", 1, "neither an IPv4 address nor a DNS name"},
    {"EmptyLabelIsRejected", "a..b", 1, "neither an IPv4 address nor a DNS name"},
    {"SchemeIsRejected", "http://h:1", 1, "not a valid IPv6 address"},
    {"UnclosedBracketIsRejected", "[::1:7053", 1, "'[' without ']'"},
    {"TextAfterBracketIsRejected", "[::1]7053", 1, "text after ']'"},
    {"Ipv4InBracketsIsRejected", "[127.0.0.1]:1", 1, "not a valid IPv6 address"},
    {"EmptyHostIsRejected", ":7050", 1, "neither an IPv4 address nor a DNS name"},
};

class BadAddressTest : public ::testing::TestWithParam<BadAddress> {};

TEST_P(BadAddressTest, IsRefused) {
  const BadAddress& c = GetParam();
  absl::StatusOr<HostPort> address = ParseListenAddress(c.text, c.default_port);
  ASSERT_EQ(address.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(address.status().message()), HasSubstr(c.message));
}

INSTANTIATE_TEST_SUITE_P(ListenAddress, BadAddressTest, ::testing::ValuesIn(kBadAddresses),
                         [](const ::testing::TestParamInfo<BadAddress>& info) { return info.param.name; });

TEST(ListenAddressTest, WildcardHostsAreTheAnyAddresses) {
  EXPECT_TRUE(IsWildcardHost("0.0.0.0"));
  EXPECT_TRUE(IsWildcardHost("::"));
  EXPECT_FALSE(IsWildcardHost("127.0.0.1"));
}

TEST(ListenAddressTest, LoopbackHostsAreLocalOnly) {
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("127.5.0.9"));
  EXPECT_TRUE(IsLoopbackHost("::1"));
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_FALSE(IsLoopbackHost("0.0.0.0"));
  EXPECT_FALSE(IsLoopbackHost("127.example.org"));
  EXPECT_FALSE(IsLoopbackHost("10.0.0.1"));
}

}  // namespace
}  // namespace careledger::nodeconfig
