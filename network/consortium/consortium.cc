#include "network/consortium/consortium.h"

#include <set>

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

absl::StatusOr<PeerSpec> ParsePeer(config::ConfigNode& node, OrganizationType org_type) {
  PeerSpec peer;
  ASSIGN_OR_RETURN(peer.name, GetName(node, "name"));
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
    org.orderers.push_back(std::move(orderer));
  }
  if (org.type == OrganizationType::kOrderer && !org.peers.empty()) {
    return node.InvalidValueError("peers", "the ordering organisation runs orderers, not peers");
  }
  // Defaults: each kind of organisation gets the node it is for, unless the file lists nodes itself.
  if (!has_peers && !has_orderers) {
    if (org.type == OrganizationType::kHospital) org.peers.push_back({"peer0", PeerRole::kEndorsing});
    if (org.type == OrganizationType::kRegulator) org.peers.push_back({"audit0", PeerRole::kAudit});
    if (org.type == OrganizationType::kOrderer) org.orderers.push_back({"orderer0"});
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
  RETURN_IF_ERROR(doc.CheckNoUnknownKeys());
  return consortium;
}

absl::StatusOr<Consortium> LoadConsortium(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, file::ReadFile(path, kMaxConsortiumFileBytes));
  return ParseConsortium(text, path);
}

}  // namespace careledger::network
