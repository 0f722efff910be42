// BlockStore: the append-only store of one channel's blocks, with a LevelDB index. The orderer keeps its
// channel's chain here and serves Deliver from it; the peer's ledger builds its state database and history on
// top of it. Blocks are validated as a hash chain on the way in, durable before Append returns, and checked
// (CRC, block number) on the way out.
//
// ON-DISK FORMAT, VERSION 1
// =========================
// A store is a folder <dir> with two sub-folders:
//
//   <dir>/blocks/blockfile_000000, blockfile_000001, ...   the blocks, in order (the truth)
//   <dir>/index/                                           a LevelDB index, rebuilt from the files when lost
//
// Block files. Named "blockfile_" + the file number in decimal, zero-padded to six digits (more digits once
// the number needs them), numbered from 0 without gaps. Each file is a sequence of records, one per block, in
// block number order, with no gap and no padding; the records of all files in file order are blocks 0, 1, 2...
// A record is a 32-byte header followed by the payload, the serialized common.Block exactly as it was
// appended (for AppendSerialized, the caller's bytes; Deliver sends them as they are):
//
//   offset size  field              (integers little-endian)
//   0      4     magic              "CLBK" (0x43 0x4C 0x42 0x4B)
//   4      2     format version     1
//   6      2     flags              0 (reserved; a reader rejects a record with any flag set)
//   8      8     block number
//   16     4     payload length     bytes, at most 2^31 - 1 (protobuf's limit)
//   20     4     position in write  how many records of the same write (one Append or AppendBatch, ended by
//                                   one fdatasync) precede this one; block number - position is the first
//                                   block of that write
//   24     4     payload CRC        CRC32C (Castagnoli) of the payload
//   28     4     header CRC         CRC32C of bytes 0..27, so that a torn or foreign length is never trusted
//
// A new file starts when the current file is not empty and the next record would take it beyond
// Options::max_file_size; a record larger than that limit therefore gets a file of its own. The CRCs are not
// masked. A record with a valid header CRC but another format version is refused (FailedPrecondition), never
// guessed at.
//
// Index (LevelDB, format version 1). Keys and values:
//
//   "#v"                                   -> u32 LE index format version (1)
//   "#h"                                   -> u64 LE height, u64 LE tx_height: blocks [0, height) are
//                                             indexed, and the transaction IDs of blocks [0, tx_height)
//   'b' | u64 BE block number              -> u32 LE file number, u64 LE record offset, u32 LE payload length
//   'x' | u32 BE len | tx_id | u64 BE block number | u32 BE tx index
//                                          -> empty (only with Options::index_transactions)
//
// Every transaction ID occurrence is indexed; FindTransaction returns the first (lowest block, then index).
// The tx index is the position in BlockData.data; an entry is indexed under ChannelHeader.tx_id when it is an
// Envelope whose payload header's channel header parses and has a non-empty tx_id. A block's entries and
// the new "#h" are written in one LevelDB batch. tx_height lags height while the store is opened without
// index_transactions, and is caught up by the next Open with it.
//
// DURABILITY AND RECOVERY
// =======================
// Append writes the record(s), fdatasyncs the file (AppendBatch: one fdatasync for the whole batch), then
// writes the index batch without syncing it, then publishes the new height. A file being left for a new one
// is synced first and the new file's folder entry is synced, so only the last file can hold unsynced bytes.
// Open therefore repairs every state a crash can leave:
//   - a torn tail is truncated: a record in the last file, beyond the indexed blocks, whose header is
//     incomplete or corrupt, whose length runs past the end of the file or whose payload CRC fails, provided
//     no intact record of a later write follows it (records of the same unsynced write may survive out of
//     order; a later write only starts after this one was synced, so an intact later write proves the bad
//     record was durable: DataLoss);
//   - an index that lags the files (crash after the fsync, before the index write, or an index lost or
//     deleted) is rebuilt by scanning the files from the last indexed block, checking each record's CRC, block
//     number, previous hash and data hash.
// Records below the index height are not re-read by Open (that would be a pass over the whole chain): a damaged
// one is DataLoss, naming the file and offset, when it is read, and a rebuild of the index checks every record
// it scans. It refuses (DataLoss) what no crash can cause: the index ahead of the files (its last block missing,
// short or different on disk), a missing block file, a bad record anywhere but in the last file's unindexed
// tail (naming the file and offset), or a well-formed record that breaks the chain.
//
// THREADING
// =========
// One writer, many readers. Append, AppendSerialized and AppendBatch are serialized internally (calls from
// several threads are safe, one runs at a time; the orderer and the committer each have a single writer
// thread). Every other method is thread-safe and may run concurrently with an append: readers never wait for a
// write or an fsync, only for a short in-memory lock. A block becomes visible to readers (Height, GetBlock,
// FindTransaction, WaitForHeight) only when it is durable and indexed.
#ifndef CARELEDGER_COMMON_BLOCKSTORE_BLOCK_STORE_H_
#define CARELEDGER_COMMON_BLOCKSTORE_BLOCK_STORE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/common.pb.h"
#include "common/ledger.pb.h"

