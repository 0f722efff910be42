// The Raft state machine of a channel's chain: every committed entry is a block, which is appended to the
// channel's block store. The block store is the state; the Raft log only carries blocks until they are stored.
//
// Replay. After a restart libraft replays entries from its last snapshot; blocks the store already holds are
// checked (same header hash, else a fork: DataLoss, and the node stops applying) and skipped.
//
// Snapshots keep the Raft log bounded. A snapshot is just the chain tip (height and last header hash); the
// blocks themselves are in every consenter's block store. A member that restores a snapshot beyond its own
// height (a lagging or new node) pulls the missing blocks from other consenters on a background thread;
// blocks committed meanwhile are held in memory and appended, in order, once the gap is filled.
//
// Snapshot encoding (version 1): 8-byte little-endian height, then the 32-byte SHA-256 header hash of block
// height-1 (nothing after the height when the height is 0).
#ifndef CARELEDGER_ORDERER_CHAIN_BLOCK_APPLIER_H_
#define CARELEDGER_ORDERER_CHAIN_BLOCK_APPLIER_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "common/blockstore/block_store.h"
#include "common/logging/logger.h"
#include "orderer/raft/raft_node.h"

namespace careledger::orderer {

// Fetches blocks [from, to) of the channel from other consenters and hands each, serialized and in order, to
// `sink`; stops at the first error of `sink`. Runs on the applier's catch-up thread.
using BlockPuller =
    std::function<absl::Status(uint64_t from, uint64_t to, const std::function<absl::Status(std::string)>& sink)>;

class BlockApplier final : public raft::StateMachine {
 public:
  // `store` must outlive the applier.
  BlockApplier(blockstore::BlockStore* store, BlockPuller puller, std::string channel_id);
  // Stops a catch-up in progress.
  ~BlockApplier() override;

  absl::Status Apply(std::string_view entry) override;
  absl::StatusOr<std::string> Snapshot() override;
  absl::Status Restore(std::string_view snapshot) override;

  // True while blocks are being pulled to fill a gap.
  bool catching_up() const;

 private:
  void StartCatchUpLocked(uint64_t target);
  void CatchUp();
  absl::Status CheckSameAsStored(uint64_t number, const std::string& header_hash) const;

  blockstore::BlockStore* store_;
  BlockPuller puller_;
  logging::Logger log_;

  mutable std::mutex mu_;  // serialises appends between the loop thread and the catch-up thread
  std::condition_variable stop_cv_;
  bool catching_up_ = false;                 // guarded by mu_
  uint64_t catch_up_target_ = 0;             // guarded by mu_: pull until the store reaches this height
  std::map<uint64_t, std::string> held_;     // guarded by mu_: committed blocks beyond the gap
  bool stopping_ = false;                    // guarded by mu_
  std::thread catch_up_thread_;
};

}  // namespace careledger::orderer

#endif  // CARELEDGER_ORDERER_CHAIN_BLOCK_APPLIER_H_
