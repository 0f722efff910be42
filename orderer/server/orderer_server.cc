#include "orderer/server/orderer_server.h"

#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/crypto/pem_file.h"
#include "common/file/file_io.h"
#include "common/logging/logger.h"
#include "common/metrics/metrics.h"
#include "common/nodeconfig/grpc_server_metrics.h"
#include "common/nodeconfig/grpc_listener.h"
#include "common/operations/operations_server.h"
#include "common/participation/participation_server.h"
#include "common/status_macros.h"
#include "grpcpp/grpcpp.h"
#include "msp/msp_dir.h"
#include "orderer/channel/channel_registry.h"
#include "orderer/cluster/cluster_dialer.h"
#include "orderer/cluster/cluster_service.h"
#include "orderer/services/atomic_broadcast_service.h"
#include "orderer/services/broadcast_metrics.h"

namespace careledger::orderer {
namespace {

// What the cluster's own dialers send (cluster_dialer.cc pings every 10 s, also between calls): accept it,
// so that the server never answers a healthy consenter's keepalive with GOAWAY "too many pings".
constexpr int kClusterMinPingIntervalMs = 5000;

// How often the Raft metrics are sampled from the channels' chains. libraft 0.15 reports no leadership event
// the orderer could hook without reaching through the chain, and the chain polls its Raft node every 20 ms
// anyway; a leader change shorter than this period can go uncounted.
constexpr absl::Duration kRaftSamplePeriod = absl::Milliseconds(50);

// The operations endpoint's options from the `Operations:` section (TLS files read here).
absl::StatusOr<operations::OperationsServerOptions> OperationsOptionsOf(const OperationsConfig& config) {
  operations::OperationsServerOptions options;
  options.listen = config.listen;
  options.log_module = "orderer.operations";
  const nodeconfig::TlsFileKeys keys{"Operations.TLS.Certificate", "Operations.TLS.PrivateKey",
                                     "Operations.TLS.ClientRootCAs"};
  ASSIGN_OR_RETURN(options.tls, nodeconfig::ReadTlsServerFiles(config.tls, keys));
  return options;
}

// Samples every channel's chain into the Raft and ledger gauges, and counts leader changes, on a thread of
// its own until stopped.
class RaftMetricsSampler {
 public:
  static absl::StatusOr<std::unique_ptr<RaftMetricsSampler>> Start(metrics::Registry& registry,
                                                                    const ChannelRegistry* channels) {
    auto sampler = std::unique_ptr<RaftMetricsSampler>(new RaftMetricsSampler(channels));
    ASSIGN_OR_RETURN(sampler->is_leader_,
                     registry.AddGauge("consensus_etcdraft_is_leader",
                                       "The leadership status of the current node: 1 if it is the leader else 0.",
                                       {"channel"}));
    ASSIGN_OR_RETURN(sampler->term_,
                     registry.AddGauge("consensus_etcdraft_term", "The current Raft term.", {"channel"}));
    ASSIGN_OR_RETURN(sampler->leader_changes_,
                     registry.AddCounter("consensus_etcdraft_leader_changes",
                                         "The number of leader changes since the node started.", {"channel"}));
    ASSIGN_OR_RETURN(sampler->height_,
                     registry.AddGauge("ledger_blockchain_height", "Height of the chain in blocks.", {"channel"}));
    sampler->Sample();
    sampler->thread_ = std::thread([raw = sampler.get()] { raw->Run(); });
    return sampler;
  }

  ~RaftMetricsSampler() { Stop(); }

  void Stop() {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    if (thread_.joinable()) thread_.join();
  }

 private:
  struct Channel {
    metrics::Gauge* is_leader;
    metrics::Gauge* term;
    metrics::Counter* leader_changes;
    metrics::Gauge* height;
    uint64_t last_leader = 0;
  };

  explicit RaftMetricsSampler(const ChannelRegistry* channels) : channels_(channels) {}

