#include "orderer/config/orderer_config.h"

#include <filesystem>
#include <limits>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/config/config_document.h"
#include "common/config/config_node.h"
#include "common/nodeconfig/config_checks.h"
#include "common/nodeconfig/config_key.h"
#include "common/nodeconfig/config_paths.h"
#include "common/nodeconfig/effective_config.h"
#include "common/nodeconfig/section_readers.h"
#include "common/nodeconfig/tls_section.h"
#include "common/status_macros.h"

namespace careledger::orderer {
namespace {

using config::ConfigNode;
using nodeconfig::kGrpcMessageSizeRange;
using nodeconfig::kPositiveDuration;
using nodeconfig::ReadListenAddress;
using nodeconfig::ReadPort;
using nodeconfig::ResolvePath;
using nodeconfig::ResolvePaths;
using nodeconfig::TlsConfig;

constexpr char kDefaultListenHost[] = "0.0.0.0";
constexpr char kDefaultLocalHost[] = "127.0.0.1";
constexpr char kDefaultLocalMspDir[] = "msp";


// Fabric's orderer.yaml spelling of a TLS section.
constexpr nodeconfig::TlsKeyNames kTlsKeys{.enabled = "Enabled",
                                           .certificate = "Certificate",
                                           .private_key = "PrivateKey",
                                           .root_cas = "RootCAs",
                                           .root_cas_is_list = true,
                                           .client_auth_required = "ClientAuthRequired",
                                           .client_root_cas = "ClientRootCAs"};

// Reads one document into an OrdererConfig in three passes: every value (type and range errors), unknown
// keys, then the checks across keys and of the files named. The section nodes are kept so that the last pass
// can point at the key at fault.
class Reader {
 public:
  Reader(config::ConfigDocument& doc, std::filesystem::path config_dir)
      : doc_(doc), config_dir_(std::move(config_dir)) {}

  absl::StatusOr<OrdererConfig> Read() {
    RETURN_IF_ERROR(ReadGeneral());
    RETURN_IF_ERROR(ReadCluster());
    RETURN_IF_ERROR(ReadStorage());
    RETURN_IF_ERROR(ReadAdminAndOperations());
    RETURN_IF_ERROR(ReadLogging());
    RETURN_IF_ERROR(doc_.CheckNoUnknownKeys());
    ResolveRelativePaths();
    RETURN_IF_ERROR(Check());
    config_.source_name = doc_.source_name();
    config_.config_dir = config_dir_.string();
    config_.effective_values = doc_.EffectiveValues();
    return std::move(config_);
  }

 private:
  absl::Status ReadGeneral() {
    ConfigNode root = doc_.Root();
    ASSIGN_OR_RETURN(general_, root.GetMappingOrEmpty("General"));
    GeneralConfig& general = config_.general;
    ASSIGN_OR_RETURN(general.listen, ReadListenAddress(*general_, "ListenAddress", kDefaultListenHost, std::nullopt,
                                                       "; the port is General.ListenPort"));
    ASSIGN_OR_RETURN(general.listen.port, ReadPort(*general_, "ListenPort", kDefaultListenPort));

    ASSIGN_OR_RETURN(ConfigNode tls, general_->GetMappingOrEmpty("TLS"));
    ASSIGN_OR_RETURN(nodeconfig::TlsSection tls_section,
                     nodeconfig::ReadTlsSection(tls, kTlsKeys, nodeconfig::DefaultClientListenerTls()));
    general.tls = std::move(tls_section.tls);
    general_tls_ = std::move(tls_section.keys);

    ASSIGN_OR_RETURN(ConfigNode keepalive, general_->GetMappingOrEmpty("Keepalive"));
    ASSIGN_OR_RETURN(general.keepalive,
                     nodeconfig::ReadKeepalive(keepalive, {.server_min_interval = "ServerMinInterval",
                                                           .server_interval = "ServerInterval",
                                                           .server_timeout = "ServerTimeout"}));

    ASSIGN_OR_RETURN(general.max_recv_msg_size,
                     general_->GetByteSizeOr("MaxRecvMsgSize", general.max_recv_msg_size, kGrpcMessageSizeRange));
    ASSIGN_OR_RETURN(general.max_send_msg_size,
                     general_->GetByteSizeOr("MaxSendMsgSize", general.max_send_msg_size, kGrpcMessageSizeRange));

    ASSIGN_OR_RETURN(general.local_msp_dir, general_->GetStringOr("LocalMSPDir", kDefaultLocalMspDir));
    ASSIGN_OR_RETURN(general.local_msp_id, general_->GetString("LocalMSPID"));
    if (general.local_msp_id.empty()) return general_->InvalidValueError("LocalMSPID", "must not be empty");

    if (general_->Has("BCCSP")) {
      return general_->InvalidValueError(
          "BCCSP", "not supported: CareLedger signs with the software ECDSA P-256 key in General.LocalMSPDir "
                   "(keystore/) and has no PKCS#11 or other crypto provider; remove this section");
    }
    return absl::OkStatus();
  }

