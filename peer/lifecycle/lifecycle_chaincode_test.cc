#include "peer/lifecycle/lifecycle_chaincode.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/channelconfig/channel_config.h"
#include "common/channelconfig/genesis.h"
#include "common/channelconfig/test_network.h"
#include "common/policies/policy_parser.h"
#include "common/policies/signature_policy.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "peer/ledger/state/state_snapshot.h"
#include "peer/lifecycle/chaincode_definition.h"
#include "peer/lifecycle/committed_definitions.h"
#include "peer/lifecycle/lifecycle.pb.h"

namespace careledger::lifecycle {
namespace {

using ::careledger::channelconfig::testing::TestNetwork;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

// The `_lifecycle` namespace as a map. Writes apply at once: no function reads a key after writing it, so
// this equals the simulator's "no read-your-writes" for everything tested here. It is also the committed
// state that ReadCommittedDefinition reads, through the StateSnapshot interface.
class MapLedger : public chaincode::LedgerAccess, public ledger::StateSnapshot {
 public:
  absl::StatusOr<std::optional<std::string>> GetState(std::string_view key) override {
    auto it = state_.find(std::string(key));
    if (it == state_.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  absl::Status PutState(std::string_view key, std::string_view value) override {
    state_[std::string(key)] = std::string(value);
    return absl::OkStatus();
  }
  absl::Status DelState(std::string_view key) override {
    state_.erase(std::string(key));
    return absl::OkStatus();
  }
  absl::StatusOr<std::unique_ptr<chaincode::ResultIterator<chaincode::KeyValue>>> GetStateByRange(
      std::string_view start_key, std::string_view end_key) override {
    class Iterator : public chaincode::ResultIterator<chaincode::KeyValue> {
     public:
      explicit Iterator(std::vector<chaincode::KeyValue> entries) : entries_(std::move(entries)) {}
      absl::StatusOr<std::optional<chaincode::KeyValue>> Next() override {
        if (next_ == entries_.size()) return std::optional<chaincode::KeyValue>();
        return std::optional<chaincode::KeyValue>(entries_[next_++]);
      }

     private:
      std::vector<chaincode::KeyValue> entries_;
      size_t next_ = 0;
    };
    std::vector<chaincode::KeyValue> entries;
    for (auto it = state_.lower_bound(std::string(start_key));
         it != state_.end() && (end_key.empty() || it->first < end_key); ++it) {
      entries.push_back({it->first, it->second});
    }
    return std::unique_ptr<chaincode::ResultIterator<chaincode::KeyValue>>(std::make_unique<Iterator>(entries));
  }
  absl::StatusOr<std::unique_ptr<chaincode::ResultIterator<chaincode::KeyModification>>> GetHistoryForKey(
      std::string_view) override {
    return absl::UnimplementedError("not used by _lifecycle");
  }

  uint64_t height() const override { return 1; }
  absl::StatusOr<std::optional<ledger::VersionedValue>> Get(std::string_view ns, std::string_view key) const override {
    auto it = state_.find(std::string(key));
    if (ns != kLifecycleNamespace || it == state_.end()) return std::optional<ledger::VersionedValue>();
    return std::optional<ledger::VersionedValue>(ledger::VersionedValue{it->second, {}});
  }
  absl::StatusOr<std::unique_ptr<ledger::StateIterator>> Scan(std::string_view, std::string_view,
                                                              std::string_view) const override {
    return absl::UnimplementedError("not used here");
  }

  size_t size() const { return state_.size(); }

 private:
  std::map<std::string, std::string> state_;
};

class LifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    channelconfig::ChannelSpec spec = network_.Spec();
    spec.application_orgs.push_back(TestNetwork::AppOrg("Hospital3", network_.hospital3()));
    auto config = channelconfig::BuildChannelConfig(spec);
    ASSERT_TRUE(config.ok()) << config.status();
    auto parsed = channelconfig::ChannelConfig::FromConfig(*config, spec.channel_id);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    config_.emplace(std::move(*parsed));
    for (const auto& org : config_->application_orgs()) channel_.application_msp_ids.push_back(org.msp_id);
    auto lifecycle_policy = LifecycleEndorsementPolicy(config_->policy_manager());
    ASSERT_TRUE(lifecycle_policy.ok()) << lifecycle_policy.status();
    channel_.lifecycle_endorsement = *lifecycle_policy;
  }

