#include "peer/server/peer_channels.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/strings.h"

namespace careledger::peer {

PeerChannels::PeerChannels(Options options) : options_(std::move(options)) {}

PeerChannels::~PeerChannels() { StopAll(); }

std::shared_ptr<PeerChannels::Entry> PeerChannels::Serve(std::unique_ptr<PeerChannel> channel) {
  auto entry = std::make_shared<Entry>();
  entry->gateway = std::make_unique<ChannelGateway>(*channel, local_, options_.local_address, options_.tls_client);
  entry->channel = std::move(channel);
  entry->channel->StartPulling();
  return entry;
}

absl::Status PeerChannels::OpenAll(std::shared_ptr<gateway::EndorsingPeer> local) {
  std::lock_guard<std::mutex> join_lock(join_mu_);
  local_ = std::move(local);
  std::map<std::string, std::shared_ptr<Entry>, std::less<>> opened;
  for (const std::string& channel_id : PeerChannel::JoinedChannels(options_.node)) {
    absl::StatusOr<std::unique_ptr<PeerChannel>> channel = PeerChannel::Open(options_.node, channel_id);
    if (!channel.ok()) {
      for (auto& [id, entry] : opened) entry->channel->Stop();
      return Annotate(channel.status(), absl::StrCat("reopening channel ", channel_id));
    }
    opened.emplace(channel_id, Serve(*std::move(channel)));
  }
  std::lock_guard<std::mutex> lock(mu_);
  channels_ = std::move(opened);
  open_ = true;
  return absl::OkStatus();
}

participation::ChannelInfo PeerChannels::InfoOf(const Entry& entry) {
  participation::ChannelInfo info;
  info.name = entry.channel->id();
  info.height = entry.channel->ledger().Height();
  return info;
}

absl::StatusOr<participation::ChannelInfo> PeerChannels::Join(const ::common::Block& genesis) {
  std::lock_guard<std::mutex> join_lock(join_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!open_) return absl::FailedPreconditionError("the peer's channels are not open (starting or stopping)");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<PeerChannel> channel, PeerChannel::Join(options_.node, genesis));
  std::shared_ptr<Entry> entry = Serve(std::move(channel));
  participation::ChannelInfo info = InfoOf(*entry);
  std::lock_guard<std::mutex> lock(mu_);
  channels_.emplace(info.name, std::move(entry));
  return info;
}

std::vector<participation::ChannelInfo> PeerChannels::List() const {
  std::vector<std::shared_ptr<Entry>> entries;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [id, entry] : channels_) entries.push_back(entry);
  }
  std::vector<participation::ChannelInfo> infos;
  for (const std::shared_ptr<Entry>& entry : entries) infos.push_back(InfoOf(*entry));
  return infos;
}

absl::StatusOr<participation::ChannelInfo> PeerChannels::Info(std::string_view channel_id) const {
  std::shared_ptr<Entry> entry = Lookup(channel_id);
  if (entry == nullptr) {
    return absl::NotFoundError(absl::StrCat("this peer has not joined channel ", AsAbsl(channel_id)));
  }
  return InfoOf(*entry);
}

absl::Status PeerChannels::Remove(std::string_view channel_id) {
  std::lock_guard<std::mutex> join_lock(join_mu_);
  std::shared_ptr<Entry> entry;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = channels_.find(channel_id);
    if (found == channels_.end()) {
      return absl::NotFoundError(absl::StrCat("this peer has not joined channel ", AsAbsl(channel_id)));
    }
    entry = std::move(found->second);
    channels_.erase(found);
  }
  // Calls still holding the entry see a closed ledger; the folder goes once nothing writes to it.
  entry->channel->Stop();
  return PeerChannel::Delete(options_.node, std::string(channel_id));
}

void PeerChannels::StopAll() {
  std::lock_guard<std::mutex> join_lock(join_mu_);
  std::map<std::string, std::shared_ptr<Entry>, std::less<>> stopping;
  {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = false;
    stopping.swap(channels_);
  }
  for (auto& [id, entry] : stopping) entry->channel->Stop();
}

std::shared_ptr<PeerChannels::Entry> PeerChannels::Lookup(std::string_view channel_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto found = channels_.find(channel_id);
  return found == channels_.end() ? nullptr : found->second;
}

std::shared_ptr<const endorser::EndorserChannel> PeerChannels::Find(std::string_view channel_id) const {
  std::shared_ptr<Entry> entry = Lookup(channel_id);
  if (entry == nullptr) return nullptr;
  return std::shared_ptr<const endorser::EndorserChannel>(entry, entry->channel.get());
}

std::shared_ptr<gateway::GatewayChannel> PeerChannels::GatewayView::Find(std::string_view channel_id) const {
  std::shared_ptr<Entry> entry = channels_.Lookup(channel_id);
  if (entry == nullptr) return nullptr;
  return std::shared_ptr<gateway::GatewayChannel>(entry, entry->gateway.get());
}

}  // namespace careledger::peer
