#include "network/consortium/consortium.h"

#include <map>
#include <algorithm>
#include <limits>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/config/config_document.h"
#include "common/file/file_io.h"
#include "common/status_macros.h"

namespace careledger::network {
namespace {

constexpr uint64_t kMaxConsortiumFileBytes = 4 << 20;

// Names become host names, folder names and certificate common names.
bool IsSafeName(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  if (!absl::ascii_isalnum(static_cast<unsigned char>(s.front()))) return false;
  for (char c : s) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') return false;
  }
  return true;
}

absl::StatusOr<std::string> GetName(config::ConfigNode& node, std::string_view key) {
  ASSIGN_OR_RETURN(std::string name, node.GetString(key));
  if (!IsSafeName(name)) {
    return node.InvalidValueError(key, "must be 1-63 letters, digits, '.', '-' or '_', starting with a letter or digit");
  }
  return name;
}

absl::StatusOr<OrganizationType> ParseType(config::ConfigNode& node) {
  ASSIGN_OR_RETURN(std::string type, node.GetStringOr("type", "hospital"));
  if (type == "hospital") return OrganizationType::kHospital;
  if (type == "regulator") return OrganizationType::kRegulator;
  if (type == "orderer") return OrganizationType::kOrderer;
  return node.InvalidValueError("type", absl::StrCat("expected hospital, regulator or orderer, got \"", type, "\""));
}

constexpr config::IntRange kPortRange{1, 65535};

// A node's own `host` and ports; 0 for a port it leaves to NetworkDefaults.
absl::Status ParseListeners(config::ConfigNode& node, std::string& host,
                            std::vector<std::pair<const char*, uint16_t*>> ports) {
  ASSIGN_OR_RETURN(host, node.GetStringOr("host", ""));
  if (!host.empty() && !IsSafeName(host)) return node.InvalidValueError("host", "must be a host name or IPv4 address");
  for (auto& [key, port] : ports) {
    if (!node.Has(key)) continue;  // 0: NetworkDefaults gives it one
    ASSIGN_OR_RETURN(int64_t value, node.GetInt(key, kPortRange));
    *port = static_cast<uint16_t>(value);
  }
  return absl::OkStatus();
}

absl::StatusOr<PeerSpec> ParsePeer(config::ConfigNode& node, OrganizationType org_type) {
  PeerSpec peer;
  ASSIGN_OR_RETURN(peer.name, GetName(node, "name"));
  RETURN_IF_ERROR(ParseListeners(
      node, peer.host,
      {{"port", &peer.port}, {"adminPort", &peer.admin_port}, {"operationsPort", &peer.operations_port}}));
  const char* default_role = org_type == OrganizationType::kRegulator ? "audit" : "endorsing";
  ASSIGN_OR_RETURN(std::string role, node.GetStringOr("role", default_role));
  if (role == "endorsing") {
    peer.role = PeerRole::kEndorsing;
  } else if (role == "audit") {
    peer.role = PeerRole::kAudit;
  } else {
    return node.InvalidValueError("role", absl::StrCat("expected endorsing or audit, got \"", role, "\""));
  }
  if (org_type == OrganizationType::kRegulator && peer.role == PeerRole::kEndorsing) {
    return node.InvalidValueError("role", "a regulator's peers are audit peers: regulators never endorse");
  }
  return peer;
}

absl::StatusOr<UserSpec> ParseUser(config::ConfigNode& node, OrganizationType org_type) {
  UserSpec user;
  ASSIGN_OR_RETURN(user.name, GetName(node, "name"));
  ASSIGN_OR_RETURN(std::string type, node.GetStringOr("type", "client"));
  if (type == "client") {
    user.node_ou = msp::NodeRole::kClient;
  } else if (type == "admin") {
    user.node_ou = msp::NodeRole::kAdmin;
  } else {
    return node.InvalidValueError("type", absl::StrCat("expected client or admin, got \"", type, "\""));
  }
  if (node.Has("attributes")) {
    ASSIGN_OR_RETURN(config::ConfigNode attrs, node.GetMapping("attributes"));
    for (const std::string& key : attrs.KeysInFile()) {
      ASSIGN_OR_RETURN(std::string value, attrs.GetString(key));
      user.attributes[key] = value;
    }
  }
  ASSIGN_OR_RETURN(std::string role, node.GetStringOr("role", ""));
  if (!role.empty()) {
    if (absl::Status st = CheckRoleAllowed(role, org_type); !st.ok()) return node.InvalidValueError("role", std::string(st.message()));
    user.attributes[kRoleAttribute] = role;
  }
  ASSIGN_OR_RETURN(std::string person_id, node.GetStringOr("personId", ""));
  if (!person_id.empty()) user.attributes[kPersonIdAttribute] = person_id;
  return user;
}

template <typename T>
absl::Status CheckUnique(const std::vector<T>& items, config::ConfigNode& org, std::string_view list_key) {
  std::set<std::string> seen;
  for (const T& item : items) {
    if (!seen.insert(item.name).second) {
      return org.InvalidValueError(list_key, absl::StrCat("name \"", item.name, "\" appears twice"));
    }
  }
  return absl::OkStatus();
}

PeerSpec DefaultPeer(std::string name, PeerRole role) {
  PeerSpec peer;
  peer.name = std::move(name);
  peer.role = role;
  return peer;
}

absl::StatusOr<OrganizationSpec> ParseOrganization(config::ConfigNode& node) {
  OrganizationSpec org;
  ASSIGN_OR_RETURN(org.name, GetName(node, "name"));
  ASSIGN_OR_RETURN(org.msp_id, node.GetStringOr("mspId", org.name + "MSP"));
  if (!IsSafeName(org.msp_id)) return node.InvalidValueError("mspId", "must be a safe name like Hospital1MSP");
  ASSIGN_OR_RETURN(org.domain, node.GetStringOr("domain", absl::AsciiStrToLower(org.name) + ".example.org"));
  if (!IsSafeName(org.domain) || org.domain.find('_') != std::string::npos) {
    return node.InvalidValueError("domain", "must be a DNS name such as hospital1.example.org");
  }
  ASSIGN_OR_RETURN(org.type, ParseType(node));
  ASSIGN_OR_RETURN(org.country, node.GetStringOr("country", ""));
  ASSIGN_OR_RETURN(org.state, node.GetStringOr("state", ""));
  ASSIGN_OR_RETURN(org.locality, node.GetStringOr("locality", ""));
  ASSIGN_OR_RETURN(org.intermediate_ca, node.GetBoolOr("intermediateCa", false));

  const bool has_peers = node.Has("peers"), has_orderers = node.Has("orderers");
  ASSIGN_OR_RETURN(std::vector<config::ConfigNode> peers, node.GetMappingListOrEmpty("peers"));
  for (config::ConfigNode& p : peers) {
    ASSIGN_OR_RETURN(PeerSpec peer, ParsePeer(p, org.type));
    org.peers.push_back(std::move(peer));
  }
  ASSIGN_OR_RETURN(std::vector<config::ConfigNode> orderers, node.GetMappingListOrEmpty("orderers"));
  for (config::ConfigNode& o : orderers) {
    OrdererSpec orderer;
    ASSIGN_OR_RETURN(orderer.name, GetName(o, "name"));
    RETURN_IF_ERROR(ParseListeners(o, orderer.host,
                                   {{"port", &orderer.port},
                                    {"clusterPort", &orderer.cluster_port},
                                    {"adminPort", &orderer.admin_port},
                                    {"operationsPort", &orderer.operations_port}}));
    org.orderers.push_back(std::move(orderer));
  }
  if (org.type == OrganizationType::kOrderer && !org.peers.empty()) {
    return node.InvalidValueError("peers", "the ordering organisation runs orderers, not peers");
  }
  // Defaults: each kind of organisation gets the node it is for, unless the file lists nodes itself.
  if (!has_peers && !has_orderers) {
    if (org.type == OrganizationType::kHospital) org.peers.push_back(DefaultPeer("peer0", PeerRole::kEndorsing));
    if (org.type == OrganizationType::kRegulator) org.peers.push_back(DefaultPeer("audit0", PeerRole::kAudit));
    if (org.type == OrganizationType::kOrderer) {
      OrdererSpec orderer;
      orderer.name = "orderer0";
      org.orderers.push_back(std::move(orderer));
    }
  }

  ASSIGN_OR_RETURN(std::vector<config::ConfigNode> users, node.GetMappingListOrEmpty("users"));
  for (config::ConfigNode& u : users) {
    ASSIGN_OR_RETURN(UserSpec user, ParseUser(u, org.type));
    org.users.push_back(std::move(user));
  }
  bool has_admin = false;
  for (const UserSpec& u : org.users) has_admin = has_admin || u.node_ou == msp::NodeRole::kAdmin;
  if (!has_admin) org.users.insert(org.users.begin(), UserSpec{"Admin", msp::NodeRole::kAdmin, {}});

  RETURN_IF_ERROR(CheckUnique(org.peers, node, "peers"));
  RETURN_IF_ERROR(CheckUnique(org.orderers, node, "orderers"));
  RETURN_IF_ERROR(CheckUnique(org.users, node, "users"));
  std::set<std::string> node_names;
  for (const PeerSpec& p : org.peers) node_names.insert(p.name);
  for (const OrdererSpec& o : org.orderers) {
    if (node_names.count(o.name)) {
      return node.InvalidValueError("orderers", absl::StrCat("\"", o.name, "\" is also the name of a peer"));
    }
  }
  return org;
}

// Gives every node its host and the ports it did not set (consortium.h, NetworkDefaults), then checks that
// no two listeners share a host and port.
absl::Status ResolveListeners(Consortium& consortium, config::ConfigNode& root) {
  int k = 0;
  const auto default_port = [&](int node, int offset) -> absl::StatusOr<uint16_t> {
    const int64_t port = int64_t{consortium.network.base_port} + int64_t{kPortsPerNode} * node + offset;
    if (port > 65535) {
      return root.InvalidValueError("network", absl::StrCat("basePort ", consortium.network.base_port,
                                                            " leaves node ", node, " no port below 65536"));
    }
    return static_cast<uint16_t>(port);
  };
  const auto fill = [&](uint16_t& port, int offset) -> absl::Status {
    if (port != 0) return absl::OkStatus();
    ASSIGN_OR_RETURN(port, default_port(k, offset));
    return absl::OkStatus();
  };
  std::map<std::pair<std::string, uint16_t>, std::string> taken;  // host:port -> who listens there
  const auto claim = [&](const std::string& host, uint16_t port, const std::string& who) -> absl::Status {
    auto [it, inserted] = taken.emplace(std::make_pair(host, port), who);
    if (!inserted) {
      return root.InvalidValueError(
          "organizations", absl::StrCat(who, " and ", it->second, " both listen on ", host, ":", port));
    }
    return absl::OkStatus();
  };
  for (OrganizationSpec& org : consortium.organizations) {
    for (OrdererSpec& o : org.orderers) {
      if (o.host.empty()) o.host = consortium.network.host;
      RETURN_IF_ERROR(fill(o.port, 0));
      RETURN_IF_ERROR(fill(o.cluster_port, 1));
      RETURN_IF_ERROR(fill(o.admin_port, 2));
      RETURN_IF_ERROR(fill(o.operations_port, 3));
      ++k;
      const std::string who = absl::StrCat(o.name, ".", org.domain);
      RETURN_IF_ERROR(claim(o.host, o.port, who + " (port)"));
      RETURN_IF_ERROR(claim(o.host, o.cluster_port, who + " (clusterPort)"));
      RETURN_IF_ERROR(claim(o.host, o.admin_port, who + " (adminPort)"));
      RETURN_IF_ERROR(claim(o.host, o.operations_port, who + " (operationsPort)"));
    }
  }
  for (OrganizationSpec& org : consortium.organizations) {
    for (PeerSpec& p : org.peers) {
      if (p.host.empty()) p.host = consortium.network.host;
      RETURN_IF_ERROR(fill(p.port, 0));
      RETURN_IF_ERROR(fill(p.admin_port, 1));
      RETURN_IF_ERROR(fill(p.operations_port, 2));
      ++k;
      const std::string who = absl::StrCat(p.name, ".", org.domain);
      RETURN_IF_ERROR(claim(p.host, p.port, who + " (port)"));
      RETURN_IF_ERROR(claim(p.host, p.admin_port, who + " (adminPort)"));
      RETURN_IF_ERROR(claim(p.host, p.operations_port, who + " (operationsPort)"));
    }
  }
  return absl::OkStatus();
}

// Fabric's channel ID rule.
bool IsChannelId(std::string_view s) {
  if (s.empty() || s.size() > 249 || !absl::ascii_islower(static_cast<unsigned char>(s.front()))) return false;
  for (char c : s) {
    if (!absl::ascii_islower(static_cast<unsigned char>(c)) && !absl::ascii_isdigit(static_cast<unsigned char>(c)) &&
        c != '.' && c != '-') {
      return false;
    }
  }
  return true;
}

// AND('<msp>.peer', ...) over the channel's hospitals that run an endorsing peer.
std::string DefaultEndorsementPolicy(const Consortium& consortium, const std::vector<std::string>& organizations) {
  std::string policy;
  for (const std::string& name : organizations) {
    const OrganizationSpec* org = consortium.FindOrganization(name);
    if (org == nullptr || org->type != OrganizationType::kHospital) continue;
    bool endorses = false;
    for (const PeerSpec& p : org->peers) endorses = endorses || p.role == PeerRole::kEndorsing;
    if (!endorses) continue;
    absl::StrAppend(&policy, policy.empty() ? "" : ",", "'", org->msp_id, ".peer'");
  }
  return policy.empty() ? std::string() : absl::StrCat("AND(", policy, ")");
}

absl::StatusOr<BatchSpec> ParseBatch(config::ConfigNode& channel) {
  BatchSpec batch;
  if (!channel.Has("batch")) return batch;
  ASSIGN_OR_RETURN(config::ConfigNode node, channel.GetMapping("batch"));
  ASSIGN_OR_RETURN(batch.timeout,
                   node.GetDurationOr("timeout", batch.timeout, {absl::Milliseconds(1), absl::Hours(1)}));
  constexpr uint64_t kMaxBytes = 0xFFFFFFFFu;
  ASSIGN_OR_RETURN(int64_t count, node.GetIntOr("maxMessageCount", batch.max_message_count, {1, 0xFFFFFFFFLL}));
  batch.max_message_count = static_cast<uint32_t>(count);
  ASSIGN_OR_RETURN(uint64_t absolute, node.GetByteSizeOr("absoluteMaxBytes", batch.absolute_max_bytes, {1, kMaxBytes}));
  batch.absolute_max_bytes = static_cast<uint32_t>(absolute);
  ASSIGN_OR_RETURN(uint64_t preferred,
                   node.GetByteSizeOr("preferredMaxBytes", std::min<uint64_t>(batch.preferred_max_bytes, absolute),
                                      {1, kMaxBytes}));
  if (preferred > absolute) return node.InvalidValueError("preferredMaxBytes", "exceeds absoluteMaxBytes");
  batch.preferred_max_bytes = static_cast<uint32_t>(preferred);
  return batch;
}

absl::StatusOr<ChaincodeSpec> ParseChaincode(config::ConfigNode& node, const std::string& default_policy) {
  ChaincodeSpec cc;
  ASSIGN_OR_RETURN(cc.name, GetName(node, "name"));
  ASSIGN_OR_RETURN(cc.version, node.GetStringOr("version", cc.version));
  if (cc.version.empty()) return node.InvalidValueError("version", "must not be empty");
  ASSIGN_OR_RETURN(cc.sequence, node.GetIntOr("sequence", cc.sequence, {1, std::numeric_limits<int64_t>::max()}));
  ASSIGN_OR_RETURN(cc.package_id, node.GetStringOr("package", "builtin:" + cc.name));
  if (cc.package_id.empty()) return node.InvalidValueError("package", "must not be empty");
  ASSIGN_OR_RETURN(cc.endorsement_policy, node.GetStringOr("endorsementPolicy", default_policy));
  if (cc.endorsement_policy.empty()) {
    return node.InvalidValueError("endorsementPolicy",
                                  "is needed: the channel has no hospital with an endorsing peer to default to");
  }
  return cc;
}

absl::StatusOr<ChannelDescription> ParseChannel(config::ConfigNode* node, const Consortium& consortium) {
  ChannelDescription channel;
  channel.name = kDefaultChannelName;
  if (node != nullptr) {
    ASSIGN_OR_RETURN(channel.name, node->GetStringOr("name", channel.name));
    if (!IsChannelId(channel.name)) {
      return node->InvalidValueError("name", "must be lower-case letters, digits, '.' or '-', starting with a letter");
    }
  }
  if (node != nullptr && node->Has("organizations")) {
    ASSIGN_OR_RETURN(channel.organizations, node->GetStringList("organizations"));
    if (channel.organizations.empty()) return node->InvalidValueError("organizations", "lists no organisation");
    std::set<std::string> seen;
    for (std::string& name : channel.organizations) {
      const OrganizationSpec* org = consortium.FindOrganization(name);
      if (org == nullptr) {
        return node->InvalidValueError("organizations", absl::StrCat("no organisation \"", name, "\""));
      }
      if (org->type == OrganizationType::kOrderer) {
        return node->InvalidValueError("organizations",
                                       absl::StrCat(org->name, " is the ordering organisation, not a channel member"));
      }
      name = org->name;  // an MSP ID names the organisation too
      if (!seen.insert(name).second) {
        return node->InvalidValueError("organizations", absl::StrCat(name, " is listed twice"));
      }
    }
  } else {
    for (const OrganizationSpec& org : consortium.organizations) {
      if (org.type != OrganizationType::kOrderer) channel.organizations.push_back(org.name);
    }
  }
  if (node != nullptr) {
    ASSIGN_OR_RETURN(channel.batch, ParseBatch(*node));
  }
  const std::string default_policy = DefaultEndorsementPolicy(consortium, channel.organizations);
  if (node != nullptr && node->Has("chaincodes")) {
    ASSIGN_OR_RETURN(std::vector<config::ConfigNode> chaincodes, node->GetMappingListOrEmpty("chaincodes"));
    for (config::ConfigNode& c : chaincodes) {
      ASSIGN_OR_RETURN(ChaincodeSpec cc, ParseChaincode(c, default_policy));
      channel.chaincodes.push_back(std::move(cc));
    }
    RETURN_IF_ERROR(CheckUnique(channel.chaincodes, *node, "chaincodes"));
  } else if (!default_policy.empty()) {
    for (const char* name : {"bench", "healthcare"}) {
      ChaincodeSpec builtin;
      builtin.name = name;
      builtin.package_id = absl::StrCat("builtin:", name);
      builtin.endorsement_policy = default_policy;
      channel.chaincodes.push_back(std::move(builtin));
    }
  }
  return channel;
}

absl::Status ParseChannels(Consortium& consortium, config::ConfigNode& root) {
  if (!root.Has("channels")) {
    if (consortium.organizations.empty()) return absl::OkStatus();
    bool has_member = false;
    for (const OrganizationSpec& org : consortium.organizations) has_member |= org.type != OrganizationType::kOrderer;
    if (!has_member) return absl::OkStatus();  // an ordering service alone: no channel to default to
    ASSIGN_OR_RETURN(ChannelDescription channel, ParseChannel(nullptr, consortium));
    consortium.channels.push_back(std::move(channel));
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(std::vector<config::ConfigNode> channels, root.GetMappingListOrEmpty("channels"));
  for (config::ConfigNode& node : channels) {
    ASSIGN_OR_RETURN(ChannelDescription channel, ParseChannel(&node, consortium));
    consortium.channels.push_back(std::move(channel));
  }
  return CheckUnique(consortium.channels, root, "channels");
}

}  // namespace

absl::Status CheckRoleAllowed(std::string_view role, OrganizationType type) {
  const bool hospital_role = role == "doctor" || role == "nurse" || role == "patient" || role == "guardian";
  if (!hospital_role && role != "regulator") {
    return absl::InvalidArgumentError(absl::StrCat("expected doctor, nurse, patient, guardian or regulator, got \"",
                                                   std::string(role), "\""));
  }
  if (hospital_role && type != OrganizationType::kHospital) {
    return absl::InvalidArgumentError(absl::StrCat("a ", std::string(role), " belongs to a hospital organisation"));
  }
  if (role == "regulator" && type != OrganizationType::kRegulator) {
    return absl::InvalidArgumentError("a regulator belongs to the regulator organisation");
  }
  return absl::OkStatus();
}

std::string_view OrganizationTypeName(OrganizationType type) {
  switch (type) {
    case OrganizationType::kHospital: return "hospital";
    case OrganizationType::kRegulator: return "regulator";
    case OrganizationType::kOrderer: return "orderer";
  }
  return "unknown";
}

std::string_view PeerRoleName(PeerRole role) { return role == PeerRole::kAudit ? "audit" : "endorsing"; }

const OrganizationSpec* Consortium::FindOrganization(std::string_view name_or_msp_id) const {
  for (const OrganizationSpec& org : organizations) {
    if (org.name == name_or_msp_id || org.msp_id == name_or_msp_id) return &org;
  }
  return nullptr;
}

absl::StatusOr<Consortium> ParseConsortium(std::string_view yaml, std::string_view source_name) {
  ASSIGN_OR_RETURN(config::ConfigDocument doc, config::ConfigDocument::Parse(yaml, source_name));
  config::ConfigNode root = doc.Root();
  Consortium consortium;
  ASSIGN_OR_RETURN(consortium.name, root.GetStringOr("name", "healthnet"));
  if (!IsSafeName(consortium.name)) return root.InvalidValueError("name", "must be a safe name like healthnet");
  if (root.Has("network")) {
    ASSIGN_OR_RETURN(config::ConfigNode network, root.GetMapping("network"));
    ASSIGN_OR_RETURN(consortium.network.host, network.GetStringOr("host", consortium.network.host));
    if (!IsSafeName(consortium.network.host)) {
      return network.InvalidValueError("host", "must be a host name or IPv4 address");
    }
    ASSIGN_OR_RETURN(int64_t base, network.GetIntOr("basePort", consortium.network.base_port, kPortRange));
    consortium.network.base_port = static_cast<uint16_t>(base);
  }
  ASSIGN_OR_RETURN(std::vector<config::ConfigNode> orgs, root.GetMappingList("organizations"));
  if (orgs.empty()) return root.InvalidValueError("organizations", "lists no organisation");
  std::set<std::string> names, msp_ids, domains;
  for (config::ConfigNode& node : orgs) {
    ASSIGN_OR_RETURN(OrganizationSpec org, ParseOrganization(node));
    if (!names.insert(org.name).second) return node.InvalidValueError("name", "two organisations share this name");
    if (!msp_ids.insert(org.msp_id).second) {
      return node.InvalidValueError("mspId", absl::StrCat("MSP ID ", org.msp_id, " is used twice"));
    }
    if (!domains.insert(org.domain).second) {
      return node.InvalidValueError("domain", absl::StrCat("domain ", org.domain, " is used twice"));
    }
    consortium.organizations.push_back(std::move(org));
  }
  RETURN_IF_ERROR(ResolveListeners(consortium, root));
  RETURN_IF_ERROR(ParseChannels(consortium, root));
  RETURN_IF_ERROR(doc.CheckNoUnknownKeys());
  return consortium;
}

absl::StatusOr<Consortium> LoadConsortium(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, file::ReadFile(path, kMaxConsortiumFileBytes));
  return ParseConsortium(text, path);
}

}  // namespace careledger::network
