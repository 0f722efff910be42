#include "network/launcher/network_state.h"

#include "common/file/file_io.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::launcher {
namespace {

using ::testing::HasSubstr;

NodeState Node(std::string name, NodeKind kind) {
  NodeState n;
  n.name = std::move(name);
  n.kind = kind;
  n.role = kind == NodeKind::kOrderer ? "orderer" : "endorsing";
  n.organization = "Org";
  n.msp_id = "OrgMSP";
  n.host = "127.0.0.1";
  n.port = 7050;
  n.cluster_port = kind == NodeKind::kOrderer ? 7051 : 0;
  n.admin_port = 7052;
  n.operations_port = 7053;
  n.identity_dir = "/crypto/" + n.name;
  n.dir = "/net/" + n.name;
  n.config_path = n.dir + "/node.yaml";
  n.log_path = n.dir + "/node.log";
  return n;
}

NetworkState Sample() {
  NetworkState state;
  state.consortium = "healthnet";
  state.config_path = "/net/consortium.yaml";
  state.up_complete = true;
  state.channels.push_back({"healthchannel", "/net/channels/healthchannel.block"});
  state.organizations.push_back({"Hospital1", "Hospital1MSP", "hospital", "/crypto/users/Admin"});
  state.nodes.push_back(Node("orderer0.orderer.example.org", NodeKind::kOrderer));
  state.nodes.push_back(Node("orderer1.orderer.example.org", NodeKind::kOrderer));
  state.nodes.push_back(Node("peer0.hospital1.example.org", NodeKind::kPeer));
  state.nodes.back().pid = 4242;
  state.nodes.back().start_time = 123456789012;
  state.nodes.back().executable = "/bin/careledger-peer";
  return state;
}

TEST(NetworkStateTest, RoundTripsThroughJson) {
  const NetworkState state = Sample();
  absl::StatusOr<NetworkState> back = ParseNetworkState(SerializeNetworkState(state), "network.json");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(SerializeNetworkState(*back), SerializeNetworkState(state));
  ASSERT_EQ(back->nodes.size(), 3u);
  EXPECT_TRUE(back->up_complete);
  EXPECT_EQ(back->nodes[0].kind, NodeKind::kOrderer);
  EXPECT_EQ(back->nodes[0].cluster_port, 7051);
  EXPECT_EQ(back->nodes[2].pid, 4242);
  EXPECT_EQ(back->nodes[2].start_time, 123456789012u);
  EXPECT_EQ(back->nodes[2].Address(), "127.0.0.1:7050");
  EXPECT_EQ(back->nodes[2].AdminAddress(), "127.0.0.1:7052");
  EXPECT_EQ(back->nodes[2].TlsCaFile(), "/crypto/peer0.hospital1.example.org/tls/ca.crt");
}

TEST(NetworkStateTest, ReadsAndWritesTheFolder) {
  careledger::testing::ScopedTempDir dir;
  EXPECT_EQ(ReadNetworkState(dir.path()).status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(WriteNetworkState(dir.path(), Sample()).ok());
  absl::StatusOr<NetworkState> read = ReadNetworkState(dir.path());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->channels.at(0).name, "healthchannel");
  EXPECT_EQ(read->FindOrganization("Hospital1MSP")->admin_dir, "/crypto/users/Admin");
}

TEST(NetworkStateTest, FindsNodesByNameOrUniquePrefix) {
  const NetworkState state = Sample();
  EXPECT_EQ((*state.FindNode("peer0"))->name, "peer0.hospital1.example.org");
  EXPECT_EQ((*state.FindNode("peer0.hospital1"))->name, "peer0.hospital1.example.org");
  EXPECT_EQ((*state.FindNode("orderer1.orderer.example.org"))->name, "orderer1.orderer.example.org");
  EXPECT_EQ(state.FindNode("orderer").status().code(), absl::StatusCode::kNotFound);  // not up to a '.'
  absl::StatusOr<const NodeState*> missing = state.FindNode("peer9");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("orderer0.orderer.example.org"));
  NetworkState two = state;
  two.nodes.push_back(Node("peer0.hospital2.example.org", NodeKind::kPeer));
  EXPECT_EQ(two.FindNode("peer0").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(NetworkStateTest, RejectsWhatIsNotTheSchema) {
  const std::string good = SerializeNetworkState(Sample());
  for (const auto& [text, message] : std::vector<std::pair<std::string, std::string>>{
           {"{", "not JSON"},
           {"[]", "is not an object"},
           {"{\"version\": 1}", "consortium is missing"},
           {"{\"version\": 2, \"consortium\": \"x\", \"config\": \"c\", \"channels\": [], \"organizations\": [], "
            "\"nodes\": []}",
            "version 2"},
           {"{\"version\": 1, \"consortium\": \"x\", \"config\": \"c\", \"channels\": [], \"organizations\": [], "
            "\"nodes\": [{\"name\": \"n\"}]}",
            "nodes[0].kind is missing"},
       }) {
    absl::StatusOr<NetworkState> parsed = ParseNetworkState(text, "net.json");
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(parsed.status().message(), HasSubstr(message)) << text;
  }
  std::string bad_port = good;
  bad_port.replace(bad_port.find("\"port\": 7050"), 12, "\"port\": 70000");
  EXPECT_THAT(ParseNetworkState(bad_port, "net.json").status().message(), HasSubstr("nodes[0].port"));
}

}  // namespace
}  // namespace careledger::launcher
