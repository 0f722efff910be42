#include "peer/ledger/ledger.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/protoutil/block_hash.h"
#include "common/protoutil/unmarshal.h"
#include "common/status_macros.h"
#include "peer/ledger/block_metadata.h"
#include "peer/ledger/commit_hash.h"
#include "peer/ledger/ledger_impl.h"
#include "peer/ledger/valid_write_sets.h"

namespace careledger::ledger {

std::string_view CommitStepName(CommitStep step) {
  switch (step) {
    case CommitStep::kBeforeBlockAppend:
      return "before-block-append";
    case CommitStep::kAfterBlockAppend:
      return "after-block-append";
    case CommitStep::kAfterStateApply:
      return "after-state-apply";
  }
  return "unknown-step";
}

// --- Steps shared by commit and replay -----------------------------------------------------------------------

absl::StatusOr<BlockUpdate> Ledger::Impl::PrepareUpdate(const ::common::Block& block) const {
  BlockUpdate update;
  update.block_number = block.header().number();
  ASSIGN_OR_RETURN(update.transactions, ValidWriteSets(block));
  update.commit_hash = ledger::CommitHash(state_->LastCommitHash(), update.transactions);
  return update;
}

namespace {

// Each transaction of `block` (whose valid endorser transactions `update` lists) with its validation code, for
// RecentTransactions. Only transactions that are not in `update` (invalid ones, config transactions) have their
// header parsed again; one that does not parse is left without an ID (the block store answers for it).
std::vector<std::pair<std::string, ::protos::TxValidationCode>> StatusesOf(const ::common::Block& block,
                                                                          const BlockUpdate& update) {
  std::vector<std::pair<std::string, ::protos::TxValidationCode>> statuses;
  absl::StatusOr<std::string_view> filter = TransactionsFilter(block);
  if (!filter.ok()) return statuses;
  statuses.reserve(static_cast<size_t>(block.data().data_size()));
  size_t next_valid = 0;
  for (int i = 0; i < block.data().data_size(); ++i) {
    const auto code = static_cast<::protos::TxValidationCode>(static_cast<unsigned char>((*filter)[i]));
    if (next_valid < update.transactions.size() && update.transactions[next_valid].tx_num == static_cast<uint64_t>(i)) {
      statuses.emplace_back(update.transactions[next_valid++].tx_id, code);
      continue;
    }
    std::string tx_id;
    absl::StatusOr<::common::Envelope> envelope = protoutil::Unmarshal<::common::Envelope>(block.data().data(i), "");
    absl::StatusOr<::common::Payload> payload =
        envelope.ok() ? protoutil::Unmarshal<::common::Payload>(envelope->payload(), "") : envelope.status();
    absl::StatusOr<::common::ChannelHeader> header =
        payload.ok() ? protoutil::Unmarshal<::common::ChannelHeader>(payload->header().channel_header(), "")
                     : payload.status();
    if (header.ok()) tx_id = std::move(*header->mutable_tx_id());
    statuses.emplace_back(std::move(tx_id), code);
  }
  return statuses;
}

}  // namespace

absl::Status Ledger::Impl::ApplyAndPublish(const BlockUpdate& update, const ::common::Block& block) {
  std::vector<std::pair<std::string, ::protos::TxValidationCode>> statuses = StatusesOf(block, update);
  const ::common::BlockHeader& header = block.header();
  std::vector<CommitWaiters::Due> due;
  {
    absl::MutexLock lock(&mu_);
    RETURN_IF_ERROR(state_->ApplyBlock(update));
    waiters_.TakeCommitted(statuses, update.block_number, due);
    recent_.AddBlock(update.block_number, std::move(statuses));
    height_ = update.block_number + 1;
    info_.set_height(height_);
    info_.set_currentblockhash(protoutil::BlockHeaderHash(header));
    info_.set_previousblockhash(header.previous_hash());
    height_changed_.SignalAll();
  }
  for (CommitWaiters::Due& d : due) std::move(d).Run();
  return absl::OkStatus();
}

absl::Status Ledger::Impl::RunHook(CommitStep step, uint64_t block_number) const {
  if (!options_.commit_step_hook) return absl::OkStatus();
  return options_.commit_step_hook(step, block_number);
}

// --- Commit ----------------------------------------------------------------------------------------------------

absl::Status Ledger::Impl::Commit(::common::Block block) {
  absl::MutexLock commit_lock(&commit_mu_);
  if (!commit_error_.ok()) {
    return absl::FailedPreconditionError(absl::StrCat("ledger ", dir_, " stopped after a failed commit (",
                                                      commit_error_.message(), "); reopen it to recover"));
  }
  const uint64_t height = Height();
  {
    absl::ReaderMutexLock lock(&mu_);
    if (closed_) return absl::FailedPreconditionError(absl::StrCat("ledger ", dir_, " is closed"));
  }
  if (!block.has_header()) return absl::InvalidArgumentError("cannot commit a block without a header");
  const uint64_t number = block.header().number();
  if (number != height) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot commit block ", number, ": the ledger's next block is ", height));
  }

