#include "common/blockstore/block_store.h"

#include <filesystem>
#include <string>
#include <vector>

#include "common/blockstore/record_format.h"
#include "common/blockstore/test_chain.h"
#include "common/protoutil/block_hash.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "leveldb/db.h"

namespace careledger::blockstore {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

std::unique_ptr<BlockStore> OpenOrDie(const std::string& dir, const Options& options = {}) {
  absl::StatusOr<std::unique_ptr<BlockStore>> store = BlockStore::Open(dir, options);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? std::move(*store) : nullptr;
}

std::string BlockFilePath(const careledger::testing::ScopedTempDir& temp, uint32_t file) {
  return temp.Path("ledger/blocks/" + BlockFileName(file));
}

Options WithTxIndex() {
  Options options;
  options.index_transactions = true;
  return options;
}

void ExpectStored(const BlockStore& store, const ::common::Block& block) {
  const uint64_t number = block.header().number();
  absl::StatusOr<std::string> bytes = store.GetBlockBytes(number);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*bytes, block.SerializeAsString()) << "block " << number;
  absl::StatusOr<::common::Block> read = store.GetBlock(number);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->SerializeAsString(), block.SerializeAsString()) << "block " << number;
}

class BlockStoreTest : public ::testing::Test {
 protected:
  careledger::testing::ScopedTempDir temp_;
  ChainBuilder chain_;
};

TEST_F(BlockStoreTest, NewStoreIsEmpty) {
  auto store = OpenOrDie(temp_.Path("ledger"));
  EXPECT_EQ(store->Height(), 0u);
  EXPECT_EQ(store->LastBlockHeader().status().code(), absl::StatusCode::kNotFound);
  const ::common::BlockchainInfo info = store->Info();
  EXPECT_EQ(info.height(), 0u);
  EXPECT_TRUE(info.currentblockhash().empty());
  EXPECT_EQ(store->GetBlock(0).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(fs::is_regular_file(BlockFilePath(temp_, 0)));
  EXPECT_TRUE(fs::is_directory(temp_.Path("ledger/index")));
}

TEST_F(BlockStoreTest, AppendedBlocksReadBackExactly) {
  auto store = OpenOrDie(temp_.Path("ledger"));
  const std::vector<::common::Block> blocks = chain_.NextBlocks(5);
  for (const ::common::Block& block : blocks) ASSERT_TRUE(store->Append(block).ok());
  EXPECT_EQ(store->Height(), 5u);
  for (const ::common::Block& block : blocks) ExpectStored(*store, block);
  EXPECT_EQ(store->GetBlock(5).status().code(), absl::StatusCode::kNotFound);

  absl::StatusOr<::common::BlockHeader> last = store->LastBlockHeader();
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->SerializeAsString(), blocks[4].header().SerializeAsString());
  const ::common::BlockchainInfo info = store->Info();
  EXPECT_EQ(info.height(), 5u);
  EXPECT_EQ(info.currentblockhash(), protoutil::BlockHeaderHash(blocks[4].header()));
  EXPECT_EQ(info.previousblockhash(), protoutil::BlockHeaderHash(blocks[3].header()));
}

TEST_F(BlockStoreTest, BlocksSurviveReopening) {
  const std::vector<::common::Block> blocks = chain_.NextBlocks(4);
  {
    auto store = OpenOrDie(temp_.Path("ledger"));
    ASSERT_TRUE(store->AppendBatch(blocks).ok());
  }
  auto store = OpenOrDie(temp_.Path("ledger"));
  EXPECT_EQ(store->Height(), 4u);
  for (const ::common::Block& block : blocks) ExpectStored(*store, block);
  EXPECT_EQ(store->Info().currentblockhash(), protoutil::BlockHeaderHash(blocks[3].header()));
  EXPECT_EQ(store->recovery_report().reindexed_blocks, 0u);
  EXPECT_EQ(store->recovery_report().truncated_bytes, 0u);
  ASSERT_TRUE(store->Append(chain_.Next()).ok());  // the chain goes on from the reopened tip
  EXPECT_EQ(store->Height(), 5u);
}