  void Run() {
    absl::MutexLock lock(&mu_);
    while (!mu_.AwaitWithTimeout(absl::Condition(&stopping_), kRaftSamplePeriod)) {
      mu_.Unlock();
      Sample();
      mu_.Lock();
    }
  }

  // Only Start (before the thread exists) and the thread call this.
  void Sample() {
    for (const participation::ChannelInfo& info : channels_->List()) {
      std::shared_ptr<OrdererChannel> channel = channels_->Find(info.name);
      if (channel == nullptr) continue;
      auto [it, added] = by_channel_.try_emplace(info.name);
      Channel& metrics = it->second;
      if (added) {
        metrics = {is_leader_->WithLabels({info.name}), term_->WithLabels({info.name}),
                   leader_changes_->WithLabels({info.name}), height_->WithLabels({info.name}), 0};
      }
      const ChainStatus status = channel->chain().status();
      metrics.is_leader->Set(status.is_leader ? 1 : 0);
      metrics.term->Set(static_cast<double>(status.term));
      metrics.height->Set(static_cast<double>(status.height));
      // A change to a known leader counts; losing the leader (0) is not a change yet.
      if (status.leader_id != 0 && status.leader_id != metrics.last_leader) {
        metrics.leader_changes->Increment();
        metrics.last_leader = status.leader_id;
      }
    }
  }

  const ChannelRegistry* const channels_;
  metrics::GaugeFamily* is_leader_ = nullptr;
  metrics::GaugeFamily* term_ = nullptr;
  metrics::CounterFamily* leader_changes_ = nullptr;
  metrics::GaugeFamily* height_ = nullptr;
  std::map<std::string, Channel, std::less<>> by_channel_;  // the sampling thread's own
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace

struct OrdererServer::Impl {
  OrdererServerOptions options;
  logging::Logger log{"orderer.server"};
  // Declared in dependency order: members are destroyed in reverse, users before what they use.
  metrics::Registry metrics;
  std::optional<BroadcastMetrics> broadcast_metrics;
  cluster::ClusterService cluster_service;
  std::unique_ptr<grpc::Server> cluster_server;
  std::unique_ptr<ChannelRegistry> registry;
  std::unique_ptr<AtomicBroadcastService> broadcast_service;
  std::unique_ptr<grpc::Server> public_server;
  std::unique_ptr<participation::ParticipationServer> admin_server;
  std::unique_ptr<RaftMetricsSampler> raft_sampler;
  std::unique_ptr<operations::OperationsServer> operations_server;
  int public_port = 0;
  int cluster_port = 0;
  bool stopped = false;

