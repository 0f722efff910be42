// Ledger: one channel's ledger on a peer — its blocks, world state, history index and commit hashes — and the
// module's public face. The committer commits validated blocks into it; the endorser simulates on its state
// snapshots; the gateway and the chaincode runtime query it. It knows nothing of endorsement, policies or
// clients. On-disk layout, key encodings and recovery rules: docs/formats/peer-ledger.md.
//
// FOLDERS. <dir>/blocks is a blockstore::BlockStore (common/blockstore/block_store.h) with transaction-ID
// indexing; <dir>/state is the StateStore (state/state_store.h): world state, history, commit hashes and the
// savepoint in one LevelDB.
//
// COMMIT. Commit(block) takes a block the committer has validated, with its TRANSACTIONS_FILTER set, and:
//   1. extracts the write sets of the VALID endorser transactions (valid_write_sets.h) and computes the
//      block's commit hash (commit_hash.h), which it stores in the block's COMMIT_HASH metadata;
//   2. appends the block to the block store, durably (fdatasync);
//   3. writes the block's state puts and deletes (version = block number and transaction position; later
//      transactions overwrite earlier ones), its history entries, its commit hash and the new savepoint in one
//      LevelDB batch, and publishes the new height to readers.
// The steps are named in ledger_options.h (CommitStep), where tests inject crashes.
//
// RECOVERY. The block store is the truth; the state database follows it. Open brings the state up to the block
// store's height by replaying each missing block (savepoint .. height - 1) through the same code as step 1 and
// step 3, so a replayed block can never differ from a committed one, and checks that the commit hash it
// recomputes is the one stored in the block. After a crash (SIGKILL, power loss) at any point, Open yields
// exactly the blocks, state, history and commit hashes the ledger would have had without the crash, up to the
// last block the block store holds durably. It refuses (DataLoss, naming the block) what no crash explains: a
// savepoint above the block store's height, a stored block without a TRANSACTIONS_FILTER or COMMIT_HASH, a
// commit hash that differs from the recomputed one, or a savepoint whose commit hash is not that of its block.
//
// THREADING. One writer: Commit calls are serialized (the committer has a single committing thread). Every read
// is thread-safe and may run concurrently with a commit. A block becomes visible to readers (Height, GetBlock,
// snapshots, history, transaction lookups, WaitForHeight) all at once, after step 3; readers wait at most for
// the in-memory part of step 3 (an unsynced LevelDB write), never for an fsync. A snapshot or history iterator
// never changes once taken, whatever commits after it.
//
// OWNERSHIP. Snapshots and history iterators read the ledger's database: destroy them before the Ledger. No
// call may be in progress when the Ledger is destroyed.
#ifndef CARELEDGER_PEER_LEDGER_LEDGER_H_
#define CARELEDGER_PEER_LEDGER_LEDGER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/blockstore/block_store.h"
#include "common/common.pb.h"
#include "common/ledger.pb.h"
#include "peer/ledger/history.h"
#include "peer/ledger/ledger_options.h"
#include "peer/ledger/state/state_snapshot.h"
#include "peer/transaction.pb.h"

namespace careledger::ledger {

// Where a transaction was committed and the committer's verdict on it (what the gateway's CommitStatus
// reports).
struct TransactionStatus {
  ::protos::TxValidationCode code = ::protos::VALID;
  uint64_t block_number = 0;
};

// What Ledger::NotifyOnCommit calls, once: with the transaction's status, or an error (the ledger closed).
using CommitNotification = absl::AnyInvocable<void(absl::StatusOr<TransactionStatus>)>;

// What Open repaired, for the caller to log.
struct LedgerRecoveryReport {
  blockstore::RecoveryReport blocks;  // the block store's own repair
  uint64_t state_height_at_open = 0;  // the savepoint found
  uint64_t replayed_blocks = 0;       // blocks whose state was re-applied from the block store
};

class Ledger {
 public:
  // Opens the ledger in `dir` (creating it empty if missing) and recovers it as described above. Errors:
  // InvalidArgument for bad options; FailedPrecondition if it is open elsewhere (this or another process) or a
  // store was written in a format this build does not know; DataLoss for damage no crash explains, naming the
  // store and block; Internal or PermissionDenied for I/O errors; a commit_step_hook's error during replay.
  static absl::StatusOr<std::unique_ptr<Ledger>> Open(const std::string& dir, const LedgerOptions& options = {});

  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  // --- Writing ---------------------------------------------------------------------------------------------

