// GatewayClient against a real gateway: peer1 of a two-peer loopback network (peer/gateway/testing), reached
// over TLS through a front door the test knows the address of (testing/gateway_front_door.h). Blocks are cut by
// the test, or by a BlockCutter thread when a Submit waits for its commit.
#include "network/client/gateway_client.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "common/channelconfig/test_network.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "network/client/testing/gateway_front_door.h"
#include "peer/gateway/testing/two_peer_network.h"

namespace careledger::client {
namespace {

using gateway::testing::kChannelId;
using gateway::testing::TwoPeerNetwork;
using testing::BlockCutter;
using testing::ConnectOrDie;
using ::testing::ElementsAre;
using testing::GatewayFrontDoor;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using testing::Security;

constexpr absl::Duration kTimeout = absl::Seconds(30);

GatewayEndpoint At(const std::string& address) {
  GatewayEndpoint endpoint;
  endpoint.address = address;
  return endpoint;
}

// For calls that are expected to fail fast.
EvaluateOptions ShortTimeout() {
  EvaluateOptions options;
  options.timeout = absl::Seconds(5);
  return options;
}

// The value, or the error as text (so that a failure shows in the assertion instead of crashing it).
std::string ValueOrError(const absl::StatusOr<std::string>& value) {
  return value.ok() ? *value : value.status().ToString();
}

class GatewayClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(net_.ok());
    ASSERT_TRUE(door_.ok());
    absl::Status defined = net_.DefineBench();
    ASSERT_TRUE(defined.ok()) << defined;
  }

  uint64_t LastBlock() { return net_.peer1_channel().ledger().Height() - 1; }

  TwoPeerNetwork net_;
  GatewayFrontDoor door_{net_, Security::kTls};
  GatewayClient client_ = ConnectOrDie(door_.Endpoint(), net_.client1());
};

TEST_F(GatewayClientTest, EvaluateReturnsTheChaincodePayloadHereOrOnATargetOrganisation) {
  ASSERT_TRUE(net_.TransactAndCommit(net_.client1(), "bench", {"put", "patient-7", "record-7"}).ok());
  EXPECT_EQ(ValueOrError(client_.Evaluate(kChannelId, "bench", {"get", "patient-7"})), "record-7");
  EvaluateOptions on_hospital2;
  on_hospital2.target_organizations = {"Hospital2MSP"};
  EXPECT_EQ(ValueOrError(client_.Evaluate(kChannelId, "bench", {"get", "patient-7"}, on_hospital2)), "record-7");
  EXPECT_EQ(door_.submitted().value(), 0);
}

TEST_F(GatewayClientTest, SubmitWaitsForTheCommitAndReturnsValidWithTheBlockAndPayload) {
  BlockCutter cutter(net_, door_);
  absl::StatusOr<SubmitResult> put = client_.Submit(kChannelId, "bench", {"put", "counter", "1"});
  ASSERT_TRUE(put.ok()) << put.status();
  EXPECT_EQ(put->code, ::protos::VALID);
  EXPECT_EQ(put->block_number, LastBlock());
  EXPECT_THAT(put->tx_id, MatchesRegex("[0-9a-f]{64}"));
  // peer2 must have the block too before the next transaction is endorsed there.
  ASSERT_TRUE(cutter.WaitUntilCut());

  // The payload is the chaincode's answer as endorsed: rmw returns the value it replaced.
  absl::StatusOr<SubmitResult> rmw = client_.Submit(kChannelId, "bench", {"rmw", "counter", "2"});
  ASSERT_TRUE(rmw.ok()) << rmw.status();
  EXPECT_EQ(rmw->payload, "1");
  EXPECT_EQ(rmw->block_number, put->block_number + 1);
  ASSERT_TRUE(cutter.WaitUntilCut());
  EXPECT_THAT(cutter.codes(), ElementsAre(::protos::VALID, ::protos::VALID));
  EXPECT_EQ(ValueOrError(client_.Evaluate(kChannelId, "bench", {"get", "counter"})), "2");
}

