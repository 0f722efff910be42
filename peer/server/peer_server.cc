#include "peer/server/peer_server.h"

#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/concurrency/thread_pool.h"
#include "common/file/file_io.h"
#include "common/logging/logger.h"
#include "common/metrics/metrics.h"
#include "common/nodeconfig/grpc_listener.h"
#include "common/nodeconfig/grpc_server_metrics.h"
#include "common/operations/operations_server.h"
#include "common/participation/participation_server.h"
#include "common/status_macros.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/resource_quota.h"
#include "msp/msp_dir.h"
#include "peer/channel/channel_metrics.h"
#include "peer/endorser/endorser.h"
#include "peer/endorser/endorser_metrics.h"
#include "peer/endorser/runtime_chaincode_executor.h"
#include "peer/gateway/deliver_service.h"
#include "peer/gateway/endorser_service.h"
#include "peer/gateway/gateway_service.h"
#include "peer/gateway/local_endorsing_peer.h"
#include "peer/server/peer_channels.h"
#include "peer/vault/document_store.h"
#include "peer/vault/master_key.h"
#include "peer/vault/used_access.h"
#include "peer/vault/vault_channels.h"
#include "peer/vault/vault_service.h"

namespace careledger::peer {
namespace {

// The orderer address overrides of peer.deliveryclient, with their CA files read.
absl::StatusOr<std::vector<gateway::OrdererAddressOverride>> AddressOverridesOf(const DeliveryClientConfig& client) {
  std::vector<gateway::OrdererAddressOverride> overrides;
  for (const OrdererAddressOverride& entry : client.address_overrides) {
    gateway::OrdererAddressOverride resolved{entry.from.ToString(), entry.to.ToString(), ""};
    if (!entry.ca_certs_file.empty()) {
      ASSIGN_OR_RETURN(resolved.tls_roots_pem,
                       nodeconfig::ReadCertificatesPem(entry.ca_certs_file,
                                                       "peer.deliveryclient.addressOverrides caCertsFile"));
    }
    overrides.push_back(std::move(resolved));
  }
  return overrides;
}

// The sync server runs each call on a thread of its own; Fabric's peer.limits.concurrency bound calls per service.
// gRPC bounds threads per server, so the listener's bound is the sum of the three (none if any is unlimited).
int ThreadLimit(const ConcurrencyLimits& limits) {
  if (limits.endorser_service == 0 || limits.deliver_service == 0 || limits.gateway_service == 0) return 0;
  return static_cast<int>(limits.endorser_service + limits.deliver_service + limits.gateway_service);
}

// The operations endpoint's options from the `operations:` section (TLS files read here).
absl::StatusOr<operations::OperationsServerOptions> OperationsOptionsOf(const OperationsConfig& config) {
  operations::OperationsServerOptions options;
  options.listen = config.listen;
  options.log_module = "peer.operations";
  const nodeconfig::TlsFileKeys keys{"operations.tls.cert.file", "operations.tls.key.file",
                                     "operations.tls.clientRootCAs.files"};
  ASSIGN_OR_RETURN(options.tls, nodeconfig::ReadTlsServerFiles(config.tls, keys));
  return options;
}

// The vault's view of the joined channels: each one's MSPs and ledger.
class VaultChannelsOf final : public vault::VaultChannels {
 public:
  explicit VaultChannelsOf(const PeerChannels& channels) : channels_(channels) {}
  std::optional<vault::VaultChannel> Find(std::string_view channel_id) const override {
    std::shared_ptr<const PeerChannel> channel =
        std::dynamic_pointer_cast<const PeerChannel>(channels_.Find(channel_id));
    if (channel == nullptr) return std::nullopt;
    return vault::VaultChannel{channel, &channel->msps(), &channel->ledger()};
  }

