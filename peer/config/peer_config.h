// The peer node's configuration file (core.yaml), in the spirit of Fabric's core.yaml: the same sections and
// key names where Fabric has them, so the same environment variables override them (CORE_PEER_LISTENADDRESS,
// CORE_PEER_TLS_ENABLED, CORE_PEER_LOCALMSPID, CORE_CHAINCODE_EXECUTETIMEOUT, ...).
//
// peer/config/core.example.yaml shows every key with its default and what it means, and
// docs/peer-configuration.md lists them with their variables and how they differ from Fabric's. In short:
//
//   peer:        the node's name, MSP and data folder; its role (endorsing or audit); the client-facing gRPC
//                listener (Endorser, Deliver, Gateway) with its TLS, keepalive, message sizes and concurrency
//                limits; the Gateway's timeouts; the Deliver client that pulls blocks from the orderers (with
//                Fabric's orderer address overrides); the admin endpoint that joins channels (mutual TLS);
//   chaincode:   where installed chaincode packages are kept, and how long and how many invocations run;
//   operations:  health and metrics over HTTP (read and checked; served by the peer server);
//   metrics:     the metrics provider (prometheus or disabled);
//   vault:       the encrypted document vault on the peer's listener (off by default; docs/vault.md);
//   logging:     the log level spec (logging.spec: the orderer's Logging.Spec, in core.yaml's lower case).
//
// Reading is strict (common/config): unknown keys, misspelt environment variables and wrong types are
// errors with "<file>:<line>:<column>: <key path>: ..." (or "$VARIABLE: <key path>: ..."). After reading,
// the values are checked together, each error naming the key at fault: required keys (peer.id,
// peer.localMspId), the role, malformed listen or orderer addresses, two listeners on one port, TLS files
// that do not exist or do not hold PEM certificates or keys, a key that does not belong to its certificate,
// a ClientAuthRequired without client CAs, an admin endpoint without client authentication, a missing MSP
// folder. TLS settings of a listener whose TLS is disabled are not checked (as Fabric). Durations must be
// positive.
//
// Relative paths (TLS files, CA files, mspConfigPath, fileSystemPath, chaincode.installPath, the overrides'
// caCertsFile) are resolved against the folder of the configuration file, as Fabric resolves them against
// FABRIC_CFG_PATH, and stored absolute and normalised.
//
// Fabric keys CareLedger does not have are unknown keys, except peer.BCCSP, peer.gossip and vm, which are
// refused with an explanation (see docs/peer-configuration.md).
#ifndef CARELEDGER_PEER_CONFIG_PEER_CONFIG_H_
#define CARELEDGER_PEER_CONFIG_PEER_CONFIG_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/config/effective_value.h"
#include "common/config/environment.h"
#include "common/nodeconfig/listen_address.h"
#include "common/nodeconfig/node_settings.h"

namespace careledger::peer {

// The prefix of environment overrides, as Fabric's: CORE_PEER_LISTENADDRESS overrides peer.listenAddress.
inline constexpr char kPeerEnvironmentPrefix[] = "CORE";

inline constexpr uint16_t kDefaultListenPort = 7051;
// Fabric's peer joins channels through its main listener (cscc); CareLedger's peer has an admin endpoint of
// its own, like the orderer's. Not 7052 and 7053 (an orderer's cluster and admin ports on a shared host) nor
// 7054 (Fabric CA's default port).
inline constexpr uint16_t kDefaultAdminPort = 7055;
inline constexpr uint16_t kDefaultOperationsPort = 9443;
inline constexpr char kDefaultFileSystemPath[] = "/var/lib/careledger/peer";

// What a peer does for its organisation (peer.role).
enum class PeerRole {
  kEndorsing,  // "endorsing": endorses proposals, submits through its Gateway, commits, serves queries
  kAudit,      // "audit": commits blocks and serves queries and Deliver; never endorses nor submits
};

// "endorsing" or "audit", as written in the file.
std::string_view PeerRoleName(PeerRole role);

// Keepalive of the gRPC connections the peer opens.
struct ClientKeepaliveConfig {
  absl::Duration interval = absl::Seconds(60);  // ping the server after this much idle time; must be at least
                                                // the server's minimum interval
  absl::Duration timeout = absl::Seconds(20);   // close the connection if a ping is not answered in time

  friend bool operator==(const ClientKeepaliveConfig&, const ClientKeepaliveConfig&) = default;
};

// peer.gateway: Fabric's Gateway service on the peer's listener.
struct GatewayConfig {
  bool enabled = true;
  absl::Duration endorsement_timeout = absl::Seconds(30);  // wait for other endorsing peers
  absl::Duration broadcast_timeout = absl::Seconds(30);    // wait for the ordering service to accept
  absl::Duration dial_timeout = absl::Minutes(2);          // wait for a connection to another node

