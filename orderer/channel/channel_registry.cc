#include "orderer/channel/channel_registry.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/channelconfig/channel_config.h"
#include "common/file/file_io.h"
#include "common/status_macros.h"
#include "common/strings.h"

namespace careledger::orderer {

namespace fs = std::filesystem;
using participation::ChannelInfo;

absl::StatusOr<std::unique_ptr<ChannelRegistry>> ChannelRegistry::Open(OrdererNode node,
                                                                      cluster::ClusterService* service) {
  std::unique_ptr<ChannelRegistry> registry(new ChannelRegistry(std::move(node), service));
  const std::string root = registry->node_.data_dir + "/channels";
  RETURN_IF_ERROR(file::CreateDirectories(root));
  std::error_code ec;
  std::vector<std::string> ids;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    if (entry.is_directory()) ids.push_back(entry.path().filename().string());
  }
  if (ec) return absl::InternalError(absl::StrCat(root, ": cannot list: ", ec.message()));
  std::sort(ids.begin(), ids.end());
  std::lock_guard<std::mutex> lock(registry->mu_);
  for (const std::string& id : ids) RETURN_IF_ERROR(registry->Start(id));
  return registry;
}

ChannelRegistry::~ChannelRegistry() { StopAll(); }

std::string ChannelRegistry::ChannelDir(std::string_view channel_id) const {
  return absl::StrCat(node_.data_dir, "/channels/", AsAbsl(channel_id));
}

absl::Status ChannelRegistry::Start(const std::string& channel_id) {
  absl::StatusOr<std::shared_ptr<OrdererChannel>> channel = OrdererChannel::Open(ChannelDir(channel_id), node_);
  if (!channel.ok()) return channel.status();
  if ((*channel)->id() != channel_id) {
    (*channel)->Stop();
    return absl::DataLossError(absl::StrCat("folder of channel ", channel_id, " holds channel ", (*channel)->id()));
  }
  if (service_ != nullptr) service_->AddChannel(channel_id, (*channel)->shared_chain());
  channels_[channel_id] = *std::move(channel);
  return absl::OkStatus();
}

absl::StatusOr<ChannelInfo> ChannelRegistry::Join(const ::common::Block& genesis) {
  if (genesis.header().number() != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("a channel is joined with its genesis block (number 0), not block ", genesis.header().number()));
  }
  ASSIGN_OR_RETURN(channelconfig::ChannelConfig config, channelconfig::ChannelConfig::FromConfigBlock(genesis));
  const std::string id = config.channel_id();
  std::lock_guard<std::mutex> lock(mu_);
  if (channels_.count(id) != 0) return absl::AlreadyExistsError(absl::StrCat("channel ", id, " is already joined"));
  const std::string dir = ChannelDir(id);
  if (file::Exists(dir)) {
    return absl::FailedPreconditionError(absl::StrCat(dir, " exists but is not a running channel; remove it first"));
  }
  absl::Status st = [&]() -> absl::Status {
    {
      ASSIGN_OR_RETURN(std::unique_ptr<blockstore::BlockStore> store, blockstore::BlockStore::Open(dir + "/blocks"));
      RETURN_IF_ERROR(store->Append(genesis));
    }
    return Start(id);
  }();
  if (!st.ok()) {
    std::error_code ec;
    fs::remove_all(dir, ec);  // a failed join leaves nothing behind
    return st;
  }
  return InfoOf(*channels_[id]);
}

ChannelInfo ChannelRegistry::InfoOf(OrdererChannel& channel) const {
  ChannelInfo info;
  info.name = channel.id();
  info.consensus_relation = participation::kRelationConsenter;
  info.status = participation::kStatusActive;
  const ChainStatus status = channel.chain().status();
  info.height = status.height;
  info.raft_id = channel.raft_id();
  info.leader_id = status.leader_id;
  return info;
}

std::vector<ChannelInfo> ChannelRegistry::List() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<ChannelInfo> out;
  for (const auto& [id, channel] : channels_) out.push_back(InfoOf(*channel));
  return out;
}

std::shared_ptr<OrdererChannel> ChannelRegistry::Find(std::string_view channel_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = channels_.find(channel_id);
  return it == channels_.end() ? nullptr : it->second;
}

absl::StatusOr<ChannelInfo> ChannelRegistry::Info(std::string_view channel_id) const {
  std::shared_ptr<OrdererChannel> channel = Find(channel_id);
  if (channel == nullptr) return absl::NotFoundError(absl::StrCat("channel ", AsAbsl(channel_id), " is not joined"));
  return InfoOf(*channel);
}

absl::Status ChannelRegistry::Remove(std::string_view channel_id) {
  std::shared_ptr<OrdererChannel> channel;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = channels_.find(channel_id);
    if (it == channels_.end()) return absl::NotFoundError(absl::StrCat("channel ", AsAbsl(channel_id), " is not joined"));
    channel = it->second;
    channels_.erase(it);
  }
  if (service_ != nullptr) service_->RemoveChannel(std::string(channel_id));
  channel->Stop();
  std::error_code ec;
  fs::remove_all(ChannelDir(channel_id), ec);
  if (ec) return absl::InternalError(absl::StrCat(ChannelDir(channel_id), ": cannot remove: ", ec.message()));
  return absl::OkStatus();
}

void ChannelRegistry::StopAll() {
  std::map<std::string, std::shared_ptr<OrdererChannel>, std::less<>> channels;
  {
    std::lock_guard<std::mutex> lock(mu_);
    channels.swap(channels_);
  }
  for (auto& [id, channel] : channels) {
    if (service_ != nullptr) service_->RemoveChannel(id);
    channel->Stop();
  }
}

}  // namespace careledger::orderer
