// Implicit meta policies: "ANY/ALL/MAJORITY of the sub-groups' policies named X", as in Fabric's channel
// configuration (e.g. /Channel/Application/Endorsement = MAJORITY Endorsement).
//
// Resolving the sub-policies (one per sub-group of the config group, each sub-group's policy named
// spec.sub_policy) is the caller's job; this module only counts.
#ifndef CARELEDGER_COMMON_POLICIES_IMPLICIT_META_POLICY_H_
#define CARELEDGER_COMMON_POLICIES_IMPLICIT_META_POLICY_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "common/policies.pb.h"
#include "common/policies/policy.h"

namespace careledger::policies {

// Returns a policy satisfied when at least a threshold of `sub_policies` are satisfied by the same signers:
//   ANY: 1,  ALL: all of them,  MAJORITY: size / 2 + 1 (so 2 of 2, 2 of 3, 3 of 4).
// With zero sub-policies the threshold is 0 whatever the rule, so the policy is always satisfied. That is
// Fabric's behaviour and channel configurations depend on it (a group without sub-groups); callers that
// want "no members means nobody" must check for it themselves.
//
// A null entry stands for a sub-group that has no policy of that name: it counts towards the size and is
// never satisfied, like Fabric's implicit reject policy. Sub-policies are evaluated in order and evaluation
// stops once the threshold is reached (each sub-policy sees all signers afresh, so order cannot change the
// verdict).
//
// InvalidArgument if spec.rule is not ANY, ALL or MAJORITY (Fabric would silently use threshold 0 -- always
// satisfied -- for an unknown rule) or if spec.sub_policy is empty.
//
// Evaluate returns OK, or PermissionDenied naming the rule, the sub-policy name and how many sub-policies
// were satisfied out of how many, with the first failing sub-policy's reason. The policy is immutable, shares
// ownership of the sub-policies, and its Evaluate is thread-safe if theirs are.
absl::StatusOr<std::unique_ptr<Policy>> NewImplicitMetaPolicy(const ::common::ImplicitMetaPolicy& spec,
                                                              std::vector<std::shared_ptr<const Policy>> sub_policies);

}  // namespace careledger::policies

#endif  // CARELEDGER_COMMON_POLICIES_IMPLICIT_META_POLICY_H_
