// The regulator's identity writes nothing, through any path (issue 6): a regulator may read everything the
// healthcare chaincode lets it read, and every way a transaction can be made — its own audit peer's Gateway, a
// hospital peer's Gateway, a transaction of its own handed straight to an orderer, the audit peer's
// protos.Endorser — leaves the ledger's world state as it was.
//
// Two rules stop it, one inside the other: the channel gives the regulator's organisation a Writers policy no
// identity satisfies (network::OrganizationPolicies), so endorsers refuse to endorse its proposals and orderers
// refuse its transactions, whatever the chaincode; and the healthcare chaincode itself refuses every write by a
// regulator ("regulators cannot write", tested in its unit tests and by the CLI test on a channel of its own).
//
// Real processes: three orderers, both hospitals' endorsing peers and the regulator's audit peer
// (tests/peer/peer_network.h), with the healthcare and bench chaincodes defined through the lifecycle.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/protoutil/proposal.h"
#include "common/protoutil/timestamp.h"
#include "common/protoutil/transaction.h"
#include "common/status_macros.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "ledger/rwset/kvrwset/kv_rwset.pb.h"
#include "ledger/rwset/rwset.pb.h"
#include "network/client/chaincode_lifecycle.h"
#include "network/client/gateway_client.h"
#include "orderer/ab.pb.h"
#include "peer/peer.grpc.pb.h"
#include "tests/orderer/ab_client.h"
#include "tests/peer/peer_network.h"
#include "tests/peer/peer_network_test.h"

