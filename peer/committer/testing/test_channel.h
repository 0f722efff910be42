// Test-only (includes GoogleTest): the channel the committer's tests run against. It is channelconfig's test
// network ("healthchannel": Hospital1MSP, Hospital2MSP and the orderer organisation OrdererMSP, real PKIs) with
// its genesis block, parsed configuration (and so its real /Channel/Orderer/BlockValidation policy), the
// channel's MSP manager, and one identity of each kind the tests need.
#ifndef CARELEDGER_PEER_COMMITTER_TESTING_TEST_CHANNEL_H_
#define CARELEDGER_PEER_COMMITTER_TESTING_TEST_CHANNEL_H_

#include <memory>
#include <optional>
#include <string>

#include "common/channelconfig/channel_config.h"
#include "common/channelconfig/genesis.h"
#include "common/channelconfig/test_network.h"
#include "common/common.pb.h"
#include "common/policies/policy.h"
#include "gtest/gtest.h"
#include "msp/msp_manager.h"
#include "msp/signing_identity.h"

namespace careledger::committer::testing {

struct TestChannel {
  std::string id;
  ::common::Block genesis;
  std::optional<channelconfig::ChannelConfig> config;
  std::unique_ptr<msp::MspManager> msps;
  const policies::Policy* block_validation = nullptr;  // owned by config

  msp::SigningIdentity client1;  // Hospital1MSP client: creates transactions
  msp::SigningIdentity peer1;    // Hospital1MSP peer: endorses
  msp::SigningIdentity peer1b;   // a second Hospital1MSP peer
  msp::SigningIdentity peer2;    // Hospital2MSP peer
  msp::SigningIdentity orderer;  // OrdererMSP orderer: signs blocks
  msp::SigningIdentity outsider;  // Hospital3MSP peer: an organisation not in the channel
};

// Built once (issuing certificates is the slow part); immutable afterwards.
inline const TestChannel& Channel() {
  static const TestChannel* channel = [] {
    const auto& net = channelconfig::testing::Network();
    auto* c = new TestChannel{
        .id = "",
        .genesis = {},
        .config = std::nullopt,
        .msps = nullptr,
        .block_validation = nullptr,
        .client1 = net.hospital1().Issue("client1.hospital1.example.org", msp::NodeRole::kClient),
        .peer1 = net.hospital1().Issue("peer0.hospital1.example.org", msp::NodeRole::kPeer),
        .peer1b = net.hospital1().Issue("peer1.hospital1.example.org", msp::NodeRole::kPeer),
        .peer2 = net.hospital2().Issue("peer0.hospital2.example.org", msp::NodeRole::kPeer),
        .orderer = net.orderer_org().Issue("orderer0.orderer.example.org", msp::NodeRole::kOrderer),
        .outsider = net.hospital3().Issue("peer0.hospital3.example.org", msp::NodeRole::kPeer),
    };
    const channelconfig::ChannelSpec spec = net.Spec();
    c->id = spec.channel_id;
    absl::StatusOr<::common::Block> genesis = channelconfig::CreateGenesisBlock(spec);
    EXPECT_TRUE(genesis.ok()) << genesis.status();
    c->genesis = *std::move(genesis);
    absl::StatusOr<channelconfig::ChannelConfig> config = channelconfig::ChannelConfig::FromConfigBlock(c->genesis);
    EXPECT_TRUE(config.ok()) << config.status();
    c->config = *std::move(config);
    c->msps = channelconfig::testing::MspManagerFor(*c->config);
    c->block_validation = c->config->policy_manager().Get("/Channel/Orderer/BlockValidation");
    EXPECT_NE(c->block_validation, nullptr);
    return c;
  }();
  return *channel;
}

}  // namespace careledger::committer::testing

#endif  // CARELEDGER_PEER_COMMITTER_TESTING_TEST_CHANNEL_H_
