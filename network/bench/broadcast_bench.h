// `careledger bench broadcast`: a closed-loop load generator against a running ordering service.
//
//   1. checks the options, loads the client's signing identity and the TLS CA, and connects to every orderer;
//   2. signs a pool of envelopes (envelope_supply.h), so that signing does not limit the measurement;
//   3. with --deliver, opens a Deliver stream from the newest block and waits for that block;
//   4. runs `streams` Broadcast streams (broadcast_stream.h), each keeping `in_flight` envelopes unanswered,
//      stream i on orderers[i % n]; warm-up, then the measured window, sampling the given processes
//      (proc_stats.h) and printing a progress line every second;
//   5. stops sending, waits up to the drain time for the last answers and, with --deliver, for every
//      acknowledged envelope to show up in a block, then cancels what is left;
//   6. returns the report (bench_report.h).
// Every failure is counted by kind in the report; only setup problems are errors of the run.
#ifndef CARELEDGER_NETWORK_BENCH_BROADCAST_BENCH_H_
#define CARELEDGER_NETWORK_BENCH_BROADCAST_BENCH_H_

#include <ostream>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "network/bench/bench_options.h"
#include "network/bench/bench_report.h"

namespace careledger::bench {

// Runs the bench described above, writing progress lines to `progress` (may be null). Errors:
// InvalidArgument from ValidateBroadcastBenchOptions or for a TLS file that holds no PEM certificate or key;
// NotFound for missing files; the MSP loader's errors for the signing identity; Unavailable "cannot connect
// to orderer <address> within N s" (wrong address, TLS CA or server name); the Deliver stream's failure to
// deliver the newest block (FailedPrecondition with the orderer's status, Unavailable, DeadlineExceeded);
// Internal if signing fails.
absl::StatusOr<BroadcastReport> RunBroadcastBench(const BroadcastBenchOptions& options, std::ostream* progress);

// OK if a finished run measured something: FailedPrecondition "no envelope was acknowledged in the measured
// window" otherwise (every envelope failed, or the orderers never answered), so that the command exits
// non-zero after printing the report.
absl::Status CheckRunMeasured(const BroadcastReport& report);

}  // namespace careledger::bench

#endif  // CARELEDGER_NETWORK_BENCH_BROADCAST_BENCH_H_
