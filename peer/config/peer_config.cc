#include "peer/config/peer_config.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/config/config_document.h"
#include "common/config/config_node.h"
#include "common/config/set_flags.h"
#include "common/nodeconfig/config_checks.h"
#include "common/nodeconfig/config_key.h"
#include "common/nodeconfig/config_paths.h"
#include "common/nodeconfig/effective_config.h"
#include "common/nodeconfig/section_readers.h"
#include "common/nodeconfig/tls_section.h"
#include "common/status_macros.h"
#include "common/strings.h"

namespace careledger::peer {
namespace {

using config::ConfigNode;
using nodeconfig::ConfigKey;
using nodeconfig::HostPort;
using nodeconfig::kGrpcMessageSizeRange;
using nodeconfig::kPositiveDuration;
using nodeconfig::ReadListenAddress;
using nodeconfig::ResolvePath;
using nodeconfig::ResolvePaths;
using nodeconfig::TlsConfig;

constexpr char kDefaultListenHost[] = "0.0.0.0";
constexpr char kDefaultLocalHost[] = "127.0.0.1";
constexpr char kDefaultMspConfigPath[] = "msp";
constexpr char kInstallFolder[] = "chaincodes";
constexpr char kVaultFolder[] = "vault";
// Room in a gRPC message for a vault request's fields besides the document (identity, signature, IDs).
constexpr uint64_t kVaultEnvelopeBytes = uint64_t{1} << 20;
constexpr size_t kMaxPeerIdLength = 253;

constexpr config::IntRange kConcurrencyRange{.min = 0, .max = std::numeric_limits<int32_t>::max()};
constexpr config::IntRange kInvocationsRange{.min = 1, .max = 10000};

// core.yaml's spelling of peer.tls.
constexpr nodeconfig::TlsKeyNames kPeerTlsKeys{.enabled = "enabled",
                                               .certificate = "cert.file",
                                               .private_key = "key.file",
                                               .root_cas = "rootcert.file",
                                               .root_cas_is_list = false,
                                               .client_auth_required = "clientAuthRequired",
                                               .client_root_cas = "clientRootCAs.files"};
// The same for a listener that dials nowhere (peer.admin.tls, operations.tls): no root CAs, as Fabric's
// operations.tls.
constexpr nodeconfig::TlsKeyNames kServerTlsKeys{.enabled = "enabled",
                                                 .certificate = "cert.file",
                                                 .private_key = "key.file",
                                                 .root_cas = "",
                                                 .root_cas_is_list = false,
                                                 .client_auth_required = "clientAuthRequired",
                                                 .client_root_cas = "clientRootCAs.files"};

bool IsValidPeerId(std::string_view id) {
  if (id.empty() || id.size() > kMaxPeerIdLength) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') return false;
  }
  return true;
}

// An address the peer dials: host:port, the port required.
absl::StatusOr<HostPort> ReadEndpoint(const ConfigNode& node, std::string_view key) {
  ASSIGN_OR_RETURN(std::string text, node.GetString(key));
  absl::StatusOr<HostPort> address = nodeconfig::ParseListenAddress(text, uint16_t{0});
  if (!address.ok()) return node.InvalidValueError(key, AsStd(address.status().message()));
  if (address->port == 0) return node.InvalidValueError(key, "expected host:port (the port is required)");
  return address;
}

// A Fabric section CareLedger does not have, refused with why rather than as an unknown key.
absl::Status RefuseSection(const ConfigNode& node, std::string_view key, std::string_view why) {
  if (!node.Has(key)) return absl::OkStatus();
  return node.InvalidValueError(key, absl::StrCat("not supported: ", AsAbsl(why), "; remove this section"));
}

// Reads one document into a PeerConfig in three passes, as orderer/config does: every value (type and range
// errors), unknown keys, then the checks across keys and of the files named. The keys the last pass names
// are kept from the first.
class Reader {
 public:
  Reader(config::ConfigDocument& doc, std::filesystem::path config_dir)
      : doc_(doc), config_dir_(std::move(config_dir)) {}

