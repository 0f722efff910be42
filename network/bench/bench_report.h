// The result of a broadcast bench run, as a table for people and as JSON for scripts. Both carry the same
// fields; the JSON names are listed at ReportToJson.
#ifndef CARELEDGER_NETWORK_BENCH_BENCH_REPORT_H_
#define CARELEDGER_NETWORK_BENCH_BENCH_REPORT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "network/bench/latency_stats.h"
#include "network/bench/proc_stats.h"

namespace careledger::bench {

// Error kinds (keys of BroadcastReport::errors); "<...>" stands for a status or gRPC code name.
//   broadcast_status:<STATUS>     the orderer answered an envelope with a status other than SUCCESS
//   broadcast_stream:<CODE>       a Broadcast stream failed (then it is reopened)
//   broadcast_stream_closed       the orderer ended a Broadcast stream while the bench was still sending
//   no_response                   an envelope never got an answer (its stream failed, or the drain expired)
//   unexpected_response           an answer with no envelope waiting for it
//   deliver_status:<STATUS>       the Deliver stream ended with a status (then it is reopened)
//   deliver_stream:<CODE>         the Deliver stream failed (then it is reopened)
//   acknowledged_not_delivered    acknowledged SUCCESS, but not in any block by the end of the drain
//   delivered_twice               one of the bench's envelopes appeared in a second block
//   malformed_block_entry         a block entry that does not parse down to its channel header
struct BroadcastReport {
  // What was asked.
  std::vector<std::string> orderers;
  std::string channel;
  uint64_t payload_bytes = 0;
  int streams = 0;
  int in_flight = 0;
  double warmup_seconds = 0;
  double duration_seconds = 0;  // as measured between the window's first and last sample
  bool deliver = false;

  // Envelope supply.
  uint64_t presigned = 0;
  uint64_t signed_during_run = 0;
  double signer_wait_seconds = 0;  // senders waiting for a signed envelope (non-zero: the tool was the limit)

  // Broadcast.
  uint64_t sent = 0;                    // whole run, warm-up and drain included
  uint64_t acknowledged = 0;            // SUCCESS answers, whole run
  uint64_t acknowledged_in_window = 0;  // SUCCESS answers received inside the window
  double acknowledged_per_second = 0;   // acknowledged_in_window / duration_seconds
  LatencySummary broadcast_latency;     // send -> SUCCESS answer, envelopes sent inside the window
  uint64_t reconnects = 0;              // Broadcast and Deliver streams reopened after a failure

  // Deliver (with deliver only).
  uint64_t blocks = 0;
  uint64_t delivered = 0;
  LatencySummary block_latency;  // send -> arrival of its block, envelopes sent inside the window
  uint64_t acknowledged_not_delivered = 0;
  uint64_t delivered_despite_error = 0;  // not an error: an unacknowledged envelope may still be ordered

  std::map<std::string, uint64_t> errors;  // by kind, see above
  uint64_t errors_total = 0;

  std::vector<ProcessUsage> processes;
  std::optional<double> host_cpu_busy_percent;
};

// The report as an aligned table, several lines.
std::string FormatReportTable(const BroadcastReport& report);

// The report as a JSON object (pretty-printed), with these fields:
//   orderers [string], channel, payload_bytes, streams, in_flight, warmup_seconds, duration_seconds, deliver,
//   presigned, signed_during_run, signer_wait_seconds,
//   sent, acknowledged, acknowledged_in_window, acknowledged_per_second, reconnects,
//   broadcast_latency_ms {count, p50, p95, p99, max},
//   blocks, delivered, block_latency_ms {count, p50, p95, p99, max}, acknowledged_not_delivered,
//   delivered_despite_error,
//   errors {kind: count}, errors_total,
//   processes [{name, pid, cpu_avg_percent, cpu_peak_percent, rss_peak_bytes, exited}],
//   host_cpu_busy_percent (null when it could not be sampled)
std::string ReportToJson(const BroadcastReport& report);

}  // namespace careledger::bench

#endif  // CARELEDGER_NETWORK_BENCH_BENCH_REPORT_H_
