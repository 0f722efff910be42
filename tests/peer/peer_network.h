// Test-only: a healthcare consortium's network as real processes on 127.0.0.1 — three `careledger-orderer`s
// (OrdererNetwork) and `careledger-peer`s — for integration tests of the peer and of Fabric's clients.
//
//   ASSIGN_OR_RETURN(auto net, PeerNetwork::Create(dir, {.peer_binary = ..., .orderer_binary = ...}));
//   RETURN_IF_ERROR(net->Up());                        // orderers and peers started, everyone joined
//   RETURN_IF_ERROR(net->DefineChaincode("bench", "builtin:bench", "AND('Hospital1MSP.peer','Hospital2MSP.peer')"));
//   ASSIGN_OR_RETURN(client::GatewayClient alice,
//                    net->GatewayClientFor(PeerNetwork::kHospital1, "Hospital1", "dr.alice"));
//   ASSIGN_OR_RETURN(client::SubmitResult put, alice.Submit(net->channel(), "bench", {"put", "k", "v"}));
//   RETURN_IF_ERROR(net->WaitForHeight(PeerNetwork::kHospital2, net->channel(), put.block_number + 1, timeout));
//   ASSIGN_OR_RETURN(auto blocks, net->Blocks(PeerNetwork::kHospital2, net->channel(), 0, put.block_number));
//   ... net->Kill(i), net->Start(i); net->orderers().WaitForLeader(...), net->orderers().Kill(leader) ...
//
// The consortium (network/identity, one PKI tree under <dir>/crypto):
//   Hospital1 (Hospital1MSP)  peer0 — peer kHospital1, the channel's anchor peer of Hospital1; users Admin,
//                             dr.alice (a doctor: the hospital's client)
//   Hospital2 (Hospital2MSP)  peer0 — peer kHospital2, anchor peer of Hospital2; users Admin, dr.carol
//   Regulator (RegulatorMSP)  audit0 — peer kAudit (peer.role audit), unless options.audit_peer is false; users
//                             Admin, inspector
//   Orderer   (OrdererMSP)    orderer0..N-1, the channel's consenters and endpoints
//   Outsider  (OutsiderMSP)   not in the channel: users Admin, dr.mallory, whose CA the channel does not know
// The channel (options.channel): Hospital1, Hospital2 and Regulator are its application organisations (Fabric's
// default policies: LifecycleEndorsement is MAJORITY Endorsement, so the two hospitals define chaincodes),
// the orderer organisation lists every orderer's endpoint, every orderer is a consenter, blocks are cut after
// 500 ms. Its genesis block is made once, by Create, so that orderers and peers join the same channel.
//
// Folders under `dir`:
//   crypto/organizations/<domain>/...   the PKIs (network/identity/organization_pki.h)
//   orderer<i>/                          as OrdererNetwork lays them out
//   <peer name>/core.yaml                the peer's configuration; its ledgers in <peer name>/data, installed
//                                        chaincodes in <peer name>/chaincodes, its stdout and stderr in
//                                        <peer name>/peer.log (appended across restarts)
//
// Each core.yaml is the one `careledger network up` writes (network/launcher/network_layout.h): peer.id,
// localMspId, role, mspConfigPath (the peer's msp/), listenAddress 127.0.0.1:<port> (which is also its anchor
// peer entry, and the address it knows itself by), TLS on with the peer's tls/ files, the admin listener on
// 127.0.0.1:<admin port> with mutual TLS, client certificates from its organisation's TLS CA (which issued its
// Admin's tls/client.crt), fileSystemPath and chaincode.installPath under its folder, operations on
// 127.0.0.1:<operations port>, logging.spec from the options; everything else is
// peer/config/core.example.yaml's default. options.peer_settings adds `--set key=value` flags, by default a 2 s
// longest wait between reconnections to orderers.
//
// Thread-safety: use a PeerNetwork from the test's main thread (processes die with the thread that started
// them, see tests/testing/process.h); the const queries may run on several threads at once.
#ifndef CARELEDGER_TESTS_PEER_PEER_NETWORK_H_
#define CARELEDGER_TESTS_PEER_PEER_NETWORK_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/common.pb.h"
#include "common/participation/participation_client.h"
#include "msp/signing_identity.h"
#include "network/client/gateway_client.h"
#include "network/identity/organization_pki.h"
#include "tests/orderer/orderer_network.h"
#include "tests/peer/peer_deliver_client.h"
#include "tests/testing/process.h"

