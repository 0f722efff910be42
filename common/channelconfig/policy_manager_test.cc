#include "common/channelconfig/policy_manager.h"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/channelconfig/channel_config.h"
#include "common/channelconfig/genesis.h"
#include "common/channelconfig/test_network.h"
#include "common/policies/policy.h"
#include "common/policies/test_identities.h"
#include "common/strings.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "msp/identity.h"
#include "msp/msp_manager.h"
#include "msp/signing_identity.h"

namespace careledger::channelconfig {
namespace {

using ::careledger::channelconfig::testing::Evaluate;
using ::careledger::channelconfig::testing::MspManagerFor;
using ::careledger::channelconfig::testing::Network;
using ::careledger::channelconfig::testing::TestNetwork;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using NodeRole = ::careledger::msp::NodeRole;

// A channel of Hospital1, Hospital2 and the orderer organisation, its MSP manager and one identity of each
// role per organisation.
class PolicyManagerTest : public ::testing::Test {
 protected:
  void SetUp() override { Load(Network().Spec()); }

  void Load(const ChannelSpec& spec) {
    absl::StatusOr<::common::Block> block = CreateGenesisBlock(spec);
    ASSERT_TRUE(block.ok()) << block.status();
    absl::StatusOr<ChannelConfig> config = ChannelConfig::FromConfigBlock(*block);
    ASSERT_TRUE(config.ok()) << config.status();
    config_ = std::make_unique<ChannelConfig>(*std::move(config));
    manager_ = MspManagerFor(*config_);
    ASSERT_NE(manager_, nullptr);
  }

  const policies::Policy& PolicyAt(std::string_view path) {
    const policies::Policy* policy = config_->policy_manager().Get(path);
    EXPECT_NE(policy, nullptr) << path;
    static const class RejectAll final : public policies::Policy {
      absl::Status Evaluate(std::span<const policies::Identity* const>) const override {
        return absl::PermissionDeniedError("no such policy");
      }
    } reject_all;
    return policy != nullptr ? *policy : reject_all;
  }

  absl::Status Check(std::string_view path, const std::vector<const msp::SigningIdentity*>& signers) {
    return Evaluate(PolicyAt(path), *manager_, signers);
  }

  static const msp::SigningIdentity& Id(const msp::testing::TestOrg& org, NodeRole role) {
    // Identities are issued once per (organisation, role) and kept for the whole test binary.
    static auto* cache = new std::map<std::pair<std::string, NodeRole>, std::unique_ptr<msp::SigningIdentity>>();
    auto& slot = (*cache)[{org.msp_id(), role}];
    if (slot == nullptr) {
      slot = std::make_unique<msp::SigningIdentity>(
          org.Issue(absl::StrCat(AsAbsl(msp::NodeRoleName(role)), "@", org.msp_id()), role));
    }
    return *slot;
  }

  const TestNetwork& net_ = Network();
  std::unique_ptr<ChannelConfig> config_;
  std::unique_ptr<msp::MspManager> manager_;
};

TEST_F(PolicyManagerTest, EveryPolicyHasItsFabricPath) {
  EXPECT_THAT(config_->policy_manager().Paths(),
              ElementsAre("/Channel/Admins", "/Channel/Application/Admins", "/Channel/Application/Endorsement",
                          "/Channel/Application/Hospital1/Admins", "/Channel/Application/Hospital1/Endorsement",
                          "/Channel/Application/Hospital1/Readers", "/Channel/Application/Hospital1/Writers",
                          "/Channel/Application/Hospital2/Admins", "/Channel/Application/Hospital2/Endorsement",
                          "/Channel/Application/Hospital2/Readers", "/Channel/Application/Hospital2/Writers",
                          "/Channel/Application/LifecycleEndorsement", "/Channel/Application/Readers",
                          "/Channel/Application/Writers", "/Channel/Orderer/Admins", "/Channel/Orderer/BlockValidation",
                          "/Channel/Orderer/Orderer/Admins", "/Channel/Orderer/Orderer/Readers",
                          "/Channel/Orderer/Orderer/Writers", "/Channel/Orderer/Readers", "/Channel/Orderer/Writers",
                          "/Channel/Readers", "/Channel/Writers"));
}

TEST_F(PolicyManagerTest, AbsentPathsAreNullOrNotFound) {
  const PolicyManager& policies = config_->policy_manager();
  EXPECT_EQ(policies.Get("/Channel/Application/Hospital3/Admins"), nullptr);
  EXPECT_EQ(policies.Get("Admins"), nullptr);  // relative names are not resolved by Get
  EXPECT_EQ(policies.Get("/Channel/Application"), nullptr);
  EXPECT_EQ(policies.Get(""), nullptr);
  EXPECT_EQ(policies.Get("/Channel/Writers/"), nullptr);

  absl::StatusOr<const policies::Policy*> missing = policies.GetOrError("/Channel/Application/Nope");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("no policy at \"/Channel/Application/Nope\""));
  absl::StatusOr<const policies::Policy*> found = policies.GetOrError("/Channel/Writers");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, policies.Get("/Channel/Writers"));

