// careledger bench broadcast: closed-loop load against a running ordering service (network/bench/).
#include <iostream>

#include "absl/strings/str_cat.h"
#include "common/file/file_io.h"
#include "common/status_macros.h"
#include "network/bench/bench_options.h"
#include "network/bench/bench_report.h"
#include "network/bench/broadcast_bench.h"
#include "network/cli/command.h"

namespace careledger::cli {
namespace {

struct BenchFlags {
  bench::BroadcastBenchOptions options;
  std::string pids;
  std::string pids_dir;
};

absl::Status RunBroadcast(BenchFlags& flags) {
  bench::BroadcastBenchOptions& options = flags.options;
  if (!flags.pids.empty()) {
    auto pids = bench::ParsePidList(flags.pids);
    if (!pids.ok()) return Annotate(pids.status(), "--pids");
    options.processes.insert(options.processes.end(), pids->begin(), pids->end());
  }
  if (!flags.pids_dir.empty()) {
    auto pids = bench::ReadPidsDir(flags.pids_dir);
    if (!pids.ok()) return Annotate(pids.status(), "--pids-dir");
    options.processes.insert(options.processes.end(), pids->begin(), pids->end());
  }
  ASSIGN_OR_RETURN(bench::BroadcastReport report, bench::RunBroadcastBench(options, &std::cout));
  std::cout << "\n" << bench::FormatReportTable(report);
  if (!options.json_file.empty()) {
    RETURN_IF_ERROR(file::WriteFileAtomic(options.json_file, bench::ReportToJson(report)));
    std::cout << "\nReport written to " << options.json_file << "\n";
  }
  return bench::CheckRunMeasured(report);
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
  broadcast->add_option("--pids", flags->pids, "processes to sample, name=pid,name=pid");
  broadcast->add_option("--pids-dir", flags->pids_dir, "folder of <name>.pid files of processes to sample");
  broadcast->add_option("--presign", o.presign, "envelopes to sign before the run (default: max(20000, "
                                                "8 x streams x in-flight))");
  broadcast->add_option("--sign-threads", o.sign_threads, "background signers topping the pool up during the run")
      ->capture_default_str();
  broadcast->add_option("--connect-timeout", o.connect_timeout_seconds, "seconds to wait for each connection")
      ->capture_default_str();
  broadcast->add_option("--json", o.json_file, "also write the report as JSON to this file");
  broadcast->callback([flags, &result] { result.status = RunBroadcast(*flags); });
}

}  // namespace careledger::cli
