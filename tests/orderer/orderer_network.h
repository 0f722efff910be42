// Test-only: a small consortium's ordering service as real `careledger-orderer` processes on 127.0.0.1.
//
//   OrdererNetwork::Create(dir)   identities for one hospital (Hospital1MSP: peer0, Admin, dr.alice) and one
//                                 orderer organisation (OrdererMSP: orderer0..N-1, Admin), made with
//                                 network::GenerateConsortiumIdentities; an orderer.yaml per orderer (the
//                                 launcher's, network/launcher/network_layout.h) with ports picked free
//   StartAll()                    starts every orderer and waits for its "orderer ready" line
//   GenesisBlock(channel)         the channel's genesis block: both organisations' MSPs from their msp/
//                                 folders, every orderer a consenter (its cluster address and tls/server.crt)
//   Admin(i)                      a channel participation API client for orderer i, as the orderer
//                                 organisation's Admin (its tls/client.crt)
//   JoinAll(genesis)              every running orderer joins the channel through its admin API
//   ChannelState(i, channel)      height, Raft ID and known leader as orderer i's admin API reports them
//   WaitForLeader(channel)        the orderer every running orderer names as the channel's Raft leader
//   Kill(i)                       SIGKILL: a crash, the data directory left as it is
//
// Folders under `dir`:
//   crypto/organizations/<domain>/...   the PKIs (network/identity/organization_pki.h)
//   orderer<i>/orderer.yaml             orderer i's configuration, its data in orderer<i>/data, its stdout and
//                                       stderr in orderer<i>/orderer.log
//
// Broadcast and Deliver tests use public_address(i), tls_ca_file() (the orderer organisation's TLS CA, which
// signed every orderer's TLS certificate) and the hospital's identities (LoadIdentity, or the folders under
// UserDir("Hospital1", name)).
#ifndef CARELEDGER_TESTS_ORDERER_ORDERER_NETWORK_H_
#define CARELEDGER_TESTS_ORDERER_ORDERER_NETWORK_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/channelconfig/channel_spec.h"
#include "common/common.pb.h"
#include "common/participation/participation_client.h"
#include "msp/signing_identity.h"
#include "network/consortium/consortium.h"
#include "network/identity/organization_pki.h"
#include "tests/testing/process.h"

namespace careledger::testing {

struct OrdererNetworkOptions {
  std::string orderer_binary;  // the careledger-orderer executable
  int orderers = 3;
  std::string log_spec = "info";
  absl::Duration start_timeout = absl::Seconds(60);  // per orderer, until "orderer ready"
  // BatchSize.AbsoluteMaxBytes of the channels GenesisBlock makes; 0 keeps Fabric's 10 MB. PreferredMaxBytes
  // is lowered to it when the default would exceed it.
  uint32_t absolute_max_bytes = 0;
  // More organisations for the consortium, as entries of its description's `organizations:` list
  // (network/examples/healthnet.yaml), each starting "  - name: ". Their identities are generated with the
  // others'; GenesisBlock leaves them out of the channel (ChannelSpecFor lets a caller add them).
  std::string more_organizations;
};

// A channel as one orderer's admin API reports it.
struct OrdererChannelState {
  uint64_t height = 0;
  uint64_t raft_id = 0;
  uint64_t leader_id = 0;  // 0 while the orderer knows no leader
};

class OrdererNetwork {
 public:
  // One orderer's files and ports.
  struct Orderer {
    std::string name;          // orderer0
    std::string identity_dir;  // .../orderers/orderer0.orderer.example.org (msp/, tls/)
    std::string dir;           // <dir>/orderer0: orderer.yaml, data/, orderer.log
    std::string config_path;
    std::string log_path;
    uint16_t port = 0;          // General.ListenPort: Broadcast, Deliver
    uint16_t cluster_port = 0;  // General.Cluster.ListenPort
    uint16_t admin_port = 0;    // Admin.ListenAddress
    uint16_t operations_port = 0;
    std::unique_ptr<Process> process;  // null while not started
  };

  // Generates identities and configurations under `dir` (which must exist). Errors of identity generation,
  // port picking and file writing.
  static absl::StatusOr<std::unique_ptr<OrdererNetwork>> Create(const std::string& dir, OrdererNetworkOptions options);

  // Starts orderer i (or every one) and waits for its ready line. An orderer that exits or is not ready in
  // time is an error naming it, with the end of its log.
  absl::Status Start(int i);
  absl::Status StartAll();

  // SIGTERM, then SIGKILL after `grace`; returns the exit code. FailedPrecondition if it is not running.
  absl::StatusOr<int> Stop(int i, absl::Duration grace = absl::Seconds(15));

