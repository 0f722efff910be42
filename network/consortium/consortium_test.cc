#include "network/consortium/consortium.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::network {
namespace {

using ::testing::HasSubstr;

TEST(ConsortiumTest, SmallestFileGetsDefaults) {
  auto c = ParseConsortium("organizations:\n  - name: Hospital1\n", "c.yaml");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->name, "healthnet");
  ASSERT_EQ(c->organizations.size(), 1u);
  const OrganizationSpec& org = c->organizations[0];
  EXPECT_EQ(org.msp_id, "Hospital1MSP");
  EXPECT_EQ(org.domain, "hospital1.example.org");
  EXPECT_EQ(org.type, OrganizationType::kHospital);
  ASSERT_EQ(org.peers.size(), 1u);
  EXPECT_EQ(org.peers[0].name, "peer0");
  EXPECT_EQ(org.peers[0].role, PeerRole::kEndorsing);
  ASSERT_EQ(org.users.size(), 1u);
  EXPECT_EQ(org.users[0].name, "Admin");
  EXPECT_EQ(org.users[0].node_ou, msp::NodeRole::kAdmin);
}

TEST(ConsortiumTest, DefaultsPerOrganizationType) {
  auto c = ParseConsortium("organizations:\n  - {name: Reg, type: regulator}\n  - {name: Ord, type: orderer}\n", "c");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->organizations[0].peers[0].role, PeerRole::kAudit);
  EXPECT_EQ(c->organizations[1].orderers.size(), 1u);
  EXPECT_TRUE(c->organizations[1].peers.empty());
}

TEST(ConsortiumTest, UsersCarryRoleAndPersonAttributes) {
  auto c = ParseConsortium(R"(organizations:
  - name: Hospital1
    users:
      - name: dr.alice
        role: doctor
        personId: D-1001
        attributes: {department: cardiology}
)",
                           "c.yaml");
  ASSERT_TRUE(c.ok()) << c.status();
  const OrganizationSpec* org = c->FindOrganization("Hospital1MSP");
  ASSERT_NE(org, nullptr);
  ASSERT_EQ(org->users.size(), 2u);  // the Admin is added first
  const UserSpec& alice = org->users[1];
  EXPECT_EQ(alice.node_ou, msp::NodeRole::kClient);
  EXPECT_EQ(alice.attributes.at("role"), "doctor");
  EXPECT_EQ(alice.attributes.at("person_id"), "D-1001");
  EXPECT_EQ(alice.attributes.at("department"), "cardiology");
}

TEST(ConsortiumTest, RejectsWhatIsWrongWithPosition) {
  struct Case {
    const char* yaml;
    const char* message;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"organizations:\n  - name: H1\n    peerz: []\n", "c.yaml:3:5: organizations[0].peerz: unknown key"},
           {"organizations: []\n", "lists no organisation"},
           {"name: x\n", "organizations: missing required list"},
           {"organizations:\n  - name: H1\n    type: clinic\n", "expected hospital, regulator or orderer"},
           {"organizations:\n  - name: 'bad name'\n", "must be 1-63 letters"},
           {"organizations:\n  - name: H1\n  - name: H1\n", "two organisations share this name"},
           {"organizations:\n  - {name: H1, mspId: X}\n  - {name: H2, mspId: X}\n", "MSP ID X is used twice"},
           {"organizations:\n  - name: R\n    type: regulator\n    peers: [{name: p, role: endorsing}]\n",
            "regulators never endorse"},
           {"organizations:\n  - name: R\n    type: regulator\n    users: [{name: u, role: doctor}]\n",
            "a doctor belongs to a hospital organisation"},
           {"organizations:\n  - name: H\n    users: [{name: u, role: regulator}]\n",
            "a regulator belongs to the regulator organisation"},
           {"organizations:\n  - name: H\n    users: [{name: u, role: surgeon}]\n", "got \"surgeon\""},
           {"organizations:\n  - name: H\n    users: [{name: u}, {name: u}]\n", "name \"u\" appears twice"},
           {"organizations:\n  - name: O\n    type: orderer\n    peers: [{name: p}]\n", "runs orderers, not peers"},
           {"organizations:\n  - name: H\n    users: [{name: u, type: root}]\n", "expected client or admin"},
       }) {
    auto result = ParseConsortium(c.yaml, "c.yaml");
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.yaml;
    EXPECT_THAT(result.status().message(), HasSubstr(c.message)) << c.yaml;
  }
}

