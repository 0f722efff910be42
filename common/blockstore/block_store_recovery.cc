// BlockStore::Open's repair of what a crash leaves behind; the rules are in block_store.h.
#include <string>

#include "absl/strings/str_cat.h"
#include "common/blockstore/block_store_impl.h"
#include "common/blockstore/chain_check.h"
#include "common/protoutil/unmarshal.h"
#include "common/status_macros.h"

namespace careledger::blockstore {
namespace {

// A rebuild writes its index entries in batches of about this size, so memory stays bounded and progress is
// kept if it is interrupted.
constexpr size_t kMaxRebuildBatchBytes = 4 << 20;

// Parses a record's payload that passed its CRC: a failure means the bytes were written that way on purpose.
absl::StatusOr<::common::Block> ParseStoredBlock(std::string_view payload, std::string_view where) {
  absl::StatusOr<::common::Block> block = protoutil::Unmarshal<::common::Block>(payload, "stored block");
  if (!block.ok()) return absl::DataLossError(absl::StrCat(AsAbsl(where), ": ", block.status().message()));
  return block;
}

}  // namespace

absl::Status BlockStore::Impl::Recover() {
  absl::MutexLock write_lock(&write_mu_);
  ASSIGN_OR_RETURN(IndexHeights heights, index_->ReadHeights());
  ChainTip tip;
  uint32_t scan_file = 0;
  uint64_t scan_offset = 0;
  if (heights.height > 0) {
    RecordLocation last;
    ASSIGN_OR_RETURN(tip, VerifyLastIndexedBlock(heights, last));
    scan_file = last.file_number;
    scan_offset = last.end();
  }
  if (options_.index_transactions && heights.tx_height < heights.height) {
    RETURN_IF_ERROR(CatchUpTransactionIndex(heights));
  }
  RETURN_IF_ERROR(IndexUnindexedRecords(scan_file, scan_offset, tip, heights));
  index_heights_ = heights;
  Publish(tip);
  return absl::OkStatus();
}

// The index may lag the files but never lead them: its last block must be on disk, intact, where it says.
absl::StatusOr<ChainTip> BlockStore::Impl::VerifyLastIndexedBlock(const IndexHeights& heights,
                                                                  RecordLocation& last_location) {
  const uint64_t last = heights.height - 1;
  const std::string ahead = absl::StrCat("the index (height ", heights.height, ") is ahead of the block files");
  absl::StatusOr<RecordLocation> location = index_->GetLocation(last);
  if (absl::IsNotFound(location.status())) {
    return absl::DataLossError(absl::StrCat("the index claims height ", heights.height, " but has no entry for block ",
                                            last));
  }
  RETURN_IF_ERROR(location.status());
  if (location->file_number > files_->last_file()) {
    return absl::DataLossError(absl::StrCat(ahead, ": block ", last, " is indexed in ",
                                            files_->PathOf(location->file_number), ", which does not exist"));
  }
  absl::StatusOr<std::string> payload = files_->ReadPayload(*location, last);
  if (absl::IsDataLoss(payload.status())) {
    return absl::DataLossError(absl::StrCat(ahead, " or they were altered: ", payload.status().message()));
  }
  RETURN_IF_ERROR(payload.status());
  ASSIGN_OR_RETURN(const ::common::Block block,
                   ParseStoredBlock(*payload, absl::StrCat(files_->PathOf(location->file_number), " offset ",
                                                           location->offset)));
  if (block.header().number() != last) {
    return absl::DataLossError(absl::StrCat(files_->PathOf(location->file_number), " offset ", location->offset,
                                            ": the record of block ", last, " holds block ", block.header().number()));
  }
  ChainTip tip;
  tip.Advance(block.header());
  last_location = *location;
  return tip;
}

// Indexes the transaction IDs of blocks [tx_height, height), which an Open without index_transactions left out.
absl::Status BlockStore::Impl::CatchUpTransactionIndex(IndexHeights& heights) {
  const uint64_t first = heights.tx_height;
  BlockIndex::Batch batch;
  for (uint64_t number = first; number < heights.height; ++number) {
    absl::StatusOr<RecordLocation> location = index_->GetLocation(number);
    if (absl::IsNotFound(location.status())) return absl::DataLossError(location.status().message());
    RETURN_IF_ERROR(location.status());
    ASSIGN_OR_RETURN(const std::string payload, files_->ReadPayload(*location, number));
    ASSIGN_OR_RETURN(const ::common::Block block,
                     ParseStoredBlock(payload, absl::StrCat(files_->PathOf(location->file_number), " offset ",
                                                            location->offset)));
    AddTransactionIds(block, batch);
    if (batch.ApproximateSize() >= kMaxRebuildBatchBytes || number + 1 == heights.height) {
      IndexHeights progress{heights.height, number + 1};
      batch.SetHeights(progress);
      RETURN_IF_ERROR(index_->Write(batch));
      batch.Clear();
      heights = progress;
    }
  }
  recovery_.reindexed_transaction_blocks = heights.height - first;
  return absl::OkStatus();
}

// Scans the records after the last indexed one, indexing each that extends the chain and cutting a torn tail.
absl::Status BlockStore::Impl::IndexUnindexedRecords(uint32_t file_number, uint64_t offset, ChainTip& tip,
                                                     IndexHeights& heights) {
  BlockIndex::Batch batch;
  uint64_t batched = 0;
  auto flush = [&]() -> absl::Status {
    if (batched == 0) return absl::OkStatus();
    IndexHeights progress{tip.height, options_.index_transactions ? tip.height : heights.tx_height};
    batch.SetHeights(progress);
    RETURN_IF_ERROR(index_->Write(batch));
    batch.Clear();
    recovery_.reindexed_blocks += batched;
    batched = 0;
    heights = progress;
    return absl::OkStatus();
  };

  for (uint32_t file = file_number; file <= files_->last_file(); ++file) {
    ASSIGN_OR_RETURN(const uint64_t size, files_->FileSize(file));
    uint64_t pos = file == file_number ? offset : 0;
    while (pos < size) {
      absl::StatusOr<Record> record = files_->ReadRecordAt(file, pos, size);
      if (!record.ok()) {
        if (file != files_->last_file() || !absl::IsDataLoss(record.status())) return record.status();
        RETURN_IF_ERROR(flush());
        return CutTornTail(file, pos, size, record.status(), tip.height);
      }
      const std::string where = absl::StrCat(files_->PathOf(file), " offset ", pos);
      if (record->header.block_number != tip.height) {
        return absl::DataLossError(absl::StrCat(where, ": holds block ", record->header.block_number,
                                                " where block ", tip.height, " should follow"));
      }
      ASSIGN_OR_RETURN(const ::common::Block block, ParseStoredBlock(record->payload, where));
      if (absl::Status chained = CheckExtendsChain(block, tip.height, tip.last_hash); !chained.ok()) {
        return absl::DataLossError(absl::StrCat(where, ": ", chained.message()));
      }
      const RecordLocation location{file, pos, record->header.payload_length};
      batch.AddBlock(tip.height, location);
      if (options_.index_transactions) AddTransactionIds(block, batch);
      tip.Advance(block.header());
      ++batched;
      pos = location.end();
      if (batch.ApproximateSize() >= kMaxRebuildBatchBytes) RETURN_IF_ERROR(flush());
    }
  }
  return flush();
}

// A bad record at `offset` of the last file, where block `expected_block` should be. It is a torn tail, cut
// off, unless an intact record of a later write follows: a write starts only after the previous one was
// synced, so then this record was durable and is damaged.
absl::Status BlockStore::Impl::CutTornTail(uint32_t file_number, uint64_t offset, uint64_t file_size,
                                           const absl::Status& damage, uint64_t expected_block) {
  ASSIGN_OR_RETURN(const std::vector<BlockFileSet::FoundRecord> survivors,
                   files_->IntactRecordsAfter(file_number, offset + 1, file_size));
  for (const BlockFileSet::FoundRecord& survivor : survivors) {
    const uint64_t write_start = survivor.header.block_number - survivor.header.position_in_write;
    if (write_start > expected_block) {
      return absl::DataLossError(absl::StrCat(
          damage.message(), "; not a torn tail: the intact record of block ", survivor.header.block_number,
          " at offset ", survivor.offset, " was written after block ", expected_block, " was synced"));
    }
  }
  RETURN_IF_ERROR(files_->TruncateLastFile(offset));
  recovery_.truncated_file = files_->PathOf(file_number);
  recovery_.truncated_at = offset;
  recovery_.truncated_bytes = file_size - offset;
  return absl::OkStatus();
}

}  // namespace careledger::blockstore
