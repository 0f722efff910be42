#include "orderer/channel/channel_registry.h"

#include <future>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/file/file_io.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "orderer/channel/testing/single_consenter_test_base.h"
#include "orderer/cluster/testing/test_tls.h"

namespace careledger::orderer {
namespace {

using ::testing::HasSubstr;

class ChannelRegistryTest : public testing::SingleConsenterTestBase {
 protected:
  ::common::Block Genesis(const std::string& channel, const std::string& consenter_cert_pem) {
    absl::StatusOr<::common::Block> block = GenesisBlock(channel, consenter_cert_pem, absl::Milliseconds(200));
    EXPECT_TRUE(block.ok()) << block.status();
    return *block;
  }

  absl::Status Order(OrdererChannel& channel, const std::string& envelope) {
    std::promise<absl::Status> done;
    channel.chain().Order(envelope, false, [&](absl::Status st) { done.set_value(st); });
    return done.get_future().get();
  }

  bool WaitForLeader(OrdererChannel& channel) {
    const absl::Time deadline = absl::Now() + absl::Seconds(20);
    while (!channel.chain().status().is_leader) {
      if (absl::Now() > deadline) return false;
      absl::SleepFor(absl::Milliseconds(20));  // polling a condition with a deadline
    }
    return true;
  }
};

TEST_F(ChannelRegistryTest, JoinsOrdersAndReopensAfterRestart) {
  {
    auto registry = ChannelRegistry::Open(node_, &service_);
    ASSERT_TRUE(registry.ok()) << registry.status();
    auto info = (*registry)->Join(Genesis("healthchannel", cluster_cert_.ToPem()));
    ASSERT_TRUE(info.ok()) << info.status();
    EXPECT_EQ(info->name, "healthchannel");
    EXPECT_EQ(info->consensus_relation, "consenter");
    EXPECT_EQ(info->status, "active");
    EXPECT_EQ(info->height, 1u);
    // The participation API shows the Raft view only when set: an orderer always sets it.
    EXPECT_EQ(info->raft_id, 1u);
    EXPECT_TRUE(info->leader_id.has_value());
    std::shared_ptr<OrdererChannel> channel = (*registry)->Find("healthchannel");
    ASSERT_NE(channel, nullptr);
    EXPECT_EQ(channel->config().batch().timeout, absl::Milliseconds(200));
    EXPECT_NE(channel->msps().Find("Hospital1MSP"), nullptr);
    ASSERT_TRUE(WaitForLeader(*channel));
    EXPECT_EQ((*registry)->Info("healthchannel")->leader_id, 1u);  // the only consenter elected itself
    ASSERT_TRUE(Order(*channel, "tx-1").ok());
    EXPECT_EQ((*registry)->Info("healthchannel")->height, 2u);
    EXPECT_EQ((*registry)->Join(Genesis("healthchannel", cluster_cert_.ToPem())).status().code(),
              absl::StatusCode::kAlreadyExists);
  }
  auto reopened = ChannelRegistry::Open(node_, &service_);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  ASSERT_EQ((*reopened)->List().size(), 1u);
  std::shared_ptr<OrdererChannel> channel = (*reopened)->Find("healthchannel");
  ASSERT_TRUE(WaitForLeader(*channel));
  ASSERT_TRUE(Order(*channel, "tx-2").ok());
  EXPECT_EQ(channel->store().Height(), 3u);
}

TEST_F(ChannelRegistryTest, RefusesChannelsThisNodeIsNotAConsenterOfAndLeavesNothing) {
  auto registry = ChannelRegistry::Open(node_, &service_);
  ASSERT_TRUE(registry.ok());
  crypto::Certificate other(nullptr);
  cluster::testing::IssueTls(tls_ca_, "orderer9", &other);
  auto joined = (*registry)->Join(Genesis("otherchannel", other.ToPem()));
  EXPECT_EQ(joined.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(joined.status().message(), HasSubstr("not a consenter of channel otherchannel"));
  EXPECT_FALSE(file::Exists(dir_.Path("channels/otherchannel")));
  EXPECT_TRUE((*registry)->List().empty());
}

TEST_F(ChannelRegistryTest, RefusesBlocksThatAreNotGenesisBlocks) {
  auto registry = ChannelRegistry::Open(node_, &service_);
  ASSERT_TRUE(registry.ok());
  ::common::Block block = Genesis("healthchannel", cluster_cert_.ToPem());
  block.mutable_header()->set_number(5);
  EXPECT_THAT((*registry)->Join(block).status().message(), HasSubstr("genesis block (number 0)"));
  ::common::Block garbage;
  garbage.mutable_data()->add_data("not an envelope");
  EXPECT_EQ((*registry)->Join(garbage).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ChannelRegistryTest, RemoveStopsAndDeletesTheChannel) {
  auto registry = ChannelRegistry::Open(node_, &service_);
  ASSERT_TRUE(registry.ok());
  ASSERT_TRUE((*registry)->Join(Genesis("healthchannel", cluster_cert_.ToPem())).ok());
  ASSERT_TRUE((*registry)->Remove("healthchannel").ok());
  EXPECT_EQ((*registry)->Find("healthchannel"), nullptr);
  EXPECT_FALSE(file::Exists(dir_.Path("channels/healthchannel")));
  EXPECT_EQ((*registry)->Remove("healthchannel").code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace careledger::orderer