  absl::StatusOr<PeerConfig> Read() {
    ConfigNode root = doc_.Root();
    ASSIGN_OR_RETURN(peer_, root.GetMappingOrEmpty("peer"));
    RETURN_IF_ERROR(ReadIdentity());
    RETURN_IF_ERROR(ReadListener());
    RETURN_IF_ERROR(ReadServices());
    RETURN_IF_ERROR(ReadDeliveryClient());
    RETURN_IF_ERROR(ReadAdmin());
    RETURN_IF_ERROR(RefuseSection(*peer_, "BCCSP",
                                  "CareLedger signs with the software ECDSA P-256 key in peer.mspConfigPath "
                                  "(keystore/) and has no PKCS#11 or other crypto provider"));
    RETURN_IF_ERROR(RefuseSection(*peer_, "gossip",
                                  "CareLedger peers have no gossip: each peer pulls its blocks from the ordering "
                                  "service (peer.deliveryclient) and private data is kept off-chain"));
    RETURN_IF_ERROR(ReadChaincode());
    RETURN_IF_ERROR(ReadOperationsAndMetrics());
    RETURN_IF_ERROR(ReadVault());
    ASSIGN_OR_RETURN(ConfigNode logging, root.GetMappingOrEmpty("logging"));
    ASSIGN_OR_RETURN(config_.logging, nodeconfig::ReadLogging(logging, "spec"));
    RETURN_IF_ERROR(RefuseSection(root, "vm",
                                  "CareLedger runs chaincode inside the peer as shared libraries (chaincode "
                                  "section), never in containers"));
    RETURN_IF_ERROR(doc_.CheckNoUnknownKeys());
    ResolveRelativePaths();
    RETURN_IF_ERROR(Check());
    config_.source_name = doc_.source_name();
    config_.config_dir = config_dir_.string();
    config_.effective_values = doc_.EffectiveValues();
    return std::move(config_);
  }

 private:
  absl::Status ReadIdentity() {
    PeerSection& peer = config_.peer;
    ASSIGN_OR_RETURN(peer.id, peer_->GetString("id"));
    if (!IsValidPeerId(peer.id)) {
      return peer_->InvalidValueError(
          "id", absl::StrCat("must be 1 to ", kMaxPeerIdLength, " letters, digits, '.', '-' or '_'"));
    }
    ASSIGN_OR_RETURN(peer.file_system_path, peer_->GetStringOr("fileSystemPath", kDefaultFileSystemPath));
    if (peer.file_system_path.empty()) return peer_->InvalidValueError("fileSystemPath", "must name a folder");
    ASSIGN_OR_RETURN(peer.msp_config_path, peer_->GetStringOr("mspConfigPath", kDefaultMspConfigPath));
    if (peer.msp_config_path.empty()) return peer_->InvalidValueError("mspConfigPath", "must name a folder");
    ASSIGN_OR_RETURN(peer.local_msp_id, peer_->GetString("localMspId"));
    if (peer.local_msp_id.empty()) return peer_->InvalidValueError("localMspId", "must not be empty");

    ASSIGN_OR_RETURN(std::string role, peer_->GetStringOr("role", PeerRoleName(PeerRole::kEndorsing)));
    if (role == PeerRoleName(PeerRole::kEndorsing)) {
      peer.role = PeerRole::kEndorsing;
    } else if (role == PeerRoleName(PeerRole::kAudit)) {
      peer.role = PeerRole::kAudit;
    } else {
      return peer_->InvalidValueError("role", "must be endorsing or audit");
    }
    return absl::OkStatus();
  }

