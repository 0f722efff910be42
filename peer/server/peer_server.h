// One peer node, running: what `careledger-peer` builds from its configuration (peer/config/peer_config.h).
//
//   identity    the local MSP's signing identity (peer.mspConfigPath, peer.localMspId): signs endorsements and
//               the Deliver requests the peer sends to orderers
//   channels    the joined channels under peer.fileSystemPath (PeerChannels): reopened at start, each pulling its
//               blocks from the channel's orderers (peer.deliveryclient), validated on a pool of one thread per
//               core
//   chaincode   the runtime with the built-in chaincodes and the packages installed in chaincode.installPath
//   vault       if vault.enabled, the document vault (peer/vault) for the listener below, its master key
//               loaded first: a missing, malformed or group/other-readable key file stops the start
//   listener    one gRPC server on peer.listenAddress (TLS per peer.tls, keepalive and message sizes per peer)
//               serving gateway.Gateway (if peer.gateway.enabled), protos.Endorser, protos.Deliver and
//               careledger.vault.Vault (if vault.enabled); an audit
//               peer (peer.role) serves them too but refuses Endorse, Submit and ProcessProposal
//   admin       the channel participation endpoint on peer.admin.listenAddress (join and list channels)
//   operations  the operations endpoint on operations.listenAddress (TLS per operations.tls): /healthz (check
//               "ledger": every joined channel's ledger answers), /metrics when metrics.provider is prometheus
//               (commits per channel, endorsements; docs/operations.md), /version, /logspec
//
// Start brings them up in that order and logs one line "peer ready" with the addresses once everything
// listens; Stop takes them down in reverse (calls in progress get a short grace period).
//
// Thread-safety: Start and Stop from one thread (main).
#ifndef CARELEDGER_PEER_SERVER_PEER_SERVER_H_
#define CARELEDGER_PEER_SERVER_PEER_SERVER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "peer/config/peer_config.h"

namespace careledger::peer {

class PeerChannels;

struct PeerServerOptions {
  // How long Stop lets calls in progress finish before cancelling them.
  absl::Duration shutdown_grace = absl::Seconds(2);
};

class PeerServer {
 public:
  // Starts the node `config` describes (as LoadPeerConfig returns it). Errors, annotated with the part that
  // failed: the local MSP's (NotFound, InvalidArgument), the TLS files', a joined channel that does not reopen,
  // Unavailable for a listener that cannot bind. Nothing keeps running after an error.
  static absl::StatusOr<std::unique_ptr<PeerServer>> Start(const PeerConfig& config, PeerServerOptions options = {});

  // Stops (as Stop) if still running.
  ~PeerServer();

  PeerServer(const PeerServer&) = delete;
  PeerServer& operator=(const PeerServer&) = delete;

  // Graceful stop, in the order described above. Idempotent.
  void Stop();

  // The ports the listeners are bound to.
  int port() const;
  int admin_port() const;
  int operations_port() const;

  // The joined channels (for tests and status reports).
  PeerChannels& channels();

 private:
  struct Impl;
  explicit PeerServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace careledger::peer

#endif  // CARELEDGER_PEER_SERVER_PEER_SERVER_H_