 private:
  const PeerChannels& channels_;
};

}  // namespace

struct PeerServer::Impl {
  PeerServerOptions options;
  logging::Logger log{"peer.server"};
  // Declared in dependency order: members are destroyed in reverse, users before what they use.
  metrics::Registry metrics;  // filled only with metrics.provider prometheus
  std::optional<CommitMetricFamilies> commit_metrics;
  std::optional<endorser::EndorserMetrics> endorser_metrics;
  std::unique_ptr<msp::SigningIdentity> identity;
  std::unique_ptr<ThreadPool> validation_pool;
  std::unique_ptr<endorser::RuntimeChaincodeExecutor> executor;
  std::unique_ptr<PeerChannels> channels;
  std::unique_ptr<endorser::Endorser> endorser;
  std::unique_ptr<gateway::GatewayService> gateway_service;
  std::unique_ptr<gateway::EndorserService> endorser_service;
  std::unique_ptr<gateway::DeliverService> deliver_service;
  // The document vault, when vault.enabled.
  std::unique_ptr<vault::DocumentStore> vault_store;
  std::unique_ptr<vault::UsedAccessTransactions> vault_used;
  std::unique_ptr<VaultChannelsOf> vault_channels;
  std::unique_ptr<vault::VaultService> vault_service;
  std::unique_ptr<grpc::Server> server;
  std::unique_ptr<participation::ParticipationServer> admin_server;
  std::unique_ptr<operations::OperationsServer> operations_server;
  int port = 0;
  bool stopped = false;