  // The client-facing listener: address, TLS (with the pair the peer presents when it dials), keepalive.
  absl::Status ReadListener() {
    PeerSection& peer = config_.peer;
    ASSIGN_OR_RETURN(peer.listen, ReadListenAddress(*peer_, "listenAddress",
                                                    absl::StrCat(kDefaultListenHost, ":", kDefaultListenPort),
                                                    kDefaultListenPort, ""));

    // Fabric's peer.address: where other nodes and clients reach this peer. By default the listen address, or
    // peer.id with the listen port when the peer listens on every interface (0.0.0.0 or [::] name no host).
    const nodeconfig::HostPort default_address{
        nodeconfig::IsWildcardHost(peer.listen.host) ? peer.id : peer.listen.host, peer.listen.port};
    ASSIGN_OR_RETURN(std::string address, peer_->GetStringOr("address", default_address.ToString()));
    absl::StatusOr<nodeconfig::HostPort> parsed_address = nodeconfig::ParseListenAddress(address, kDefaultListenPort);
    if (!parsed_address.ok()) return peer_->InvalidValueError("address", AsStd(parsed_address.status().message()));
    if (nodeconfig::IsWildcardHost(parsed_address->host)) {
      return peer_->InvalidValueError("address", "must name a host other nodes can reach, not a wildcard");
    }
    peer.address = parsed_address->ToString();

    ASSIGN_OR_RETURN(ConfigNode tls, peer_->GetMappingOrEmpty("tls"));
    ASSIGN_OR_RETURN(nodeconfig::TlsSection section,
                     nodeconfig::ReadTlsSection(tls, kPeerTlsKeys, nodeconfig::DefaultClientListenerTls()));
    peer.tls = std::move(section.tls);
    peer_tls_ = std::move(section.keys);
    ASSIGN_OR_RETURN(client_certificate_, nodeconfig::LocateKey(tls, "clientCert.file"));
    ASSIGN_OR_RETURN(peer.tls_client_certificate,
                     client_certificate_->node.GetStringOr(client_certificate_->key, peer.tls.certificate));
    ASSIGN_OR_RETURN(client_private_key_, nodeconfig::LocateKey(tls, "clientKey.file"));
    ASSIGN_OR_RETURN(peer.tls_client_private_key,
                     client_private_key_->node.GetStringOr(client_private_key_->key, peer.tls.private_key));

    ASSIGN_OR_RETURN(ConfigNode keepalive, peer_->GetMappingOrEmpty("keepalive"));
    ASSIGN_OR_RETURN(peer.keepalive, nodeconfig::ReadKeepalive(keepalive, {.server_min_interval = "minInterval",
                                                                           .server_interval = "interval",
                                                                           .server_timeout = "timeout"}));
    ASSIGN_OR_RETURN(peer.client_keepalive, ReadClientKeepalive(keepalive, "client"));
    ASSIGN_OR_RETURN(peer.delivery_client_keepalive, ReadClientKeepalive(keepalive, "deliveryClient"));

    ASSIGN_OR_RETURN(ConfigNode authentication, peer_->GetMappingOrEmpty("authentication"));
    ASSIGN_OR_RETURN(peer.authentication_time_window,
                     authentication.GetDurationOr("timewindow", peer.authentication_time_window, kPositiveDuration));

    ASSIGN_OR_RETURN(peer.max_recv_msg_size,
                     peer_->GetByteSizeOr("maxRecvMsgSize", peer.max_recv_msg_size, kGrpcMessageSizeRange));
    ASSIGN_OR_RETURN(peer.max_send_msg_size,
                     peer_->GetByteSizeOr("maxSendMsgSize", peer.max_send_msg_size, kGrpcMessageSizeRange));
    return absl::OkStatus();
  }

  static absl::StatusOr<ClientKeepaliveConfig> ReadClientKeepalive(const ConfigNode& keepalive, std::string_view key) {
    ASSIGN_OR_RETURN(ConfigNode node, keepalive.GetMappingOrEmpty(key));
    ClientKeepaliveConfig client;
    ASSIGN_OR_RETURN(client.interval, node.GetDurationOr("interval", client.interval, kPositiveDuration));
    ASSIGN_OR_RETURN(client.timeout, node.GetDurationOr("timeout", client.timeout, kPositiveDuration));
    return client;
  }

