#include "peer/channel/peer_channel.h"

#include <algorithm>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/protoutil/timestamp.h"
#include "common/status_macros.h"
#include "peer/gateway/orderer_broadcaster.h"

namespace careledger::peer {
namespace {

std::string LedgersDir(const PeerNode& node) { return node.data_dir + "/ledgers"; }
std::string ChannelDir(const PeerNode& node, const std::string& channel_id) {
  return absl::StrCat(LedgersDir(node), "/", channel_id);
}

}  // namespace

absl::StatusOr<std::unique_ptr<PeerChannel>> PeerChannel::Join(const PeerNode& node, const ::common::Block& genesis) {
  ASSIGN_OR_RETURN(channelconfig::ChannelConfig config, channelconfig::ChannelConfig::FromConfigBlock(genesis));
  const std::string dir = ChannelDir(node, config.channel_id());
  if (std::filesystem::exists(dir)) {
    return absl::AlreadyExistsError(absl::StrCat("this peer has already joined channel ", config.channel_id()));
  }
  absl::StatusOr<std::unique_ptr<ledger::Ledger>> ledger = ledger::Ledger::Open(dir);
  if (!ledger.ok()) return Annotate(ledger.status(), absl::StrCat("creating the ledger of ", config.channel_id()));
  absl::StatusOr<std::unique_ptr<msp::MspManager>> msps = msp::MspManager::FromDefinitions(config.MspConfigs());
  absl::Status joined = msps.status();
  if (joined.ok()) {
    committer::BlockCommitter genesis_committer(config, **msps, **ledger, nullptr);
    joined = genesis_committer.CommitGenesis(genesis).status();
  }
  if (!joined.ok()) {
    ledger->reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
    return Annotate(joined, absl::StrCat("joining channel ", config.channel_id()));
  }
  return OpenLedger(node, *std::move(ledger));
}

absl::StatusOr<std::unique_ptr<PeerChannel>> PeerChannel::Open(const PeerNode& node, const std::string& channel_id) {
  const std::string dir = ChannelDir(node, channel_id);
  if (!std::filesystem::is_directory(dir)) {
    return absl::NotFoundError(absl::StrCat("this peer has not joined channel ", channel_id));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::Ledger> ledger, ledger::Ledger::Open(dir));
  return OpenLedger(node, std::move(ledger));
}

absl::StatusOr<std::unique_ptr<PeerChannel>> PeerChannel::OpenLedger(const PeerNode& node,
                                                                     std::unique_ptr<ledger::Ledger> ledger) {
  std::unique_ptr<PeerChannel> channel(new PeerChannel());
  channel->node_ = node;
  channel->ledger_ = std::move(ledger);
  const ledger::Ledger& chain = *channel->ledger_;
  auto read_block = [&chain](uint64_t n) { return chain.GetBlock(n); };
  ASSIGN_OR_RETURN(channelconfig::ChannelConfig config, channelconfig::ChannelConfig::OfChain(chain.Height(), read_block));
  channel->config_ = std::make_unique<const channelconfig::ChannelConfig>(std::move(config));
  absl::StatusOr<std::unique_ptr<msp::MspManager>> msps =
      msp::MspManager::FromDefinitions(channel->config_->MspConfigs());
  if (!msps.ok()) return Annotate(msps.status(), absl::StrCat("channel ", channel->config_->channel_id()));
  channel->msps_ = *std::move(msps);
  channel->committer_ = std::make_unique<committer::BlockCommitter>(*channel->config_, *channel->msps_,
                                                                    *channel->ledger_, node.validation_pool);
  if (node.metrics != nullptr) {
    channel->metrics_ = std::make_unique<ChannelCommitMetrics>(*node.metrics, channel->config_->channel_id());
    channel->metrics_->SetHeight(chain.Height());
  }
  return channel;
}

std::vector<std::string> PeerChannel::JoinedChannels(const PeerNode& node) {
  std::vector<std::string> ids;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(LedgersDir(node), error)) {
    if (entry.is_directory()) ids.push_back(entry.path().filename().string());
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

absl::Status PeerChannel::Delete(const PeerNode& node, const std::string& channel_id) {
  const std::string dir = ChannelDir(node, channel_id);
  std::error_code error;
  std::filesystem::remove_all(dir, error);
  if (error) return absl::InternalError(absl::StrCat("cannot delete ", dir, ": ", error.message()));
  return absl::OkStatus();
}

PeerChannel::~PeerChannel() { Stop(); }

void PeerChannel::StartPulling() {
  std::lock_guard<std::mutex> lock(puller_mu_);
  if (puller_ != nullptr) return;
  deliverclient::BlockPullerOptions options;
  options.channel_id = id();
  for (gateway::OrdererEndpoint& orderer : orderers()) {
    options.orderers.push_back({std::move(orderer.address), std::move(orderer.tls_roots_pem)});
  }
  options.tls_client_cert_pem = node_.tls_client_cert_pem;
  options.tls_client_key_pem = node_.tls_client_key_pem;
  options.connect_timeout = node_.orderer_connect_timeout;
  options.initial_backoff = node_.pull_initial_backoff;
  options.max_backoff = node_.pull_max_backoff;
  puller_ = std::make_unique<deliverclient::BlockPuller>(
      options, *node_.signer, [this] { return ledger_->Height(); },
      [this](::common::Block block) { return CommitBlock(std::move(block)).status(); });
  puller_->Start();
}

std::vector<gateway::OrdererEndpoint> PeerChannel::orderers() const {
  return gateway::WithAddressOverrides(gateway::OrdererEndpointsOf(*config_), node_.orderer_address_overrides);
}

void PeerChannel::Stop() {
  std::unique_ptr<deliverclient::BlockPuller> puller;
  {
    std::lock_guard<std::mutex> lock(puller_mu_);
    puller = std::move(puller_);
  }
  if (puller != nullptr) puller->Stop();
  if (ledger_ != nullptr) ledger_->Close();
}

absl::StatusOr<committer::CommittedBlock> PeerChannel::CommitBlock(::common::Block block) {
  if (metrics_ == nullptr) return committer_->Commit(std::move(block));
  const absl::Time start = absl::Now();
  absl::StatusOr<committer::CommittedBlock> committed = committer_->Commit(std::move(block));
  if (committed.ok()) metrics_->Committed(*committed, committed->number + 1, absl::Now() - start);
  return committed;
}

absl::Status PeerChannel::puller_status() const {
  std::lock_guard<std::mutex> lock(puller_mu_);
  return puller_ == nullptr ? absl::OkStatus() : puller_->last_error();
}

std::shared_ptr<const ledger::StateSnapshot> PeerChannel::NewSnapshot() const { return ledger_->NewSnapshot(); }

absl::StatusOr<bool> PeerChannel::HasTransaction(std::string_view tx_id) const {
  absl::StatusOr<blockstore::TransactionLocation> location = ledger_->FindTransaction(tx_id);
  if (location.ok()) return true;
  if (absl::IsNotFound(location.status())) return false;
  return location.status();
}

absl::StatusOr<std::vector<chaincode::KeyModification>> PeerChannel::History(std::string_view ns,
                                                                             std::string_view key) const {
  std::unique_ptr<ledger::HistoryIterator> entries = ledger_->GetHistoryForKey(ns, key);
  std::vector<chaincode::KeyModification> history;
  while (true) {
    ASSIGN_OR_RETURN(std::optional<ledger::HistoryEntry> entry, entries->Next());
    if (!entry) return history;
    history.push_back({std::move(entry->tx_id), std::move(entry->value), protoutil::FromTimestamp(entry->timestamp),
                       entry->is_delete});
  }
}

}  // namespace careledger::peer