  void StopAll();
};

void PeerServer::Impl::StopAll() {
  if (stopped) return;
  stopped = true;
  if (operations_server != nullptr) operations_server->Stop();
  if (admin_server != nullptr) admin_server->Stop();
  if (server != nullptr) server->Shutdown(absl::ToChronoTime(absl::Now() + options.shutdown_grace));
  if (channels != nullptr) channels->StopAll();
}

PeerServer::PeerServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PeerServer::~PeerServer() { Stop(); }

void PeerServer::Stop() {
  if (impl_ == nullptr || impl_->stopped) return;
  impl_->log.Info("stopping");
  impl_->StopAll();
  impl_->log.Info("stopped");
}

int PeerServer::port() const { return impl_->port; }
int PeerServer::admin_port() const { return impl_->admin_server->port(); }
int PeerServer::operations_port() const { return impl_->operations_server->port(); }
PeerChannels& PeerServer::channels() { return *impl_->channels; }

absl::StatusOr<std::unique_ptr<PeerServer>> PeerServer::Start(const PeerConfig& config, PeerServerOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  // Whatever fails below, what was started is stopped before the error is returned.
  struct StopOnError {
    Impl* impl;
    ~StopOnError() {
      if (impl != nullptr) impl->StopAll();
    }
  } stop_on_error{impl.get()};

  const PeerSection& peer = config.peer;
  const bool audit = peer.role == PeerRole::kAudit;
  absl::StatusOr<msp::SigningIdentity> identity = msp::LoadSigningIdentity(peer.msp_config_path, peer.local_msp_id);
  if (!identity.ok()) return Annotate(identity.status(), absl::StrCat("peer.mspConfigPath ", peer.msp_config_path));
  impl->identity = std::make_unique<msp::SigningIdentity>(*std::move(identity));

  // The TLS client identity the peer presents when it dials orderers and other peers.
  gateway::TlsClientIdentity tls_client;
  if (peer.tls.enabled) {
    ASSIGN_OR_RETURN(tls_client.certificate_pem,
                     nodeconfig::ReadCertificatesPem(peer.tls_client_certificate, "peer.tls.clientCert.file"));
    ASSIGN_OR_RETURN(tls_client.private_key_pem,
                     nodeconfig::ReadPrivateKeyPem(peer.tls_client_private_key, "peer.tls.clientKey.file"));
  }

  RETURN_IF_ERROR(file::CreateDirectories(peer.file_system_path));
  RETURN_IF_ERROR(file::CreateDirectories(config.chaincode.install_path));
  const bool with_metrics = config.metrics.provider == MetricsProvider::kPrometheus;
  if (with_metrics) {
    ASSIGN_OR_RETURN(impl->commit_metrics, CommitMetricFamilies::Register(impl->metrics));
    ASSIGN_OR_RETURN(impl->endorser_metrics, endorser::EndorserMetrics::Register(impl->metrics));
  }
  impl->validation_pool = std::make_unique<ThreadPool>(std::max(1u, std::thread::hardware_concurrency()));

  endorser::RuntimeChaincodeExecutorOptions executor_options;
  executor_options.install_dir = config.chaincode.install_path;
  executor_options.timeout = config.chaincode.execute_timeout;
  executor_options.runtime.max_workers = config.chaincode.max_concurrent_invocations;
  ASSIGN_OR_RETURN(impl->executor, endorser::RuntimeChaincodeExecutor::Create(std::move(executor_options)));

  PeerChannels::Options channel_options;
  PeerNode& node = channel_options.node;
  node.signer = impl->identity.get();
  node.data_dir = peer.file_system_path;
  node.validation_pool = impl->validation_pool.get();
  node.tls_client_cert_pem = tls_client.certificate_pem;
  node.tls_client_key_pem = tls_client.private_key_pem;
  ASSIGN_OR_RETURN(node.orderer_address_overrides, AddressOverridesOf(peer.delivery_client));
  node.orderer_connect_timeout = peer.delivery_client.conn_timeout;
  node.pull_initial_backoff = peer.delivery_client.minimal_reconnect_interval;
  node.pull_max_backoff = peer.delivery_client.reconnect_backoff_threshold;
  if (impl->commit_metrics.has_value()) node.metrics = &*impl->commit_metrics;
  channel_options.local_address = peer.address;
  channel_options.tls_client = tls_client;
  impl->channels = std::make_unique<PeerChannels>(std::move(channel_options));

  endorser::EndorserOptions endorser_options;
  endorser_options.max_clock_skew = peer.authentication_time_window;
  if (impl->endorser_metrics.has_value()) endorser_options.metrics = &*impl->endorser_metrics;
  impl->endorser = std::make_unique<endorser::Endorser>(*impl->channels, *impl->executor, *impl->identity,
                                                        std::move(endorser_options));
  absl::Status opened =
      impl->channels->OpenAll(std::make_shared<gateway::LocalEndorsingPeer>(*impl->endorser, peer.local_msp_id));
  if (!opened.ok()) return Annotate(opened, absl::StrCat("peer.fileSystemPath ", peer.file_system_path));

  // The document vault, on the same listener.
  if (config.vault.enabled) {
    absl::StatusOr<vault::MasterKey> key = vault::LoadMasterKey(config.vault.master_key_file);
    if (!key.ok()) return Annotate(key.status(), "vault.masterKeyFile");
    vault::DocumentStoreOptions store_options;
    store_options.max_document_bytes = config.vault.max_document_bytes;
    absl::StatusOr<std::unique_ptr<vault::DocumentStore>> store =
        vault::DocumentStore::Open(config.vault.path, *std::move(key), std::move(store_options));
    if (!store.ok()) return Annotate(store.status(), "vault.path");
    impl->vault_store = *std::move(store);
    absl::StatusOr<std::unique_ptr<vault::UsedAccessTransactions>> used =
        vault::UsedAccessTransactions::Open(config.vault.path + "/used-access");
    if (!used.ok()) return Annotate(used.status(), "vault.path");
    impl->vault_used = *std::move(used);
    impl->vault_channels = std::make_unique<VaultChannelsOf>(*impl->channels);
    vault::VaultServiceOptions vault_options;
    vault_options.node_name = peer.id;
    vault_options.local_msp_id = peer.local_msp_id;
    vault_options.access.access_window = config.vault.access_window;
    impl->vault_service = std::make_unique<vault::VaultService>(*impl->vault_channels, *impl->vault_store,
                                                               *impl->vault_used, std::move(vault_options));
  }

  // The client-facing listener: Gateway, Endorser, Deliver, and the vault if enabled.
  {
    gateway::GatewayOptions gateway_options;
    gateway_options.local_msp_id = peer.local_msp_id;
    gateway_options.address = peer.address;
    gateway_options.audit = audit;
    gateway_options.endorsement_timeout = peer.gateway.endorsement_timeout;
    gateway_options.broadcast_timeout = peer.gateway.broadcast_timeout;
    impl->gateway_service = std::make_unique<gateway::GatewayService>(impl->channels->gateways(), *impl->endorser,
                                                                      std::move(gateway_options));
    impl->endorser_service = std::make_unique<gateway::EndorserService>(*impl->endorser, audit);
    impl->deliver_service = std::make_unique<gateway::DeliverService>(impl->channels->gateways(),
                                                                      gateway::DeliverOptions{});
    grpc::ServerBuilder builder;
    nodeconfig::ApplyMessageLimits(builder, peer.max_recv_msg_size, peer.max_send_msg_size);
    nodeconfig::ApplyServerKeepalive(builder, peer.keepalive);
    if (const int threads = ThreadLimit(peer.limits); threads > 0) {
      grpc::ResourceQuota quota("careledger-peer");
      quota.SetMaxThreads(threads);
      builder.SetResourceQuota(quota);
    }
    if (with_metrics) {
      ASSIGN_OR_RETURN(std::shared_ptr<nodeconfig::GrpcServerMetrics> grpc_metrics,
                       nodeconfig::RegisterGrpcServerMetrics(impl->metrics));
      nodeconfig::ApplyServerMetrics(builder, std::move(grpc_metrics));
    }
    if (peer.gateway.enabled) builder.RegisterService(impl->gateway_service.get());
    builder.RegisterService(impl->endorser_service.get());
    builder.RegisterService(impl->deliver_service.get());
    if (impl->vault_service != nullptr) builder.RegisterService(impl->vault_service.get());
    ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials,
                     nodeconfig::ServerCredentialsFor(
                         peer.tls, {"peer.tls.cert.file", "peer.tls.key.file", "peer.tls.clientRootCAs.files"}));
    ASSIGN_OR_RETURN(impl->server, nodeconfig::BuildAndStart(builder, peer.listen, std::move(credentials),
                                                             "peer listener (peer.listenAddress)", &impl->port));
  }

