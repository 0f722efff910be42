#include "network/bench/broadcast_bench.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/crypto/pem_file.h"
#include "common/status_macros.h"
#include "grpcpp/grpcpp.h"
#include "msp/msp_dir.h"
#include "network/bench/broadcast_stream.h"
#include "network/bench/deliver_follower.h"
#include "network/bench/delivery_tracker.h"
#include "network/bench/envelope_supply.h"
#include "network/bench/latency_stats.h"
#include "network/bench/proc_stats.h"

namespace careledger::bench {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::nanoseconds Seconds(double s) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(s));
}

struct TlsMaterial {
  grpc::SslCredentialsOptions ssl;
};

absl::StatusOr<TlsMaterial> LoadTls(const BroadcastBenchOptions& options) {
  TlsMaterial tls;
  ASSIGN_OR_RETURN(tls.ssl.pem_root_certs, crypto::ReadCertificatePem(options.tls_ca_file));
  if (!options.tls_cert_file.empty()) {
    ASSIGN_OR_RETURN(tls.ssl.pem_cert_chain, crypto::ReadCertificatePem(options.tls_cert_file));
    ASSIGN_OR_RETURN(tls.ssl.pem_private_key, crypto::ReadPrivateKeyPem(options.tls_key_file));
  }
  return tls;
}

// One channel (one connection: subchannels are not shared) per stream, as separate clients would have.
std::shared_ptr<grpc::Channel> Connect(const std::string& address, const TlsMaterial& tls,
                                       const BroadcastBenchOptions& options) {
  grpc::ChannelArguments args;
  if (!options.server_name.empty()) args.SetSslTargetNameOverride(options.server_name);
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetMaxReceiveMessageSize(-1);  // blocks can exceed gRPC's 4 MiB default
  args.SetMaxSendMessageSize(-1);
  return grpc::CreateCustomChannel(address, grpc::SslCredentials(tls.ssl), args);
}

absl::Status WaitConnected(grpc::Channel& channel, const std::string& address, double timeout_seconds) {
  const auto deadline = std::chrono::system_clock::now() + Seconds(timeout_seconds);
  if (channel.WaitForConnected(deadline)) return absl::OkStatus();
  return absl::UnavailableError(absl::StrFormat(
      "cannot connect to orderer %s within %.0f s (is it running, and do --tls-ca and --server-name match its TLS "
      "certificate?)",
      address, timeout_seconds));
}

void Merge(const std::map<std::string, uint64_t>& from, std::map<std::string, uint64_t>* into) {
  for (const auto& [kind, count] : from) (*into)[kind] += count;
}

// Live totals over all streams, for progress lines.
struct Totals {
  uint64_t sent = 0, acknowledged = 0, errors = 0;
};

Totals Sum(const std::vector<std::unique_ptr<BroadcastStream>>& streams) {
  Totals t;
  for (const auto& s : streams) {
    t.sent += s->sent();
    t.acknowledged += s->acknowledged();
    t.errors += s->errors();
  }
  return t;
}

}  // namespace

