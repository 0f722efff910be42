// The files of a local network, generated from a consortium description: what `careledger network up` writes
// before it starts anything.
//
//   <dir>/consortium.yaml         the description it was generated from (a copy)
//   <dir>/crypto/organizations/   every organisation's PKI (network/identity/consortium_identities.h)
//   <dir>/channels/<channel>.block  each channel's genesis block
//   <dir>/<node>/                 one folder per node, named by its host name (orderer0.orderer.example.org,
//                                 peer0.hospital1.example.org): orderer.yaml or core.yaml, data/, the peer's
//                                 chaincodes/, node.log (stdout and stderr, appended to across restarts), an
//                                 endorsing peer's vault.key (its document vault's master key, mode 0600)
//   <dir>/network.json            the state file (network_state.h)
//
// Each orderer.yaml: General.ListenAddress/Port (Broadcast, Deliver) with TLS from the node's tls/ folder,
// General.Cluster on clusterPort (the same TLS certificate), Admin on adminPort with mutual TLS (client
// certificates chaining to the ordering organisation's TLS CA, which issues its admins' tls/client.crt),
// Operations on operationsPort, FileLedger in <node>/data. Each core.yaml: peer.id (the host name),
// listenAddress host:port with TLS, admin on adminPort with mutual TLS (the peer organisation's TLS CA),
// fileSystemPath <node>/data, chaincode.installPath <node>/chaincodes, operations on operationsPort with
// Prometheus metrics, the role (endorsing or audit); an endorsing peer's vault enabled with its vault.key (an
// audit peer never hosts one). Every other key keeps its default
// (docs/peer-configuration.md, docs/ordering-service.md).
//
// Each channel's genesis block (network/genesis/channel_from_consortium.h): the channel's member
// organisations, each hospital's endorsing peers its anchor peers, every orderer node a consenter and an
// endpoint of its organisation, the channel's batch settings.
#ifndef CARELEDGER_NETWORK_LAUNCHER_NETWORK_LAYOUT_H_
#define CARELEDGER_NETWORK_LAUNCHER_NETWORK_LAYOUT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "network/consortium/consortium.h"
#include "network/launcher/network_state.h"

namespace careledger::launcher {

struct LayoutOptions {
  std::string log_spec = "info";  // each node's logging spec
  absl::Time now;                 // certificates' validity start and the genesis blocks' timestamp
};

// Writes the layout above under `dir` (created if missing; every path written is absolute) for `consortium`,
// whose text is `consortium_yaml` (copied as-is), and returns the state it wrote, every PID slot empty.
// Identities already in <dir>/crypto are kept (GenerateConsortiumIdentities), and so are vault keys: a new key
// would make the documents the old one wrapped unrecoverable.
//
// Errors: InvalidArgument if the consortium has no orderer node or no channel, or a channel has no member
// organisation; identity, genesis and file errors, naming the path or the organisation.
absl::StatusOr<NetworkState> GenerateNetwork(const network::Consortium& consortium, const std::string& consortium_yaml,
                                             const std::string& dir, const LayoutOptions& options);

// The configuration files, as GenerateNetwork writes them for one node. An endorsing peer's core.yaml names
// its vault key, VaultKeyFile(node), which WriteVaultKeyOnce creates.
std::string OrdererYaml(const NodeState& node, const std::string& log_spec);
std::string PeerCoreYaml(const NodeState& node, const std::string& log_spec);
std::string VaultKeyFile(const NodeState& node);

// For an endorsing peer, generates its vault key unless it exists (a new key would make the documents the old
// one wrapped unrecoverable); nothing for other nodes. GenerateMasterKeyFile's errors.
absl::Status WriteVaultKeyOnce(const NodeState& node);

}  // namespace careledger::launcher

#endif  // CARELEDGER_NETWORK_LAUNCHER_NETWORK_LAYOUT_H_
