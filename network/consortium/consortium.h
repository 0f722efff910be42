// The consortium description: one YAML file naming the organisations (hospitals, a regulator, the ordering
// organisation), their nodes with their hosts and ports, the people to enrol, the channels and the chaincodes
// each channel runs. `careledger crypto generate` makes identities from it; `careledger network up` starts the
// network it describes (network/launcher).
//
// The smallest valid file is
//   organizations:
//     - name: Hospital1
// and everything else has a default: see network/examples/healthnet.yaml for every key, documented, and
// docs/network.md for how the defaults (ports, channels, chaincodes) are chosen.
#ifndef CARELEDGER_NETWORK_CONSORTIUM_CONSORTIUM_H_
#define CARELEDGER_NETWORK_CONSORTIUM_CONSORTIUM_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "msp/attributes.h"
#include "msp/identity.h"

namespace careledger::network {

enum class OrganizationType { kHospital, kRegulator, kOrderer };
enum class PeerRole { kEndorsing, kAudit };

std::string_view OrganizationTypeName(OrganizationType type);
std::string_view PeerRoleName(PeerRole role);

// Attribute names CareLedger's chaincode authorises with.
inline constexpr char kRoleAttribute[] = "role";            // doctor | nurse | patient | guardian | regulator
inline constexpr char kPersonIdAttribute[] = "person_id";  // a stable ID of the person, e.g. "D-1001"

// Where the nodes listen unless a node says otherwise: `network: {host, basePort}`. Node k (every orderer in
// description order, then every peer in description order) takes ports basePort + 10*k + 0..3: for an
// orderer its client (Broadcast, Deliver), cluster, admin and operations ports; for a peer its listen
// (Gateway, Endorser, Deliver), admin and operations ports. With the default base 7050 the three orderers
// of healthnet.yaml take 7050-7053, 7060-7063 and 7070-7073, and the peers 7080-7082, 7090-7092, 7100-7102.
struct NetworkDefaults {
  std::string host = "127.0.0.1";
  uint16_t base_port = 7050;
};
inline constexpr int kPortsPerNode = 10;

struct PeerSpec {
  std::string name;  // host label, e.g. "peer0"; the node's host name is <name>.<domain>
  PeerRole role = PeerRole::kEndorsing;
  // Resolved by ParseConsortium: the node's own keys, else NetworkDefaults.
  std::string host;  // where the node listens and is reached
  uint16_t port = 0;
  uint16_t admin_port = 0;
  uint16_t operations_port = 0;
};

struct OrdererSpec {
  std::string name;
  // Resolved as PeerSpec's.
  std::string host;
  uint16_t port = 0;
  uint16_t cluster_port = 0;
  uint16_t admin_port = 0;
  uint16_t operations_port = 0;
};

struct UserSpec {
  std::string name;                              // e.g. "dr.alice"; the identity is <name>@<domain>
  msp::NodeRole node_ou = msp::NodeRole::kClient;  // client or admin
  msp::Attributes attributes;                    // includes role and person_id when given
};

struct OrganizationSpec {
  std::string name;    // e.g. "Hospital1"
  std::string msp_id;  // default <name>MSP
  std::string domain;  // default <lower-case name>.example.org
  OrganizationType type = OrganizationType::kHospital;
  std::string country;
  std::string state;
  std::string locality;
  bool intermediate_ca = false;  // issue identities from an intermediate CA under the root
  std::vector<PeerSpec> peers;
  std::vector<OrdererSpec> orderers;
  std::vector<UserSpec> users;  // always includes an admin named "Admin" unless one is listed
};

// A chaincode a channel runs, defined through the lifecycle by `network up`.
struct ChaincodeSpec {
  std::string name;
  std::string version = "1.0";
  int64_t sequence = 1;
  std::string package_id;  // default "builtin:<name>": a chaincode compiled into the peer
  // Fabric's policy language. Default: AND of every hospital of the channel with an endorsing peer
  // ("AND('Hospital1MSP.peer','Hospital2MSP.peer')").
  std::string endorsement_policy;
};

// How the channel's orderers cut blocks. The defaults are Fabric's, except the 500 ms timeout (tests/peer's,
// so that a lone transaction commits in about half a second).
struct BatchSpec {
  absl::Duration timeout = absl::Milliseconds(500);
  uint32_t max_message_count = 500;
  uint32_t absolute_max_bytes = 10 * 1024 * 1024;
  uint32_t preferred_max_bytes = 2 * 1024 * 1024;
};

inline constexpr char kDefaultChannelName[] = "healthchannel";

struct ChannelDescription {
  std::string name;                        // default kDefaultChannelName
  std::vector<std::string> organizations;  // organisation names; default every hospital and regulator
  BatchSpec batch;
  // Default (no `chaincodes` key): the builtins `bench` and `healthcare`; `chaincodes: []` deploys none.
  std::vector<ChaincodeSpec> chaincodes;
};

struct Consortium {
  std::string name;  // default "healthnet"
  NetworkDefaults network;
  std::vector<OrganizationSpec> organizations;
  // Default: one channel "healthchannel" with every hospital and the regulator, running `bench` and
  // `healthcare`.
  std::vector<ChannelDescription> channels;

  const OrganizationSpec* FindOrganization(std::string_view name_or_msp_id) const;
};

// OK if a person with role attribute `role` may belong to an organisation of `type`: doctors, nurses,
// patients and guardians to hospitals, regulators to the regulator. InvalidArgument saying why not.
absl::Status CheckRoleAllowed(std::string_view role, OrganizationType type);

// Parses and validates a consortium description. InvalidArgument with "<file>:<line>:<column>: <key>: ..."
// for unknown keys, wrong types, unknown enum values, names that are not host-name safe, duplicate
// organisation names, MSP IDs, domains or node/user names within an organisation, a regulator or patient
// role in the wrong kind of organisation, or an organisation with no node and no user; two nodes on the same
// host and port, or a port beyond 65535; a channel naming an unknown or ordering organisation, twice the same
// channel or chaincode, a chaincode policy that is empty, a batch setting out of range.
absl::StatusOr<Consortium> ParseConsortium(std::string_view yaml, std::string_view source_name);
absl::StatusOr<Consortium> LoadConsortium(const std::string& path);

}  // namespace careledger::network

#endif  // CARELEDGER_NETWORK_CONSORTIUM_CONSORTIUM_H_
