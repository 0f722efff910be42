#include "network/launcher/client_environment.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "network/launcher/network_user.h"

namespace careledger::launcher {

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ClientEnvironment(
    const NetworkState& state, const ClientEnvironmentOptions& options) {
  if (state.channels.empty()) return absl::FailedPreconditionError("the network has no channel");
  absl::StatusOr<NetworkUser> user = FindNetworkUser(state, options.user);
  if (!user.ok()) return user.status();
  absl::StatusOr<const NodeState*> peer = UserPeer(state, *user);
  if (!peer.ok()) return peer.status();
  return std::vector<std::pair<std::string, std::string>>{
      {"GW_ENDPOINT", (*peer)->Address()},
      {"GW_TLS_CA", (*peer)->TlsCaFile()},
      {"GW_HOST", (*peer)->name},
      {"GW_MSP", user->organization->msp_id},
      {"GW_CERT", user->CertFile()},
      {"GW_KEY", user->KeyFile()},
      {"GW_CHANNEL", state.channels.front().name},
      {"GW_CC", options.chaincode},
  };
}

std::string FormatExports(const std::vector<std::pair<std::string, std::string>>& variables) {
  std::string out;
  for (const auto& [name, value] : variables) {
    absl::StrAppend(&out, "export ", name, "='", absl::StrReplaceAll(value, {{"'", "'\\''"}}), "'\n");
  }
  return out;
}

}  // namespace careledger::launcher