  EXPECT_EQ(PolicyManager().Get("/Channel/Readers"), nullptr);  // an empty manager
}

TEST_F(PolicyManagerTest, ClientOfOneHospitalIsAWriter) {
  const msp::SigningIdentity& client = Id(net_.hospital1(), NodeRole::kClient);
  EXPECT_TRUE(Check("/Channel/Application/Writers", {&client}).ok());
  EXPECT_TRUE(Check("/Channel/Application/Readers", {&client}).ok());
  EXPECT_TRUE(Check("/Channel/Writers", {&client}).ok());
  EXPECT_TRUE(Check("/Channel/Readers", {&client}).ok());
  EXPECT_TRUE(Check("/Channel/Application/Hospital1/Writers", {&client}).ok());
  EXPECT_FALSE(Check("/Channel/Application/Hospital2/Writers", {&client}).ok());
  // Clients do not endorse and are not orderers.
  EXPECT_FALSE(Check("/Channel/Application/Hospital1/Endorsement", {&client}).ok());
  EXPECT_FALSE(Check("/Channel/Orderer/Writers", {&client}).ok());
  EXPECT_FALSE(Check("/Channel/Orderer/BlockValidation", {&client}).ok());
}

TEST_F(PolicyManagerTest, PeerIsAReaderButNotAWriter) {
  const msp::SigningIdentity& peer = Id(net_.hospital1(), NodeRole::kPeer);
  EXPECT_TRUE(Check("/Channel/Application/Readers", {&peer}).ok());
  EXPECT_TRUE(Check("/Channel/Application/Hospital1/Readers", {&peer}).ok());
  absl::Status writers = Check("/Channel/Application/Writers", {&peer});
  EXPECT_EQ(writers.code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(PolicyManagerTest, EndorsementNeedsAMajorityOfHospitals) {
  const msp::SigningIdentity& peer1 = Id(net_.hospital1(), NodeRole::kPeer);
  const msp::SigningIdentity& peer2 = Id(net_.hospital2(), NodeRole::kPeer);
  const msp::SigningIdentity& client2 = Id(net_.hospital2(), NodeRole::kClient);
  for (const char* path : {"/Channel/Application/Endorsement", "/Channel/Application/LifecycleEndorsement"}) {
    SCOPED_TRACE(path);
    absl::Status alone = Check(path, {&peer1});
    EXPECT_EQ(alone.code(), absl::StatusCode::kPermissionDenied);
    EXPECT_THAT(alone.message(), HasSubstr("Endorsement"));
    EXPECT_TRUE(Check(path, {&peer1, &peer2}).ok());
    EXPECT_TRUE(Check(path, {&peer2, &peer1}).ok());
    EXPECT_FALSE(Check(path, {&peer1, &client2}).ok());  // a client of Hospital2 does not endorse
    EXPECT_FALSE(Check(path, {&peer1, &peer1}).ok());    // one signer counts once
  }
}

TEST_F(PolicyManagerTest, OrderersValidateBlocks) {
  const msp::SigningIdentity& orderer = Id(net_.orderer_org(), NodeRole::kOrderer);
  EXPECT_TRUE(Check("/Channel/Orderer/BlockValidation", {&orderer}).ok());
  EXPECT_TRUE(Check("/Channel/Orderer/Writers", {&orderer}).ok());
  EXPECT_TRUE(Check("/Channel/Orderer/Readers", {&orderer}).ok());
  EXPECT_FALSE(Check("/Channel/Application/Readers", {&orderer}).ok());
  EXPECT_FALSE(Check("/Channel/Orderer/BlockValidation", {&Id(net_.hospital1(), NodeRole::kPeer)}).ok());
  EXPECT_FALSE(Check("/Channel/Orderer/Admins", {&orderer}).ok());
}

TEST_F(PolicyManagerTest, AdminsIsAMajorityOfOrganisationAdmins) {
  const msp::SigningIdentity& admin1 = Id(net_.hospital1(), NodeRole::kAdmin);
  const msp::SigningIdentity& admin2 = Id(net_.hospital2(), NodeRole::kAdmin);
  const msp::SigningIdentity& orderer_admin = Id(net_.orderer_org(), NodeRole::kAdmin);

  EXPECT_TRUE(Check("/Channel/Application/Hospital1/Admins", {&admin1}).ok());
  EXPECT_FALSE(Check("/Channel/Application/Hospital1/Admins", {&admin2}).ok());
  EXPECT_FALSE(Check("/Channel/Application/Hospital1/Admins", {&Id(net_.hospital1(), NodeRole::kClient)}).ok());

  EXPECT_FALSE(Check("/Channel/Application/Admins", {&admin1}).ok());  // 1 of 2 is no majority
  EXPECT_TRUE(Check("/Channel/Application/Admins", {&admin1, &admin2}).ok());
  EXPECT_TRUE(Check("/Channel/Orderer/Admins", {&orderer_admin}).ok());

  // /Channel/Admins = MAJORITY of {Application/Admins, Orderer/Admins}: both groups must agree.
  EXPECT_FALSE(Check("/Channel/Admins", {&admin1, &admin2}).ok());
  EXPECT_FALSE(Check("/Channel/Admins", {&admin1, &orderer_admin}).ok());
  EXPECT_TRUE(Check("/Channel/Admins", {&admin1, &admin2, &orderer_admin}).ok());
}

TEST_F(PolicyManagerTest, MajorityOfThreeHospitalsIsTwo) {
  ChannelSpec spec = Network().Spec();
  spec.application_orgs.push_back(TestNetwork::AppOrg("Hospital3", net_.hospital3()));
  Load(spec);
  const msp::SigningIdentity& admin1 = Id(net_.hospital1(), NodeRole::kAdmin);
  const msp::SigningIdentity& admin3 = Id(net_.hospital3(), NodeRole::kAdmin);
  const msp::SigningIdentity& peer2 = Id(net_.hospital2(), NodeRole::kPeer);
  const msp::SigningIdentity& peer3 = Id(net_.hospital3(), NodeRole::kPeer);
  EXPECT_FALSE(Check("/Channel/Application/Admins", {&admin1}).ok());
  EXPECT_TRUE(Check("/Channel/Application/Admins", {&admin1, &admin3}).ok());
  EXPECT_TRUE(Check("/Channel/Application/Endorsement", {&peer2, &peer3}).ok());
  EXPECT_FALSE(Check("/Channel/Application/Endorsement", {&peer3}).ok());
}

TEST_F(PolicyManagerTest, OverriddenPoliciesApply) {
  ChannelSpec spec = Network().Spec();
  spec.policies.application["Endorsement"] = PolicySpec::ImplicitMeta("ANY Endorsement");
  spec.application_orgs[1].policies["Endorsement"] = PolicySpec::Signature("OR('Hospital2MSP.member')");
  Load(spec);
  const msp::SigningIdentity& peer1 = Id(net_.hospital1(), NodeRole::kPeer);
  const msp::SigningIdentity& client2 = Id(net_.hospital2(), NodeRole::kClient);
  EXPECT_TRUE(Check("/Channel/Application/Endorsement", {&peer1}).ok());
  EXPECT_TRUE(Check("/Channel/Application/Endorsement", {&client2}).ok());
  // LifecycleEndorsement keeps its default (MAJORITY), now satisfied by peer1 and any Hospital2 member.
  EXPECT_FALSE(Check("/Channel/Application/LifecycleEndorsement", {&peer1}).ok());
  EXPECT_TRUE(Check("/Channel/Application/LifecycleEndorsement", {&peer1, &client2}).ok());
}

// The whole path a validator takes: signed data, real signatures, the channel's MSP manager.
TEST_F(PolicyManagerTest, SignedDataFromBothHospitalsSatisfiesEndorsement) {
  const msp::SigningIdentity& peer1 = Id(net_.hospital1(), NodeRole::kPeer);
  const msp::SigningIdentity& peer2 = Id(net_.hospital2(), NodeRole::kPeer);
  const std::string message = "proposal response payload";
  const std::string identity1 = peer1.SerializedIdentity();
  const std::string identity2 = peer2.SerializedIdentity();
  absl::StatusOr<std::string> signature1 = peer1.Sign(message);
  absl::StatusOr<std::string> signature2 = peer2.Sign(message);
  ASSERT_TRUE(signature1.ok() && signature2.ok());
  const policies::Policy& endorsement = PolicyAt("/Channel/Application/Endorsement");

  const policies::SignedData both[] = {{message, identity1, *signature1}, {message, identity2, *signature2}};
  EXPECT_TRUE(policies::EvaluateSignedData(endorsement, both, *manager_).ok());

  // A signature over other data does not count, so one hospital is left: no majority.
  const std::string other = "something else";
  const policies::SignedData forged[] = {{message, identity1, *signature1}, {other, identity2, *signature2}};
  EXPECT_EQ(policies::EvaluateSignedData(endorsement, forged, *manager_).code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(PolicyManagerTest, PoliciesAreSafeToEvaluateFromManyThreads) {
  const msp::SigningIdentity& peer1 = Id(net_.hospital1(), NodeRole::kPeer);
  const msp::SigningIdentity& peer2 = Id(net_.hospital2(), NodeRole::kPeer);
  const policies::Policy& endorsement = PolicyAt("/Channel/Application/Endorsement");
  std::vector<std::shared_ptr<const policies::Identity>> identities = {
      *manager_->DeserializeIdentity(peer1.SerializedIdentity()),
      *manager_->DeserializeIdentity(peer2.SerializedIdentity())};
  const std::vector<const policies::Identity*> both = {identities[0].get(), identities[1].get()};
  const std::vector<const policies::Identity*> one = {identities[0].get()};
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (!endorsement.Evaluate(both).ok()) ++wrong;
        if (endorsement.Evaluate(one).ok()) ++wrong;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

// Hand-built groups: the compiler's own rules, independent of ChannelConfig's.
class PolicyManagerCreateTest : public ::testing::Test {
 protected:
  static ::common::ConfigPolicy Policy(const PolicySpec& spec) {
    ::common::ConfigPolicy policy;
    absl::StatusOr<::common::Policy> encoded = EncodePolicy(spec);
    EXPECT_TRUE(encoded.ok()) << encoded.status();
    if (encoded.ok()) *policy.mutable_policy() = *encoded;
    return policy;
  }
};

TEST_F(PolicyManagerCreateTest, ASubGroupWithoutTheSubPolicyCountsAsUnsatisfied) {
  ::common::ConfigGroup root;
  ::common::ConfigGroup& app = (*root.mutable_groups())["Application"];
  (*app.mutable_policies())["Endorsement"] = Policy(PolicySpec::ImplicitMeta("MAJORITY Endorsement"));
  (*app.mutable_policies())["AnyEndorsement"] = Policy(PolicySpec::ImplicitMeta("ANY Endorsement"));
  (*(*app.mutable_groups())["A"].mutable_policies())["Endorsement"] = Policy(PolicySpec::Signature("OR('A.peer')"));
  (*app.mutable_groups())["B"];  // no Endorsement policy
  absl::StatusOr<PolicyManager> manager = PolicyManager::Create(root);
  ASSERT_TRUE(manager.ok()) << manager.status();

  policies::testing::TestIdentity a_peer("A", "peer0", {::common::MSPRole::PEER});
  const std::vector<const policies::Identity*> signers = {&a_peer};
  // MAJORITY of 2 is 2, and B can never be satisfied.
  absl::Status majority = manager->Get("/Channel/Application/Endorsement")->Evaluate(signers);
  EXPECT_EQ(majority.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(manager->Get("/Channel/Application/AnyEndorsement")->Evaluate(signers).ok());
}

TEST_F(PolicyManagerCreateTest, AnImplicitMetaPolicyWithoutSubGroupsIsAlwaysSatisfied) {
  // Fabric's rule, and the reason ChannelConfig requires organisations.
  ::common::ConfigGroup root;
  (*root.mutable_policies())["Readers"] = Policy(PolicySpec::ImplicitMeta("ANY Readers"));
  absl::StatusOr<PolicyManager> manager = PolicyManager::Create(root);
  ASSERT_TRUE(manager.ok()) << manager.status();
  EXPECT_TRUE(manager->Get("/Channel/Readers")->Evaluate({}).ok());
}

TEST_F(PolicyManagerCreateTest, RefusesMalformedPoliciesNamingThePath) {
  struct Case {
    std::string name;
    std::function<void(::common::ConfigGroup&)> mutate;
    std::string want;
  };
  const Case cases[] = {
      {"no policy", [](auto& g) { (*g.mutable_policies())["Readers"]; }, "/Channel/Readers: policy is missing"},
      {"MSP type",
       [](auto& g) { (*g.mutable_policies())["Readers"].mutable_policy()->set_type(::common::Policy::MSP); },
       "/Channel/Readers: unsupported policy type 2"},
      {"unknown type", [](auto& g) { (*g.mutable_policies())["Readers"].mutable_policy()->set_type(99); },
       "/Channel/Readers: unsupported policy type 99"},
      {"garbage signature policy",
       [](auto& g) {
         ::common::Policy& p = *(*g.mutable_policies())["Readers"].mutable_policy();
         p.set_type(::common::Policy::SIGNATURE);
         p.set_value("\xff\xff\xff");
       },
       "/Channel/Readers: malformed signature policy"},
      {"garbage implicit meta",
       [](auto& g) {
         ::common::Policy& p = *(*g.mutable_policies())["Readers"].mutable_policy();
         p.set_type(::common::Policy::IMPLICIT_META);
         p.set_value(
             "\x0a\x05"
             "ab");
       },
       "/Channel/Readers: malformed implicit meta policy"},
      {"unknown implicit meta rule",
       [](auto& g) {
         ::common::ImplicitMetaPolicy meta;
         meta.set_sub_policy("Readers");
         meta.set_rule(static_cast<::common::ImplicitMetaPolicy::Rule>(7));
         ::common::Policy& p = *(*g.mutable_policies())["Readers"].mutable_policy();
         p.set_type(::common::Policy::IMPLICIT_META);
         p.set_value(meta.SerializeAsString());
       },
       "/Channel/Readers:"},
      {"empty signature envelope",
       [](auto& g) {
         ::common::Policy& p = *(*g.mutable_policies())["Readers"].mutable_policy();
         p.set_type(::common::Policy::SIGNATURE);
       },
       "/Channel/Readers:"},
      {"slash in a policy name",
       [](auto& g) { (*g.mutable_policies())["a/b"] = Policy(PolicySpec::Signature("'A.peer'")); },
       "/Channel: policy: name \"a/b\" may only contain"},
      {"slash in a group name", [](auto& g) { (*g.mutable_groups())["Application/Hospital1"]; },
       "/Channel: group: name"},
      {"nested org policy",
       [](auto& g) { (*(*(*g.mutable_groups())["Application"].mutable_groups())["H1"].mutable_policies())["Admins"]; },
       "/Channel/Application/H1/Admins: policy is missing"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ::common::ConfigGroup root;
    c.mutate(root);
    absl::StatusOr<PolicyManager> manager = PolicyManager::Create(root);
    ASSERT_FALSE(manager.ok());
    EXPECT_EQ(manager.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(manager.status().message(), HasSubstr(c.want));
  }
}

TEST_F(PolicyManagerCreateTest, RefusesGroupsNestedTooDeep) {
  ::common::ConfigGroup root;
  ::common::ConfigGroup* group = &root;
  for (int i = 0; i <= kMaxGroupDepth; ++i) group = &(*group->mutable_groups())["G"];
  absl::StatusOr<PolicyManager> manager = PolicyManager::Create(root);
  ASSERT_FALSE(manager.ok());
  EXPECT_THAT(manager.status().message(), HasSubstr("nested deeper than"));

  ::common::ConfigGroup shallow;
  group = &shallow;
  for (int i = 0; i < kMaxGroupDepth; ++i) group = &(*group->mutable_groups())["G"];
  EXPECT_TRUE(PolicyManager::Create(shallow).ok());
}

TEST(ResolvePolicyPathTest, RelativeReferencesAreRelativeToTheGroup) {
  EXPECT_EQ(ResolvePolicyPath("/Channel/Orderer", "Admins"), "/Channel/Orderer/Admins");
  EXPECT_EQ(ResolvePolicyPath("/Channel/Application/Hospital1", "Admins"), "/Channel/Application/Hospital1/Admins");
  EXPECT_EQ(ResolvePolicyPath("/Channel/Application", "/Channel/Orderer/Admins"), "/Channel/Orderer/Admins");
  EXPECT_EQ(ResolvePolicyPath("/Channel", "Application/Writers"), "/Channel/Application/Writers");
}

}  // namespace
}  // namespace careledger::channelconfig