TEST_F(BlockStoreTest, GenesisBlockMayHaveAnyPreviousHash) {
  auto store = OpenOrDie(temp_.Path("ledger"));
  ::common::Block genesis = chain_.Next();
  genesis.mutable_header()->set_previous_hash("whatever the bootstrap chose");
  ASSERT_TRUE(store->Append(genesis).ok());
  // Block 1 must then link to the genesis block as stored.
  ::common::Block next = chain_.Next();
  next.mutable_header()->set_previous_hash(protoutil::BlockHeaderHash(genesis.header()));
  EXPECT_TRUE(store->Append(next).ok());
}

TEST_F(BlockStoreTest, RejectsBlocksThatDoNotExtendTheChainAndStaysUnchanged) {
  auto store = OpenOrDie(temp_.Path("ledger"));
  ASSERT_TRUE(store->AppendBatch(chain_.NextBlocks(2)).ok());
  const uint64_t file_size = fs::file_size(BlockFilePath(temp_, 0));
  const ::common::Block good = chain_.Next();

  ::common::Block skipped = good;
  skipped.mutable_header()->set_number(3);
  absl::Status status = store->Append(skipped);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("block number 3 is not the next block: expected block 2"));

  ::common::Block repeated = good;
  repeated.mutable_header()->set_number(1);
  EXPECT_EQ(store->Append(repeated).code(), absl::StatusCode::kFailedPrecondition);

  ::common::Block forked = good;
  forked.mutable_header()->set_previous_hash(std::string(32, 'f'));
  status = store->Append(forked);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("block 2 has previous_hash 6666"));
  EXPECT_THAT(status.message(), HasSubstr("but block 1 has header hash"));

  ::common::Block tampered = good;
  tampered.mutable_data()->set_data(0, "an envelope nobody ordered");
  status = store->Append(tampered);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("block 2 has data_hash"));

  ::common::Block headless = good;
  headless.clear_header();
  EXPECT_EQ(store->Append(headless).code(), absl::StatusCode::kInvalidArgument);

  EXPECT_EQ(store->Height(), 2u);
  EXPECT_EQ(fs::file_size(BlockFilePath(temp_, 0)), file_size);
  ASSERT_TRUE(store->Append(good).ok());
  ExpectStored(*store, good);
}

TEST_F(BlockStoreTest, AppendSerializedStoresTheCallersBytes) {
  auto store = OpenOrDie(temp_.Path("ledger"));
  const ::common::Block block = chain_.Next();
  // An unknown field (number 15, bytes) that a re-encoding from a parsed message might drop or move.
  const std::string bytes = block.SerializeAsString() + std::string("\x7a\x03xyz", 5);
  ASSERT_TRUE(store->AppendSerialized(bytes).ok());
  absl::StatusOr<std::string> stored = store->GetBlockBytes(0);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, bytes);
  EXPECT_TRUE(store->GetBlock(0).ok());
}

TEST_F(BlockStoreTest, AppendSerializedValidatesLikeAppend) {
  auto store = OpenOrDie(temp_.Path("ledger"));
  const absl::Status garbage = store->AppendSerialized("\xff\xff\xff not a block");
  EXPECT_EQ(garbage.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(garbage.message(), HasSubstr("malformed block"));
  ::common::Block block = chain_.Next();
  block.mutable_header()->set_data_hash("wrong");
  EXPECT_EQ(store->AppendSerialized(block.SerializeAsString()).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store->Height(), 0u);
}

TEST_F(BlockStoreTest, BatchIsAllOrNothing) {
  auto store = OpenOrDie(temp_.Path("ledger"));
  ASSERT_TRUE(store->AppendBatch({}).ok());
  std::vector<::common::Block> blocks = chain_.NextBlocks(4);
  blocks[2].mutable_header()->set_previous_hash("not block 1's hash");
  const absl::Status status = store->AppendBatch(blocks);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("block 2 of the batch"));
  EXPECT_EQ(store->Height(), 0u);
  EXPECT_EQ(fs::file_size(BlockFilePath(temp_, 0)), 0u);

  ChainBuilder chain;
  blocks = chain.NextBlocks(4);
  ASSERT_TRUE(store->AppendBatch(blocks).ok());
  EXPECT_EQ(store->Height(), 4u);
  for (const ::common::Block& block : blocks) ExpectStored(*store, block);
}

