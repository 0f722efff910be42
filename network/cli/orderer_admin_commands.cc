// careledger orderer channel join|list|info|remove: an orderer's channel participation API (what Fabric's
// osnadmin does), over HTTPS with the administrator's TLS client certificate. The server's JSON reply is
// printed on stdout; a reply that is not 2xx fails the command (exit 1) with the server's error.
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/file/file_io.h"
#include "common/participation/participation_client.h"
#include "common/status_macros.h"
#include "network/cli/command.h"

namespace careledger::cli {
namespace {

// A genesis block is at most as large as the largest message an orderer accepts by default.
constexpr uint64_t kMaxConfigBlockBytes = uint64_t{100} << 20;

struct AdminOptions {
  participation::ParticipationClientOptions client;
  std::string config_block;  // join
  std::string channel;       // info, remove
};

// Prints a successful reply's body (nothing for 204); any other reply becomes the command's error.
absl::Status Print(const absl::StatusOr<participation::ParticipationReply>& reply, const std::string& address) {
  if (!reply.ok()) return reply.status();
  RETURN_IF_ERROR(reply->ToStatus(absl::StrCat("orderer admin at ", address)));
  std::cout << reply->body;
  if (!reply->body.empty() && reply->body.back() != '\n') std::cout << "\n";
  return absl::OkStatus();
}

absl::Status RunJoin(const AdminOptions& opts) {
  ASSIGN_OR_RETURN(participation::ParticipationClient client, participation::ParticipationClient::Create(opts.client));
  absl::StatusOr<std::string> block = file::ReadFile(opts.config_block, kMaxConfigBlockBytes);
  if (!block.ok()) return Annotate(block.status(), "--config-block");
  return Print(client.Join(*std::move(block)), opts.client.address);
}

absl::Status RunList(const AdminOptions& opts) {
  ASSIGN_OR_RETURN(participation::ParticipationClient client, participation::ParticipationClient::Create(opts.client));
  return Print(client.List(), opts.client.address);
}

absl::Status RunInfo(const AdminOptions& opts) {
  ASSIGN_OR_RETURN(participation::ParticipationClient client, participation::ParticipationClient::Create(opts.client));
  return Print(client.Info(opts.channel), opts.client.address);
}

absl::Status RunRemove(const AdminOptions& opts) {
  ASSIGN_OR_RETURN(participation::ParticipationClient client, participation::ParticipationClient::Create(opts.client));
  return Print(client.Remove(opts.channel), opts.client.address);
}

// The options every channel subcommand takes: where the Admin listener is and the TLS files to reach it.
void AddConnectionOptions(CLI::App* command, AdminOptions& opts) {
  command->add_option("--admin", opts.client.address, "the orderer's Admin listener, host:port")->required();
  command->add_option("--ca-file", opts.client.ca_file, "PEM CA certificate(s) the orderer's TLS certificate chains to")
      ->required();
  command->add_option("--client-cert", opts.client.client_cert_file, "the administrator's TLS client certificate (PEM)")
      ->required();
  command->add_option("--client-key", opts.client.client_key_file, "its private key (PEM)")->required();
}

}  // namespace

void RegisterOrdererAdminCommands(CLI::App& app, CommandResult& result) {
  CLI::App* orderer = app.add_subcommand("orderer", "Administer an orderer node");
  orderer->require_subcommand(1);
  CLI::App* channel = orderer->add_subcommand(
      "channel", "Join, list, show and remove the channels an orderer serves (Fabric's channel participation API)");
  channel->require_subcommand(1);

  auto join_opts = std::make_shared<AdminOptions>();
  CLI::App* join = channel->add_subcommand("join", "Join the orderer to a channel with the channel's genesis block");
  AddConnectionOptions(join, *join_opts);
  join->add_option("--config-block", join_opts->config_block, "the channel's genesis block (a serialized Block)")
      ->required();
  join->callback([join_opts, &result] { result.status = RunJoin(*join_opts); });

  auto list_opts = std::make_shared<AdminOptions>();
  CLI::App* list = channel->add_subcommand("list", "List the channels the orderer serves");
  AddConnectionOptions(list, *list_opts);
  list->callback([list_opts, &result] { result.status = RunList(*list_opts); });

  auto info_opts = std::make_shared<AdminOptions>();
  CLI::App* info = channel->add_subcommand("info", "Show one channel: consensus relation, status and height");
  AddConnectionOptions(info, *info_opts);
  info->add_option("--channel", info_opts->channel, "the channel ID")->required();
  info->callback([info_opts, &result] { result.status = RunInfo(*info_opts); });

  auto remove_opts = std::make_shared<AdminOptions>();
  CLI::App* remove = channel->add_subcommand("remove", "Stop serving a channel and delete the orderer's copy of it");
  AddConnectionOptions(remove, *remove_opts);
  remove->add_option("--channel", remove_opts->channel, "the channel ID")->required();
  remove->callback([remove_opts, &result] { result.status = RunRemove(*remove_opts); });
}

}  // namespace careledger::cli
