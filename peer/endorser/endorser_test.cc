#include "peer/endorser/endorser.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/channelconfig/genesis.h"
#include "common/channelconfig/test_network.h"
#include "common/policies/policy_parser.h"
#include "common/protoutil/proposal.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/rwset/kvrwset/kv_rwset.pb.h"
#include "ledger/rwset/rwset.pb.h"
#include "msp/testing/test_org.h"
#include "peer/endorser/runtime_chaincode_executor.h"
#include "peer/endorser/testing/memory_channel.h"
#include "peer/ledger/state/testing/memory_state.h"
#include "peer/lifecycle/chaincode_definition.h"
#include "peer/lifecycle/lifecycle.pb.h"

namespace careledger::endorser {
namespace {

using ::careledger::channelconfig::testing::TestNetwork;
using ::testing::HasSubstr;

const absl::Time kNow = msp::testing::kTestEpoch + absl::Hours(1);

// The peer's real chaincode runtime (built-in `bench` chaincode), recording the context each invocation got.
class RecordingExecutor : public ChaincodeExecutor {
 public:
  RecordingExecutor() {
    auto runtime = RuntimeChaincodeExecutor::Create({});
    EXPECT_TRUE(runtime.ok()) << runtime.status();
    runtime_ = *std::move(runtime);
  }

  absl::StatusOr<ChaincodeResult> Execute(std::string_view package_id, std::string_view chaincode_name,
                                          const chaincode::InvocationContext& context,
                                          chaincode::LedgerAccess& ledger) override {
    last_context = context;
    return runtime_->Execute(package_id, chaincode_name, context, ledger);
  }

  chaincode::InvocationContext last_context;

 private:
  std::unique_ptr<RuntimeChaincodeExecutor> runtime_;
};


class EndorserTest : public ::testing::Test {
 protected:
  EndorserTest()
      : peer_(network_.hospital1().Issue("peer0.hospital1", msp::NodeRole::kPeer)),
        doctor_(network_.hospital1().Issue("doctor", msp::NodeRole::kClient, {{"role", "doctor"}})),
        admin1_(network_.hospital1().Issue("admin1", msp::NodeRole::kAdmin)),
        admin2_(network_.hospital2().Issue("admin2", msp::NodeRole::kAdmin)) {}

  void SetUp() override {
    auto config = channelconfig::BuildChannelConfig(network_.Spec());
    ASSERT_TRUE(config.ok()) << config.status();
    auto parsed = channelconfig::ChannelConfig::FromConfig(*config, "healthchannel");
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    channel_ = std::make_unique<testing::MemoryChannel>(*parsed, channelconfig::testing::MspManagerFor(*parsed));
    EndorserOptions options;
    options.clock = [] { return kNow; };
    endorser_ = std::make_unique<Endorser>(*channel_, executor_, peer_, options);
  }

  struct Signed {
    ::protos::SignedProposal proposal;
    std::string tx_id;
  };

  static Signed Propose(const msp::SigningIdentity& client, const std::string& chaincode,
                        std::vector<std::string> args, absl::Time when = kNow,
                        const std::string& channel = "healthchannel") {
    google::protobuf::Timestamp timestamp;
    timestamp.set_seconds(absl::ToUnixSeconds(when));
    auto proposal = protoutil::CreateChaincodeProposal(channel, chaincode, args, client.SerializedIdentity(),
                                                       {{"secret", "transient"}}, timestamp);
    EXPECT_TRUE(proposal.ok()) << proposal.status();
    auto signed_proposal = protoutil::SignProposal(proposal->proposal, client);
    EXPECT_TRUE(signed_proposal.ok()) << signed_proposal.status();
    return {*signed_proposal, proposal->tx_id};
  }

  // Defines chaincode `bench` (package builtin:bench) through `_lifecycle` proposals, as operators do.
  void DefineBench() {
    ::lifecycle::ApproveChaincodeDefinitionForMyOrgArgs approve;
    approve.set_name("bench");
    approve.set_sequence(1);
    approve.set_version("1.0");
    approve.mutable_source()->mutable_local_package()->set_package_id("builtin:bench");
    for (const msp::SigningIdentity* admin : {&admin1_, &admin2_}) {
      Signed p = Propose(*admin, "_lifecycle", {"ApproveChaincodeDefinitionForMyOrg", approve.SerializeAsString()});
      auto response = endorser_->ProcessProposal(p.proposal, ProposalMode::kEndorse);
      ASSERT_TRUE(response.ok()) << response.status();
      ASSERT_EQ(response->response().status(), 200) << response->response().message();
      ASSERT_TRUE(channel_->Commit(*response, p.tx_id).ok());
    }
    ::lifecycle::CommitChaincodeDefinitionArgs commit;
    commit.set_name("bench");
    commit.set_sequence(1);
    commit.set_version("1.0");
    Signed p = Propose(admin1_, "_lifecycle", {"CommitChaincodeDefinition", commit.SerializeAsString()});
    auto response = endorser_->ProcessProposal(p.proposal, ProposalMode::kEndorse);
    ASSERT_TRUE(response.ok()) << response.status();
    ASSERT_EQ(response->response().status(), 200) << response->response().message();
    ASSERT_TRUE(channel_->Commit(*response, p.tx_id).ok());
  }

