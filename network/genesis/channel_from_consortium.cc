#include "network/genesis/channel_from_consortium.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/channelconfig/config_keys.h"
#include "common/crypto/x509.h"
#include "common/file/file_io.h"
#include "common/status_macros.h"
#include "msp/msp_dir.h"
#include "network/identity/consortium_identities.h"

namespace careledger::network {
namespace {

// A TLS certificate is a few hundred bytes; anything much larger is not one.
constexpr uint64_t kMaxCertificateBytes = 64 << 10;

std::string OrgLabel(const OrganizationSpec& org) {
  return absl::StrCat("organisation ", org.name, " (", org.msp_id, ")");
}

absl::StatusOr<::msp::FabricMSPConfig> LoadOrgMsp(const std::string& crypto_dir, const OrganizationSpec& org) {
  const std::string dir = OrganizationDir(crypto_dir, org) + "/msp";
  auto config = msp::LoadMspConfig(dir, org.msp_id);
  if (!config.ok()) return Annotate(config.status(), AsStd(OrgLabel(org)));
  return config;
}

// One orderer node of the consortium, with the organisation it belongs to.
struct OrdererNode {
  const OrganizationSpec* org;
  std::string name;       // "orderer0"
  std::string full_name;  // "orderer0.orderer.example.org"
};

// Resolves every address key to a node's full name; InvalidArgument for unknown or ambiguous keys.
absl::StatusOr<std::map<std::string, OrdererNodeAddresses>> AddressesByFullName(
    const std::vector<OrdererNode>& nodes, const std::map<std::string, OrdererNodeAddresses>& addresses) {
  std::map<std::string, OrdererNodeAddresses> by_full_name;
  for (const auto& [key, node_addresses] : addresses) {
    std::vector<const OrdererNode*> matches;
    for (const OrdererNode& node : nodes) {
      if (node.full_name == key || node.name == key) matches.push_back(&node);
    }
    if (matches.empty()) {
      std::vector<std::string> known;
      for (const OrdererNode& node : nodes) known.push_back(node.name);
      return absl::InvalidArgumentError(absl::StrCat("unknown orderer node '", key,
                                                     "': the consortium's orderer nodes are ",
                                                     absl::StrJoin(known, ", ")));
    }
    if (matches.size() > 1) {
      return absl::InvalidArgumentError(absl::StrCat("orderer node name '", key,
                                                     "' is used by several orderer organisations: use its full "
                                                     "host name, e.g. ",
                                                     matches[0]->full_name));
    }
    if (!by_full_name.emplace(matches[0]->full_name, node_addresses).second) {
      return absl::InvalidArgumentError(absl::StrCat("orderer node ", matches[0]->full_name, " is given twice"));
    }
  }
  return by_full_name;
}

absl::StatusOr<std::string> ReadServerCertificate(const std::string& crypto_dir, const OrdererNode& node) {
  const std::string path =
      absl::StrCat(OrganizationDir(crypto_dir, *node.org), "/orderers/", node.full_name, "/tls/server.crt");
  auto pem = file::ReadFile(path, kMaxCertificateBytes);
  if (!pem.ok()) return Annotate(pem.status(), AsStd(absl::StrCat("TLS certificate of orderer ", node.full_name)));
  auto cert = crypto::Certificate::FromPem(*pem);
  if (!cert.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not a PEM certificate: ", cert.status().message()));
  }
  return pem;
}

}  // namespace

absl::StatusOr<std::pair<std::string, uint32_t>> SplitHostPort(std::string_view address) {
  const absl::string_view text = AsAbsl(address);
  auto invalid = [&](std::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("address '", text, "' is not host:port: ", AsAbsl(why)));
  };
  const size_t colon = text.rfind(':');
  if (colon == absl::string_view::npos) return invalid("no port");
  absl::string_view host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != absl::string_view::npos) {
    return invalid("an IPv6 host needs brackets, e.g. [::1]:7050");
  }
  if (host.empty()) return invalid("empty host");
  uint32_t port = 0;
  if (!absl::SimpleAtoi(text.substr(colon + 1), &port) || port < 1 || port > 65535) {
    return invalid("the port must be a number in 1..65535");
  }
  return std::make_pair(std::string(host), port);
}

