#include "common/policies/implicit_meta_policy.h"

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/policies/policy_parser.h"
#include "common/policies/signature_policy.h"
#include "common/policies/test_identities.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::policies {
namespace {

using ::careledger::policies::testing::Signers;
using ::careledger::policies::testing::TestIdentity;
using ::testing::HasSubstr;

// A sub-policy with a fixed verdict that counts how often it is asked.
class FixedPolicy final : public Policy {
 public:
  explicit FixedPolicy(bool satisfied) : satisfied_(satisfied) {}
  absl::Status Evaluate(std::span<const Identity* const>) const override {
    ++calls_;
    return satisfied_ ? absl::OkStatus() : absl::PermissionDeniedError("fixed policy says no");
  }
  int calls() const { return calls_.load(); }

 private:
  const bool satisfied_;
  mutable std::atomic<int> calls_{0};
};

::common::ImplicitMetaPolicy Spec(::common::ImplicitMetaPolicy::Rule rule, std::string sub_policy = "Endorsement") {
  ::common::ImplicitMetaPolicy spec;
  spec.set_rule(rule);
  spec.set_sub_policy(std::move(sub_policy));
  return spec;
}

// `satisfied` of `total` sub-policies say yes (the first ones).
std::vector<std::shared_ptr<const Policy>> SubPolicies(int satisfied, int total) {
  std::vector<std::shared_ptr<const Policy>> policies;
  for (int i = 0; i < total; ++i) policies.push_back(std::make_shared<FixedPolicy>(i < satisfied));
  return policies;
}

absl::Status Evaluate(::common::ImplicitMetaPolicy::Rule rule, int satisfied, int total) {
  const absl::StatusOr<std::unique_ptr<Policy>> policy =
      NewImplicitMetaPolicy(Spec(rule), SubPolicies(satisfied, total));
  if (!policy.ok()) return policy.status();
  return (*policy)->Evaluate({});
}

// The threshold for each size 0..6, written out rather than recomputed with the formula under test.
struct ThresholdCase {
  ::common::ImplicitMetaPolicy::Rule rule;
  std::vector<int> threshold_by_size;
};

TEST(ImplicitMetaPolicyTest, ThresholdsForEverySize) {
  const std::vector<ThresholdCase> cases = {
      {::common::ImplicitMetaPolicy::ANY, {0, 1, 1, 1, 1, 1, 1}},
      {::common::ImplicitMetaPolicy::ALL, {0, 1, 2, 3, 4, 5, 6}},
      {::common::ImplicitMetaPolicy::MAJORITY, {0, 1, 2, 2, 3, 3, 4}},
  };
  for (const ThresholdCase& c : cases) {
    for (int total = 0; total < static_cast<int>(c.threshold_by_size.size()); ++total) {
      for (int satisfied = 0; satisfied <= total; ++satisfied) {
        const absl::Status status = Evaluate(c.rule, satisfied, total);
        if (satisfied >= c.threshold_by_size[total]) {
          EXPECT_TRUE(status.ok()) << c.rule << " " << satisfied << "/" << total << ": " << status;
        } else {
          EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied)
              << c.rule << " " << satisfied << "/" << total << ": " << status;
        }
      }
    }
  }
}

// Fabric: a group without sub-groups satisfies every implicit meta policy, even with no signers at all.
TEST(ImplicitMetaPolicyTest, NoSubPoliciesIsSatisfied) {
  for (auto rule :
       {::common::ImplicitMetaPolicy::ANY, ::common::ImplicitMetaPolicy::ALL, ::common::ImplicitMetaPolicy::MAJORITY}) {
    EXPECT_TRUE(Evaluate(rule, 0, 0).ok()) << rule;
  }
}

