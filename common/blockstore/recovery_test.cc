// Crash recovery, proved the way LevelDB's fault_injection_test does it: build on disk every state a crash can
// leave at each step of an append, and check that Open repairs it -- or refuses, with DataLoss, states that no
// crash can produce.
//
// The steps of an append and the state a crash after each leaves (block files / index):
//   1. nothing written yet                  old files / old index
//   2. record partly written                old files + any prefix of the record / old index
//   3. written, fdatasync not finished      old files + the record with any pages missing / old index
//   4. synced, index not yet written        old files + the record / old index
//   5. index written (not synced)           the same as 4 after a power loss, or the new index
// plus the steps of starting a new file (created empty, then written) and of a batch (several records, one
// fdatasync, pages persisted in any order). The states are made by copying the folders of a store closed
// before and after the append, and cutting, zeroing or corrupting bytes by hand.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/blockstore/block_store.h"
#include "common/blockstore/crc32c.h"
#include "common/blockstore/record_format.h"
#include "common/blockstore/test_chain.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::blockstore {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteBytes(const std::string& path, std::string_view bytes, std::ios::openmode mode = std::ios::trunc) {
  std::ofstream out(path, std::ios::binary | mode);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void AppendBytes(const std::string& path, std::string_view bytes) { WriteBytes(path, bytes, std::ios::app); }

void ChangeByte(const std::string& path, uint64_t offset) {
  std::string bytes = ReadBytes(path);
  ASSERT_LT(offset, bytes.size());
  bytes[offset] = static_cast<char>(bytes[offset] ^ 0x5A);
  WriteBytes(path, bytes);
}

// A record as BlockFileSet writes it, for states a crash cannot make (tampering) or to write one by hand.
std::string RawRecord(uint64_t number, uint32_t position_in_write, std::string_view payload) {
  const EncodedRecordHeader header = EncodeRecordHeader(number, position_in_write, payload);
  return std::string(header.data(), header.size()) + std::string(payload);
}

uint64_t RecordSize(const ::common::Block& block) { return kRecordHeaderSize + block.ByteSizeLong(); }

class RecoveryTest : public ::testing::Test {
 protected:
  RecoveryTest() { options_.index_transactions = true; }

  std::string dir() const { return temp_.Path("ledger"); }
  std::string IndexDir() const { return dir() + "/index"; }
  std::string BlockFile(uint32_t file) const { return dir() + "/blocks/" + BlockFileName(file); }

  std::unique_ptr<BlockStore> Open() {
    absl::StatusOr<std::unique_ptr<BlockStore>> store = BlockStore::Open(dir(), options_);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(*store) : nullptr;
  }
  absl::Status OpenStatus() { return BlockStore::Open(dir(), options_).status(); }

  // Appends with a store that is closed again at once: everything on disk, as after a clean stop.
  void AppendAll(const std::vector<::common::Block>& blocks, bool as_one_batch = false) {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    if (as_one_batch) {
      ASSERT_TRUE(store->AppendBatch(blocks).ok());
    } else {
      for (const ::common::Block& block : blocks) ASSERT_TRUE(store->Append(block).ok());
    }
  }

  void Snapshot(const std::string& name) {
    fs::remove_all(temp_.Path(name));
    fs::copy(dir(), temp_.Path(name), fs::copy_options::recursive);
  }
  void Restore(const std::string& name) {
    fs::remove_all(dir());
    fs::copy(temp_.Path(name), dir(), fs::copy_options::recursive);
  }
  // The index of snapshot `name` with the current block files: a crash before the index write.
  void RestoreIndex(const std::string& name) {
    fs::remove_all(IndexDir());
    fs::copy(temp_.Path(name + "/index"), IndexDir(), fs::copy_options::recursive);
  }

