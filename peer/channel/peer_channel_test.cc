#include "peer/channel/peer_channel.h"

#include <filesystem>
#include <memory>
#include <string>

#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "peer/committer/testing/test_chain.h"
#include "peer/committer/testing/test_channel.h"
#include "peer/committer/testing/test_transaction.h"

namespace careledger::peer {
namespace {

using ::careledger::committer::testing::Channel;
using ::testing::ElementsAre;

// A `_lifecycle` transaction writing `key` = `value`, endorsed by both organisations (LifecycleEndorsement).
std::string Write(int nonce, const std::string& key, const std::string& value) {
  auto spec = committer::testing::DefaultEndorserTransaction(Channel().id, "_lifecycle", Channel().client1,
                                                             {&Channel().peer1, &Channel().peer2}, nonce);
  ::kvrwset::KVRWSet& kv = spec.namespaces.at(0).kv;
  kv.clear_reads();
  kv.clear_writes();
  ::kvrwset::KVWrite* write = kv.add_writes();
  write->set_key(key);
  write->set_value(value);
  return committer::testing::BuildEndorserTransaction(spec);
}

class PeerChannelTest : public ::testing::Test {
 protected:
  PeerChannelTest() {
    node_.signer = &Channel().peer1;
    node_.data_dir = dir_.path();
    node_.validation_pool = &pool_;
  }

  careledger::testing::ScopedTempDir dir_;
  ThreadPool pool_{2};
  PeerNode node_;
};

TEST_F(PeerChannelTest, JoinCommitsTheGenesisBlockAndOpenResumesTheChain) {
  {
    auto channel = PeerChannel::Join(node_, Channel().genesis);
    ASSERT_TRUE(channel.ok()) << channel.status();
    EXPECT_EQ((*channel)->id(), Channel().id);
    EXPECT_EQ((*channel)->ledger().Height(), 1u);
    committer::testing::TestChain chain(Channel().orderer, Channel().genesis.header());
    auto block1 = (*channel)->CommitBlock(chain.Next({Write(1, "x", "1")}));
    ASSERT_TRUE(block1.ok()) << block1.status();
    EXPECT_THAT(block1->codes, ElementsAre(::protos::VALID));
    auto block2 = (*channel)->CommitBlock(chain.Next({Write(2, "x", "2")}));
    ASSERT_TRUE(block2.ok()) << block2.status();
  }
  EXPECT_THAT(PeerChannel::JoinedChannels(node_), ElementsAre(Channel().id));

  auto reopened = PeerChannel::Open(node_, Channel().id);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ((*reopened)->ledger().Height(), 3u);
  EXPECT_EQ((*reopened)->config().channel_id(), Channel().id);

  auto history = (*reopened)->History("_lifecycle", "x");
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].value, "2");  // newest first
  EXPECT_EQ((*history)[1].value, "1");
  auto value = (*reopened)->NewSnapshot()->Get("_lifecycle", "x");
  ASSERT_TRUE(value.ok() && value->has_value());
  EXPECT_EQ((*value)->value, "2");
}

TEST_F(PeerChannelTest, RefusesASecondJoinAndAnUnknownChannel) {
  ASSERT_TRUE(PeerChannel::Join(node_, Channel().genesis).ok());
  EXPECT_EQ(PeerChannel::Join(node_, Channel().genesis).status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(PeerChannel::Open(node_, "nochannel").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(PeerChannelTest, ABadGenesisBlockLeavesNothingBehind) {
  ::common::Block tampered = Channel().genesis;
  tampered.mutable_header()->set_data_hash("not the hash");
  EXPECT_FALSE(PeerChannel::Join(node_, tampered).ok());
  EXPECT_TRUE(PeerChannel::JoinedChannels(node_).empty());
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/ledgers/" + Channel().id));
}

TEST_F(PeerChannelTest, DuplicateTransactionIdsAreFoundOnTheLedger) {
  auto channel = PeerChannel::Join(node_, Channel().genesis);
  ASSERT_TRUE(channel.ok());
  const std::string tx = Write(7, "k", "v");
  committer::testing::TestChain chain(Channel().orderer, Channel().genesis.header());
  ASSERT_TRUE((*channel)->CommitBlock(chain.Next({tx})).ok());
  ::common::Envelope envelope;
  ASSERT_TRUE(envelope.ParseFromString(tx));
  ::common::Payload payload;
  ASSERT_TRUE(payload.ParseFromString(envelope.payload()));
  ::common::ChannelHeader header;
  ASSERT_TRUE(header.ParseFromString(payload.header().channel_header()));
  EXPECT_TRUE(*(*channel)->HasTransaction(header.tx_id()));
  EXPECT_FALSE(*(*channel)->HasTransaction("unknown"));
}

}  // namespace
}  // namespace careledger::peer
