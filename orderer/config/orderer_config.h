// The orderer node's configuration file (orderer.yaml), in the spirit of Fabric's orderer.yaml: the same
// sections and key names where Fabric has them, so the same environment variables override them
// (ORDERER_GENERAL_LISTENPORT, ORDERER_GENERAL_TLS_ENABLED, ORDERER_GENERAL_CLUSTER_LISTENPORT, ...).
//
// orderer/config/orderer.example.yaml shows every key with its default and what it means; the structs below
// say the same in C++. The short version:
//
//   General:        the client-facing gRPC listener (Broadcast, Deliver): address, port, TLS, keepalive,
//                   message sizes; the node's own MSP folder and ID; and
//     Cluster:      the Raft transport between orderers, always mutual TLS, on a listener of its own
//                   (General.Cluster, where Fabric keeps it);
//   FileLedger:     the data folder (blocks; the Raft log and snapshots below it unless Consensus says);
//   Consensus:      the Raft log and snapshot folders, and how often a snapshot bounds the log;
//   Admin:          the channel participation endpoint (join and remove channels), mutual TLS by default;
//   Operations:     the operations endpoint: health, metrics, version, log level (docs/operations.md);
//   Logging:        the log level spec.
//
// Reading is strict (common/config): unknown keys, misspelt environment variables and wrong types are
// errors with "<file>:<line>:<column>: <key path>: ..." (or "$VARIABLE: <key path>: ..."). After reading,
// the values are checked together, each error naming the key at fault: TLS settings that name no
// certificate, a ClientAuthRequired without client CAs, malformed listen addresses, two listeners on one
// port, files that do not exist or do not hold PEM certificates or keys, a key that does not belong to its
// certificate. TLS settings of a listener whose TLS is disabled are not checked (as Fabric); the cluster's are
// always checked, because the cluster always uses mutual TLS.
//
// Relative paths (certificates, keys, CA files, LocalMSPDir, FileLedger.Location, Consensus.WALDir and
// SnapDir) are resolved against the folder of the configuration file, as Fabric does, and stored absolute
// and normalised.
//
// Fabric keys CareLedger does not have are unknown keys, except General.BCCSP, which is refused with an
// explanation: CareLedger signs with the software ECDSA P-256 key of LocalMSPDir only.
#ifndef CARELEDGER_ORDERER_CONFIG_ORDERER_CONFIG_H_
#define CARELEDGER_ORDERER_CONFIG_ORDERER_CONFIG_H_

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

namespace careledger::orderer {

// The prefix of environment overrides: ORDERER_GENERAL_LISTENPORT overrides General.ListenPort.
inline constexpr char kOrdererEnvironmentPrefix[] = "ORDERER";

inline constexpr uint16_t kDefaultListenPort = 7050;
// The cluster listens on its own port, next to the client port: its TLS always requires client certificates,
// which Broadcast and Deliver clients may not have. 7052 is Fabric's chaincode port on peers; CareLedger runs
// chaincode inside the peer and uses no such port, so an orderer and a peer on one host do not collide.
inline constexpr uint16_t kDefaultClusterListenPort = 7052;
inline constexpr uint16_t kDefaultAdminPort = 7053;
inline constexpr uint16_t kDefaultOperationsPort = 8443;
inline constexpr char kDefaultFileLedgerLocation[] = "/var/lib/careledger/orderer";

// The Raft transport between the orderers of a cluster: mutual TLS, always.
struct ClusterConfig {
  nodeconfig::HostPort listen;        // ListenAddress (default General.ListenAddress) + ListenPort (7052)
  std::string server_certificate;     // default General.TLS.Certificate
  std::string server_private_key;     // default General.TLS.PrivateKey
  std::string client_certificate;     // presented when dialling other orderers; default ServerCertificate
  std::string client_private_key;     // default ServerPrivateKey
  std::vector<std::string> root_cas;  // CAs other orderers' certificates must chain to; default
                                      // General.TLS.RootCAs; never empty
  absl::Duration dial_timeout = absl::Seconds(5);