TEST_F(GatewayClientTest, AChaincodeRefusalCarriesTheChaincodesMessage) {
  absl::StatusOr<std::string> value = client_.Evaluate(kChannelId, "bench", {"get", "nobody"});
  EXPECT_EQ(value.status().code(), absl::StatusCode::kUnknown);
  EXPECT_THAT(std::string(value.status().message()), HasSubstr("Evaluate at " + door_.address() + ": "));
  EXPECT_THAT(std::string(value.status().message()), HasSubstr("key nobody not found"));

  // Endorsing a refused proposal: nothing is submitted, and the refusal names the function.
  absl::StatusOr<SubmitResult> submitted = client_.Submit(kChannelId, "bench", {"frobnicate"});
  EXPECT_EQ(submitted.status().code(), absl::StatusCode::kAborted);
  EXPECT_THAT(std::string(submitted.status().message()), HasSubstr("Endorse at " + door_.address() + ": "));
  EXPECT_THAT(std::string(submitted.status().message()), HasSubstr("unknown function: frobnicate"));
  EXPECT_EQ(door_.submitted().value(), 0);
}

TEST_F(GatewayClientTest, AnUnreachableEndorsingPeerIsNamedInTheError) {
  net_.StopPeer2();
  absl::StatusOr<SubmitResult> submitted = client_.Submit(kChannelId, "bench", {"put", "k", "v"});
  ASSERT_EQ(submitted.status().code(), absl::StatusCode::kAborted) << submitted.status();
  // The gateway's message, then the detail it attached for Hospital2's peer.
  EXPECT_THAT(std::string(submitted.status().message()),
              HasSubstr("failed to collect enough transaction endorsements, see attached details for more info "
                        "[Hospital2MSP at " +
                        net_.peer2_address() + ": "));
  EXPECT_THAT(std::string(submitted.status().message()), HasSubstr("UNAVAILABLE"));
}

TEST_F(GatewayClientTest, TwoTransactionsEndorsedOnTheSameStateConflictAndTheSecondReportsItsCode) {
  const absl::Time deadline = absl::Now() + kTimeout;
  std::vector<PreparedTransaction> prepared;
  for (const char* value : {"a", "b"}) {
    absl::StatusOr<Proposal> proposal = client_.NewProposal(kChannelId, "bench", {"rmw", "shared", value});
    ASSERT_TRUE(proposal.ok()) << proposal.status();
    absl::StatusOr<PreparedTransaction> endorsed = client_.Endorse(*proposal, {}, deadline);
    ASSERT_TRUE(endorsed.ok()) << endorsed.status();
    EXPECT_EQ(endorsed->tx_id, proposal->tx_id);
    prepared.push_back(*std::move(endorsed));
  }
  for (const PreparedTransaction& transaction : prepared) {
    absl::Status submitted = client_.SubmitPrepared(transaction, deadline);
    ASSERT_TRUE(submitted.ok()) << submitted;
  }
  absl::StatusOr<std::vector<::protos::TxValidationCode>> codes = net_.CutBlock();
  ASSERT_TRUE(codes.ok()) << codes.status();
  EXPECT_THAT(*codes, ElementsAre(::protos::VALID, ::protos::MVCC_READ_CONFLICT));

  absl::StatusOr<CommitStatus> first = client_.WaitForCommit(kChannelId, prepared[0].tx_id, deadline);
  absl::StatusOr<CommitStatus> second = client_.WaitForCommit(kChannelId, prepared[1].tx_id, deadline);
  ASSERT_TRUE(first.ok() && second.ok()) << first.status() << " " << second.status();
  EXPECT_EQ(first->code, ::protos::VALID);
  EXPECT_EQ(second->code, ::protos::MVCC_READ_CONFLICT);
  EXPECT_EQ(second->block_number, LastBlock());
  const SubmitResult result{second->tx_id, second->code, second->block_number, prepared[1].payload};
  EXPECT_EQ(RequireValid(result), absl::AbortedError("transaction " + second->tx_id + " committed in block " +
                                                     std::to_string(LastBlock()) + " with code MVCC_READ_CONFLICT"));
}

