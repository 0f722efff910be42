#include "network/bench/gateway_bench.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "common/crypto/ecdsa.h"
#include "common/crypto/x509.h"
#include "common/file/file_io.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "msp/msp_dir.h"
#include "msp/signing_identity.h"
#include "network/bench/gateway_load.h"
#include "network/bench/measurement_window.h"
#include "network/genesis/channel_from_consortium.h"

namespace careledger::bench {
namespace {

using Clock = std::chrono::steady_clock;

Clock::duration Seconds(double s) { return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s)); }

absl::StatusOr<std::shared_ptr<const msp::SigningIdentity>> LoadIdentity(const GatewayBenchOptions& options) {
  if (!options.msp_dir.empty()) {
    absl::StatusOr<msp::SigningIdentity> identity = msp::LoadSigningIdentity(options.msp_dir, options.msp_id);
    if (!identity.ok()) return Annotate(identity.status(), absl::StrCat("--msp-dir ", options.msp_dir));
    return std::make_shared<const msp::SigningIdentity>(*std::move(identity));
  }
  ASSIGN_OR_RETURN(const std::string cert_pem, file::ReadFile(options.cert_file));
  ASSIGN_OR_RETURN(const std::string key_pem, file::ReadFile(options.key_file));
  absl::StatusOr<crypto::Certificate> cert = crypto::Certificate::FromPem(cert_pem);
  if (!cert.ok()) return Annotate(cert.status(), absl::StrCat("--cert ", options.cert_file));
  absl::StatusOr<crypto::PrivateKey> key = crypto::PrivateKey::FromPem(key_pem);
  if (!key.ok()) return Annotate(key.status(), absl::StrCat("--key ", options.key_file));
  absl::StatusOr<msp::SigningIdentity> identity =
      msp::SigningIdentity::Create(options.msp_id, *std::move(cert), *std::move(key));
  if (!identity.ok()) return Annotate(identity.status(), absl::StrCat("--cert ", options.cert_file, " and --key"));
  return std::make_shared<const msp::SigningIdentity>(*std::move(identity));
}

// Collects the outcomes of the load's transactions, on its polling threads.
class OutcomeCollector {
 public:
  explicit OutcomeCollector(MeasurementWindow window, size_t seconds)
      : window_(window), per_second_(seconds, 0) {}

  void Add(const TransactionOutcome& outcome) {
    absl::MutexLock lock(&mu_);
    const bool in_window = window_.Contains(outcome.end);
    if (outcome.failure.empty()) {
      ++ok_;
      if (!in_window) return;
      latencies_ns_.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(outcome.end - outcome.start).count());
      const auto second = static_cast<size_t>(std::chrono::duration_cast<std::chrono::seconds>(outcome.end - window_.start).count());
      if (second < per_second_.size()) ++per_second_[second];
      return;
    }
    ++failed_;
    examples_.try_emplace(outcome.failure, outcome.message.substr(0, 300));
    if (in_window) ++failures_[outcome.failure];
  }

  uint64_t ok() const {
    absl::MutexLock lock(&mu_);
    return ok_;
  }
  uint64_t failed() const {
    absl::MutexLock lock(&mu_);
    return failed_;
  }

  void Fill(GatewayReport& report) const {
    absl::MutexLock lock(&mu_);
    report.committed_valid = latencies_ns_.size();
    double sum_ms = 0;
    for (int64_t ns : latencies_ns_) sum_ms += static_cast<double>(ns) / 1e6;
    report.latency_mean_ms = latencies_ns_.empty() ? 0 : sum_ms / static_cast<double>(latencies_ns_.size());
    report.latency = SummarizeLatencies(latencies_ns_);
    report.failures_by_type = failures_;
    for (const auto& [kind, count] : failures_) report.failures_in_window += count;
    report.failure_examples = examples_;
    report.total_ok = ok_;
    report.total_failed = failed_;
    report.per_second_commits = per_second_;
  }

 private:
  const MeasurementWindow window_;
  mutable absl::Mutex mu_;
  uint64_t ok_ = 0;
  uint64_t failed_ = 0;
  std::vector<int64_t> latencies_ns_;
  std::map<std::string, uint64_t> failures_;
  std::map<std::string, std::string> examples_;
  std::vector<uint64_t> per_second_;
};

}  // namespace

