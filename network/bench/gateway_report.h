// The result of a gateway bench run, as a table for people and as JSON with the fields load.js writes
// (../shared/bench/load.js), so that scripts read either tool's output alike; CareLedger's additions are
// the signature bound and the share of it reached.
#ifndef CARELEDGER_NETWORK_BENCH_GATEWAY_REPORT_H_
#define CARELEDGER_NETWORK_BENCH_GATEWAY_REPORT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "network/bench/latency_stats.h"
#include "network/bench/proc_stats.h"
#include "network/bench/signature_bound.h"

namespace careledger::bench {

struct GatewayReport {
  // What was asked.
  std::string label;
  std::vector<std::string> endpoints;
  std::string channel;
  std::string chaincode;
  std::string function;
  uint64_t keys = 0;  // 0: unique
  uint64_t value_bytes = 0;
  int concurrency = 0;
  double warmup_seconds = 0;
  double window_seconds = 0;

  // What happened.
  uint64_t committed_valid = 0;       // VALID commit statuses inside the window
  double tps = 0;                     // committed_valid / window_seconds
  LatencySummary latency;             // of those, proposal start -> commit status
  double latency_mean_ms = 0;
  uint64_t failures_in_window = 0;
  std::map<std::string, uint64_t> failures_by_type;  // inside the window; kinds as gateway_load.h names them
  std::map<std::string, std::string> failure_examples;  // a message per kind, whole run
  uint64_t total_ok = 0;      // whole run
  uint64_t total_failed = 0;
  bool drained = false;       // every transaction finished within the drain time
  int64_t acknowledged_without_status = 0;  // acknowledged, no commit status by the end of the drain
  std::vector<uint64_t> per_second_commits;  // VALID commits in each second of the window

  std::vector<ProcessUsage> processes;  // the sampled processes, then "load-client" (this tool)
  int host_cpus = 0;
  double host_mem_gib = 0;
  std::optional<double> host_busy_percent;  // of all cores, over the window

  std::optional<SignatureBound> bound;  // measured before the load
};

// The report as an aligned table, several lines.
std::string FormatGatewayReport(const GatewayReport& report);

// The report as load.js's JSON summary (pretty-printed):
//   label, endpoint (the first; "endpoints" lists all), channel, chaincode, fn, keys ("unique" or N),
//   valueBytes, concurrency, warmupS, windowS, committedValid, tps, latencyMs {p50, p95, p99, max, mean}
//   (null without samples), failuresInWindow, failuresByType {kind: n}, failureExamples {kind: message},
//   totals {ok, failed}, drain ("ok" | "timeout"), acknowledgedWithoutStatus, perSecondCommits [n],
//   processes [{name, pid, avgCpuPct, peakCpuPct, peakRssMB, exited}],
//   host {cpus, memGiB, busyPctAllCores},
// and, when measured, signatureBound {verifyPerSecond, signPerSecond, cores, verifications, signatures,
// txPerSecond} and tpsOverBound.
std::string GatewayReportToJson(const GatewayReport& report);

}  // namespace careledger::bench

#endif  // CARELEDGER_NETWORK_BENCH_GATEWAY_REPORT_H_
