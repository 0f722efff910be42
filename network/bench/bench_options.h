// What `careledger bench broadcast` is asked to do, and the parsing of the parts of its command line that
// are more than a number.
#ifndef CARELEDGER_NETWORK_BENCH_BENCH_OPTIONS_H_
#define CARELEDGER_NETWORK_BENCH_BENCH_OPTIONS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace careledger::bench {

// The largest payload or value a bench sends.
inline constexpr uint64_t kMaxPayloadBytes = 64 << 20;

// A process whose CPU and memory the bench samples, e.g. {"orderer0", 4242}.
struct NamedPid {
  std::string name;
  int pid = 0;

  friend bool operator==(const NamedPid&, const NamedPid&) = default;
};

struct BroadcastBenchOptions {
  std::vector<std::string> orderers;  // host:port of Broadcast endpoints; stream i uses orderers[i % n]
  std::string tls_ca_file;            // PEM: the CA that issued the orderers' TLS certificates
  std::string tls_cert_file;          // optional client certificate and key, for orderers requiring mutual TLS
  std::string tls_key_file;
  std::string server_name;            // optional TLS server name override (the certificate's DNS name)
  std::string msp_dir;                // the signing client identity's msp/ folder (e.g. a hospital user)
  std::string msp_id;
  std::string channel_id = "healthchannel";
  uint64_t payload_bytes = 1024;  // random bytes in each envelope's payload
  int streams = 8;                // concurrent Broadcast streams
  int in_flight = 64;             // envelopes sent but not yet acknowledged, per stream
  double warmup_seconds = 5;      // sent and counted as errors if they fail, but not measured
  double duration_seconds = 30;   // the measured window
  double drain_seconds = 10;      // after the window: how long to wait for acknowledgements and blocks
  bool deliver = false;           // also follow blocks (from orderers[0]) for broadcast-to-block latency
  std::vector<NamedPid> processes;  // sampled from /proc during the window
  uint64_t presign = 0;             // envelopes signed before the run; 0: chosen from streams x in_flight
  int sign_threads = 1;             // background signers refilling the pool during the run; 0: none
  double connect_timeout_seconds = 10;
  std::string json_file;            // optional: the report as JSON
};

// Parses "name=pid,name=pid" (e.g. "orderer0=4242,orderer1=4243"). InvalidArgument quoting the entry for an
// entry without '=', an empty name, a PID that is not a positive number, or a name given twice.
absl::StatusOr<std::vector<NamedPid>> ParsePidList(std::string_view text);

// The processes of a folder of PID files: every regular file "<name>.pid" directly in `dir` holds the decimal
// PID of process <name> (surrounding white space allowed), as launchers write them. Sorted by name.
// NotFound if `dir` does not exist; InvalidArgument naming the file if one does not hold a positive PID.
absl::StatusOr<std::vector<NamedPid>> ReadPidsDir(const std::string& dir);

// OK if `value` is a finite number of seconds, positive or (with allow_zero) zero; InvalidArgument naming
// `option` otherwise.
absl::Status CheckSeconds(double value, const char* option, bool allow_zero);

// InvalidArgument naming the first process name given twice.
absl::Status CheckProcessNamesDistinct(const std::vector<NamedPid>& processes);

// The number of envelopes to pre-sign when options.presign is 0: enough to fill every stream's window
// several times over, at least 20000, so that the background signers only top the pool up.
uint64_t DefaultPresignCount(const BroadcastBenchOptions& options);

// OK if the options describe a run that can start. InvalidArgument naming the option ("--streams must be at
// least 1") for: no orderer; an orderer that is not host:port; no --tls-ca, --msp-dir or --msp-id; only one
// of --tls-cert and --tls-key; an empty channel; a payload over 64 MiB; streams outside 1..1024; in-flight
// outside 1..100000; a negative or non-finite warmup, drain or connect timeout; a duration that is not
// positive; sign threads outside 0..64; a process name given twice. Files are not opened here.
absl::Status ValidateBroadcastBenchOptions(const BroadcastBenchOptions& options);

}  // namespace careledger::bench

#endif  // CARELEDGER_NETWORK_BENCH_BENCH_OPTIONS_H_
