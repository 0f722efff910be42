// Reading committed chaincode definitions from the world state, for the endorser (which chaincode and
// package to run) and the committer (which endorsement policy a transaction must satisfy).
#ifndef CARELEDGER_PEER_LIFECYCLE_COMMITTED_DEFINITIONS_H_
#define CARELEDGER_PEER_LIFECYCLE_COMMITTED_DEFINITIONS_H_

#include <memory>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/channelconfig/policy_manager.h"
#include "common/policies/policy.h"
#include "peer/ledger/state/state_snapshot.h"
#include "peer/lifecycle/chaincode_definition.h"

namespace careledger::lifecycle {

// The committed definition of chaincode `name` in `state`, or nullopt if there is none. DataLoss if the
// stored value is damaged; the snapshot's errors as they are.
absl::StatusOr<std::optional<ChaincodeDefinition>> ReadCommittedDefinition(const ledger::StateSnapshot& state,
                                                                           std::string_view name);

// The endorsement policy of `definition`, compiled: its signature policy, or the channel policy it refers to
// (looked up in `channel_policies`, which must outlive the result). InvalidArgument if the signature policy
// is malformed; NotFound if the referenced channel policy does not exist.
absl::StatusOr<std::unique_ptr<policies::Policy>> CompileEndorsementPolicy(
    const ChaincodeDefinition& definition, const channelconfig::PolicyManager& channel_policies);

// The policy that endorses `_lifecycle` transactions: the channel's LifecycleEndorsement. NotFound if the
// channel has none. The pointer is owned by `channel_policies`.
absl::StatusOr<const policies::Policy*> LifecycleEndorsementPolicy(
    const channelconfig::PolicyManager& channel_policies);

}  // namespace careledger::lifecycle

#endif  // CARELEDGER_PEER_LIFECYCLE_COMMITTED_DEFINITIONS_H_
