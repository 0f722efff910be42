// `careledger bench gateway`: closed-loop load through Fabric Gateway endpoints, as the shared load.js
// (../shared/bench) drives the official Node client, measured the same way, so its figures compare with
// Fabric's and with load.js's against CareLedger:
//
//   1. checks the options, loads the client identity (an MSP folder, or a certificate and key) and the TLS CA;
//   2. measures the signature bound B of this machine (signature_bound.h) — before the load, on idle cores;
//   3. runs GatewayLoad (gateway_load.h): warm-up, then the measured window, sampling the given processes and
//      the tool itself from /proc and printing a progress line every second;
//   4. stops starting transactions and waits up to the drain time for those in flight, then cancels the rest;
//   5. returns the report (gateway_report.h).
// A transaction counts in the window when its commit status arrives inside it; its latency runs from the
// start of its proposal to its commit status. Failures are counted by kind; only setup problems are errors.
#ifndef CARELEDGER_NETWORK_BENCH_GATEWAY_BENCH_H_
#define CARELEDGER_NETWORK_BENCH_GATEWAY_BENCH_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "network/bench/bench_options.h"
#include "network/bench/gateway_report.h"

namespace careledger::bench {

struct GatewayBenchOptions {
  std::vector<std::string> gateways;  // host:port; the in-flight transactions are spread over them
  std::string tls_ca_file;            // PEM: the CA of the peers' TLS certificates; empty: plaintext
  std::string server_name;            // TLS server name to expect (the certificate's DNS name)
  // The client identity: an MSP folder, or a certificate and key (as load.js's GW_CERT and GW_KEY).
  std::string msp_dir;
  std::string cert_file;
  std::string key_file;
  std::string msp_id;
  std::string channel_id = "healthchannel";
  std::string chaincode = "bench";
  std::string function = "put";
  uint64_t keys = 0;  // 0: a unique key per transaction; N: N hot keys
  uint64_t value_bytes = 100;
  int in_flight = 256;
  int threads = 2;  // the tool's polling threads
  double warmup_seconds = 10;
  double duration_seconds = 60;
  double drain_seconds = 30;
  double bound_seconds = 1;  // per operation, measuring the signature bound; 0: not measured
  std::vector<NamedPid> processes;  // sampled from /proc during the window, with the tool itself
  std::string label;
  std::string json_file;  // optional: the report as JSON
};

// OK if the options describe a run that can start. InvalidArgument naming the option for: no gateway; a
// gateway that is not host:port; --server-name without --tls-ca; neither --msp-dir nor --cert/--key, or both;
// only one of --cert and --key; no --msp-id; an empty channel, chaincode or function; a value over 64 MiB;
// in-flight outside 1..100000; threads outside 1..64 or above in-flight; a negative or non-finite warm-up,
// drain or bound time; a duration that is not positive; a process name given twice. Files are not read.
absl::Status ValidateGatewayBenchOptions(const GatewayBenchOptions& options);

// Runs the bench, writing progress lines to `progress` (may be null). Errors: ValidateGatewayBenchOptions's;
// NotFound or InvalidArgument for the identity's and TLS CA's files; GatewayLoad::Create's.
absl::StatusOr<GatewayReport> RunGatewayBench(const GatewayBenchOptions& options, std::ostream* progress);

// OK if the run committed at least one transaction in the window; FailedPrecondition otherwise, so that the
// command exits non-zero after printing the report.
absl::Status CheckGatewayRunMeasured(const GatewayReport& report);

}  // namespace careledger::bench

#endif  // CARELEDGER_NETWORK_BENCH_GATEWAY_BENCH_H_