TEST(ImplicitMetaPolicyTest, FailureNamesRuleSubPolicyAndCounts) {
  const absl::Status status = Evaluate(::common::ImplicitMetaPolicy::MAJORITY, 1, 4);
  EXPECT_EQ(status, absl::PermissionDeniedError(
                        "implicit meta policy MAJORITY 'Endorsement' not satisfied: 1 of 4 sub-policies satisfied, "
                        "3 required; first failure: sub-policy 1: fixed policy says no"));
  EXPECT_THAT(std::string(Evaluate(::common::ImplicitMetaPolicy::ALL, 2, 3).message()),
              HasSubstr("ALL 'Endorsement' not satisfied: 2 of 3 sub-policies satisfied, 3 required"));
  EXPECT_THAT(std::string(Evaluate(::common::ImplicitMetaPolicy::ANY, 0, 2).message()),
              HasSubstr("ANY 'Endorsement' not satisfied: 0 of 2 sub-policies satisfied, 1 required"));
}

TEST(ImplicitMetaPolicyTest, MissingSubPolicyCountsAndFails) {
  std::vector<std::shared_ptr<const Policy>> policies = SubPolicies(1, 1);
  policies.push_back(nullptr);
  const auto all = NewImplicitMetaPolicy(Spec(::common::ImplicitMetaPolicy::ALL), policies);
  ASSERT_TRUE(all.ok()) << all.status();
  const absl::Status status = (*all)->Evaluate({});
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("1 of 2 sub-policies satisfied, 2 required; first failure: sub-policy 1 is missing"));

  const auto any = NewImplicitMetaPolicy(Spec(::common::ImplicitMetaPolicy::ANY), policies);
  ASSERT_TRUE(any.ok()) << any.status();
  EXPECT_TRUE((*any)->Evaluate({}).ok());
}

TEST(ImplicitMetaPolicyTest, StopsOnceThresholdIsReached) {
  auto first = std::make_shared<FixedPolicy>(true);
  auto second = std::make_shared<FixedPolicy>(true);
  const auto any = NewImplicitMetaPolicy(Spec(::common::ImplicitMetaPolicy::ANY), {first, second});
  ASSERT_TRUE(any.ok()) << any.status();
  EXPECT_TRUE((*any)->Evaluate({}).ok());
  EXPECT_EQ(first->calls(), 1);
  EXPECT_EQ(second->calls(), 0);
}

TEST(ImplicitMetaPolicyTest, InvalidSpecs) {
  const absl::Status unknown_rule =
      NewImplicitMetaPolicy(Spec(static_cast<::common::ImplicitMetaPolicy::Rule>(7)), SubPolicies(1, 1)).status();
  EXPECT_EQ(unknown_rule.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(unknown_rule.message()), HasSubstr("rule 7 is not ANY, ALL or MAJORITY"));

  const absl::Status no_name = NewImplicitMetaPolicy(Spec(::common::ImplicitMetaPolicy::ANY, ""), {}).status();
  EXPECT_EQ(no_name.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(no_name.message()), HasSubstr("sub_policy names no policy"));
}

// The channel-configuration shape: MAJORITY of the organisations' own signature policies.
TEST(ImplicitMetaPolicyTest, OverSignaturePolicies) {
  std::vector<std::shared_ptr<const Policy>> orgs;
  for (const char* text : {"'Org1MSP.peer'", "'Org2MSP.peer'", "'Org3MSP.peer'"}) {
    const auto envelope = ParseSignaturePolicy(text);
    ASSERT_TRUE(envelope.ok()) << envelope.status();
    auto policy = NewSignaturePolicy(*envelope);
    ASSERT_TRUE(policy.ok()) << policy.status();
    orgs.push_back(std::move(*policy));
  }
  const auto majority = NewImplicitMetaPolicy(Spec(::common::ImplicitMetaPolicy::MAJORITY), orgs);
  ASSERT_TRUE(majority.ok()) << majority.status();

  const TestIdentity org1("Org1MSP", "peer0", {::common::MSPRole::PEER});
  const TestIdentity org3("Org3MSP", "peer0", {::common::MSPRole::PEER});
  EXPECT_TRUE((*majority)->Evaluate(Signers{&org1, &org3}).ok());
  const absl::Status status = (*majority)->Evaluate(Signers{&org3});
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("1 of 3 sub-policies satisfied, 2 required; first failure: sub-policy 0: "
                        "signature policy 'Org1MSP.peer' not satisfied"));
}

}  // namespace
}  // namespace careledger::policies
