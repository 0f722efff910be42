#include "orderer/config/orderer_config.h"

#include <filesystem>
#include <limits>
#include <optional>
#include <system_error>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/config/config_document.h"
#include "common/config/config_node.h"
#include "common/status_macros.h"
#include "orderer/config/config_checks.h"

namespace careledger::orderer {
namespace {

using config::ConfigNode;

constexpr char kDefaultCertificate[] = "tls/server.crt";
constexpr char kDefaultPrivateKey[] = "tls/server.key";
constexpr char kDefaultRootCa[] = "tls/ca.crt";
constexpr char kDefaultListenHost[] = "0.0.0.0";
constexpr char kDefaultLocalHost[] = "127.0.0.1";
constexpr char kDefaultLocalMspDir[] = "msp";

// gRPC takes message sizes as int.
constexpr config::ByteSizeRange kMessageSizeRange{.min = 1024, .max = std::numeric_limits<int32_t>::max()};
constexpr config::DurationRange kPositive{.min = absl::Nanoseconds(1)};
constexpr config::IntRange kPortRange{.min = 1, .max = 65535};

absl::StatusOr<TlsConfig> ReadTls(const ConfigNode& node, const TlsConfig& defaults) {
  TlsConfig tls;
  ASSIGN_OR_RETURN(tls.enabled, node.GetBoolOr("Enabled", defaults.enabled));
  ASSIGN_OR_RETURN(tls.certificate, node.GetStringOr("Certificate", defaults.certificate));
  ASSIGN_OR_RETURN(tls.private_key, node.GetStringOr("PrivateKey", defaults.private_key));
  ASSIGN_OR_RETURN(tls.root_cas, node.GetStringListOr("RootCAs", defaults.root_cas));
  ASSIGN_OR_RETURN(tls.client_auth_required, node.GetBoolOr("ClientAuthRequired", defaults.client_auth_required));
  ASSIGN_OR_RETURN(tls.client_root_cas, node.GetStringListOr("ClientRootCAs", defaults.client_root_cas));
  return tls;
}

// `key` of `node` as a listen address. `port_hint` ends the error of an address that may not carry a port
// ("; the port is General.ListenPort").
absl::StatusOr<HostPort> ReadListenAddress(const ConfigNode& node, std::string_view key, std::string_view fallback,
                                           std::optional<uint16_t> default_port, std::string_view port_hint) {
  ASSIGN_OR_RETURN(std::string text, node.GetStringOr(key, fallback));
  absl::StatusOr<HostPort> address = ParseListenAddress(text, default_port);
  if (!address.ok()) return node.InvalidValueError(key, absl::StrCat(address.status().message(), AsAbsl(port_hint)));
  return address;
}

absl::StatusOr<uint16_t> ReadPort(const ConfigNode& node, std::string_view key, uint16_t default_port) {
  ASSIGN_OR_RETURN(int64_t port, node.GetIntOr(key, default_port, kPortRange));
  return static_cast<uint16_t>(port);
}

std::string Resolve(const std::filesystem::path& base, const std::string& path) {
  if (path.empty()) return path;
  std::filesystem::path p(path);
  if (p.is_relative()) p = base / p;
  return p.lexically_normal().string();
}

void Resolve(const std::filesystem::path& base, std::vector<std::string>& paths) {
  for (std::string& path : paths) path = Resolve(base, path);
}

void Resolve(const std::filesystem::path& base, TlsConfig& tls) {
  tls.certificate = Resolve(base, tls.certificate);
  tls.private_key = Resolve(base, tls.private_key);
  Resolve(base, tls.root_cas);
  Resolve(base, tls.client_root_cas);
}

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
    ResolvePaths();
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

    ASSIGN_OR_RETURN(general_tls_, general_->GetMappingOrEmpty("TLS"));
    ASSIGN_OR_RETURN(general.tls, ReadTls(*general_tls_, TlsConfig{.enabled = true,
                                                                   .certificate = kDefaultCertificate,
                                                                   .private_key = kDefaultPrivateKey,
                                                                   .root_cas = {kDefaultRootCa},
                                                                   .client_auth_required = false,
                                                                   .client_root_cas = {}}));

