// Ledger's state, shared by ledger.cc (commits and reads) and ledger_recovery.cc (Open and replay). Internal
// to peer/ledger.
#ifndef CARELEDGER_PEER_LEDGER_LEDGER_IMPL_H_
#define CARELEDGER_PEER_LEDGER_LEDGER_IMPL_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/blockstore/block_store.h"
#include "peer/ledger/block_update.h"
#include "peer/ledger/ledger.h"
#include "peer/ledger/commit_waiters.h"
#include "peer/ledger/recent_transactions.h"
#include "peer/ledger/state/state_store.h"

namespace careledger::ledger {

class Ledger::Impl {
 public:
  Impl(std::string dir, LedgerOptions options, std::unique_ptr<blockstore::BlockStore> blocks,
       std::unique_ptr<StateStore> state)
      : dir_(std::move(dir)), options_(std::move(options)), blocks_(std::move(blocks)), state_(std::move(state)) {}

  // Open's recovery (ledger_recovery.cc): replays the blocks the state lacks. Runs before the ledger is shared.
  absl::Status Recover();

  absl::Status Commit(::common::Block block);
  void Close();

  uint64_t Height() const;
  absl::StatusOr<::common::Block> GetBlock(uint64_t number) const;
  absl::StatusOr<std::string> GetBlockBytes(uint64_t number) const;
  ::common::BlockchainInfo GetBlockchainInfo() const;
  absl::StatusOr<blockstore::TransactionLocation> FindTransaction(std::string_view tx_id) const;
  absl::StatusOr<::protos::ProcessedTransaction> GetTransactionByID(std::string_view tx_id) const;
  absl::StatusOr<TransactionStatus> GetTransactionStatus(std::string_view tx_id) const;
  std::unique_ptr<StateSnapshot> NewSnapshot() const;
  std::unique_ptr<HistoryIterator> GetHistoryForKey(std::string_view ns, std::string_view key) const;
  absl::StatusOr<std::string> CommitHash(uint64_t block_number) const;
  bool WaitForHeight(uint64_t height, absl::Time deadline, const std::atomic<bool>* cancelled) const;
  void WakeWaiters() const;
  uint64_t NotifyOnCommit(std::string_view tx_id, CommitNotification notify) const;
  bool CancelNotifyOnCommit(std::string_view tx_id, uint64_t ticket) const;
  const LedgerRecoveryReport& recovery_report() const { return recovery_; }

 private:
  // Step 1 of a commit and of a replay: block `block`'s valid write sets and commit hash, chained to the
  // state's last commit hash. InvalidArgument as ValidWriteSets.
  absl::StatusOr<BlockUpdate> PrepareUpdate(const ::common::Block& block) const;

  // Step 3 of a commit and of a replay: applies `update` (of `block`) to the state store and publishes the
  // block — its height, header and transaction statuses — to readers, in one critical section.
  absl::Status ApplyAndPublish(const BlockUpdate& update, const ::common::Block& block);

  // Re-applies stored block `number` (recovery).
  absl::Status Replay(uint64_t number);

  // The hook's verdict at `step` (OK without a hook).
  absl::Status RunHook(CommitStep step, uint64_t block_number) const;

  // The first committed transaction with ID `tx_id`: its block, position and validation code.
  struct LocatedTransaction {
    ::common::Block block;
    uint32_t tx_index = 0;
    ::protos::TxValidationCode code = ::protos::VALID;
  };
  absl::StatusOr<LocatedTransaction> ReadLocatedTransaction(std::string_view tx_id) const;

  const std::string dir_;
  const LedgerOptions options_;
  const std::unique_ptr<blockstore::BlockStore> blocks_;
  const std::unique_ptr<StateStore> state_;
  LedgerRecoveryReport recovery_;

  // Held for a whole commit; readers never take it.
  absl::Mutex commit_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  absl::Status commit_error_ ABSL_GUARDED_BY(commit_mu_);  // sticky: set by the first failed commit

  // What readers see. Held while a block is applied to the state store, so that Height() and a snapshot's
  // height() always agree.
  mutable absl::Mutex mu_;
  mutable absl::CondVar height_changed_;
  uint64_t height_ ABSL_GUARDED_BY(mu_) = 0;
  ::common::BlockchainInfo info_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  // The statuses of the last blocks' transactions: about ten seconds of a busy channel, ~4 MB.
  RecentTransactions recent_ ABSL_GUARDED_BY(mu_){32768};
  // NotifyOnCommit's notifications of transactions not committed yet.
  mutable CommitWaiters waiters_ ABSL_GUARDED_BY(mu_);
};

}  // namespace careledger::ledger

#endif  // CARELEDGER_PEER_LEDGER_LEDGER_IMPL_H_
