// Where the gateway finds other organisations' peers and the orderers: the channel configuration.
#include "common/channelconfig/genesis.h"
#include "common/channelconfig/test_network.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "peer/gateway/endorsing_peers.h"
#include "peer/gateway/orderer_broadcaster.h"

namespace careledger::gateway {
namespace {

channelconfig::ChannelConfig ConfigOf(const channelconfig::ChannelSpec& spec) {
  auto config = channelconfig::BuildChannelConfig(spec);
  EXPECT_TRUE(config.ok()) << config.status();
  auto parsed = channelconfig::ChannelConfig::FromConfig(*config, spec.channel_id);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return *std::move(parsed);
}

TEST(EndpointsTest, AnchorPeersComeWithTheirOrganisationsTlsRoots) {
  channelconfig::ChannelSpec spec = channelconfig::testing::Network().Spec();
  spec.application_orgs[1].msp_config.clear_tls_root_certs();
  spec.application_orgs[1].msp_config.add_tls_root_certs("ROOT OF HOSPITAL2\n");
  spec.application_orgs[1].msp_config.add_tls_intermediate_certs("INTERMEDIATE OF HOSPITAL2");
  spec.application_orgs[1].anchor_peers = {{"peer0.hospital2.example.org", 7051},
                                           {"peer1.hospital2.example.org", 8051}};
  const std::vector<PeerEndpoint> peers = AnchorPeersOf(ConfigOf(spec));
  ASSERT_EQ(peers.size(), 3u);
  EXPECT_EQ(peers[0].msp_id, "Hospital1MSP");
  EXPECT_EQ(peers[0].address, "peer0.hospital1.example.org:7051");
  EXPECT_EQ(peers[2].address, "peer1.hospital2.example.org:8051");
  EXPECT_EQ(peers[2].tls_roots_pem, "ROOT OF HOSPITAL2\nINTERMEDIATE OF HOSPITAL2\n");

  // This peer itself is not one of its organisation's remote peers; the local endorser stands first.
  const EndorsingPeers endorsing =
      EndorsingPeers::FromConfig(ConfigOf(spec), nullptr, "peer0.hospital1.example.org:7051", {});
  EXPECT_TRUE(endorsing.Of("Hospital1MSP").empty());
  ASSERT_EQ(endorsing.Of("Hospital2MSP").size(), 2u);
  EXPECT_EQ(endorsing.Of("Hospital2MSP")[1]->address(), "peer1.hospital2.example.org:8051");
  EXPECT_TRUE(endorsing.Of("Hospital9MSP").empty());
}

TEST(EndpointsTest, OrderersAreTheOrdererOrganisationsEndpointsWithTheirTlsRoots) {
  channelconfig::ChannelSpec spec = channelconfig::testing::Network().Spec();
  spec.orderer_orgs[0].msp_config.clear_tls_root_certs();
  spec.orderer_orgs[0].msp_config.add_tls_root_certs("ORDERER ROOT\n");
  const std::vector<OrdererEndpoint> orderers = OrdererEndpointsOf(ConfigOf(spec));
  ASSERT_EQ(orderers.size(), 3u);
  EXPECT_EQ(orderers[0].address, "orderer0.orderer.example.org:7050");
  EXPECT_EQ(orderers[0].msp_id, "OrdererMSP");
  EXPECT_EQ(orderers[0].tls_roots_pem, "ORDERER ROOT\n");
}

TEST(EndpointsTest, AddressOverridesReplaceTheAddressAndTheRootsTheyName) {
  const std::vector<OrdererEndpoint> configured = {{"orderer0:7050", "OrdererMSP", "ROOT\n"},
                                                   {"orderer1:7050", "OrdererMSP", "ROOT\n"},
                                                   {"orderer2:7050", "OrdererMSP", "ROOT\n"}};
  const std::vector<OrdererAddressOverride> overrides = {{"orderer0:7050", "127.0.0.1:8050", "LOCAL ROOT\n"},
                                                         {"orderer2:7050", "127.0.0.1:8052", ""}};
  const std::vector<OrdererEndpoint> dialled = WithAddressOverrides(configured, overrides);
  ASSERT_EQ(dialled.size(), 3u);
  EXPECT_EQ(dialled[0].address, "127.0.0.1:8050");
  EXPECT_EQ(dialled[0].tls_roots_pem, "LOCAL ROOT\n");
  EXPECT_EQ(dialled[1].address, "orderer1:7050");
  EXPECT_EQ(dialled[2].address, "127.0.0.1:8052");
  EXPECT_EQ(dialled[2].tls_roots_pem, "ROOT\n");
  EXPECT_EQ(dialled[2].msp_id, "OrdererMSP");
}

TEST(EndpointsTest, ABroadcasterWithoutOrderersIsUnavailable) {
  OrdererBroadcaster broadcaster({}, {});
  EXPECT_EQ(broadcaster.Broadcast(::common::Envelope(), absl::InfiniteFuture()).code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace careledger::gateway
