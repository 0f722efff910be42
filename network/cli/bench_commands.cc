// careledger bench broadcast|gateway: closed-loop load against a running ordering service or a network's
// Gateway endpoints (network/bench/).
#include <iostream>

#include "absl/strings/str_cat.h"
#include "common/file/file_io.h"
#include "common/status_macros.h"
#include "network/bench/bench_options.h"
#include "network/bench/bench_report.h"
#include "network/bench/broadcast_bench.h"
#include "network/bench/gateway_bench.h"
#include "network/cli/command.h"

namespace careledger::cli {
namespace {

// Where a bench's sampled processes come from: --pids and --pids-dir.
struct ProcessFlags {
  std::string pids;
  std::string pids_dir;

  absl::Status AppendTo(std::vector<bench::NamedPid>& processes) const {
    if (!pids.empty()) {
      auto parsed = bench::ParsePidList(pids);
      if (!parsed.ok()) return Annotate(parsed.status(), "--pids");
      processes.insert(processes.end(), parsed->begin(), parsed->end());
    }
    if (!pids_dir.empty()) {
      auto read = bench::ReadPidsDir(pids_dir);
      if (!read.ok()) return Annotate(read.status(), "--pids-dir");
      processes.insert(processes.end(), read->begin(), read->end());
    }
    return absl::OkStatus();
  }

