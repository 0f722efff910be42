// Test-only builders of signature policy envelopes, for rules the policy language cannot express or that
// must be built independently of the parser under test.
#ifndef CARELEDGER_COMMON_POLICIES_TEST_ENVELOPES_H_
#define CARELEDGER_COMMON_POLICIES_TEST_ENVELOPES_H_

#include <string>
#include <utility>
#include <vector>

#include "common/policies.pb.h"
#include "msp/msp_principal.pb.h"

namespace careledger::policies::testing {

inline ::common::SignaturePolicy SignedBy(int index) {
  ::common::SignaturePolicy rule;
  rule.set_signed_by(index);
  return rule;
}

inline ::common::SignaturePolicy NOutOf(int n, std::vector<::common::SignaturePolicy> rules) {
  ::common::SignaturePolicy rule;
  rule.mutable_n_out_of()->set_n(n);
  for (auto& sub_rule : rules) *rule.mutable_n_out_of()->add_rules() = std::move(sub_rule);
  return rule;
}

inline ::common::SignaturePolicyEnvelope Envelope(::common::SignaturePolicy rule,
                                                  std::vector<::common::MSPPrincipal> identities) {
  ::common::SignaturePolicyEnvelope envelope;
  *envelope.mutable_rule() = std::move(rule);
  for (auto& identity : identities) *envelope.add_identities() = std::move(identity);
  return envelope;
}

inline ::common::MSPPrincipal Principal(::common::MSPPrincipal::Classification classification, std::string bytes) {
  ::common::MSPPrincipal principal;
  principal.set_principal_classification(classification);
  principal.set_principal(std::move(bytes));
  return principal;
}

}  // namespace careledger::policies::testing

#endif  // CARELEDGER_COMMON_POLICIES_TEST_ENVELOPES_H_
