#include "network/launcher/network_state.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/file/file_io.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "nlohmann/json.hpp"

namespace careledger::launcher {
namespace {

using nlohmann::json;

constexpr int kStateVersion = 1;
constexpr uint64_t kMaxStateFileBytes = 4 << 20;

// Reads the fields of one JSON object, remembering the first problem so that a caller checks once.
class FieldReader {
 public:
  FieldReader(const json& object, std::string where, std::string_view source)
      : object_(object), where_(std::move(where)), source_(source) {
    if (!object_.is_object()) Fail(where_, "is not an object");
  }

  std::string String(const char* key) {
    const json* value = Find(key);
    if (value == nullptr) return {};
    if (!value->is_string()) {
      Fail(absl::StrCat(where_, ".", key), "is not a string");
      return {};
    }
    return value->get<std::string>();
  }

  template <typename T>
  T Unsigned(const char* key) {
    const json* value = Find(key);
    if (value == nullptr) return 0;
    if (!value->is_number_unsigned() ||
        value->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<T>::max())) {
      Fail(absl::StrCat(where_, ".", key), "is not a number in range");
      return 0;
    }
    return static_cast<T>(value->get<uint64_t>());
  }

  const json* Array(const char* key) {
    const json* value = Find(key);
    if (value != nullptr && !value->is_array()) {
      Fail(absl::StrCat(where_, ".", key), "is not an array");
      return nullptr;
    }
    return value;
  }

  absl::Status status() const { return status_; }

 private:
  const json* Find(const char* key) {
    if (!status_.ok() || !object_.is_object()) return nullptr;
    auto it = object_.find(key);
    if (it == object_.end()) {
      Fail(absl::StrCat(where_, ".", key), "is missing");
      return nullptr;
    }
    return &*it;
  }

  void Fail(const std::string& field, std::string_view what) {
    if (status_.ok()) {
      status_ = absl::InvalidArgumentError(absl::StrCat(AsAbsl(source_), ": ", field, " ", AsAbsl(what)));
    }
  }

  const json& object_;
  std::string where_;
  std::string_view source_;
  absl::Status status_;
};

json NodeJson(const NodeState& n) {
  return {{"name", n.name},
          {"kind", std::string(NodeKindName(n.kind))},
          {"role", n.role},
          {"organization", n.organization},
          {"mspId", n.msp_id},
          {"host", n.host},
          {"port", n.port},
          {"clusterPort", n.cluster_port},
          {"adminPort", n.admin_port},
          {"operationsPort", n.operations_port},
          {"identityDir", n.identity_dir},
          {"dir", n.dir},
          {"config", n.config_path},
          {"log", n.log_path},
          {"pid", n.pid},
          {"startTime", n.start_time},
          {"executable", n.executable}};
}

absl::StatusOr<NodeState> ParseNode(const json& j, const std::string& where, std::string_view source) {
  FieldReader r(j, where, source);
  NodeState n;
  n.name = r.String("name");
  const std::string kind = r.String("kind");
  n.role = r.String("role");
  n.organization = r.String("organization");
  n.msp_id = r.String("mspId");
  n.host = r.String("host");
  n.port = r.Unsigned<uint16_t>("port");
  n.cluster_port = r.Unsigned<uint16_t>("clusterPort");
  n.admin_port = r.Unsigned<uint16_t>("adminPort");
  n.operations_port = r.Unsigned<uint16_t>("operationsPort");
  n.identity_dir = r.String("identityDir");
  n.dir = r.String("dir");
  n.config_path = r.String("config");
  n.log_path = r.String("log");
  n.pid = static_cast<int64_t>(r.Unsigned<int32_t>("pid"));  // pid_t's range; 0 is an empty slot
  n.start_time = r.Unsigned<uint64_t>("startTime");
  n.executable = r.String("executable");
  RETURN_IF_ERROR(r.status());
  if (kind == "orderer") {
    n.kind = NodeKind::kOrderer;
  } else if (kind == "peer") {
    n.kind = NodeKind::kPeer;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat(AsAbsl(source), ": ", where, ".kind is \"", kind, "\", expected orderer or peer"));
  }
  if (n.name.empty() || n.name.find('/') != std::string::npos || n.name.front() == '.') {
    return absl::InvalidArgumentError(absl::StrCat(AsAbsl(source), ": ", where, ".name is not a node name"));
  }
  return n;
}

}  // namespace

std::string_view NodeKindName(NodeKind kind) { return kind == NodeKind::kOrderer ? "orderer" : "peer"; }

std::string NodeState::Address() const { return absl::StrCat(host, ":", port); }
std::string NodeState::AdminAddress() const { return absl::StrCat(host, ":", admin_port); }
std::string NodeState::TlsCaFile() const { return identity_dir + "/tls/ca.crt"; }

