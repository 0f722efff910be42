// careledger orderer|peer channel join|list|info|remove: a node's channel participation API (what Fabric's
// osnadmin does for orderers), over HTTPS with the administrator's TLS client certificate. Both nodes serve
// the same API (common/participation), so one set of verbs serves both, registered once per node kind. The
// server's JSON reply is printed on stdout; a reply that is not 2xx fails the command (exit 1) with the
// server's error.
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

// A genesis block is at most as large as the largest message a node accepts by default.
constexpr uint64_t kMaxConfigBlockBytes = uint64_t{100} << 20;

// How the help and the errors name a node kind.
struct NodeNames {
  std::string command;       // "orderer"
  std::string with_article;  // "an orderer"
  std::string listener;      // where its admin listener is configured
};

NodeNames NamesOf(ParticipatingNode node) {
  switch (node) {
    case ParticipatingNode::kOrderer:
      return {"orderer", "an orderer", "its Admin.ListenAddress"};
    case ParticipatingNode::kPeer:
      return {"peer", "a peer", "its peer.admin.listenAddress"};
  }
  return {};
}

struct ParticipationOptions {
  participation::ParticipationClientOptions client;
  std::string config_block;  // join
  std::string channel;       // info, remove
};

using participation::ParticipationClient;
using participation::ParticipationReply;

// What a verb asks the node, once the client is made.
using Request = absl::StatusOr<ParticipationReply> (*)(const ParticipationClient&, const ParticipationOptions&);

absl::StatusOr<ParticipationReply> Join(const ParticipationClient& client, const ParticipationOptions& opts) {
  absl::StatusOr<std::string> block = file::ReadFile(opts.config_block, kMaxConfigBlockBytes);
  if (!block.ok()) return Annotate(block.status(), "--config-block");
  return client.Join(*std::move(block));
}

absl::StatusOr<ParticipationReply> List(const ParticipationClient& client, const ParticipationOptions&) {
  return client.List();
}

absl::StatusOr<ParticipationReply> Info(const ParticipationClient& client, const ParticipationOptions& opts) {
  return client.Info(opts.channel);
}

absl::StatusOr<ParticipationReply> Remove(const ParticipationClient& client, const ParticipationOptions& opts) {
  return client.Remove(opts.channel);
}

// Sends the request and prints a successful reply's body (nothing for 204); any other reply becomes the
// command's error.
absl::Status Run(const ParticipationOptions& opts, Request request) {
  ASSIGN_OR_RETURN(ParticipationClient client, ParticipationClient::Create(opts.client));
  ASSIGN_OR_RETURN(ParticipationReply reply, request(client, opts));
  RETURN_IF_ERROR(reply.ToStatus(absl::StrCat(opts.client.server_name, " at ", opts.client.address)));
  std::cout << reply.body;
  if (!reply.body.empty() && reply.body.back() != '\n') std::cout << "\n";
  return absl::OkStatus();
}

// One verb: its command, to add the verb's own options to, and where they are stored.
struct Verb {
  CLI::App* command;
  std::shared_ptr<ParticipationOptions> opts;
};

// Adds a verb with the options every one takes: where the node's admin listener is and the TLS files to
// reach it.
Verb AddVerb(CLI::App* channel, const NodeNames& names, const std::string& name, const std::string& description,
             Request request, CommandResult& result) {
  auto opts = std::make_shared<ParticipationOptions>();
  opts->client.server_name = absl::StrCat(names.command, " admin");
  CLI::App* command = channel->add_subcommand(name, description);
  command
      ->add_option("--admin", opts->client.address,
                   absl::StrCat("the ", names.command, "'s admin listener (", names.listener, "), host:port"))
      ->required();
  command
      ->add_option("--ca-file", opts->client.ca_file,
                   absl::StrCat("PEM CA certificate(s) the ", names.command, "'s TLS certificate chains to"))
      ->required();
  command
      ->add_option("--client-cert", opts->client.client_cert_file, "the administrator's TLS client certificate (PEM)")
      ->required();
  command->add_option("--client-key", opts->client.client_key_file, "its private key (PEM)")->required();
  command->callback([opts, request, &result] { result.status = Run(*opts, request); });
  return {command, opts};
}

}  // namespace

void RegisterChannelParticipationCommands(CLI::App& app, CommandResult& result, ParticipatingNode node) {
  const NodeNames names = NamesOf(node);
  CLI::App* node_command = app.add_subcommand(names.command, absl::StrCat("Administer ", names.with_article, " node"));
  node_command->require_subcommand(1);
  CLI::App* channel = node_command->add_subcommand(
      "channel", absl::StrCat("Join, list, show and remove the channels ", names.with_article,
                              " serves (Fabric's channel participation API)"));
  channel->require_subcommand(1);

  Verb join = AddVerb(channel, names, "join",
                      absl::StrCat("Join the ", names.command, " to a channel with the channel's genesis block"),
                      Join, result);
  join.command
      ->add_option("--config-block", join.opts->config_block, "the channel's genesis block (a serialized Block)")
      ->required();
  AddVerb(channel, names, "list", absl::StrCat("List the channels the ", names.command, " serves"), List, result);
  Verb info = AddVerb(channel, names, "info", "Show one channel: consensus relation, status and height", Info,
                      result);
  info.command->add_option("--channel", info.opts->channel, "the channel ID")->required();
  Verb remove = AddVerb(channel, names, "remove",
                        absl::StrCat("Stop serving a channel and delete the ", names.command, "'s copy of it"),
                        Remove, result);
  remove.command->add_option("--channel", remove.opts->channel, "the channel ID")->required();
}

}  // namespace careledger::cli
