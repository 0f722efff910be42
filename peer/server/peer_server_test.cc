// The peer node as `careledger-peer` runs it, in-process: configuration in, real listeners on 127.0.0.1, real
// ledgers in a temporary folder.
#include "peer/server/peer_server.h"

#include <sys/stat.h>

#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "careledger/vault.grpc.pb.h"
#include "common/channelconfig/genesis.h"
#include "common/channelconfig/test_network.h"
#include "common/protoutil/envelope.h"
#include "common/protoutil/test_seek.h"
#include "common/protoutil/timestamp.h"
#include "common/testing/temp_dir.h"
#include "common/strings.h"
#include "gateway/gateway.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "msp/msp_dir.h"
#include "peer/events.grpc.pb.h"
#include "peer/gateway/gateway_options.h"
#include "peer/peer.grpc.pb.h"
#include "peer/server/peer_channels.h"
#include "tests/testing/process.h"
#include "common/metrics/testing/sample_value.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "peer/vault/master_key.h"

namespace careledger::peer {
namespace {

using ::testing::HasSubstr;
using metrics::testing::SampleValue;
using protoutil::testing::Seek;
using protoutil::testing::Specified;

constexpr char kChannelId[] = "healthchannel";  // channelconfig::testing::Network().Spec()'s

class PeerServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const msp::testing::TestOrg& org = channelconfig::testing::Network().hospital1();
    auto [cert, key] = org.IssueWithKey("peer0.hospital1.example.org", {"peer"});
    msp::MspFolder folder;
    folder.ca_certs = {org.root_cert()};
    folder.sign_cert = cert;
    folder.private_key = std::move(key);
    ASSERT_TRUE(msp::WriteMspFolder(dir_.Path("msp"), folder).ok());
    absl::StatusOr<uint16_t> port = testing::PickUnusedPort();
    absl::StatusOr<uint16_t> admin_port = testing::PickUnusedPort();
    absl::StatusOr<uint16_t> operations_port = testing::PickUnusedPort();
    ASSERT_TRUE(port.ok() && admin_port.ok() && operations_port.ok());
    port_ = *port;
    admin_port_ = *admin_port;
    operations_port_ = *operations_port;
  }

  PeerConfig Config(std::string_view role = "endorsing", std::string_view metrics_provider = "prometheus") const {
    const std::string yaml = absl::StrCat(
        "peer:\n"
        "  id: peer0.hospital1.example.org\n"
        "  localMspId: Hospital1MSP\n"
        "  role: ", AsAbsl(role), "\n"
        "  listenAddress: 127.0.0.1:", port_, "\n"
        "  fileSystemPath: data\n"
        "  tls:\n"
        "    enabled: false\n"
        "  admin:\n"
        "    listenAddress: 127.0.0.1:", admin_port_, "\n"
        "    tls:\n"
        "      enabled: false\n"
        "chaincode:\n"
        "  executetimeout: 5s\n"
        "operations:\n"
        "  listenAddress: 127.0.0.1:", operations_port_, "\n"
        "metrics:\n"
        "  provider: ", AsAbsl(metrics_provider), "\n");
    absl::StatusOr<PeerConfig> config =
        ParsePeerConfig(yaml, dir_.Path("core.yaml"), config::Environment(config::Environment::VariableMap{}));
    EXPECT_TRUE(config.ok()) << config.status();
    return *config;
  }

  std::shared_ptr<grpc::Channel> Connect() const {
    return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_), grpc::InsecureChannelCredentials());
  }

  static ::common::Block Genesis() {
    absl::StatusOr<::common::Block> genesis =
        channelconfig::CreateGenesisBlock(channelconfig::testing::Network().Spec());
    EXPECT_TRUE(genesis.ok()) << genesis.status();
    return *genesis;
  }

  careledger::testing::ScopedTempDir dir_;
  uint16_t port_ = 0;
  uint16_t admin_port_ = 0;
  uint16_t operations_port_ = 0;
};

