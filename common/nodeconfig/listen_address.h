// Listen addresses in node configurations (orderer.yaml, core.yaml): "host", "host:port", "[ipv6]:port".
//
// Pure text checks (no name resolution, no sockets), so a typo is caught when the configuration is loaded
// rather than when a listener fails to bind. Thread-safe.
#ifndef CARELEDGER_COMMON_NODECONFIG_LISTEN_ADDRESS_H_
#define CARELEDGER_COMMON_NODECONFIG_LISTEN_ADDRESS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace careledger::nodeconfig {

// Where a listener binds. `host` is an IPv4 address, an IPv6 address without brackets, or a DNS name.
struct HostPort {
  std::string host;
  uint16_t port = 0;

  // "host:port", with brackets around an IPv6 host: "[::1]:7053". What gRPC and HTTP servers take.
  std::string ToString() const;

  friend bool operator==(const HostPort&, const HostPort&) = default;
};

// Parses "host", "host:port", "[ipv6]" or "[ipv6]:port"; a bare IPv6 address ("::", "fe80::1") is a host
// without a port. Without a port in the text the port is `default_port`, or 0 if that is nullopt: such a key
// takes its port from another key, and a port in its text is an error. InvalidArgument,
// without position (the caller adds the key), for an empty text, a malformed host, or a port that is not an
// integer in 1..65535.
absl::StatusOr<HostPort> ParseListenAddress(std::string_view text, std::optional<uint16_t> default_port);

// True for a host every interface answers ("0.0.0.0", "::"): it shares its ports with every other host.
bool IsWildcardHost(std::string_view host);

// True for a host that only this machine can reach: 127.0.0.0/8, "::1", "localhost".
bool IsLoopbackHost(std::string_view host);

}  // namespace careledger::nodeconfig

#endif  // CARELEDGER_COMMON_NODECONFIG_LISTEN_ADDRESS_H_
