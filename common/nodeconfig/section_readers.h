// Readers of the values every node's configuration has, so that the orderer's and the peer's files accept the
// same spellings and fail with the same messages: listen addresses, ports, gRPC server keepalive, the log
// spec. Each reads through common/config (position-aware errors, environment overrides, effective values).
//
// Thread-safety and ownership: as config::ConfigNode (one thread; the document outlives the nodes).
#ifndef CARELEDGER_COMMON_NODECONFIG_SECTION_READERS_H_
#define CARELEDGER_COMMON_NODECONFIG_SECTION_READERS_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/config/config_node.h"
#include "common/config/scalars.h"
#include "common/nodeconfig/listen_address.h"
#include "common/nodeconfig/node_settings.h"

namespace careledger::nodeconfig {

// gRPC message size limits (MaxRecvMsgSize, ...): gRPC takes them as int, and less than 1 KiB is a typo.
inline constexpr config::ByteSizeRange kGrpcMessageSizeRange{.min = 1024, .max = std::numeric_limits<int32_t>::max()};
// Timeouts and intervals: zero would mean "never wait" or "spin", never what an operator wants.
inline constexpr config::DurationRange kPositiveDuration{.min = absl::Nanoseconds(1)};

// `key` of `node` (default `fallback`) as a listen address: ParseListenAddress(text, default_port).
// InvalidArgument naming the key, its message ending with `port_hint` when the text is refused ("; the port
// is General.ListenPort" for a host-only key whose port is another key).
absl::StatusOr<HostPort> ReadListenAddress(const config::ConfigNode& node, std::string_view key,
                                           std::string_view fallback, std::optional<uint16_t> default_port,
                                           std::string_view port_hint);

// `key` of `node` as a TCP port, 1..65535.
absl::StatusOr<uint16_t> ReadPort(const config::ConfigNode& node, std::string_view key, uint16_t default_port);

// How one file spells the keys of a gRPC server's keepalive (plain keys of one mapping).
struct KeepaliveKeyNames {
  std::string_view server_min_interval;
  std::string_view server_interval;
  std::string_view server_timeout;
};

// The keepalive settings of `node`, each a positive duration, absent keys taking `defaults`.
absl::StatusOr<KeepaliveConfig> ReadKeepalive(const config::ConfigNode& node, const KeepaliveKeyNames& names,
                                              const KeepaliveConfig& defaults = {});

// The log spec `key` of `node` (default `fallback`), as written and parsed (common/logging/log_spec.h).
// InvalidArgument naming the key for a malformed spec.
absl::StatusOr<LoggingConfig> ReadLogging(const config::ConfigNode& node, std::string_view key,
                                          std::string_view fallback = "info");

}  // namespace careledger::nodeconfig

#endif  // CARELEDGER_COMMON_NODECONFIG_SECTION_READERS_H_
