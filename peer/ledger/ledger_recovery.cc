// Ledger::Open and the recovery it runs: the block store is the truth, the state database catches up with it
// by replaying blocks through the commit's own steps (ledger.h, "RECOVERY").
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/protoutil/block_hash.h"
#include "common/status_macros.h"
#include "peer/ledger/block_metadata.h"
#include "peer/ledger/ledger.h"
#include "peer/ledger/ledger_impl.h"

namespace careledger::ledger {
namespace {

absl::Status AsDataLoss(const absl::Status& status, std::string_view context) {
  if (status.ok() || status.code() == absl::StatusCode::kDataLoss) return Annotate(status, context);
  return absl::DataLossError(absl::StrCat(AsAbsl(context), ": ", status.message()));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Ledger>> Ledger::Open(const std::string& dir, const LedgerOptions& options) {
  if (options.max_block_file_size == 0) {
    return absl::InvalidArgumentError("LedgerOptions.max_block_file_size must be greater than 0");
  }
  blockstore::Options block_options;
  block_options.max_file_size = options.max_block_file_size;
  block_options.index_transactions = true;
  const std::filesystem::path root(dir);
  ASSIGN_OR_RETURN(std::unique_ptr<blockstore::BlockStore> blocks,
                   blockstore::BlockStore::Open((root / "blocks").string(), block_options));
  // The block store created `dir`; LevelDB creates only the last folder of its path.
  ASSIGN_OR_RETURN(std::unique_ptr<StateStore> state, StateStore::Open((root / "state").string()));

  auto impl = std::make_unique<Impl>(dir, options, std::move(blocks), std::move(state));
  RETURN_IF_ERROR(impl->Recover());
  return std::unique_ptr<Ledger>(new Ledger(std::move(impl)));
}

absl::Status Ledger::Impl::Recover() {
  recovery_.blocks = blocks_->recovery_report();
  const uint64_t block_height = blocks_->Height();
  const uint64_t savepoint = state_->Height();
  recovery_.state_height_at_open = savepoint;
  if (savepoint > block_height) {
    return absl::DataLossError(absl::StrCat("ledger ", dir_, ": the state database has applied ", savepoint,
                                            " blocks but the block store holds only ", block_height,
                                            " (the block store lost committed blocks)"));
  }
  if (savepoint > 0) {
    // The savepoint's commit hash must be its block's: otherwise the two stores are of different chains.
    const uint64_t last = savepoint - 1;
    ASSIGN_OR_RETURN(const ::common::Block block, blocks_->GetBlock(last));
    absl::StatusOr<std::string> stored = StoredCommitHash(block);
    if (!stored.ok()) return AsDataLoss(stored.status(), absl::StrCat("ledger ", dir_, ": stored"));
    if (*stored != state_->LastCommitHash()) {
      return absl::DataLossError(absl::StrCat("ledger ", dir_, ": the state savepoint's commit hash differs from ",
                                              "the one stored in block ", last,
                                              " (the state database is not of this chain)"));
    }
    absl::MutexLock lock(&mu_);
    height_ = savepoint;
    info_.set_height(savepoint);
    info_.set_currentblockhash(protoutil::BlockHeaderHash(block.header()));
    info_.set_previousblockhash(block.header().previous_hash());
  }
  for (uint64_t number = savepoint; number < block_height; ++number) {
    RETURN_IF_ERROR(Replay(number));
    ++recovery_.replayed_blocks;
  }
  return absl::OkStatus();
}

absl::Status Ledger::Impl::Replay(uint64_t number) {
  const std::string context = absl::StrCat("ledger ", dir_, ": replaying stored block ", number);
  ASSIGN_OR_RETURN(const ::common::Block block, blocks_->GetBlock(number));
  absl::StatusOr<BlockUpdate> update = PrepareUpdate(block);
  if (!update.ok()) return AsDataLoss(update.status(), context);
  absl::StatusOr<std::string> stored = StoredCommitHash(block);
  if (!stored.ok()) return AsDataLoss(stored.status(), context);
  if (*stored != update->commit_hash) {
    return absl::DataLossError(absl::StrCat(context, ": its COMMIT_HASH metadata differs from the commit hash ",
                                            "recomputed from its write sets and the previous commit hash"));
  }
  RETURN_IF_ERROR(Annotate(ApplyAndPublish(*update, block), context));
  return RunHook(CommitStep::kAfterStateApply, number);
}

}  // namespace careledger::ledger
