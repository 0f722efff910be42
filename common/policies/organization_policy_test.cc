#include "common/policies/organization_policy.h"

#include <string>
#include <vector>

#include "common/policies/implicit_meta_policy.h"
#include "common/policies/policy_parser.h"
#include "common/policies/signature_policy.h"
#include "gtest/gtest.h"

namespace careledger::policies {
namespace {

TEST(OrganizationPolicyTest, OrganizationsSatisfyRolePrincipalsOfTheirOwnMspOnly) {
  auto both = ParseSignaturePolicy("AND('Hospital1MSP.peer','Hospital2MSP.admin')");
  ASSERT_TRUE(both.ok());
  auto policy = NewSignaturePolicy(*both);
  ASSERT_TRUE(policy.ok());
  std::vector<std::string> one = {"Hospital1MSP"};
  std::vector<std::string> two = {"Hospital1MSP", "Hospital2MSP"};
  std::vector<std::string> others = {"Hospital3MSP", "LabMSP"};
  EXPECT_EQ(EvaluateOrganizations(**policy, one).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(EvaluateOrganizations(**policy, two).ok());
  EXPECT_FALSE(EvaluateOrganizations(**policy, others).ok());
}

TEST(OrganizationPolicyTest, IdentityPrincipalsAreNeverSatisfied) {
  ::common::SignaturePolicyEnvelope envelope;
  ::common::MSPPrincipal* principal = envelope.add_identities();
  principal->set_principal_classification(::common::MSPPrincipal::IDENTITY);
  principal->set_principal("some serialized identity");
  envelope.mutable_rule()->mutable_n_out_of()->set_n(1);
  envelope.mutable_rule()->mutable_n_out_of()->add_rules()->set_signed_by(0);
  auto policy = NewSignaturePolicy(envelope);
  ASSERT_TRUE(policy.ok()) << policy.status();
  std::vector<std::string> orgs = {"Hospital1MSP"};
  EXPECT_FALSE(EvaluateOrganizations(**policy, orgs).ok());
}

TEST(OrganizationPolicyTest, MajorityOfOrganizationsCountsOrganizations) {
  std::vector<std::shared_ptr<const Policy>> endorsement;
  for (const char* org : {"Hospital1MSP", "Hospital2MSP", "Hospital3MSP"}) {
    auto rule = ParseSignaturePolicy(std::string("OR('") + org + ".peer')");
    ASSERT_TRUE(rule.ok());
    auto policy = NewSignaturePolicy(*rule);
    ASSERT_TRUE(policy.ok());
    endorsement.push_back(std::move(*policy));
  }
  ::common::ImplicitMetaPolicy spec;
  spec.set_rule(::common::ImplicitMetaPolicy::MAJORITY);
  spec.set_sub_policy("Endorsement");
  auto majority = NewImplicitMetaPolicy(spec, endorsement);
  ASSERT_TRUE(majority.ok());
  std::vector<std::string> one = {"Hospital2MSP"};
  std::vector<std::string> two = {"Hospital3MSP", "Hospital1MSP"};
  EXPECT_FALSE(EvaluateOrganizations(**majority, one).ok());
  EXPECT_TRUE(EvaluateOrganizations(**majority, two).ok());
}

}  // namespace
}  // namespace careledger::policies
