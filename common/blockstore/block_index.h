// The LevelDB index of a block store: block number -> record location, transaction ID -> first occurrence,
// and the heights the index covers. Internal to the block store; the key layout is described in
// block_store.h. LevelDB stays behind this class: its header never includes LevelDB's.
//
// Threading: every method may be called from any thread (LevelDB is thread-safe); a Batch belongs to one.
#ifndef CARELEDGER_COMMON_BLOCKSTORE_BLOCK_INDEX_H_
#define CARELEDGER_COMMON_BLOCKSTORE_BLOCK_INDEX_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/blockstore/block_file_set.h"

namespace careledger::blockstore {

inline constexpr uint32_t kIndexFormatVersion = 1;

// The first transaction carrying a given ID.
struct IndexedTransaction {
  uint64_t block_number = 0;
  uint32_t tx_index = 0;  // position in BlockData.data
};

// What the index covers: blocks [0, height) have locations; the transaction IDs of blocks [0, tx_height) are
// indexed. tx_height <= height, and lags height while the store is opened without transaction indexing.
struct IndexHeights {
  uint64_t height = 0;
  uint64_t tx_height = 0;
};

class BlockIndex {
 public:
  // Index entries to write together, atomically.
  class Batch {
   public:
    Batch();
    ~Batch();
    Batch(const Batch&) = delete;
    Batch& operator=(const Batch&) = delete;

    void AddBlock(uint64_t block_number, const RecordLocation& location);
    void AddTransaction(std::string_view tx_id, uint64_t block_number, uint32_t tx_index);
    void SetHeights(const IndexHeights& heights);
    // Empties the batch for reuse.
    void Clear();
    // Approximate bytes queued, to bound the memory of a long rebuild.
    size_t ApproximateSize() const;

   private:
    friend class BlockIndex;
    struct Rep;
    std::unique_ptr<Rep> rep_;
  };

  // Opens (creating if missing) the LevelDB in `dir`. FailedPrecondition if another process holds it or it
  // was written in an index format other than kIndexFormatVersion; DataLoss if LevelDB reports corruption or
  // the heights record is malformed; Internal for other LevelDB errors. Messages name `dir`.
  static absl::StatusOr<std::unique_ptr<BlockIndex>> Open(const std::string& dir);
  ~BlockIndex();

  // The heights as last written.
  absl::StatusOr<IndexHeights> ReadHeights() const;

  // Where block `block_number` is. NotFound if it is not indexed; DataLoss if the entry is malformed.
  absl::StatusOr<RecordLocation> GetLocation(uint64_t block_number) const;

  // The first (lowest block, then lowest index) transaction indexed under `tx_id`, or nullopt.
  absl::StatusOr<std::optional<IndexedTransaction>> FindTransaction(std::string_view tx_id) const;

  // Applies `batch` atomically. Not synced: a crash may lose it, and Open of the store rebuilds it from the
  // block files.
  absl::Status Write(const Batch& batch);

 private:
  struct Rep;
  explicit BlockIndex(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace careledger::blockstore

#endif  // CARELEDGER_COMMON_BLOCKSTORE_BLOCK_INDEX_H_