namespace careledger::testing {

struct PeerNetworkOptions {
  std::string peer_binary;     // the careledger-peer executable
  std::string orderer_binary;  // the careledger-orderer executable
  int orderers = 3;
  bool audit_peer = true;  // the regulator's audit peer (kAudit)
  std::string channel = "healthchannel";
  std::string log_spec = "info";          // each peer's logging.spec
  std::string orderer_log_spec = "info";  // each orderer's Logging.Spec
  absl::Duration start_timeout = absl::Seconds(60);  // per node, until its ready line
  // More core.yaml settings for every peer, as `--set key=value` flags (docs/peer-configuration.md), e.g.
  // {"peer.gateway.endorsementTimeout", "5s"}.
  std::map<std::string, std::string> peer_settings;
};

// A user's files, as a client SDK loads them.
struct UserFiles {
  std::string msp_id;
  std::string cert_path;      // msp/signcerts/cert.pem
  std::string key_path;       // msp/keystore/priv_sk
  std::string tls_cert_path;  // tls/client.crt
  std::string tls_key_path;   // tls/client.key
};

class PeerNetwork {
 public:
  // Peer indices.
  static constexpr int kHospital1 = 0;
  static constexpr int kHospital2 = 1;
  static constexpr int kAudit = 2;  // only with options.audit_peer

  // One peer's files and ports.
  struct Peer {
    std::string name;          // hospital1, hospital2, audit
    std::string organization;  // Hospital1, Hospital2, Regulator
    std::string msp_id;        // Hospital1MSP, ...
    std::string host;          // peer0.hospital1.example.org: the name its TLS certificate is issued for
    bool audit = false;        // peer.role audit
    std::string identity_dir;  // .../peers/peer0.hospital1.example.org (msp/, tls/)
    std::string dir;           // <dir>/<name>: core.yaml, data/, chaincodes/, peer.log
    std::string config_path;
    std::string log_path;
    uint16_t port = 0;        // peer.listenAddress: Gateway, Endorser, Deliver
    uint16_t admin_port = 0;  // peer.admin.listenAddress: channel participation
    uint16_t operations_port = 0;
    std::unique_ptr<Process> process;  // null while not started
  };

  // Generates the identities, every node's configuration and the channel's genesis block under `dir` (which
  // must exist). Nothing is started. Errors of identity generation, port picking, file writing and
  // genesis block creation.
  static absl::StatusOr<std::unique_ptr<PeerNetwork>> Create(const std::string& dir, PeerNetworkOptions options);

  // Everything a test of the peer starts from: StartOrderers, StartPeers, JoinPeers, and every peer at height
  // 1 (it holds the genesis block). The first error, naming the node.
  absl::Status Up();

  // Starts every orderer, joins each to the channel and waits until they agree on a Raft leader.
  absl::Status StartOrderers();

  // Starts peer i (or every peer) and waits for its "peer ready" line. A peer that exits or is not ready in
  // time is an error naming it, with the end of its log. FailedPrecondition if it is running.
  absl::Status Start(int i);
  absl::Status StartPeers();

  // SIGTERM, then SIGKILL after `grace`; returns the exit code (0: a clean stop). FailedPrecondition if the
  // peer is not running.
  absl::StatusOr<int> Stop(int i, absl::Duration grace = absl::Seconds(15));
  // SIGTERM to every running peer at once, then waits for each; the exit code of each peer, -1 if it was not
  // running.
  std::vector<int> StopPeers(absl::Duration grace = absl::Seconds(15));
  // SIGKILL, reaped: a crash, the data folder left as it is. FailedPrecondition if it is not running.
  absl::StatusOr<int> Kill(int i);
  bool IsRunning(int i);

  // Joins peer i to the channel of `genesis` (by default the network's) through its admin API, as its
  // organisation's Admin. An error names the peer and its reply unless it answered 201.
  absl::Status JoinPeer(int i, const ::common::Block& genesis);
  absl::Status JoinPeer(int i) { return JoinPeer(i, genesis_block_); }
  // Every running peer.
  absl::Status JoinPeers();

  // A channel participation client for peer i as its organisation's Admin (its TLS client certificate).
  absl::StatusOr<participation::ParticipationClient> Admin(int i) const;

  // Where peer i's Gateway listens, trusted with its organisation's TLS CA and checked for its host name.
  client::GatewayEndpoint Endpoint(int i) const;
  // A Gateway client of peer i signing as `user` of `organization` (any organisation: a Hospital1 client may
  // call Hospital2's peer). User's and file reading errors.
  absl::StatusOr<client::GatewayClient> GatewayClientFor(int i, const std::string& organization,
                                                         const std::string& user) const;