  TestNetwork network_;
  msp::SigningIdentity peer_;
  msp::SigningIdentity doctor_;
  msp::SigningIdentity admin1_;
  msp::SigningIdentity admin2_;
  std::unique_ptr<testing::MemoryChannel> channel_;
  RecordingExecutor executor_;
  std::unique_ptr<Endorser> endorser_;
};

TEST_F(EndorserTest, EndorsesASimulationWithItsReadWriteSetEventAndSignature) {
  DefineBench();
  Signed p = Propose(doctor_, "bench", {"put", "k1", "v1"});
  auto response = endorser_->ProcessProposal(p.proposal, ProposalMode::kEndorse);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->response().status(), 200);
  ASSERT_TRUE(response->has_endorsement());
  EXPECT_EQ(response->endorsement().endorser(), peer_.SerializedIdentity());
  EXPECT_TRUE(peer_.certificate().public_key().Verify(response->payload() + response->endorsement().endorser(),
                                                      response->endorsement().signature()).ok());

  ::protos::ProposalResponsePayload payload;
  ::protos::ChaincodeAction action;
  ASSERT_TRUE(payload.ParseFromString(response->payload()));
  ASSERT_TRUE(action.ParseFromString(payload.extension()));
  EXPECT_EQ(action.chaincode_id().name(), "bench");
  EXPECT_EQ(action.chaincode_id().version(), "1.0");
  ::protos::ChaincodeEvent event;
  ASSERT_TRUE(event.ParseFromString(action.events()));
  EXPECT_EQ(event.event_name(), "put");
  ::rwset::TxReadWriteSet rwset;
  ASSERT_TRUE(rwset.ParseFromString(action.results()));
  ASSERT_EQ(rwset.ns_rwset_size(), 1);
  EXPECT_EQ(rwset.ns_rwset(0).namespace_(), "bench");
  ::kvrwset::KVRWSet kv;
  ASSERT_TRUE(kv.ParseFromString(rwset.ns_rwset(0).rwset()));
  ASSERT_EQ(kv.writes_size(), 1);
  EXPECT_EQ(kv.writes(0).key(), "k1");
  EXPECT_EQ(kv.writes(0).value(), "v1");

  // The chaincode saw the verified creator and the transient data.
  EXPECT_EQ(executor_.last_context.creator.msp_id, "Hospital1MSP");
  EXPECT_EQ(executor_.last_context.creator.attributes.at("role"), "doctor");
  EXPECT_EQ(executor_.last_context.transient.at("secret"), "transient");
  EXPECT_EQ(executor_.last_context.tx_id, p.tx_id);
}

TEST_F(EndorserTest, TwoEndorsementsOfOneProposalCarryIdenticalPayloads) {
  DefineBench();
  Signed p = Propose(doctor_, "bench", {"put", "k", "v"});
  auto first = endorser_->ProcessProposal(p.proposal, ProposalMode::kEndorse);
  auto second = endorser_->ProcessProposal(p.proposal, ProposalMode::kEndorse);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->payload(), second->payload());
}

TEST_F(EndorserTest, AChaincodeRefusalIsReturnedUnsigned) {
  DefineBench();
  auto response = endorser_->ProcessProposal(Propose(doctor_, "bench", {"get", "missing"}).proposal,
                                             ProposalMode::kEndorse);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->response().status(), 500);
  EXPECT_EQ(response->response().message(), "key missing not found");
  EXPECT_FALSE(response->has_endorsement());
}

TEST_F(EndorserTest, EvaluateAnswersWithoutAnEndorsement) {
  DefineBench();
  Signed put = Propose(doctor_, "bench", {"put", "k", "v"});
  auto endorsed = endorser_->ProcessProposal(put.proposal, ProposalMode::kEndorse);
  ASSERT_TRUE(endorsed.ok());
  ASSERT_TRUE(channel_->Commit(*endorsed, put.tx_id).ok());
  auto evaluated =
      endorser_->ProcessProposal(Propose(doctor_, "bench", {"get", "k"}).proposal, ProposalMode::kEvaluate);
  ASSERT_TRUE(evaluated.ok()) << evaluated.status();
  EXPECT_EQ(evaluated->response().payload(), "v");
  EXPECT_FALSE(evaluated->has_endorsement());
}