  void StopAll();
};

void OrdererServer::Impl::StopAll() {
  if (stopped) return;
  stopped = true;
  if (operations_server != nullptr) operations_server->Stop();
  if (raft_sampler != nullptr) raft_sampler->Stop();
  if (admin_server != nullptr) admin_server->Stop();
  if (public_server != nullptr) public_server->Shutdown(absl::ToChronoTime(absl::Now() + options.shutdown_grace));
  if (registry != nullptr) registry->StopAll();
  if (cluster_server != nullptr) cluster_server->Shutdown(absl::ToChronoTime(absl::Now() + options.shutdown_grace));
}

OrdererServer::OrdererServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

OrdererServer::~OrdererServer() { Stop(); }

void OrdererServer::Stop() {
  if (impl_ == nullptr || impl_->stopped) return;
  impl_->log.Info("stopping");
  impl_->StopAll();
  impl_->log.Info("stopped");
}

int OrdererServer::public_port() const { return impl_->public_port; }
int OrdererServer::cluster_port() const { return impl_->cluster_port; }
int OrdererServer::admin_port() const { return impl_->admin_server->port(); }
int OrdererServer::operations_port() const { return impl_->operations_server->port(); }

absl::StatusOr<std::unique_ptr<OrdererServer>> OrdererServer::Start(const OrdererConfig& config,
                                                                   OrdererServerOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  // Whatever fails below, what was started is stopped before the error is returned.
  struct StopOnError {
    Impl* impl;
    ~StopOnError() {
      if (impl != nullptr) impl->StopAll();
    }
  } stop_on_error{impl.get()};

  const GeneralConfig& general = config.general;
  const ClusterConfig& cluster = general.cluster;

  absl::StatusOr<msp::SigningIdentity> identity = msp::LoadSigningIdentity(general.local_msp_dir, general.local_msp_id);
  if (!identity.ok()) {
    return Annotate(identity.status(), absl::StrCat("General.LocalMSPDir ", general.local_msp_dir));
  }

  // The cluster: its listener's certificate identifies this node among a channel's consenters.
  ASSIGN_OR_RETURN(std::string cluster_server_chain,
                   nodeconfig::ReadCertificatesPem(cluster.server_certificate, "General.Cluster.ServerCertificate"));
  ASSIGN_OR_RETURN(std::string cluster_server_key,
                   nodeconfig::ReadPrivateKeyPem(cluster.server_private_key, "General.Cluster.ServerPrivateKey"));
  ASSIGN_OR_RETURN(std::string cluster_client_chain,
                   nodeconfig::ReadCertificatesPem(cluster.client_certificate, "General.Cluster.ClientCertificate"));
  ASSIGN_OR_RETURN(std::string cluster_client_key,
                   nodeconfig::ReadPrivateKeyPem(cluster.client_private_key, "General.Cluster.ClientPrivateKey"));
  ASSIGN_OR_RETURN(std::vector<std::string> cluster_roots,
                   nodeconfig::ReadCertificatePems(cluster.root_cas, "General.Cluster.RootCAs"));
  ASSIGN_OR_RETURN(std::vector<crypto::Certificate> cluster_certs,
                   crypto::ReadCertificateFile(cluster.server_certificate));

  {
    grpc::ServerBuilder builder;
    nodeconfig::ApplyMessageLimits(builder, general.max_recv_msg_size, general.max_send_msg_size);
    builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, kClusterMinPingIntervalMs);
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
    builder.RegisterService(&impl->cluster_service);
    ASSIGN_OR_RETURN(impl->cluster_server,
                     nodeconfig::BuildAndStart(
                         builder, cluster.listen,
                         nodeconfig::MutualTlsCredentials(cluster_server_chain, cluster_server_key, cluster_roots),
                         "cluster listener (General.Cluster)", &impl->cluster_port));
  }

  OrdererNode node;
  node.signer = std::make_shared<const msp::SigningIdentity>(*std::move(identity));
  node.cluster_tls_certificate = cluster_certs.front();
  node.connections = std::make_shared<cluster::ClusterConnections>(
      cluster::ClusterTls{cluster_client_chain, cluster_client_key, cluster_roots});
  node.data_dir = config.file_ledger.location;
  node.snapshot_interval_blocks = config.consensus.snapshot_interval_blocks;
  node.dial_timeout = cluster.dial_timeout;
  RETURN_IF_ERROR(file::CreateDirectories(node.data_dir));
  absl::StatusOr<std::unique_ptr<ChannelRegistry>> registry = ChannelRegistry::Open(node, &impl->cluster_service);
  if (!registry.ok()) return Annotate(registry.status(), absl::StrCat("FileLedger.Location ", node.data_dir));
  impl->registry = *std::move(registry);

