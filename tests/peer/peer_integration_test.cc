// The peer as hospitals run it: real careledger-peer and careledger-orderer processes on 127.0.0.1
// (PeerNetwork), driven through their public interfaces — the channel participation API, the Gateway,
// Deliver, and Fabric's official Node Gateway client.
//
// Each test gets its own network (peer_network_test.h).
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/channelconfig/channel_config.h"
#include "common/file/file_io.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/peer/peer_network.h"
#include "tests/peer/peer_network_test.h"
#include "tests/testing/process.h"

namespace careledger::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The Node scenarios: six, each bounded by the script itself to two minutes.
constexpr absl::Duration kNodeTimeout = absl::Minutes(8);
constexpr char kBenchPolicy[] = "AND('Hospital1MSP.peer','Hospital2MSP.peer')";

using PeerIntegrationTest = PeerNetworkTest;

// Every node joins the channel PeerNetwork describes, from one genesis block naming both hospitals (each
// with its peer as anchor peer) and the regulator, and each peer delivers that block as it committed it.
TEST_F(PeerIntegrationTest, EveryNodeJoinsTheConsortiumChannel) {
  absl::Status up = net_->Up();
  ASSERT_TRUE(up.ok()) << up;
  const ::common::Block& genesis = net_->genesis_block();
  for (int i = 0; i < net_->orderers().size(); ++i) {
    EXPECT_TRUE(net_->orderers().WaitForHeight(i, net_->channel(), 1, kNetworkTimeout).ok()) << "orderer " << i;
  }
  for (int i = 0; i < net_->size(); ++i) {
    const std::string& name = net_->peer(i).name;
    absl::StatusOr<uint64_t> height = net_->Height(i, net_->channel());
    ASSERT_TRUE(height.ok()) << height.status();
    EXPECT_EQ(*height, 1u) << name;
    absl::StatusOr<std::vector<::common::Block>> blocks = net_->Blocks(i, net_->channel(), 0, 0);
    ASSERT_TRUE(blocks.ok()) << blocks.status();
    EXPECT_EQ(blocks->front().header().SerializeAsString(), genesis.header().SerializeAsString()) << name;
    EXPECT_EQ(blocks->front().data().SerializeAsString(), genesis.data().SerializeAsString()) << name;
    EXPECT_TRUE(absl::IsNotFound(net_->Height(i, "otherchannel").status())) << name;
  }

  absl::StatusOr<channelconfig::ChannelConfig> config = channelconfig::ChannelConfig::FromConfigBlock(genesis);
  ASSERT_TRUE(config.ok()) << config.status();
  std::vector<std::string> msp_ids;
  for (const channelconfig::ApplicationOrg& org : config->application_orgs()) msp_ids.push_back(org.msp_id);
  EXPECT_THAT(msp_ids, ElementsAre("Hospital1MSP", "Hospital2MSP", "RegulatorMSP"));
  for (int i : {PeerNetwork::kHospital1, PeerNetwork::kHospital2}) {
    const channelconfig::ApplicationOrg* org = config->FindApplicationOrg(net_->peer(i).msp_id);
    ASSERT_NE(org, nullptr);
    ASSERT_EQ(org->anchor_peers.size(), 1u) << org->name;
    EXPECT_EQ(absl::StrCat(org->anchor_peers[0].host, ":", org->anchor_peers[0].port), net_->address(i));
  }
  EXPECT_TRUE(config->FindApplicationOrg("RegulatorMSP")->anchor_peers.empty());
  EXPECT_EQ(config->FindApplicationOrg("OutsiderMSP"), nullptr);
}

// Every peer's generated core.yaml is one careledger-peer accepts as it stands.
TEST_F(PeerIntegrationTest, PeerConfigurationsAreAccepted) {
  for (int i = 0; i < net_->size(); ++i) {
    const PeerNetwork::Peer& p = net_->peer(i);
    ProcessOptions show;
    show.executable = CARELEDGER_PEER_BINARY;
    show.args = {"config", "show", "--config", p.config_path};
    show.log_path = p.dir + "/config-show.log";
    auto process = Process::Start(show);
    ASSERT_TRUE(process.ok()) << process.status();
    absl::StatusOr<int> code = (*process)->Wait(kNetworkTimeout);
    ASSERT_TRUE(code.ok()) << code.status();
    const std::string output = (*process)->ReadLog();
    EXPECT_EQ(*code, 0) << p.name << ":\n" << output;
    EXPECT_THAT(output, HasSubstr(absl::StrCat("127.0.0.1:", p.port))) << p.name;
    EXPECT_THAT(output, HasSubstr(p.audit ? "audit" : "endorsing")) << p.name;
  }
}