absl::StatusOr<BroadcastReport> RunBroadcastBench(const BroadcastBenchOptions& options, std::ostream* progress) {
  RETURN_IF_ERROR(ValidateBroadcastBenchOptions(options));
  ASSIGN_OR_RETURN(TlsMaterial tls, LoadTls(options));
  auto identity = msp::LoadSigningIdentity(options.msp_dir, options.msp_id);
  if (!identity.ok()) return Annotate(identity.status(), AsStd(absl::StrCat("signing identity ", options.msp_dir)));
  auto signer = std::make_shared<const msp::SigningIdentity>(*std::move(identity));

  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < options.streams; ++i) {
    const std::string& address = options.orderers[i % options.orderers.size()];
    channels.push_back(Connect(address, tls, options));
    RETURN_IF_ERROR(WaitConnected(*channels.back(), address, options.connect_timeout_seconds));
  }

  EnvelopeSupply::Options supply_options;
  supply_options.channel_id = options.channel_id;
  supply_options.payload_bytes = options.payload_bytes;
  supply_options.presign = options.presign > 0 ? options.presign : DefaultPresignCount(options);
  supply_options.sign_threads = options.sign_threads;
  const Clock::time_point sign_start = Clock::now();
  ASSIGN_OR_RETURN(std::unique_ptr<EnvelopeSupply> supply, EnvelopeSupply::Create(supply_options, signer));
  if (progress != nullptr) {
    *progress << absl::StrFormat(
        "Pre-signed %d envelopes (%d-byte payloads) in %.1f s; %d background signer(s) keep the pool topped up\n",
        supply->presigned(), options.payload_bytes,
        std::chrono::duration<double>(Clock::now() - sign_start).count(), options.sign_threads);
  }

  DeliveryTracker tracker;
  std::unique_ptr<DeliverFollower> follower;
  if (options.deliver) {
    const std::string& address = options.orderers[0];
    std::shared_ptr<grpc::Channel> channel = Connect(address, tls, options);
    RETURN_IF_ERROR(WaitConnected(*channel, address, options.connect_timeout_seconds));
    follower = std::make_unique<DeliverFollower>(channel, signer, options.channel_id, &tracker);
    follower->Start();
    absl::Status ready = follower->WaitReady(Clock::now() + Seconds(options.connect_timeout_seconds));
    if (!ready.ok()) return Annotate(ready, AsStd(absl::StrCat("Deliver from ", address, " on channel ", options.channel_id)));
    if (progress != nullptr) *progress << "Following blocks of " << options.channel_id << " on " << address << "\n";
  }

  const Clock::time_point run_start = Clock::now();
  const MeasurementWindow window{run_start + Seconds(options.warmup_seconds),
                                 run_start + Seconds(options.warmup_seconds + options.duration_seconds)};
  tracker.SetWindow(window);
  BroadcastStream::Options stream_options;
  stream_options.in_flight = options.in_flight;
  stream_options.window = window;
  std::vector<std::unique_ptr<BroadcastStream>> streams;
  for (int i = 0; i < options.streams; ++i) {
    streams.push_back(std::make_unique<BroadcastStream>(channels[i], supply.get(),
                                                        options.deliver ? &tracker : nullptr, stream_options));
    streams.back()->Start();
  }

  // Warm-up and window: a progress line every second; processes sampled at the window's edges and every second
  // inside it.
  ProcessSampler sampler(options.processes);
  uint64_t last_acknowledged = 0;
  RunWarmupAndWindow(run_start, window, sampler, [&](const ProgressTick& tick) {
    const Totals t = Sum(streams);
    if (progress != nullptr) {
      *progress << absl::StrFormat("[%6.1fs] %-7s sent %d  acknowledged %d  errors %d  rate %.0f/s\n",
                                   tick.since_start_seconds, tick.in_window ? "measure" : "warmup", t.sent,
                                   t.acknowledged, t.errors,
                                   static_cast<double>(t.acknowledged - last_acknowledged) / tick.interval_seconds)
                << std::flush;
    }
    last_acknowledged = t.acknowledged;
  });

  // Drain: the last answers, then the last blocks; whatever is still missing at the deadline is counted.
  for (auto& s : streams) s->StopSending();
  const Clock::time_point drain_start = Clock::now();
  const Clock::time_point drain_deadline = drain_start + Seconds(options.drain_seconds);
  if (progress != nullptr) {
    *progress << absl::StrFormat("Window over; waiting up to %.1f s for the last acknowledgements%s\n",
                                 options.drain_seconds, options.deliver ? " and blocks" : "")
              << std::flush;
  }
  bool drained = true;
  for (auto& s : streams) drained = s->WaitEnded(drain_deadline) && drained;
  if (follower != nullptr) drained = tracker.WaitAllDelivered(drain_deadline) && drained;
  if (progress != nullptr) {
    *progress << absl::StrFormat("%s after %.1f s\n", drained ? "Drained" : "Drain time over",
                                 std::chrono::duration<double>(Clock::now() - drain_start).count());
  }
  for (auto& s : streams) s->Cancel();
  if (follower != nullptr) follower->Stop();
  RETURN_IF_ERROR(supply->background_status());

  BroadcastReport report;
  report.orderers = options.orderers;
  report.channel = options.channel_id;
  report.payload_bytes = options.payload_bytes;
  report.streams = options.streams;
  report.in_flight = options.in_flight;
  report.warmup_seconds = options.warmup_seconds;
  report.duration_seconds = options.duration_seconds;
  report.deliver = options.deliver;
  report.presigned = supply->presigned();
  report.signed_during_run = supply->signed_in_background();
  report.signer_wait_seconds = absl::ToDoubleSeconds(supply->wait_time());
  std::vector<int64_t> latencies;
  for (const auto& s : streams) {
    StreamResult r = s->Result();
    report.sent += r.sent;
    report.acknowledged += r.acknowledged;
    report.acknowledged_in_window += r.acknowledged_in_window;
    report.reconnects += r.reconnects;
    latencies.insert(latencies.end(), r.latencies_ns.begin(), r.latencies_ns.end());
    Merge(r.errors, &report.errors);
  }
  report.acknowledged_per_second = static_cast<double>(report.acknowledged_in_window) / options.duration_seconds;
  report.broadcast_latency = SummarizeLatencies(std::move(latencies));
  if (follower != nullptr) {
    DeliveryResult delivery = tracker.Finish();
    report.blocks = delivery.blocks;
    report.delivered = delivery.delivered;
    report.block_latency = SummarizeLatencies(std::move(delivery.latencies_ns));
    report.acknowledged_not_delivered = delivery.acknowledged_not_delivered;
    report.delivered_despite_error = delivery.delivered_despite_error;
    if (delivery.acknowledged_not_delivered > 0) {
      report.errors["acknowledged_not_delivered"] += delivery.acknowledged_not_delivered;
    }
    if (delivery.delivered_twice > 0) report.errors["delivered_twice"] += delivery.delivered_twice;
    if (delivery.malformed_envelopes > 0) report.errors["malformed_block_entry"] += delivery.malformed_envelopes;
    Merge(follower->errors(), &report.errors);
    report.reconnects += follower->reconnects();
  }
  for (const auto& [kind, count] : report.errors) report.errors_total += count;
  report.processes = sampler.Usage();
  report.host_cpu_busy_percent = sampler.HostCpuBusyPercent();
  return report;
}

absl::Status CheckRunMeasured(const BroadcastReport& report) {
  if (report.acknowledged_in_window > 0) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat("no envelope was acknowledged in the measured window (",
                                                    report.sent, " sent, ", report.errors_total, " errors)"));
}

}  // namespace careledger::bench