TEST_F(EndorserTest, RefusesAnUndefinedChaincode) {
  auto response = endorser_->ProcessProposal(Propose(doctor_, "bench", {"put", "k", "v"}).proposal,
                                             ProposalMode::kEndorse);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(response.status().message(), HasSubstr("chaincode 'bench' is not defined"));
}

TEST_F(EndorserTest, RefusesADuplicateTransactionId) {
  DefineBench();
  Signed p = Propose(doctor_, "bench", {"put", "k", "v"});
  auto response = endorser_->ProcessProposal(p.proposal, ProposalMode::kEndorse);
  ASSERT_TRUE(response.ok());
  ASSERT_TRUE(channel_->Commit(*response, p.tx_id).ok());
  auto again = endorser_->ProcessProposal(p.proposal, ProposalMode::kEndorse);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(again.status().message(), HasSubstr("is already on the ledger"));
}

TEST_F(EndorserTest, RefusesATimestampOutsideTheWindow) {
  DefineBench();
  const Signed late_proposal = Propose(doctor_, "bench", {"put", "k", "v"}, kNow - absl::Minutes(16));
  auto late = endorser_->ProcessProposal(late_proposal.proposal, ProposalMode::kEndorse);
  EXPECT_EQ(late.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(late.status().message(), HasSubstr("from this peer's clock"));
  const Signed early_proposal = Propose(doctor_, "bench", {"put", "k", "v"}, kNow + absl::Minutes(16));
  auto early = endorser_->ProcessProposal(early_proposal.proposal, ProposalMode::kEndorse);
  EXPECT_EQ(early.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(EndorserTest, RefusesABadSignatureAnUnknownOrganisationAndAnExpiredCertificate) {
  DefineBench();
  Signed tampered = Propose(doctor_, "bench", {"put", "k", "v"});
  tampered.proposal.mutable_signature()->back() ^= 1;
  auto bad = endorser_->ProcessProposal(tampered.proposal, ProposalMode::kEndorse);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(bad.status().message(), HasSubstr("signature does not verify"));

  msp::SigningIdentity stranger = network_.hospital3().Issue("stranger", msp::NodeRole::kClient);
  auto unknown = endorser_->ProcessProposal(Propose(stranger, "bench", {"put", "k", "v"}).proposal,
                                            ProposalMode::kEndorse);
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(unknown.status().message(), HasSubstr("not a valid identity of the channel"));

  msp::SigningIdentity expired = network_.hospital1().Issue("expired", {"client"}, {}, msp::testing::kTestEpoch,
                                                            kNow - absl::Minutes(1));
  auto old = endorser_->ProcessProposal(Propose(expired, "bench", {"put", "k", "v"}).proposal, ProposalMode::kEndorse);
  EXPECT_EQ(old.status().code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(EndorserTest, RefusesAProposalForAnotherChannelOrOfAnotherType) {
  auto other = endorser_->ProcessProposal(Propose(doctor_, "bench", {"put"}, kNow, "otherchannel").proposal,
                                          ProposalMode::kEndorse);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(other.status().message(), HasSubstr("channel 'otherchannel' is not joined"));

  ::protos::SignedProposal garbage;
  garbage.set_proposal_bytes("\x0a\xff");
  garbage.set_signature("x");
  auto malformed = endorser_->ProcessProposal(garbage, ProposalMode::kEndorse);
  EXPECT_EQ(malformed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(malformed.status().message(), HasSubstr("malformed proposal"));
}

TEST_F(EndorserTest, OnlyAdminsChangeChaincodeDefinitions) {
  ::lifecycle::ApproveChaincodeDefinitionForMyOrgArgs approve;
  approve.set_name("bench");
  approve.set_sequence(1);
  approve.set_version("1.0");
  auto response = endorser_->ProcessProposal(
      Propose(doctor_, "_lifecycle", {"ApproveChaincodeDefinitionForMyOrg", approve.SerializeAsString()}).proposal,
      ProposalMode::kEndorse);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->response().status(), 500);
  EXPECT_THAT(response->response().message(), HasSubstr("only an admin of Hospital1MSP"));
  EXPECT_FALSE(response->has_endorsement());
}

}  // namespace
}  // namespace careledger::endorser
