#include "common/blockstore/block_store.h"

#include <filesystem>
#include <limits>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/blockstore/block_store_impl.h"
#include "common/blockstore/chain_check.h"
#include "common/file/file_io.h"
#include "common/protoutil/block_hash.h"
#include "common/protoutil/unmarshal.h"
#include "common/status_macros.h"

namespace careledger::blockstore {
namespace {

// Transaction IDs come from clients: quote them escaped and bounded.
std::string QuoteTxId(std::string_view tx_id) {
  constexpr size_t kMaxShown = 80;
  std::string shown = absl::CHexEscape(AsAbsl(tx_id.substr(0, kMaxShown)));
  if (tx_id.size() > kMaxShown) absl::StrAppend(&shown, "... (", tx_id.size(), " bytes)");
  return absl::StrCat("\"", shown, "\"");
}

absl::StatusOr<std::string> Serialize(const ::common::Block& block) {
  const size_t size = block.ByteSizeLong();
  if (size > kMaxPayloadSize) {
    return absl::InvalidArgumentError(absl::StrCat("block ", block.header().number(), " is ", size,
                                                   " bytes serialized; a block store holds at most ",
                                                   kMaxPayloadSize));
  }
  std::string bytes;
  if (!block.SerializeToString(&bytes)) {
    return absl::InvalidArgumentError(absl::StrCat("block ", block.header().number(), " cannot be serialized"));
  }
  return bytes;
}

}  // namespace

void ChainTip::Advance(const ::common::BlockHeader& header) {
  height = header.number() + 1;
  last_header = header;
  last_hash = protoutil::BlockHeaderHash(header);
}

void AddTransactionIds(const ::common::Block& block, BlockIndex::Batch& batch) {
  const uint64_t number = block.header().number();
  for (int i = 0; i < block.data().data_size(); ++i) {
    // Entries that are not envelopes with a channel header carry no ID; validators judge them, not the store.
    ::common::Envelope envelope;
    if (!envelope.ParseFromString(block.data().data(i))) continue;
    ::common::Payload payload;
    if (!payload.ParseFromString(envelope.payload()) || !payload.has_header()) continue;
    ::common::ChannelHeader channel_header;
    if (!channel_header.ParseFromString(payload.header().channel_header())) continue;
    if (channel_header.tx_id().empty()) continue;
    batch.AddTransaction(channel_header.tx_id(), number, static_cast<uint32_t>(i));
  }
}

// --- BlockStore ----------------------------------------------------------------------------------------------

absl::StatusOr<std::unique_ptr<BlockStore>> BlockStore::Open(const std::string& dir, const Options& options) {
  if (options.max_file_size == 0) return absl::InvalidArgumentError("Options::max_file_size must be positive");
  RETURN_IF_ERROR(file::CreateDirectories(dir));
  // The index first: its LevelDB lock keeps a second store (or process) off the whole folder.
  ASSIGN_OR_RETURN(std::unique_ptr<BlockIndex> index, BlockIndex::Open(dir + "/index"));
  ASSIGN_OR_RETURN(std::unique_ptr<BlockFileSet> files, BlockFileSet::Open(dir + "/blocks", options.max_file_size));
  // The folders may be new: make their entries durable before any block is acknowledged, or a power loss
  // could take the whole blocks/ folder with synced blocks in it.
  RETURN_IF_ERROR(SyncDirectory(dir));
  const std::string parent = std::filesystem::path(dir).parent_path().string();
  RETURN_IF_ERROR(SyncDirectory(parent.empty() ? "." : parent));
  auto impl = std::make_unique<Impl>(dir, options, std::move(index), std::move(files));
  const absl::Status recovered = impl->Recover();
  if (!recovered.ok()) return Annotate(recovered, absl::StrCat("opening block store ", dir));
  return std::unique_ptr<BlockStore>(new BlockStore(std::move(impl)));
}

BlockStore::BlockStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

BlockStore::~BlockStore() { impl_->Close(); }

absl::Status BlockStore::Append(const ::common::Block& block) {
  ASSIGN_OR_RETURN(const std::string bytes, Serialize(block));
  const BlockToAppend one{&block, bytes};
  return impl_->Append({&one, 1});
}

absl::Status BlockStore::AppendSerialized(std::string_view block_bytes) {
  if (block_bytes.size() > kMaxPayloadSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("block of ", block_bytes.size(), " bytes; a block store holds at most ", kMaxPayloadSize));
  }
  ASSIGN_OR_RETURN(const ::common::Block block, protoutil::Unmarshal<::common::Block>(block_bytes, "block"));
  const BlockToAppend one{&block, block_bytes};
  return impl_->Append({&one, 1});
}