  // The public service: Broadcast and Deliver.
  {
    ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials,
                     nodeconfig::ServerCredentialsFor(general.tls, {"General.TLS.Certificate", "General.TLS.PrivateKey",
                                                                    "General.TLS.ClientRootCAs"}));
    ASSIGN_OR_RETURN(impl->broadcast_metrics, BroadcastMetrics::Register(impl->metrics));
    AtomicBroadcastOptions broadcast_options;
    broadcast_options.broadcast_metrics = &*impl->broadcast_metrics;
    impl->broadcast_service = std::make_unique<AtomicBroadcastService>(impl->registry.get(), broadcast_options);
    grpc::ServerBuilder builder;
    nodeconfig::ApplyMessageLimits(builder, general.max_recv_msg_size, general.max_send_msg_size);
    nodeconfig::ApplyServerKeepalive(builder, general.keepalive);
    ASSIGN_OR_RETURN(std::shared_ptr<nodeconfig::GrpcServerMetrics> grpc_metrics,
                     nodeconfig::RegisterGrpcServerMetrics(impl->metrics));
    nodeconfig::ApplyServerMetrics(builder, std::move(grpc_metrics));
    builder.RegisterService(impl->broadcast_service.get());
    ASSIGN_OR_RETURN(impl->public_server, nodeconfig::BuildAndStart(builder, general.listen, std::move(credentials),
                                                                    "public listener (General)", &impl->public_port));
  }

  // The channel participation API.
  {
    participation::ParticipationServerOptions admin_options;
    admin_options.listen = config.admin.listen;
    const nodeconfig::TlsConfig& tls = config.admin.tls;
    if (tls.enabled) {
      participation::ServerTls admin_tls;
      ASSIGN_OR_RETURN(admin_tls.certificate_chain_pem,
                       nodeconfig::ReadCertificatesPem(tls.certificate, "Admin.TLS.Certificate"));
      ASSIGN_OR_RETURN(admin_tls.private_key_pem,
                       nodeconfig::ReadPrivateKeyPem(tls.private_key, "Admin.TLS.PrivateKey"));
      ASSIGN_OR_RETURN(admin_tls.client_root_ca_pems,
                       nodeconfig::ReadCertificatePems(tls.client_root_cas, "Admin.TLS.ClientRootCAs"));
      admin_options.tls = std::move(admin_tls);
    }
    admin_options.max_request_body_bytes = general.max_recv_msg_size;
    admin_options.log_module = "orderer.admin";
    ASSIGN_OR_RETURN(impl->admin_server,
                     participation::ParticipationServer::Start(admin_options, impl->registry.get()));
  }

  // The operations endpoint: health, metrics, version, log levels.
  {
    ASSIGN_OR_RETURN(impl->raft_sampler, RaftMetricsSampler::Start(impl->metrics, impl->registry.get()));
    ASSIGN_OR_RETURN(operations::OperationsServerOptions operations_options, OperationsOptionsOf(config.operations));
    operations_options.metrics = &impl->metrics;
    ASSIGN_OR_RETURN(impl->operations_server, operations::OperationsServer::Start(std::move(operations_options)));
    // Every channel's Raft member must know a leader: without one, Broadcast answers SERVICE_UNAVAILABLE.
    const ChannelRegistry* channels = impl->registry.get();
    impl->operations_server->AddHealthCheck("raft", [channels]() -> absl::Status {
      for (const participation::ChannelInfo& info : channels->List()) {
        std::shared_ptr<OrdererChannel> channel = channels->Find(info.name);
        if (channel != nullptr && channel->chain().status().leader_id == 0) {
          return absl::UnavailableError(absl::StrCat("channel ", info.name, ": no Raft leader"));
        }
      }
      return absl::OkStatus();
    });
  }

  const nodeconfig::HostPort admin_address{config.admin.listen.host, impl->admin_server->port()};
  const nodeconfig::HostPort operations_address{config.operations.listen.host, impl->operations_server->port()};
  impl->log.Info("orderer ready", {{"listen", general.listen.ToString()},
                                   {"cluster", cluster.listen.ToString()},
                                   {"admin", admin_address.ToString()},
                                   {"operations", operations_address.ToString()},
                                   {"msp_id", general.local_msp_id},
                                   {"channels", impl->registry->List().size()}});
  stop_on_error.impl = nullptr;
  return std::unique_ptr<OrdererServer>(new OrdererServer(std::move(impl)));
}

}  // namespace careledger::orderer