  // The services on the listener: the Gateway and the concurrency limits.
  absl::Status ReadServices() {
    PeerSection& peer = config_.peer;
    ASSIGN_OR_RETURN(ConfigNode gateway, peer_->GetMappingOrEmpty("gateway"));
    GatewayConfig& g = peer.gateway;
    ASSIGN_OR_RETURN(g.enabled, gateway.GetBoolOr("enabled", g.enabled));
    ASSIGN_OR_RETURN(g.endorsement_timeout,
                     gateway.GetDurationOr("endorsementTimeout", g.endorsement_timeout, kPositiveDuration));
    ASSIGN_OR_RETURN(g.broadcast_timeout,
                     gateway.GetDurationOr("broadcastTimeout", g.broadcast_timeout, kPositiveDuration));
    ASSIGN_OR_RETURN(g.dial_timeout, gateway.GetDurationOr("dialTimeout", g.dial_timeout, kPositiveDuration));

    ASSIGN_OR_RETURN(ConfigNode limits, peer_->GetMappingOrEmpty("limits"));
    ASSIGN_OR_RETURN(ConfigNode concurrency, limits.GetMappingOrEmpty("concurrency"));
    for (auto [key, value] : {std::pair{"endorserService", &peer.limits.endorser_service},
                              std::pair{"deliverService", &peer.limits.deliver_service},
                              std::pair{"gatewayService", &peer.limits.gateway_service}}) {
      ASSIGN_OR_RETURN(int64_t limit, concurrency.GetIntOr(key, *value, kConcurrencyRange));
      *value = static_cast<uint32_t>(limit);
    }
    return absl::OkStatus();
  }

  absl::Status ReadDeliveryClient() {
    ASSIGN_OR_RETURN(ConfigNode delivery, peer_->GetMappingOrEmpty("deliveryclient"));
    DeliveryClientConfig& d = config_.peer.delivery_client;
    ASSIGN_OR_RETURN(
        d.reconnect_total_time_threshold,
        delivery.GetDurationOr("reconnectTotalTimeThreshold", d.reconnect_total_time_threshold, kPositiveDuration));
    ASSIGN_OR_RETURN(d.conn_timeout, delivery.GetDurationOr("connTimeout", d.conn_timeout, kPositiveDuration));
    ASSIGN_OR_RETURN(
        d.reconnect_backoff_threshold,
        delivery.GetDurationOr("reConnectBackoffThreshold", d.reconnect_backoff_threshold, kPositiveDuration));
    ASSIGN_OR_RETURN(
        d.minimal_reconnect_interval,
        delivery.GetDurationOr("minimalReconnectInterval", d.minimal_reconnect_interval, kPositiveDuration));
    if (d.minimal_reconnect_interval > d.reconnect_backoff_threshold) {
      return delivery.InvalidValueError(
          "minimalReconnectInterval",
          absl::StrCat("must not exceed ", delivery.path(), ".reConnectBackoffThreshold (",
                       absl::FormatDuration(d.reconnect_backoff_threshold), "): the first wait cannot be the longer"));
    }

    ASSIGN_OR_RETURN(std::vector<ConfigNode> overrides, delivery.GetMappingListOrEmpty("addressOverrides"));
    for (const ConfigNode& node : overrides) {
      OrdererAddressOverride o;
      ASSIGN_OR_RETURN(o.from, ReadEndpoint(node, "from"));
      ASSIGN_OR_RETURN(o.to, ReadEndpoint(node, "to"));
      ASSIGN_OR_RETURN(o.ca_certs_file, node.GetStringOr("caCertsFile", ""));
      for (size_t i = 0; i < d.address_overrides.size(); ++i) {
        if (d.address_overrides[i].from == o.from) {
          return node.InvalidValueError(
              "from", absl::StrCat(o.from.ToString(), " is already overridden by ", overrides[i].path()));
        }
      }
      d.address_overrides.push_back(std::move(o));
      override_nodes_.push_back(node);
    }
    return absl::OkStatus();
  }