TEST_F(BlockStoreTest, FilesRollOverAtTheSizeLimit) {
  Options options;
  options.max_file_size = 4096;
  auto store = OpenOrDie(temp_.Path("ledger"), options);
  std::vector<::common::Block> blocks = chain_.NextBlocks(12, 3, 400);  // ~1.3 KB records: 3 per file
  blocks.push_back(chain_.Next(30, 400));                              // ~12 KB: a file of its own
  blocks.push_back(chain_.Next());
  for (const ::common::Block& block : blocks) ASSERT_TRUE(store->Append(block).ok());

  // Every file is within the limit, except the one that holds the large block alone.
  const std::string large_file = BlockFilePath(temp_, 4);
  int files = 0;
  for (uint32_t f = 0; fs::exists(BlockFilePath(temp_, f)); ++f, ++files) {
    if (BlockFilePath(temp_, f) == large_file) continue;
    EXPECT_LE(fs::file_size(BlockFilePath(temp_, f)), options.max_file_size) << f;
  }
  EXPECT_EQ(files, 6);
  EXPECT_EQ(fs::file_size(large_file), 32 + blocks[12].ByteSizeLong());
  for (const ::common::Block& block : blocks) ExpectStored(*store, block);

  store.reset();
  store = OpenOrDie(temp_.Path("ledger"), options);
  EXPECT_EQ(store->Height(), blocks.size());
  for (const ::common::Block& block : blocks) ExpectStored(*store, block);
}

TEST_F(BlockStoreTest, BatchSpanningFilesIsReadable) {
  Options options;
  options.max_file_size = 2048;
  auto store = OpenOrDie(temp_.Path("ledger"), options);
  const std::vector<::common::Block> blocks = chain_.NextBlocks(8, 2, 400);
  ASSERT_TRUE(store->AppendBatch(blocks).ok());
  EXPECT_TRUE(fs::exists(BlockFilePath(temp_, 2)));
  for (const ::common::Block& block : blocks) ExpectStored(*store, block);
}

TEST_F(BlockStoreTest, FindsTransactionsByIdFirstOccurrenceFirst) {
  auto store = OpenOrDie(temp_.Path("ledger"), WithTxIndex());
  ASSERT_TRUE(store->AppendBatch(chain_.NextBlocks(3)).ok());
  // Block 3 repeats tx-1-2 (a duplicate the peer will mark invalid) and has entries without an ID.
  ASSERT_TRUE(store->Append(chain_.NextWithData({"not an envelope \xff", EnvelopeBytes(""), EnvelopeBytes("tx-1-2"),
                                                 EnvelopeBytes("fresh")}))
                  .ok());

  absl::StatusOr<TransactionLocation> found = store->FindTransaction("tx-2-1");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(*found, (TransactionLocation{2, 1}));
  EXPECT_EQ(*store->FindTransaction("tx-1-2"), (TransactionLocation{1, 2}));
  EXPECT_EQ(*store->FindTransaction("fresh"), (TransactionLocation{3, 3}));
  EXPECT_EQ(store->FindTransaction("tx-9-9").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store->FindTransaction("").status().code(), absl::StatusCode::kNotFound);
  // IDs are length-prefixed in the index: a prefix of an ID is not that ID.
  EXPECT_EQ(store->FindTransaction("tx-2-").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store->FindTransaction("tx-2-1x").status().code(), absl::StatusCode::kNotFound);

  store.reset();
  store = OpenOrDie(temp_.Path("ledger"), WithTxIndex());
  EXPECT_EQ(*store->FindTransaction("tx-2-1"), (TransactionLocation{2, 1}));
}

