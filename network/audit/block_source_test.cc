#include "network/audit/block_source.h"

#include <filesystem>
#include <fstream>
#include <string>

#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "network/audit/testing/committed_chain.h"

namespace careledger::audit {
namespace {

using ::testing::HasSubstr;

class BlockFilesSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    chain_ = testing::CommitChain(dir_.Path("ledger"), {{testing::LifecycleWrite(1, "a", "1")},
                                                        {testing::LifecycleWrite(2, "b", "2")}});
    ASSERT_EQ(chain_.blocks.size(), 3u);
    file_ = chain_.ledger_dir + "/blocks/blocks/blockfile_000000";
  }

  careledger::testing::ScopedTempDir dir_;
  testing::CommittedChain chain_;
  std::string file_;
};

TEST_F(BlockFilesSourceTest, ReadsEveryLayoutOfTheSameFilesInOrder) {
  for (const std::string& dir :
       {chain_.ledger_dir, chain_.ledger_dir + "/blocks", chain_.ledger_dir + "/blocks/blocks"}) {
    absl::StatusOr<std::unique_ptr<BlockFilesSource>> source = BlockFilesSource::Open(dir);
    ASSERT_TRUE(source.ok()) << dir << ": " << source.status();
    EXPECT_EQ((*source)->ExpectedHeight(), 3u);
    EXPECT_THAT((*source)->Describe(), HasSubstr("blocks/blocks"));
    for (const ::common::Block& expected : chain_.blocks) {
      absl::StatusOr<std::optional<::common::Block>> block = (*source)->Next();
      ASSERT_TRUE(block.ok()) << block.status();
      ASSERT_TRUE(block->has_value());
      EXPECT_EQ((*block)->SerializeAsString(), expected.SerializeAsString());
    }
    absl::StatusOr<std::optional<::common::Block>> end = (*source)->Next();
    ASSERT_TRUE(end.ok());
    EXPECT_FALSE(end->has_value());
  }
}

TEST_F(BlockFilesSourceTest, NoBlockFilesIsNotFound) {
  EXPECT_EQ(BlockFilesSource::Open(dir_.path()).status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(dir_.Path("blocks")));  // nothing created
}

TEST_F(BlockFilesSourceTest, AnIncompleteLastRecordEndsTheChain) {
  const uintmax_t size = std::filesystem::file_size(file_);
  std::filesystem::resize_file(file_, size - 10);
  absl::StatusOr<std::unique_ptr<BlockFilesSource>> source = BlockFilesSource::Open(chain_.ledger_dir);
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_EQ((*source)->ExpectedHeight(), 2u);
  EXPECT_GT((*source)->torn_tail_bytes(), 0u);
  int blocks = 0;
  while (true) {
    absl::StatusOr<std::optional<::common::Block>> block = (*source)->Next();
    ASSERT_TRUE(block.ok()) << block.status();
    if (!block->has_value()) break;
    ++blocks;
  }
  EXPECT_EQ(blocks, 2);
}

TEST_F(BlockFilesSourceTest, ADamagedRecordHeaderIsDataLossAtItsBlock) {
  {
    std::fstream stream(file_, std::ios::in | std::ios::out | std::ios::binary);
    stream.seekp(0);
    stream.write("XXXX", 4);  // block 0's record magic
  }
  absl::StatusOr<std::unique_ptr<BlockFilesSource>> source = BlockFilesSource::Open(chain_.ledger_dir);
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_EQ((*source)->ExpectedHeight(), 0u);
  absl::StatusOr<std::optional<::common::Block>> block = (*source)->Next();
  EXPECT_EQ(block.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(block.status().message(), HasSubstr("offset 0: the record of block 0 is damaged"));
}

}  // namespace
}  // namespace careledger::audit