  void AddTo(CLI::App& command) {
    command.add_option("--pids", pids, "processes to sample, name=pid,name=pid");
    command.add_option("--pids-dir", pids_dir, "folder of <name>.pid files of processes to sample");
  }
};

struct BenchFlags {
  bench::BroadcastBenchOptions options;
  ProcessFlags processes;
};

struct GatewayBenchFlags {
  bench::GatewayBenchOptions options;
  ProcessFlags processes;
};

absl::Status WriteJson(const std::string& path, const std::string& json) {
  if (path.empty()) return absl::OkStatus();
  RETURN_IF_ERROR(file::WriteFileAtomic(path, json));
  std::cout << "\nReport written to " << path << "\n";
  return absl::OkStatus();
}

absl::Status RunBroadcast(BenchFlags& flags) {
  bench::BroadcastBenchOptions& options = flags.options;
  RETURN_IF_ERROR(flags.processes.AppendTo(options.processes));
  ASSIGN_OR_RETURN(bench::BroadcastReport report, bench::RunBroadcastBench(options, &std::cout));
  std::cout << "\n" << bench::FormatReportTable(report);
  RETURN_IF_ERROR(WriteJson(options.json_file, bench::ReportToJson(report)));
  return bench::CheckRunMeasured(report);
}

absl::Status RunGateway(GatewayBenchFlags& flags) {
  bench::GatewayBenchOptions& options = flags.options;
  RETURN_IF_ERROR(flags.processes.AppendTo(options.processes));
  ASSIGN_OR_RETURN(bench::GatewayReport report, bench::RunGatewayBench(options, &std::cout));
  std::cout << "\n" << bench::FormatGatewayReport(report);
  RETURN_IF_ERROR(WriteJson(options.json_file, bench::GatewayReportToJson(report)));
  return bench::CheckGatewayRunMeasured(report);
}

void RegisterGatewayBench(CLI::App& bench, CommandResult& result) {
  auto flags = std::make_shared<GatewayBenchFlags>();
  bench::GatewayBenchOptions& o = flags->options;
  CLI::App* gateway = bench.add_subcommand(
      "gateway", "Closed-loop transactions through Fabric Gateway endpoints (Endorse, Submit, CommitStatus), as "
                 "load.js runs the official client: committed tx/s, latency, failures by kind, CPU and memory of "
                 "given processes, and the signature bound of this machine");
  gateway->add_option("--gateway", o.gateways, "Gateway endpoint host:port; in-flight transactions are spread over "
                                               "several (repeatable)")
      ->required();
  gateway->add_option("--tls-ca", o.tls_ca_file, "PEM file of the peers' TLS CA (none: plaintext)");
  gateway->add_option("--server-name", o.server_name, "TLS server name to expect instead of the address's host");
  gateway->add_option("--msp-dir", o.msp_dir, "msp/ folder of the client identity");
  gateway->add_option("--cert", o.cert_file, "the client's certificate (PEM), instead of --msp-dir");
  gateway->add_option("--key", o.key_file, "the client's private key (PEM), with --cert");
  gateway->add_option("--msp-id", o.msp_id, "MSP ID of the client identity, e.g. Hospital1MSP")->required();
  gateway->add_option("--channel", o.channel_id, "channel ID")->capture_default_str();
  gateway->add_option("--chaincode", o.chaincode, "chaincode name")->capture_default_str();
  gateway->add_option("--function", o.function, "chaincode function, called as FUNCTION(key, value)")
      ->capture_default_str();
  gateway->add_option("--keys", o.keys, "0: a unique key per transaction; N: keys drawn from N hot keys")
      ->capture_default_str();
  gateway->add_option("--value-bytes", o.value_bytes, "value size")->capture_default_str();
  gateway->add_option("--in-flight", o.in_flight, "transactions in flight")->capture_default_str();
  gateway->add_option("--threads", o.threads, "the tool's polling threads")->capture_default_str();
  gateway->add_option("--warmup", o.warmup_seconds, "seconds of load before the measured window")
      ->capture_default_str();
  gateway->add_option("--duration", o.duration_seconds, "seconds of the measured window")->capture_default_str();
  gateway->add_option("--drain", o.drain_seconds, "seconds to wait after the window for transactions in flight")
      ->capture_default_str();
  gateway->add_option("--bound-seconds", o.bound_seconds, "seconds per operation measuring the signature bound "
                                                          "before the load (0: skip)")
      ->capture_default_str();
  gateway->add_option("--label", o.label, "free text copied into the report");
  gateway->add_option("--json", o.json_file, "also write the report as JSON (load.js's fields) to this file");
  flags->processes.AddTo(*gateway);
  gateway->callback([flags, &result] { result.status = RunGateway(*flags); });
}

}  // namespace

void RegisterBenchCommands(CLI::App& app, CommandResult& result) {
  CLI::App* bench = app.add_subcommand("bench", "Load generators that measure a running network");
  bench->require_subcommand(1);
  auto flags = std::make_shared<BenchFlags>();
  bench::BroadcastBenchOptions& o = flags->options;

  CLI::App* broadcast = bench->add_subcommand(
      "broadcast", "Closed-loop Broadcast load against orderers: throughput, broadcast-ack and (with --deliver) "
                   "broadcast-to-block latency, errors by kind, CPU and memory of given processes");
  broadcast->add_option("--orderer", o.orderers, "Broadcast endpoint host:port; several are used round-robin over "
                                                 "the streams (repeatable)")
      ->required();
  broadcast->add_option("--tls-ca", o.tls_ca_file, "PEM file of the orderer organisation's TLS CA")->required();
  broadcast->add_option("--tls-cert", o.tls_cert_file, "client TLS certificate, for orderers requiring mutual TLS");
  broadcast->add_option("--tls-key", o.tls_key_file, "client TLS private key (with --tls-cert)");
  broadcast->add_option("--server-name", o.server_name, "TLS server name to expect instead of the address's host");
  broadcast->add_option("--msp-dir", o.msp_dir, "msp/ folder of the signing client identity (e.g. a hospital user)")
      ->required();
  broadcast->add_option("--msp-id", o.msp_id, "MSP ID of that identity, e.g. Hospital1MSP")->required();
  broadcast->add_option("--channel", o.channel_id, "channel ID")->capture_default_str();
  broadcast->add_option("--size", o.payload_bytes, "random payload bytes per envelope")->capture_default_str();
  broadcast->add_option("--streams", o.streams, "concurrent Broadcast streams")->capture_default_str();
  broadcast->add_option("--in-flight", o.in_flight, "envelopes sent but not yet acknowledged, per stream")
      ->capture_default_str();
  broadcast->add_option("--warmup", o.warmup_seconds, "seconds of load before the measured window")
      ->capture_default_str();
  broadcast->add_option("--duration", o.duration_seconds, "seconds of the measured window")->capture_default_str();
  broadcast->add_option("--drain", o.drain_seconds, "seconds to wait after the window for the last "
                                                    "acknowledgements and blocks")
      ->capture_default_str();
  broadcast->add_flag("--deliver", o.deliver, "also follow blocks from the first orderer: broadcast-to-block latency "
                                              "and acknowledged-but-not-delivered envelopes");
  flags->processes.AddTo(*broadcast);
  broadcast->add_option("--presign", o.presign, "envelopes to sign before the run (default: max(20000, "
                                                "8 x streams x in-flight))");
  broadcast->add_option("--sign-threads", o.sign_threads, "background signers topping the pool up during the run")
      ->capture_default_str();
  broadcast->add_option("--connect-timeout", o.connect_timeout_seconds, "seconds to wait for each connection")
      ->capture_default_str();
  broadcast->add_option("--json", o.json_file, "also write the report as JSON to this file");
  broadcast->callback([flags, &result] { result.status = RunBroadcast(*flags); });
  RegisterGatewayBench(*bench, result);
}

}  // namespace careledger::cli