  // SIGTERM to every running orderer at once, then waits for each (SIGKILL after `grace`). Returns the exit
  // code of each orderer, by index; -1 for one that was not running.
  std::vector<int> StopAll(absl::Duration grace = absl::Seconds(15));

  // SIGKILL, reaped; returns the exit code (128 + 9). FailedPrecondition if it is not running.
  absl::StatusOr<int> Kill(int i);

  // True if orderer i was started and has not exited.
  bool IsRunning(int i);

  // The channel's genesis block, every orderer a consenter in order (Raft IDs 1..N):
  // channelconfig::CreateGenesisBlock(ChannelSpecFor(channel_id)).
  absl::StatusOr<::common::Block> GenesisBlock(const std::string& channel_id) const;
  // What GenesisBlock makes the block of: Hospital1 the application organisation, the orderer organisation
  // listing every orderer's public address, every orderer a consenter, 500 ms batches, the genesis time now.
  // For tests that change it (more organisations, anchor peers) before making the block. MSP folder errors.
  absl::StatusOr<channelconfig::ChannelSpec> ChannelSpecFor(const std::string& channel_id) const;

  // A channel participation client for orderer i as the orderer organisation's Admin user.
  absl::StatusOr<participation::ParticipationClient> Admin(int i) const;

  // Joins every running orderer to the channel of `genesis`; an error names the orderer and its reply
  // unless it answered 201.
  absl::Status JoinAll(const ::common::Block& genesis);

  // The channel as orderer i reports it (GET .../channels/<channel>). The admin client's errors; NotFound
  // if the orderer does not serve the channel; Internal for a reply without the expected fields.
  absl::StatusOr<OrdererChannelState> ChannelState(int i, const std::string& channel) const;

  // Waits until every running orderer names the same leader, itself running, and returns that orderer's
  // index. DeadlineExceeded (with what each orderer reported last) after `timeout`.
  absl::StatusOr<int> WaitForLeader(const std::string& channel, absl::Duration timeout);

  // Waits until orderer i reports a height of at least `height`. DeadlineExceeded after `timeout`.
  absl::Status WaitForHeight(int i, const std::string& channel, uint64_t height, absl::Duration timeout) const;

  // The options `careledger orderer channel ...` needs to reach orderer i as that Admin.
  std::vector<std::string> AdminCliFlags(int i) const;

  int size() const { return static_cast<int>(orderers_.size()); }
  Orderer& orderer(int i) { return orderers_.at(static_cast<size_t>(i)); }
  std::string public_address(int i) const;
  std::string cluster_address(int i) const;
  std::string admin_address(int i) const;
  // The orderer organisation's TLS CA certificate (every orderer's TLS certificate chains to it).
  std::string tls_ca_file() const;
  // The folder (msp/, tls/) of a user of an organisation, e.g. UserDir("Hospital1", "dr.alice").
  std::string UserDir(const std::string& organization, const std::string& user) const;
  // An organisation's MSP ID ("Hospital1MSP"); empty for an unknown organisation.
  std::string MspId(const std::string& organization) const;
  // The signing identity of an organisation's peer, orderer or user, from its msp/ folder, e.g.
  // LoadIdentity("Hospital1", network::IdentityKind::kUser, "dr.alice"). msp::LoadSigningIdentity's errors.
  absl::StatusOr<msp::SigningIdentity> LoadIdentity(const std::string& organization, network::IdentityKind kind,
                                                    const std::string& name) const;
  // Issues one more identity from the organisation's CA (after the genesis block, too: the channel trusts
  // the CA, not a list of certificates) and returns it. OrganizationPki's errors.
  absl::StatusOr<msp::SigningIdentity> IssueIdentity(const std::string& organization,
                                                     const network::IdentityRequest& request) const;
  const network::Consortium& consortium() const { return consortium_; }
  // The folder of an organisation's PKI (ca/, tlsca/, msp/, peers/, orderers/, users/); empty for an unknown
  // organisation.
  std::string OrganizationDir(const std::string& organization) const;

  // The last lines of every orderer's log, for a failing test's output.
  std::string LogTails() const;

 private:
  OrdererNetwork(std::string dir, OrdererNetworkOptions options) : dir_(std::move(dir)), options_(std::move(options)) {}

  std::string dir_;
  OrdererNetworkOptions options_;
  network::Consortium consortium_;
  std::vector<Orderer> orderers_;
};

}  // namespace careledger::testing

#endif  // CARELEDGER_TESTS_ORDERER_ORDERER_NETWORK_H_