  friend bool operator==(const GatewayConfig&, const GatewayConfig&) = default;
};

// peer.limits.concurrency: requests a service runs at once; more are refused.
// 0 means no limit, as in Fabric.
struct ConcurrencyLimits {
  uint32_t endorser_service = 2500;  // ProcessProposal
  uint32_t deliver_service = 2500;   // Deliver streams (blocks, filtered blocks, events)
  uint32_t gateway_service = 500;    // Gateway Evaluate, Endorse, Submit, CommitStatus, ChaincodeEvents

  friend bool operator==(const ConcurrencyLimits&, const ConcurrencyLimits&) = default;
};

// One of peer.deliveryclient.addressOverrides, as Fabric's: an orderer address found in a channel's
// configuration (`from`) is dialled at `to` instead, trusting the CAs of `ca_certs_file` if set (else the
// TLS CAs the channel's configuration gives for that orderer's organisation).
struct OrdererAddressOverride {
  nodeconfig::HostPort from;
  nodeconfig::HostPort to;
  std::string ca_certs_file;  // PEM CA certificates; absolute once loaded; empty: none

  friend bool operator==(const OrdererAddressOverride&, const OrdererAddressOverride&) = default;
};

// peer.deliveryclient: how the peer pulls blocks from the ordering service.
struct DeliveryClientConfig {
  // As Fabric's: the total time the Deliver client may spend failing to reach any orderer of a channel before
  // it gives up on that channel (what giving up means is the peer server's decision: stop, or report and go on).
  absl::Duration reconnect_total_time_threshold = absl::Hours(1);
  absl::Duration conn_timeout = absl::Seconds(3);                       // connecting to one orderer
  absl::Duration reconnect_backoff_threshold = absl::Seconds(10);       // longest wait between attempts
  absl::Duration minimal_reconnect_interval = absl::Milliseconds(100);  // first wait; doubles up to the above
  std::vector<OrdererAddressOverride> address_overrides;                // each `from` at most once

  friend bool operator==(const DeliveryClientConfig&, const DeliveryClientConfig&) = default;
};

// peer.admin: the channel participation endpoint (join, list and remove channels). TLS on, client
// certificates required.
struct AdminConfig {
  nodeconfig::HostPort listen;  // default 127.0.0.1:7055
  nodeconfig::TlsConfig tls;    // enabled true, clientAuthRequired true; files default to peer.tls's, client
                                // CAs to [peer.tls.rootcert.file] (the organisation's TLS CA, which issues
                                // its admins' TLS certificates); root_cas is always empty

  friend bool operator==(const AdminConfig&, const AdminConfig&) = default;
};

// The `peer:` section.
struct PeerSection {
  // Required: this node's name ("peer0.hospital1.example.org"), for logs and metrics; letters, digits, '.',
  // '-' and '_'.
  std::string id;
  // peer.listenAddress, default 0.0.0.0:7051 (a host alone takes port 7051).
  nodeconfig::HostPort listen;
  // peer.address: "host:port" where other organisations' gateways and clients reach this peer, as Fabric's key;
  // named in error details and recognised among the channel's anchor peers. Default: the listen address, or
  // "<peer.id>:<listen port>" when the listener's host is 0.0.0.0 or [::].
  std::string address;
  // Enabled true; tls/server.crt, tls/server.key, [tls/ca.crt] (rootcert.file: one file or none),
  // clientAuthRequired false, clientRootCAs.files [].
  nodeconfig::TlsConfig tls;
  // peer.tls.clientCert.file and clientKey.file: presented when the peer dials orderers and peers that require
  // client certificates; default peer.tls.cert.file and key.file.
  std::string tls_client_certificate;
  std::string tls_client_private_key;
  nodeconfig::KeepaliveConfig keepalive;            // peer.keepalive.{minInterval, interval, timeout}
  ClientKeepaliveConfig client_keepalive;           // peer.keepalive.client: towards other peers
  ClientKeepaliveConfig delivery_client_keepalive;  // peer.keepalive.deliveryClient: towards orderers
  // peer.authentication.timewindow: how far a request's timestamp may be from this peer's clock.
  absl::Duration authentication_time_window = absl::Minutes(15);
  std::string file_system_path;  // the data folder (ledgers, ...); default kDefaultFileSystemPath
  std::string msp_config_path;   // the node's MSP folder (signcerts, keystore, cacerts, ...); default "msp"
  std::string local_msp_id;      // required: the MSP ID of the organisation this peer belongs to
  PeerRole role = PeerRole::kEndorsing;
  GatewayConfig gateway;
  ConcurrencyLimits limits;
  uint64_t max_recv_msg_size = uint64_t{100} << 20;  // 100 MiB, for the listener and the peer's clients
  uint64_t max_send_msg_size = uint64_t{100} << 20;
  DeliveryClientConfig delivery_client;
  AdminConfig admin;