TEST_F(PeerServerTest, JoinsAChannelServesItsBlocksAndReopensItAfterARestart) {
  const msp::SigningIdentity client = channelconfig::testing::Network().hospital1().Issue(
      "client1.hospital1.example.org", msp::NodeRole::kClient);
  absl::StatusOr<std::unique_ptr<PeerServer>> server = PeerServer::Start(Config());
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ((*server)->port(), port_);
  EXPECT_TRUE((*server)->channels().List().empty());

  ASSERT_TRUE((*server)->channels().Join(Genesis()).ok());
  EXPECT_EQ((*server)->channels().Join(Genesis()).status().code(), absl::StatusCode::kAlreadyExists);

  // The genesis block comes back from the peer's Deliver service (with the metadata its committer added).
  auto deliver = ::protos::Deliver::NewStub(Connect());
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  auto stream = deliver->Deliver(&context);
  absl::StatusOr<::common::Envelope> request =
      protoutil::CreateSignedEnvelope(::common::DELIVER_SEEK_INFO, kChannelId, client,
                                      Seek(Specified(0), Specified(0)), 0, protoutil::ToTimestamp(absl::Now()));
  ASSERT_TRUE(request.ok()) << request.status();
  ASSERT_TRUE(stream->Write(*request));
  ::protos::DeliverResponse block, status;
  ASSERT_TRUE(stream->Read(&block));
  ASSERT_TRUE(stream->Read(&status));
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
  const ::common::Block genesis = Genesis();
  EXPECT_TRUE(block.block().header().SerializeAsString() == genesis.header().SerializeAsString());
  EXPECT_TRUE(block.block().data().SerializeAsString() == genesis.data().SerializeAsString());
  EXPECT_EQ(status.status(), ::common::SUCCESS);

  (*server)->Stop();
  server = PeerServer::Start(Config());
  ASSERT_TRUE(server.ok()) << server.status();
  const std::vector<participation::ChannelInfo> joined = (*server)->channels().List();
  ASSERT_EQ(joined.size(), 1u);
  EXPECT_EQ(joined[0].name, kChannelId);
  EXPECT_EQ(joined[0].height, 1u);
}

TEST_F(PeerServerTest, TheOperationsEndpointReportsHealthAndTheLedgerHeightAfterAJoin) {
  absl::StatusOr<std::unique_ptr<PeerServer>> server = PeerServer::Start(Config());
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ((*server)->operations_port(), operations_port_);
  httplib::Client client("127.0.0.1", operations_port_);

  httplib::Result health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(nlohmann::json::parse(health->body)["status"], "OK");

  httplib::Result metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  ASSERT_EQ(metrics->status, 200);
  EXPECT_THAT(metrics->body, HasSubstr("# TYPE ledger_blockchain_height gauge"));
  EXPECT_THAT(metrics->body, HasSubstr("# TYPE endorser_proposal_duration histogram"));
  const std::string height = absl::StrCat("ledger_blockchain_height{channel=\"", kChannelId, "\"}");
  EXPECT_EQ(SampleValue(metrics->body, height), -1);

  ASSERT_TRUE((*server)->channels().Join(Genesis()).ok());
  metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(SampleValue(metrics->body, height), 1);

  // A proposal the endorser refuses is still counted.
  auto endorser = ::protos::Endorser::NewStub(Connect());
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  ::protos::ProposalResponse response;
  (void)endorser->ProcessProposal(&context, ::protos::SignedProposal(), &response);
  metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(SampleValue(metrics->body, "endorser_proposals_received{mode=\"endorse\"}"), 1);
  EXPECT_EQ(SampleValue(metrics->body, "endorser_successful_proposals{mode=\"endorse\"}"), 0);
  // The gRPC call itself succeeded (the refusal is in the response): counted by service, method and code.
  EXPECT_EQ(SampleValue(metrics->body, "grpc_server_unary_requests_completed{service=\"protos.Endorser\","
                                       "method=\"ProcessProposal\",code=\"OK\"}"),
            1);

  httplib::Result version = client.Get("/version");
  ASSERT_TRUE(version);
  EXPECT_EQ(version->status, 200);
  EXPECT_TRUE(nlohmann::json::parse(version->body).contains("CommitSHA"));
}

TEST_F(PeerServerTest, WithMetricsDisabledThereIsNoMetricsEndpoint) {
  absl::StatusOr<std::unique_ptr<PeerServer>> server = PeerServer::Start(Config("endorsing", "disabled"));
  ASSERT_TRUE(server.ok()) << server.status();
  httplib::Client client("127.0.0.1", operations_port_);
  httplib::Result metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 404);
  httplib::Result health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST_F(PeerServerTest, AnOperationsPortInUseIsAnError) {
  httplib::Server squatter;
  squatter.set_socket_options([](socket_t) {});  // not httplib's SO_REUSEPORT, which would let both bind
  ASSERT_TRUE(squatter.bind_to_port("127.0.0.1", operations_port_));
  absl::StatusOr<std::unique_ptr<PeerServer>> server = PeerServer::Start(Config());
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(server.status().message()), HasSubstr("operations listener"));
}

