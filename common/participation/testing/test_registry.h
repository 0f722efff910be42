// Test-only: an in-memory node for the channel participation API's tests. It keeps the ChannelParticipation
// contract (channel_participation.h) as a node does: a join reads the genesis block's configuration with
// channelconfig, refuses a block that is not block 0 or a channel joined already, and leaves nothing behind
// when it fails. What a real node would refuse for its own reasons (an orderer that is not a consenter, a
// full disk) is injected with FailNextWith. Genesis blocks come from channelconfig's test consortium, whose
// organisations have real PKIs.
#ifndef CARELEDGER_COMMON_PARTICIPATION_TESTING_TEST_REGISTRY_H_
#define CARELEDGER_COMMON_PARTICIPATION_TESTING_TEST_REGISTRY_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/channelconfig/channel_config.h"
#include "common/channelconfig/genesis.h"
#include "common/channelconfig/test_network.h"
#include "common/participation/channel_participation.h"
#include "common/strings.h"
#include "gtest/gtest.h"

namespace careledger::participation::testing {

class TestRegistry : public ChannelParticipation {
 public:
  // Channels report `relation`; with `raft` set, they also report that Raft ID and leader, as an
  // orderer's do.
  struct Reporting {
    std::string relation = kRelationOther;
    std::optional<std::pair<uint64_t, uint64_t>> raft;  // {raft_id, leader_id}
  };

  TestRegistry() = default;
  explicit TestRegistry(Reporting reporting) : reporting_(std::move(reporting)) {}

  absl::StatusOr<ChannelInfo> Join(const ::common::Block& genesis) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (absl::Status injected = TakeFailure(); !injected.ok()) return injected;
    if (genesis.header().number() != 0) {
      return absl::InvalidArgumentError(absl::StrCat("block ", genesis.header().number(), " is not a genesis block"));
    }
    absl::StatusOr<channelconfig::ChannelConfig> config = channelconfig::ChannelConfig::FromConfigBlock(genesis);
    if (!config.ok()) return config.status();
    const std::string& channel_id = config->channel_id();
    if (channels_.count(channel_id) != 0) {
      return absl::AlreadyExistsError(absl::StrCat("channel ", channel_id, " is joined already"));
    }
    return channels_[channel_id] = InfoOf(channel_id);
  }

  std::vector<ChannelInfo> List() const override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<ChannelInfo> out;
    for (const auto& [id, info] : channels_) out.push_back(info);
    return out;
  }

  absl::StatusOr<ChannelInfo> Info(std::string_view channel_id) const override {
    std::lock_guard<std::mutex> lock(mu_);
    if (absl::Status injected = TakeFailure(); !injected.ok()) return injected;
    auto it = channels_.find(channel_id);
    if (it == channels_.end()) return NotJoined(channel_id);
    return it->second;
  }

  absl::Status Remove(std::string_view channel_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (absl::Status injected = TakeFailure(); !injected.ok()) return injected;
    auto it = channels_.find(channel_id);
    if (it == channels_.end()) return NotJoined(channel_id);
    channels_.erase(it);
    return absl::OkStatus();
  }

  // The next Join, Info or Remove fails with `status` and changes nothing.
  void FailNextWith(absl::Status status) {
    std::lock_guard<std::mutex> lock(mu_);
    failure_ = std::move(status);
  }

 private:
  static absl::Status NotJoined(std::string_view channel_id) {
    return absl::NotFoundError(absl::StrCat("channel ", AsAbsl(channel_id), " is not joined"));
  }

  absl::Status TakeFailure() const { return std::exchange(failure_, absl::OkStatus()); }

  ChannelInfo InfoOf(const std::string& channel_id) const {
    ChannelInfo info;
    info.name = channel_id;
    info.consensus_relation = reporting_.relation;
    info.status = kStatusActive;
    info.height = 1;
    if (reporting_.raft.has_value()) {
      info.raft_id = reporting_.raft->first;
      info.leader_id = reporting_.raft->second;
    }
    return info;
  }

  const Reporting reporting_;
  mutable std::mutex mu_;
  std::map<std::string, ChannelInfo, std::less<>> channels_;  // guarded by mu_
  mutable absl::Status failure_;                              // guarded by mu_
};

// The genesis block of `channel` between channelconfig's test hospitals and orderer organisation, serialized.
inline std::string GenesisBlock(const std::string& channel) {
  channelconfig::ChannelSpec spec = channelconfig::testing::Network().Spec();
  spec.channel_id = channel;
  absl::StatusOr<::common::Block> block = channelconfig::CreateGenesisBlock(spec);
  EXPECT_TRUE(block.ok()) << block.status();
  return block.ok() ? block->SerializeAsString() : std::string();
}

}  // namespace careledger::participation::testing

#endif  // CARELEDGER_COMMON_PARTICIPATION_TESTING_TEST_REGISTRY_H_