  static LifecycleCaller Admin(const std::string& msp_id) { return {msp_id, true}; }

  static ::lifecycle::ApproveChaincodeDefinitionForMyOrgArgs ApproveArgs(int64_t sequence = 1,
                                                                        std::string version = "1.0",
                                                                        std::string package = "builtin:asset") {
    ::lifecycle::ApproveChaincodeDefinitionForMyOrgArgs args;
    args.set_name("asset");
    args.set_sequence(sequence);
    args.set_version(version);
    if (!package.empty()) args.mutable_source()->mutable_local_package()->set_package_id(package);
    return args;
  }

  static ::lifecycle::CommitChaincodeDefinitionArgs CommitArgs(int64_t sequence = 1, std::string version = "1.0") {
    ::lifecycle::CommitChaincodeDefinitionArgs args;
    args.set_name("asset");
    args.set_sequence(sequence);
    args.set_version(version);
    return args;
  }

  ::protos::Response Call(const std::string& function, const google::protobuf::Message& args,
                          const LifecycleCaller& caller) {
    std::vector<std::string> call = {function, args.SerializeAsString()};
    return InvokeLifecycle(call, caller, channel_, ledger_);
  }

  ::protos::Response Approve(const std::string& msp_id,
                             const ::lifecycle::ApproveChaincodeDefinitionForMyOrgArgs& args) {
    return Call("ApproveChaincodeDefinitionForMyOrg", args, Admin(msp_id));
  }
  ::protos::Response Commit(const ::lifecycle::CommitChaincodeDefinitionArgs& args,
                            const std::string& msp_id = "Hospital1MSP") {
    return Call("CommitChaincodeDefinition", args, Admin(msp_id));
  }

