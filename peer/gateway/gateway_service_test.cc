// gateway.Gateway and protos.Endorser end to end on loopback (testing/two_peer_network.h): a client signs with
// identities of the hospitals' real PKIs; peer1's gateway endorses locally and on Hospital2's peer over TLS,
// submits to an orderer over TLS, and reads blocks that real committers committed on real ledgers.
#include "peer/gateway/gateway_service.h"

#include <future>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "common/protoutil/envelope.h"
#include "common/protoutil/transaction.h"
#include "gmock/gmock.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "peer/gateway/testing/two_peer_network.h"

namespace careledger::gateway {
namespace {

using testing::ClientProposal;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::TwoPeerNetwork;

constexpr absl::Duration kCallTimeout = absl::Seconds(30);

std::unique_ptr<grpc::ClientContext> Context(absl::Duration timeout = kCallTimeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return context;
}

// The ErrorDetails of a gateway error, read as Fabric's Node SDK reads them (newGatewayError): the
// google.rpc.Status in the grpc-status-details-bin trailer, each detail a gateway.ErrorDetail.
std::vector<::gateway::ErrorDetail> DetailsOf(const grpc::Status& status) {
  ::google::rpc::Status rpc_status;
  EXPECT_TRUE(rpc_status.ParseFromString(status.error_details()));
  EXPECT_EQ(rpc_status.code(), status.error_code());
  EXPECT_EQ(rpc_status.message(), status.error_message());
  std::vector<::gateway::ErrorDetail> details;
  for (const google::protobuf::Any& any : rpc_status.details()) {
    EXPECT_EQ(any.type_url(), "type.googleapis.com/gateway.ErrorDetail");
    ::gateway::ErrorDetail detail;
    EXPECT_TRUE(any.UnpackTo(&detail));
    details.push_back(detail);
  }
  return details;
}

MATCHER_P3(Detail, address, msp_id, message_part, "") {
  return arg.address() == address && arg.msp_id() == msp_id && arg.message().find(message_part) != std::string::npos;
}

// The MSP IDs of the endorsers of a prepared transaction.
std::vector<std::string> EndorserMsps(const ::common::Envelope& prepared) {
  auto parsed = protoutil::ParseEnvelope(prepared);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  auto transaction = protoutil::ParseEndorserTransaction(parsed->payload);
  EXPECT_TRUE(transaction.ok()) << transaction.status();
  std::vector<std::string> msps;
  for (const auto& endorsement : transaction->actions.at(0).chaincode_action_payload.action().endorsements()) {
    ::msp::SerializedIdentity identity;
    EXPECT_TRUE(identity.ParseFromString(endorsement.endorser()));
    msps.push_back(identity.mspid());
  }
  return msps;
}

class GatewayServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(net_.ok());
    absl::Status defined = net_.DefineBench();
    ASSERT_TRUE(defined.ok()) << defined;
  }

  grpc::Status Evaluate(const ClientProposal& proposal, ::gateway::EvaluateResponse* response,
                        std::vector<std::string> targets = {}) {
    ::gateway::EvaluateRequest request = TwoPeerNetwork::EvaluateRequestFor(proposal);
    for (const std::string& target : targets) request.add_target_organizations(target);
    return net_.gateway().Evaluate(Context().get(), request, response);
  }

  grpc::Status Endorse(const ClientProposal& proposal, ::gateway::EndorseResponse* response) {
    return net_.gateway().Endorse(Context().get(), TwoPeerNetwork::EndorseRequestFor(proposal), response);
  }

  TwoPeerNetwork net_;
};

TEST_F(GatewayServiceTest, EvaluateReturnsTheChaincodeResultOfCommittedState) {
  ASSERT_TRUE(net_.TransactAndCommit(net_.client1(), "bench", {"put", "patient-7", "record-7"}).ok());
  ::gateway::EvaluateResponse response;
  grpc::Status status = Evaluate(TwoPeerNetwork::Propose(net_.client1(), "bench", {"get", "patient-7"}), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.result().status(), 200);
  EXPECT_EQ(response.result().payload(), "record-7");
}

TEST_F(GatewayServiceTest, AChaincodeRefusalIsUnknownWithTheEndorsersDetail) {
  ::gateway::EvaluateResponse response;
  grpc::Status status = Evaluate(TwoPeerNetwork::Propose(net_.client1(), "bench", {"get", "missing"}), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNKNOWN);
  EXPECT_EQ(status.error_message(),
            "evaluate call to endorser returned error: chaincode response 500, key missing not found");
  EXPECT_THAT(DetailsOf(status), ElementsAre(Detail(testing::kPeer1Address, "Hospital1MSP",
                                                    "chaincode response 500, key missing not found")));
}

