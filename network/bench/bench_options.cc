#include "network/bench/bench_options.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/file/file_io.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "network/genesis/channel_from_consortium.h"

namespace careledger::bench {
namespace {

bool ParsePid(absl::string_view text, int* pid) {
  return absl::SimpleAtoi(absl::StripAsciiWhitespace(text), pid) && *pid > 0;
}

}  // namespace

absl::StatusOr<std::vector<NamedPid>> ParsePidList(std::string_view text) {
  std::vector<NamedPid> result;
  std::set<std::string> names;
  for (absl::string_view entry : absl::StrSplit(AsAbsl(text), ',', absl::SkipEmpty())) {
    const size_t eq = entry.find('=');
    NamedPid named;
    if (eq == absl::string_view::npos || eq == 0 || !ParsePid(entry.substr(eq + 1), &named.pid)) {
      return absl::InvalidArgumentError(
          absl::StrCat("process '", entry, "' is not name=pid with a positive PID (e.g. orderer0=4242)"));
    }
    named.name = std::string(entry.substr(0, eq));
    if (!names.insert(named.name).second) {
      return absl::InvalidArgumentError(absl::StrCat("process name '", named.name, "' is given twice"));
    }
    result.push_back(std::move(named));
  }
  return result;
}

absl::StatusOr<std::vector<NamedPid>> ReadPidsDir(const std::string& dir) {
  ASSIGN_OR_RETURN(std::vector<std::string> files, file::ListFiles(dir));
  std::vector<NamedPid> result;
  for (const std::string& name : files) {
    constexpr std::string_view kSuffix = ".pid";
    if (name.size() <= kSuffix.size() || !std::string_view(name).ends_with(kSuffix)) continue;
    const std::string path = dir + "/" + name;
    ASSIGN_OR_RETURN(std::string text, file::ReadFile(path, 64));
    NamedPid named;
    named.name = name.substr(0, name.size() - kSuffix.size());
    if (!ParsePid(text, &named.pid)) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": does not hold a positive process ID"));
    }
    result.push_back(std::move(named));
  }
  return result;  // ListFiles sorts by file name, hence by process name
}

absl::Status CheckSeconds(double value, const char* option, bool allow_zero) {
  if (!std::isfinite(value) || value < 0 || (!allow_zero && value == 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat(option, allow_zero ? " must be a number of seconds, at least 0" : " must be positive seconds"));
  }
  return absl::OkStatus();
}

absl::Status CheckProcessNamesDistinct(const std::vector<NamedPid>& processes) {
  std::set<std::string> names;
  for (const NamedPid& p : processes) {
    if (!names.insert(p.name).second) {
      return absl::InvalidArgumentError(absl::StrCat("process name '", p.name, "' is given twice (--pids, --pids-dir)"));
    }
  }
  return absl::OkStatus();
}

uint64_t DefaultPresignCount(const BroadcastBenchOptions& options) {
  const uint64_t window = static_cast<uint64_t>(std::max(options.streams, 1)) * std::max(options.in_flight, 1);
  return std::max<uint64_t>(20000, 8 * window);
}

absl::Status ValidateBroadcastBenchOptions(const BroadcastBenchOptions& options) {
  if (options.orderers.empty()) return absl::InvalidArgumentError("--orderer: at least one host:port is needed");
  for (const std::string& orderer : options.orderers) {
    auto split = network::SplitHostPort(orderer);
    if (!split.ok()) return Annotate(split.status(), "--orderer");
  }
  if (options.tls_ca_file.empty()) return absl::InvalidArgumentError("--tls-ca: the orderers' TLS CA is needed");
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key go together");
  }
  if (options.msp_dir.empty() || options.msp_id.empty()) {
    return absl::InvalidArgumentError("--msp-dir and --msp-id: the signing client identity is needed");
  }
  if (options.channel_id.empty()) return absl::InvalidArgumentError("--channel must not be empty");
  if (options.payload_bytes > kMaxPayloadBytes) {
    return absl::InvalidArgumentError(absl::StrCat("--size must be at most ", kMaxPayloadBytes, " bytes"));
  }
  if (options.streams < 1 || options.streams > 1024) {
    return absl::InvalidArgumentError("--streams must be in 1..1024");
  }
  if (options.in_flight < 1 || options.in_flight > 100000) {
    return absl::InvalidArgumentError("--in-flight must be in 1..100000");
  }
  RETURN_IF_ERROR(CheckSeconds(options.warmup_seconds, "--warmup", true));
  RETURN_IF_ERROR(CheckSeconds(options.duration_seconds, "--duration", false));
  RETURN_IF_ERROR(CheckSeconds(options.drain_seconds, "--drain", true));
  RETURN_IF_ERROR(CheckSeconds(options.connect_timeout_seconds, "--connect-timeout", false));
  if (options.sign_threads < 0 || options.sign_threads > 64) {
    return absl::InvalidArgumentError("--sign-threads must be in 0..64");
  }
  return CheckProcessNamesDistinct(options.processes);
}

}  // namespace careledger::bench
