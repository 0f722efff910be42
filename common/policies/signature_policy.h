// Signature policies: rule trees over principals, as in Fabric's SignaturePolicyEnvelope (common/cauthdsl).
//
//   ASSIGN_OR_RETURN(std::unique_ptr<Policy> policy, NewSignaturePolicy(envelope));
//   absl::Status satisfied = policy->Evaluate(signers);  // per transaction, from many threads
//
// Evaluation follows Fabric exactly, because every peer of a channel must reach the same verdict:
//  - SignedBy(i) takes the first signer, in the order given, that is not yet used and satisfies
//    identities[i], and marks it used. One signer never satisfies two SignedBy leaves.
//  - NOutOf(n, rules) evaluates every rule in order, each on a copy of the used-marks, and keeps a rule's
//    marks only if that rule is satisfied; it is satisfied when at least n rules are. There is no
//    backtracking and no short cut: a satisfied rule consumes its signers even once n is reached, so
//    OR('A.member', 'A.member') consumes two A signers when it can. This greedy order can reject a signer set
//    that some other assignment would accept; Fabric does the same, and agreeing with it matters more.
#ifndef CARELEDGER_COMMON_POLICIES_SIGNATURE_POLICY_H_
#define CARELEDGER_COMMON_POLICIES_SIGNATURE_POLICY_H_

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "common/policies.pb.h"
#include "common/policies/policy.h"

namespace careledger::policies {

// Envelope version this evaluator understands (Fabric knows no other).
inline constexpr int32_t kSignaturePolicyVersion = 0;

// Bounds that keep hostile envelopes from exhausting the stack or the CPU; real policies name a few dozen
// organisations at most. Depth counts NOutOf gates on the longest path from the root (AND('A.peer') has
// depth 1, a bare SignedBy depth 0). The rule count covers every SignaturePolicy node, gates and leaves; the
// identity count bounds the principal list. ParseSignaturePolicy enforces the same bounds.
inline constexpr int kMaxSignaturePolicyDepth = 32;
inline constexpr int kMaxSignaturePolicyRules = 4096;
inline constexpr int kMaxSignaturePolicyIdentities = 4096;

// Validates `envelope` and compiles it into a Policy. The returned policy is immutable and does not refer to
// `envelope` afterwards; its Evaluate is thread-safe.
//
// InvalidArgument, with the path of the offending rule (e.g. "rule.n_out_of.rules[1]"), when:
//  - version is not kSignaturePolicyVersion, or the rule is missing;
//  - a rule has neither signed_by nor n_out_of;
//  - a signed_by index is negative or not below identities_size();
//  - an NOutOf n is negative or greater than its number of rules (it could never be satisfied; note that
//    Fabric tolerates n == rules + 1 as a "never satisfied" policy, CareLedger rejects it);
//  - the depth, rule count or identity count exceeds the bounds above.
// NOutOf(0, ...) and NOutOf(0) with no rules are accepted and always satisfied, as in Fabric.
//
// Principals are not interpreted here: whether a signer satisfies one is Identity::SatisfiesPrincipal's
// decision, and a principal the MSP rejects as malformed is simply never satisfied (as in Fabric). One
// shortcut is taken: a well-formed ROLE principal is only ever satisfied by an identity whose msp_id() equals
// the role's msp_identifier (Fabric's MSP rule), so signers of other MSPs are skipped without asking.
//
// Evaluate returns OK, or PermissionDenied naming the policy and the principals no unused signer satisfied.
// Null pointers in `signers` are ignored; a signer that appears twice (same signer_key(), whatever its
// serialized() bytes) counts once.
absl::StatusOr<std::unique_ptr<Policy>> NewSignaturePolicy(const ::common::SignaturePolicyEnvelope& envelope);

}  // namespace careledger::policies

#endif  // CARELEDGER_COMMON_POLICIES_SIGNATURE_POLICY_H_