absl::Status ValidateGatewayBenchOptions(const GatewayBenchOptions& options) {
  if (options.gateways.empty()) return absl::InvalidArgumentError("--gateway: at least one host:port is needed");
  for (const std::string& gateway : options.gateways) {
    auto split = network::SplitHostPort(gateway);
    if (!split.ok()) return Annotate(split.status(), "--gateway");
  }
  if (!options.server_name.empty() && options.tls_ca_file.empty()) {
    return absl::InvalidArgumentError("--server-name needs --tls-ca");
  }
  const bool has_pair = !options.cert_file.empty() || !options.key_file.empty();
  if (options.msp_dir.empty() == !has_pair) {
    return absl::InvalidArgumentError("the client identity: give either --msp-dir or --cert and --key");
  }
  if (has_pair && (options.cert_file.empty() || options.key_file.empty())) {
    return absl::InvalidArgumentError("--cert and --key go together");
  }
  if (options.msp_id.empty()) return absl::InvalidArgumentError("--msp-id: the client identity's MSP ID is needed");
  if (options.channel_id.empty() || options.chaincode.empty() || options.function.empty()) {
    return absl::InvalidArgumentError("--channel, --chaincode and --function must not be empty");
  }
  if (options.value_bytes > kMaxPayloadBytes) {
    return absl::InvalidArgumentError(absl::StrCat("--value-bytes must be at most ", kMaxPayloadBytes));
  }
  if (options.in_flight < 1 || options.in_flight > 100000) {
    return absl::InvalidArgumentError("--in-flight must be in 1..100000");
  }
  if (options.threads < 1 || options.threads > 64 || options.threads > options.in_flight) {
    return absl::InvalidArgumentError("--threads must be in 1..64 and at most --in-flight");
  }
  RETURN_IF_ERROR(CheckSeconds(options.warmup_seconds, "--warmup", true));
  RETURN_IF_ERROR(CheckSeconds(options.duration_seconds, "--duration", false));
  RETURN_IF_ERROR(CheckSeconds(options.drain_seconds, "--drain", true));
  RETURN_IF_ERROR(CheckSeconds(options.bound_seconds, "--bound-seconds", true));
  return CheckProcessNamesDistinct(options.processes);
}