  // After General: its defaults are General's values.
  absl::Status ReadCluster() {
    ASSIGN_OR_RETURN(cluster_, general_->GetMappingOrEmpty("Cluster"));
    const GeneralConfig& general = config_.general;
    ClusterConfig& cluster = config_.general.cluster;
    ASSIGN_OR_RETURN(cluster.listen, ReadListenAddress(*cluster_, "ListenAddress", general.listen.host, std::nullopt,
                                                       "; the port is General.Cluster.ListenPort"));
    ASSIGN_OR_RETURN(cluster.listen.port, ReadPort(*cluster_, "ListenPort", kDefaultClusterListenPort));
    ASSIGN_OR_RETURN(cluster.server_certificate, cluster_->GetStringOr("ServerCertificate", general.tls.certificate));
    ASSIGN_OR_RETURN(cluster.server_private_key, cluster_->GetStringOr("ServerPrivateKey", general.tls.private_key));
    ASSIGN_OR_RETURN(cluster.client_certificate,
                     cluster_->GetStringOr("ClientCertificate", cluster.server_certificate));
    ASSIGN_OR_RETURN(cluster.client_private_key,
                     cluster_->GetStringOr("ClientPrivateKey", cluster.server_private_key));
    ASSIGN_OR_RETURN(cluster.root_cas, cluster_->GetStringListOr("RootCAs", general.tls.root_cas));
    ASSIGN_OR_RETURN(cluster.dial_timeout,
                     cluster_->GetDurationOr("DialTimeout", cluster.dial_timeout, kPositiveDuration));
    return absl::OkStatus();
  }

  absl::Status ReadStorage() {
    ConfigNode root = doc_.Root();
    ASSIGN_OR_RETURN(file_ledger_, root.GetMappingOrEmpty("FileLedger"));
    ASSIGN_OR_RETURN(config_.file_ledger.location, file_ledger_->GetStringOr("Location", kDefaultFileLedgerLocation));
    if (config_.file_ledger.location.empty()) return file_ledger_->InvalidValueError("Location", "must name a folder");

    ASSIGN_OR_RETURN(consensus_, root.GetMappingOrEmpty("Consensus"));
    ConsensusConfig& consensus = config_.consensus;
    const std::filesystem::path raft = std::filesystem::path(config_.file_ledger.location) / "raft";
    ASSIGN_OR_RETURN(consensus.wal_dir, consensus_->GetStringOr("WALDir", (raft / "wal").string()));
    if (consensus.wal_dir.empty()) return consensus_->InvalidValueError("WALDir", "must name a folder");
    ASSIGN_OR_RETURN(consensus.snap_dir, consensus_->GetStringOr("SnapDir", (raft / "snapshot").string()));
    if (consensus.snap_dir.empty()) return consensus_->InvalidValueError("SnapDir", "must name a folder");
    ASSIGN_OR_RETURN(int64_t interval,
                     consensus_->GetIntOr("SnapshotIntervalBlocks", consensus.snapshot_interval_blocks,
                                          {.min = 1, .max = std::numeric_limits<uint32_t>::max()}));
    consensus.snapshot_interval_blocks = static_cast<uint32_t>(interval);
    return absl::OkStatus();
  }

  absl::Status ReadAdminAndOperations() {
    ConfigNode root = doc_.Root();
    const TlsConfig& general_tls = config_.general.tls;
    // The node's own TLS files and its organisation's TLS CA, which also issues its admins' certificates.
    TlsConfig defaults{.enabled = true,
                       .certificate = general_tls.certificate,
                       .private_key = general_tls.private_key,
                       .root_cas = general_tls.root_cas,
                       .client_auth_required = true,
                       .client_root_cas = general_tls.root_cas};

    ASSIGN_OR_RETURN(admin_, root.GetMappingOrEmpty("Admin"));
    ASSIGN_OR_RETURN(config_.admin.listen, ReadListenAddress(*admin_, "ListenAddress",
                                                             absl::StrCat(kDefaultLocalHost, ":", kDefaultAdminPort),
                                                             kDefaultAdminPort, ""));
    ASSIGN_OR_RETURN(ConfigNode admin_tls, admin_->GetMappingOrEmpty("TLS"));
    ASSIGN_OR_RETURN(nodeconfig::TlsSection admin_tls_section,
                     nodeconfig::ReadTlsSection(admin_tls, kTlsKeys, defaults));
    config_.admin.tls = std::move(admin_tls_section.tls);
    admin_tls_ = std::move(admin_tls_section.keys);

    defaults.enabled = false;
    defaults.client_auth_required = false;
    ASSIGN_OR_RETURN(operations_, root.GetMappingOrEmpty("Operations"));
    ASSIGN_OR_RETURN(config_.operations.listen,
                     ReadListenAddress(*operations_, "ListenAddress",
                                       absl::StrCat(kDefaultLocalHost, ":", kDefaultOperationsPort),
                                       kDefaultOperationsPort, ""));
    ASSIGN_OR_RETURN(ConfigNode operations_tls, operations_->GetMappingOrEmpty("TLS"));
    ASSIGN_OR_RETURN(nodeconfig::TlsSection operations_tls_section,
                     nodeconfig::ReadTlsSection(operations_tls, kTlsKeys, defaults));
    config_.operations.tls = std::move(operations_tls_section.tls);
    operations_tls_ = std::move(operations_tls_section.keys);
    return absl::OkStatus();
  }