absl::StatusOr<std::pair<std::string, OrdererNodeAddresses>> ParseOrdererAddressFlag(std::string_view text) {
  const absl::string_view input = AsAbsl(text);
  const size_t eq = input.find('=');
  if (eq == absl::string_view::npos || eq == 0 || std::count(input.begin(), input.end(), ',') > 1) {
    return absl::InvalidArgumentError(absl::StrCat("orderer '", input,
                                                   "' is not NAME=CLIENT_ADDRESS,CLUSTER_ADDRESS (e.g. "
                                                   "orderer0=127.0.0.1:7050,127.0.0.1:7052)"));
  }
  const std::string name(input.substr(0, eq));
  const absl::string_view rest = input.substr(eq + 1);
  const size_t comma = rest.find(',');
  OrdererNodeAddresses addresses;
  addresses.client = std::string(rest.substr(0, comma));
  addresses.cluster = comma == absl::string_view::npos ? addresses.client : std::string(rest.substr(comma + 1));
  for (const std::string* address : {&addresses.client, &addresses.cluster}) {
    auto split = SplitHostPort(*address);
    if (!split.ok()) return Annotate(split.status(), AsStd(absl::StrCat("orderer ", name)));
  }
  return std::make_pair(name, std::move(addresses));
}

channelconfig::PolicyOverrides OrganizationPolicies(const OrganizationSpec& org) {
  if (org.type != OrganizationType::kRegulator) return {};
  return {{channelconfig::kWritersPolicyKey, channelconfig::PolicySpec::Nobody(org.msp_id)}};
}

absl::StatusOr<channelconfig::ChannelSpec> ChannelSpecFromConsortium(const Consortium& consortium,
                                                                     const std::string& crypto_dir,
                                                                     const ChannelFromConsortiumOptions& options) {
  channelconfig::ChannelSpec spec;
  spec.channel_id = options.channel_id;
  spec.batch = options.batch;
  spec.genesis_time = options.genesis_time;

  std::vector<OrdererNode> nodes;
  for (const OrganizationSpec& org : consortium.organizations) {
    for (const OrdererSpec& orderer : org.orderers) {
      nodes.push_back({&org, orderer.name, absl::StrCat(orderer.name, ".", org.domain)});
    }
  }
  if (nodes.empty()) return absl::InvalidArgumentError("the consortium has no orderer node");
  ASSIGN_OR_RETURN(auto addresses, AddressesByFullName(nodes, options.orderer_addresses));

  for (const OrganizationSpec& org : consortium.organizations) {
    ASSIGN_OR_RETURN(::msp::FabricMSPConfig msp_config, LoadOrgMsp(crypto_dir, org));
    if (org.type != OrganizationType::kOrderer) {
      channelconfig::ApplicationOrgSpec app;
      app.name = org.name;
      app.msp_id = org.msp_id;
      app.msp_config = msp_config;
      app.policies = OrganizationPolicies(org);
      spec.application_orgs.push_back(std::move(app));
    }
    if (org.type != OrganizationType::kOrderer && org.orderers.empty()) continue;
    // An organisation that runs orderers sits in the orderer group too, with the same MSP (as Fabric allows).
    channelconfig::OrdererOrgSpec orderer_org;
    orderer_org.name = org.name;
    orderer_org.msp_id = org.msp_id;
    orderer_org.msp_config = std::move(msp_config);
    for (const OrdererNode& node : nodes) {
      if (node.org != &org) continue;
      auto found = addresses.find(node.full_name);
      if (found == addresses.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat("no address given for orderer node ", node.name, " (", node.full_name, ") of ",
                         OrgLabel(org), ": every orderer node is a consenter"));
      }
      const std::string label = absl::StrCat("orderer node ", node.full_name);
      auto client = SplitHostPort(found->second.client);
      if (!client.ok()) return Annotate(client.status(), AsStd(label + " client address"));
      auto cluster = SplitHostPort(found->second.cluster);
      if (!cluster.ok()) return Annotate(cluster.status(), AsStd(label + " cluster address"));
      ASSIGN_OR_RETURN(std::string tls_cert, ReadServerCertificate(crypto_dir, node));

      orderer_org.endpoints.push_back(found->second.client);
      channelconfig::ConsenterSpec consenter;
      consenter.host = cluster->first;
      consenter.port = cluster->second;
      consenter.client_tls_cert_pem = tls_cert;
      consenter.server_tls_cert_pem = std::move(tls_cert);
      consenter.msp_id = org.msp_id;
      spec.consenters.push_back(std::move(consenter));
    }
    spec.orderer_orgs.push_back(std::move(orderer_org));
  }
  if (spec.application_orgs.empty()) {
    return absl::InvalidArgumentError("the consortium has no hospital or regulator: a channel needs at least one");
  }
  return spec;
}

}  // namespace careledger::network