  // After the listener: the admin endpoint's TLS defaults to the peer's.
  absl::Status ReadAdmin() {
    ASSIGN_OR_RETURN(admin_, peer_->GetMappingOrEmpty("admin"));
    AdminConfig& admin = config_.peer.admin;
    ASSIGN_OR_RETURN(admin.listen,
                     ReadListenAddress(*admin_, "listenAddress",
                                       absl::StrCat(kDefaultLocalHost, ":", kDefaultAdminPort), kDefaultAdminPort, ""));
    ASSIGN_OR_RETURN(ConfigNode tls, admin_->GetMappingOrEmpty("tls"));
    ASSIGN_OR_RETURN(nodeconfig::TlsSection section,
                     nodeconfig::ReadTlsSection(tls, kServerTlsKeys, ServerTlsDefaults(true)));
    admin.tls = std::move(section.tls);
    admin_tls_ = std::move(section.keys);
    return absl::OkStatus();
  }

  // The peer's own TLS files and its organisation's TLS CA, which also issues its administrators' TLS
  // certificates: the defaults of the admin (required) and operations (off) endpoints.
  TlsConfig ServerTlsDefaults(bool enabled) const {
    const TlsConfig& peer_tls = config_.peer.tls;
    return TlsConfig{.enabled = enabled,
                     .certificate = peer_tls.certificate,
                     .private_key = peer_tls.private_key,
                     .root_cas = {},
                     .client_auth_required = enabled,
                     .client_root_cas = peer_tls.root_cas};
  }

  // After peer.fileSystemPath: the install folder defaults to a folder in it.
  absl::Status ReadChaincode() {
    ASSIGN_OR_RETURN(chaincode_, doc_.Root().GetMappingOrEmpty("chaincode"));
    ChaincodeConfig& chaincode = config_.chaincode;
    const std::string default_install_path =
        (std::filesystem::path(config_.peer.file_system_path) / kInstallFolder).string();
    ASSIGN_OR_RETURN(chaincode.install_path, chaincode_->GetStringOr("installPath", default_install_path));
    if (chaincode.install_path.empty()) return chaincode_->InvalidValueError("installPath", "must name a folder");
    ASSIGN_OR_RETURN(chaincode.execute_timeout,
                     chaincode_->GetDurationOr("executetimeout", chaincode.execute_timeout, kPositiveDuration));
    ASSIGN_OR_RETURN(
        int64_t invocations,
        chaincode_->GetIntOr("maxConcurrentInvocations", chaincode.max_concurrent_invocations, kInvocationsRange));
    chaincode.max_concurrent_invocations = static_cast<uint32_t>(invocations);
    return absl::OkStatus();
  }

  absl::Status ReadOperationsAndMetrics() {
    ConfigNode root = doc_.Root();
    ASSIGN_OR_RETURN(operations_, root.GetMappingOrEmpty("operations"));
    OperationsConfig& operations = config_.operations;
    ASSIGN_OR_RETURN(operations.listen, ReadListenAddress(*operations_, "listenAddress",
                                                          absl::StrCat(kDefaultLocalHost, ":", kDefaultOperationsPort),
                                                          kDefaultOperationsPort, ""));
    ASSIGN_OR_RETURN(ConfigNode tls, operations_->GetMappingOrEmpty("tls"));
    ASSIGN_OR_RETURN(nodeconfig::TlsSection section,
                     nodeconfig::ReadTlsSection(tls, kServerTlsKeys, ServerTlsDefaults(false)));
    operations.tls = std::move(section.tls);
    operations_tls_ = std::move(section.keys);

    ASSIGN_OR_RETURN(ConfigNode metrics, root.GetMappingOrEmpty("metrics"));
    ASSIGN_OR_RETURN(std::string provider, metrics.GetStringOr("provider", "disabled"));
    if (provider == "disabled") {
      config_.metrics.provider = MetricsProvider::kDisabled;
    } else if (provider == "prometheus") {
      config_.metrics.provider = MetricsProvider::kPrometheus;
    } else if (provider == "statsd") {
      return metrics.InvalidValueError(
          "provider",
          "statsd is not supported: CareLedger serves Prometheus metrics on operations.listenAddress; "
          "use prometheus or disabled");
    } else {
      return metrics.InvalidValueError("provider", "must be prometheus or disabled");
    }
    return RefuseSection(metrics, "statsd", "CareLedger has no statsd metrics provider");
  }

