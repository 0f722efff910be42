// The orderer node as `careledger-orderer` runs it, in-process: configuration in, real listeners on
// 127.0.0.1, real channels in a temporary folder. These cases cover the operations endpoint.
#include "orderer/server/orderer_server.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/channelconfig/genesis.h"
#include "common/file/file_io.h"
#include "common/logging/registry.h"
#include "common/participation/participation_client.h"
#include "common/status_macros.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "common/metrics/testing/sample_value.h"
#include "httplib.h"
#include "msp/msp_dir.h"
#include "msp/testing/test_org.h"
#include "nlohmann/json.hpp"
#include "orderer/cluster/testing/test_tls.h"
#include "tests/testing/process.h"

namespace careledger::orderer {
namespace {

using ::testing::HasSubstr;
using metrics::testing::SampleValue;

constexpr char kChannelId[] = "opschannel";

class OrdererServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto [cert, key] = orderer_org_.IssueWithKey("orderer0.example.org", {"orderer"});
    msp::MspFolder folder;
    folder.ca_certs = {orderer_org_.root_cert()};
    folder.sign_cert = cert;
    folder.private_key = std::move(key);
    ASSERT_TRUE(msp::WriteMspFolder(dir_.Path("msp"), folder).ok());
    // One TLS identity for every listener, at the paths the configuration's defaults name.
    tls_ = cluster::testing::IssueTls(tls_ca_, "orderer0", &tls_cert_);
    ASSERT_TRUE(file::CreateDirectories(dir_.Path("tls")).ok());
    ASSERT_TRUE(file::WriteFileAtomic(dir_.Path("tls/server.crt"), tls_.certificate_pem).ok());
    ASSERT_TRUE(file::WriteFileAtomic(dir_.Path("tls/server.key"), tls_.private_key_pem, 0600).ok());
    ASSERT_TRUE(file::WriteFileAtomic(dir_.Path("tls/ca.crt"), tls_ca_.cert.ToPem()).ok());
    for (uint16_t* port : {&port_, &cluster_port_, &admin_port_, &operations_port_}) {
      absl::StatusOr<uint16_t> picked = careledger::testing::PickUnusedPort();
      ASSERT_TRUE(picked.ok()) << picked.status();
      *port = *picked;
    }
  }

  OrdererConfig Config() const {
    const std::string yaml = absl::StrCat(
        "General:\n"
        "  ListenAddress: 127.0.0.1\n"
        "  ListenPort: ", port_, "\n"
        "  LocalMSPID: OrdererMSP\n"
        "  Cluster:\n"
        "    ListenAddress: 127.0.0.1\n"
        "    ListenPort: ", cluster_port_, "\n"
        "FileLedger:\n"
        "  Location: ", dir_.Path("data"), "\n"
        "Admin:\n"
        "  ListenAddress: 127.0.0.1:", admin_port_, "\n"
        "Operations:\n"
        "  ListenAddress: 127.0.0.1:", operations_port_, "\n");
    absl::StatusOr<OrdererConfig> config =
        ParseOrdererConfig(yaml, dir_.Path("orderer.yaml"), config::Environment(config::Environment::VariableMap{}));
    EXPECT_TRUE(config.ok()) << config.status();
    return *config;
  }

  ::common::Block Genesis() const {
    channelconfig::ChannelSpec spec;
    spec.channel_id = kChannelId;
    spec.application_orgs.push_back({"Hospital1", "Hospital1MSP", hospital_.MspConfig(), {}, {}});
    spec.orderer_orgs.push_back(
        {"Orderer", "OrdererMSP", orderer_org_.MspConfig(), {absl::StrCat("127.0.0.1:", port_)}, {}});
    spec.consenters.push_back({"127.0.0.1", cluster_port_, tls_.certificate_pem, tls_.certificate_pem, "OrdererMSP"});
    absl::StatusOr<::common::Block> genesis = channelconfig::CreateGenesisBlock(spec);
    EXPECT_TRUE(genesis.ok()) << genesis.status();
    return *genesis;
  }