absl::Status BlockStore::AppendBatch(std::span<const ::common::Block> blocks) {
  std::vector<std::string> bytes;
  bytes.reserve(blocks.size());
  std::vector<BlockToAppend> batch;
  batch.reserve(blocks.size());
  for (const ::common::Block& block : blocks) {
    ASSIGN_OR_RETURN(std::string serialized, Serialize(block));
    bytes.push_back(std::move(serialized));
    batch.push_back({&block, bytes.back()});
  }
  return impl_->Append(batch);
}

void BlockStore::Close() { impl_->Close(); }

uint64_t BlockStore::Height() const { return impl_->Height(); }

absl::StatusOr<::common::BlockHeader> BlockStore::LastBlockHeader() const {
  ChainTip tip = impl_->Tip();
  if (tip.height == 0) return absl::NotFoundError("the block store is empty");
  return std::move(tip.last_header);
}

::common::BlockchainInfo BlockStore::Info() const {
  ChainTip tip = impl_->Tip();
  ::common::BlockchainInfo info;
  info.set_height(tip.height);
  if (tip.height > 0) {
    info.set_currentblockhash(std::move(tip.last_hash));
    info.set_previousblockhash(tip.last_header.previous_hash());
  }
  return info;
}

absl::StatusOr<std::string> BlockStore::GetBlockBytes(uint64_t number) const { return impl_->ReadBlockBytes(number); }

absl::StatusOr<::common::Block> BlockStore::GetBlock(uint64_t number) const {
  ASSIGN_OR_RETURN(const std::string bytes, impl_->ReadBlockBytes(number));
  absl::StatusOr<::common::Block> block = protoutil::Unmarshal<::common::Block>(bytes, "stored block");
  if (!block.ok()) {
    // The CRC matched, so these are the bytes that were appended, and those parsed then: the file was altered.
    return absl::DataLossError(absl::StrCat("block ", number, ": ", block.status().message()));
  }
  if (block->header().number() != number) {
    return absl::DataLossError(
        absl::StrCat("block ", number, ": the stored bytes hold block ", block->header().number()));
  }
  return block;
}

absl::StatusOr<TransactionLocation> BlockStore::FindTransaction(std::string_view tx_id) const {
  return impl_->FindTransaction(tx_id);
}

bool BlockStore::WaitForHeight(uint64_t height, absl::Time deadline, const std::atomic<bool>* cancelled) const {
  return impl_->WaitForHeight(height, deadline, cancelled);
}

void BlockStore::WakeWaiters() const { impl_->WakeWaiters(); }

const RecoveryReport& BlockStore::recovery_report() const { return impl_->recovery_report(); }

// --- Impl: appending -----------------------------------------------------------------------------------------

