// A follower's path to the leader: envelopes a follower's Broadcast accepted are sent to the current Raft
// leader over one Cluster.Forward stream, and each caller learns the envelope's fate from the leader.
//
// Threads: Forward() only queues (it is called on the Raft loop); a sender thread writes, a receiver thread
// per stream reads the responses. The sender writes everything queued for the leader as one request, so a
// burst of envelopes costs one message (cluster.proto's ForwardRequest), not one each. When the leader changes, or its stream breaks, everything not yet answered
// fails with Unavailable: the client resubmits, as with Fabric.
#ifndef CARELEDGER_ORDERER_CHAIN_FORWARDER_H_
#define CARELEDGER_ORDERER_CHAIN_FORWARDER_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "careledger/cluster.grpc.pb.h"
#include "common/logging/logger.h"
#include "orderer/cluster/cluster_dialer.h"
#include "orderer/cluster/cluster_member.h"

namespace careledger::orderer {

class Forwarder {
 public:
  using Done = std::function<void(absl::Status)>;

  Forwarder(std::string channel_id, std::shared_ptr<cluster::ClusterConnections> connections);
  // Fails everything unanswered with Unavailable and joins the threads.
  ~Forwarder();
  Forwarder(const Forwarder&) = delete;
  Forwarder& operator=(const Forwarder&) = delete;

  // Queues `envelope` for `leader`. `done` runs exactly once, on one of the forwarder's threads (or the
  // caller's, if the forwarder is stopping).
  void Forward(const cluster::ClusterMember& leader, std::string envelope, bool is_config, Done done);

 private:
  struct Item {
    cluster::ClusterMember leader;
    std::string envelope;
    bool is_config;
    Done done;
  };
  struct Stream;

  void SendLoop();
  void FailAll(const absl::Status& status, std::map<uint64_t, Done>* pending);

  const std::string channel_id_;
  std::shared_ptr<cluster::ClusterConnections> connections_;
  logging::Logger log_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;             // guarded by mu_
  std::shared_ptr<Stream> stream_;     // guarded by mu_; the stream to the current leader
  uint64_t next_sequence_ = 1;         // guarded by mu_
  bool stopping_ = false;              // guarded by mu_
  std::thread sender_;
};

// Pulls blocks [from, to) of `channel_id` from the first of `members` that has them (trying each in turn) and
// hands each to `sink` in order. Unavailable if no member could supply the whole range.
absl::Status PullBlocksFromMembers(cluster::ClusterConnections& connections, const std::string& channel_id,
                                   const std::vector<cluster::ClusterMember>& members, uint64_t from, uint64_t to,
                                   const std::function<absl::Status(std::string)>& sink);

}  // namespace careledger::orderer

#endif  // CARELEDGER_ORDERER_CHAIN_FORWARDER_H_
