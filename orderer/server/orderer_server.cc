#include "orderer/server/orderer_server.h"

#include <algorithm>
#include <climits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/crypto/pem_file.h"
#include "common/file/file_io.h"
#include "common/logging/logger.h"
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

// The PEM text of the file a key names: a chain, or a bundle of CAs.
absl::StatusOr<std::string> CertificatesPem(const std::string& path, std::string_view key) {
  absl::StatusOr<std::string> pem = crypto::ReadCertificatePem(path);
  if (!pem.ok()) return Annotate(pem.status(), key);
  return pem;
}

absl::StatusOr<std::string> PrivateKeyPem(const std::string& path, std::string_view key) {
  absl::StatusOr<std::string> pem = crypto::ReadPrivateKeyPem(path);
  if (!pem.ok()) return Annotate(pem.status(), key);
  return pem;
}

// One PEM text per file.
absl::StatusOr<std::vector<std::string>> BundlePems(const std::vector<std::string>& paths, std::string_view key) {
  std::vector<std::string> pems;
  for (const std::string& path : paths) {
    ASSIGN_OR_RETURN(std::string pem, CertificatesPem(path, key));
    pems.push_back(std::move(pem));
  }
  return pems;
}

std::string Concatenated(const std::vector<std::string>& pems) {
  std::string all;
  for (const std::string& pem : pems) all += pem;
  return all;
}

int ClampToInt(uint64_t value) { return static_cast<int>(std::min<uint64_t>(value, INT_MAX)); }
int Milliseconds(absl::Duration duration) {
  return static_cast<int>(std::clamp<int64_t>(absl::ToInt64Milliseconds(duration), 0, INT_MAX));
}

// Settings both gRPC listeners share.
void ApplyCommonArguments(grpc::ServerBuilder& builder, const GeneralConfig& general) {
  builder.SetMaxReceiveMessageSize(ClampToInt(general.max_recv_msg_size));
  builder.SetMaxSendMessageSize(ClampToInt(general.max_send_msg_size));
  // gRPC sets SO_REUSEPORT by default, which lets a second process bind the same port and silently take
  // half of its connections. A port in use must be an error.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
}

absl::StatusOr<std::unique_ptr<grpc::Server>> StartGrpcServer(grpc::ServerBuilder& builder,
                                                               const nodeconfig::HostPort& listen,
                                                               std::shared_ptr<grpc::ServerCredentials> credentials,
                                                               std::string_view what, int* port) {
  builder.AddListeningPort(listen.ToString(), std::move(credentials), port);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || *port == 0) {
    if (server != nullptr) server->Shutdown();
    return absl::UnavailableError(absl::StrCat(AsAbsl(what), ": cannot listen on ", listen.ToString()));
  }
  return server;
}

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
                   CertificatesPem(cluster.server_certificate, "General.Cluster.ServerCertificate"));
  ASSIGN_OR_RETURN(std::string cluster_server_key,
                   PrivateKeyPem(cluster.server_private_key, "General.Cluster.ServerPrivateKey"));
  ASSIGN_OR_RETURN(std::string cluster_client_chain,
                   CertificatesPem(cluster.client_certificate, "General.Cluster.ClientCertificate"));
  ASSIGN_OR_RETURN(std::string cluster_client_key,
                   PrivateKeyPem(cluster.client_private_key, "General.Cluster.ClientPrivateKey"));
  ASSIGN_OR_RETURN(std::vector<std::string> cluster_roots, BundlePems(cluster.root_cas, "General.Cluster.RootCAs"));
  ASSIGN_OR_RETURN(std::vector<crypto::Certificate> cluster_certs, crypto::ReadCertificateFile(cluster.server_certificate));

  {
    grpc::SslServerCredentialsOptions tls(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    tls.pem_root_certs = Concatenated(cluster_roots);
    tls.pem_key_cert_pairs.push_back({cluster_server_key, cluster_server_chain});
    grpc::ServerBuilder builder;
    ApplyCommonArguments(builder, general);
    builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, kClusterMinPingIntervalMs);
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
    builder.RegisterService(&impl->cluster_service);
    ASSIGN_OR_RETURN(impl->cluster_server, StartGrpcServer(builder, cluster.listen, grpc::SslServerCredentials(tls),
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
    std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
    if (general.tls.enabled) {
      ASSIGN_OR_RETURN(std::string chain, CertificatesPem(general.tls.certificate, "General.TLS.Certificate"));
      ASSIGN_OR_RETURN(std::string key, PrivateKeyPem(general.tls.private_key, "General.TLS.PrivateKey"));
      ASSIGN_OR_RETURN(std::vector<std::string> client_roots,
                       BundlePems(general.tls.client_root_cas, "General.TLS.ClientRootCAs"));
      // As Fabric: a client certificate is asked for (Deliver binds sessions to it) but required and verified
      // only with ClientAuthRequired.
      grpc::SslServerCredentialsOptions tls(general.tls.client_auth_required
                                                ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
                                                : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_BUT_DONT_VERIFY);
      tls.pem_root_certs = Concatenated(client_roots);
      tls.pem_key_cert_pairs.push_back({key, chain});
      credentials = grpc::SslServerCredentials(tls);
    }
    impl->broadcast_service = std::make_unique<AtomicBroadcastService>(impl->registry.get());
    grpc::ServerBuilder builder;
    ApplyCommonArguments(builder, general);
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, Milliseconds(general.keepalive.server_interval));
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, Milliseconds(general.keepalive.server_timeout));
    builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                               Milliseconds(general.keepalive.server_min_interval));
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);  // Fabric's PermitWithoutStream
    builder.RegisterService(impl->broadcast_service.get());
    ASSIGN_OR_RETURN(impl->public_server, StartGrpcServer(builder, general.listen, std::move(credentials),
                                                          "public listener (General)", &impl->public_port));
  }

  // The channel participation API.
  {
    participation::ParticipationServerOptions admin_options;
    admin_options.listen = config.admin.listen;
    const nodeconfig::TlsConfig& tls = config.admin.tls;
    if (tls.enabled) {
      participation::ServerTls admin_tls;
      ASSIGN_OR_RETURN(admin_tls.certificate_chain_pem, CertificatesPem(tls.certificate, "Admin.TLS.Certificate"));
      ASSIGN_OR_RETURN(admin_tls.private_key_pem, PrivateKeyPem(tls.private_key, "Admin.TLS.PrivateKey"));
      ASSIGN_OR_RETURN(admin_tls.client_root_ca_pems, BundlePems(tls.client_root_cas, "Admin.TLS.ClientRootCAs"));
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
