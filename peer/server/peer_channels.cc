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
  if (options_.pull) entry->channel->StartPulling();
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

absl::StatusOr<JoinedChannel> PeerChannels::Join(const ::common::Block& genesis) {
  std::lock_guard<std::mutex> join_lock(join_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!open_) return absl::FailedPreconditionError("the peer's channels are not open (starting or stopping)");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<PeerChannel> channel, PeerChannel::Join(options_.node, genesis));
  const std::string channel_id = channel->id();
  std::shared_ptr<Entry> entry = Serve(std::move(channel));
  const JoinedChannel joined{channel_id, entry->channel->ledger().Height()};
  std::lock_guard<std::mutex> lock(mu_);
  channels_.emplace(channel_id, std::move(entry));
  return joined;
}

std::vector<JoinedChannel> PeerChannels::List() const {
  std::vector<std::shared_ptr<Entry>> entries;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [id, entry] : channels_) entries.push_back(entry);
  }
  std::vector<JoinedChannel> joined;
  for (const std::shared_ptr<Entry>& entry : entries) {
    joined.push_back({entry->channel->id(), entry->channel->ledger().Height()});
  }
  return joined;
}

absl::StatusOr<JoinedChannel> PeerChannels::Info(std::string_view channel_id) const {
  std::shared_ptr<Entry> entry = Lookup(channel_id);
  if (entry == nullptr) {
    return absl::NotFoundError(absl::StrCat("this peer has not joined channel ", AsAbsl(channel_id)));
  }
  return JoinedChannel{entry->channel->id(), entry->channel->ledger().Height()};
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