TEST_F(GatewayClientTest, SubmitReportsAnInvalidTransactionAsAbortedAndSubmitAndWaitReturnsItsCode) {
  // Each time, another transaction on the same key is endorsed and ordered first, in the same block.
  auto order_a_rival = [&](const std::string& key) {
    const absl::Time deadline = absl::Now() + kTimeout;
    absl::StatusOr<Proposal> proposal = client_.NewProposal(kChannelId, "bench", {"rmw", key, "rival"});
    ASSERT_TRUE(proposal.ok()) << proposal.status();
    absl::StatusOr<PreparedTransaction> rival = client_.Endorse(*proposal, {}, deadline);
    ASSERT_TRUE(rival.ok()) << rival.status();
    ASSERT_TRUE(client_.SubmitPrepared(*rival, deadline).ok());
  };
  order_a_rival("k1");
  {
    BlockCutter cutter(net_, door_);
    absl::StatusOr<SubmitResult> submitted = client_.Submit(kChannelId, "bench", {"rmw", "k1", "mine"});
    EXPECT_EQ(submitted.status().code(), absl::StatusCode::kAborted);
    EXPECT_THAT(std::string(submitted.status().message()),
                MatchesRegex("transaction [0-9a-f]{64} committed in block " + std::to_string(LastBlock()) +
                             " with code MVCC_READ_CONFLICT"));
  }
  order_a_rival("k2");
  BlockCutter cutter(net_, door_);
  absl::StatusOr<SubmitResult> waited = client_.SubmitAndWait(kChannelId, "bench", {"rmw", "k2", "mine"});
  ASSERT_TRUE(waited.ok()) << waited.status();
  EXPECT_EQ(waited->code, ::protos::MVCC_READ_CONFLICT);
  EXPECT_EQ(waited->block_number, LastBlock());
  EXPECT_EQ(ValueOrError(client_.Evaluate(kChannelId, "bench", {"get", "k2"})), "rival");
}

TEST_F(GatewayClientTest, WaitingForACommitThatNeverComesEndsAtTheDeadline) {
  absl::StatusOr<CommitStatus> status =
      client_.WaitForCommit(kChannelId, "never-submitted", absl::Now() + absl::Milliseconds(300));
  EXPECT_EQ(status.status().code(), absl::StatusCode::kDeadlineExceeded) << status.status();
  EXPECT_THAT(std::string(status.status().message()), HasSubstr("CommitStatus at " + door_.address()));
}

TEST_F(GatewayClientTest, TheServersTlsNameIsCheckedAgainstTheOverride) {
  GatewayEndpoint endpoint = door_.Endpoint();
  endpoint.server_name_override = "peer0.hospital2.example.org";
  GatewayClient wrong_name = ConnectOrDie(endpoint, net_.client1());
  absl::StatusOr<std::string> value = wrong_name.Evaluate(kChannelId, "bench", {"get", "k"}, ShortTimeout());
  EXPECT_EQ(value.status().code(), absl::StatusCode::kUnavailable) << value.status();
}

// A gateway that endorses another proposal than the client's (same creator): the client must not sign it.
class SwappingGateway final : public ::gateway::Gateway::Service {
 public:
  SwappingGateway(gateway::GatewayService& inner, const msp::SigningIdentity& creator)
      : inner_(inner), creator_(creator) {}
  grpc::Status Endorse(grpc::ServerContext* context, const ::gateway::EndorseRequest* request,
                       ::gateway::EndorseResponse* response) override {
    const auto other = TwoPeerNetwork::Propose(creator_, "bench", {"put", "k", "not what the client asked"});
    const ::gateway::EndorseRequest swapped = TwoPeerNetwork::EndorseRequestFor(other);
    return inner_.Endorse(context, &swapped, response);
  }

 private:
  gateway::GatewayService& inner_;
  const msp::SigningIdentity& creator_;
};

