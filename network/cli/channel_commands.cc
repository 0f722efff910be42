// careledger channel genesis | inspect: a channel's genesis block from a generated consortium, and what a
// config block holds.
#include <iostream>
#include <limits>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/channelconfig/channel_config.h"
#include "common/channelconfig/genesis.h"
#include "common/channelconfig/go_duration.h"
#include "common/file/file_io.h"
#include "common/protoutil/marshal.h"
#include "common/protoutil/unmarshal.h"
#include "common/status_macros.h"
#include "network/cli/command.h"
#include "network/consortium/consortium.h"
#include "network/genesis/byte_size.h"
#include "network/genesis/channel_from_consortium.h"
#include "network/genesis/channel_summary.h"

namespace careledger::cli {
namespace {

// Blocks larger than this are not configuration blocks anyone should be inspecting.
constexpr uint64_t kMaxBlockFileBytes = 256 << 20;

struct ChannelOptions {
  std::string dir;
  std::string channel = network::kDefaultChannelId;
  std::vector<std::string> orderers;  // NAME=CLIENT[,CLUSTER]
  std::string batch_timeout = "2s";
  uint32_t max_message_count = 500;
  std::string preferred_max_bytes = "2MB";
  std::string absolute_max_bytes = "10MB";
  int64_t timestamp = -1;  // Unix seconds; -1: now
  std::string out;
  std::string block;
};

absl::Status RunGenesis(const ChannelOptions& opts) {
  network::ChannelFromConsortiumOptions options;
  options.channel_id = opts.channel;
  for (const std::string& flag : opts.orderers) {
    ASSIGN_OR_RETURN(auto entry, network::ParseOrdererAddressFlag(flag));
    if (!options.orderer_addresses.emplace(entry.first, entry.second).second) {
      return absl::InvalidArgumentError(absl::StrCat("--orderer ", entry.first, " is given twice"));
    }
  }
  auto timeout = channelconfig::ParseGoDuration(opts.batch_timeout);
  if (!timeout.ok()) return Annotate(timeout.status(), "--batch-timeout");
  options.batch.timeout = *timeout;
  options.batch.max_message_count = opts.max_message_count;
  auto preferred = network::ParseByteSize(opts.preferred_max_bytes, std::numeric_limits<uint32_t>::max());
  if (!preferred.ok()) return Annotate(preferred.status(), "--preferred-max-bytes");
  options.batch.preferred_max_bytes = static_cast<uint32_t>(*preferred);
  auto absolute = network::ParseByteSize(opts.absolute_max_bytes, std::numeric_limits<uint32_t>::max());
  if (!absolute.ok()) return Annotate(absolute.status(), "--absolute-max-bytes");
  options.batch.absolute_max_bytes = static_cast<uint32_t>(*absolute);
  options.genesis_time =
      opts.timestamp >= 0 ? absl::FromUnixSeconds(opts.timestamp) : absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()));

  auto consortium = network::LoadConsortium(opts.dir + "/consortium.yaml");
  if (!consortium.ok() && consortium.status().code() == absl::StatusCode::kNotFound) {
    return absl::NotFoundError(absl::StrCat(opts.dir, " holds no consortium.yaml: run `careledger crypto generate --out ",
                                            opts.dir, "` first"));
  }
  if (!consortium.ok()) return consortium.status();
  ASSIGN_OR_RETURN(channelconfig::ChannelSpec spec, network::ChannelSpecFromConsortium(*consortium, opts.dir, options));
  // A spec the channel config rejects is a wrong command line (channel ID, batch sizes): InvalidArgument, as
  // BuildChannelConfig reports it.
  ASSIGN_OR_RETURN(::common::Block block, channelconfig::CreateGenesisBlock(spec));
  ASSIGN_OR_RETURN(std::string bytes, protoutil::Marshal(block, "genesis block"));
  RETURN_IF_ERROR(file::WriteFileAtomic(opts.out, bytes));
  std::cout << "Wrote the genesis block of channel " << spec.channel_id << " to " << opts.out << " ("
            << bytes.size() << " bytes): " << spec.application_orgs.size() << " application organisation(s), "
            << spec.orderer_orgs.size() << " orderer organisation(s), " << spec.consenters.size()
            << " consenter(s)\n";
  return absl::OkStatus();
}

absl::Status RunInspect(const ChannelOptions& opts) {
  ASSIGN_OR_RETURN(std::string bytes, file::ReadFile(opts.block, kMaxBlockFileBytes));
  auto block = protoutil::Unmarshal<::common::Block>(bytes, "block");
  if (!block.ok()) return Annotate(block.status(), opts.block);
  auto config = channelconfig::ChannelConfig::FromConfigBlock(*block);
  if (!config.ok()) return Annotate(config.status(), absl::StrCat(opts.block, ": not a configuration block"));
  std::cout << "Block " << block->header().number() << " of " << opts.block << "\n"
            << network::DescribeChannelConfig(*config);
  return absl::OkStatus();
}

}  // namespace

void RegisterChannelCommands(CLI::App& app, CommandResult& result) {
  CLI::App* channel = app.add_subcommand("channel", "Channel genesis blocks and configuration");
  channel->require_subcommand(1);
  auto opts = std::make_shared<ChannelOptions>();

  CLI::App* genesis = channel->add_subcommand(
      "genesis", "Write the genesis block of a channel joining every hospital and regulator of a generated "
                 "consortium, ordered by its orderer nodes (Raft consenters)");
  genesis->add_option("--dir", opts->dir, "folder made by `careledger crypto generate`")->required();
  genesis->add_option("--channel", opts->channel, "channel ID")->capture_default_str();
  genesis
      ->add_option("--orderer", opts->orderers,
                   "NAME=CLIENT_ADDRESS,CLUSTER_ADDRESS of every orderer node, e.g. "
                   "orderer0=127.0.0.1:7050,127.0.0.1:7052 (one address: both); repeatable")
      ->required();
  genesis->add_option("--batch-timeout", opts->batch_timeout, "cut a block this long after its first envelope "
                                                              "(Go duration)")
      ->capture_default_str();
  genesis->add_option("--max-message-count", opts->max_message_count, "envelopes per block at most")
      ->capture_default_str();
  genesis->add_option("--preferred-max-bytes", opts->preferred_max_bytes, "preferred block size (KB/MB are KiB/MiB)")
      ->capture_default_str();
  genesis->add_option("--absolute-max-bytes", opts->absolute_max_bytes, "largest envelope a block may hold")
      ->capture_default_str();
  genesis->add_option("--timestamp", opts->timestamp,
                      "genesis timestamp, Unix seconds (default: now); the same inputs then give the same block")
      ->check(CLI::NonNegativeNumber);
  genesis->add_option("--out", opts->out, "file to write the serialized common.Block to")->required();
  genesis->callback([opts, &result] { result.status = RunGenesis(*opts); });

  CLI::App* inspect = channel->add_subcommand(
      "inspect", "Print the channel ID, organisations, consenters, batch settings and policies of a config block");
  inspect->add_option("--block", opts->block, "a serialized common.Block (genesis or later config block)")
      ->required();
  inspect->callback([opts, &result] { result.status = RunInspect(*opts); });
}

}  // namespace careledger::cli