  friend bool operator==(const PeerSection&, const PeerSection&) = default;
};

// The `chaincode:` section.
struct ChaincodeConfig {
  std::string install_path;  // installed chaincode packages; default <peer.fileSystemPath>/chaincodes
  absl::Duration execute_timeout = absl::Seconds(30);  // chaincode.executetimeout: one invocation
  uint32_t max_concurrent_invocations = 64;            // invocations running at once; more wait for a worker

  friend bool operator==(const ChaincodeConfig&, const ChaincodeConfig&) = default;
};

// The `operations:` section: health and metrics over HTTP.
struct OperationsConfig {
  nodeconfig::HostPort listen;  // default 127.0.0.1:9443
  nodeconfig::TlsConfig tls;    // enabled false; files and client CAs default as peer.admin's

  friend bool operator==(const OperationsConfig&, const OperationsConfig&) = default;
};

enum class MetricsProvider {
  kDisabled,    // "disabled"
  kPrometheus,  // "prometheus": metrics on the operations endpoint
};

struct MetricsConfig {
  MetricsProvider provider = MetricsProvider::kDisabled;

  friend bool operator==(const MetricsConfig&, const MetricsConfig&) = default;
};

// The `vault:` section: the encrypted document vault (docs/vault.md), served on the peer's listener.
struct VaultConfig {
  bool enabled = false;
  std::string path;             // documents and markers; default <peer.fileSystemPath>/vault
  std::string master_key_file;  // required when enabled: 64 hex digits, mode 0600 (`careledger vault keygen`)
  // Largest document accepted; at most peer.maxRecvMsgSize and peer.maxSendMsgSize less 1 MiB for the
  // request's other fields.
  uint64_t max_document_bytes = uint64_t{32} << 20;
  absl::Duration access_window = absl::Minutes(5);  // how old a LogAccess may be to open a download
  friend bool operator==(const VaultConfig&, const VaultConfig&) = default;
};

struct PeerConfig {
  PeerSection peer;
  ChaincodeConfig chaincode;
  OperationsConfig operations;
  MetricsConfig metrics;
  VaultConfig vault;
  nodeconfig::LoggingConfig logging;  // logging.spec, default "info"

  // Where this configuration came from, for `careledger-peer config show`.
  std::string source_name;                               // the file's path (or the name given to ParsePeerConfig)
  std::string config_dir;                                // absolute folder relative paths were resolved against
  std::vector<config::EffectiveValue> effective_values;  // every key read, its value as written, its origin
};

// Reads, checks and resolves the configuration file at `path`, with overrides from `environment`
// (variables starting with "CORE_"; in main() config::Environment::FromProcess()) and from `set_flags`
// ("Key.Path=value" each, the command line's --set flags: config::ApplySetFlags with prefix "CORE", so a
// flag wins over the variable of the same key). Errors: InvalidArgument quoting a malformed flag; the
// file's read error ("<path>: cannot open: ..."; NotFound for a missing file); else InvalidArgument for
// anything the file header above describes, the message starting with the position and key path at fault.
// Reads the files the configuration names (to check them); writes nothing. Thread-safe: no state is shared
// between calls.
absl::StatusOr<PeerConfig> LoadPeerConfig(const std::string& path, const config::Environment& environment,
                                          const std::vector<std::string>& set_flags = {});

// The same for configuration text; `source_name` names it in messages, and relative paths are resolved
// against its folder (the current folder if it has none).
absl::StatusOr<PeerConfig> ParsePeerConfig(std::string_view text, std::string_view source_name,
                                           const config::Environment& environment,
                                           const std::vector<std::string>& set_flags = {});

// Every key as the node uses it, one per line, "<key path>: <value>  # <origin>" where the origin is
// "<file>:<line>:<column>", "$VARIABLE" (also for a --set flag) or "default"; preceded by a comment naming
// the folder relative paths are resolved against. Values are shown as written (relative paths stay relative).
std::string FormatEffectiveConfig(const PeerConfig& config);

}  // namespace careledger::peer

#endif  // CARELEDGER_PEER_CONFIG_PEER_CONFIG_H_
