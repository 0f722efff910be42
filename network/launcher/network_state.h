// The network state file, <network dir>/network.json: what `careledger network up` generated and started, and
// what `status`, `down` and `logs` read. JSON, written atomically after every change, readable by scripts:
//
//   {"version": 1, "consortium": "healthnet", "config": "<dir>/consortium.yaml", "upComplete": true,
//    "channels": [{"name": "healthchannel", "genesisBlock": "<dir>/channels/healthchannel.block"}],
//    "organizations": [{"name": "Hospital1", "mspId": "Hospital1MSP", "type": "hospital",
//                       "adminDir": ".../users/Admin@hospital1.example.org", "tlsCaFile": ".../tlsca/tlsca-cert.pem"}],
//    "nodes": [{"name": "orderer0.orderer.example.org", "kind": "orderer", "role": "orderer",
//               "organization": "Orderer", "mspId": "OrdererMSP", "host": "127.0.0.1",
//               "port": 7050, "clusterPort": 7051, "adminPort": 7052, "operationsPort": 7053,
//               "identityDir": ".../orderers/orderer0.orderer.example.org",
//               "dir": "<dir>/orderer0.orderer.example.org",
//               "config": ".../orderer.yaml", "log": ".../node.log",
//               "pid": 1234, "startTime": 567, "executable": "/usr/bin/careledger-orderer"}]}
//
// A node's PID slot is pid 0 while it is not started. startTime is the process's start time in clock ticks
// since boot (/proc/<pid>/stat, field 22): together with the PID it tells our process from a later one that
// reused the number. clusterPort is 0 for peers; role is "orderer", "endorsing" or "audit".
#ifndef CARELEDGER_NETWORK_LAUNCHER_NETWORK_STATE_H_
#define CARELEDGER_NETWORK_LAUNCHER_NETWORK_STATE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace careledger::launcher {

enum class NodeKind { kOrderer, kPeer };

struct NodeState {
  std::string name;  // the node's host name in the PKI, e.g. "peer0.hospital1.example.org"; also its folder
  NodeKind kind = NodeKind::kPeer;
  std::string role;  // orderer | endorsing | audit
  std::string organization;
  std::string msp_id;
  std::string host;
  uint16_t port = 0;
  uint16_t cluster_port = 0;  // orderers only
  uint16_t admin_port = 0;
  uint16_t operations_port = 0;
  std::string identity_dir;  // msp/ and tls/
  std::string dir;           // config, data, log
  std::string config_path;
  std::string log_path;
  int64_t pid = 0;  // 0: not started
  uint64_t start_time = 0;
  std::string executable;

  std::string Address() const;       // host:port
  std::string AdminAddress() const;  // host:admin_port
  std::string TlsCaFile() const;     // identity_dir/tls/ca.crt: the CA of the node's TLS certificate
};

struct OrganizationState {
  std::string name;
  std::string msp_id;
  std::string type;       // hospital | regulator | orderer
  std::string admin_dir;  // an admin user's folder (msp/, tls/client.crt, tls/client.key)
};

struct ChannelState {
  std::string name;
  std::string genesis_block_path;
};

struct NetworkState {
  std::string consortium;
  std::string config_path;  // the copy of the consortium description the network was generated from
  // True once an `up` finished every step; an `up` cut short leaves it false, so that the next one resumes.
  bool up_complete = false;
  std::vector<ChannelState> channels;
  std::vector<OrganizationState> organizations;
  std::vector<NodeState> nodes;

  // A node by its full name, or by a prefix that ends before a '.' of exactly one node's name ("orderer0",
  // "peer0.hospital1"). NotFound listing the names if none; InvalidArgument if the prefix is ambiguous.
  absl::StatusOr<const NodeState*> FindNode(std::string_view name) const;
  const OrganizationState* FindOrganization(std::string_view name) const;
};

inline constexpr char kNetworkStateFile[] = "network.json";
std::string_view NodeKindName(NodeKind kind);

// The state as JSON (the schema above) and back. Parse: InvalidArgument naming `source` and the field for
// anything that is not the schema.
std::string SerializeNetworkState(const NetworkState& state);
absl::StatusOr<NetworkState> ParseNetworkState(std::string_view json, std::string_view source);

// <dir>/network.json. Read: NotFound if the file does not exist (the network was never generated there),
// file and Parse errors otherwise. Write: atomic replacement.
absl::StatusOr<NetworkState> ReadNetworkState(const std::string& dir);
absl::Status WriteNetworkState(const std::string& dir, const NetworkState& state);

}  // namespace careledger::launcher

#endif  // CARELEDGER_NETWORK_LAUNCHER_NETWORK_STATE_H_
