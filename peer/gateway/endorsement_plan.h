// Which organisations' peers the gateway asks to endorse a transaction.
//
// The chaincode's endorsement policy decides over signers; the gateway needs a set of organisations whose
// peers' endorsements will satisfy it (common/policies/organization_policy.h). It picks the smallest such set,
// preferring one that includes its own organisation (its local peer endorses without a network hop), and,
// among sets of equal size, the one whose organisations come first in the channel configuration — so the
// choice is stable and every gateway of one organisation makes the same one. A client that names its
// endorsing organisations (EndorseRequest.endorsing_organizations) gets exactly those.
#ifndef CARELEDGER_PEER_GATEWAY_ENDORSEMENT_PLAN_H_
#define CARELEDGER_PEER_GATEWAY_ENDORSEMENT_PLAN_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/policies/policy.h"

namespace careledger::gateway {

// At most this many organisations are searched exhaustively; beyond it the plan adds organisations in order
// until the policy is satisfied (consortia are a handful of hospitals, so this is a guard, not a limit).
inline constexpr size_t kMaxExhaustiveOrganizations = 12;

// The organisations to ask, in channel order. `channel_orgs` are the channel's application organisations in
// configuration order; `local_msp_id` is this peer's; `requested` the client's choice (may be empty).
// Errors: InvalidArgument if a requested organisation is not in the channel; FailedPrecondition if no set of
// the channel's organisations (or the requested set) satisfies `policy`, with the policy's reason.
absl::StatusOr<std::vector<std::string>> PlanEndorsingOrganizations(const policies::Policy& policy,
                                                                    std::span<const std::string> channel_orgs,
                                                                    std::string_view local_msp_id,
                                                                    std::span<const std::string> requested);

}  // namespace careledger::gateway

#endif  // CARELEDGER_PEER_GATEWAY_ENDORSEMENT_PLAN_H_