  void ExpectChain(const BlockStore& store, const std::vector<::common::Block>& blocks) {
    ASSERT_EQ(store.Height(), blocks.size());
    for (const ::common::Block& block : blocks) {
      absl::StatusOr<std::string> bytes = store.GetBlockBytes(block.header().number());
      ASSERT_TRUE(bytes.ok()) << bytes.status();
      EXPECT_EQ(*bytes, block.SerializeAsString());
      for (int i = 0; i < block.data().data_size(); ++i) {
        absl::StatusOr<TransactionLocation> tx = store.FindTransaction(TxIdOf(block.header().number(), i));
        ASSERT_TRUE(tx.ok()) << tx.status();
        EXPECT_EQ(*tx, (TransactionLocation{block.header().number(), static_cast<uint32_t>(i)}));
      }
    }
  }

  careledger::testing::ScopedTempDir temp_;
  Options options_;
  ChainBuilder chain_;
};

// --- Crashes: Open repairs ---------------------------------------------------------------------------------

enum class IndexState { kBeforeTheAppend, kLost };

class TornLastRecordTest : public RecoveryTest, public ::testing::WithParamInterface<IndexState> {};

// Steps 1, 2 and 4, at every byte: each prefix of the last record is cut off, the store works on, and the
// block can be appended again; the whole record is kept and indexed.
TEST_P(TornLastRecordTest, EveryPrefixOfTheLastRecordIsCutOff) {
  std::vector<::common::Block> blocks = chain_.NextBlocks(3);
  AppendAll(blocks);
  Snapshot("before");
  const ::common::Block last = chain_.Next(1, 100);
  AppendAll({last});
  const uint64_t before_size = fs::file_size(temp_.Path("before/blocks/blockfile_000000"));
  const std::string record = ReadBytes(BlockFile(0)).substr(before_size);
  ASSERT_EQ(record.size(), RecordSize(last));

  for (size_t cut = 0; cut < record.size(); ++cut) {
    SCOPED_TRACE(absl::StrCat("record cut after ", cut, " of ", record.size(), " bytes"));
    Restore("before");
    if (GetParam() == IndexState::kLost) fs::remove_all(IndexDir());
    AppendBytes(BlockFile(0), record.substr(0, cut));
    auto store = Open();
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->Height(), 3u);
    EXPECT_EQ(store->recovery_report().truncated_bytes, cut);
    if (cut > 0) {
      EXPECT_EQ(store->recovery_report().truncated_file, BlockFile(0));
      EXPECT_EQ(store->recovery_report().truncated_at, before_size);
    }
    EXPECT_EQ(fs::file_size(BlockFile(0)), before_size);
    // Appending again costs an fsync: check it at the header's edges and at a sample of payload cuts.
    if (cut <= kRecordHeaderSize + 1 || cut % 29 == 0 || cut + 1 == record.size()) {
      ASSERT_TRUE(store->Append(last).ok());
      EXPECT_EQ(store->Height(), 4u);
    }
  }

  Restore("before");
  if (GetParam() == IndexState::kLost) fs::remove_all(IndexDir());
  AppendBytes(BlockFile(0), record);
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->recovery_report().truncated_bytes, 0u);
  EXPECT_EQ(store->recovery_report().reindexed_blocks, GetParam() == IndexState::kLost ? 4u : 1u);
  blocks.push_back(last);
  ExpectChain(*store, blocks);
}

INSTANTIATE_TEST_SUITE_P(IndexStates, TornLastRecordTest,
                         ::testing::Values(IndexState::kBeforeTheAppend, IndexState::kLost),
                         [](const ::testing::TestParamInfo<IndexState>& info) {
                           return info.param == IndexState::kLost ? "IndexLost" : "IndexBeforeTheAppend";
                         });

