// One orderer node, running: what `careledger-orderer` builds from its configuration (orderer_config.h).
//
//   identity      the local MSP's signing identity (General.LocalMSPDir, LocalMSPID): signs the blocks
//                 this node cuts
//   cluster       a gRPC server on General.Cluster's listener, mutual TLS (client certificates required and
//                 verified against Cluster.RootCAs), serving the other consenters' Raft streams, forwarded
//                 envelopes and block pulls (cluster::ClusterService); and the connections this node dials
//                 with Cluster.ClientCertificate
//   channels      the ChannelRegistry over FileLedger.Location: every joined channel is reopened at start
//   public        a gRPC server on General's listener serving Broadcast and Deliver
//                 (AtomicBroadcastService), TLS per General.TLS (client certificates requested, and
//                 required only with ClientAuthRequired), keepalive and message sizes per General
//   admin         the channel participation API on Admin's listener, serving the ChannelRegistry
//                 (common/participation/participation_server.h)
//   operations    the operations endpoint on Operations' listener (TLS per Operations.TLS): /healthz (check
//                 "raft": every channel's Raft member knows a leader), /metrics (Broadcast, Raft leadership
//                 and term, chain height; docs/operations.md), /version, /logspec. The orderer's
//                 configuration has no metrics provider key: /metrics is always served
//
// Start brings them up in that order (the cluster listener first, so reopened channels can be reached at
// once) and logs one line "orderer ready" with the three listen addresses when all of them listen; Stop
// takes them down in reverse: admin, public (calls get a short grace period), channels, cluster.
//
// Thread-safety: Start and Stop from one thread (main).
#ifndef CARELEDGER_ORDERER_SERVER_ORDERER_SERVER_H_
#define CARELEDGER_ORDERER_SERVER_ORDERER_SERVER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "orderer/config/orderer_config.h"

namespace careledger::orderer {

struct OrdererServerOptions {
  // How long Stop lets Broadcast and Deliver calls in progress finish before cancelling them, and likewise
  // for the cluster's calls once the channels have stopped.
  absl::Duration shutdown_grace = absl::Seconds(2);
};

class OrdererServer {
 public:
  // Starts the node `config` describes (as loaded by LoadOrdererConfig). Errors, annotated with the part
  // that failed: the local MSP's (NotFound, InvalidArgument), the TLS files' (as common/crypto/pem_file.h), the
  // registry's (a joined channel that does not reopen), Unavailable for a listener that cannot bind.
  // Nothing keeps running after an error.
  static absl::StatusOr<std::unique_ptr<OrdererServer>> Start(const OrdererConfig& config,
                                                             OrdererServerOptions options = {});

  // Stops (as Stop) if still running.
  ~OrdererServer();

  OrdererServer(const OrdererServer&) = delete;
  OrdererServer& operator=(const OrdererServer&) = delete;

  // Graceful stop, in the order described above. Idempotent.
  void Stop();

  // The ports the listeners are bound to.
  int public_port() const;
  int cluster_port() const;
  int admin_port() const;
  int operations_port() const;

 private:
  struct Impl;
  explicit OrdererServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace careledger::orderer

#endif  // CARELEDGER_ORDERER_SERVER_ORDERER_SERVER_H_
