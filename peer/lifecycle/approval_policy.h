// Whether a set of organisations' approvals satisfies a channel policy such as LifecycleEndorsement.
//
// Channel policies are written over signers ("MAJORITY Endorsement", each organisation's Endorsement being
// e.g. OR('Hospital1MSP.peer')), but a commit of a chaincode definition is decided over approvals recorded
// on the ledger. Fabric decides it by having the commit endorsed by enough organisations' peers; CareLedger
// also checks it directly while simulating the commit, so that the endorsing peer refuses a commit the
// approvals do not support. Each approving organisation stands in as a signer that satisfies every role
// principal of its own MSP (member, peer, admin, client, orderer) and nothing else; the policy then decides
// exactly as it would over one signature per approving organisation. Deterministic and pure.
#ifndef CARELEDGER_PEER_LIFECYCLE_APPROVAL_POLICY_H_
#define CARELEDGER_PEER_LIFECYCLE_APPROVAL_POLICY_H_

#include <span>
#include <string>

#include "absl/status/status.h"
#include "common/policies/policy.h"

namespace careledger::lifecycle {

// OK if the organisations `approving_msp_ids` satisfy `policy`; otherwise the policy's PermissionDenied
// explaining what is missing. Identity and OU principals are never satisfied by an approval.
absl::Status ApprovalsSatisfy(const policies::Policy& policy, std::span<const std::string> approving_msp_ids);

}  // namespace careledger::lifecycle

#endif  // CARELEDGER_PEER_LIFECYCLE_APPROVAL_POLICY_H_
