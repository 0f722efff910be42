// The channels this orderer serves: joined from genesis blocks (the channel participation API's join, which
// serves the registry as its ChannelParticipation), reopened from the data folder at start-up, listed and
// removed. Registers each channel with the cluster service so that the other consenters reach its Raft group.
//
// On disk: <data_dir>/channels/<channel id>/{blocks,raft}. A channel whose folder exists is a joined channel.
//
// Thread-safety: all methods are thread-safe.
#ifndef CARELEDGER_ORDERER_CHANNEL_CHANNEL_REGISTRY_H_
#define CARELEDGER_ORDERER_CHANNEL_CHANNEL_REGISTRY_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/common.pb.h"
#include "common/participation/channel_participation.h"
#include "orderer/channel/orderer_channel.h"
#include "orderer/cluster/cluster_service.h"

namespace careledger::orderer {

class ChannelRegistry : public participation::ChannelParticipation {
 public:
  // Reopens every channel under node.data_dir/channels. A channel that fails to open is an error: a node
  // must not silently stop serving a channel it joined. `service` (may be null in tests) must outlive the
  // registry.
  static absl::StatusOr<std::unique_ptr<ChannelRegistry>> Open(OrdererNode node, cluster::ClusterService* service);
  ~ChannelRegistry() override;

  // Joins the channel whose genesis (config) block this is: validates it (block 0, a CONFIG transaction, a
  // valid channel configuration naming this node as a consenter), stores it and starts the chain.
  // InvalidArgument for a block that is not a valid genesis block; FailedPrecondition if this node is not a
  // consenter; AlreadyExists if the channel is joined already. On error nothing is left on disk.
  // Returns the channel as Info does.
  absl::StatusOr<participation::ChannelInfo> Join(const ::common::Block& genesis) override;

  std::vector<participation::ChannelInfo> List() const override;
  std::shared_ptr<OrdererChannel> Find(std::string_view channel_id) const;
  // The channel as a consenter sees it: "consenter", "active" (the chain runs while the channel is joined),
  // its height, this node's Raft ID and the leader it knows (0 while none). NotFound if it is not joined.
  absl::StatusOr<participation::ChannelInfo> Info(std::string_view channel_id) const override;

  // Stops serving the channel and deletes its data. NotFound if it is not joined.
  absl::Status Remove(std::string_view channel_id) override;

  // Stops every chain (at shutdown).
  void StopAll();

 private:
  ChannelRegistry(OrdererNode node, cluster::ClusterService* service) : node_(std::move(node)), service_(service) {}
  std::string ChannelDir(std::string_view channel_id) const;
  absl::Status Start(const std::string& channel_id);  // opens and registers; mu_ held
  participation::ChannelInfo InfoOf(OrdererChannel& channel) const;

  const OrdererNode node_;
  cluster::ClusterService* service_;
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<OrdererChannel>, std::less<>> channels_;  // guarded by mu_
};

}  // namespace careledger::orderer

#endif  // CARELEDGER_ORDERER_CHANNEL_CHANNEL_REGISTRY_H_
