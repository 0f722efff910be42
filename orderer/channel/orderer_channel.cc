#include "orderer/channel/orderer_channel.h"

#include "absl/strings/str_cat.h"
#include "common/protoutil/block.h"
#include "common/status_macros.h"
#include "msp/msp.h"

namespace careledger::orderer {

absl::StatusOr<channelconfig::ChannelConfig> CurrentChannelConfig(const blockstore::BlockStore& store) {
  return channelconfig::ChannelConfig::OfChain(store.Height(), [&store](uint64_t n) { return store.GetBlock(n); });
}

absl::StatusOr<std::shared_ptr<OrdererChannel>> OrdererChannel::Open(const std::string& channel_dir,
                                                                     const OrdererNode& node) {
  std::shared_ptr<OrdererChannel> channel(new OrdererChannel());
  ASSIGN_OR_RETURN(std::unique_ptr<blockstore::BlockStore> store, blockstore::BlockStore::Open(channel_dir + "/blocks"));
  channel->store_ = std::move(store);
  absl::StatusOr<channelconfig::ChannelConfig> config = CurrentChannelConfig(*channel->store_);
  if (!config.ok()) return Annotate(config.status(), absl::StrCat("channel in ", channel_dir));
  channel->config_ = std::make_shared<const channelconfig::ChannelConfig>(*std::move(config));
  const std::string& id = channel->config_->channel_id();

  absl::StatusOr<std::unique_ptr<msp::MspManager>> msps =
      msp::MspManager::FromDefinitions(channel->config_->MspConfigs());
  if (!msps.ok()) return Annotate(msps.status(), absl::StrCat("channel ", id));
  channel->msps_ = *std::move(msps);

  ChainOptions options;
  options.channel_id = id;
  for (const channelconfig::Consenter& c : channel->config_->consenters()) {
    ASSIGN_OR_RETURN(crypto::Certificate client, crypto::Certificate::FromPem(c.client_tls_cert_pem));
    ASSIGN_OR_RETURN(crypto::Certificate server, crypto::Certificate::FromPem(c.server_tls_cert_pem));
    if (client == node.cluster_tls_certificate || server == node.cluster_tls_certificate) options.self_id = c.id;
    options.consenters.push_back({c.id, absl::StrCat(c.host, ":", c.port), client, server});
  }
  if (options.self_id == 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "this orderer is not a consenter of channel ", id, ": its cluster TLS certificate '",
        node.cluster_tls_certificate.subject().one_line, "' is not among the channel's consenters"));
  }
  const channelconfig::BatchSettings& batch = channel->config_->batch();
  options.batch_limits = {batch.max_message_count, batch.absolute_max_bytes, batch.preferred_max_bytes};
  options.batch_timeout = batch.timeout;
  options.cut_when_idle = node.cut_when_idle;
  ASSIGN_OR_RETURN(::common::BlockHeader tip, channel->store_->LastBlockHeader());
  ASSIGN_OR_RETURN(::common::Block last, channel->store_->GetBlock(tip.number()));
  absl::StatusOr<uint64_t> last_config = protoutil::LastConfigIndex(last);
  options.last_config_index = last_config.ok() ? *last_config : 0;
  options.raft_dir = channel_dir + "/raft";
  options.election_timeout = node.election_timeout;
  options.heartbeat_timeout = node.heartbeat_timeout;
  options.dial_timeout = node.dial_timeout;
  options.snapshot_interval_blocks = node.snapshot_interval_blocks;
  channel->raft_id_ = options.self_id;
  absl::StatusOr<std::shared_ptr<Chain>> chain =
      Chain::Start(std::move(options), channel->store_, node.signer, node.connections);
  if (!chain.ok()) return Annotate(chain.status(), absl::StrCat("channel ", id));
  channel->chain_ = *std::move(chain);
  return channel;
}

OrdererChannel::~OrdererChannel() { Stop(); }

void OrdererChannel::Stop() {
  if (chain_ != nullptr) chain_->Stop();
}

}  // namespace careledger::orderer
