// ClientEnvironment and the network_user.h lookups it is built on.
#include "network/launcher/client_environment.h"

#include <map>
#include <string>

#include "absl/time/clock.h"
#include "common/file/file_io.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "network/launcher/network_layout.h"
#include "network/launcher/network_user.h"

namespace careledger::launcher {
namespace {

using ::testing::HasSubstr;

constexpr char kConsortium[] = R"(name: testnet
network: {basePort: 22000}
organizations:
  - name: Hospital1
    users: [{name: dr.alice, role: doctor, personId: D-1}]
  - name: Hospital2
    users: [{name: dr.alice, role: doctor, personId: D-2}, {name: dr.carol, role: doctor, personId: D-3}]
  - name: Regulator
    type: regulator
    users: [{name: inspector, role: regulator, personId: R-1}]
  - name: Orderer
    type: orderer
    orderers: [{name: orderer0}]
)";

class ClientEnvironmentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<network::Consortium> consortium = network::ParseConsortium(kConsortium, "c.yaml");
    ASSERT_TRUE(consortium.ok()) << consortium.status();
    LayoutOptions options;
    options.now = absl::Now();
    absl::StatusOr<NetworkState> state = GenerateNetwork(*consortium, kConsortium, dir_.path() + "/net", options);
    ASSERT_TRUE(state.ok()) << state.status();
    state_ = *std::move(state);
  }

  std::map<std::string, std::string> For(const std::string& user) {
    absl::StatusOr<std::vector<std::pair<std::string, std::string>>> env = ClientEnvironment(state_, {user, "bench"});
    EXPECT_TRUE(env.ok()) << env.status();
    return env.ok() ? std::map<std::string, std::string>(env->begin(), env->end())
                    : std::map<std::string, std::string>();
  }

  careledger::testing::ScopedTempDir dir_;
  NetworkState state_;
};

TEST_F(ClientEnvironmentTest, PointsAUserAtTheirOrganisationsPeerWithFilesThatExist) {
  std::map<std::string, std::string> env = For("dr.carol");
  EXPECT_EQ(env["GW_ENDPOINT"], "127.0.0.1:22020");  // orderer0 takes 22000, Hospital1's peer 22010
  EXPECT_EQ(env["GW_HOST"], "peer0.hospital2.example.org");
  EXPECT_EQ(env["GW_MSP"], "Hospital2MSP");
  EXPECT_EQ(env["GW_CHANNEL"], "healthchannel");
  EXPECT_EQ(env["GW_CC"], "bench");
  for (const char* file : {"GW_TLS_CA", "GW_CERT", "GW_KEY"}) {
    EXPECT_TRUE(file::Exists(env[file])) << file << " = " << env[file];
  }
  EXPECT_THAT(env["GW_CERT"], HasSubstr("/dr.carol@hospital2.example.org/"));
}

TEST_F(ClientEnvironmentTest, AFullNameSettlesAnAmbiguousOneAndTheDefaultIsTheFirstHospitalsAdmin) {
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ambiguous =
      ClientEnvironment(state_, {"dr.alice", "bench"});
  EXPECT_EQ(ambiguous.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(ambiguous.status().message()), HasSubstr("several organisations"));
  EXPECT_EQ(For("dr.alice@hospital2.example.org")["GW_MSP"], "Hospital2MSP");
  std::map<std::string, std::string> admin = For("");
  EXPECT_EQ(admin["GW_MSP"], "Hospital1MSP");
  EXPECT_THAT(admin["GW_CERT"], HasSubstr("/Admin@hospital1.example.org/"));
}

TEST_F(ClientEnvironmentTest, PointsARegulatorAtItsAuditPeerAndRefusesUnknownUsers) {
  EXPECT_EQ(For("inspector")["GW_HOST"], "audit0.regulator.example.org");
  EXPECT_EQ(ClientEnvironment(state_, {"dr.nobody", "bench"}).status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> orderer_admin =
      ClientEnvironment(state_, {"Admin@orderer.example.org", "bench"});
  EXPECT_EQ(orderer_admin.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(orderer_admin.status().message()), HasSubstr("Orderer has no peer"));
}

TEST_F(ClientEnvironmentTest, ConnectsAUserAsThemselvesThroughTheirOrganisationsPeer) {
  absl::StatusOr<UserConnection> alice = ConnectNetworkUser(state_, {"dr.alice@hospital1.example.org", "", ""});
  ASSERT_TRUE(alice.ok()) << alice.status();
  EXPECT_EQ(alice->user.name, "dr.alice@hospital1.example.org");
  EXPECT_EQ(alice->peer->name, "peer0.hospital1.example.org");
  EXPECT_EQ(alice->endpoint.address, "127.0.0.1:22010");
  EXPECT_EQ(alice->endpoint.server_name_override, "peer0.hospital1.example.org");
  EXPECT_THAT(alice->endpoint.tls_root_certs_pem, HasSubstr("BEGIN CERTIFICATE"));
  EXPECT_EQ(alice->signer->msp_id(), "Hospital1MSP");
  EXPECT_EQ(alice->channel, "healthchannel");
  EXPECT_EQ(alice->gateway.address(), "127.0.0.1:22010");
}

TEST_F(ClientEnvironmentTest, GoesThroughAnotherPeerWhenAskedAndTheRegulatorThroughItsAuditPeer) {
  absl::StatusOr<UserConnection> alice =
      ConnectNetworkUser(state_, {"dr.alice@hospital1.example.org", "peer0.hospital2.example.org", "healthchannel"});
  ASSERT_TRUE(alice.ok()) << alice.status();
  EXPECT_EQ(alice->peer->name, "peer0.hospital2.example.org");
  EXPECT_EQ(alice->signer->msp_id(), "Hospital1MSP");
  absl::StatusOr<UserConnection> inspector = ConnectNetworkUser(state_, {"inspector", "", ""});
  ASSERT_TRUE(inspector.ok()) << inspector.status();
  EXPECT_EQ(inspector->peer->name, "audit0.regulator.example.org");
  EXPECT_EQ(inspector->signer->msp_id(), "RegulatorMSP");
}

TEST_F(ClientEnvironmentTest, RefusesUnknownUsersPeersAndChannels) {
  EXPECT_EQ(ConnectNetworkUser(state_, {"dr.nobody", "", ""}).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ConnectNetworkUser(state_, {"dr.alice@hospital1.example.org", "peer9.nowhere", ""}).status().code(),
            absl::StatusCode::kNotFound);
  absl::StatusOr<UserConnection> to_orderer =
      ConnectNetworkUser(state_, {"dr.alice@hospital1.example.org", "orderer0.orderer.example.org", ""});
  EXPECT_EQ(to_orderer.status().code(), absl::StatusCode::kInvalidArgument);
  absl::StatusOr<UserConnection> channel =
      ConnectNetworkUser(state_, {"dr.alice@hospital1.example.org", "", "otherchannel"});
  EXPECT_EQ(channel.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(channel.status().message()), HasSubstr("otherchannel"));
}

TEST(FormatExportsTest, QuotesForTheShell) {
  EXPECT_EQ(FormatExports({{"GW_CC", "bench"}, {"GW_KEY", "/a b/it's"}}),
            "export GW_CC='bench'\nexport GW_KEY='/a b/it'\\''s'\n");
}

}  // namespace
}  // namespace careledger::launcher