absl::StatusOr<GatewayReport> RunGatewayBench(const GatewayBenchOptions& options, std::ostream* progress) {
  RETURN_IF_ERROR(ValidateGatewayBenchOptions(options));
  ASSIGN_OR_RETURN(std::shared_ptr<const msp::SigningIdentity> signer, LoadIdentity(options));
  std::string tls_ca;
  if (!options.tls_ca_file.empty()) {
    absl::StatusOr<std::string> pem = file::ReadFile(options.tls_ca_file);
    if (!pem.ok()) return Annotate(pem.status(), "--tls-ca");
    tls_ca = *std::move(pem);
  }

  GatewayReport report;
  if (options.bound_seconds > 0) {
    ASSIGN_OR_RETURN(report.bound, MeasureSignatureBound(absl::Seconds(options.bound_seconds)));
    if (progress != nullptr) {
      *progress << absl::StrFormat("Signature bound: V %.0f verify/s, S %.0f sign/s on one core -> B = %.0f tx/s on "
                                   "%d cores\n",
                                   report.bound->verify_per_second, report.bound->sign_per_second,
                                   report.bound->tx_per_second, report.bound->cores);
    }
  }

  GatewayLoadOptions load_options;
  for (const std::string& address : options.gateways) {
    client::GatewayEndpoint endpoint;
    endpoint.address = address;
    endpoint.tls_root_certs_pem = tls_ca;
    endpoint.server_name_override = options.server_name;
    load_options.gateways.push_back(std::move(endpoint));
  }
  load_options.signer = signer;
  load_options.channel_id = options.channel_id;
  load_options.chaincode = options.chaincode;
  load_options.function = options.function;
  load_options.hot_keys = options.keys;
  load_options.value_bytes = options.value_bytes;
  load_options.in_flight = options.in_flight;
  load_options.threads = options.threads;

  const Clock::time_point run_start = Clock::now();
  const MeasurementWindow window{run_start + Seconds(options.warmup_seconds),
                                 run_start + Seconds(options.warmup_seconds + options.duration_seconds)};
  OutcomeCollector collector(window, static_cast<size_t>(options.duration_seconds + 0.999));
  ASSIGN_OR_RETURN(std::unique_ptr<GatewayLoad> load,
                   GatewayLoad::Create(load_options, [&collector](const TransactionOutcome& outcome) {
                     collector.Add(outcome);
                   }));
  if (progress != nullptr) {
    *progress << absl::StrFormat("Load: %s, %s keys, %d-byte values, %d in flight over %d gateway(s); warm-up %.0f s, "
                                 "window %.0f s\n",
                                 options.function, options.keys == 0 ? "unique" : absl::StrCat(options.keys, " hot"),
                                 options.value_bytes, options.in_flight, options.gateways.size(),
                                 options.warmup_seconds, options.duration_seconds)
              << std::flush;
  }
  load->Start();

  // Warm-up and window: a progress line every second; processes sampled at the window's edges and every second.
  std::vector<NamedPid> sampled = options.processes;
  sampled.push_back({"load-client", static_cast<int>(getpid())});
  ProcessSampler sampler(sampled);
  uint64_t last_ok = 0;
  RunWarmupAndWindow(run_start, window, sampler, [&](const ProgressTick& tick) {
    const uint64_t ok = collector.ok();
    if (progress != nullptr) {
      *progress << absl::StrFormat("[%6.1fs] %-7s committed %d  failed %d  in flight %d  rate %.0f tx/s\n",
                                   tick.since_start_seconds, tick.in_window ? "measure" : "warmup", ok,
                                   collector.failed(), load->in_flight(),
                                   static_cast<double>(ok - last_ok) / tick.interval_seconds)
                << std::flush;
    }
    last_ok = ok;
  });

  load->Stop();
  if (progress != nullptr) {
    *progress << absl::StrFormat("Window over; waiting up to %.0f s for %d transactions in flight\n",
                                 options.drain_seconds, load->in_flight())
              << std::flush;
  }
  report.drained = load->Drain(absl::Seconds(options.drain_seconds));
  report.acknowledged_without_status = load->awaiting_status();
  load->Cancel();

  report.label = options.label;
  report.endpoints = options.gateways;
  report.channel = options.channel_id;
  report.chaincode = options.chaincode;
  report.function = options.function;
  report.keys = options.keys;
  report.value_bytes = options.value_bytes;
  report.concurrency = options.in_flight;
  report.warmup_seconds = options.warmup_seconds;
  report.window_seconds = options.duration_seconds;
  collector.Fill(report);
  report.tps = static_cast<double>(report.committed_valid) / options.duration_seconds;
  report.processes = sampler.Usage();
  report.host_busy_percent = sampler.HostCpuBusyPercent();
  report.host_cpus = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  report.host_mem_gib = static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGESIZE)) /
                        static_cast<double>(1ULL << 30);
  return report;
}

absl::Status CheckGatewayRunMeasured(const GatewayReport& report) {
  if (report.committed_valid > 0) return absl::OkStatus();
  return absl::FailedPreconditionError("no transaction committed VALID in the measured window");
}

}  // namespace careledger::bench