absl::StatusOr<const NodeState*> NetworkState::FindNode(std::string_view name) const {
  std::vector<const NodeState*> matches;
  for (const NodeState& node : nodes) {
    if (node.name == name) return &node;
    if (node.name.size() > name.size() && node.name.compare(0, name.size(), name) == 0 &&
        node.name[name.size()] == '.') {
      matches.push_back(&node);
    }
  }
  if (matches.size() == 1) return matches.front();
  std::vector<std::string> names;
  for (const NodeState* node : matches) names.push_back(node->name);
  if (!matches.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", AsAbsl(name), "\" could be any of ", absl::StrJoin(names, ", ")));
  }
  for (const NodeState& node : nodes) names.push_back(node.name);
  return absl::NotFoundError(
      absl::StrCat("no node \"", AsAbsl(name), "\" in this network; its nodes are ", absl::StrJoin(names, ", ")));
}

const OrganizationState* NetworkState::FindOrganization(std::string_view name) const {
  for (const OrganizationState& org : organizations) {
    if (org.name == name || org.msp_id == name) return &org;
  }
  return nullptr;
}

std::string SerializeNetworkState(const NetworkState& state) {
  json channels = json::array();
  for (const ChannelState& c : state.channels) {
    channels.push_back({{"name", c.name}, {"genesisBlock", c.genesis_block_path}});
  }
  json organizations = json::array();
  for (const OrganizationState& o : state.organizations) {
    organizations.push_back({{"name", o.name}, {"mspId", o.msp_id}, {"type", o.type}, {"adminDir", o.admin_dir}});
  }
  json nodes = json::array();
  for (const NodeState& n : state.nodes) nodes.push_back(NodeJson(n));
  const json root = {{"version", kStateVersion},       {"consortium", state.consortium},
                     {"config", state.config_path},    {"upComplete", state.up_complete},
                     {"channels", channels},           {"organizations", organizations},
                     {"nodes", nodes}};
  return root.dump(2) + "\n";
}

absl::StatusOr<NetworkState> ParseNetworkState(std::string_view text, std::string_view source) {
  const json root = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return absl::InvalidArgumentError(absl::StrCat(AsAbsl(source), ": not JSON"));
  FieldReader r(root, "network", source);
  const int version = r.Unsigned<int>("version");
  NetworkState state;
  state.consortium = r.String("consortium");
  state.config_path = r.String("config");
  const json* channels = r.Array("channels");
  const json* organizations = r.Array("organizations");
  const json* nodes = r.Array("nodes");
  RETURN_IF_ERROR(r.status());
  if (auto complete = root.find("upComplete"); complete != root.end()) {
    if (!complete->is_boolean()) {
      return absl::InvalidArgumentError(absl::StrCat(AsAbsl(source), ": network.upComplete is not true or false"));
    }
    state.up_complete = complete->get<bool>();
  }
  if (version != kStateVersion) {
    return absl::InvalidArgumentError(
        absl::StrCat(AsAbsl(source), ": version ", version, ", this careledger reads version ", kStateVersion));
  }
  for (size_t i = 0; i < channels->size(); ++i) {
    FieldReader c((*channels)[i], absl::StrCat("channels[", i, "]"), source);
    ChannelState channel{c.String("name"), c.String("genesisBlock")};
    RETURN_IF_ERROR(c.status());
    state.channels.push_back(std::move(channel));
  }
  for (size_t i = 0; i < organizations->size(); ++i) {
    FieldReader o((*organizations)[i], absl::StrCat("organizations[", i, "]"), source);
    OrganizationState org{o.String("name"), o.String("mspId"), o.String("type"), o.String("adminDir")};
    RETURN_IF_ERROR(o.status());
    state.organizations.push_back(std::move(org));
  }
  for (size_t i = 0; i < nodes->size(); ++i) {
    ASSIGN_OR_RETURN(NodeState node, ParseNode((*nodes)[i], absl::StrCat("nodes[", i, "]"), source));
    state.nodes.push_back(std::move(node));
  }
  return state;
}

absl::StatusOr<NetworkState> ReadNetworkState(const std::string& dir) {
  const std::string path = absl::StrCat(dir, "/", kNetworkStateFile);
  if (!file::Exists(path)) {
    return absl::NotFoundError(absl::StrCat("no network in ", dir, " (", path,
                                            " does not exist: run `careledger network up` first)"));
  }
  ASSIGN_OR_RETURN(std::string text, file::ReadFile(path, kMaxStateFileBytes));
  return ParseNetworkState(text, path);
}

absl::Status WriteNetworkState(const std::string& dir, const NetworkState& state) {
  return file::WriteFileAtomic(absl::StrCat(dir, "/", kNetworkStateFile), SerializeNetworkState(state));
}

}  // namespace careledger::launcher