// Step 3: the fdatasync did not finish and some pages of the record never reached the disk.
TEST_F(RecoveryTest, RecordWithUnwrittenPagesIsCutOff) {
  const std::vector<::common::Block> blocks = chain_.NextBlocks(2);
  AppendAll(blocks);
  Snapshot("before");
  AppendAll({chain_.Next(8, 1000)});
  RestoreIndex("before");
  const uint64_t before_size = fs::file_size(temp_.Path("before/blocks/blockfile_000000"));
  std::string bytes = ReadBytes(BlockFile(0));
  std::fill(bytes.begin() + static_cast<long>(before_size) + 4096, bytes.begin() + static_cast<long>(before_size) + 8192,
            '\0');
  WriteBytes(BlockFile(0), bytes);

  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->recovery_report().truncated_at, before_size);
  ExpectChain(*store, blocks);
}

// Steps 4 and 5 over many blocks: an index that lags (or is gone) is rebuilt from the files.
TEST_F(RecoveryTest, LaggingIndexIsRebuiltAcrossFiles) {
  options_.max_file_size = 4096;
  std::vector<::common::Block> blocks = chain_.NextBlocks(3);
  AppendAll(blocks);
  Snapshot("before");
  const std::vector<::common::Block> more = chain_.NextBlocks(20, 3, 300);
  AppendAll(more, /*as_one_batch=*/true);
  blocks.insert(blocks.end(), more.begin(), more.end());
  ASSERT_TRUE(fs::exists(BlockFile(3)));

  RestoreIndex("before");
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->recovery_report().reindexed_blocks, 20u);
    ExpectChain(*store, blocks);
  }
  fs::remove_all(IndexDir());
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->recovery_report().reindexed_blocks, blocks.size());
    ExpectChain(*store, blocks);
  }
  auto store = Open();  // repaired: nothing left to do
  EXPECT_EQ(store->recovery_report().reindexed_blocks, 0u);
  EXPECT_EQ(store->recovery_report().truncated_bytes, 0u);
}

// A batch's pages may reach the disk in any order: a bad record followed by an intact one of the same write is
// still a torn tail. The intact prefix of the batch is kept.
TEST_F(RecoveryTest, BatchPersistedOutOfOrderIsCutAtTheFirstBadRecord) {
  std::vector<::common::Block> blocks = chain_.NextBlocks(2);
  AppendAll(blocks);
  Snapshot("before");
  const std::vector<::common::Block> batch = chain_.NextBlocks(3);
  AppendAll(batch, /*as_one_batch=*/true);
  RestoreIndex("before");
  const uint64_t second = fs::file_size(temp_.Path("before/blocks/blockfile_000000")) + RecordSize(batch[0]);
  ChangeByte(BlockFile(0), second + kRecordHeaderSize + 10);

  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->recovery_report().truncated_at, second);
  blocks.push_back(batch[0]);
  ExpectChain(*store, blocks);
  ASSERT_TRUE(store->AppendBatch(std::span<const ::common::Block>(batch).subspan(1)).ok());
  EXPECT_EQ(store->Height(), 5u);
}

// Starting a new file: created but empty, partly written, or written but not indexed.
TEST_F(RecoveryTest, CrashWhileStartingANewFile) {
  options_.max_file_size = 2048;
  std::vector<::common::Block> blocks = chain_.NextBlocks(2, 2, 400);
  AppendAll(blocks);
  ASSERT_FALSE(fs::exists(BlockFile(1)));
  Snapshot("before");
  const ::common::Block next = chain_.Next(2, 400);
  AppendAll({next});
  ASSERT_TRUE(fs::exists(BlockFile(1)));
  const std::string record = ReadBytes(BlockFile(1));

  for (size_t cut : {size_t{0}, size_t{1}, kRecordHeaderSize, record.size() - 1}) {
    SCOPED_TRACE(cut);
    Restore("before");
    WriteBytes(BlockFile(1), record.substr(0, cut));
    auto store = Open();
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->recovery_report().truncated_bytes, cut);
    ExpectChain(*store, blocks);
    ASSERT_TRUE(store->Append(next).ok());
    EXPECT_EQ(fs::file_size(BlockFile(1)), record.size());  // appended to the new, empty file
    EXPECT_FALSE(fs::exists(BlockFile(2)));
  }

  Restore("before");
  WriteBytes(BlockFile(1), record);
  auto store = Open();
  ASSERT_NE(store, nullptr);
  blocks.push_back(next);
  ExpectChain(*store, blocks);
}

