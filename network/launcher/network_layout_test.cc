#include "network/launcher/network_layout.h"

#include <sys/stat.h>

#include "absl/time/clock.h"
#include "common/common.pb.h"
#include "common/file/file_io.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "peer/vault/master_key.h"

namespace careledger::launcher {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kConsortium[] = R"(name: testnet
network: {basePort: 21000}
organizations:
  - name: Hospital1
  - name: Hospital2
  - name: Regulator
    type: regulator
  - name: Orderer
    type: orderer
    orderers: [{name: orderer0}, {name: orderer1}, {name: orderer2}]
)";

class NetworkLayoutTest : public ::testing::Test {
 protected:
  absl::StatusOr<NetworkState> Generate(const std::string& yaml) {
    absl::StatusOr<network::Consortium> consortium = network::ParseConsortium(yaml, "c.yaml");
    if (!consortium.ok()) return consortium.status();
    LayoutOptions options;
    options.now = absl::Now();
    return GenerateNetwork(*consortium, yaml, dir_.path() + "/net", options);
  }

  careledger::testing::ScopedTempDir dir_;
};

TEST_F(NetworkLayoutTest, WritesEveryNodesFilesAndTheState) {
  absl::StatusOr<NetworkState> state = Generate(kConsortium);
  ASSERT_TRUE(state.ok()) << state.status();
  const std::string net = dir_.path() + "/net";
  ASSERT_EQ(state->nodes.size(), 6u);
  EXPECT_EQ(state->nodes[0].name, "orderer0.orderer.example.org");
  EXPECT_EQ(state->nodes[0].kind, NodeKind::kOrderer);
  EXPECT_EQ(state->nodes[0].port, 21000);
  EXPECT_EQ(state->nodes[0].cluster_port, 21001);
  EXPECT_EQ(state->nodes[3].name, "peer0.hospital1.example.org");
  EXPECT_EQ(state->nodes[3].role, "endorsing");
  EXPECT_EQ(state->nodes[3].port, 21030);
  EXPECT_EQ(state->nodes[5].name, "audit0.regulator.example.org");
  EXPECT_EQ(state->nodes[5].role, "audit");
  for (const NodeState& n : state->nodes) {
    EXPECT_EQ(n.pid, 0) << n.name;
    EXPECT_TRUE(file::Exists(n.config_path)) << n.config_path;
    EXPECT_TRUE(file::Exists(n.identity_dir + "/tls/server.crt")) << n.name;
    EXPECT_TRUE(file::Exists(n.TlsCaFile())) << n.name;
    EXPECT_EQ(n.dir, net + "/" + n.name);
    EXPECT_EQ(n.log_path, n.dir + "/node.log");
  }
  for (const OrganizationState& org : state->organizations) {
    EXPECT_TRUE(file::Exists(org.admin_dir + "/tls/client.crt")) << org.name;
    EXPECT_TRUE(file::Exists(org.admin_dir + "/msp/signcerts/cert.pem")) << org.name;
  }
  EXPECT_EQ(*file::ReadFile(net + "/consortium.yaml"), kConsortium);

  ASSERT_EQ(state->channels.size(), 1u);
  EXPECT_EQ(state->channels[0].name, "healthchannel");
  ::common::Block genesis;
  ASSERT_TRUE(genesis.ParseFromString(*file::ReadFile(state->channels[0].genesis_block_path)));
  EXPECT_EQ(genesis.header().number(), 0u);

  absl::StatusOr<NetworkState> read = ReadNetworkState(net);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(SerializeNetworkState(*read), SerializeNetworkState(*state));
}