TEST(ConsortiumTest, ExampleFileParses) {
  auto c = LoadConsortium(std::string(CARELEDGER_SOURCE_DIR) + "/network/examples/healthnet.yaml");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->organizations.size(), 4u);
  EXPECT_TRUE(c->FindOrganization("Hospital1")->intermediate_ca);
  EXPECT_EQ(c->FindOrganization("Orderer")->orderers.size(), 3u);
  EXPECT_EQ(LoadConsortium("/nonexistent.yaml").status().code(), absl::StatusCode::kNotFound);
  // The example spells out the defaults: the same as the organisations alone.
  ASSERT_EQ(c->channels.size(), 1u);
  EXPECT_EQ(c->channels[0].name, "healthchannel");
  EXPECT_EQ(c->channels[0].chaincodes.size(), 2u);
  EXPECT_EQ(c->FindOrganization("Hospital1")->peers[0].port, 7080);
  EXPECT_EQ(c->FindOrganization("Hospital2")->peers[0].port, 7090);
}

constexpr char kHealthnetOrganizations[] = R"(organizations:
  - name: Hospital1
  - name: Hospital2
  - name: Regulator
    type: regulator
  - name: Orderer
    type: orderer
    orderers: [{name: orderer0}, {name: orderer1}, {name: orderer2}]
)";

TEST(ConsortiumTest, NodesGetPortsFromTheBase) {
  auto c = ParseConsortium(kHealthnetOrganizations, "c.yaml");
  ASSERT_TRUE(c.ok()) << c.status();
  const OrganizationSpec& orderer = *c->FindOrganization("Orderer");
  EXPECT_EQ(orderer.orderers[0].host, "127.0.0.1");
  EXPECT_EQ(orderer.orderers[0].port, 7050);
  EXPECT_EQ(orderer.orderers[0].cluster_port, 7051);
  EXPECT_EQ(orderer.orderers[0].admin_port, 7052);
  EXPECT_EQ(orderer.orderers[0].operations_port, 7053);
  EXPECT_EQ(orderer.orderers[2].port, 7070);
  const PeerSpec& h1 = c->FindOrganization("Hospital1")->peers[0];
  EXPECT_EQ(h1.port, 7080);
  EXPECT_EQ(h1.admin_port, 7081);
  EXPECT_EQ(h1.operations_port, 7082);
  EXPECT_EQ(c->FindOrganization("Regulator")->peers[0].port, 7100);
}

TEST(ConsortiumTest, NodesMayChooseHostAndPorts) {
  auto c = ParseConsortium(std::string("network: {host: 10.0.0.1, basePort: 20000}\n") + R"(organizations:
  - name: Hospital1
    peers:
      - {name: peer0, host: peer0.example.org, port: 9051}
  - name: Orderer
    type: orderer
)",
                           "c.yaml");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->FindOrganization("Orderer")->orderers[0].host, "10.0.0.1");
  EXPECT_EQ(c->FindOrganization("Orderer")->orderers[0].port, 20000);
  const PeerSpec& peer = c->FindOrganization("Hospital1")->peers[0];
  EXPECT_EQ(peer.host, "peer0.example.org");
  EXPECT_EQ(peer.port, 9051);
  EXPECT_EQ(peer.admin_port, 20011);  // node 1's block
}

TEST(ConsortiumTest, DefaultChannelHasEveryMemberAndBench) {
  auto c = ParseConsortium(kHealthnetOrganizations, "c.yaml");
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->channels.size(), 1u);
  const ChannelDescription& channel = c->channels[0];
  EXPECT_EQ(channel.name, "healthchannel");
  EXPECT_EQ(channel.organizations, (std::vector<std::string>{"Hospital1", "Hospital2", "Regulator"}));
  EXPECT_EQ(channel.batch.timeout, absl::Milliseconds(500));
  EXPECT_EQ(channel.batch.max_message_count, 500u);
  ASSERT_EQ(channel.chaincodes.size(), 2u);
  EXPECT_EQ(channel.chaincodes[0].name, "bench");
  EXPECT_EQ(channel.chaincodes[0].package_id, "builtin:bench");
  EXPECT_EQ(channel.chaincodes[0].version, "1.0");
  EXPECT_EQ(channel.chaincodes[0].sequence, 1);
  EXPECT_EQ(channel.chaincodes[0].endorsement_policy, "AND('Hospital1MSP.peer','Hospital2MSP.peer')");
  EXPECT_EQ(channel.chaincodes[1].name, "healthcare");
  EXPECT_EQ(channel.chaincodes[1].package_id, "builtin:healthcare");
  EXPECT_EQ(channel.chaincodes[1].endorsement_policy, channel.chaincodes[0].endorsement_policy);
}