  // After peer.fileSystemPath, the role and the message sizes.
  absl::Status ReadVault() {
    ASSIGN_OR_RETURN(vault_, doc_.Root().GetMappingOrEmpty("vault"));
    VaultConfig& vault = config_.vault;
    ASSIGN_OR_RETURN(vault.enabled, vault_->GetBoolOr("enabled", vault.enabled));
    ASSIGN_OR_RETURN(vault.path,
                     vault_->GetStringOr("path", (std::filesystem::path(config_.peer.file_system_path) / kVaultFolder)
                                                     .string()));
    ASSIGN_OR_RETURN(vault.master_key_file, vault_->GetStringOr("masterKeyFile", ""));
    const uint64_t message_limit = std::min(config_.peer.max_recv_msg_size, config_.peer.max_send_msg_size);
    ASSIGN_OR_RETURN(vault.max_document_bytes,
                     vault_->GetByteSizeOr("maxDocumentBytes", vault.max_document_bytes, {.min = 1}));
    ASSIGN_OR_RETURN(vault.access_window,
                     vault_->GetDurationOr("accessWindow", vault.access_window, kPositiveDuration));
    if (!vault.enabled) return absl::OkStatus();
    if (config_.peer.role == PeerRole::kAudit) {
      return vault_->InvalidValueError("enabled", "an audit peer never writes, so it cannot host a document vault "
                                                  "(whose downloads depend on access-log transactions and whose "
                                                  "erasures change its disk); set it to false");
    }
    if (vault.path.empty()) return vault_->InvalidValueError("path", "must name a folder");
    if (vault.master_key_file.empty()) {
      return vault_->InvalidValueError("masterKeyFile",
                                       "is required when the vault is enabled (create one with `careledger vault "
                                       "keygen --out FILE`)");
    }
    if (message_limit <= kVaultEnvelopeBytes || vault.max_document_bytes > message_limit - kVaultEnvelopeBytes) {
      return vault_->InvalidValueError(
          "maxDocumentBytes", absl::StrCat("must leave 1 MiB of peer.maxRecvMsgSize and peer.maxSendMsgSize (",
                                           message_limit, " bytes) for the rest of a request"));
    }
    return absl::OkStatus();
  }

  void ResolveRelativePaths() {
    PeerSection& peer = config_.peer;
    ResolvePaths(config_dir_, peer.tls);
    for (std::string* path : {&peer.tls_client_certificate, &peer.tls_client_private_key, &peer.file_system_path,
                              &peer.msp_config_path, &config_.chaincode.install_path}) {
      *path = ResolvePath(config_dir_, *path);
    }
    for (OrdererAddressOverride& o : peer.delivery_client.address_overrides) {
      o.ca_certs_file = ResolvePath(config_dir_, o.ca_certs_file);
    }
    ResolvePaths(config_dir_, peer.admin.tls);
    ResolvePaths(config_dir_, config_.operations.tls);
    for (std::string* path : {&config_.vault.path, &config_.vault.master_key_file}) {
      if (!path->empty()) *path = ResolvePath(config_dir_, *path);
    }
  }