TEST_F(NetworkLayoutTest, ConfigurationsUseTlsEverywhere) {
  absl::StatusOr<NetworkState> state = Generate(kConsortium);
  ASSERT_TRUE(state.ok()) << state.status();
  const std::string orderer = *file::ReadFile(state->nodes[0].config_path);
  EXPECT_THAT(orderer, HasSubstr("ListenPort: 21000\n"));
  EXPECT_THAT(orderer, HasSubstr("  Cluster:\n    ListenAddress: 127.0.0.1\n    ListenPort: 21001\n"));
  EXPECT_THAT(orderer, HasSubstr("Admin:\n  ListenAddress: 127.0.0.1:21002\n  TLS:\n    Enabled: true\n"));
  EXPECT_THAT(orderer, HasSubstr("ClientAuthRequired: true\n"));
  EXPECT_THAT(orderer, HasSubstr("Operations:\n  ListenAddress: 127.0.0.1:21003\n"));
  EXPECT_THAT(orderer, HasSubstr("LocalMSPID: OrdererMSP\n"));
  const std::string peer = *file::ReadFile(state->nodes[3].config_path);
  EXPECT_THAT(peer, HasSubstr("  id: peer0.hospital1.example.org\n"));
  EXPECT_THAT(peer, HasSubstr("  listenAddress: 127.0.0.1:21030\n  tls:\n    enabled: true\n"));
  EXPECT_THAT(peer, HasSubstr("    listenAddress: 127.0.0.1:21031\n    tls:\n      enabled: true\n"
                              "      clientAuthRequired: true\n"));
  EXPECT_THAT(peer, HasSubstr("operations:\n  listenAddress: 127.0.0.1:21032\nmetrics:\n  provider: prometheus\n"));
  EXPECT_THAT(peer, HasSubstr("  role: endorsing\n"));
  EXPECT_THAT(*file::ReadFile(state->nodes[5].config_path), HasSubstr("  role: audit\n"));
}

TEST_F(NetworkLayoutTest, EndorsingPeersHostAVaultWithAPrivateKeyKeptAcrossRegenerations) {
  absl::StatusOr<NetworkState> state = Generate(kConsortium);
  ASSERT_TRUE(state.ok()) << state.status();
  const NodeState& endorsing = state->nodes[3];
  const std::string peer = *file::ReadFile(endorsing.config_path);
  EXPECT_THAT(peer, HasSubstr("vault:\n  enabled: true\n  masterKeyFile: " + VaultKeyFile(endorsing) + "\n"));
  struct stat st {};
  ASSERT_EQ(::stat(VaultKeyFile(endorsing).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_TRUE(vault::LoadMasterKey(VaultKeyFile(endorsing)).ok());
  const std::string key = *file::ReadFile(VaultKeyFile(endorsing));

  const NodeState& audit = state->nodes[5];
  EXPECT_THAT(*file::ReadFile(audit.config_path), Not(HasSubstr("vault:")));
  EXPECT_FALSE(file::Exists(VaultKeyFile(audit)));

  ASSERT_TRUE(Generate(kConsortium).ok());
  EXPECT_EQ(*file::ReadFile(VaultKeyFile(endorsing)), key);
}

TEST_F(NetworkLayoutTest, OneGenesisBlockPerChannel) {
  absl::StatusOr<NetworkState> state = Generate(std::string(kConsortium) +
                                                "channels:\n  - name: records\n    organizations: [Hospital1]\n"
                                                "  - name: audit\n");
  ASSERT_TRUE(state.ok()) << state.status();
  ASSERT_EQ(state->channels.size(), 2u);
  EXPECT_TRUE(file::Exists(dir_.path() + "/net/channels/records.block"));
  EXPECT_TRUE(file::Exists(dir_.path() + "/net/channels/audit.block"));
}

TEST_F(NetworkLayoutTest, NeedsAnOrdererAndAChannel) {
  absl::StatusOr<NetworkState> no_orderer = Generate("organizations:\n  - name: Hospital1\n");
  EXPECT_EQ(no_orderer.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(no_orderer.status().message(), HasSubstr("no orderer node"));
  absl::StatusOr<NetworkState> no_channel = Generate("organizations:\n  - {name: Orderer, type: orderer}\n");
  EXPECT_EQ(no_channel.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(no_channel.status().message(), HasSubstr("no channel"));
  EXPECT_FALSE(file::Exists(dir_.path() + "/net/network.json"));
}

}  // namespace
}  // namespace careledger::launcher