TEST(ConsortiumTest, ChannelsAndChaincodesAreData) {
  auto c = ParseConsortium(std::string(kHealthnetOrganizations) + R"yaml(channels:
  - name: records
    organizations: [Hospital1MSP, Regulator]
    batch: {timeout: 1s, maxMessageCount: 10, absoluteMaxBytes: 1 MB}
    chaincodes:
      - name: ehr
        package: ehr_1.0:abcd
        version: "2.1"
        sequence: 3
        endorsementPolicy: "OR('Hospital1MSP.peer')"
      - name: bench
  - name: empty
    chaincodes: []
)yaml",
                           "c.yaml");
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->channels.size(), 2u);
  const ChannelDescription& records = c->channels[0];
  EXPECT_EQ(records.organizations, (std::vector<std::string>{"Hospital1", "Regulator"}));
  EXPECT_EQ(records.batch.timeout, absl::Seconds(1));
  EXPECT_EQ(records.batch.max_message_count, 10u);
  EXPECT_EQ(records.batch.absolute_max_bytes, 1048576u);  // Fabric's units: MB is 2^20 bytes
  EXPECT_EQ(records.batch.preferred_max_bytes, 1048576u);  // lowered to the absolute maximum
  ASSERT_EQ(records.chaincodes.size(), 2u);
  EXPECT_EQ(records.chaincodes[0].package_id, "ehr_1.0:abcd");
  EXPECT_EQ(records.chaincodes[0].version, "2.1");
  EXPECT_EQ(records.chaincodes[0].sequence, 3);
  EXPECT_EQ(records.chaincodes[1].endorsement_policy, "AND('Hospital1MSP.peer')");
  EXPECT_TRUE(c->channels[1].chaincodes.empty());
  EXPECT_EQ(c->channels[1].organizations.size(), 3u);
}

TEST(ConsortiumTest, NetworkErrorsNameTheKey) {
  const std::string orgs = kHealthnetOrganizations;
  for (const auto& [yaml, message] : std::vector<std::pair<std::string, std::string>>{
           {orgs + "channels:\n  - name: records\n    organizations: [Hospital9]\n", "no organisation \"Hospital9\""},
           {orgs + "channels:\n  - name: records\n    organizations: [Orderer]\n", "ordering organisation"},
           {orgs + "channels:\n  - name: Records\n", "channels[0].name"},
           {orgs + "channels:\n  - name: a\n  - name: a\n", "appears twice"},
           {orgs + "channels:\n  - name: a\n    colour: blue\n", "channels[0].colour: unknown key"},
           {orgs + "channels:\n  - name: a\n    chaincodes: [{name: x, sequence: 0}]\n", "sequence"},
           {orgs + "channels:\n  - name: a\n    organizations: [Regulator]\n    chaincodes: [{name: x}]\n",
            "endorsementPolicy"},
           {orgs + "network: {basePort: 65530}\n", "no port below 65536"},
           {orgs + "network: {colour: blue}\n", "network.colour: unknown key"},
           {"organizations:\n  - name: H1\n    peers: [{name: p0, port: 7050}, {name: p1, port: 7050}]\n",
            "both listen on 127.0.0.1:7050"},
           {"organizations:\n  - name: H1\n    peers: [{name: p0, port: 70000}]\n", "port"},
       }) {
    auto result = ParseConsortium(yaml, "c.yaml");
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << yaml;
    EXPECT_THAT(result.status().message(), HasSubstr(message)) << yaml;
  }
}

}  // namespace
}  // namespace careledger::network