TEST_F(RecoveryTest, GarbageAfterTheLastRecordIsCutOff) {
  const std::vector<::common::Block> blocks = chain_.NextBlocks(3);
  AppendAll(blocks);
  const uint64_t size = fs::file_size(BlockFile(0));
  // Garbage that even holds record magics, and a header whose length runs past the end of the file.
  const std::string garbage = std::string(500, '\xab') + "CLBKCLBK" + std::string(300, '\0') + "CLBK";
  const std::string partial = RawRecord(3, 0, std::string(1000, 'p')).substr(0, kRecordHeaderSize + 10);
  for (const std::string& tail : {garbage, partial}) {
    AppendBytes(BlockFile(0), tail);
    auto store = Open();
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->recovery_report().truncated_bytes, tail.size());
    EXPECT_EQ(fs::file_size(BlockFile(0)), size);
    ExpectChain(*store, blocks);
  }
}

// --- Damage no crash explains: Open or the read refuses ---------------------------------------------------

TEST_F(RecoveryTest, DamagedRecordFollowedByALaterWriteIsDataLossNamingFileAndOffset) {
  const std::vector<::common::Block> blocks = chain_.NextBlocks(5);
  AppendAll(blocks);  // five writes, each synced before the next began
  const uint64_t offset = RecordSize(blocks[0]) + RecordSize(blocks[1]);
  ChangeByte(BlockFile(0), offset + kRecordHeaderSize + 20);

  {  // With the index, Open does not re-read indexed blocks; reading the damaged one fails.
    auto store = Open();
    ASSERT_NE(store, nullptr);
    const absl::Status status = store->GetBlock(2).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(status.message(), HasSubstr(absl::StrCat(BlockFile(0), " offset ", offset)));
    EXPECT_THAT(status.message(), HasSubstr("payload checksum mismatch"));
    EXPECT_TRUE(store->GetBlock(3).ok());
  }
  fs::remove_all(IndexDir());  // a rebuild scans it
  const absl::Status status = OpenStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), HasSubstr(absl::StrCat(BlockFile(0), " offset ", offset)));
  EXPECT_THAT(status.message(), HasSubstr("not a torn tail"));
  EXPECT_EQ(fs::file_size(BlockFile(0)), offset + RecordSize(blocks[2]) + RecordSize(blocks[3]) +
                                             RecordSize(blocks[4]));  // nothing was cut
}

TEST_F(RecoveryTest, DamageInAnEarlierFileIsDataLoss) {
  options_.max_file_size = 2048;
  const std::vector<::common::Block> blocks = chain_.NextBlocks(4, 2, 400);
  AppendAll(blocks);
  ASSERT_TRUE(fs::exists(BlockFile(1)));
  fs::remove_all(IndexDir());
  Snapshot("intact");

  const uint64_t last_offset = RecordSize(blocks[0]);
  ASSERT_EQ(fs::file_size(BlockFile(0)), last_offset + RecordSize(blocks[1]));
  ChangeByte(BlockFile(0), last_offset + kRecordHeaderSize + 5);
  absl::Status status = OpenStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), HasSubstr(absl::StrCat(BlockFile(0), " offset ", last_offset)));

  Restore("intact");
  fs::resize_file(BlockFile(0), fs::file_size(BlockFile(0)) - 3);  // an earlier file can never be torn
  status = OpenStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), HasSubstr(BlockFile(0)));
}

