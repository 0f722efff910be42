#include "network/launcher/network_user.h"

#include <algorithm>
#include <filesystem>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/crypto/pem_file.h"
#include "common/status_macros.h"

namespace careledger::launcher {
namespace {

// An organisation's users' folder: its admin's folder's parent (crypto/organizations/<domain>/users).
std::filesystem::path UsersDir(const OrganizationState& org) {
  return std::filesystem::path(org.admin_dir).parent_path();
}

const NodeState* FirstPeer(const NetworkState& state, const std::string& msp_id, std::string_view role) {
  for (const NodeState& node : state.nodes) {
    if (node.kind == NodeKind::kPeer && node.role == role && node.msp_id == msp_id) return &node;
  }
  return nullptr;
}

}  // namespace

std::string NetworkUser::CertFile() const { return (std::filesystem::path(dir) / "msp/signcerts/cert.pem").string(); }
std::string NetworkUser::KeyFile() const { return (std::filesystem::path(dir) / "msp/keystore/priv_sk").string(); }

absl::StatusOr<NetworkUser> FindNetworkUser(const NetworkState& state, const std::string& name) {
  std::vector<NetworkUser> found;
  for (const OrganizationState& org : state.organizations) {
    if (name.empty()) {
      if (FirstPeer(state, org.msp_id, "endorsing") != nullptr) {
        return NetworkUser{&org, std::filesystem::path(org.admin_dir).filename().string(), org.admin_dir};
      }
      continue;
    }
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(UsersDir(org), error)) {
      const std::string folder = entry.path().filename().string();
      if (folder == name || folder.rfind(name + "@", 0) == 0) found.push_back({&org, folder, entry.path().string()});
    }
  }
  if (name.empty()) return absl::NotFoundError("no organisation of the network has an endorsing peer");
  if (found.empty()) return absl::NotFoundError(absl::StrCat("no organisation of the network has a user '", name, "'"));
  if (found.size() > 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("user '", name, "' exists in several organisations: give the full name, e.g. ", found[0].name));
  }
  return found[0];
}

absl::StatusOr<const NodeState*> UserPeer(const NetworkState& state, const NetworkUser& user) {
  const NodeState* peer = FirstPeer(state, user.organization->msp_id, "endorsing");
  if (peer == nullptr) peer = FirstPeer(state, user.organization->msp_id, "audit");
  if (peer == nullptr) {
    return absl::NotFoundError(absl::StrCat("organisation ", user.organization->name, " has no peer"));
  }
  return peer;
}

absl::StatusOr<UserConnection> ConnectNetworkUser(const NetworkState& state, const UserConnectionOptions& options) {
  if (state.channels.empty()) return absl::FailedPreconditionError("the network has no channel");
  ASSIGN_OR_RETURN(NetworkUser user, FindNetworkUser(state, options.user));
  const NodeState* peer = nullptr;
  if (options.peer.empty()) {
    ASSIGN_OR_RETURN(peer, UserPeer(state, user));
  } else {
    ASSIGN_OR_RETURN(peer, state.FindNode(options.peer));
    if (peer->kind != NodeKind::kPeer) return absl::InvalidArgumentError(absl::StrCat(peer->name, " is not a peer"));
  }
  std::string channel = options.channel.empty() ? state.channels.front().name : options.channel;
  if (std::none_of(state.channels.begin(), state.channels.end(),
                   [&](const ChannelState& c) { return c.name == channel; })) {
    return absl::NotFoundError(absl::StrCat("the network has no channel ", channel));
  }
  absl::StatusOr<msp::SigningIdentity> identity =
      msp::LoadSigningIdentity(user.dir + "/msp", user.organization->msp_id);
  if (!identity.ok()) return Annotate(identity.status(), absl::StrCat("loading user ", user.name));
  client::GatewayEndpoint endpoint;
  endpoint.address = peer->Address();
  ASSIGN_OR_RETURN(endpoint.tls_root_certs_pem, crypto::ReadCertificatePem(peer->TlsCaFile()));
  endpoint.server_name_override = peer->name;
  auto signer = std::make_shared<const msp::SigningIdentity>(*std::move(identity));
  ASSIGN_OR_RETURN(client::GatewayClient gateway, client::GatewayClient::Connect(endpoint, signer));
  return UserConnection{std::move(user), peer, std::move(channel), std::move(endpoint), std::move(signer),
                        std::move(gateway)};
}

}  // namespace careledger::launcher