  // Defines chaincode `name` on the channel, as Fabric's lifecycle does: each hospital's Admin approves
  // (version "1.0", `sequence`, `package_id`, the signature policy `policy`, no init) through its own peer's
  // gateway, then Hospital1's Admin commits, and returns once every running peer has committed the
  // definition's block. The lifecycle client's errors, naming the step and the organisation; each step and
  // the wait are bounded by `timeout`.
  absl::Status DefineChaincode(const std::string& name, const std::string& package_id, const std::string& policy,
                               int64_t sequence = 1, absl::Duration timeout = absl::Seconds(120));

  // The number of blocks peer i has committed on `channel`, asked through its Deliver service (the newest
  // block's number + 1) as its organisation's Admin. NotFound if the peer does not hold the channel;
  // Unavailable if it cannot be reached.
  absl::StatusOr<uint64_t> Height(int i, const std::string& channel) const;
  // Waits until peer i reports at least `height`. DeadlineExceeded (with the last answer) after `timeout`.
  absl::Status WaitForHeight(int i, const std::string& channel, uint64_t height, absl::Duration timeout) const;
  // WaitForHeight on every running peer.
  absl::Status WaitForHeightAll(const std::string& channel, uint64_t height, absl::Duration timeout);

  // Blocks `first` to `last` of `channel` as peer i holds them (with its metadata: the transactions filter and
  // its commit hash), through its Deliver service. Unavailable, or the peer's status as FailedPrecondition
  // ("<address> answered NOT_FOUND"), if it does not deliver them all.
  absl::StatusOr<std::vector<::common::Block>> Blocks(int i, const std::string& channel, uint64_t first,
                                                      uint64_t last) const;

  // Writes the network description tests/gateway_node/gateway_client_test.js reads (its schema is at the top
  // of that file):
  //   {"channel": <channel>, "chaincode": <chaincode>,
  //    "peers": {"hospital1" | "hospital2" | "audit" (with options.audit_peer):
  //                {"endpoint": "127.0.0.1:<port>", "hostAlias": <host>, "tlsRootCertPath": <tls_ca_file>,
  //                 "mspId": <msp_id>}},
  //    "identities": {"client": Hospital1's dr.alice, "client2": Hospital2's dr.carol,
  //                   "outsider": Outsider's dr.mallory — each {"mspId", "certPath", "keyPath"}}}
  absl::Status WriteNodeTestConfig(const std::string& path, const std::string& chaincode) const;

  OrdererNetwork& orderers() { return *orderers_; }
  const OrdererNetwork& orderers() const { return *orderers_; }
  const std::string& channel() const { return options_.channel; }
  const ::common::Block& genesis_block() const { return genesis_block_; }
  int size() const { return static_cast<int>(peers_.size()); }
  Peer& peer(int i) { return peers_.at(static_cast<size_t>(i)); }
  const Peer& peer(int i) const { return peers_.at(static_cast<size_t>(i)); }
  // 127.0.0.1:<port>, where clients and other peers reach peer i.
  std::string address(int i) const;
  std::string admin_address(int i) const;
  // The TLS CA of peer i's organisation, which issued its TLS certificate.
  std::string tls_ca_file(int i) const;

  // A user's files, e.g. User("Hospital1", "dr.alice"); NotFound for an unknown organisation or user.
  absl::StatusOr<UserFiles> User(const std::string& organization, const std::string& user) const;
  // The signing identity of a user, e.g. LoadUser("Hospital2", "Admin"). msp::LoadSigningIdentity's errors.
  absl::StatusOr<msp::SigningIdentity> LoadUser(const std::string& organization, const std::string& user) const;

  // The last lines of every peer's and orderer's log, for a failing test's output.
  std::string LogTails() const;

 private:
  PeerNetwork(std::string dir, PeerNetworkOptions options) : dir_(std::move(dir)), options_(std::move(options)) {}
  absl::StatusOr<::common::Block> MakeGenesisBlock() const;
  absl::StatusOr<Delivered> DeliverFrom(int i, const std::string& channel, const ::orderer::SeekInfo& seek,
                                        absl::Duration timeout) const;

  std::string dir_;
  PeerNetworkOptions options_;
  std::unique_ptr<OrdererNetwork> orderers_;
  std::vector<Peer> peers_;
  // Per peer: its Deliver client and its organisation's Admin, who signs the seek requests.
  std::vector<std::unique_ptr<PeerDeliverClient>> deliver_clients_;
  std::vector<msp::SigningIdentity> admins_;
  ::common::Block genesis_block_;
};

}  // namespace careledger::testing

#endif  // CARELEDGER_TESTS_PEER_PEER_NETWORK_H_
