// The `_lifecycle` system chaincode: organisations approve chaincode definitions and commit them once enough
// have approved (Fabric's chaincode lifecycle; arguments and results are Fabric's lifecycle.* messages, so
// Fabric's admin tools speak to it). The endorser runs it like any chaincode, through a LedgerAccess scoped to
// the "_lifecycle" namespace, so its reads and writes become an ordinary read-write set that the committer
// checks (MVCC) and commits.
//
// Functions (args[0]; args[1] is the serialized argument message, the response payload the serialized
// result):
//   ApproveChaincodeDefinitionForMyOrg  an admin of an application organisation of the channel records its
//                                       organisation's approval of a definition with the next sequence (or
//                                       the committed one, unchanged, e.g. to name a package later)
//   CommitChaincodeDefinition           an admin of an application organisation commits the definition with
//                                       the next sequence, once the organisations that approved exactly it
//                                       satisfy the channel's LifecycleEndorsement policy
//   CheckCommitReadiness                which organisations approved the given definition, and where the
//                                       others' approvals differ
//   QueryApprovedChaincodeDefinition    the caller's organisation's approval (sequence 0: the newest)
//   QueryChaincodeDefinition            a committed definition and who approved it
//   QueryChaincodeDefinitions           every committed definition
// Anything else is an error response "unknown function: NAME". Every refusal is a response with status 500
// and a message that says why; a storage failure is too (the proposal fails, the peer goes on).
// Installing packages is not a ledger operation: the peer's package store does it.
#ifndef CARELEDGER_PEER_LIFECYCLE_LIFECYCLE_CHAINCODE_H_
#define CARELEDGER_PEER_LIFECYCLE_LIFECYCLE_CHAINCODE_H_

#include <span>
#include <string>
#include <vector>

#include "chaincode/runtime/ledger_access.h"
#include "common/policies/policy.h"
#include "peer/proposal_response.pb.h"

namespace careledger::lifecycle {

// The verified creator of the proposal, as the endorser's MSP established it.
struct LifecycleCaller {
  std::string msp_id;
  bool is_admin = false;  // the certificate carries its MSP's admin role
};

// What the channel's current configuration says.
struct LifecycleChannel {
  std::vector<std::string> application_msp_ids;  // the channel's application organisations
  const policies::Policy* lifecycle_endorsement = nullptr;  // kLifecycleEndorsementPolicy; must be set
};

// Runs one function. Thread-safe (no state of its own); `ledger` is used only during the call.
::protos::Response InvokeLifecycle(std::span<const std::string> args, const LifecycleCaller& caller,
                                   const LifecycleChannel& channel, chaincode::LedgerAccess& ledger);

}  // namespace careledger::lifecycle

#endif  // CARELEDGER_PEER_LIFECYCLE_LIFECYCLE_CHAINCODE_H_