    ASSIGN_OR_RETURN(ConfigNode keepalive, general_->GetMappingOrEmpty("Keepalive"));
    const KeepaliveConfig defaults;
    ASSIGN_OR_RETURN(general.keepalive.server_min_interval,
                     keepalive.GetDurationOr("ServerMinInterval", defaults.server_min_interval, kPositive));
    ASSIGN_OR_RETURN(general.keepalive.server_interval,
                     keepalive.GetDurationOr("ServerInterval", defaults.server_interval, kPositive));
    ASSIGN_OR_RETURN(general.keepalive.server_timeout,
                     keepalive.GetDurationOr("ServerTimeout", defaults.server_timeout, kPositive));

    ASSIGN_OR_RETURN(general.max_recv_msg_size,
                     general_->GetByteSizeOr("MaxRecvMsgSize", general.max_recv_msg_size, kMessageSizeRange));
    ASSIGN_OR_RETURN(general.max_send_msg_size,
                     general_->GetByteSizeOr("MaxSendMsgSize", general.max_send_msg_size, kMessageSizeRange));

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
    ASSIGN_OR_RETURN(cluster.dial_timeout, cluster_->GetDurationOr("DialTimeout", cluster.dial_timeout, kPositive));
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
    ASSIGN_OR_RETURN(admin_tls_, admin_->GetMappingOrEmpty("TLS"));
    ASSIGN_OR_RETURN(config_.admin.tls, ReadTls(*admin_tls_, defaults));

    defaults.enabled = false;
    defaults.client_auth_required = false;
    ASSIGN_OR_RETURN(operations_, root.GetMappingOrEmpty("Operations"));
    ASSIGN_OR_RETURN(config_.operations.listen,
                     ReadListenAddress(*operations_, "ListenAddress",
                                       absl::StrCat(kDefaultLocalHost, ":", kDefaultOperationsPort),
                                       kDefaultOperationsPort, ""));
    ASSIGN_OR_RETURN(operations_tls_, operations_->GetMappingOrEmpty("TLS"));
    ASSIGN_OR_RETURN(config_.operations.tls, ReadTls(*operations_tls_, defaults));
    return absl::OkStatus();
  }

  absl::Status ReadLogging() {
    ASSIGN_OR_RETURN(ConfigNode logging, doc_.Root().GetMappingOrEmpty("Logging"));
    ASSIGN_OR_RETURN(config_.logging.spec, logging.GetStringOr("Spec", config_.logging.spec));
    absl::StatusOr<logging::LogSpec> spec = logging::LogSpec::Parse(config_.logging.spec);
    if (!spec.ok()) return logging.InvalidValueError("Spec", AsStd(spec.status().message()));
    config_.logging.log_spec = *std::move(spec);
    return absl::OkStatus();
  }

  void ResolvePaths() {
    GeneralConfig& general = config_.general;
    Resolve(config_dir_, general.tls);
    ClusterConfig& cluster = general.cluster;
    for (std::string* path : {&cluster.server_certificate, &cluster.server_private_key, &cluster.client_certificate,
                              &cluster.client_private_key, &general.local_msp_dir, &config_.file_ledger.location,
                              &config_.consensus.wal_dir, &config_.consensus.snap_dir}) {
      *path = Resolve(config_dir_, *path);
    }
    Resolve(config_dir_, cluster.root_cas);
    Resolve(config_dir_, config_.admin.tls);
    Resolve(config_dir_, config_.operations.tls);
  }