  ASSIGN_OR_RETURN(const BlockUpdate update, PrepareUpdate(block));
  RETURN_IF_ERROR(SetCommitHash(block, update.commit_hash));

  // From here on, a failure may leave the stores apart: only reopening (recovery) brings them together again.
  const auto fail = [&](const absl::Status& status) {
    commit_error_ = status;
    return status;
  };
  if (absl::Status status = RunHook(CommitStep::kBeforeBlockAppend, number); !status.ok()) return fail(status);
  if (absl::Status status = blocks_->Append(block); !status.ok()) {
    // These the block store reports with itself unchanged: the block is refused, the ledger goes on.
    if (status.code() == absl::StatusCode::kInvalidArgument ||
        (status.code() == absl::StatusCode::kFailedPrecondition && blocks_->Height() == height)) {
      return Annotate(status, absl::StrCat("committing block ", number));
    }
    return fail(Annotate(status, absl::StrCat("committing block ", number)));
  }
  if (absl::Status status = RunHook(CommitStep::kAfterBlockAppend, number); !status.ok()) return fail(status);
  if (absl::Status status = ApplyAndPublish(update, block); !status.ok()) {
    return fail(Annotate(status, absl::StrCat("committing block ", number, " to the state database")));
  }
  if (absl::Status status = RunHook(CommitStep::kAfterStateApply, number); !status.ok()) return fail(status);
  return absl::OkStatus();
}

void Ledger::Impl::Close() {
  std::vector<CommitWaiters::Due> due;
  {
    absl::MutexLock lock(&mu_);
    closed_ = true;
    waiters_.TakeAll(absl::UnavailableError(absl::StrCat("ledger ", dir_, " closed")), due);
    height_changed_.SignalAll();
  }
  for (CommitWaiters::Due& d : due) std::move(d).Run();
  blocks_->Close();
}

// --- Reads -----------------------------------------------------------------------------------------------------

uint64_t Ledger::Impl::Height() const {
  absl::ReaderMutexLock lock(&mu_);
  return height_;
}

absl::StatusOr<::common::Block> Ledger::Impl::GetBlock(uint64_t number) const {
  // The block store may already hold the block being committed: it is not the ledger's until applied.
  if (const uint64_t height = Height(); number >= height) {
    return absl::NotFoundError(absl::StrCat("block ", number, " is not committed (height ", height, ")"));
  }
  return blocks_->GetBlock(number);
}

absl::StatusOr<std::string> Ledger::Impl::GetBlockBytes(uint64_t number) const {
  if (const uint64_t height = Height(); number >= height) {
    return absl::NotFoundError(absl::StrCat("block ", number, " is not committed (height ", height, ")"));
  }
  return blocks_->GetBlockBytes(number);
}

::common::BlockchainInfo Ledger::Impl::GetBlockchainInfo() const {
  absl::ReaderMutexLock lock(&mu_);
  return info_;
}