  // Commits `block` (see COMMIT above); on OK it is durable and visible. The block's COMMIT_HASH metadata is
  // set here (any value it carried is replaced). Errors, with the ledger unchanged:
  //   InvalidArgument: no header; a TRANSACTIONS_FILTER that is missing, not one byte per transaction or holds
  //     an unknown code or NOT_VALIDATED; a transaction marked VALID that is not a well-formed envelope or
  //     endorser transaction with one action; a block the block store refuses (data hash, size);
  //   FailedPrecondition: the block's number is not Height(), or its previous hash is not the last block's
  //     header hash; the ledger is closed; an earlier commit failed.
  // Any other error (Internal, DataLoss, a commit_step_hook's) is a local failure part-way through: the ledger
  // refuses further commits (FailedPrecondition) and must be reopened, which recovers.
  absl::Status Commit(::common::Block block);

  // Wakes every WaitForHeight (they return false unless already satisfied) and refuses further commits. Reads
  // keep working. Idempotent.
  void Close();

  // --- Reading (thread-safe, concurrent with Commit) ------------------------------------------------------

  // The number of committed blocks: the next block's number.
  uint64_t Height() const;

  // Committed block `number`, with its TRANSACTIONS_FILTER and COMMIT_HASH metadata. NotFound if
  // number >= Height(); DataLoss if its record is damaged (see BlockStore::GetBlock).
  absl::StatusOr<::common::Block> GetBlock(uint64_t number) const;

  // The same block as stored (a serialized common.Block), for Deliver. Errors as GetBlock.
  absl::StatusOr<std::string> GetBlockBytes(uint64_t number) const;

  // Fabric's chain summary at Height(): height, currentBlockHash (header hash of the last block) and
  // previousBlockHash (its previous_hash); hashes empty for an empty ledger.
  ::common::BlockchainInfo GetBlockchainInfo() const;

  // Where the first committed transaction with ID `tx_id` is, valid or not: the duplicate-transaction check asks
  // this. NotFound if no committed block holds it.
  absl::StatusOr<blockstore::TransactionLocation> FindTransaction(std::string_view tx_id) const;

  // The first committed transaction with ID `tx_id`: its envelope and validation code (Fabric's
  // GetTransactionByID). NotFound if there is none; DataLoss if its block is damaged.
  absl::StatusOr<::protos::ProcessedTransaction> GetTransactionByID(std::string_view tx_id) const;

  // The validation code and block of the first committed transaction with ID `tx_id`. Errors as
  // GetTransactionByID.
  absl::StatusOr<TransactionStatus> GetTransactionStatus(std::string_view tx_id) const;

  // A consistent, read-only view of the world state after blocks [0, Height()) at the time of the call.
  std::unique_ptr<StateSnapshot> NewSnapshot() const;

  // Every committed write of `key` in namespace `ns` by a valid transaction, deletes included, newest first,
  // with transaction ID, value and timestamp, as of the time of the call.
  std::unique_ptr<HistoryIterator> GetHistoryForKey(std::string_view ns, std::string_view key) const;

  // The commit hash of committed block `block_number` (also in the block's COMMIT_HASH metadata). NotFound if
  // block_number >= Height(); DataLoss if missing or malformed.
  absl::StatusOr<std::string> CommitHash(uint64_t block_number) const;

  // Blocks until Height() >= height and returns true (at once if it already is). Returns false if `deadline`
  // passes first, if the ledger is closed, or if `cancelled` (may be null) is true when checked: on entry and
  // whenever waiters are woken, so a canceller sets it and then calls WakeWaiters(). Waits on a condition
  // variable signalled by each commit; never polls.
  bool WaitForHeight(uint64_t height, absl::Time deadline, const std::atomic<bool>* cancelled = nullptr) const;

  // Makes every WaitForHeight re-check its condition (for cancellation; see above).
  void WakeWaiters() const;

  // Calls `notify` exactly once: with GetTransactionStatus(tx_id) once the transaction is committed — at once,
  // on the calling thread, if it already is; otherwise on the committing thread right after its block is
  // published — or with Unavailable if the ledger is closed first, or with a lookup's DataLoss. No thread waits:
  // this is how the gateway's CommitStatus waits (commit_waiters.h). `notify` runs with no lock of the ledger
  // held, so it may call the ledger, but it must be quick and must not block: the next commit waits for it.
  // Returns a ticket for CancelNotifyOnCommit; 0 if `notify` has already run.
  uint64_t NotifyOnCommit(std::string_view tx_id, CommitNotification notify) const;

  // Withdraws the notification `ticket` of NotifyOnCommit(tx_id, ...): true if it had not run, and now never
  // will (it is destroyed here); false if it has run or is running.
  bool CancelNotifyOnCommit(std::string_view tx_id, uint64_t ticket) const;

  // What Open repaired. Set once by Open.
  const LedgerRecoveryReport& recovery_report() const;

 private:
  class Impl;
  explicit Ledger(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace careledger::ledger

#endif  // CARELEDGER_PEER_LEDGER_LEDGER_H_
