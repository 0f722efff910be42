#include "common/nodeconfig/section_readers.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/strings.h"

namespace careledger::nodeconfig {

absl::StatusOr<HostPort> ReadListenAddress(const config::ConfigNode& node, std::string_view key,
                                           std::string_view fallback, std::optional<uint16_t> default_port,
                                           std::string_view port_hint) {
  ASSIGN_OR_RETURN(std::string text, node.GetStringOr(key, fallback));
  absl::StatusOr<HostPort> address = ParseListenAddress(text, default_port);
  if (!address.ok()) return node.InvalidValueError(key, absl::StrCat(address.status().message(), AsAbsl(port_hint)));
  return address;
}

absl::StatusOr<uint16_t> ReadPort(const config::ConfigNode& node, std::string_view key, uint16_t default_port) {
  ASSIGN_OR_RETURN(int64_t port, node.GetIntOr(key, default_port, {.min = 1, .max = 65535}));
  return static_cast<uint16_t>(port);
}

absl::StatusOr<KeepaliveConfig> ReadKeepalive(const config::ConfigNode& node, const KeepaliveKeyNames& names,
                                              const KeepaliveConfig& defaults) {
  KeepaliveConfig keepalive;
  ASSIGN_OR_RETURN(keepalive.server_min_interval,
                   node.GetDurationOr(names.server_min_interval, defaults.server_min_interval, kPositiveDuration));
  ASSIGN_OR_RETURN(keepalive.server_interval,
                   node.GetDurationOr(names.server_interval, defaults.server_interval, kPositiveDuration));
  ASSIGN_OR_RETURN(keepalive.server_timeout,
                   node.GetDurationOr(names.server_timeout, defaults.server_timeout, kPositiveDuration));
  return keepalive;
}

absl::StatusOr<LoggingConfig> ReadLogging(const config::ConfigNode& node, std::string_view key,
                                          std::string_view fallback) {
  LoggingConfig logging;
  ASSIGN_OR_RETURN(logging.spec, node.GetStringOr(key, fallback));
  absl::StatusOr<logging::LogSpec> spec = logging::LogSpec::Parse(logging.spec);
  if (!spec.ok()) return node.InvalidValueError(key, AsStd(spec.status().message()));
  logging.log_spec = *std::move(spec);
  return logging;
}

}  // namespace careledger::nodeconfig