  absl::Status ReadLogging() {
    ASSIGN_OR_RETURN(ConfigNode logging, doc_.Root().GetMappingOrEmpty("Logging"));
    ASSIGN_OR_RETURN(config_.logging, nodeconfig::ReadLogging(logging, "Spec"));
    return absl::OkStatus();
  }

  void ResolveRelativePaths() {
    GeneralConfig& general = config_.general;
    ResolvePaths(config_dir_, general.tls);
    ClusterConfig& cluster = general.cluster;
    for (std::string* path : {&cluster.server_certificate, &cluster.server_private_key, &cluster.client_certificate,
                              &cluster.client_private_key, &general.local_msp_dir, &config_.file_ledger.location,
                              &config_.consensus.wal_dir, &config_.consensus.snap_dir}) {
      *path = ResolvePath(config_dir_, *path);
    }
    ResolvePaths(config_dir_, cluster.root_cas);
    ResolvePaths(config_dir_, config_.admin.tls);
    ResolvePaths(config_dir_, config_.operations.tls);
  }

  absl::Status Check() {
    const GeneralConfig& general = config_.general;
    RETURN_IF_ERROR(nodeconfig::CheckDistinctPorts({
        {{*general_, "ListenPort"}, general.listen},
        {{*cluster_, "ListenPort"}, general.cluster.listen},
        {{*admin_, "ListenAddress"}, config_.admin.listen},
        {{*operations_, "ListenAddress"}, config_.operations.listen},
    }));

    RETURN_IF_ERROR(nodeconfig::CheckTls(*general_tls_, general.tls));

    const ClusterConfig& cluster = general.cluster;
    constexpr char kMutualTls[] = "the cluster always uses mutual TLS";
    RETURN_IF_ERROR(nodeconfig::CheckKeyPair({*cluster_, "ServerCertificate"}, cluster.server_certificate,
                                             {*cluster_, "ServerPrivateKey"}, cluster.server_private_key, kMutualTls));
    RETURN_IF_ERROR(nodeconfig::CheckKeyPair({*cluster_, "ClientCertificate"}, cluster.client_certificate,
                                             {*cluster_, "ClientPrivateKey"}, cluster.client_private_key, kMutualTls));
    if (cluster.root_cas.empty()) {
      return cluster_->InvalidValueError(
          "RootCAs", "empty, but the cluster always uses mutual TLS: other orderers' certificates are verified "
                     "against these CAs");
    }
    RETURN_IF_ERROR(nodeconfig::CheckCaFiles({*cluster_, "RootCAs"}, cluster.root_cas));

    RETURN_IF_ERROR(nodeconfig::CheckFolder({*general_, "LocalMSPDir"}, general.local_msp_dir));

    RETURN_IF_ERROR(nodeconfig::CheckAdminTls({*admin_, "ListenAddress"}, config_.admin.listen, *admin_tls_,
                                              config_.admin.tls));
    RETURN_IF_ERROR(nodeconfig::CheckTls(*operations_tls_, config_.operations.tls));
    return absl::OkStatus();
  }

  config::ConfigDocument& doc_;
  const std::filesystem::path config_dir_;
  OrdererConfig config_;
  // Sections, kept for the checks' error positions. Set by the Read* passes in order.
  std::optional<ConfigNode> general_, cluster_, file_ledger_, consensus_, admin_, operations_;
  std::optional<nodeconfig::TlsKeys> general_tls_, admin_tls_, operations_tls_;
};

config::LoadOptions Options(const config::Environment& environment) {
  return config::LoadOptions{.environment_prefix = kOrdererEnvironmentPrefix, .environment = environment};
}

}  // namespace

absl::StatusOr<OrdererConfig> LoadOrdererConfig(const std::string& path, const config::Environment& environment) {
  ASSIGN_OR_RETURN(config::ConfigDocument doc, config::ConfigDocument::Load(path, Options(environment)));
  ASSIGN_OR_RETURN(std::filesystem::path folder, nodeconfig::FolderOf(path));
  return Reader(doc, std::move(folder)).Read();
}

absl::StatusOr<OrdererConfig> ParseOrdererConfig(std::string_view text, std::string_view source_name,
                                                 const config::Environment& environment) {
  ASSIGN_OR_RETURN(config::ConfigDocument doc, config::ConfigDocument::Parse(text, source_name, Options(environment)));
  ASSIGN_OR_RETURN(std::filesystem::path folder, nodeconfig::FolderOf(source_name));
  return Reader(doc, std::move(folder)).Read();
}

std::string FormatEffectiveConfig(const OrdererConfig& config) {
  return nodeconfig::FormatEffectiveConfig(config.source_name, config.config_dir, config.effective_values);
}

}  // namespace careledger::orderer
