#include "common/nodeconfig/listen_address.h"

#include <arpa/inet.h>

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/strings.h"

namespace careledger::nodeconfig {
namespace {

// Messages describe the problem without repeating the value: the caller points at the value itself
// (file:line:column or $VARIABLE), and the value is untrusted text.
constexpr char kExpected[] = "expected host, host:port or [IPv6 address]:port";

bool IsIpv4(std::string_view text) {
  const std::string copy(text);
  in_addr address;
  return inet_pton(AF_INET, copy.c_str(), &address) == 1;
}

bool IsIpv6(std::string_view text) {
  const std::string copy(text);
  in6_addr address;
  return inet_pton(AF_INET6, copy.c_str(), &address) == 1;
}

// RFC 1123 host names. A name whose last label is all digits is refused: no top-level domain is numeric,
// so "10.0.0.300" is a mistyped address, not a name.
bool IsDnsName(std::string_view text) {
  if (text.empty() || text.size() > 253) return false;
  std::string_view last_label;
  for (absl::string_view label : absl::StrSplit(AsAbsl(text), '.')) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    }
    last_label = AsStd(label);
  }
  return !std::all_of(last_label.begin(), last_label.end(),
                      [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); });
}

absl::StatusOr<uint16_t> ParsePort(std::string_view text) {
  constexpr char kBadPort[] = "the port must be an integer between 1 and 65535";
  const bool digits_only =
      std::all_of(text.begin(), text.end(), [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); });
  if (text.empty() || text.size() > 5 || !digits_only) return absl::InvalidArgumentError(kBadPort);
  int port = 0;
  for (char c : text) port = port * 10 + (c - '0');
  if (port < 1 || port > 65535) return absl::InvalidArgumentError(kBadPort);
  return static_cast<uint16_t>(port);
}

}  // namespace

std::string HostPort::ToString() const {
  if (host.find(':') != std::string::npos) return absl::StrCat("[", host, "]:", port);
  return absl::StrCat(host, ":", port);
}

absl::StatusOr<HostPort> ParseListenAddress(std::string_view text, std::optional<uint16_t> default_port) {
  if (text.empty()) return absl::InvalidArgumentError(absl::StrCat("empty address; ", kExpected));

  std::string_view host;
  std::optional<std::string_view> port_text;
  bool must_be_ipv6 = false;
  if (text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("'[' without ']'; ", kExpected));
    }
    host = text.substr(1, close - 1);
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return absl::InvalidArgumentError(absl::StrCat("text after ']'; ", kExpected));
      port_text = rest.substr(1);
    }
    must_be_ipv6 = true;
  } else if (const size_t colons = std::count(text.begin(), text.end(), ':'); colons > 1) {
    host = text;  // a bare IPv6 address has no port
    must_be_ipv6 = true;
  } else if (colons == 1) {
    const size_t colon = text.find(':');
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  } else {
    host = text;
  }

  const bool host_ok = must_be_ipv6 ? IsIpv6(host) : (IsIpv4(host) || IsDnsName(host));
  if (!host_ok) {
    return absl::InvalidArgumentError(must_be_ipv6 ? "not a valid IPv6 address"
                                                   : "the host is neither an IPv4 address nor a DNS name");
  }

  HostPort result{std::string(host), 0};
  if (port_text.has_value()) {
    if (!default_port.has_value()) {
      return absl::InvalidArgumentError("expected a host without a port");
    }
    auto port = ParsePort(*port_text);
    if (!port.ok()) return port.status();
    result.port = *port;
  } else {
    result.port = default_port.value_or(0);
  }
  return result;
}

bool IsWildcardHost(std::string_view host) { return host == "0.0.0.0" || host == "::"; }

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost" || host == "::1") return true;
  return IsIpv4(host) && host.substr(0, 4) == "127.";
}

}  // namespace careledger::nodeconfig