  friend bool operator==(const ClusterConfig&, const ClusterConfig&) = default;
};

struct GeneralConfig {
  nodeconfig::HostPort listen;  // ListenAddress (host only, default 0.0.0.0) + ListenPort (7050)
  nodeconfig::TlsConfig tls;    // Enabled defaults to true; files default to tls/server.crt, tls/server.key,
                                // [tls/ca.crt]
  nodeconfig::KeepaliveConfig keepalive;
  uint64_t max_recv_msg_size = uint64_t{100} << 20;  // 100 MiB
  uint64_t max_send_msg_size = uint64_t{100} << 20;
  ClusterConfig cluster;
  std::string local_msp_dir;  // the node's MSP folder (signcerts, keystore, cacerts, ...); default "msp"
  std::string local_msp_id;   // required: the MSP ID of the organisation this orderer belongs to

  friend bool operator==(const GeneralConfig&, const GeneralConfig&) = default;
};

struct FileLedgerConfig {
  std::string location;  // the data folder; default kDefaultFileLedgerLocation

  friend bool operator==(const FileLedgerConfig&, const FileLedgerConfig&) = default;
};

struct ConsensusConfig {
  std::string wal_dir;   // the Raft log; default <FileLedger.Location>/raft/wal (one sub-folder per channel)
  std::string snap_dir;  // Raft snapshots; default <FileLedger.Location>/raft/snapshot
  // The chain takes a Raft snapshot every this many blocks and drops the log entries the snapshot covers,
  // so the log on disk stays bounded (about this many blocks, plus what lagging followers still need) and a
  // restart replays at most that much. Counted in blocks rather than bytes because every Raft entry is a
  // block and the block store already holds the blocks: a snapshot is small (where the chain is), so the
  // interval only trades snapshot frequency against replay length, and a count keeps that trade the same
  // whatever the block size. Default 100. (Fabric's etcdraft counts bytes, SnapshotIntervalSize, in the
  // channel configuration; this is a node setting.)
  uint32_t snapshot_interval_blocks = 100;

  friend bool operator==(const ConsensusConfig&, const ConsensusConfig&) = default;
};

// The channel participation API (join, list and remove channels). TLS on, client certificates required.
struct AdminConfig {
  nodeconfig::HostPort listen;  // default 127.0.0.1:7053
  nodeconfig::TlsConfig tls;    // Enabled true, ClientAuthRequired true; files default to General.TLS's,
                                // client CAs to General.TLS.RootCAs (the admins' TLS certificates come from
                                // the organisation's TLS CA)

  friend bool operator==(const AdminConfig&, const AdminConfig&) = default;
};

// Health and metrics over HTTP.
struct OperationsConfig {
  nodeconfig::HostPort listen;  // default 127.0.0.1:8443
  nodeconfig::TlsConfig tls;    // Enabled false; files and CAs default as Admin's

  friend bool operator==(const OperationsConfig&, const OperationsConfig&) = default;
};

struct OrdererConfig {
  GeneralConfig general;
  FileLedgerConfig file_ledger;
  ConsensusConfig consensus;
  AdminConfig admin;
  OperationsConfig operations;
  nodeconfig::LoggingConfig logging;

  // Where this configuration came from, for `careledger-orderer config show`.
  std::string source_name;  // the file's path (or the name given to ParseOrdererConfig)
  std::string config_dir;   // absolute folder relative paths were resolved against
  std::vector<config::EffectiveValue> effective_values;  // every key read, its value as written, its origin
};

// Reads, checks and resolves the configuration file at `path`, with overrides from `environment`
// (variables starting with "ORDERER_"; in main() config::Environment::FromProcess()). Errors: the file's
// read error ("<path>: cannot open: ..."; NotFound for a missing file), else InvalidArgument for anything the
// file header above describes, the message starting with the position and key path at fault. Reads the files
// the configuration names (to check them); writes nothing. Thread-safe: no state is shared between calls.
absl::StatusOr<OrdererConfig> LoadOrdererConfig(const std::string& path, const config::Environment& environment);

// The same for configuration text; `source_name` names it in messages, and relative paths are resolved
// against its folder (the current folder if it has none).
absl::StatusOr<OrdererConfig> ParseOrdererConfig(std::string_view text, std::string_view source_name,
                                                 const config::Environment& environment);

// Every key as the node uses it, one per line, "<key path>: <value>  # <origin>" where the origin is
// "<file>:<line>:<column>", "$VARIABLE" or "default"; preceded by a comment naming the folder relative paths
// are resolved against. Values are shown as written (relative paths stay relative).
std::string FormatEffectiveConfig(const OrdererConfig& config);

}  // namespace careledger::orderer

#endif  // CARELEDGER_ORDERER_CONFIG_ORDERER_CONFIG_H_
