// The client side of the cluster protocol for one channel: opens RaftStream calls to the other consenters
// with mutual TLS, and checks that the server is the consenter it should be. libraft calls Dial through
// raft::StreamTransport whenever it needs a connection.
#ifndef CARELEDGER_ORDERER_CLUSTER_CLUSTER_DIALER_H_
#define CARELEDGER_ORDERER_CLUSTER_CLUSTER_DIALER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "orderer/cluster/cluster_member.h"
#include "orderer/raft/stream_transport.h"

namespace careledger::orderer::cluster {

// How often a Dial waiting for a connection checks whether it was cancelled.
inline constexpr absl::Duration kDialCancelPoll = absl::Milliseconds(100);

struct ClusterDialerOptions {
  std::string channel_id;
  uint64_t self_id = 0;
  std::string self_address;  // our cluster address, as the others know it
  ClusterTls tls;
  absl::Duration dial_timeout = absl::Seconds(5);
  // The current consenter with this Raft ID (the channel configuration can change), or nullopt.
  std::function<std::optional<ClusterMember>(uint64_t)> member_by_id;
};

// gRPC channels to the other consenters for the whole cluster: one per address, shared by every channel of
// this node (owned by the orderer, passed to each ClusterDialer).
class ClusterConnections {
 public:
  explicit ClusterConnections(ClusterTls tls) : tls_(std::move(tls)) {}
  std::shared_ptr<grpc::Channel> ChannelTo(const std::string& address);

 private:
  const ClusterTls tls_;
  std::mutex mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<grpc::Channel>> channels_;  // guarded by mu_
};

class ClusterDialer final : public raft::ByteStreamDialer {
 public:
  ClusterDialer(ClusterDialerOptions options, std::shared_ptr<ClusterConnections> connections)
      : options_(std::move(options)), connections_(std::move(connections)) {}

  // Unavailable: unknown member, unreachable within the dial timeout, the dialer was cancelled, or the call
  // failed. PermissionDenied: the server refused us, or presented a TLS certificate that is not the member's.
  absl::StatusOr<std::unique_ptr<raft::ByteStream>> Dial(uint64_t id, const std::string& address) override;

  // Makes every Dial waiting for a connection, and every later one, give up within kDialCancelPoll, so that
  // a chain stopping while a consenter is unreachable does not wait out the dial timeout. Thread-safe.
  void Cancel() { cancelled_.store(true); }

 private:
  const ClusterDialerOptions options_;
  std::shared_ptr<ClusterConnections> connections_;
  std::atomic<bool> cancelled_{false};
};

}  // namespace careledger::orderer::cluster

#endif  // CARELEDGER_ORDERER_CLUSTER_CLUSTER_DIALER_H_
