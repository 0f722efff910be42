// Defining a chaincode through `_lifecycle` with the typed helpers, on the two-peer loopback network: both
// hospitals' admins approve, one commits, and the chaincode then runs under the committed AND policy.
#include "network/client/chaincode_lifecycle.h"

#include <map>
#include <memory>
#include <string>

#include "common/channelconfig/test_network.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "network/client/testing/gateway_front_door.h"
#include "peer/gateway/testing/two_peer_network.h"
#include "peer/policy.pb.h"

namespace careledger::client {
namespace {

using gateway::testing::kChannelId;
using gateway::testing::TwoPeerNetwork;
using testing::BlockCutter;
using testing::ConnectOrDie;
using ::testing::ElementsAre;
using testing::GatewayFrontDoor;
using ::testing::HasSubstr;
using ::testing::Pair;
using testing::Security;
using ::testing::UnorderedElementsAre;

constexpr char kAndPolicy[] = "AND('Hospital1MSP.peer','Hospital2MSP.peer')";

ChaincodeDefinitionSpec BenchSpec() {
  ChaincodeDefinitionSpec spec;
  spec.name = "bench";
  spec.version = "1.0";
  spec.sequence = 1;
  spec.package_id = "builtin:bench";
  spec.signature_policy = kAndPolicy;
  return spec;
}

template <typename ProtoMap>
std::map<std::string, bool> Approvals(const ProtoMap& approvals) {
  return std::map<std::string, bool>(approvals.begin(), approvals.end());
}

class ChaincodeLifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(net_.ok());
    ASSERT_TRUE(door_.ok());
  }

  TwoPeerNetwork net_;
  GatewayFrontDoor door_{net_, Security::kTls};
  GatewayClient admin1_ = ConnectOrDie(door_.Endpoint(), net_.admin1());
  GatewayClient admin2_ = ConnectOrDie(door_.Endpoint(), net_.admin2());
  GatewayClient client1_ = ConnectOrDie(door_.Endpoint(), net_.client1());
};

TEST_F(ChaincodeLifecycleTest, TwoApprovalsThenACommitDefineTheChaincodeWithItsPolicy) {
  BlockCutter cutter(net_, door_);
  const ChaincodeDefinitionSpec spec = BenchSpec();

  absl::StatusOr<SubmitResult> approved1 = ApproveForMyOrg(admin1_, kChannelId, spec);
  ASSERT_TRUE(approved1.ok()) << approved1.status();
  EXPECT_EQ(approved1->code, ::protos::VALID);
  absl::StatusOr<::lifecycle::QueryApprovedChaincodeDefinitionResult> mine =
      QueryApproved(admin1_, kChannelId, "bench");
  ASSERT_TRUE(mine.ok()) << mine.status();
  EXPECT_EQ(mine->sequence(), 1);
  EXPECT_EQ(mine->version(), "1.0");
  EXPECT_EQ(mine->source().local_package().package_id(), "builtin:bench");
  EXPECT_EQ(DescribeValidationParameter(mine->validation_parameter()), "AND('Hospital1MSP.peer', 'Hospital2MSP.peer')");

  // One approval is not enough for the channel's LifecycleEndorsement (a majority of two organisations).
  absl::StatusOr<SubmitResult> early = Commit(admin1_, kChannelId, spec);
  EXPECT_FALSE(early.ok());
  EXPECT_THAT(std::string(early.status().message()), HasSubstr("is not approved by enough organisations"));

  // Hospital2 first approves another version: the readiness check says where it differs.
  ChaincodeDefinitionSpec other = spec;
  other.version = "1.1";
  ASSERT_TRUE(ApproveForMyOrg(admin2_, kChannelId, other).ok());
  absl::StatusOr<::lifecycle::CheckCommitReadinessResult> readiness = CheckCommitReadiness(admin1_, kChannelId, spec);
  ASSERT_TRUE(readiness.ok()) << readiness.status();
  EXPECT_THAT(Approvals(readiness->approvals()),
              UnorderedElementsAre(Pair("Hospital1MSP", true), Pair("Hospital2MSP", false)));
  ASSERT_EQ(readiness->mismatches().count("Hospital2MSP"), 1u);
  EXPECT_THAT(readiness->mismatches().at("Hospital2MSP").items(), ElementsAre("Version"));

  ASSERT_TRUE(ApproveForMyOrg(admin2_, kChannelId, spec).ok());
  ASSERT_TRUE(cutter.WaitUntilCut());  // Commit is endorsed by peer2 too
  readiness = CheckCommitReadiness(admin2_, kChannelId, spec);
  ASSERT_TRUE(readiness.ok()) << readiness.status();
  EXPECT_THAT(Approvals(readiness->approvals()),
              UnorderedElementsAre(Pair("Hospital1MSP", true), Pair("Hospital2MSP", true)));

  absl::StatusOr<SubmitResult> committed = Commit(admin1_, kChannelId, spec);
  ASSERT_TRUE(committed.ok()) << committed.status();
  EXPECT_EQ(committed->block_number, net_.peer1_channel().ledger().Height() - 1);

  absl::StatusOr<::lifecycle::QueryChaincodeDefinitionResult> definition =
      QueryCommitted(client1_, kChannelId, "bench");
  ASSERT_TRUE(definition.ok()) << definition.status();
  EXPECT_EQ(definition->sequence(), 1);
  EXPECT_EQ(definition->version(), "1.0");
  EXPECT_FALSE(definition->init_required());
  EXPECT_EQ(DescribeValidationParameter(definition->validation_parameter()),
            "AND('Hospital1MSP.peer', 'Hospital2MSP.peer')");
  EXPECT_THAT(Approvals(definition->approvals()),
              UnorderedElementsAre(Pair("Hospital1MSP", true), Pair("Hospital2MSP", true)));
  absl::StatusOr<::lifecycle::QueryChaincodeDefinitionsResult> all = QueryAllCommitted(client1_, kChannelId);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->chaincode_definitions_size(), 1);
  EXPECT_EQ(all->chaincode_definitions(0).name(), "bench");

  // The chaincode now runs the built-in package, endorsed by both hospitals as the policy demands.
  ASSERT_TRUE(cutter.WaitUntilCut());
  absl::StatusOr<SubmitResult> put = client1_.Submit(kChannelId, "bench", {"put", "k", "v"});
  ASSERT_TRUE(put.ok()) << put.status();
  EXPECT_EQ(put->code, ::protos::VALID);
}

