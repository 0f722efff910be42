#include "network/bench/gateway_report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "nlohmann/json.hpp"

namespace careledger::bench {
namespace {

std::string Row(const std::string& label, const std::string& value) {
  return absl::StrFormat("  %-30s %s\n", label, value);
}

double Round1(double value) { return static_cast<double>(static_cast<int64_t>(value * 10 + (value >= 0 ? 0.5 : -0.5))) / 10; }

nlohmann::json LatencyJson(const GatewayReport& r) {
  if (r.latency.count == 0) {
    return {{"p50", nullptr}, {"p95", nullptr}, {"p99", nullptr}, {"max", nullptr}, {"mean", nullptr}};
  }
  return {{"p50", r.latency.p50_ms}, {"p95", r.latency.p95_ms}, {"p99", r.latency.p99_ms},
          {"max", r.latency.max_ms}, {"mean", Round1(r.latency_mean_ms)}};
}

}  // namespace

std::string FormatGatewayReport(const GatewayReport& r) {
  std::string out = absl::StrFormat("Gateway bench: %s(key, %d-byte value) on %s/%s, %s keys, %d in flight, via %s\n\n",
                                    r.function, r.value_bytes, r.channel, r.chaincode,
                                    r.keys == 0 ? "unique" : absl::StrCat(r.keys, " hot"), r.concurrency,
                                    absl::StrJoin(r.endpoints, ", "));
  absl::StrAppend(&out, Row("measured window", absl::StrFormat("%.1f s after %.1f s warm-up", r.window_seconds,
                                                               r.warmup_seconds)));
  absl::StrAppend(&out, Row("committed VALID in window", absl::StrCat(r.committed_valid)));
  absl::StrAppend(&out, Row("throughput", absl::StrFormat("%.1f tx/s", r.tps)));
  if (r.bound.has_value() && r.bound->tx_per_second > 0) {
    absl::StrAppend(&out, Row("signature bound B", absl::StrFormat(
                                                       "%.0f tx/s (V %.0f/s, S %.0f/s, %d cores): tps/B = %.1f %%",
                                                       r.bound->tx_per_second, r.bound->verify_per_second,
                                                       r.bound->sign_per_second, r.bound->cores,
                                                       100 * r.tps / r.bound->tx_per_second)));
  }
  absl::StrAppend(&out, Row("latency (ms)", r.latency.count == 0
                                                 ? "no samples"
                                                 : absl::StrFormat("p50 %.0f  p95 %.0f  p99 %.0f  max %.0f  mean %.1f",
                                                                   r.latency.p50_ms, r.latency.p95_ms, r.latency.p99_ms,
                                                                   r.latency.max_ms, r.latency_mean_ms)));
  absl::StrAppend(&out, Row("failures in window", absl::StrCat(r.failures_in_window)));
  for (const auto& [kind, count] : r.failures_by_type) {
    const auto example = r.failure_examples.find(kind);
    absl::StrAppend(&out, Row(absl::StrCat("  ", kind), absl::StrCat(count, example == r.failure_examples.end()
                                                                                 ? ""
                                                                                 : absl::StrCat(" (", example->second, ")"))));
  }
  absl::StrAppend(&out, Row("whole run ok / failed", absl::StrCat(r.total_ok, " / ", r.total_failed)));
  absl::StrAppend(&out, Row("drain", r.drained ? "every transaction finished" : "timed out"));
  if (r.acknowledged_without_status > 0) {
    absl::StrAppend(&out, Row("acknowledged, no commit status", absl::StrCat(r.acknowledged_without_status)));
  }
  absl::StrAppend(&out, Row("host", absl::StrFormat("%d cpus, %.1f GiB, busy %s of all cores", r.host_cpus,
                                                    r.host_mem_gib,
                                                    r.host_busy_percent ? absl::StrFormat("%.1f %%", *r.host_busy_percent)
                                                                        : std::string("unknown"))));
  for (const ProcessUsage& p : r.processes) {
    absl::StrAppend(&out, absl::StrFormat("    %-14s pid %-8d avg CPU %6.1f %%  peak CPU %6.1f %%  peak RSS %7.1f MB%s\n",
                                          p.name, p.pid, p.cpu_avg_percent, p.cpu_peak_percent,
                                          static_cast<double>(p.rss_peak_bytes) / (1 << 20),
                                          p.exited ? "  (exited)" : ""));
  }
  return out;
}

std::string GatewayReportToJson(const GatewayReport& r) {
  nlohmann::json processes = nlohmann::json::array();
  for (const ProcessUsage& p : r.processes) {
    processes.push_back({{"name", p.name},
                         {"pid", p.pid},
                         {"avgCpuPct", Round1(p.cpu_avg_percent)},
                         {"peakCpuPct", Round1(p.cpu_peak_percent)},
                         {"peakRssMB", Round1(static_cast<double>(p.rss_peak_bytes) / (1 << 20))},
                         {"exited", p.exited}});
  }
  nlohmann::json json = {
      {"label", r.label},
      {"endpoint", r.endpoints.empty() ? std::string() : r.endpoints.front()},
      {"endpoints", r.endpoints},
      {"channel", r.channel},
      {"chaincode", r.chaincode},
      {"fn", r.function},
      {"keys", r.keys == 0 ? nlohmann::json("unique") : nlohmann::json(r.keys)},
      {"valueBytes", r.value_bytes},
      {"concurrency", r.concurrency},
      {"warmupS", r.warmup_seconds},
      {"windowS", r.window_seconds},
      {"committedValid", r.committed_valid},
      {"tps", Round1(r.tps)},
      {"latencyMs", LatencyJson(r)},
      {"failuresInWindow", r.failures_in_window},
      {"failuresByType", r.failures_by_type},
      {"failureExamples", r.failure_examples},
      {"totals", {{"ok", r.total_ok}, {"failed", r.total_failed}}},
      {"drain", r.drained ? "ok" : "timeout"},
      {"acknowledgedWithoutStatus", r.acknowledged_without_status},
      {"perSecondCommits", r.per_second_commits},
      {"processes", processes},
      {"host",
       {{"cpus", r.host_cpus},
        {"memGiB", Round1(r.host_mem_gib)},
        {"busyPctAllCores", r.host_busy_percent ? nlohmann::json(Round1(*r.host_busy_percent)) : nlohmann::json()}}},
  };
  if (r.bound.has_value()) {
    json["signatureBound"] = {{"verifyPerSecond", Round1(r.bound->verify_per_second)},
                              {"signPerSecond", Round1(r.bound->sign_per_second)},
                              {"cores", r.bound->cores},
                              {"verifications", kVerificationsPerTransaction},
                              {"signatures", kSignaturesPerTransaction},
                              {"txPerSecond", Round1(r.bound->tx_per_second)}};
    json["tpsOverBound"] = r.bound->tx_per_second > 0 ? nlohmann::json(r.tps / r.bound->tx_per_second) : nlohmann::json();
  }
  return json.dump(2) + "\n";
}

}  // namespace careledger::bench