absl::StatusOr<blockstore::TransactionLocation> Ledger::Impl::FindTransaction(std::string_view tx_id) const {
  // Read the height first: a location below it is committed, whatever commits meanwhile.
  const uint64_t height = Height();
  absl::StatusOr<blockstore::TransactionLocation> location = blocks_->FindTransaction(tx_id);
  if (location.ok() && location->block_number >= height) {
    return absl::NotFoundError(absl::StrCat("transaction ", AsAbsl(tx_id), " is not committed"));
  }
  return location;
}

absl::StatusOr<Ledger::Impl::LocatedTransaction> Ledger::Impl::ReadLocatedTransaction(
    std::string_view tx_id) const {
  ASSIGN_OR_RETURN(const blockstore::TransactionLocation location, FindTransaction(tx_id));
  LocatedTransaction located;
  located.tx_index = location.tx_index;
  ASSIGN_OR_RETURN(located.block, blocks_->GetBlock(location.block_number));
  if (location.tx_index >= static_cast<uint32_t>(located.block.data().data_size())) {
    return absl::DataLossError(absl::StrCat("transaction ", AsAbsl(tx_id), " is indexed at position ",
                                            location.tx_index, " of block ", location.block_number, ", which has ",
                                            located.block.data().data_size(), " transactions"));
  }
  absl::StatusOr<std::string_view> filter = TransactionsFilter(located.block);
  if (!filter.ok()) return absl::DataLossError(absl::StrCat("committed ", filter.status().message()));
  located.code = static_cast<::protos::TxValidationCode>(static_cast<unsigned char>((*filter)[location.tx_index]));
  return located;
}

absl::StatusOr<::protos::ProcessedTransaction> Ledger::Impl::GetTransactionByID(std::string_view tx_id) const {
  ASSIGN_OR_RETURN(LocatedTransaction located, ReadLocatedTransaction(tx_id));
  absl::StatusOr<::common::Envelope> envelope = protoutil::Unmarshal<::common::Envelope>(
      located.block.data().data(static_cast<int>(located.tx_index)), "committed transaction");
  if (!envelope.ok()) return absl::DataLossError(envelope.status().message());
  ::protos::ProcessedTransaction processed;
  *processed.mutable_transactionenvelope() = *std::move(envelope);
  processed.set_validationcode(located.code);
  return processed;
}

absl::StatusOr<TransactionStatus> Ledger::Impl::GetTransactionStatus(std::string_view tx_id) const {
  {
    absl::ReaderMutexLock lock(&mu_);
    if (std::optional<TransactionStatus> recent = recent_.Find(tx_id); recent.has_value()) return *recent;
  }
  ASSIGN_OR_RETURN(const LocatedTransaction located, ReadLocatedTransaction(tx_id));
  return TransactionStatus{located.code, located.block.header().number()};
}

std::unique_ptr<StateSnapshot> Ledger::Impl::NewSnapshot() const {
  absl::ReaderMutexLock lock(&mu_);
  return state_->NewSnapshot();
}

std::unique_ptr<HistoryIterator> Ledger::Impl::GetHistoryForKey(std::string_view ns, std::string_view key) const {
  absl::ReaderMutexLock lock(&mu_);
  return state_->History(ns, key);
}

absl::StatusOr<std::string> Ledger::Impl::CommitHash(uint64_t block_number) const {
  absl::ReaderMutexLock lock(&mu_);
  return state_->CommitHash(block_number);
}

bool Ledger::Impl::WaitForHeight(uint64_t height, absl::Time deadline, const std::atomic<bool>* cancelled) const {
  absl::MutexLock lock(&mu_);
  while (height_ < height) {
    if (closed_ || (cancelled != nullptr && cancelled->load())) return false;
    if (height_changed_.WaitWithDeadline(&mu_, deadline)) return height_ >= height;  // timed out
  }
  return true;
}

