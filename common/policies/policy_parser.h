// The text form of signature policies: Fabric's policy language (common/policydsl), in both directions.
//
//   ASSIGN_OR_RETURN(::common::SignaturePolicyEnvelope envelope,
//                    ParseSignaturePolicy("OR('Hospital1MSP.peer', AND('Hospital2MSP.peer', 'LabMSP.peer'))"));
//
// Grammar (whitespace -- space, tab, CR, LF, FF, VT -- is allowed between any two tokens):
//
//   policy    := expr                            (a bare principal is accepted here as a convenience)
//   expr      := gate | principal
//   gate      := and "(" expr ("," expr)* ")"
//              | or "(" expr ("," expr)* ")"
//              | outof "(" threshold ("," expr)+ ")"
//   and       := "AND" | "And" | "and"            (exactly the spellings Fabric accepts)
//   or        := "OR" | "Or" | "or"
//   outof     := "OutOf" | "outof" | "OUTOF"
//   threshold := digits | "'" digits "'" | '"' digits '"'
//   principal := "'" mspid "." role "'" | '"' mspid "." role '"'
//   mspid     := [A-Za-z0-9.-]+                  (the principal is split at its LAST dot)
//   role      := "member" | "admin" | "client" | "peer" | "orderer"
//
// Fabric's own test suite pins its output, and ours is byte-for-byte the same (see ParseSignaturePolicy).
#ifndef CARELEDGER_COMMON_POLICIES_POLICY_PARSER_H_
#define CARELEDGER_COMMON_POLICIES_POLICY_PARSER_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/policies.pb.h"
#include "common/policies/signature_policy.h"  // the bounds the parser enforces
#include "msp/msp_principal.pb.h"

namespace careledger::policies {

// Longest policy text ParseSignaturePolicy accepts. Real policies are a few hundred bytes.
inline constexpr size_t kMaxPolicyTextBytes = 64 * 1024;

// Parses `text` into the envelope Fabric's policydsl.FromString produces for it, so that both serialize to
// the same bytes:
//  - version 0;
//  - AND(e1..ek) becomes NOutOf{n = k}, OR(...) NOutOf{n = 1}, OutOf(n, ...) NOutOf{n};
//  - one ROLE MSPPrincipal (principal = serialized MSPRole) per principal occurrence; equal principals are
//    not merged;
//  - principals are numbered in the order Fabric's evaluator visits them, which is not plain text order:
//    within each gate, the principals of its nested gates (recursively, left to right) come first, then the
//    gate's own direct principals, left to right. "OR('A.member', AND('B.member', 'C.member'))" gives
//    identities [B, C, A] and rule OR(SignedBy(2), AND(SignedBy(0), SignedBy(1))).
//  - a bare principal gives rule SignedBy(0) (Fabric rejects this form; it is our convenience).
// The result always passes NewSignaturePolicy's validation.
//
// InvalidArgument otherwise, naming the 1-based column (a byte offset into `text`, newlines included) and
// what was expected there: empty text, text longer than kMaxPolicyTextBytes, unbalanced parentheses, an
// unknown function, a missing closing quote, a malformed principal (no dot, empty or bad MSP ID character,
// unknown role), an OutOf threshold that is not an integer, is negative or exceeds its argument count, a
// gate without arguments, gates nested deeper than kMaxSignaturePolicyDepth, more than
// kMaxSignaturePolicyRules rules, or text after the policy. Unlike Fabric, OutOf(n, ...) with n one more
// than the argument count (Fabric's "never satisfiable" trick) is rejected.
//
// Thread-safe.
absl::StatusOr<::common::SignaturePolicyEnvelope> ParseSignaturePolicy(std::string_view text);

// Returns a canonical text form of `envelope`, for messages, logs and tools: AND when a gate's n equals its
// number of rules, OR when n is 1, OutOf otherwise; principals as by PrincipalToString. For every envelope
// ParseSignaturePolicy produces, parsing the result gives back the same envelope. Other envelopes (for
// example ones whose identities are shared between leaves, as configtxgen writes them) print the same rule
// but may parse back to a differently numbered equivalent, and the bracketed forms below do not parse at
// all. Never fails: problems are printed in place ("[missing rule]", "[signed_by 7: no such identity]",
// "[empty rule]"), and gates nested deeper than kMaxSignaturePolicyDepth print as "...".
std::string SignaturePolicyToString(const ::common::SignaturePolicyEnvelope& envelope);

// Returns the text of one principal: 'MSPID.role' for a well-formed ROLE principal whose bytes are exactly
// what ParseSignaturePolicy would write; otherwise a bracketed description that the parser rejects, e.g.
// "[OU Hospital1MSP/cardiology]", "[IDENTITY Hospital1MSP, 712-byte id]", "[ANONYMITY ANONYMOUS]",
// "[COMBINED 'A.peer' + [OU A/x]]", "[ROLE A role=9]", "[ROLE unparseable, 5 bytes]",
// "[classification 9, 5 bytes]".
std::string PrincipalToString(const ::common::MSPPrincipal& principal);

}  // namespace careledger::policies

#endif  // CARELEDGER_COMMON_POLICIES_POLICY_PARSER_H_
