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

}  // namespace
}  // namespace careledger::testing