  absl::Status Join() const {
    participation::ParticipationClientOptions options;
    options.address = absl::StrCat("127.0.0.1:", admin_port_);
    options.ca_file = dir_.Path("tls/ca.crt");
    options.client_cert_file = dir_.Path("tls/server.crt");
    options.client_key_file = dir_.Path("tls/server.key");
    ASSIGN_OR_RETURN(participation::ParticipationClient client, participation::ParticipationClient::Create(options));
    ASSIGN_OR_RETURN(participation::ParticipationReply reply, client.Join(Genesis().SerializeAsString()));
    if (reply.status != 201) return absl::InternalError(absl::StrCat("join: ", reply.status, " ", reply.body));
    return absl::OkStatus();
  }

  // GET `path` from the operations endpoint (plain HTTP: Operations.TLS is off by default).
  httplib::Result Get(const std::string& path) const {
    httplib::Client client("127.0.0.1", operations_port_);
    return client.Get(path.c_str());
  }

  careledger::testing::ScopedTempDir dir_;
  msp::testing::TestOrg orderer_org_{"OrdererMSP"};
  msp::testing::TestOrg hospital_{"Hospital1MSP"};
  cluster::testing::TlsCa tls_ca_ = cluster::testing::MakeTlsCa("tlsca.orderer");
  crypto::Certificate tls_cert_{nullptr};
  cluster::ClusterTls tls_;
  uint16_t port_ = 0, cluster_port_ = 0, admin_port_ = 0, operations_port_ = 0;
};

TEST_F(OrdererServerTest, TheOperationsEndpointReportsHealthRaftLeadershipAndHeight) {
  absl::StatusOr<std::unique_ptr<OrdererServer>> server = OrdererServer::Start(Config());
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ((*server)->operations_port(), operations_port_);

  httplib::Result health = Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  httplib::Result metrics = Get("/metrics");
  ASSERT_TRUE(metrics);
  ASSERT_EQ(metrics->status, 200);
  EXPECT_EQ(SampleValue(metrics->body, "broadcast_processed_count{status=\"SUCCESS\"}"), 0);
  EXPECT_THAT(metrics->body, HasSubstr("# TYPE grpc_server_unary_requests_completed counter"));

  ASSERT_TRUE(Join().ok());
  // The only consenter elects itself; the sampler then shows it as leader of a chain of one block.
  const std::string channel = absl::StrCat("{channel=\"", kChannelId, "\"}");
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  bool leader = false;
  while (!leader && absl::Now() < deadline) {
    metrics = Get("/metrics");
    ASSERT_TRUE(metrics);
    leader = SampleValue(metrics->body, "consensus_etcdraft_is_leader" + channel) == 1;
    if (!leader) absl::SleepFor(absl::Milliseconds(50));
  }
  ASSERT_TRUE(leader) << metrics->body;
  EXPECT_EQ(SampleValue(metrics->body, "consensus_etcdraft_leader_changes" + channel), 1);
  EXPECT_GE(SampleValue(metrics->body, "consensus_etcdraft_term" + channel), 1);
  EXPECT_EQ(SampleValue(metrics->body, "ledger_blockchain_height" + channel), 1);

  health = Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200) << health->body;

  httplib::Client client("127.0.0.1", operations_port_);
  httplib::Result changed = client.Put("/logspec", R"({"spec":"info:orderer.raft=debug"})", "application/json");
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->status, 204);
  httplib::Result spec = Get("/logspec");
  ASSERT_TRUE(spec);
  EXPECT_THAT(nlohmann::json::parse(spec->body)["spec"].get<std::string>(), HasSubstr("orderer.raft=debug"));
  ASSERT_TRUE(logging::Registry::Global().SetSpec("info").ok());
}

TEST_F(OrdererServerTest, AnOperationsPortInUseIsAnErrorAndLeavesNothingRunning) {
  httplib::Server squatter;
  squatter.set_socket_options([](socket_t) {});  // not httplib's SO_REUSEPORT, which would let both bind
  ASSERT_TRUE(squatter.bind_to_port("127.0.0.1", operations_port_));
  absl::StatusOr<std::unique_ptr<OrdererServer>> server = OrdererServer::Start(Config());
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(server.status().message()), HasSubstr("operations listener"));
  // Everything it had started is stopped: the public port is free again.
  httplib::Server probe;
  probe.set_socket_options([](socket_t) {});
  EXPECT_TRUE(probe.bind_to_port("127.0.0.1", port_));
}

}  // namespace
}  // namespace careledger::orderer
