// What a node offers the channel participation API (participation_api.h): the channels it serves, joined
// from their genesis blocks while it runs. The orderer's ChannelRegistry implements it, and so does the
// peer; the API, its HTTPS server (participation_server.h) and its client (participation_client.h) know
// nothing else about the node.
//
// Each error code below is what the API answers for it (Fabric's statuses and messages); a code not listed
// is a local failure and becomes 500. Messages are shown to the administrator, so they say what is wrong
// with the request ("block 3 is not a genesis block"), not where in the code it was found.
//
// Thread-safety: implementations must be thread-safe: the server calls them from several threads at once,
// including a Join and a Remove of the same channel.
#ifndef CARELEDGER_COMMON_PARTICIPATION_CHANNEL_PARTICIPATION_H_
#define CARELEDGER_COMMON_PARTICIPATION_CHANNEL_PARTICIPATION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/common.pb.h"

namespace careledger::participation {

// Fabric's ConsensusRelation values (orderer/common/types/channelinfo.go).
inline constexpr char kRelationConsenter[] = "consenter";            // in the channel's consenter set
inline constexpr char kRelationFollower[] = "follower";              // pulls blocks, not a consenter
inline constexpr char kRelationConfigTracker[] = "config-tracker";  // waits to be added as a consenter
inline constexpr char kRelationOther[] = "other";  // no part in a cluster consensus: what a peer reports

// Fabric's Status values.
inline constexpr char kStatusActive[] = "active";          // serving the channel
inline constexpr char kStatusOnboarding[] = "onboarding";  // catching up with the others before it serves
inline constexpr char kStatusInactive[] = "inactive";
inline constexpr char kStatusFailed[] = "failed";

// One channel as the API reports it: Fabric's ChannelInfo ({"name","url","consensusRelation","status",
// "height"}; the url is derived from the name) and, for an orderer, its Raft view, which Fabric's clients
// ignore and operators and tests use to learn who leads.
struct ChannelInfo {
  std::string name;  // the channel ID
  std::string consensus_relation = kRelationOther;
  std::string status = kStatusActive;
  uint64_t height = 0;  // blocks in this node's copy of the chain
  // Both in the JSON ("raftId", "leaderId") only when set: an orderer sets them, a peer leaves them unset.
  std::optional<uint64_t> raft_id;    // this node's Raft ID in the channel
  std::optional<uint64_t> leader_id;  // the leader this node knows, 0 while none

  friend bool operator==(const ChannelInfo&, const ChannelInfo&) = default;
};

class ChannelParticipation {
 public:
  virtual ~ChannelParticipation() = default;

  // Joins the channel whose genesis block this is (block 0: its configuration names the channel), and
  // starts serving it; on any error nothing of the channel is left behind, and joining may be retried.
  // The block was parsed from untrusted bytes: everything about it must be checked here. Returns the
  // channel as Info would (201).
  //   InvalidArgument     not a valid genesis block (400 "invalid join block: <message>")
  //   FailedPrecondition  a valid block this node cannot join, e.g. an orderer not among the channel's
  //                       consenters (400 "cannot join: <message>")
  //   AlreadyExists       the channel is joined already (405 "cannot join: channel already exists")
  //   other               a local failure, e.g. the disk (500 "cannot join: <message>")
  virtual absl::StatusOr<ChannelInfo> Join(const ::common::Block& genesis) = 0;

  // The channels joined, in any order (the API lists names and URLs only).
  virtual std::vector<ChannelInfo> List() const = 0;

  // One joined channel. `channel_id` is a valid channel ID (the API checks it first).
  //   NotFound  not joined (404 "channel does not exist")
  //   other     500 with the message
  virtual absl::StatusOr<ChannelInfo> Info(std::string_view channel_id) const = 0;

  // Stops serving the channel and deletes this node's copy of it (204). `channel_id` is a valid channel ID.
  //   NotFound  not joined (404 "cannot remove: channel does not exist")
  //   other     500 "cannot remove: <message>"
  virtual absl::Status Remove(std::string_view channel_id) = 0;
};

}  // namespace careledger::participation

#endif  // CARELEDGER_COMMON_PARTICIPATION_CHANNEL_PARTICIPATION_H_
