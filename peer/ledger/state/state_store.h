// StateStore: the peer's world state, history index and per-block commit hashes, in one LevelDB database, so
// that one LevelDB write batch makes a whole block's effects atomic: its state puts and deletes, one history
// entry per write, its commit hash and the new savepoint land together or not at all. The key layout is in
// key_layout.h and docs/formats/peer-ledger.md.
//
// The savepoint is the number of blocks applied (and the last one's commit hash). It only moves forward, one
// block at a time; the ledger (ledger.h) replays from its block store whatever a crash left unapplied.
//
// THREADING. One writer (ApplyBlock), many readers. Every method is thread-safe. ApplyBlock holds an internal
// lock while LevelDB writes the batch (not synced, so no fsync is waited for); Height, LastCommitHash,
// NewSnapshot and History wait for that lock, so a snapshot's height() always matches its content. Reads
// through a snapshot or iterator never take it.
//
// OWNERSHIP. Snapshots and iterators read the store's database: destroy them before the store.
#ifndef CARELEDGER_PEER_LEDGER_STATE_STATE_STORE_H_
#define CARELEDGER_PEER_LEDGER_STATE_STATE_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "peer/ledger/block_update.h"
#include "peer/ledger/history.h"
#include "peer/ledger/state/state_snapshot.h"

namespace careledger::ledger {

class StateStore {
 public:
  // Opens the state database in `dir`, creating it (height 0) if missing. Errors: FailedPrecondition if another
  // process holds it, if it was written in a format version other than key_layout::kFormatVersion, or if `dir`
  // holds a LevelDB database without a format version record (not a state database: refused, never adopted);
  // DataLoss if LevelDB reports corruption or the savepoint record is missing or malformed; Internal for other
  // I/O errors. Messages name `dir`.
  static absl::StatusOr<std::unique_ptr<StateStore>> Open(const std::string& dir);

  // Closes the database. No call may be in progress, and every snapshot and iterator must be gone.
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  // The savepoint: blocks [0, Height()) are applied.
  uint64_t Height() const;

  // The commit hash of block Height() - 1; empty at height 0.
  std::string LastCommitHash() const;

  // Applies `update`, which must be block Height(), in one LevelDB write batch: for each write of each
  // transaction in order, the state key is put with version (block, tx_num) or deleted, and a history entry is
  // put; then the block's commit hash and the savepoint {block + 1, commit hash}. Later writes of a key win.
  // The write is not synced: the block store holds the block durably before this is called, and a crash that
  // loses the batch leaves the savepoint behind, which recovery replays (LevelDB never keeps a later batch
  // without the earlier ones).
  //
  // Errors: FailedPrecondition if update.block_number != Height() or an earlier ApplyBlock failed (reopen the
  // store); InvalidArgument if the commit hash is not 32 bytes or the transactions are not in ascending tx_num
  // order; Internal or DataLoss if LevelDB fails, after which nothing of the block is visible and further
  // applies fail.
  absl::Status ApplyBlock(const BlockUpdate& update);

  // A view of the state at the current savepoint (its height() is Height() at the time of the call). It never
  // changes, whatever is applied later.
  std::unique_ptr<StateSnapshot> NewSnapshot() const;

  // Every write of (ns, key) in the applied blocks, newest first, over a view fixed now.
  std::unique_ptr<HistoryIterator> History(std::string_view ns, std::string_view key) const;

  // The commit hash of block `block_number`. NotFound if block_number >= Height(); DataLoss if the record of an
  // applied block is missing or not 32 bytes; Internal for I/O errors.
  absl::StatusOr<std::string> CommitHash(uint64_t block_number) const;

 private:
  class Impl;
  explicit StateStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace careledger::ledger

#endif  // CARELEDGER_PEER_LEDGER_STATE_STATE_STORE_H_
