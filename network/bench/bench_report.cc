#include "network/bench/bench_report.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "nlohmann/json.hpp"

namespace careledger::bench {
namespace {

std::string Row(const std::string& label, const std::string& value) {
  return absl::StrFormat("  %-34s %s\n", label, value);
}

std::string Latency(const LatencySummary& s) {
  if (s.count == 0) return "no samples";
  return absl::StrFormat("p50 %.2f  p95 %.2f  p99 %.2f  max %.2f  (%d samples)", s.p50_ms, s.p95_ms, s.p99_ms,
                         s.max_ms, s.count);
}

nlohmann::json LatencyJson(const LatencySummary& s) {
  return {{"count", s.count}, {"p50", s.p50_ms}, {"p95", s.p95_ms}, {"p99", s.p99_ms}, {"max", s.max_ms}};
}

}  // namespace

std::string FormatReportTable(const BroadcastReport& r) {
  std::string out = absl::StrFormat(
      "Broadcast bench: %d stream(s) x %d in flight, %d-byte payloads, channel %s, orderer(s) %s\n", r.streams,
      r.in_flight, r.payload_bytes, r.channel, absl::StrJoin(r.orderers, ", "));
  absl::StrAppend(&out, absl::StrFormat("Envelopes: %d pre-signed before the run, %d signed during it; senders waited "
                                        "%.3f s for signatures\n\n",
                                        r.presigned, r.signed_during_run, r.signer_wait_seconds));
  absl::StrAppend(&out, Row("measured window", absl::StrFormat("%.2f s after %.2f s warm-up", r.duration_seconds,
                                                               r.warmup_seconds)));
  absl::StrAppend(&out, Row("sent / acknowledged (whole run)", absl::StrCat(r.sent, " / ", r.acknowledged)));
  absl::StrAppend(&out, Row("acknowledged in window", absl::StrCat(r.acknowledged_in_window)));
  absl::StrAppend(&out, Row("throughput", absl::StrFormat("%.1f envelopes/s acknowledged", r.acknowledged_per_second)));
  absl::StrAppend(&out, Row("broadcast-ack latency (ms)", Latency(r.broadcast_latency)));
  if (r.deliver) {
    absl::StrAppend(&out, Row("broadcast-to-block latency (ms)", Latency(r.block_latency)));
    absl::StrAppend(&out, Row("blocks / envelopes delivered", absl::StrCat(r.blocks, " / ", r.delivered)));
    absl::StrAppend(&out, Row("acknowledged but not delivered", absl::StrCat(r.acknowledged_not_delivered)));
    if (r.delivered_despite_error > 0) {
      absl::StrAppend(&out, Row("delivered despite a failed answer", absl::StrCat(r.delivered_despite_error)));
    }
  }
  absl::StrAppend(&out, Row("stream reconnects", absl::StrCat(r.reconnects)));
  absl::StrAppend(&out, Row("errors", absl::StrCat(r.errors_total)));
  for (const auto& [kind, count] : r.errors) absl::StrAppend(&out, Row("  " + kind, absl::StrCat(count)));
  if (r.host_cpu_busy_percent.has_value()) {
    absl::StrAppend(&out, Row("host CPU busy", absl::StrFormat("%.1f %%", *r.host_cpu_busy_percent)));
  }
  if (!r.processes.empty()) {
    size_t width = 7;
    for (const ProcessUsage& p : r.processes) width = std::max(width, p.name.size());
    absl::StrAppend(&out, "\n", absl::StrFormat("  %-*s %8s %10s %11s %13s\n", width, "process", "pid", "CPU avg %",
                                                "CPU peak %", "peak RSS MiB"));
    for (const ProcessUsage& p : r.processes) {
      absl::StrAppend(&out, absl::StrFormat("  %-*s %8d %10.1f %11.1f %13.1f%s\n", width, p.name, p.pid,
                                            p.cpu_avg_percent, p.cpu_peak_percent,
                                            static_cast<double>(p.rss_peak_bytes) / (1 << 20),
                                            p.exited ? "  (exited during the run)" : ""));
    }
  }
  return out;
}

std::string ReportToJson(const BroadcastReport& r) {
  nlohmann::json processes = nlohmann::json::array();
  for (const ProcessUsage& p : r.processes) {
    processes.push_back({{"name", p.name},
                         {"pid", p.pid},
                         {"cpu_avg_percent", p.cpu_avg_percent},
                         {"cpu_peak_percent", p.cpu_peak_percent},
                         {"rss_peak_bytes", p.rss_peak_bytes},
                         {"exited", p.exited}});
  }
  nlohmann::json errors = nlohmann::json::object();
  for (const auto& [kind, count] : r.errors) errors[kind] = count;
  nlohmann::json doc = {
      {"orderers", r.orderers},
      {"channel", r.channel},
      {"payload_bytes", r.payload_bytes},
      {"streams", r.streams},
      {"in_flight", r.in_flight},
      {"warmup_seconds", r.warmup_seconds},
      {"duration_seconds", r.duration_seconds},
      {"deliver", r.deliver},
      {"presigned", r.presigned},
      {"signed_during_run", r.signed_during_run},
      {"signer_wait_seconds", r.signer_wait_seconds},
      {"sent", r.sent},
      {"acknowledged", r.acknowledged},
      {"acknowledged_in_window", r.acknowledged_in_window},
      {"acknowledged_per_second", r.acknowledged_per_second},
      {"reconnects", r.reconnects},
      {"broadcast_latency_ms", LatencyJson(r.broadcast_latency)},
      {"blocks", r.blocks},
      {"delivered", r.delivered},
      {"block_latency_ms", LatencyJson(r.block_latency)},
      {"acknowledged_not_delivered", r.acknowledged_not_delivered},
      {"delivered_despite_error", r.delivered_despite_error},
      {"errors", errors},
      {"errors_total", r.errors_total},
      {"processes", processes},
      {"host_cpu_busy_percent",
       r.host_cpu_busy_percent.has_value() ? nlohmann::json(*r.host_cpu_busy_percent) : nlohmann::json()},
  };
  return doc.dump(2) + "\n";
}

}  // namespace careledger::bench