namespace careledger::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kPolicy[] = "AND('Hospital1MSP.peer','Hospital2MSP.peer')";
constexpr char kPatient[] = "P-REG";
constexpr char kBenchKey[] = "regulator-key";
constexpr char kSha256[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

// Every function of the healthcare chaincode that writes (docs/healthcare-chaincode.md), with arguments it
// would otherwise accept; the regulator check comes before the arguments are looked at.
std::vector<std::vector<std::string>> HealthcareWrites() {
  return {
      {"RegisterPatient", kPatient, "profile"},
      {"AddGuardian", kPatient, "Hospital1MSP", "G-1"},
      {"RemoveGuardian", kPatient, "Hospital1MSP", "G-1"},
      {"GrantConsent", kPatient, "Hospital1MSP", "D-1001", "read", "", "4102444800"},
      {"RevokeConsent", kPatient, "Hospital1MSP", "D-1001"},
      {"OpenEmergencyAccess", kPatient, "reason", "3600"},
      {"AddRecord", kPatient, "R-REG", "lab", kSha256, "10", "application/pdf", "vault://r-reg"},
      {"AmendRecord", "R-REG", kSha256, "10", "application/pdf", "vault://r-reg/2"},
      {"LogAccess", "R-REG"},
  };
}

client::ChaincodeDefinitionSpec HealthcareDefinition(int64_t sequence) {
  client::ChaincodeDefinitionSpec spec;
  spec.name = "healthcare";
  spec.version = "1.0";
  spec.sequence = sequence;
  spec.package_id = "builtin:healthcare";
  spec.signature_policy = kPolicy;
  return spec;
}

// The composite key of patient P's record in the healthcare chaincode's state (its key layout).
std::string PatientKey(const std::string& patient) { return std::string("\0patient\0", 9) + patient + '\0'; }

// A transaction the regulator makes alone: its proposal to `chaincode` (`args`), a read-write set writing `key`
// in the chaincode's namespace that no endorser simulated, and either the regulator's own endorsement of it
// (forged: it is no endorsing peer) or none at all. Signed by the regulator, as a client signs a transaction.
absl::StatusOr<::common::Envelope> ForgeTransaction(const msp::SigningIdentity& regulator, const std::string& channel,
                                                    const std::string& chaincode, const std::vector<std::string>& args,
                                                    const std::string& key, bool with_endorsement) {
  ASSIGN_OR_RETURN(protoutil::ChaincodeProposal proposal,
                   protoutil::CreateChaincodeProposal(channel, chaincode, args, regulator.SerializedIdentity(), {},
                                                      protoutil::ToTimestamp(absl::Now())));
  ::kvrwset::KVRWSet writes;
  ::kvrwset::KVWrite* write = writes.add_writes();
  write->set_key(key);
  write->set_value("written by the regulator");
  ::rwset::TxReadWriteSet results;
  results.set_data_model(::rwset::TxReadWriteSet::KV);
  ::rwset::NsReadWriteSet* ns = results.add_ns_rwset();
  ns->set_namespace_(chaincode);
  ns->set_rwset(writes.SerializeAsString());
  ::protos::Response response;
  response.set_status(200);
  ::protos::ChaincodeID id;
  id.set_name(chaincode);
  id.set_version("1.0");
  ASSIGN_OR_RETURN(
      ::protos::ProposalResponse endorsed,
      protoutil::CreateProposalResponse(proposal.proposal, response, results.SerializeAsString(), "", id, regulator));
  ASSIGN_OR_RETURN(::common::Envelope envelope,
                   protoutil::CreateSignedTransaction(proposal.proposal, {&endorsed, 1}, regulator));
  if (with_endorsement) return envelope;
  // The same transaction without the endorsement, signed again.
  ::common::Payload payload;
  ::protos::Transaction transaction;
  ::protos::ChaincodeActionPayload action;
  if (!payload.ParseFromString(envelope.payload()) || !transaction.ParseFromString(payload.data()) ||
      transaction.actions_size() != 1 || !action.ParseFromString(transaction.actions(0).payload())) {
    return absl::InternalError("the forged transaction does not parse");
  }
  action.mutable_action()->clear_endorsements();
  transaction.mutable_actions(0)->set_payload(action.SerializeAsString());
  payload.set_data(transaction.SerializeAsString());
  envelope.set_payload(payload.SerializeAsString());
  ASSIGN_OR_RETURN(std::string signature, regulator.Sign(envelope.payload()));
  envelope.set_signature(signature);
  return envelope;
}

class RegulatorReadOnlyTest : public PeerNetworkTest {
 protected:
  // The network up, healthcare and bench defined, and a Gateway client of every peer for the regulator's
  // inspector and for a doctor of each hospital.
  void SetUp() override {
    PeerNetworkTest::SetUp();
    if (HasFatalFailure()) return;
    absl::Status up = net_->Up();
    ASSERT_TRUE(up.ok()) << up;
    for (const char* chaincode : {"healthcare", "bench"}) {
      absl::Status defined = net_->DefineChaincode(chaincode, absl::StrCat("builtin:", chaincode), kPolicy);
      ASSERT_TRUE(defined.ok()) << defined;
    }
    for (int i : {PeerNetwork::kHospital1, PeerNetwork::kHospital2, PeerNetwork::kAudit}) {
      absl::StatusOr<client::GatewayClient> inspector = net_->GatewayClientFor(i, "Regulator", "inspector");
      ASSERT_TRUE(inspector.ok()) << inspector.status();
      inspector_.push_back(std::make_unique<client::GatewayClient>(*std::move(inspector)));
    }
    absl::StatusOr<client::GatewayClient> alice =
        net_->GatewayClientFor(PeerNetwork::kHospital1, "Hospital1", "dr.alice");
    ASSERT_TRUE(alice.ok()) << alice.status();
    alice_ = std::make_unique<client::GatewayClient>(*std::move(alice));
    absl::StatusOr<msp::SigningIdentity> regulator = net_->LoadUser("Regulator", "inspector");
    ASSERT_TRUE(regulator.ok()) << regulator.status();
    regulator_ = std::make_unique<msp::SigningIdentity>(*std::move(regulator));
  }

  client::SubmitOptions Bounded() const {
    client::SubmitOptions options;
    options.timeout = kNetworkTimeout;
    return options;
  }

  // Nothing the regulator tried is in any peer's world state: no patient P-REG, no record R-REG, no bench key.
  void ExpectStateUntouched() {
    for (int i = 0; i < static_cast<int>(inspector_.size()); ++i) {
      const client::GatewayClient& inspector = *inspector_[i];
      absl::StatusOr<std::string> patient = inspector.Evaluate(net_->channel(), "healthcare", {"GetPatient", kPatient});
      EXPECT_THAT(std::string(patient.status().message()), HasSubstr(absl::StrCat("unknown patient ", kPatient)))
          << net_->peer(i).name << ": " << patient.status();
      absl::StatusOr<std::string> record = inspector.Evaluate(net_->channel(), "healthcare", {"GetRecord", "R-REG"});
      EXPECT_THAT(std::string(record.status().message()), HasSubstr("unknown record R-REG"))
          << net_->peer(i).name << ": " << record.status();
      absl::StatusOr<std::string> bench = inspector.Evaluate(net_->channel(), "bench", {"get", kBenchKey});
      EXPECT_THAT(std::string(bench.status().message()), HasSubstr(absl::StrCat("key ", kBenchKey, " not found")))
          << net_->peer(i).name << ": " << bench.status();
    }
  }

  // Proves that no transaction was ordered since the channel had `height` blocks: a doctor's transaction
  // now lands in block `height`, and every peer reaches it.
  void ExpectNothingOrderedSince(uint64_t height) {
    absl::StatusOr<client::SubmitResult> put =
        alice_->Submit(net_->channel(), "bench", {"put", "after-the-regulator", "v"}, Bounded());
    ASSERT_TRUE(put.ok()) << put.status();
    EXPECT_EQ(put->block_number, height) << "a block was cut for the regulator's attempts";
    ASSERT_TRUE(net_->WaitForHeightAll(net_->channel(), put->block_number + 1, kNetworkTimeout).ok());
  }

  uint64_t CurrentHeight() {
    absl::StatusOr<uint64_t> height = net_->Height(PeerNetwork::kHospital1, net_->channel());
    EXPECT_TRUE(height.ok()) << height.status();
    return height.value_or(0);
  }

  const client::GatewayClient& inspector(int peer) const { return *inspector_.at(static_cast<size_t>(peer)); }

  std::vector<std::unique_ptr<client::GatewayClient>> inspector_;  // by peer index
  std::unique_ptr<client::GatewayClient> alice_;                   // dr.alice through Hospital1's peer
  std::unique_ptr<msp::SigningIdentity> regulator_;                // the inspector's identity
};

TEST_F(RegulatorReadOnlyTest, TheAuditPeersGatewayRefusesEverySubmit) {
  const uint64_t height = CurrentHeight();
  const client::GatewayClient& audit = inspector(PeerNetwork::kAudit);
  for (const std::vector<std::string>& args : HealthcareWrites()) {
    absl::StatusOr<client::SubmitResult> result = audit.Submit(net_->channel(), "healthcare", args, Bounded());
    EXPECT_EQ(result.status().code(), absl::StatusCode::kPermissionDenied) << args[0] << ": " << result.status();
    EXPECT_THAT(std::string(result.status().message()), HasSubstr("this peer is an audit peer")) << args[0];
  }
  absl::StatusOr<client::SubmitResult> put = audit.Submit(net_->channel(), "bench", {"put", kBenchKey, "v"}, Bounded());
  EXPECT_EQ(put.status().code(), absl::StatusCode::kPermissionDenied) << put.status();
  absl::StatusOr<client::SubmitResult> approve =
      client::ApproveForMyOrg(audit, net_->channel(), HealthcareDefinition(2), Bounded());
  EXPECT_EQ(approve.status().code(), absl::StatusCode::kPermissionDenied) << approve.status();
  // Reads are what the audit peer is for.
  absl::StatusOr<std::string> emergencies = audit.Evaluate(net_->channel(), "healthcare", {"ListEmergencyAccesses"});
  ASSERT_TRUE(emergencies.ok()) << emergencies.status();
  EXPECT_EQ(*emergencies, "[]");
  ExpectStateUntouched();
  ExpectNothingOrderedSince(height);
}

// What an endorser answers a proposal to endorse from a regulator.
constexpr char kNotAWriter[] = "creator of RegulatorMSP is not allowed by /Channel/Application/Writers";

TEST_F(RegulatorReadOnlyTest, AHospitalPeersGatewayRefusesEveryWriteOfTheRegulator) {
  const uint64_t height = CurrentHeight();
  for (int peer : {PeerNetwork::kHospital1, PeerNetwork::kHospital2}) {
    for (const std::vector<std::string>& args : HealthcareWrites()) {
      absl::StatusOr<client::SubmitResult> result =
          inspector(peer).Submit(net_->channel(), "healthcare", args, Bounded());
      EXPECT_EQ(result.status().code(), absl::StatusCode::kAborted) << args[0] << ": " << result.status();
      EXPECT_THAT(std::string(result.status().message()), HasSubstr(kNotAWriter)) << net_->peer(peer).name;
    }
    // bench checks no role: the channel's Writers policy is what refuses the regulator here.
    absl::StatusOr<client::SubmitResult> put =
        inspector(peer).Submit(net_->channel(), "bench", {"put", kBenchKey, "v"}, Bounded());
    EXPECT_EQ(put.status().code(), absl::StatusCode::kAborted) << put.status();
    EXPECT_THAT(std::string(put.status().message()), HasSubstr(kNotAWriter)) << net_->peer(peer).name;
    absl::StatusOr<client::SubmitResult> approve =
        client::ApproveForMyOrg(inspector(peer), net_->channel(), HealthcareDefinition(2), Bounded());
    EXPECT_EQ(approve.status().code(), absl::StatusCode::kAborted) << approve.status();
    EXPECT_THAT(std::string(approve.status().message()), HasSubstr(kNotAWriter)) << net_->peer(peer).name;
  }
  ExpectStateUntouched();
  ExpectNothingOrderedSince(height);
}

TEST_F(RegulatorReadOnlyTest, ATransactionTheRegulatorSendsStraightToAnOrdererIsForbidden) {
  absl::StatusOr<std::unique_ptr<AbClient>> orderer =
      AbClient::Connect(net_->orderers().public_address(0), net_->orderers().tls_ca_file());
  ASSERT_TRUE(orderer.ok()) << orderer.status();
  const uint64_t height = CurrentHeight();
  struct Attempt {
    std::string chaincode;
    std::vector<std::string> args;
    std::string key;
    bool with_endorsement;
  };
  const std::vector<Attempt> attempts = {
      {"healthcare", {"RegisterPatient", kPatient, "profile"}, PatientKey(kPatient), true},
      {"healthcare", {"RegisterPatient", kPatient, "profile"}, PatientKey(kPatient), false},
      {"bench", {"put", kBenchKey, "v"}, kBenchKey, true},
      {"bench", {"put", kBenchKey, "v"}, kBenchKey, false},
  };
  for (const Attempt& attempt : attempts) {
    SCOPED_TRACE(
        absl::StrCat(attempt.chaincode, attempt.with_endorsement ? ", forged endorsement" : ", no endorsement"));
    absl::StatusOr<::common::Envelope> envelope = ForgeTransaction(*regulator_, net_->channel(), attempt.chaincode,
                                                                   attempt.args, attempt.key, attempt.with_endorsement);
    ASSERT_TRUE(envelope.ok()) << envelope.status();
    // The orderer checks that the signer may write to the channel (/Channel/Writers): a regulator may not.
    absl::StatusOr<::orderer::BroadcastResponse> answer = (*orderer)->BroadcastOne(*envelope, kNetworkTimeout);
    ASSERT_TRUE(answer.ok()) << answer.status();
    EXPECT_EQ(answer->status(), ::common::FORBIDDEN) << answer->info();
    EXPECT_THAT(answer->info(), HasSubstr("/Channel/Writers"));
  }
  ExpectStateUntouched();
  ExpectNothingOrderedSince(height);
}

TEST_F(RegulatorReadOnlyTest, TheAuditPeersEndorserRefusesEveryProposal) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = client::DialGateway(net_->Endpoint(PeerNetwork::kAudit));
  ASSERT_TRUE(channel.ok()) << channel.status();
  auto endorser = ::protos::Endorser::NewStub(*channel);
  std::vector<std::vector<std::string>> proposals = HealthcareWrites();
  proposals.push_back({"GetPatient", kPatient});  // an audit peer endorses nothing, reads included
  for (const std::vector<std::string>& args : proposals) {
    absl::StatusOr<client::Proposal> proposal =
        inspector(PeerNetwork::kAudit).NewProposal(net_->channel(), "healthcare", args);
    ASSERT_TRUE(proposal.ok()) << proposal.status();
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + kNetworkTimeout));
    ::protos::ProposalResponse response;
    const grpc::Status status = endorser->ProcessProposal(&context, proposal->signed_proposal, &response);
    ASSERT_TRUE(status.ok()) << args[0] << ": " << status.error_message();
    EXPECT_EQ(response.response().status(), 500) << args[0];
    EXPECT_THAT(response.response().message(), HasSubstr("this peer is an audit peer: it does not endorse"));
    EXPECT_FALSE(response.has_endorsement()) << args[0];
  }
  ExpectStateUntouched();
}

}  // namespace
}  // namespace careledger::testing