absl::Status BlockStore::Impl::Append(std::span<const BlockToAppend> blocks) {
  absl::MutexLock write_lock(&write_mu_);
  ChainTip tip = Tip();
  {
    absl::ReaderMutexLock lock(&mu_);
    if (closed_) return absl::FailedPreconditionError(absl::StrCat("block store ", dir_, " is closed"));
  }
  if (!write_error_.ok()) {
    return absl::FailedPreconditionError(absl::StrCat("block store ", dir_, " stopped after a failed write (",
                                                      write_error_.message(), "); reopen it to recover"));
  }
  if (blocks.empty()) return absl::OkStatus();

  // Everything is checked before anything is written, so that a bad block leaves the store unchanged.
  std::vector<RecordToWrite> records;
  records.reserve(blocks.size());
  for (size_t i = 0; i < blocks.size(); ++i) {
    const absl::Status valid = CheckExtendsChain(*blocks[i].block, tip.height, tip.last_hash);
    if (!valid.ok()) {
      return blocks.size() == 1 ? valid : Annotate(valid, absl::StrCat("block ", i, " of the batch"));
    }
    tip.Advance(blocks[i].block->header());
    records.push_back({blocks[i].block->header().number(), blocks[i].bytes});
  }

  absl::StatusOr<std::vector<RecordLocation>> locations = files_->Append(records);
  if (!locations.ok()) {
    write_error_ = locations.status();
    return locations.status();
  }
  BlockIndex::Batch batch;
  for (size_t i = 0; i < blocks.size(); ++i) {
    batch.AddBlock(records[i].block_number, (*locations)[i]);
    if (options_.index_transactions) AddTransactionIds(*blocks[i].block, batch);
  }
  IndexHeights heights{tip.height, options_.index_transactions ? tip.height : index_heights_.tx_height};
  batch.SetHeights(heights);
  if (absl::Status written = index_->Write(batch); !written.ok()) {
    // The blocks are durable but not indexed: Open rebuilds the entries.
    write_error_ = written;
    return written;
  }
  index_heights_ = heights;
  Publish(tip);
  return absl::OkStatus();
}

void BlockStore::Impl::Publish(const ChainTip& tip) {
  {
    absl::MutexLock lock(&mu_);
    tip_ = tip;
  }
  height_changed_.SignalAll();
}

void BlockStore::Impl::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
  height_changed_.SignalAll();
}

// --- Impl: reading -------------------------------------------------------------------------------------------

ChainTip BlockStore::Impl::Tip() const {
  absl::ReaderMutexLock lock(&mu_);
  return tip_;
}

uint64_t BlockStore::Impl::Height() const {
  absl::ReaderMutexLock lock(&mu_);
  return tip_.height;
}

absl::StatusOr<std::string> BlockStore::Impl::ReadBlockBytes(uint64_t number) const {
  const uint64_t height = Height();
  if (number >= height) {
    return absl::NotFoundError(absl::StrCat("block ", number, " is not in the store: its height is ", height));
  }
  absl::StatusOr<RecordLocation> location = index_->GetLocation(number);
  if (!location.ok()) {
    // Below the height every block is indexed; a missing entry means the index was damaged under us.
    if (absl::IsNotFound(location.status())) return absl::DataLossError(location.status().message());
    return location.status();
  }
  return files_->ReadPayload(*location, number);
}

absl::StatusOr<TransactionLocation> BlockStore::Impl::FindTransaction(std::string_view tx_id) const {
  if (!options_.index_transactions) {
    return absl::FailedPreconditionError(absl::StrCat(
        "block store ", dir_, " was opened without the transaction index (Options::index_transactions)"));
  }
  ASSIGN_OR_RETURN(const std::optional<IndexedTransaction> found, index_->FindTransaction(tx_id));
  // An append indexes before it publishes the height: hide what readers cannot see yet.
  if (!found.has_value() || found->block_number >= Height()) {
    return absl::NotFoundError(absl::StrCat("no transaction with ID ", QuoteTxId(tx_id)));
  }
  return TransactionLocation{found->block_number, found->tx_index};
}

bool BlockStore::Impl::WaitForHeight(uint64_t height, absl::Time deadline,
                                     const std::atomic<bool>* cancelled) const {
  absl::MutexLock lock(&mu_);
  while (tip_.height < height) {
    if (closed_ || (cancelled != nullptr && cancelled->load())) return false;
    if (height_changed_.WaitWithDeadline(&mu_, deadline)) return tip_.height >= height;  // timed out
  }
  return true;
}

void BlockStore::Impl::WakeWaiters() const {
  // Taking the lock orders the caller's flag store before the waiters' re-check.
  absl::MutexLock lock(&mu_);
  height_changed_.SignalAll();
}

}  // namespace careledger::blockstore