TEST_F(RecoveryTest, IndexAheadOfTheFilesIsDataLoss) {
  options_.max_file_size = 2048;
  const std::vector<::common::Block> blocks = chain_.NextBlocks(4, 2, 400);
  AppendAll(blocks);
  Snapshot("intact");

  fs::resize_file(BlockFile(1), fs::file_size(BlockFile(1)) - RecordSize(blocks[3]));
  absl::Status status = OpenStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), HasSubstr("the index (height 4) is ahead of the block files"));

  Restore("intact");
  fs::remove(BlockFile(1));
  status = OpenStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), HasSubstr("does not exist"));

  Restore("intact");
  ChangeByte(BlockFile(1), fs::file_size(BlockFile(1)) - 1);  // the last indexed block altered
  EXPECT_EQ(OpenStatus().code(), absl::StatusCode::kDataLoss);
}

TEST_F(RecoveryTest, MissingBlockFileIsDataLoss) {
  options_.max_file_size = 2048;
  AppendAll(chain_.NextBlocks(6, 2, 400));
  ASSERT_TRUE(fs::exists(BlockFile(2)));
  fs::remove(BlockFile(1));
  const absl::Status status = OpenStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), HasSubstr("blockfile_000001 is missing"));
}

TEST_F(RecoveryTest, IntactRecordsThatBreakTheChainAreDataLoss) {
  const std::vector<::common::Block> blocks = chain_.NextBlocks(2);
  AppendAll(blocks);
  Snapshot("intact");
  ChainBuilder other;  // a chain whose block 2 does not follow ours
  other.NextBlocks(2, 1);
  const ::common::Block foreign = other.Next();
  ::common::Block skipping = chain_.Next();
  skipping.mutable_header()->set_number(3);

  const struct {
    std::string record;
    std::string message;
  } cases[] = {
      {RawRecord(2, 0, foreign.SerializeAsString()), "has previous_hash"},
      {RawRecord(3, 0, skipping.SerializeAsString()), "holds block 3 where block 2 should follow"},
      {RawRecord(2, 0, skipping.SerializeAsString()), "is not the next block"},
      {RawRecord(2, 0, "\xff\xff\xff\xff"), "malformed stored block"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.message);
    Restore("intact");
    AppendBytes(BlockFile(0), c.record);
    const absl::Status status = OpenStatus();
    EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
    EXPECT_THAT(status.message(), HasSubstr(c.message));
    EXPECT_THAT(status.message(), HasSubstr(absl::StrCat(BlockFile(0), " offset ", RecordSize(blocks[0]) +
                                                                                       RecordSize(blocks[1]))));
  }
}

TEST_F(RecoveryTest, RecordOfAnUnknownFormatVersionIsRefused) {
  AppendAll(chain_.NextBlocks(1));
  std::string record = RawRecord(1, 0, chain_.Next().SerializeAsString());
  record[4] = 2;  // version 2 with a valid header CRC: an intact record from newer software
  const uint32_t crc = Crc32c(std::string_view(record).substr(0, 28));
  for (int i = 0; i < 4; ++i) record[28 + i] = static_cast<char>((crc >> (8 * i)) & 0xFF);
  AppendBytes(BlockFile(0), record);
  const absl::Status status = OpenStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("record format version 2 is not supported"));
}

TEST_F(RecoveryTest, StoredBytesThatNoLongerParseAreDataLossNotACrash) {
  const std::vector<::common::Block> blocks = chain_.NextBlocks(3);
  AppendAll(blocks);
  // Replace block 1's record with one of the same size whose CRC matches but whose bytes are no block.
  const uint64_t offset = RecordSize(blocks[0]);
  std::string bytes = ReadBytes(BlockFile(0));
  const std::string junk(blocks[1].ByteSizeLong(), '\xff');
  bytes.replace(offset, RecordSize(blocks[1]), RawRecord(1, 0, junk));
  WriteBytes(BlockFile(0), bytes);

  auto store = Open();
  ASSERT_NE(store, nullptr);
  const absl::Status status = store->GetBlock(1).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), HasSubstr("block 1"));
  EXPECT_TRUE(store->GetBlock(2).ok());
}

}  // namespace
}  // namespace careledger::blockstore