uint64_t Ledger::Impl::NotifyOnCommit(std::string_view tx_id, CommitNotification notify) const {
  std::optional<absl::StatusOr<TransactionStatus>> known;
  uint64_t ticket = 0;
  {
    // Looking among the recent blocks and filing the notification are one step under the lock that publishes
    // blocks: a block published after it notifies, one published before is found.
    absl::MutexLock lock(&mu_);
    if (std::optional<TransactionStatus> recent = recent_.Find(tx_id); recent.has_value()) {
      known = *recent;
    } else if (closed_) {
      known = absl::UnavailableError(absl::StrCat("ledger ", dir_, " is closed"));
    } else {
      ticket = waiters_.Add(tx_id, std::move(notify));
    }
  }
  if (known.has_value()) {
    notify(*std::move(known));
    return 0;
  }
  // Older blocks are only on disk. Usually the transaction is simply not committed yet and the index says so at
  // once; if it is found, the notification is taken back here, unless a commit has just run it.
  absl::StatusOr<LocatedTransaction> located = ReadLocatedTransaction(tx_id);
  if (absl::IsNotFound(located.status())) return ticket;
  if (std::optional<CommitNotification> mine = [&] {
        absl::MutexLock lock(&mu_);
        return waiters_.Remove(tx_id, ticket);
      }();
      mine.has_value()) {
    if (located.ok()) {
      (*mine)(TransactionStatus{located->code, located->block.header().number()});
    } else {
      (*mine)(located.status());
    }
  }
  return 0;
}

bool Ledger::Impl::CancelNotifyOnCommit(std::string_view tx_id, uint64_t ticket) const {
  std::optional<CommitNotification> withdrawn;
  {
    absl::MutexLock lock(&mu_);
    withdrawn = waiters_.Remove(tx_id, ticket);
  }
  // Destroyed outside the lock: it may hold the last reference to its caller's state.
  return withdrawn.has_value();
}

void Ledger::Impl::WakeWaiters() const {
  // Taking the lock orders the caller's flag store before the waiters' re-check.
  absl::MutexLock lock(&mu_);
  height_changed_.SignalAll();
}

// --- Ledger ----------------------------------------------------------------------------------------------------

Ledger::Ledger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Ledger::~Ledger() = default;

absl::Status Ledger::Commit(::common::Block block) { return impl_->Commit(std::move(block)); }
void Ledger::Close() { impl_->Close(); }
uint64_t Ledger::Height() const { return impl_->Height(); }
absl::StatusOr<::common::Block> Ledger::GetBlock(uint64_t number) const { return impl_->GetBlock(number); }
absl::StatusOr<std::string> Ledger::GetBlockBytes(uint64_t number) const { return impl_->GetBlockBytes(number); }
::common::BlockchainInfo Ledger::GetBlockchainInfo() const { return impl_->GetBlockchainInfo(); }
absl::StatusOr<blockstore::TransactionLocation> Ledger::FindTransaction(std::string_view tx_id) const {
  return impl_->FindTransaction(tx_id);
}
absl::StatusOr<::protos::ProcessedTransaction> Ledger::GetTransactionByID(std::string_view tx_id) const {
  return impl_->GetTransactionByID(tx_id);
}
absl::StatusOr<TransactionStatus> Ledger::GetTransactionStatus(std::string_view tx_id) const {
  return impl_->GetTransactionStatus(tx_id);
}
std::unique_ptr<StateSnapshot> Ledger::NewSnapshot() const { return impl_->NewSnapshot(); }
std::unique_ptr<HistoryIterator> Ledger::GetHistoryForKey(std::string_view ns, std::string_view key) const {
  return impl_->GetHistoryForKey(ns, key);
}
absl::StatusOr<std::string> Ledger::CommitHash(uint64_t block_number) const {
  return impl_->CommitHash(block_number);
}
bool Ledger::WaitForHeight(uint64_t height, absl::Time deadline, const std::atomic<bool>* cancelled) const {
  return impl_->WaitForHeight(height, deadline, cancelled);
}
void Ledger::WakeWaiters() const { impl_->WakeWaiters(); }
uint64_t Ledger::NotifyOnCommit(std::string_view tx_id, CommitNotification notify) const {
  return impl_->NotifyOnCommit(tx_id, std::move(notify));
}
bool Ledger::CancelNotifyOnCommit(std::string_view tx_id, uint64_t ticket) const {
  return impl_->CancelNotifyOnCommit(tx_id, ticket);
}
const LedgerRecoveryReport& Ledger::recovery_report() const { return impl_->recovery_report(); }

}  // namespace careledger::ledger