  TestNetwork network_;
  std::optional<channelconfig::ChannelConfig> config_;
  LifecycleChannel channel_;
  MapLedger ledger_;
};

TEST_F(LifecycleTest, CommitSucceedsOnceAMajorityOfOrganisationsApproved) {
  ASSERT_EQ(Approve("Hospital1MSP", ApproveArgs()).status(), 200);
  ::protos::Response early = Commit(CommitArgs());
  EXPECT_EQ(early.status(), 500);
  EXPECT_THAT(early.message(), HasSubstr("not approved by enough organisations"));
  EXPECT_THAT(early.message(), HasSubstr("no approval from [Hospital2MSP, Hospital3MSP]"));

  ASSERT_EQ(Approve("Hospital2MSP", ApproveArgs()).status(), 200);
  ::protos::Response commit = Commit(CommitArgs());
  ASSERT_EQ(commit.status(), 200) << commit.message();

  auto committed = ReadCommittedDefinition(ledger_, "asset");
  ASSERT_TRUE(committed.ok()) << committed.status();
  ASSERT_TRUE(committed->has_value());
  EXPECT_EQ((*committed)->sequence, 1);
  EXPECT_EQ((*committed)->version, "1.0");
  EXPECT_EQ((*committed)->package_id, "builtin:asset");
  EXPECT_EQ((*committed)->endorsement_policy.channel_config_policy_reference(), kDefaultEndorsementPolicyReference);
}

TEST_F(LifecycleTest, AnApprovalOfADifferentDefinitionDoesNotCount) {
  ASSERT_EQ(Approve("Hospital1MSP", ApproveArgs()).status(), 200);
  ASSERT_EQ(Approve("Hospital2MSP", ApproveArgs(1, "2.0")).status(), 200);
  ::protos::Response commit = Commit(CommitArgs());
  EXPECT_EQ(commit.status(), 500);
  EXPECT_THAT(commit.message(), HasSubstr("Hospital2MSP approved a different definition (Version)"));

  ::lifecycle::CheckCommitReadinessArgs check;
  check.set_name("asset");
  check.set_sequence(1);
  check.set_version("1.0");
  ::protos::Response readiness = Call("CheckCommitReadiness", check, {"Hospital3MSP", false});
  ASSERT_EQ(readiness.status(), 200) << readiness.message();
  ::lifecycle::CheckCommitReadinessResult result;
  ASSERT_TRUE(result.ParseFromString(readiness.payload()));
  EXPECT_TRUE(result.approvals().at("Hospital1MSP"));
  EXPECT_FALSE(result.approvals().at("Hospital2MSP"));
  EXPECT_FALSE(result.approvals().at("Hospital3MSP"));
  EXPECT_THAT(result.mismatches().at("Hospital2MSP").items(), ElementsAre("Version"));
}

TEST_F(LifecycleTest, OnlyAnAdminOfAChannelOrganisationApprovesOrCommits) {
  ::protos::Response member = Call("ApproveChaincodeDefinitionForMyOrg", ApproveArgs(), {"Hospital1MSP", false});
  EXPECT_EQ(member.status(), 500);
  EXPECT_THAT(member.message(), HasSubstr("only an admin of Hospital1MSP"));
  ::protos::Response outsider = Approve("LabMSP", ApproveArgs());
  EXPECT_EQ(outsider.status(), 500);
  EXPECT_THAT(outsider.message(), HasSubstr("LabMSP is not one"));
  EXPECT_EQ(ledger_.size(), 0u);
}

TEST_F(LifecycleTest, SequencesAdvanceOneAtATime) {
  ::protos::Response skipped = Approve("Hospital1MSP", ApproveArgs(2));
  EXPECT_EQ(skipped.status(), 500);
  EXPECT_THAT(skipped.message(), HasSubstr("requested sequence is 2, but the next definition of chaincode 'asset' "
                                           "must be sequence 1"));
  ASSERT_EQ(Approve("Hospital1MSP", ApproveArgs()).status(), 200);
  ASSERT_EQ(Approve("Hospital2MSP", ApproveArgs()).status(), 200);
  ASSERT_EQ(Commit(CommitArgs()).status(), 200);

  // The committed sequence may be approved again unchanged (a late organisation), not changed.
  EXPECT_EQ(Approve("Hospital3MSP", ApproveArgs()).status(), 200);
  ::protos::Response changed = Approve("Hospital3MSP", ApproveArgs(1, "9.9"));
  EXPECT_EQ(changed.status(), 500);
  EXPECT_THAT(changed.message(), HasSubstr("committed with different parameters (Version)"));
  ::protos::Response recommit = Commit(CommitArgs());
  EXPECT_EQ(recommit.status(), 500);
  EXPECT_THAT(recommit.message(), HasSubstr("must be sequence 2"));

  ASSERT_EQ(Approve("Hospital2MSP", ApproveArgs(2, "2.0")).status(), 200);
  ASSERT_EQ(Approve("Hospital3MSP", ApproveArgs(2, "2.0")).status(), 200);
  ASSERT_EQ(Commit(CommitArgs(2, "2.0"), "Hospital3MSP").status(), 200);
  auto committed = ReadCommittedDefinition(ledger_, "asset");
  ASSERT_TRUE(committed.ok() && committed->has_value());
  EXPECT_EQ((*committed)->sequence, 2);
  EXPECT_EQ((*committed)->version, "2.0");
}

TEST_F(LifecycleTest, ApprovingOrganisationsMustAgreeOnThePackage) {
  const std::string package_a = "asset_1:" + std::string(64, 'a');
  const std::string package_b = "asset_1:" + std::string(64, 'b');
  ASSERT_EQ(Approve("Hospital1MSP", ApproveArgs(1, "1.0", package_a)).status(), 200);
  ASSERT_EQ(Approve("Hospital2MSP", ApproveArgs(1, "1.0", package_b)).status(), 200);
  ::protos::Response commit = Commit(CommitArgs());
  EXPECT_EQ(commit.status(), 500);
  EXPECT_THAT(commit.message(), HasSubstr("name different packages"));

  // An organisation that runs no package ("unavailable") does not constrain it.
  ASSERT_EQ(Approve("Hospital2MSP", ApproveArgs(1, "1.0", "")).status(), 200);
  ASSERT_EQ(Commit(CommitArgs()).status(), 200);
  auto committed = ReadCommittedDefinition(ledger_, "asset");
  ASSERT_TRUE(committed.ok() && committed->has_value());
  EXPECT_EQ((*committed)->package_id, package_a);
  EXPECT_EQ(PackageHash((*committed)->package_id), std::string(64, 'a'));
}

TEST_F(LifecycleTest, BadArgumentsAreRefusedWithTheReason) {
  EXPECT_THAT(Approve("Hospital1MSP", ApproveArgs(1, "1.0", "not-a-package")).message(),
              HasSubstr("is neither 'builtin:<name>' nor '<label>:<sha256 hex>'"));
  auto bad_name = ApproveArgs();
  bad_name.set_name("bad/name");
  EXPECT_THAT(Approve("Hospital1MSP", bad_name).message(), HasSubstr("invalid chaincode name 'bad/name'"));
  auto plugin = ApproveArgs();
  plugin.set_validation_plugin("custom");
  EXPECT_THAT(Approve("Hospital1MSP", plugin).message(), HasSubstr("validation plugin 'custom' is not supported"));
  auto collections = ApproveArgs();
  collections.mutable_collections()->add_config();
  EXPECT_THAT(Approve("Hospital1MSP", collections).message(), HasSubstr("private data collections are not supported"));
  std::vector<std::string> garbage = {"ApproveChaincodeDefinitionForMyOrg", "\xff\xff\xff"};
  EXPECT_THAT(InvokeLifecycle(garbage, Admin("Hospital1MSP"), channel_, ledger_).message(),
              HasSubstr("not a serialized lifecycle.ApproveChaincodeDefinitionForMyOrgArgs"));
  std::vector<std::string> unknown = {"Frobnicate"};
  EXPECT_EQ(InvokeLifecycle(unknown, Admin("Hospital1MSP"), channel_, ledger_).message(),
            "unknown function: Frobnicate");
  EXPECT_EQ(ledger_.size(), 0u);
}

TEST_F(LifecycleTest, QueriesReturnCommittedAndApprovedDefinitions) {
  auto args = ApproveArgs();
  auto policy = policies::ParseSignaturePolicy("AND('Hospital1MSP.peer','Hospital2MSP.peer')");
  ASSERT_TRUE(policy.ok());
  ::protos::ApplicationPolicy application_policy;
  *application_policy.mutable_signature_policy() = *policy;
  args.set_validation_parameter(application_policy.SerializeAsString());
  ASSERT_EQ(Approve("Hospital1MSP", args).status(), 200);
  ASSERT_EQ(Approve("Hospital2MSP", args).status(), 200);
  auto commit = CommitArgs();
  commit.set_validation_parameter(application_policy.SerializeAsString());
  ASSERT_EQ(Commit(commit).status(), 200);

  ::lifecycle::QueryChaincodeDefinitionArgs query;
  query.set_name("asset");
  ::protos::Response one = Call("QueryChaincodeDefinition", query, {"Hospital3MSP", false});
  ASSERT_EQ(one.status(), 200) << one.message();
  ::lifecycle::QueryChaincodeDefinitionResult definition;
  ASSERT_TRUE(definition.ParseFromString(one.payload()));
  EXPECT_EQ(definition.sequence(), 1);
  EXPECT_EQ(definition.validation_parameter(), application_policy.SerializeAsString());
  EXPECT_THAT(definition.approvals(),
              ::testing::UnorderedElementsAre(Pair("Hospital1MSP", true), Pair("Hospital2MSP", true),
                                              Pair("Hospital3MSP", false)));

  ::protos::Response all =
      Call("QueryChaincodeDefinitions", ::lifecycle::QueryChaincodeDefinitionsArgs(), {"x", false});
  ::lifecycle::QueryChaincodeDefinitionsResult list;
  ASSERT_TRUE(list.ParseFromString(all.payload()));
  ASSERT_EQ(list.chaincode_definitions_size(), 1);
  EXPECT_EQ(list.chaincode_definitions(0).name(), "asset");

  ::lifecycle::QueryApprovedChaincodeDefinitionArgs approved;
  approved.set_name("asset");
  ::protos::Response mine = Call("QueryApprovedChaincodeDefinition", approved, {"Hospital2MSP", false});
  ASSERT_EQ(mine.status(), 200) << mine.message();
  ::protos::Response none = Call("QueryApprovedChaincodeDefinition", approved, {"Hospital3MSP", false});
  EXPECT_THAT(none.message(), HasSubstr("Hospital3MSP has not approved chaincode 'asset'"));
  query.set_name("nothing");
  EXPECT_THAT(Call("QueryChaincodeDefinition", query, {"x", false}).message(),
              HasSubstr("chaincode 'nothing' is not defined on this channel"));

  // The committed policy compiles to AND(Hospital1.peer, Hospital2.peer).
  auto committed = ReadCommittedDefinition(ledger_, "asset");
  ASSERT_TRUE(committed.ok() && committed->has_value());
  auto compiled = CompileEndorsementPolicy(**committed, config_->policy_manager());
  ASSERT_TRUE(compiled.ok()) << compiled.status();
}

TEST(ChaincodeDefinitionTest, NamesVersionsAndPackageIdsFollowFabricsRules) {
  EXPECT_TRUE(ValidateChaincodeName("asset").ok());
  EXPECT_TRUE(ValidateChaincodeName("my-cc_2").ok());
  for (const char* bad : {"", "_lifecycle", "a--b", "a-", "-a", "a/b", "a b"}) {
    EXPECT_FALSE(ValidateChaincodeName(bad).ok()) << bad;
  }
  EXPECT_TRUE(ValidateChaincodeVersion("1.0.0+build-7").ok());
  EXPECT_FALSE(ValidateChaincodeVersion("").ok());
  EXPECT_FALSE(ValidateChaincodeVersion("1 0").ok());
  EXPECT_TRUE(ValidatePackageId("builtin:asset").ok());
  EXPECT_EQ(BuiltinChaincodeName("builtin:asset"), "asset");
  EXPECT_FALSE(ValidatePackageId("builtin:").ok());
  EXPECT_TRUE(ValidatePackageId("label:with:colons:" + std::string(64, 'f')).ok());
  EXPECT_FALSE(ValidatePackageId("label:" + std::string(64, 'F')).ok());
  EXPECT_FALSE(ValidatePackageId(":" + std::string(64, 'f')).ok());
  EXPECT_EQ(PackageHash("builtin:asset"), std::nullopt);
}

TEST(ChaincodeDefinitionTest, KeysOfDefinitionsStayInsideTheirRange) {
  EXPECT_EQ(DefinitionKey("asset"), "definition/asset");
  EXPECT_EQ(ApprovalKey("asset", 12, "Hospital1MSP"), "approval/asset/12/Hospital1MSP");
  EXPECT_GE(DefinitionKey("0"), std::string(kDefinitionRangeStart));
  EXPECT_LT(DefinitionKey("zzzz"), std::string(kDefinitionRangeEnd));
  EXPECT_LT(ApprovalKey("zzzz", 1, "m"), std::string(kDefinitionRangeStart));
}

}  // namespace
}  // namespace careledger::lifecycle