TEST_F(PeerServerTest, ARemovedChannelIsGoneFromListAndDiskAndCanBeJoinedAgain) {
  absl::StatusOr<std::unique_ptr<PeerServer>> server = PeerServer::Start(Config());
  ASSERT_TRUE(server.ok()) << server.status();
  PeerChannels& channels = (*server)->channels();
  ASSERT_TRUE(channels.Join(Genesis()).ok());
  ASSERT_TRUE(std::filesystem::is_directory(dir_.Path("data/ledgers/healthchannel")));
  ASSERT_TRUE(channels.Remove(kChannelId).ok());
  EXPECT_TRUE(channels.List().empty());
  EXPECT_EQ(channels.Find(kChannelId), nullptr);
  EXPECT_FALSE(std::filesystem::exists(dir_.Path("data/ledgers/healthchannel")));
  EXPECT_EQ(channels.Remove(kChannelId).code(), absl::StatusCode::kNotFound);
  absl::StatusOr<participation::ChannelInfo> joined = channels.Join(Genesis());
  ASSERT_TRUE(joined.ok()) << joined.status();
  EXPECT_EQ(joined->height, 1u);
  EXPECT_EQ(joined->consensus_relation, participation::kRelationOther);
}

TEST_F(PeerServerTest, AnAuditPeerRefusesToEndorse) {
  absl::StatusOr<std::unique_ptr<PeerServer>> server = PeerServer::Start(Config("audit"));
  ASSERT_TRUE(server.ok()) << server.status();
  auto endorser = ::protos::Endorser::NewStub(Connect());
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  ::protos::ProposalResponse response;
  ASSERT_TRUE(endorser->ProcessProposal(&context, ::protos::SignedProposal(), &response).ok());
  EXPECT_EQ(response.response().status(), 500);
  EXPECT_EQ(response.response().message(), gateway::kAuditEndorseRefusal);
}

TEST_F(PeerServerTest, AGatewayCallForAChannelNotJoinedIsNotFound) {
  absl::StatusOr<std::unique_ptr<PeerServer>> server = PeerServer::Start(Config());
  ASSERT_TRUE(server.ok()) << server.status();
  auto gateway = ::gateway::Gateway::NewStub(Connect());
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  ::gateway::EvaluateRequest request;
  request.set_channel_id("nosuchchannel");
  ::gateway::EvaluateResponse response;
  const grpc::Status status = gateway->Evaluate(&context, request, &response);
  EXPECT_NE(status.error_code(), grpc::StatusCode::OK);
  EXPECT_NE(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(PeerServerTest, APortInUseIsAnErrorAndLeavesNothingRunning) {
  absl::StatusOr<std::unique_ptr<PeerServer>> first = PeerServer::Start(Config());
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<std::unique_ptr<PeerServer>> second = PeerServer::Start(Config());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(second.status().message()), HasSubstr("peer.listenAddress"));
}

TEST_F(PeerServerTest, AMissingSigningIdentityIsAnErrorNamingTheMspFolder) {
  std::filesystem::remove_all(dir_.Path("msp/keystore"));
  absl::StatusOr<std::unique_ptr<PeerServer>> server = PeerServer::Start(Config());
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(std::string(server.status().message()), HasSubstr("peer.mspConfigPath"));
}

// An empty request reaches the vault's own checks when the vault is enabled, and no service otherwise.
grpc::StatusCode VaultUploadCode(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = ::careledger::vault::Vault::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  ::careledger::vault::UploadResponse response;
  return stub->Upload(&context, ::careledger::vault::SignedVaultRequest(), &response).error_code();
}

TEST_F(PeerServerTest, TheVaultIsServedOnlyWhenEnabled) {
  {
    absl::StatusOr<std::unique_ptr<PeerServer>> server = PeerServer::Start(Config());
    ASSERT_TRUE(server.ok()) << server.status();
    EXPECT_EQ(VaultUploadCode(Connect()), grpc::StatusCode::UNIMPLEMENTED);
  }
  PeerConfig config = Config();
  config.vault.enabled = true;
  config.vault.master_key_file = dir_.Path("vault.key");
  ASSERT_TRUE(vault::GenerateMasterKeyFile(config.vault.master_key_file).ok());
  absl::StatusOr<std::unique_ptr<PeerServer>> server = PeerServer::Start(config);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ(VaultUploadCode(Connect()), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(PeerServerTest, AVaultKeyFileOthersCanReadStopsTheStart) {
  PeerConfig config = Config();
  config.vault.enabled = true;
  config.vault.master_key_file = dir_.Path("vault.key");
  ASSERT_TRUE(vault::GenerateMasterKeyFile(config.vault.master_key_file).ok());
  ASSERT_EQ(::chmod(config.vault.master_key_file.c_str(), 0644), 0);
  absl::StatusOr<std::unique_ptr<PeerServer>> server = PeerServer::Start(config);
  ASSERT_EQ(server.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(server.status().message()), HasSubstr("vault.masterKeyFile"));
  EXPECT_THAT(std::string(server.status().message()), HasSubstr("chmod 600"));
  // Nothing was left listening.
  config.vault.enabled = false;
  EXPECT_TRUE(PeerServer::Start(config).ok());
}

}  // namespace
}  // namespace careledger::peer
