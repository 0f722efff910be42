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
}

}  // namespace
}  // namespace careledger::network
