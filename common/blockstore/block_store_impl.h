// BlockStore's state, shared by block_store.cc (appends and reads) and block_store_recovery.cc (Open).
// Internal to the block store.
#ifndef CARELEDGER_COMMON_BLOCKSTORE_BLOCK_STORE_IMPL_H_
#define CARELEDGER_COMMON_BLOCKSTORE_BLOCK_STORE_IMPL_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/blockstore/block_file_set.h"
#include "common/blockstore/block_index.h"
#include "common/blockstore/block_store.h"
#include "common/common.pb.h"

namespace careledger::blockstore {

// A block on its way in: parsed (to validate it) and serialized (to store it). Views; the caller owns both.
struct BlockToAppend {
  const ::common::Block* block;
  std::string_view bytes;
};

// The end of the chain: what the next block must extend.
struct ChainTip {
  uint64_t height = 0;
  ::common::BlockHeader last_header;  // unset when height == 0
  std::string last_hash;              // BlockHeaderHash(last_header); empty when height == 0

  void Advance(const ::common::BlockHeader& header);
};

// Adds an index entry for each transaction ID in `block` (see block_store.h for which entries count).
void AddTransactionIds(const ::common::Block& block, BlockIndex::Batch& batch);

class BlockStore::Impl {
 public:
  Impl(std::string dir, const Options& options, std::unique_ptr<BlockIndex> index,
       std::unique_ptr<BlockFileSet> files)
      : dir_(std::move(dir)), options_(options), index_(std::move(index)), files_(std::move(files)) {}

  // Open's repair; block_store_recovery.cc. Runs before the store is shared.
  absl::Status Recover();

  // The one append path: validates every block, writes and syncs, indexes, publishes.
  absl::Status Append(std::span<const BlockToAppend> blocks);

  void Close();
  ChainTip Tip() const;
  uint64_t Height() const;
  absl::StatusOr<std::string> ReadBlockBytes(uint64_t number) const;
  absl::StatusOr<TransactionLocation> FindTransaction(std::string_view tx_id) const;
  bool WaitForHeight(uint64_t height, absl::Time deadline, const std::atomic<bool>* cancelled) const;
  void WakeWaiters() const;
  const RecoveryReport& recovery_report() const { return recovery_; }

 private:
  // Recovery steps (block_store_recovery.cc).
  absl::StatusOr<ChainTip> VerifyLastIndexedBlock(const IndexHeights& heights, RecordLocation& last_location);
  absl::Status CatchUpTransactionIndex(IndexHeights& heights);
  absl::Status IndexUnindexedRecords(uint32_t file_number, uint64_t offset, ChainTip& tip, IndexHeights& heights);
  absl::Status CutTornTail(uint32_t file_number, uint64_t offset, uint64_t file_size, const absl::Status& damage,
                           uint64_t expected_block);
  void Publish(const ChainTip& tip);

  const std::string dir_;
  const Options options_;
  const std::unique_ptr<BlockIndex> index_;
  const std::unique_ptr<BlockFileSet> files_;
  RecoveryReport recovery_;

  // Held for a whole append, including the fsync; readers never take it.
  absl::Mutex write_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  absl::Status write_error_ ABSL_GUARDED_BY(write_mu_);  // sticky: set by the first failed write
  IndexHeights index_heights_ ABSL_GUARDED_BY(write_mu_);

  // What readers see; held only for short in-memory updates and reads.
  mutable absl::Mutex mu_;
  mutable absl::CondVar height_changed_;
  ChainTip tip_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace careledger::blockstore

#endif  // CARELEDGER_COMMON_BLOCKSTORE_BLOCK_STORE_IMPL_H_
