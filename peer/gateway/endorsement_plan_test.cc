#include "peer/gateway/endorsement_plan.h"

#include <memory>
#include <string>
#include <vector>

#include "common/policies/policy_parser.h"
#include "common/policies/signature_policy.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::vector<std::string> kOrgs = {"H1", "H2", "H3"};

std::unique_ptr<policies::Policy> Compile(const std::string& text) {
  auto envelope = policies::ParseSignaturePolicy(text);
  EXPECT_TRUE(envelope.ok()) << envelope.status();
  auto policy = policies::NewSignaturePolicy(*envelope);
  EXPECT_TRUE(policy.ok()) << policy.status();
  return std::move(*policy);
}

absl::StatusOr<std::vector<std::string>> Plan(const std::string& policy, const std::string& local,
                                              std::vector<std::string> requested = {}) {
  return PlanEndorsingOrganizations(*Compile(policy), kOrgs, local, requested);
}

TEST(EndorsementPlanTest, AnAndPolicyNeedsEveryNamedOrganisation) {
  EXPECT_THAT(*Plan("AND('H1.peer','H2.peer')", "H1"), ElementsAre("H1", "H2"));
  EXPECT_THAT(*Plan("AND('H2.peer','H3.peer')", "H1"), ElementsAre("H2", "H3"));
}

TEST(EndorsementPlanTest, AnOrPolicyIsSatisfiedByTheLocalOrganisationAlone) {
  EXPECT_THAT(*Plan("OR('H1.peer','H2.peer')", "H2"), ElementsAre("H2"));
  EXPECT_THAT(*Plan("OR('H2.peer','H3.peer')", "H1"), ElementsAre("H2"));
}

TEST(EndorsementPlanTest, AmongEqualSetsTheLocalOrganisationThenChannelOrderWins) {
  const std::string two_of_three = "OutOf(2,'H1.peer','H2.peer','H3.peer')";
  EXPECT_THAT(*Plan(two_of_three, "H3"), ElementsAre("H1", "H3"));
  EXPECT_THAT(*Plan(two_of_three, "H2"), ElementsAre("H1", "H2"));
  EXPECT_THAT(*Plan(two_of_three, "Elsewhere"), ElementsAre("H1", "H2"));
}

TEST(EndorsementPlanTest, RequestedOrganisationsAreUsedAsTheyAre) {
  EXPECT_THAT(*Plan("OR('H1.peer','H2.peer')", "H1", {"H3", "H2"}), ElementsAre("H2", "H3"));
  auto short_of_policy = Plan("AND('H1.peer','H2.peer')", "H1", {"H1"});
  EXPECT_EQ(short_of_policy.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(short_of_policy.status().message(), HasSubstr("the requested organisations [H1] cannot satisfy"));
  auto stranger = Plan("OR('H1.peer')", "H1", {"Lab"});
  EXPECT_EQ(stranger.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(stranger.status().message(), HasSubstr("Lab is not a member of the channel"));
}

TEST(EndorsementPlanTest, APolicyNoChannelOrganisationCanSatisfyIsRefused) {
  auto impossible = Plan("AND('H1.peer','Lab.peer')", "H1");
  EXPECT_EQ(impossible.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(impossible.status().message(), HasSubstr("no set of the channel's organisations"));
}

}  // namespace
}  // namespace careledger::gateway
