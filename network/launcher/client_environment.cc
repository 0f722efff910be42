#include "network/launcher/client_environment.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace careledger::launcher {
namespace {

// An organisation's users' folder: its admin's folder's parent (crypto/organizations/<domain>/users).
std::filesystem::path UsersDir(const OrganizationState& org) {
  return std::filesystem::path(org.admin_dir).parent_path();
}

const NodeState* FirstEndorsingPeer(const NetworkState& state, const std::string& msp_id) {
  for (const NodeState& node : state.nodes) {
    if (node.kind == NodeKind::kPeer && node.role == "endorsing" && node.msp_id == msp_id) return &node;
  }
  return nullptr;
}

struct FoundUser {
  const OrganizationState* org = nullptr;
  std::filesystem::path dir;  // users/<name>@<domain>
};

absl::StatusOr<FoundUser> FindUser(const NetworkState& state, const std::string& user) {
  std::vector<FoundUser> found;
  for (const OrganizationState& org : state.organizations) {
    if (user.empty()) {
      if (FirstEndorsingPeer(state, org.msp_id) != nullptr) return FoundUser{&org, org.admin_dir};
      continue;
    }
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(UsersDir(org), error)) {
      const std::string name = entry.path().filename().string();
      if (name == user || name.rfind(user + "@", 0) == 0) found.push_back({&org, entry.path()});
    }
  }
  if (user.empty()) return absl::NotFoundError("no organisation of the network has an endorsing peer");
  if (found.empty()) return absl::NotFoundError(absl::StrCat("no organisation of the network has a user '", user, "'"));
  if (found.size() > 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("user '", user, "' exists in several organisations: give the full name, e.g. ",
                     found[0].dir.filename().string()));
  }
  return found[0];
}

}  // namespace

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ClientEnvironment(
    const NetworkState& state, const ClientEnvironmentOptions& options) {
  if (state.channels.empty()) return absl::FailedPreconditionError("the network has no channel");
  absl::StatusOr<FoundUser> user = FindUser(state, options.user);
  if (!user.ok()) return user.status();
  const NodeState* peer = FirstEndorsingPeer(state, user->org->msp_id);
  if (peer == nullptr) {
    return absl::NotFoundError(absl::StrCat("organisation ", user->org->name, " has no endorsing peer"));
  }
  return std::vector<std::pair<std::string, std::string>>{
      {"GW_ENDPOINT", peer->Address()},
      {"GW_TLS_CA", peer->TlsCaFile()},
      {"GW_HOST", peer->name},
      {"GW_MSP", user->org->msp_id},
      {"GW_CERT", (user->dir / "msp/signcerts/cert.pem").string()},
      {"GW_KEY", (user->dir / "msp/keystore/priv_sk").string()},
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