  // The channel participation endpoint.
  {
    participation::ParticipationServerOptions admin_options;
    admin_options.listen = peer.admin.listen;
    admin_options.log_module = "peer.admin";
    admin_options.max_request_body_bytes = peer.max_recv_msg_size;
    const nodeconfig::TlsConfig& tls = peer.admin.tls;
    if (tls.enabled) {
      participation::ServerTls admin_tls;
      ASSIGN_OR_RETURN(admin_tls.certificate_chain_pem,
                       nodeconfig::ReadCertificatesPem(tls.certificate, "peer.admin.tls.cert.file"));
      ASSIGN_OR_RETURN(admin_tls.private_key_pem,
                       nodeconfig::ReadPrivateKeyPem(tls.private_key, "peer.admin.tls.key.file"));
      ASSIGN_OR_RETURN(admin_tls.client_root_ca_pems,
                       nodeconfig::ReadCertificatePems(tls.client_root_cas, "peer.admin.tls.clientRootCAs.files"));
      admin_options.tls = std::move(admin_tls);
    }
    ASSIGN_OR_RETURN(impl->admin_server,
                     participation::ParticipationServer::Start(std::move(admin_options), impl->channels.get()));
  }

  // The operations endpoint: health, metrics, version, log levels.
  {
    ASSIGN_OR_RETURN(operations::OperationsServerOptions operations_options, OperationsOptionsOf(config.operations));
    if (with_metrics) operations_options.metrics = &impl->metrics;
    ASSIGN_OR_RETURN(impl->operations_server, operations::OperationsServer::Start(std::move(operations_options)));
    // Every joined channel must answer for its ledger; a channel whose ledger cannot report fails the check.
    PeerChannels* channels = impl->channels.get();
    impl->operations_server->AddHealthCheck("ledger", [channels]() -> absl::Status {
      for (const participation::ChannelInfo& channel : channels->List()) {
        if (absl::Status info = channels->Info(channel.name).status(); !info.ok()) {
          return absl::UnavailableError(absl::StrCat("channel ", channel.name, ": ", info.message()));
        }
      }
      return absl::OkStatus();
    });
  }

  const nodeconfig::HostPort listen{peer.listen.host, static_cast<uint16_t>(impl->port)};
  const nodeconfig::HostPort admin{peer.admin.listen.host, impl->admin_server->port()};
  const nodeconfig::HostPort operations{config.operations.listen.host, impl->operations_server->port()};
  impl->log.Info("peer ready", {{"id", peer.id},
                                {"listen", listen.ToString()},
                                {"address", peer.address},
                                {"admin", admin.ToString()},
                                {"operations", operations.ToString()},
                                {"msp_id", peer.local_msp_id},
                                {"role", PeerRoleName(peer.role)},
                                {"vault", config.vault.enabled},
                                {"channels", impl->channels->List().size()}});
  stop_on_error.impl = nullptr;
  return std::unique_ptr<PeerServer>(new PeerServer(std::move(impl)));
}

}  // namespace careledger::peer
