#include "tests/orderer/orderer_network.h"

#include <signal.h>

#include <algorithm>
#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/channelconfig/genesis.h"
#include "common/file/file_io.h"
#include "common/status_macros.h"
#include "msp/msp_dir.h"
#include "network/identity/consortium_identities.h"
#include "network/launcher/network_layout.h"
#include "nlohmann/json.hpp"

namespace careledger::testing {
namespace {

constexpr char kOrdererOrg[] = "Orderer";
constexpr char kHospitalOrg[] = "Hospital1";

std::string ConsortiumYaml(int orderers, const std::string& more_organizations) {
  std::string yaml = absl::StrCat(
      "name: testnet\n"
      "organizations:\n"
      "  - name: ",
      kHospitalOrg,
      "\n"
      "    users:\n"
      "      - name: dr.alice\n"
      "        role: doctor\n"
      "        personId: D-1001\n"
      "  - name: ",
      kOrdererOrg,
      "\n"
      "    type: orderer\n"
      "    orderers:\n");
  for (int i = 0; i < orderers; ++i) absl::StrAppend(&yaml, "      - name: orderer", i, "\n");
  return yaml + more_organizations;
}

// The orderer.yaml `careledger network up` writes for such an orderer (network/launcher/network_layout.h).
std::string OrdererYaml(const OrdererNetwork::Orderer& o, const std::string& log_spec) {
  launcher::NodeState node;
  node.name = o.name;
  node.kind = launcher::NodeKind::kOrderer;
  node.role = "orderer";
  node.msp_id = "OrdererMSP";
  node.host = "127.0.0.1";
  node.port = o.port;
  node.cluster_port = o.cluster_port;
  node.admin_port = o.admin_port;
  node.operations_port = o.operations_port;
  node.identity_dir = o.identity_dir;
  node.dir = o.dir;
  return launcher::OrdererYaml(node, log_spec);
}

// Distinct free ports: the kernel may hand the same ephemeral port out twice once it is closed.
absl::StatusOr<std::vector<uint16_t>> PickPorts(size_t count) {
  std::vector<uint16_t> ports;
  while (ports.size() < count) {
    ASSIGN_OR_RETURN(uint16_t port, PickUnusedPort());
    if (std::find(ports.begin(), ports.end(), port) == ports.end()) ports.push_back(port);
  }
  return ports;
}

}  // namespace

absl::StatusOr<std::unique_ptr<OrdererNetwork>> OrdererNetwork::Create(const std::string& dir,
                                                                       OrdererNetworkOptions options) {
  std::unique_ptr<OrdererNetwork> net(new OrdererNetwork(dir, std::move(options)));
  const int count = net->options_.orderers;
  ASSIGN_OR_RETURN(net->consortium_, network::ParseConsortium(ConsortiumYaml(count, net->options_.more_organizations),
                                                            "testnet.yaml"));
  ASSIGN_OR_RETURN(std::vector<network::ConsortiumIdentity> identities,
                   network::GenerateConsortiumIdentities(net->consortium_, dir + "/crypto", absl::Now()));
  ASSIGN_OR_RETURN(std::vector<uint16_t> ports, PickPorts(static_cast<size_t>(4 * count)));
  for (int i = 0; i < count; ++i) {
    Orderer o;
    o.name = absl::StrCat("orderer", i);
    for (const network::ConsortiumIdentity& identity : identities) {
      if (identity.info.kind == network::IdentityKind::kOrderer &&
          identity.info.full_name.rfind(o.name + ".", 0) == 0) {
        o.identity_dir = identity.info.dir;
      }
    }
    if (o.identity_dir.empty()) return absl::InternalError(absl::StrCat("no identity generated for ", o.name));
    o.dir = absl::StrCat(dir, "/", o.name);
    o.config_path = o.dir + "/orderer.yaml";
    o.log_path = o.dir + "/orderer.log";
    o.port = ports[static_cast<size_t>(4 * i)];
    o.cluster_port = ports[static_cast<size_t>(4 * i + 1)];
    o.admin_port = ports[static_cast<size_t>(4 * i + 2)];
    o.operations_port = ports[static_cast<size_t>(4 * i + 3)];
    RETURN_IF_ERROR(file::CreateDirectories(o.dir));
    RETURN_IF_ERROR(file::WriteFileAtomic(o.config_path, OrdererYaml(o, net->options_.log_spec)));
    net->orderers_.push_back(std::move(o));
  }
  return net;
}

absl::Status OrdererNetwork::Start(int i) {
  Orderer& o = orderer(i);
  if (o.process != nullptr && o.process->IsRunning()) {
    return absl::FailedPreconditionError(absl::StrCat(o.name, " is already running"));
  }
  ProcessOptions process;
  process.executable = options_.orderer_binary;
  process.args = {"--config", o.config_path};
  process.log_path = o.log_path;
  ASSIGN_OR_RETURN(o.process, Process::Start(std::move(process)));
  // The ready line of this run: the log is appended to across restarts, so count the lines seen so far.
  const auto ready_lines = [&o] {
    const std::string log = o.process->ReadLog();
    size_t count = 0;
    for (size_t at = log.find("orderer ready"); at != std::string::npos; at = log.find("orderer ready", at + 1)) {
      ++count;
    }
    return count;
  };
  const size_t before = ready_lines();
  bool exited = false;
  const bool ready = WaitUntil(
      [&] {
        if (ready_lines() > before) return true;
        exited = !o.process->IsRunning();
        return exited;
      },
      options_.start_timeout);
  if (!ready || exited) {
    return absl::UnavailableError(absl::StrCat(o.name, " did not become ready (",
                                               exited ? "it exited" : "timed out", "); its log ends:\n",
                                               o.process->LogTail()));
  }
  return absl::OkStatus();
}

absl::Status OrdererNetwork::StartAll() {
  for (int i = 0; i < size(); ++i) RETURN_IF_ERROR(Start(i));
  return absl::OkStatus();
}

absl::StatusOr<int> OrdererNetwork::Stop(int i, absl::Duration grace) {
  Orderer& o = orderer(i);
  if (o.process == nullptr || !o.process->IsRunning()) {
    return absl::FailedPreconditionError(absl::StrCat(o.name, " is not running"));
  }
  return o.process->Stop(grace);
}

std::vector<int> OrdererNetwork::StopAll(absl::Duration grace) {
  std::vector<int> codes(orderers_.size(), -1);
  std::vector<int> running;
  for (int i = 0; i < size(); ++i) {
    if (!IsRunning(i)) continue;
    running.push_back(i);
    orderer(i).process->Signal(SIGTERM);
  }
  // Each Stop re-sends SIGTERM (harmless) and bounds the wait; the others have been stopping meanwhile.
  for (int i : running) codes[static_cast<size_t>(i)] = orderer(i).process->Stop(grace).value_or(-1);
  return codes;
}

absl::StatusOr<int> OrdererNetwork::Kill(int i) {
  Orderer& o = orderer(i);
  if (o.process == nullptr || !o.process->IsRunning()) {
    return absl::FailedPreconditionError(absl::StrCat(o.name, " is not running"));
  }
  o.process->Kill();
  return o.process->exit_code().value_or(-1);
}

bool OrdererNetwork::IsRunning(int i) {
  Orderer& o = orderer(i);
  return o.process != nullptr && o.process->IsRunning();
}

std::string OrdererNetwork::OrganizationDir(const std::string& organization) const {
  const network::OrganizationSpec* spec = consortium_.FindOrganization(organization);
  return spec == nullptr ? std::string() : network::OrganizationDir(dir_ + "/crypto", *spec);
}

absl::StatusOr<::common::Block> OrdererNetwork::GenesisBlock(const std::string& channel_id) const {
  ASSIGN_OR_RETURN(channelconfig::ChannelSpec spec, ChannelSpecFor(channel_id));
  return channelconfig::CreateGenesisBlock(spec);
}

absl::StatusOr<channelconfig::ChannelSpec> OrdererNetwork::ChannelSpecFor(const std::string& channel_id) const {
  const network::OrganizationSpec* hospital = consortium_.FindOrganization(kHospitalOrg);
  const network::OrganizationSpec* orderer_org = consortium_.FindOrganization(kOrdererOrg);
  if (hospital == nullptr || orderer_org == nullptr) return absl::InternalError("the test consortium lost an org");
  channelconfig::ChannelSpec spec;
  spec.channel_id = channel_id;
  ASSIGN_OR_RETURN(::msp::FabricMSPConfig hospital_msp,
                   msp::LoadMspConfig(OrganizationDir(kHospitalOrg) + "/msp", hospital->msp_id));
  ASSIGN_OR_RETURN(::msp::FabricMSPConfig orderer_msp,
                   msp::LoadMspConfig(OrganizationDir(kOrdererOrg) + "/msp", orderer_org->msp_id));
  std::vector<std::string> endpoints;
  for (int i = 0; i < size(); ++i) endpoints.push_back(public_address(i));
  spec.application_orgs.push_back({hospital->name, hospital->msp_id, hospital_msp, {}, {}});
  spec.orderer_orgs.push_back({orderer_org->name, orderer_org->msp_id, orderer_msp, endpoints, {}});
  for (const Orderer& o : orderers_) {
    ASSIGN_OR_RETURN(std::string tls_cert, file::ReadFile(o.identity_dir + "/tls/server.crt"));
    spec.consenters.push_back({"127.0.0.1", o.cluster_port, tls_cert, tls_cert, orderer_org->msp_id});
  }
  spec.batch.timeout = absl::Milliseconds(500);
  if (options_.absolute_max_bytes != 0) {
    spec.batch.absolute_max_bytes = options_.absolute_max_bytes;
    spec.batch.preferred_max_bytes = std::min(spec.batch.preferred_max_bytes, options_.absolute_max_bytes);
  }
  spec.genesis_time = absl::Now();
  return spec;
}

absl::StatusOr<participation::ParticipationClient> OrdererNetwork::Admin(int i) const {
  const std::string admin = UserDir(kOrdererOrg, "Admin");
  participation::ParticipationClientOptions options;
  options.address = admin_address(i);
  options.ca_file = tls_ca_file();
  options.client_cert_file = admin + "/tls/client.crt";
  options.client_key_file = admin + "/tls/client.key";
  options.server_name = "orderer admin";
  return participation::ParticipationClient::Create(options);
}

absl::Status OrdererNetwork::JoinAll(const ::common::Block& genesis) {
  const std::string block = genesis.SerializeAsString();
  for (int i = 0; i < size(); ++i) {
    if (!IsRunning(i)) continue;
    ASSIGN_OR_RETURN(participation::ParticipationClient admin, Admin(i));
    ASSIGN_OR_RETURN(participation::ParticipationReply reply, admin.Join(block));
    if (reply.status != 201) {
      return absl::InternalError(
          absl::StrCat(orderer(i).name, " did not join: ", reply.status, " ", reply.ErrorMessage()));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<OrdererChannelState> OrdererNetwork::ChannelState(int i, const std::string& channel) const {
  ASSIGN_OR_RETURN(participation::ParticipationClient admin, Admin(i));
  ASSIGN_OR_RETURN(participation::ParticipationReply reply, admin.Info(channel));
  RETURN_IF_ERROR(reply.ToStatus(admin_address(i)));
  const nlohmann::json info = nlohmann::json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
  if (!info.is_object() || !info.contains("height") || !info.contains("raftId") || !info.contains("leaderId") ||
      !info["height"].is_number_unsigned() || !info["raftId"].is_number_unsigned() ||
      !info["leaderId"].is_number_unsigned()) {
    return absl::InternalError(absl::StrCat(admin_address(i), ": unexpected channel info ", reply.body));
  }
  OrdererChannelState state;
  state.height = info["height"].get<uint64_t>();
  state.raft_id = info["raftId"].get<uint64_t>();
  state.leader_id = info["leaderId"].get<uint64_t>();
  return state;
}

absl::StatusOr<int> OrdererNetwork::WaitForLeader(const std::string& channel, absl::Duration timeout) {
  int leader = -1;
  std::string last;  // what each orderer said, for the error
  const bool agreed = WaitUntil(
      [&] {
        last.clear();
        std::optional<uint64_t> leader_id;
        std::map<uint64_t, int> index_of_raft_id;
        bool agree = true;
        for (int i = 0; i < size(); ++i) {
          if (!IsRunning(i)) continue;
          absl::StatusOr<OrdererChannelState> state = ChannelState(i, channel);
          if (!state.ok()) {
            absl::StrAppend(&last, orderer(i).name, ": ", state.status().ToString(), "; ");
            agree = false;
            continue;
          }
          absl::StrAppend(&last, orderer(i).name, ": raftId ", state->raft_id, " leaderId ", state->leader_id, "; ");
          index_of_raft_id[state->raft_id] = i;
          if (state->leader_id == 0 || (leader_id.has_value() && *leader_id != state->leader_id)) agree = false;
          leader_id = state->leader_id;
        }
        if (!agree || !leader_id.has_value() || index_of_raft_id.count(*leader_id) == 0) return false;
        leader = index_of_raft_id[*leader_id];
        return true;
      },
      timeout);
  if (!agreed) {
    return absl::DeadlineExceededError(absl::StrCat("the running orderers did not agree on a leader of ", channel,
                                                    " within ", absl::FormatDuration(timeout), ": ", last));
  }
  return leader;
}

absl::Status OrdererNetwork::WaitForHeight(int i, const std::string& channel, uint64_t height,
                                           absl::Duration timeout) const {
  std::string last = "no answer";
  const bool reached = WaitUntil(
      [&] {
        absl::StatusOr<OrdererChannelState> state = ChannelState(i, channel);
        last = state.ok() ? absl::StrCat("height ", state->height) : state.status().ToString();
        return state.ok() && state->height >= height;
      },
      timeout);
  if (!reached) {
    return absl::DeadlineExceededError(absl::StrCat(orderers_.at(static_cast<size_t>(i)).name, " did not reach height ",
                                                    height, " of ", channel, " within ", absl::FormatDuration(timeout),
                                                    " (", last, ")"));
  }
  return absl::OkStatus();
}

std::vector<std::string> OrdererNetwork::AdminCliFlags(int i) const {
  const std::string admin = UserDir(kOrdererOrg, "Admin");
  return {"--admin",       admin_address(i),          "--ca-file",    tls_ca_file(),
          "--client-cert", admin + "/tls/client.crt", "--client-key", admin + "/tls/client.key"};
}

std::string OrdererNetwork::public_address(int i) const {
  return absl::StrCat("127.0.0.1:", orderers_.at(static_cast<size_t>(i)).port);
}
std::string OrdererNetwork::cluster_address(int i) const {
  return absl::StrCat("127.0.0.1:", orderers_.at(static_cast<size_t>(i)).cluster_port);
}
std::string OrdererNetwork::admin_address(int i) const {
  return absl::StrCat("127.0.0.1:", orderers_.at(static_cast<size_t>(i)).admin_port);
}

std::string OrdererNetwork::tls_ca_file() const { return OrganizationDir(kOrdererOrg) + "/tlsca/tlsca-cert.pem"; }

std::string OrdererNetwork::UserDir(const std::string& organization, const std::string& user) const {
  const network::OrganizationSpec* spec = consortium_.FindOrganization(organization);
  if (spec == nullptr) return std::string();
  return absl::StrCat(OrganizationDir(organization), "/users/", user, "@", spec->domain);
}

std::string OrdererNetwork::MspId(const std::string& organization) const {
  const network::OrganizationSpec* spec = consortium_.FindOrganization(organization);
  return spec == nullptr ? std::string() : spec->msp_id;
}

absl::StatusOr<msp::SigningIdentity> OrdererNetwork::LoadIdentity(const std::string& organization,
                                                                  network::IdentityKind kind,
                                                                  const std::string& name) const {
  const network::OrganizationSpec* spec = consortium_.FindOrganization(organization);
  if (spec == nullptr) return absl::NotFoundError(absl::StrCat("no organisation ", organization));
  // organization_pki.h's layout.
  std::string dir;
  switch (kind) {
    case network::IdentityKind::kPeer:
      dir = absl::StrCat(OrganizationDir(organization), "/peers/", name, ".", spec->domain);
      break;
    case network::IdentityKind::kOrderer:
      dir = absl::StrCat(OrganizationDir(organization), "/orderers/", name, ".", spec->domain);
      break;
    case network::IdentityKind::kUser:
      dir = UserDir(organization, name);
      break;
  }
  return msp::LoadSigningIdentity(dir + "/msp", spec->msp_id);
}

absl::StatusOr<msp::SigningIdentity> OrdererNetwork::IssueIdentity(const std::string& organization,
                                                                   const network::IdentityRequest& request) const {
  const network::OrganizationSpec* spec = consortium_.FindOrganization(organization);
  if (spec == nullptr) return absl::NotFoundError(absl::StrCat("no organisation ", organization));
  ASSIGN_OR_RETURN(network::OrganizationPki pki,
                   network::OrganizationPki::OpenOrCreate(OrganizationDir(organization), *spec, absl::Now()));
  ASSIGN_OR_RETURN(network::IdentityInfo issued, pki.Issue(request, absl::Now()));
  return msp::LoadSigningIdentity(issued.dir + "/msp", spec->msp_id);
}

std::string OrdererNetwork::LogTails() const {
  std::string out;
  for (const Orderer& o : orderers_) {
    if (o.process == nullptr) continue;
    absl::StrAppend(&out, "==== ", o.name, " (", o.log_path, ")\n", o.process->LogTail(8192), "\n");
  }
  return out;
}

}  // namespace careledger::testing