TEST_F(BlockStoreTest, FindTransactionNeedsTheTransactionIndex) {
  auto store = OpenOrDie(temp_.Path("ledger"));
  ASSERT_TRUE(store->Append(chain_.Next()).ok());
  const absl::Status status = store->FindTransaction("tx-0-0").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("index_transactions"));
}

TEST_F(BlockStoreTest, TurningTheTransactionIndexOnIndexesExistingBlocks) {
  {
    auto store = OpenOrDie(temp_.Path("ledger"), WithTxIndex());
    ASSERT_TRUE(store->AppendBatch(chain_.NextBlocks(2)).ok());
  }
  {
    auto store = OpenOrDie(temp_.Path("ledger"));  // e.g. opened by a tool without the index
    ASSERT_TRUE(store->AppendBatch(chain_.NextBlocks(3)).ok());
  }
  auto store = OpenOrDie(temp_.Path("ledger"), WithTxIndex());
  EXPECT_EQ(store->recovery_report().reindexed_transaction_blocks, 3u);
  EXPECT_EQ(*store->FindTransaction("tx-1-0"), (TransactionLocation{1, 0}));
  EXPECT_EQ(*store->FindTransaction("tx-4-2"), (TransactionLocation{4, 2}));
  ASSERT_TRUE(store->Append(chain_.Next()).ok());
  EXPECT_EQ(*store->FindTransaction("tx-5-1"), (TransactionLocation{5, 1}));
}

TEST_F(BlockStoreTest, ASecondOpenOfTheSameStoreIsRefused) {
  auto store = OpenOrDie(temp_.Path("ledger"));
  const absl::Status second = BlockStore::Open(temp_.Path("ledger")).status();
  EXPECT_EQ(second.code(), absl::StatusCode::kFailedPrecondition) << second;
}

TEST_F(BlockStoreTest, CloseStopsAppendsButNotReads) {
  auto store = OpenOrDie(temp_.Path("ledger"));
  const ::common::Block block = chain_.Next();
  ASSERT_TRUE(store->Append(block).ok());
  store->Close();
  store->Close();
  const absl::Status status = store->Append(chain_.Next());
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("closed"));
  ExpectStored(*store, block);
}

TEST_F(BlockStoreTest, RejectsBadOptions) {
  Options options;
  options.max_file_size = 0;
  EXPECT_EQ(BlockStore::Open(temp_.Path("ledger"), options).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(BlockStoreTest, RefusesAnIndexOfAnotherFormatVersion) {
  { OpenOrDie(temp_.Path("ledger")); }
  {
    leveldb::DB* raw = nullptr;
    ASSERT_TRUE(leveldb::DB::Open(leveldb::Options(), temp_.Path("ledger/index"), &raw).ok());
    std::unique_ptr<leveldb::DB> db(raw);
    ASSERT_TRUE(db->Put(leveldb::WriteOptions(), "#v", std::string("\x02\x00\x00\x00", 4)).ok());
  }
  const absl::Status status = BlockStore::Open(temp_.Path("ledger")).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("block index format 2 is not supported"));
}

TEST_F(BlockStoreTest, RefusesAForeignLevelDbAsIndex) {
  fs::create_directories(temp_.Path("ledger"));
  {
    leveldb::Options options;
    options.create_if_missing = true;
    leveldb::DB* raw = nullptr;
    ASSERT_TRUE(leveldb::DB::Open(options, temp_.Path("ledger/index"), &raw).ok());
    std::unique_ptr<leveldb::DB> db(raw);
    ASSERT_TRUE(db->Put(leveldb::WriteOptions(), "some key", "some value").ok());
  }
  EXPECT_EQ(BlockStore::Open(temp_.Path("ledger")).status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace careledger::blockstore
