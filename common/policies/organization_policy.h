// Whether a set of organisations, rather than a set of signers, satisfies a policy.
//
// Channel and endorsement policies are written over signers ("MAJORITY Endorsement", each organisation's
// Endorsement being e.g. OR('Hospital1MSP.peer')). Two decisions are made over organisations instead: whether
// the organisations that approved a chaincode definition satisfy LifecycleEndorsement (peer/lifecycle), and
// which organisations' peers the gateway must ask to endorse a transaction (peer/gateway). For both, each
// organisation stands in as a signer that satisfies every role principal of its own MSP (member, peer, admin,
// client, orderer) and nothing else; the policy then decides exactly as it would over one signature from each
// organisation. Identity and OU principals are never satisfied this way. Deterministic and pure.
#ifndef CARELEDGER_COMMON_POLICIES_ORGANIZATION_POLICY_H_
#define CARELEDGER_COMMON_POLICIES_ORGANIZATION_POLICY_H_

#include <span>
#include <string>

#include "absl/status/status.h"
#include "common/policies/policy.h"

namespace careledger::policies {

// OK if the organisations `msp_ids` satisfy `policy`; otherwise the policy's PermissionDenied explaining
// what is missing.
absl::Status EvaluateOrganizations(const Policy& policy, std::span<const std::string> msp_ids);

}  // namespace careledger::policies

#endif  // CARELEDGER_COMMON_POLICIES_ORGANIZATION_POLICY_H_