TEST_F(GatewayServiceTest, EvaluateOnATargetOrganisationRunsOnItsPeer) {
  // A key only peer2 has: peer1's state differs from then on, which proves where the query ran.
  ASSERT_TRUE(net_.Transact(net_.client1(), "bench", {"put", "only-on-peer2", "v2"}).ok());
  ASSERT_TRUE(net_.CutBlock(/*peer2_only=*/true).ok());
  const ClientProposal query = TwoPeerNetwork::Propose(net_.client1(), "bench", {"get", "only-on-peer2"});

  ::gateway::EvaluateResponse remote;
  grpc::Status status = Evaluate(query, &remote, {"Hospital2MSP"});
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(remote.result().payload(), "v2");

  // The chaincode's refusal on the remote peer is told apart from the peer's own (Fabric's payload rule).
  ::gateway::EvaluateResponse local;
  status = Evaluate(query, &local, {"Hospital1MSP", "Hospital2MSP"});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNKNOWN);
  const ClientProposal missing = TwoPeerNetwork::Propose(net_.client1(), "bench", {"get", "missing"});
  status = Evaluate(missing, &remote, {"Hospital2MSP"});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNKNOWN);
  EXPECT_THAT(DetailsOf(status), ElementsAre(Detail(net_.peer2_address(), "Hospital2MSP",
                                                    "chaincode response 500, key missing not found")));
}

