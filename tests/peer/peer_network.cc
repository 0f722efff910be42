#include "tests/peer/peer_network.h"

#include <signal.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/channelconfig/genesis.h"
#include "common/file/file_io.h"
#include "common/status_macros.h"
#include "common/crypto/pem_file.h"
#include "msp/msp_dir.h"
#include "network/client/chaincode_lifecycle.h"
#include "network/genesis/channel_from_consortium.h"
#include "network/launcher/network_layout.h"
#include "nlohmann/json.hpp"

namespace careledger::testing {
namespace {

// The organisations OrdererNetwork's consortium (Hospital1, Orderer) lacks, as entries of the consortium
// description's organizations list (network/examples/healthnet.yaml). Hospitals get an endorsing peer0 and the
// regulator an audit0 by default.
constexpr char kMoreOrganizations[] =
    "  - name: Hospital2\n"
    "    users:\n"
    "      - name: dr.carol\n"
    "        role: doctor\n"
    "        personId: D-2001\n"
    "  - name: Regulator\n"
    "    type: regulator\n"
    "    users:\n"
    "      - name: inspector\n"
    "        role: regulator\n"
    "        personId: R-0001\n"
    "  - name: Outsider\n"
    "    users:\n"
    "      - name: dr.mallory\n"
    "        role: doctor\n"
    "        personId: D-9001\n";

struct PeerLayout {
  const char* name;
  const char* organization;
  const char* node;  // the peer's name in its organisation
  bool audit;
};
constexpr PeerLayout kPeers[] = {
    {"hospital1", "Hospital1", "peer0", false},
    {"hospital2", "Hospital2", "peer0", false},
    {"audit", "Regulator", "audit0", true},
};
// The organisations of the channel, in this order; each hospital's peer is its anchor peer.
constexpr const char* kChannelOrganizations[] = {"Hospital1", "Hospital2", "Regulator"};

// The peer as `careledger network up` describes it (network/launcher/network_layout.h).
launcher::NodeState NodeStateOf(const PeerNetwork::Peer& p) {
  launcher::NodeState node;
  node.name = p.host;
  node.kind = launcher::NodeKind::kPeer;
  node.role = p.audit ? "audit" : "endorsing";
  node.organization = p.organization;
  node.msp_id = p.msp_id;
  node.host = "127.0.0.1";
  node.port = p.port;
  node.admin_port = p.admin_port;
  node.operations_port = p.operations_port;
  node.identity_dir = p.identity_dir;
  node.dir = p.dir;
  return node;
}

// How many times `text` occurs in `log`: logs are appended to across restarts.
size_t Occurrences(const std::string& log, std::string_view text) {
  size_t count = 0;
  for (size_t at = log.find(text); at != std::string::npos; at = log.find(text, at + 1)) ++count;
  return count;
}

std::string StatusName(::common::Status status) {
  const std::string& name = ::common::Status_Name(status);
  return name.empty() ? absl::StrCat(static_cast<int>(status)) : name;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PeerNetwork>> PeerNetwork::Create(const std::string& dir, PeerNetworkOptions options) {
  // Tests kill and restart orderers: a peer should be back on the chain soon after.
  options.peer_settings.try_emplace("peer.deliveryclient.reConnectBackoffThreshold", "2s");
  std::unique_ptr<PeerNetwork> net(new PeerNetwork(dir, std::move(options)));
  OrdererNetworkOptions orderer_options;
  orderer_options.orderer_binary = net->options_.orderer_binary;
  orderer_options.orderers = net->options_.orderers;
  orderer_options.log_spec = net->options_.orderer_log_spec;
  orderer_options.start_timeout = net->options_.start_timeout;
  orderer_options.more_organizations = kMoreOrganizations;
  ASSIGN_OR_RETURN(net->orderers_, OrdererNetwork::Create(dir, std::move(orderer_options)));

  // Ports distinct from each other and from the orderers' (the kernel may hand a closed port out again).
  std::vector<uint16_t> taken;
  for (int i = 0; i < net->orderers_->size(); ++i) {
    const OrdererNetwork::Orderer& o = net->orderers_->orderer(i);
    taken.insert(taken.end(), {o.port, o.cluster_port, o.admin_port, o.operations_port});
  }
  const auto pick_port = [&taken]() -> absl::StatusOr<uint16_t> {
    for (;;) {
      ASSIGN_OR_RETURN(uint16_t port, PickUnusedPort());
      if (std::find(taken.begin(), taken.end(), port) != taken.end()) continue;
      taken.push_back(port);
      return port;
    }
  };

  for (const PeerLayout& layout : kPeers) {
    if (layout.audit && !net->options_.audit_peer) continue;
    const network::OrganizationSpec* org = net->orderers_->consortium().FindOrganization(layout.organization);
    if (org == nullptr) return absl::InternalError(absl::StrCat("the test consortium has no ", layout.organization));
    Peer p;
    p.name = layout.name;
    p.organization = org->name;
    p.msp_id = org->msp_id;
    p.host = absl::StrCat(layout.node, ".", org->domain);
    p.audit = layout.audit;
    p.identity_dir = absl::StrCat(net->orderers_->OrganizationDir(org->name), "/peers/", p.host);
    if (!file::Exists(p.identity_dir + "/msp/signcerts/cert.pem")) {
      return absl::InternalError(absl::StrCat("no identity generated for ", p.host, " in ", p.identity_dir));
    }
    p.dir = absl::StrCat(dir, "/", p.name);
    p.config_path = p.dir + "/core.yaml";
    p.log_path = p.dir + "/peer.log";
    ASSIGN_OR_RETURN(p.port, pick_port());
    ASSIGN_OR_RETURN(p.admin_port, pick_port());
    ASSIGN_OR_RETURN(p.operations_port, pick_port());
    RETURN_IF_ERROR(file::CreateDirectories(p.dir));
    // The files `network up` writes for it: core.yaml and, for an endorsing peer, its vault's master key.
    RETURN_IF_ERROR(
        file::WriteFileAtomic(p.config_path, launcher::PeerCoreYaml(NodeStateOf(p), net->options_.log_spec)));
    RETURN_IF_ERROR(launcher::WriteVaultKeyOnce(NodeStateOf(p)));
    ASSIGN_OR_RETURN(msp::SigningIdentity admin, net->LoadUser(p.organization, "Admin"));
    net->admins_.push_back(std::move(admin));
    net->peers_.push_back(std::move(p));
    const int i = net->size() - 1;
    ASSIGN_OR_RETURN(std::unique_ptr<PeerDeliverClient> deliver,
                     PeerDeliverClient::Connect(net->address(i), net->tls_ca_file(i)));
    net->deliver_clients_.push_back(std::move(deliver));
  }
  ASSIGN_OR_RETURN(net->genesis_block_, net->MakeGenesisBlock());
  return net;
}

absl::StatusOr<::common::Block> PeerNetwork::MakeGenesisBlock() const {
  ASSIGN_OR_RETURN(channelconfig::ChannelSpec spec, orderers_->ChannelSpecFor(options_.channel));
  spec.application_orgs.clear();
  for (const char* organization : kChannelOrganizations) {
    const network::OrganizationSpec* org = orderers_->consortium().FindOrganization(organization);
    if (org == nullptr) return absl::InternalError(absl::StrCat("the test consortium has no ", organization));
    ASSIGN_OR_RETURN(::msp::FabricMSPConfig msp_config,
                     msp::LoadMspConfig(orderers_->OrganizationDir(organization) + "/msp", org->msp_id));
    // The policies `network up` gives it (a regulator never writes).
    channelconfig::ApplicationOrgSpec app{org->name, org->msp_id, std::move(msp_config), {},
                                          network::OrganizationPolicies(*org)};
    for (const Peer& p : peers_) {
      if (p.organization == organization && !p.audit) app.anchor_peers.push_back({"127.0.0.1", p.port});
    }
    spec.application_orgs.push_back(std::move(app));
  }
  return channelconfig::CreateGenesisBlock(spec);
}

absl::Status PeerNetwork::Up() {
  RETURN_IF_ERROR(StartOrderers());
  RETURN_IF_ERROR(StartPeers());
  RETURN_IF_ERROR(JoinPeers());
  return WaitForHeightAll(channel(), 1, options_.start_timeout);
}

absl::Status PeerNetwork::StartOrderers() {
  RETURN_IF_ERROR(orderers_->StartAll());
  RETURN_IF_ERROR(orderers_->JoinAll(genesis_block_));
  return orderers_->WaitForLeader(channel(), options_.start_timeout).status();
}

absl::Status PeerNetwork::Start(int i) {
  Peer& p = peer(i);
  if (p.process != nullptr && p.process->IsRunning()) {
    return absl::FailedPreconditionError(absl::StrCat(p.name, " is already running"));
  }
  ProcessOptions process;
  process.executable = options_.peer_binary;
  process.args = {"--config", p.config_path};
  for (const auto& [key, value] : options_.peer_settings) {
    process.args.push_back("--set");
    process.args.push_back(absl::StrCat(key, "=", value));
  }
  process.log_path = p.log_path;
  // The ready line of this run: count those of earlier runs first.
  std::string earlier_log;
  if (file::Exists(p.log_path)) earlier_log = file::ReadFile(p.log_path).value_or("");
  const size_t before = Occurrences(earlier_log, "peer ready");
  ASSIGN_OR_RETURN(p.process, Process::Start(std::move(process)));
  bool exited = false;
  const bool ready = WaitUntil(
      [&] {
        if (Occurrences(p.process->ReadLog(), "peer ready") > before) return true;
        exited = !p.process->IsRunning();
        return exited;
      },
      options_.start_timeout);
  if (!ready || exited) {
    return absl::UnavailableError(absl::StrCat(p.name, " did not become ready (",
                                               exited ? "it exited" : "timed out", "); its log ends:\n",
                                               p.process->LogTail()));
  }
  return absl::OkStatus();
}

absl::Status PeerNetwork::StartPeers() {
  for (int i = 0; i < size(); ++i) RETURN_IF_ERROR(Start(i));
  return absl::OkStatus();
}

absl::StatusOr<int> PeerNetwork::Stop(int i, absl::Duration grace) {
  if (!IsRunning(i)) return absl::FailedPreconditionError(absl::StrCat(peer(i).name, " is not running"));
  return peer(i).process->Stop(grace);
}

std::vector<int> PeerNetwork::StopPeers(absl::Duration grace) {
  std::vector<int> codes(peers_.size(), -1);
  std::vector<int> running;
  for (int i = 0; i < size(); ++i) {
    if (!IsRunning(i)) continue;
    running.push_back(i);
    peer(i).process->Signal(SIGTERM);
  }
  // Each Stop re-sends SIGTERM (harmless) and bounds the wait; the others have been stopping meanwhile.
  for (int i : running) codes[static_cast<size_t>(i)] = peer(i).process->Stop(grace).value_or(-1);
  return codes;
}

absl::StatusOr<int> PeerNetwork::Kill(int i) {
  if (!IsRunning(i)) return absl::FailedPreconditionError(absl::StrCat(peer(i).name, " is not running"));
  peer(i).process->Kill();
  return peer(i).process->exit_code().value_or(-1);
}

bool PeerNetwork::IsRunning(int i) {
  Peer& p = peer(i);
  return p.process != nullptr && p.process->IsRunning();
}

absl::StatusOr<participation::ParticipationClient> PeerNetwork::Admin(int i) const {
  ASSIGN_OR_RETURN(UserFiles admin, User(peer(i).organization, "Admin"));
  participation::ParticipationClientOptions options;
  options.address = admin_address(i);
  options.ca_file = tls_ca_file(i);
  options.client_cert_file = admin.tls_cert_path;
  options.client_key_file = admin.tls_key_path;
  options.server_name = absl::StrCat(peer(i).name, " admin");
  return participation::ParticipationClient::Create(options);
}

absl::Status PeerNetwork::JoinPeer(int i, const ::common::Block& genesis) {
  ASSIGN_OR_RETURN(participation::ParticipationClient admin, Admin(i));
  ASSIGN_OR_RETURN(participation::ParticipationReply reply, admin.Join(genesis.SerializeAsString()));
  if (reply.status != 201) {
    return absl::InternalError(absl::StrCat(peer(i).name, " (", admin_address(i), ") did not join: ", reply.status,
                                            " ", reply.ErrorMessage()));
  }
  return absl::OkStatus();
}

absl::Status PeerNetwork::JoinPeers() {
  for (int i = 0; i < size(); ++i) {
    if (IsRunning(i)) RETURN_IF_ERROR(JoinPeer(i));
  }
  return absl::OkStatus();
}

absl::StatusOr<Delivered> PeerNetwork::DeliverFrom(int i, const std::string& channel, const ::orderer::SeekInfo& seek,
                                                   absl::Duration timeout) const {
  ASSIGN_OR_RETURN(::common::Envelope request, MakeSeek(admins_.at(static_cast<size_t>(i)), channel, seek));
  return deliver_clients_.at(static_cast<size_t>(i))->Deliver(request, timeout);
}

client::GatewayEndpoint PeerNetwork::Endpoint(int i) const {
  client::GatewayEndpoint endpoint;
  endpoint.address = address(i);
  endpoint.tls_root_certs_pem = crypto::ReadCertificatePem(tls_ca_file(i)).value_or("");
  endpoint.server_name_override = peer(i).host;
  return endpoint;
}

absl::StatusOr<client::GatewayClient> PeerNetwork::GatewayClientFor(int i, const std::string& organization,
                                                                     const std::string& user) const {
  ASSIGN_OR_RETURN(msp::SigningIdentity identity, LoadUser(organization, user));
  client::GatewayEndpoint endpoint = Endpoint(i);
  if (endpoint.tls_root_certs_pem.empty()) {
    return absl::NotFoundError(absl::StrCat("no TLS CA certificate in ", tls_ca_file(i)));
  }
  return client::GatewayClient::Connect(endpoint, std::make_shared<const msp::SigningIdentity>(std::move(identity)));
}

absl::Status PeerNetwork::DefineChaincode(const std::string& name, const std::string& package_id,
                                          const std::string& policy, int64_t sequence, absl::Duration timeout) {
  client::ChaincodeDefinitionSpec spec;
  spec.name = name;
  spec.version = "1.0";
  spec.sequence = sequence;
  spec.package_id = package_id;
  spec.signature_policy = policy;
  client::SubmitOptions options;
  options.timeout = timeout;
  uint64_t last_approval_block = 0;
  for (int i : {kHospital1, kHospital2}) {
    const std::string& organization = peer(i).organization;
    ASSIGN_OR_RETURN(client::GatewayClient admin, GatewayClientFor(i, organization, "Admin"));
    absl::StatusOr<client::SubmitResult> approved = client::ApproveForMyOrg(admin, channel(), spec, options);
    if (!approved.ok()) {
      return Annotate(approved.status(), absl::StrCat("approving chaincode ", name, " as ", organization, "'s Admin"));
    }
    last_approval_block = std::max(last_approval_block, approved->block_number);
  }
  // Each approval was waited for on its own organisation's peer only; the commit is simulated on Hospital1's
  // peer and checked on every peer, which must hold both approvals first.
  RETURN_IF_ERROR(WaitForHeightAll(channel(), last_approval_block + 1, timeout));
  ASSIGN_OR_RETURN(client::GatewayClient admin, GatewayClientFor(kHospital1, peer(kHospital1).organization, "Admin"));
  absl::StatusOr<client::SubmitResult> committed = client::Commit(admin, channel(), spec, options);
  if (!committed.ok()) {
    return Annotate(committed.status(),
                    absl::StrCat("committing chaincode ", name, " as ", peer(kHospital1).organization, "'s Admin"));
  }
  return WaitForHeightAll(channel(), committed->block_number + 1, timeout);
}

absl::StatusOr<uint64_t> PeerNetwork::Height(int i, const std::string& channel) const {
  ASSIGN_OR_RETURN(Delivered delivered, DeliverFrom(i, channel, SeekNewest(), absl::Seconds(10)));
  if (delivered.status == ::common::NOT_FOUND) {
    return absl::NotFoundError(absl::StrCat(peer(i).name, " (", address(i), ") does not hold channel ", channel));
  }
  if (delivered.status != ::common::SUCCESS || delivered.blocks.size() != 1) {
    return absl::UnavailableError(absl::StrCat(peer(i).name, " (", address(i), ") answered the newest block of ",
                                               channel, " with ", delivered.blocks.size(), " blocks and ",
                                               StatusName(delivered.status)));
  }
  return delivered.blocks.front().header().number() + 1;
}

absl::Status PeerNetwork::WaitForHeight(int i, const std::string& channel, uint64_t height,
                                        absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  std::string last;
  for (;;) {
    absl::StatusOr<uint64_t> reported = Height(i, channel);
    if (reported.ok() && *reported >= height) return absl::OkStatus();
    last = reported.ok() ? absl::StrCat("height ", *reported) : reported.status().ToString();
    if (absl::Now() >= deadline) break;
    absl::SleepFor(absl::Milliseconds(100));  // the poll interval: each poll is a Deliver call
  }
  return absl::DeadlineExceededError(absl::StrCat(peer(i).name, " did not reach height ", height, " of ", channel,
                                                  " within ", absl::FormatDuration(timeout), " (", last, ")"));
}

absl::Status PeerNetwork::WaitForHeightAll(const std::string& channel, uint64_t height, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  for (int i = 0; i < size(); ++i) {
    if (!IsRunning(i)) continue;
    RETURN_IF_ERROR(WaitForHeight(i, channel, height, std::max(deadline - absl::Now(), absl::ZeroDuration())));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<::common::Block>> PeerNetwork::Blocks(int i, const std::string& channel, uint64_t first,
                                                                 uint64_t last) const {
  ::orderer::SeekInfo seek = SeekRange(first, last);
  seek.set_behavior(::orderer::SeekInfo::FAIL_IF_NOT_READY);
  ASSIGN_OR_RETURN(Delivered delivered, DeliverFrom(i, channel, seek, absl::Seconds(60)));
  if (delivered.status != ::common::SUCCESS || delivered.blocks.size() != last - first + 1) {
    return absl::FailedPreconditionError(absl::StrCat(peer(i).name, " (", address(i), ") answered blocks ", first,
                                                      "..", last, " of ", channel, " with ", delivered.blocks.size(),
                                                      " blocks and ", StatusName(delivered.status)));
  }
  return std::move(delivered.blocks);
}

absl::Status PeerNetwork::WriteNodeTestConfig(const std::string& path, const std::string& chaincode) const {
  nlohmann::json peers = nlohmann::json::object();
  for (int i = 0; i < size(); ++i) {
    const Peer& p = peer(i);
    peers[p.name] = {{"endpoint", address(i)},
                     {"hostAlias", p.host},
                     {"tlsRootCertPath", tls_ca_file(i)},
                     {"mspId", p.msp_id}};
  }
  nlohmann::json identities = nlohmann::json::object();
  const std::pair<const char*, std::pair<const char*, const char*>> users[] = {
      {"client", {"Hospital1", "dr.alice"}},
      {"client2", {"Hospital2", "dr.carol"}},
      {"outsider", {"Outsider", "dr.mallory"}},
  };
  for (const auto& [role, who] : users) {
    ASSIGN_OR_RETURN(UserFiles user, User(who.first, who.second));
    identities[role] = {{"mspId", user.msp_id}, {"certPath", user.cert_path}, {"keyPath", user.key_path}};
  }
  const nlohmann::json config = {
      {"channel", channel()}, {"chaincode", chaincode}, {"peers", peers}, {"identities", identities}};
  return file::WriteFileAtomic(path, config.dump(2) + "\n");
}

std::string PeerNetwork::address(int i) const { return absl::StrCat("127.0.0.1:", peer(i).port); }
std::string PeerNetwork::admin_address(int i) const { return absl::StrCat("127.0.0.1:", peer(i).admin_port); }
std::string PeerNetwork::tls_ca_file(int i) const { return peer(i).identity_dir + "/tls/ca.crt"; }

absl::StatusOr<UserFiles> PeerNetwork::User(const std::string& organization, const std::string& user) const {
  const std::string dir = orderers_->UserDir(organization, user);
  if (dir.empty() || !file::Exists(dir + "/msp/signcerts/cert.pem")) {
    return absl::NotFoundError(absl::StrCat("no user ", user, " of ", organization, " in the test consortium"));
  }
  return UserFiles{orderers_->MspId(organization), dir + "/msp/signcerts/cert.pem", dir + "/msp/keystore/priv_sk",
                   dir + "/tls/client.crt", dir + "/tls/client.key"};
}

absl::StatusOr<msp::SigningIdentity> PeerNetwork::LoadUser(const std::string& organization,
                                                           const std::string& user) const {
  return orderers_->LoadIdentity(organization, network::IdentityKind::kUser, user);
}

std::string PeerNetwork::LogTails() const {
  std::string out;
  for (const Peer& p : peers_) {
    if (p.process == nullptr) continue;
    absl::StrAppend(&out, "==== ", p.name, " (", p.log_path, ")\n", p.process->LogTail(8192), "\n");
  }
  return out + orderers_->LogTails();
}

}  // namespace careledger::testing