  absl::Status Check() {
    const PeerSection& peer = config_.peer;
    RETURN_IF_ERROR(nodeconfig::CheckDistinctPorts({
        {{*peer_, "listenAddress"}, peer.listen},
        {{*admin_, "listenAddress"}, peer.admin.listen},
        {{*operations_, "listenAddress"}, config_.operations.listen},
    }));

    RETURN_IF_ERROR(nodeconfig::CheckTls(*peer_tls_, peer.tls));
    if (peer.tls.enabled) {
      RETURN_IF_ERROR(nodeconfig::CheckKeyPair(*client_certificate_, peer.tls_client_certificate, *client_private_key_,
                                               peer.tls_client_private_key,
                                               absl::StrCat(peer_tls_->enabled.Path(), " is true")));
    }
    RETURN_IF_ERROR(nodeconfig::CheckFolder({*peer_, "mspConfigPath"}, peer.msp_config_path));

    for (size_t i = 0; i < peer.delivery_client.address_overrides.size(); ++i) {
      const std::string& file = peer.delivery_client.address_overrides[i].ca_certs_file;
      if (!file.empty()) RETURN_IF_ERROR(nodeconfig::CheckCaFile({override_nodes_[i], "caCertsFile"}, file));
    }

    RETURN_IF_ERROR(
        nodeconfig::CheckAdminTls({*admin_, "listenAddress"}, peer.admin.listen, *admin_tls_, peer.admin.tls));
    RETURN_IF_ERROR(nodeconfig::CheckTls(*operations_tls_, config_.operations.tls));
    return absl::OkStatus();
  }

  config::ConfigDocument& doc_;
  const std::filesystem::path config_dir_;
  PeerConfig config_;
  // Sections and keys, kept for the checks' error positions. Set by the Read* passes in order.
  std::optional<ConfigNode> peer_, admin_, chaincode_, operations_, vault_;
  std::optional<nodeconfig::TlsKeys> peer_tls_, admin_tls_, operations_tls_;
  std::optional<ConfigKey> client_certificate_, client_private_key_;
  std::vector<ConfigNode> override_nodes_;  // one per address override, in order
};

absl::StatusOr<config::LoadOptions> Options(const config::Environment& environment,
                                            const std::vector<std::string>& set_flags) {
  ASSIGN_OR_RETURN(config::Environment with_flags,
                   config::ApplySetFlags(environment, kPeerEnvironmentPrefix, set_flags));
  return config::LoadOptions{.environment_prefix = kPeerEnvironmentPrefix, .environment = std::move(with_flags)};
}

}  // namespace

std::string_view PeerRoleName(PeerRole role) {
  switch (role) {
    case PeerRole::kEndorsing:
      return "endorsing";
    case PeerRole::kAudit:
      return "audit";
  }
  return "unknown";
}

absl::StatusOr<PeerConfig> LoadPeerConfig(const std::string& path, const config::Environment& environment,
                                          const std::vector<std::string>& set_flags) {
  ASSIGN_OR_RETURN(config::LoadOptions options, Options(environment, set_flags));
  ASSIGN_OR_RETURN(config::ConfigDocument doc, config::ConfigDocument::Load(path, std::move(options)));
  ASSIGN_OR_RETURN(std::filesystem::path folder, nodeconfig::FolderOf(path));
  return Reader(doc, std::move(folder)).Read();
}

absl::StatusOr<PeerConfig> ParsePeerConfig(std::string_view text, std::string_view source_name,
                                           const config::Environment& environment,
                                           const std::vector<std::string>& set_flags) {
  ASSIGN_OR_RETURN(config::LoadOptions options, Options(environment, set_flags));
  ASSIGN_OR_RETURN(config::ConfigDocument doc, config::ConfigDocument::Parse(text, source_name, std::move(options)));
  ASSIGN_OR_RETURN(std::filesystem::path folder, nodeconfig::FolderOf(source_name));
  return Reader(doc, std::move(folder)).Read();
}

std::string FormatEffectiveConfig(const PeerConfig& config) {
  return nodeconfig::FormatEffectiveConfig(config.source_name, config.config_dir, config.effective_values);
}

}  // namespace careledger::peer