  absl::Status Check() {
    const GeneralConfig& general = config_.general;
    RETURN_IF_ERROR(internal::CheckDistinctPorts({
        {&*general_, "ListenPort", general.listen},
        {&*cluster_, "ListenPort", general.cluster.listen},
        {&*admin_, "ListenAddress", config_.admin.listen},
        {&*operations_, "ListenAddress", config_.operations.listen},
    }));

    RETURN_IF_ERROR(internal::CheckTls(*general_tls_, general.tls));

    const ClusterConfig& cluster = general.cluster;
    constexpr char kMutualTls[] = "the cluster always uses mutual TLS";
    RETURN_IF_ERROR(internal::CheckKeyPair(*cluster_, "ServerCertificate", cluster.server_certificate,
                                           "ServerPrivateKey", cluster.server_private_key, kMutualTls));
    RETURN_IF_ERROR(internal::CheckKeyPair(*cluster_, "ClientCertificate", cluster.client_certificate,
                                           "ClientPrivateKey", cluster.client_private_key, kMutualTls));
    if (cluster.root_cas.empty()) {
      return cluster_->InvalidValueError(
          "RootCAs", "empty, but the cluster always uses mutual TLS: other orderers' certificates are verified "
                     "against these CAs");
    }
    RETURN_IF_ERROR(internal::CheckCaFiles(*cluster_, "RootCAs", cluster.root_cas));

    RETURN_IF_ERROR(internal::CheckFolder(*general_, "LocalMSPDir", general.local_msp_dir));

    const AdminConfig& admin = config_.admin;
    if (admin.tls.enabled && !admin.tls.client_auth_required) {
      return admin_tls_->InvalidValueError(
          "ClientAuthRequired", "must be true when Admin.TLS.Enabled is true: the admin endpoint authorises "
                                "requests by the client's certificate");
    }
    if (!admin.tls.enabled && !IsLoopbackHost(admin.listen.host)) {
      return admin_tls_->InvalidValueError(
          "Enabled", absl::StrCat("false is allowed only on a loopback Admin.ListenAddress, not ",
                                  admin.listen.ToString(),
                                  ": without TLS the admin endpoint cannot authenticate anyone"));
    }
    RETURN_IF_ERROR(internal::CheckTls(*admin_tls_, admin.tls));
    RETURN_IF_ERROR(internal::CheckTls(*operations_tls_, config_.operations.tls));
    return absl::OkStatus();
  }

  config::ConfigDocument& doc_;
  const std::filesystem::path config_dir_;
  OrdererConfig config_;
  // Sections, kept for the checks' error positions. Set by the Read* passes in order.
  std::optional<ConfigNode> general_, general_tls_, cluster_, file_ledger_, consensus_, admin_, admin_tls_,
      operations_, operations_tls_;
};

config::LoadOptions Options(const config::Environment& environment) {
  return config::LoadOptions{.environment_prefix = kOrdererEnvironmentPrefix, .environment = environment};
}

// The absolute folder holding `file`.
absl::StatusOr<std::filesystem::path> FolderOf(std::string_view file) {
  std::error_code error;
  std::filesystem::path folder = std::filesystem::path(file).parent_path();
  folder = folder.empty() ? std::filesystem::current_path(error) : std::filesystem::absolute(folder, error);
  if (error) {
    return absl::InternalError(absl::StrCat("cannot find the folder of ", AsAbsl(file), ": ", error.message()));
  }
  return folder.lexically_normal();
}

}  // namespace

absl::StatusOr<OrdererConfig> LoadOrdererConfig(const std::string& path, const config::Environment& environment) {
  ASSIGN_OR_RETURN(config::ConfigDocument doc, config::ConfigDocument::Load(path, Options(environment)));
  ASSIGN_OR_RETURN(std::filesystem::path folder, FolderOf(path));
  return Reader(doc, std::move(folder)).Read();
}

absl::StatusOr<OrdererConfig> ParseOrdererConfig(std::string_view text, std::string_view source_name,
                                                 const config::Environment& environment) {
  ASSIGN_OR_RETURN(config::ConfigDocument doc, config::ConfigDocument::Parse(text, source_name, Options(environment)));
  ASSIGN_OR_RETURN(std::filesystem::path folder, FolderOf(source_name));
  return Reader(doc, std::move(folder)).Read();
}

std::string FormatEffectiveConfig(const OrdererConfig& config) {
  // Origins hold a file name and values were escaped by common/config; the folder is escaped here, so that
  // no configured text can forge a line.
  std::string out = absl::StrCat("# ", absl::CHexEscape(config.source_name), ": relative paths are resolved against ",
                                 absl::CHexEscape(config.config_dir), "\n");
  for (const config::EffectiveValue& value : config.effective_values) {
    absl::StrAppend(&out, value.path, ": ", value.value, "  # ", absl::CHexEscape(value.origin), "\n");
  }
  return out;
}

}  // namespace careledger::orderer