TEST_F(GatewayClientTest, TheClientRefusesToSignATransactionThatIsNotItsProposals) {
  gateway::GatewayOptions options;
  options.local_msp_id = "Hospital1MSP";
  gateway::GatewayService inner(net_.peer1_gateway_channels(), net_.peer1_endorser_object(), options);
  SwappingGateway swapping(inner, net_.client1());
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&swapping);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  GatewayClient client = ConnectOrDie(At("127.0.0.1:" + std::to_string(port)), net_.client1());

  absl::StatusOr<Proposal> proposal = client.NewProposal(kChannelId, "bench", {"put", "k", "v"});
  ASSERT_TRUE(proposal.ok()) << proposal.status();
  absl::StatusOr<PreparedTransaction> prepared = client.Endorse(*proposal, {}, absl::Now() + kTimeout);
  EXPECT_EQ(prepared.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(prepared.status().message()),
              HasSubstr("the gateway returned a prepared transaction that is not that of proposal " + proposal->tx_id));
  server->Shutdown(absl::ToChronoTime(absl::Now()));
}

TEST(GatewayClientSecurityTest, PlaintextAndMutualTlsConnect) {
  TwoPeerNetwork net;
  ASSERT_TRUE(net.ok());
  for (Security security : {Security::kPlaintext, Security::kMutualTls}) {
    GatewayFrontDoor door(net, security);
    ASSERT_TRUE(door.ok());
    GatewayClient client = ConnectOrDie(door.Endpoint(), net.client1());
    absl::StatusOr<std::string> definitions = client.Evaluate(kChannelId, "_lifecycle", {"QueryChaincodeDefinitions"});
    EXPECT_TRUE(definitions.ok()) << definitions.status();
  }
  // Mutual TLS without a client certificate: the handshake fails.
  GatewayFrontDoor door(net, Security::kMutualTls);
  GatewayEndpoint endpoint = door.Endpoint();
  endpoint.tls_client_cert_pem.clear();
  endpoint.tls_client_key_pem.clear();
  GatewayClient client = ConnectOrDie(endpoint, net.client1());
  absl::StatusOr<std::string> refused =
      client.Evaluate(kChannelId, "_lifecycle", {"QueryChaincodeDefinitions"}, ShortTimeout());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable) << refused.status();
}

TEST(GatewayClientConnectTest, RefusesWhatCannotWork) {
  const auto signer = std::make_shared<const msp::SigningIdentity>(
      channelconfig::testing::Network().hospital1().Issue("client.hospital1.example.org", msp::NodeRole::kClient));
  auto connect = [&](GatewayEndpoint endpoint) { return GatewayClient::Connect(endpoint, signer).status(); };
  EXPECT_EQ(GatewayClient::Connect(At("127.0.0.1:7051"), nullptr).status().code(), absl::StatusCode::kInvalidArgument);
  for (const char* address : {"", "peer0", "peer0:", ":7051", "peer0:http", "peer0:0", "peer0:70510"}) {
    absl::Status status = connect(At(address));
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << address;
    EXPECT_THAT(std::string(status.message()), HasSubstr("is not host:port")) << address;
  }
  EXPECT_TRUE(connect(At("[::1]:7051")).ok());

  GatewayEndpoint name_without_tls = At("p:7051");
  name_without_tls.server_name_override = "peer0";
  EXPECT_THAT(connect(name_without_tls).ToString(), HasSubstr("needs TLS"));
  GatewayEndpoint garbage_roots = At("p:7051");
  garbage_roots.tls_root_certs_pem = "not a certificate";
  EXPECT_THAT(connect(garbage_roots).ToString(), HasSubstr("the TLS root certificates holds no PEM CERTIFICATE"));
  GatewayEndpoint tls = At("p:7051");
  tls.tls_root_certs_pem = channelconfig::testing::Network().hospital1().root_cert().ToPem();
  EXPECT_TRUE(connect(tls).ok());
  GatewayEndpoint cert_without_key = tls;
  cert_without_key.tls_client_cert_pem = tls.tls_root_certs_pem;
  EXPECT_THAT(connect(cert_without_key).ToString(), HasSubstr("needs its private key"));
}

}  // namespace
}  // namespace careledger::client