TEST_F(ChaincodeLifecycleTest, RefusalsCarryTheLifecyclesReason) {
  BlockCutter cutter(net_, door_);
  absl::StatusOr<SubmitResult> not_admin = ApproveForMyOrg(client1_, kChannelId, BenchSpec());
  EXPECT_FALSE(not_admin.ok());
  EXPECT_THAT(std::string(not_admin.status().message()), HasSubstr("only an admin of Hospital1MSP may approve"));

  ChaincodeDefinitionSpec skipping = BenchSpec();
  skipping.sequence = 2;
  absl::StatusOr<SubmitResult> wrong_sequence = ApproveForMyOrg(admin1_, kChannelId, skipping);
  EXPECT_THAT(std::string(wrong_sequence.status().message()), HasSubstr("must be sequence 1"));

  absl::StatusOr<::lifecycle::QueryChaincodeDefinitionResult> undefined = QueryCommitted(admin1_, kChannelId, "bench");
  EXPECT_EQ(undefined.status().code(), absl::StatusCode::kUnknown);
  EXPECT_THAT(std::string(undefined.status().message()), HasSubstr("chaincode 'bench' is not defined on this channel"));
  absl::StatusOr<::lifecycle::QueryApprovedChaincodeDefinitionResult> unapproved =
      QueryApproved(admin2_, kChannelId, "bench");
  EXPECT_THAT(std::string(unapproved.status().message()), HasSubstr("Hospital2MSP has not approved chaincode 'bench'"));
  EXPECT_EQ(door_.submitted().value(), 0);
}

TEST(ChaincodeDefinitionSpecTest, TheEndorsementPolicyIsCompiledOrReferenced) {
  ChaincodeDefinitionSpec spec = BenchSpec();
  absl::StatusOr<std::string> parameter = ValidationParameterOf(spec);
  ASSERT_TRUE(parameter.ok()) << parameter.status();
  ::protos::ApplicationPolicy policy;
  ASSERT_TRUE(policy.ParseFromString(*parameter));
  EXPECT_EQ(policy.signature_policy().identities_size(), 2);
  EXPECT_EQ(policy.signature_policy().rule().n_out_of().n(), 2);

  spec.signature_policy.clear();
  spec.channel_config_policy = "/Channel/Application/Endorsement";
  EXPECT_EQ(DescribeValidationParameter(*ValidationParameterOf(spec)), "/Channel/Application/Endorsement");
  spec.channel_config_policy.clear();
  EXPECT_EQ(*ValidationParameterOf(spec), "");
  EXPECT_EQ(DescribeValidationParameter("\xff"), "[malformed endorsement policy]");
}

TEST(ChaincodeDefinitionSpecTest, ASpecThatCannotBeSentIsRefusedBeforeAnyCall) {
  ChaincodeDefinitionSpec both = BenchSpec();
  both.channel_config_policy = "/Channel/Application/Endorsement";
  EXPECT_THAT(std::string(ValidationParameterOf(both).status().message()), HasSubstr("not both"));
  ChaincodeDefinitionSpec bad_policy = BenchSpec();
  bad_policy.signature_policy = "AND('Hospital1MSP.peer',";
  absl::Status status = ValidationParameterOf(bad_policy).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("signature policy: "));

  // No gateway is listening here: these fail before any call is made.
  const auto signer = std::make_shared<const msp::SigningIdentity>(
      channelconfig::testing::Network().hospital1().Issue("admin.hospital1.example.org", msp::NodeRole::kAdmin));
  GatewayEndpoint nowhere;
  nowhere.address = "127.0.0.1:1";
  absl::StatusOr<GatewayClient> client = GatewayClient::Connect(nowhere, signer);
  ASSERT_TRUE(client.ok());
  ChaincodeDefinitionSpec no_sequence = BenchSpec();
  no_sequence.sequence = 0;
  EXPECT_EQ(ApproveForMyOrg(*client, kChannelId, no_sequence).status(),
            absl::InvalidArgumentError("chaincode definition 'bench': sequence must be at least 1, not 0"));
  ChaincodeDefinitionSpec no_version = BenchSpec();
  no_version.version.clear();
  EXPECT_EQ(Commit(*client, kChannelId, no_version).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckCommitReadiness(*client, kChannelId, bad_policy).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(QueryCommitted(*client, kChannelId, "").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace careledger::client
