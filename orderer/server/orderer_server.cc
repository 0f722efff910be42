#include "orderer/server/orderer_server.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/crypto/pem_file.h"
#include "common/file/file_io.h"
#include "common/logging/logger.h"
#include "common/nodeconfig/grpc_listener.h"
#include "common/participation/participation_server.h"
#include "common/status_macros.h"
#include "grpcpp/grpcpp.h"
#include "msp/msp_dir.h"
#include "orderer/channel/channel_registry.h"
#include "orderer/cluster/cluster_dialer.h"
#include "orderer/cluster/cluster_service.h"
#include "orderer/services/atomic_broadcast_service.h"

namespace careledger::orderer {
namespace {

// What the cluster's own dialers send (cluster_dialer.cc pings every 10 s, also between calls): accept it,
// so that the server never answers a healthy consenter's keepalive with GOAWAY "too many pings".
constexpr int kClusterMinPingIntervalMs = 5000;

}  // namespace

struct OrdererServer::Impl {
  OrdererServerOptions options;
  logging::Logger log{"orderer.server"};
  // Declared in dependency order: members are destroyed in reverse, users before what they use.
  cluster::ClusterService cluster_service;
  std::unique_ptr<grpc::Server> cluster_server;
  std::unique_ptr<ChannelRegistry> registry;
  std::unique_ptr<AtomicBroadcastService> broadcast_service;
  std::unique_ptr<grpc::Server> public_server;
  std::unique_ptr<participation::ParticipationServer> admin_server;
  int public_port = 0;
  int cluster_port = 0;
  bool stopped = false;

  void StopAll();
};

void OrdererServer::Impl::StopAll() {
  if (stopped) return;
  stopped = true;
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
  ASSIGN_OR_RETURN(std::vector<std::string> cluster_roots, nodeconfig::ReadCertificatePems(cluster.root_cas, "General.Cluster.RootCAs"));
  ASSIGN_OR_RETURN(std::vector<crypto::Certificate> cluster_certs, crypto::ReadCertificateFile(cluster.server_certificate));

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
    impl->broadcast_service = std::make_unique<AtomicBroadcastService>(impl->registry.get());
    grpc::ServerBuilder builder;
    nodeconfig::ApplyMessageLimits(builder, general.max_recv_msg_size, general.max_send_msg_size);
    nodeconfig::ApplyServerKeepalive(builder, general.keepalive);
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
      ASSIGN_OR_RETURN(admin_tls.certificate_chain_pem, nodeconfig::ReadCertificatesPem(tls.certificate, "Admin.TLS.Certificate"));
      ASSIGN_OR_RETURN(admin_tls.private_key_pem, nodeconfig::ReadPrivateKeyPem(tls.private_key, "Admin.TLS.PrivateKey"));
      ASSIGN_OR_RETURN(admin_tls.client_root_ca_pems, nodeconfig::ReadCertificatePems(tls.client_root_cas, "Admin.TLS.ClientRootCAs"));
      admin_options.tls = std::move(admin_tls);
    }
    admin_options.max_request_body_bytes = general.max_recv_msg_size;
    admin_options.log_module = "orderer.admin";
    ASSIGN_OR_RETURN(impl->admin_server,
                     participation::ParticipationServer::Start(admin_options, impl->registry.get()));
  }

  const nodeconfig::HostPort admin_address{config.admin.listen.host, impl->admin_server->port()};
  impl->log.Info("orderer ready", {{"listen", general.listen.ToString()},
                                   {"cluster", cluster.listen.ToString()},
                                   {"admin", admin_address.ToString()},
                                   {"msp_id", general.local_msp_id},
                                   {"channels", impl->registry->List().size()}});
  stop_on_error.impl = nullptr;
  return std::unique_ptr<OrdererServer>(new OrdererServer(std::move(impl)));
}

}  // namespace careledger::orderer