TEST_F(GatewayServiceTest, EvaluateOnAnUnreachableOrganisationIsUnavailableNamingItsPeer) {
  net_.StopPeer2();
  ::gateway::EvaluateResponse response;
  grpc::Status status =
      Evaluate(TwoPeerNetwork::Propose(net_.client1(), "bench", {"get", "k"}), &response, {"Hospital2MSP"});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), HasSubstr("failed to evaluate transaction"));
  EXPECT_THAT(DetailsOf(status), ElementsAre(Detail(net_.peer2_address(), "Hospital2MSP", "UNAVAILABLE")));

  status = Evaluate(TwoPeerNetwork::Propose(net_.client1(), "bench", {"get", "k"}), &response, {"Hospital9MSP"});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(GatewayServiceTest, EndorseCollectsBothOrganisationsForAnAndPolicy) {
  // bench's definition names no policy: the channel's Endorsement, MAJORITY of two organisations, i.e. both.
  const ClientProposal proposal = TwoPeerNetwork::Propose(net_.client1(), "bench", {"put", "k", "v"});
  ::gateway::EndorseResponse response;
  grpc::Status status = Endorse(proposal, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(response.prepared_transaction().signature().empty());  // the client signs it
  EXPECT_THAT(EndorserMsps(response.prepared_transaction()), ElementsAre("Hospital1MSP", "Hospital2MSP"));

  // Signed and submitted, it reaches the orderer as the client signed it and commits VALID on both peers.
  const ::gateway::SubmitRequest submit =
      TwoPeerNetwork::Sign(net_.client1(), proposal, response.prepared_transaction());
  ::gateway::SubmitResponse submitted;
  status = net_.gateway().Submit(Context().get(), submit, &submitted);
  ASSERT_TRUE(status.ok()) << status.error_message();
  auto codes = net_.CutBlock();
  ASSERT_TRUE(codes.ok()) << codes.status();
  EXPECT_THAT(*codes, ElementsAre(::protos::VALID));
  ::gateway::CommitStatusResponse committed;
  status = net_.gateway().CommitStatus(Context().get(),
                                       TwoPeerNetwork::CommitStatusRequest(net_.client1(), proposal.tx_id), &committed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(committed.result(), ::protos::VALID);
  EXPECT_EQ(committed.block_number(), net_.peer1_channel().ledger().Height() - 1);
}

TEST_F(GatewayServiceTest, EndorseHonoursTheClientsOrganisationsAndRefusesTooFew) {
  const ClientProposal proposal = TwoPeerNetwork::Propose(net_.client1(), "bench", {"put", "k", "v"});
  ::gateway::EndorseRequest request = TwoPeerNetwork::EndorseRequestFor(proposal);
  request.add_endorsing_organizations("Hospital1MSP");
  ::gateway::EndorseResponse response;
  grpc::Status status = net_.gateway().Endorse(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("cannot satisfy the endorsement policy"));
}

TEST_F(GatewayServiceTest, DifferentPayloadsFromTheEndorsersAreAborted) {
  // peer2 commits a write peer1 never sees: a read-modify-write then reads different versions on each peer.
  ASSERT_TRUE(net_.Transact(net_.client1(), "bench", {"put", "counter", "1"}).ok());
  ASSERT_TRUE(net_.CutBlock(/*peer2_only=*/true).ok());
  ::gateway::EndorseResponse response;
  grpc::Status status = Endorse(TwoPeerNetwork::Propose(net_.client1(), "bench", {"rmw", "counter", "2"}), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_THAT(status.error_message(), HasSubstr("failed to collect enough transaction endorsements"));
  EXPECT_THAT(DetailsOf(status),
              ElementsAre(Detail(net_.peer2_address(), "Hospital2MSP", "ProposalResponsePayloads do not match")));
}

TEST_F(GatewayServiceTest, AnUnreachableOrganisationAbortsEndorsementWithItsDetail) {
  net_.StopPeer2();
  ::gateway::EndorseResponse response;
  grpc::Status status = Endorse(TwoPeerNetwork::Propose(net_.client1(), "bench", {"put", "k", "v"}), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_THAT(DetailsOf(status), ElementsAre(Detail(net_.peer2_address(), "Hospital2MSP", "UNAVAILABLE")));
}

TEST_F(GatewayServiceTest, EndorseRefusesAMismatchedRequestAndAnUndefinedChaincode) {
  ClientProposal proposal = TwoPeerNetwork::Propose(net_.client1(), "bench", {"put", "k", "v"});
  ::gateway::EndorseRequest request = TwoPeerNetwork::EndorseRequestFor(proposal);
  request.set_transaction_id("not-the-proposals");
  ::gateway::EndorseResponse response;
  grpc::Status status = net_.gateway().Endorse(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("is not the proposal's"));

  status = Endorse(TwoPeerNetwork::Propose(net_.client1(), "nosuchchaincode", {"put"}), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("chaincode 'nosuchchaincode' is not defined"));
}

TEST_F(GatewayServiceTest, SubmitRefusedByTheOrdererIsAbortedNamingIt) {
  const ClientProposal proposal = TwoPeerNetwork::Propose(net_.client1(), "bench", {"put", "k", "v"});
  ::gateway::EndorseResponse endorsed;
  ASSERT_TRUE(Endorse(proposal, &endorsed).ok());
  net_.orderer().Answer(::common::BAD_REQUEST, "envelope too large");
  ::gateway::SubmitResponse submitted;
  grpc::Status status = net_.gateway().Submit(
      Context().get(), TwoPeerNetwork::Sign(net_.client1(), proposal, endorsed.prepared_transaction()), &submitted);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(status.error_message(),
            "received unsuccessful response from orderer: status=BAD_REQUEST, info=envelope too large");
  EXPECT_THAT(DetailsOf(status), ElementsAre(Detail(net_.orderer_address(), "OrdererMSP", "status=BAD_REQUEST")));

  // Unsigned, or for another channel: refused before reaching the orderer.
  ::gateway::SubmitRequest unsigned_request =
      TwoPeerNetwork::Sign(net_.client1(), proposal, endorsed.prepared_transaction());
  unsigned_request.mutable_prepared_transaction()->clear_signature();
  status = net_.gateway().Submit(Context().get(), unsigned_request, &submitted);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ::gateway::SubmitRequest other = TwoPeerNetwork::Sign(net_.client1(), proposal, endorsed.prepared_transaction());
  other.set_channel_id("otherchannel");
  status = net_.gateway().Submit(Context().get(), other, &submitted);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(GatewayServiceTest, CommitStatusWaitsForALaterCommit) {
  auto tx_id = net_.Transact(net_.client1(), "bench", {"put", "k", "v"});
  ASSERT_TRUE(tx_id.ok()) << tx_id.status();
  std::future<std::pair<grpc::Status, ::gateway::CommitStatusResponse>> waiting = std::async(std::launch::async, [&] {
    ::gateway::CommitStatusResponse response;
    grpc::Status status = net_.gateway().CommitStatus(
        Context().get(), TwoPeerNetwork::CommitStatusRequest(net_.client1(), *tx_id), &response);
    return std::make_pair(status, response);
  });
  // The call is waiting: nothing is committed yet, so it cannot have answered.
  EXPECT_EQ(waiting.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
  ASSERT_TRUE(net_.CutBlock().ok());
  auto [status, response] = waiting.get();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.result(), ::protos::VALID);
  EXPECT_EQ(response.block_number(), net_.peer1_channel().ledger().Height() - 1);
}

TEST_F(GatewayServiceTest, CommitStatusGivesUpAtTheClientsDeadline) {
  ::gateway::CommitStatusResponse response;
  grpc::Status status =
      net_.gateway().CommitStatus(Context(absl::Milliseconds(300)).get(),
                                  TwoPeerNetwork::CommitStatusRequest(net_.client1(), "never-submitted"), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
}

TEST_F(GatewayServiceTest, CommitStatusRefusesABadSignatureAndAnOutsider) {
  ::gateway::SignedCommitStatusRequest forged = TwoPeerNetwork::CommitStatusRequest(net_.client1(), "tx");
  forged.mutable_signature()->back() ^= 1;
  ::gateway::CommitStatusResponse response;
  grpc::Status status = net_.gateway().CommitStatus(Context().get(), forged, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("signature does not verify"));

  status = net_.gateway().CommitStatus(Context().get(), TwoPeerNetwork::CommitStatusRequest(net_.outsider(), "tx"),
                                       &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("not a valid identity of channel 'healthchannel'"));

  // The orderer's identity is valid on the channel but no reader of its application.
  status = net_.gateway().CommitStatus(Context().get(),
                                       TwoPeerNetwork::CommitStatusRequest(net_.orderer_identity(), "tx"), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("/Channel/Application/Readers"));
}

TEST_F(GatewayServiceTest, TheEndorserServiceAnswersRefusalsWithStatus500) {
  ::protos::ProposalResponse response;
  ClientProposal proposal = TwoPeerNetwork::Propose(net_.outsider(), "bench", {"put", "k", "v"});
  grpc::Status status = net_.peer1_endorser().ProcessProposal(Context().get(), proposal.proposal, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.response().status(), 500);
  EXPECT_THAT(response.response().message(), HasSubstr("not a valid identity of the channel"));
  EXPECT_TRUE(response.payload().empty());

  proposal = TwoPeerNetwork::Propose(net_.client1(), "bench", {"put", "k", "v"});
  status = net_.peer1_endorser().ProcessProposal(Context().get(), proposal.proposal, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.response().status(), 200);
  EXPECT_TRUE(response.has_endorsement());
}

class AuditGatewayTest : public ::testing::Test {
 protected:
  static GatewayOptions Audit() {
    GatewayOptions options;
    options.audit = true;
    return options;
  }
  TwoPeerNetwork net_{Audit()};
};

TEST_F(AuditGatewayTest, AnAuditPeerRefusesToEndorseOrSubmitButAnswersQueries) {
  ASSERT_TRUE(net_.ok());
  const ClientProposal proposal =
      TwoPeerNetwork::Propose(net_.admin1(), "_lifecycle", {"QueryChaincodeDefinitions", ""});
  ::gateway::EndorseResponse endorsed;
  grpc::Status status = net_.gateway().Endorse(Context().get(), TwoPeerNetwork::EndorseRequestFor(proposal), &endorsed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(), kAuditEndorseRefusal);
  EXPECT_THAT(DetailsOf(status), ElementsAre(Detail(testing::kPeer1Address, "Hospital1MSP", kAuditEndorseRefusal)));

  ::gateway::SubmitRequest submit;
  submit.set_transaction_id(proposal.tx_id);
  submit.set_channel_id(testing::kChannelId);
  ::gateway::SubmitResponse submitted;
  status = net_.gateway().Submit(Context().get(), submit, &submitted);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(), kAuditSubmitRefusal);

  ::protos::ProposalResponse response;
  status = net_.peer1_endorser().ProcessProposal(Context().get(), proposal.proposal, &response);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(response.response().status(), 500);
  EXPECT_EQ(response.response().message(), kAuditEndorseRefusal);

  ::gateway::EvaluateResponse evaluated;
  status = net_.gateway().Evaluate(Context().get(), TwoPeerNetwork::EvaluateRequestFor(proposal), &evaluated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(evaluated.result().status(), 200);
}

}  // namespace
}  // namespace careledger::gateway