namespace careledger::blockstore {

struct Options {
  // A new block file starts when the next record would take the current one beyond this size. > 0.
  uint64_t max_file_size = uint64_t{64} << 20;
  // Index transaction IDs for FindTransaction (the peer's duplicate check and GetTransactionByID). The
  // orderer does not need it. Turning it on for an existing store indexes the blocks it has during Open.
  bool index_transactions = false;
};

// Where a transaction is: block number and position in BlockData.data.
struct TransactionLocation {
  uint64_t block_number = 0;
  uint32_t tx_index = 0;

  friend bool operator==(const TransactionLocation&, const TransactionLocation&) = default;
};

// What Open repaired, for the caller to log.
struct RecoveryReport {
  uint64_t truncated_bytes = 0;  // torn tail cut from the last block file
  std::string truncated_file;    // its path, empty if nothing was cut
  uint64_t truncated_at = 0;     // the offset it was cut at
  uint64_t reindexed_blocks = 0;             // blocks whose index entries were rebuilt from the files
  uint64_t reindexed_transaction_blocks = 0;  // indexed blocks whose transaction IDs were added
};

class BlockStore {
 public:
  // Opens the store in `dir`, creating it (and `dir`) if missing, and recovers from a crash as described
  // above. Errors: InvalidArgument for bad options; FailedPrecondition if the store is open elsewhere (in this
  // or another process) or was written in a format this build does not know; DataLoss for damage no crash
  // explains (message names the file and offset); Internal or PermissionDenied for I/O errors, naming the path.
  static absl::StatusOr<std::unique_ptr<BlockStore>> Open(const std::string& dir, const Options& options = {});

  // Closes the store. No call may be in progress or start during destruction.
  ~BlockStore();
  BlockStore(const BlockStore&) = delete;
  BlockStore& operator=(const BlockStore&) = delete;

  // --- Writing -------------------------------------------------------------------------------------------

  // Appends `block`, durable when this returns OK. The block must have a header with number == Height(),
  // previous_hash == the header hash of the last block (protoutil::BlockHeaderHash; block 0 may have any),
  // and data_hash == protoutil::BlockDataHash(data). Errors, with the store unchanged:
  //   FailedPrecondition: wrong number or previous hash (the block does not extend this chain), or the store is
  //     closed, or an earlier write failed (then reopen the store: Open recovers);
  //   InvalidArgument: no header, data_hash not matching the data, or larger than 2 GiB - 1 serialized.
  // Any other error (Internal, ...) is an I/O failure: whether the block reached the disk is unknown, further
  // appends fail, and the next Open decides (Height() then tells).
  absl::Status Append(const ::common::Block& block);

  // Appends the block serialized in `block_bytes`, storing these exact bytes (no re-encoding; they are parsed
  // once to be validated). Same contract as Append; InvalidArgument if the bytes do not parse as a
  // common.Block.
  absl::Status AppendSerialized(std::string_view block_bytes);

  // Appends `blocks` (consecutive, each extending the previous) with a single fdatasync: group commit. All are
  // validated before anything is written; the error names the offending block and the store is unchanged.
  // On success all are durable and visible together. An empty span is OK and does nothing.
  absl::Status AppendBatch(std::span<const ::common::Block> blocks);

  // Wakes WaitForHeight calls, which then return false; further appends fail with FailedPrecondition. Reads
  // keep working until destruction. Idempotent. A Deliver server calls it on shutdown.
  void Close();

  // --- Reading (thread-safe, concurrent with an append) -------------------------------------------------

  // The number of blocks: the next block's number.
  uint64_t Height() const;

  // The last block's header; NotFound if the store is empty.
  absl::StatusOr<::common::BlockHeader> LastBlockHeader() const;

  // Fabric's chain summary: height, currentBlockHash (header hash of the last block) and previousBlockHash
  // (its previous_hash); hashes empty for an empty store. One consistent snapshot.
  ::common::BlockchainInfo Info() const;

  // Block `number`, parsed. NotFound if number >= Height(); DataLoss if its record is missing, damaged (CRC,
  // header, length) or does not parse as the block indexed there.
  absl::StatusOr<::common::Block> GetBlock(uint64_t number) const;

  // Block `number` as stored (serialized common.Block), checked against its CRC but not parsed: what Deliver
  // sends. Errors as GetBlock.
  absl::StatusOr<std::string> GetBlockBytes(uint64_t number) const;

  // The first transaction with ID `tx_id` in the blocks below Height(). NotFound if there is none;
  // FailedPrecondition if the store was opened without Options::index_transactions.
  absl::StatusOr<TransactionLocation> FindTransaction(std::string_view tx_id) const;

  // Blocks until Height() >= height and returns true (at once if it already is). Returns false if `deadline`
  // passes first, if the store is closed, or if `cancelled` (may be null) is true when checked: it is checked
  // on entry and whenever waiters are woken, so a canceller sets it and then calls WakeWaiters(). Waits on a
  // condition variable signalled by each append; never polls.
  bool WaitForHeight(uint64_t height, absl::Time deadline, const std::atomic<bool>* cancelled = nullptr) const;

  // Makes every WaitForHeight re-check its condition (for cancellation; see above).
  void WakeWaiters() const;

  // What Open repaired. Set once by Open; thread-safe.
  const RecoveryReport& recovery_report() const;

 private:
  class Impl;
  explicit BlockStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace careledger::blockstore

#endif  // CARELEDGER_COMMON_BLOCKSTORE_BLOCK_STORE_H_