// Fabric's own Node Gateway client, unchanged, against two hospitals' peers and the regulator's audit peer:
// tests/gateway_node/gateway_client_test.js runs its scenarios and prints one line for each.
TEST_F(PeerIntegrationTest, GatewayNodeClient) {
  const std::string node = CARELEDGER_NODE_BINARY;
  ASSERT_FALSE(node.empty()) << "Node.js was not found when CMake ran: install the Debian packages nodejs and npm "
                                "(scripts/install-deps.sh) and configure again";
  const std::string script = std::string(CARELEDGER_GATEWAY_NODE_DIR) + "/gateway_client_test.js";
  ASSERT_TRUE(file::Exists(std::string(CARELEDGER_GATEWAY_NODE_DIR) + "/node_modules/@hyperledger/fabric-gateway"))
      << "the Node packages are not installed: run the gateway_node_npm_ci test first";

  absl::Status up = net_->Up();
  ASSERT_TRUE(up.ok()) << up;
  absl::Status defined = net_->DefineChaincode("bench", "builtin:bench", kBenchPolicy);
  ASSERT_TRUE(defined.ok()) << defined;
  const std::string config = dir_.path() + "/network.json";
  ASSERT_TRUE(net_->WriteNodeTestConfig(config, "bench").ok());

  ProcessOptions options;
  options.executable = node;
  options.args = {script, config};
  options.log_path = dir_.path() + "/gateway_client_test.log";
  auto client = Process::Start(options);
  ASSERT_TRUE(client.ok()) << client.status();
  absl::StatusOr<int> code = (*client)->Wait(kNodeTimeout);
  const std::string log = (*client)->ReadLog();
  std::cout << "gateway_client_test.js:\n" << log;
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 0) << "gateway_client_test.js failed; its output is above";
  // Exit 0 with every scenario run, the audit peer's included.
  if (*code == 0) {
    EXPECT_THAT(log, HasSubstr("6 of 6 scenarios passed"));
  }
}

// `careledger bench gateway`, the native load tool, for a few seconds through Hospital1's gateway (which
// collects both hospitals' endorsements): blind writes commit with no failure and the report names the sampled
// peers; read-modify-writes of one hot key conflict, and the report counts the conflicts by their validation
// code, as load.js does.
TEST_F(PeerIntegrationTest, CareledgerBenchGateway) {
  absl::Status up = net_->Up();
  ASSERT_TRUE(up.ok()) << up;
  absl::Status defined = net_->DefineChaincode("bench", "builtin:bench", kBenchPolicy);
  ASSERT_TRUE(defined.ok()) << defined;
  absl::StatusOr<UserFiles> alice = net_->User("Hospital1", "dr.alice");
  ASSERT_TRUE(alice.ok()) << alice.status();

  auto run = [&](const std::string& name, std::vector<std::string> extra) -> nlohmann::json {
    const std::string json_path = absl::StrCat(dir_.path(), "/", name, ".json");
    ProcessOptions options;
    options.executable = CARELEDGER_CLI_BINARY;
    options.args = {"bench", "gateway", "--gateway", net_->address(PeerNetwork::kHospital1), "--tls-ca", net_->tls_ca_file(PeerNetwork::kHospital1),
                    "--server-name", net_->peer(PeerNetwork::kHospital1).host, "--cert", alice->cert_path, "--key",
                    alice->key_path, "--msp-id", alice->msp_id, "--channel", net_->channel(), "--in-flight", "16",
                    "--warmup", "1", "--duration", "3", "--drain", "30", "--bound-seconds", "0.2", "--json", json_path,
                    "--pids",
                    absl::StrCat("hospital1=", net_->peer(PeerNetwork::kHospital1).process->pid(),
                                 ",hospital2=", net_->peer(PeerNetwork::kHospital2).process->pid())};
    options.args.insert(options.args.end(), extra.begin(), extra.end());
    options.log_path = absl::StrCat(dir_.path(), "/", name, ".log");
    auto bench = Process::Start(options);
    EXPECT_TRUE(bench.ok()) << bench.status();
    if (!bench.ok()) return nullptr;
    absl::StatusOr<int> code = (*bench)->Wait(kNetworkTimeout);
    const std::string log = (*bench)->ReadLog();
    std::cout << "careledger bench gateway (" << name << "):\n" << log;
    EXPECT_TRUE(code.ok() && *code == 0) << name << " failed; its output is above";
    absl::StatusOr<std::string> json = file::ReadFile(json_path);
    EXPECT_TRUE(json.ok()) << json.status() << "\n" << log;
    return json.ok() ? nlohmann::json::parse(*json) : nlohmann::json();
  };

  const nlohmann::json put = run("put", {});
  ASSERT_TRUE(put.is_object());
  EXPECT_GT(put["committedValid"].get<int64_t>(), 0);
  EXPECT_EQ(put["failuresInWindow"].get<int64_t>(), 0) << put["failureExamples"].dump();
  EXPECT_EQ(put["drain"], "ok");
  EXPECT_EQ(put["acknowledgedWithoutStatus"].get<int64_t>(), 0);
  EXPECT_GT(put["signatureBound"]["txPerSecond"].get<double>(), 0);
  std::vector<std::string> names;
  for (const nlohmann::json& p : put["processes"]) {
    names.push_back(p["name"].get<std::string>());
    EXPECT_GT(p["peakRssMB"].get<double>(), 0) << p.dump();
  }
  EXPECT_THAT(names, ElementsAre("hospital1", "hospital2", "load-client"));

  const nlohmann::json rmw = run("rmw", {"--function", "rmw", "--keys", "1"});
  ASSERT_TRUE(rmw.is_object());
  EXPECT_GT(rmw["committedValid"].get<int64_t>(), 0);
  EXPECT_GT(rmw["failuresByType"].value("invalid:MVCC_READ_CONFLICT", 0), 0) << rmw["failuresByType"].dump();
}

}  // namespace
}  // namespace careledger::testing
