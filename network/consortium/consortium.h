// The consortium description: one YAML file naming the organisations (hospitals, a regulator, the ordering
// organisation), their nodes and the people to enrol. `careledger crypto generate` makes identities from it;
// `careledger network up` will start the network it describes.
//
// The smallest valid file is
//   organizations:
//     - name: Hospital1
// and everything else has a default: see network/examples/healthnet.yaml for every key, documented.
#ifndef CARELEDGER_NETWORK_CONSORTIUM_CONSORTIUM_H_
#define CARELEDGER_NETWORK_CONSORTIUM_CONSORTIUM_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
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

struct PeerSpec {
  std::string name;  // host label, e.g. "peer0"; the node's host name is <name>.<domain>
  PeerRole role = PeerRole::kEndorsing;
};

struct OrdererSpec {
  std::string name;
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

struct Consortium {
  std::string name;  // default "healthnet"
  std::vector<OrganizationSpec> organizations;

  const OrganizationSpec* FindOrganization(std::string_view name_or_msp_id) const;
};

// OK if a person with role attribute `role` may belong to an organisation of `type`: doctors, nurses,
// patients and guardians to hospitals, regulators to the regulator. InvalidArgument saying why not.
absl::Status CheckRoleAllowed(std::string_view role, OrganizationType type);

// Parses and validates a consortium description. InvalidArgument with "<file>:<line>:<column>: <key>: ..."
// for unknown keys, wrong types, unknown enum values, names that are not host-name safe, duplicate
// organisation names, MSP IDs, domains or node/user names within an organisation, a regulator or patient
// role in the wrong kind of organisation, or an organisation with no node and no user.
absl::StatusOr<Consortium> ParseConsortium(std::string_view yaml, std::string_view source_name);
absl::StatusOr<Consortium> LoadConsortium(const std::string& path);

}  // namespace careledger::network

#endif  // CARELEDGER_NETWORK_CONSORTIUM_CONSORTIUM_H_
