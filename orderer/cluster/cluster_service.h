// The server side of CareLedger's orderer-to-orderer protocol (proto/careledger/cluster.proto), served on the
// cluster listener with mutual TLS. Every call names a channel and is admitted only if the caller's TLS
// client certificate is that of one of the channel's consenters; a RaftStream's claimed Raft ID must be that
// consenter's. Then the call is handed to the channel.
//
// Thread-safety: channels are added and removed from any thread; calls run on gRPC's threads.
#ifndef CARELEDGER_ORDERER_CLUSTER_CLUSTER_SERVICE_H_
#define CARELEDGER_ORDERER_CLUSTER_CLUSTER_SERVICE_H_

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "careledger/cluster.grpc.pb.h"
#include "orderer/cluster/cluster_member.h"
#include "orderer/raft/stream_transport.h"

namespace careledger::orderer::cluster {

// What the cluster service needs from one channel (implemented by the channel's chain).
class ClusterChannel {
 public:
  virtual ~ClusterChannel() = default;
  // The consenter whose client TLS certificate is `certificate`, or nullopt.
  virtual std::optional<ClusterMember> MemberByClientCertificate(const crypto::Certificate& certificate) const = 0;
  // An authenticated Raft connection from consenter `from`; blocks until the connection ends.
  virtual void ServeRaftStream(uint64_t from, const std::string& address, std::unique_ptr<raft::ByteStream> stream) = 0;
  // An envelope a follower forwards (already validated by it). `done` runs exactly once, on any thread.
  virtual void OrderForwarded(std::string envelope, bool is_config, std::function<void(absl::Status)> done) = 0;
  // The channel's stored blocks, for catch-up.
  virtual uint64_t Height() const = 0;
  virtual absl::StatusOr<std::string> BlockBytes(uint64_t number) const = 0;
};

class ClusterService final : public ::careledger::cluster::Cluster::Service {
 public:
  // Registers `channel` under `channel_id`, replacing any previous one. Calls in progress keep their channel
  // alive until they end.
  void AddChannel(const std::string& channel_id, std::shared_ptr<ClusterChannel> channel);
  void RemoveChannel(const std::string& channel_id);

  grpc::Status RaftStream(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<::careledger::cluster::RaftChunk, ::careledger::cluster::RaftChunk>* stream) override;

  // Responses are written as the envelopes' fates are known, which need not be request order; the call ends
  // once the follower closes its side and every envelope it sent has been answered.
  grpc::Status Forward(grpc::ServerContext* context,
                       grpc::ServerReaderWriter<::careledger::cluster::ForwardResponse,
                                                ::careledger::cluster::ForwardRequest>* stream) override;

  grpc::Status PullBlocks(grpc::ServerContext* context, const ::careledger::cluster::PullBlocksRequest* request,
                          grpc::ServerWriter<::careledger::cluster::PulledBlock>* writer) override;

 private:
  // The channel named by `channel_id` if the caller's certificate is one of its consenters'.
  absl::StatusOr<std::pair<std::shared_ptr<ClusterChannel>, ClusterMember>> Authorize(grpc::ServerContext* context,
                                                                                     const std::string& channel_id);
  std::shared_ptr<ClusterChannel> FindChannel(const std::string& channel_id);

  std::mutex mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<ClusterChannel>> channels_;  // guarded by mu_
};

// The caller's TLS certificate, from the call's authentication context; PermissionDenied without one.
absl::StatusOr<crypto::Certificate> PeerCertificate(const grpc::AuthContext& auth);

}  // namespace careledger::orderer::cluster

#endif  // CARELEDGER_ORDERER_CLUSTER_CLUSTER_SERVICE_H_
