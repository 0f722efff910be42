#include "network/audit/chain_verifier.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "common/encoding/hex.h"
#include "common/protoutil/block_hash.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "network/audit/block_source.h"
#include "network/audit/testing/committed_chain.h"
#include "peer/ledger/block_metadata.h"
#include "peer/transaction.pb.h"

namespace careledger::audit {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Block 1: two valid writes and one endorsed by a single organisation (ENDORSEMENT_POLICY_FAILURE);
// blocks 2 to 4: one valid write each.
class ChainVerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    chain_ = testing::CommitChain(dir_.Path("peer-ledger"),
                                  {{testing::LifecycleWrite(1, "a", "1"), testing::LifecycleWrite(2, "b", "2", false),
                                    testing::LifecycleWrite(3, "c", "3")},
                                   {testing::LifecycleWrite(4, "a", "4")},
                                   {testing::LifecycleWrite(5, "d", "5")},
                                   {testing::LifecycleWrite(6, "e", "6")}});
    ASSERT_EQ(chain_.blocks.size(), 5u);
  }

  VerifyResult Verify(std::vector<::common::Block> blocks) {
    InMemoryBlockSource source(std::move(blocks));
    absl::StatusOr<VerifyResult> result = VerifyChain(source);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *std::move(result) : VerifyResult();
  }

  std::string Finding(std::vector<::common::Block> blocks) {
    VerifyResult result = Verify(std::move(blocks));
    EXPECT_FALSE(result.intact());
    return result.inconsistency ? result.inconsistency->message : "intact";
  }

  careledger::testing::ScopedTempDir dir_;
  testing::CommittedChain chain_;
};

TEST_F(ChainVerifierTest, ReportsAnUntouchedChainIntact) {
  std::vector<uint64_t> progress;
  InMemoryBlockSource source(chain_.blocks);
  VerifyOptions options;
  options.on_block = [&progress](uint64_t done) { progress.push_back(done); };
  absl::StatusOr<VerifyResult> result = VerifyChain(source, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->intact()) << result->inconsistency->message;
  EXPECT_EQ(result->channel_id, "healthchannel");
  EXPECT_TRUE(result->peer_chain);
  EXPECT_EQ(result->blocks_checked, 5u);
  EXPECT_EQ(result->transactions, 7u);        // the genesis config transaction and six writes
  EXPECT_EQ(result->valid_transactions, 6u);  // all but the one endorsed by a single organisation
  EXPECT_EQ(result->config_blocks, 1u);
  EXPECT_EQ(result->genesis_hash, protoutil::BlockHeaderHash(chain_.blocks[0].header()));
  EXPECT_EQ(result->last_block_hash, protoutil::BlockHeaderHash(chain_.blocks[4].header()));
  EXPECT_EQ(result->last_commit_hash, *ledger::StoredCommitHash(chain_.blocks[4]));
  EXPECT_EQ(progress, (std::vector<uint64_t>{1, 2, 3, 4, 5}));
}

TEST_F(ChainVerifierTest, ReadsAPeersLedgerFolderWithoutChangingIt) {
  std::vector<std::string> files_before;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(chain_.ledger_dir)) {
    files_before.push_back(entry.path().string() + ":" +
                           (entry.is_regular_file() ? std::to_string(entry.file_size()) : "dir"));
  }
  absl::StatusOr<std::unique_ptr<BlockFilesSource>> source = BlockFilesSource::Open(chain_.ledger_dir);
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_EQ((*source)->ExpectedHeight(), 5u);
  absl::StatusOr<VerifyResult> result = VerifyChain(**source);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->intact()) << result->inconsistency->message;
  EXPECT_EQ(result->blocks_checked, 5u);
  std::vector<std::string> files_after;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(chain_.ledger_dir)) {
    files_after.push_back(entry.path().string() + ":" +
                          (entry.is_regular_file() ? std::to_string(entry.file_size()) : "dir"));
  }
  EXPECT_EQ(files_after, files_before);
}

TEST_F(ChainVerifierTest, TheGenesisBlockIsCheckedAgainstThePublishedHash) {
  VerifyOptions options;
  options.expected_genesis_hash = protoutil::BlockHeaderHash(chain_.blocks[0].header());
  InMemoryBlockSource source(chain_.blocks);
  absl::StatusOr<VerifyResult> result = VerifyChain(source, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->intact());

  options.expected_genesis_hash = std::string(32, '\x09');
  InMemoryBlockSource again(chain_.blocks);
  result = VerifyChain(again, options);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_FALSE(result->intact());
  EXPECT_THAT(result->inconsistency->message,
              StartsWith("block 0: header hash " + HexEncode(protoutil::BlockHeaderHash(chain_.blocks[0].header())) +
                         " is not the expected genesis block hash 0909"));
}

TEST_F(ChainVerifierTest, ChangedTransactionByteIsReportedAtItsBlock) {
  std::vector<::common::Block> blocks = chain_.blocks;
  std::string* entry = blocks[2].mutable_data()->mutable_data(0);
  (*entry)[entry->size() / 2] ^= 0x01;
  EXPECT_THAT(Finding(blocks),
              AllOf(StartsWith("block 2: data hash "), HasSubstr("is not the hash of the block's data")));
}

TEST_F(ChainVerifierTest, SwappedBlocksAreReportedAtTheFirstPlaceOutOfOrder) {
  std::vector<::common::Block> blocks = chain_.blocks;
  std::swap(blocks[2], blocks[3]);
  EXPECT_THAT(Finding(blocks), StartsWith("block 2: the chain's block 2 is numbered 3"));
}

TEST_F(ChainVerifierTest, BrokenPreviousHashNamesBothHashes) {
  std::vector<::common::Block> blocks = chain_.blocks;
  blocks[3].mutable_header()->set_previous_hash(std::string(32, '\x3f'));
  const std::string expected = HexEncode(protoutil::BlockHeaderHash(blocks[2].header()));
  EXPECT_EQ(Finding(blocks), "block 3: previous hash " + HexEncode(std::string(32, '\x3f')) +
                                 " does not match block 2's header hash " + expected);
}

TEST_F(ChainVerifierTest, FlippedValidationCodeIsReportedWithTheTransaction) {
  // A valid transaction recorded as invalid.
  std::vector<::common::Block> blocks = chain_.blocks;
  std::string* filter = blocks[1].mutable_metadata()->mutable_metadata(::common::TRANSACTIONS_FILTER);
  (*filter)[0] = static_cast<char>(::protos::MVCC_READ_CONFLICT);
  const std::string finding = Finding(blocks);
  EXPECT_THAT(finding, StartsWith("block 1 tx 0 (txid "));
  EXPECT_THAT(finding, HasSubstr("): recorded MVCC_READ_CONFLICT, re-validation says VALID"));

  // An invalid one recorded as valid: the re-validation says why it is not.
  blocks = chain_.blocks;
  filter = blocks[1].mutable_metadata()->mutable_metadata(::common::TRANSACTIONS_FILTER);
  ASSERT_EQ((*filter)[1], static_cast<char>(::protos::ENDORSEMENT_POLICY_FAILURE));
  (*filter)[1] = static_cast<char>(::protos::VALID);
  EXPECT_THAT(Finding(blocks), AllOf(StartsWith("block 1 tx 1 (txid "),
                                     HasSubstr("recorded VALID, re-validation says ENDORSEMENT_POLICY_FAILURE: ")));
}

TEST_F(ChainVerifierTest, AlteredCommitHashIsReported) {
  std::vector<::common::Block> blocks = chain_.blocks;
  ASSERT_TRUE(ledger::SetCommitHash(blocks[3], std::string(32, '\x01')).ok());
  EXPECT_THAT(Finding(blocks), AllOf(StartsWith("block 3: recorded commit hash 0101"),
                                     HasSubstr("differs from the recomputed ")));
}

TEST_F(ChainVerifierTest, MissingOrdererSignatureIsReported) {
  std::vector<::common::Block> blocks = chain_.blocks;
  blocks[4].mutable_metadata()->mutable_metadata(::common::SIGNATURES)->clear();
  EXPECT_THAT(Finding(blocks), StartsWith("block 4: refused by the peer's block verification: "));
}

TEST_F(ChainVerifierTest, MissingRecordedMetadataIsReported) {
  std::vector<::common::Block> blocks = chain_.blocks;
  blocks[2].mutable_metadata()->mutable_metadata(::common::TRANSACTIONS_FILTER)->clear();
  EXPECT_THAT(Finding(blocks), StartsWith("block 2: recorded validation codes: "));
}

TEST_F(ChainVerifierTest, AnOrderersChainIsVerifiedWithoutThePeersMetadata) {
  std::vector<::common::Block> blocks = chain_.blocks;
  for (::common::Block& block : blocks) {
    block.mutable_metadata()->mutable_metadata(::common::TRANSACTIONS_FILTER)->clear();
    block.mutable_metadata()->mutable_metadata(::common::COMMIT_HASH)->clear();
  }
  VerifyResult result = Verify(blocks);
  EXPECT_TRUE(result.intact()) << result.inconsistency->message;
  EXPECT_FALSE(result.peer_chain);
  EXPECT_EQ(result.valid_transactions, 6u);

  blocks[2].mutable_metadata()->mutable_metadata(::common::SIGNATURES)->clear();
  EXPECT_THAT(Finding(blocks), StartsWith("block 2: refused by the peer's block verification: "));
}

TEST_F(ChainVerifierTest, StrippingBlockZerosMetadataDoesNotSwitchThePeerChecksOff) {
  std::vector<::common::Block> blocks = chain_.blocks;
  blocks[0].mutable_metadata()->mutable_metadata(::common::COMMIT_HASH)->clear();
  EXPECT_THAT(Finding(blocks), StartsWith("block 1: the block records a commit hash but block 0 does not"));

  InMemoryBlockSource source(blocks);
  VerifyOptions options;
  options.require_peer_chain = true;
  absl::StatusOr<VerifyResult> result = VerifyChain(source, options);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_FALSE(result->intact());
  EXPECT_THAT(result->inconsistency->message, StartsWith("block 0: the block records no commit hash"));
}

TEST_F(ChainVerifierTest, DamagedBlockFileIsReportedAtTheBlockItHolds) {
  const std::string file = chain_.ledger_dir + "/blocks/blocks/blockfile_000000";
  // The records are in block order; damage a byte in the middle of the last one's payload.
  const uintmax_t size = std::filesystem::file_size(file);
  {
    std::fstream stream(file, std::ios::in | std::ios::out | std::ios::binary);
    stream.seekg(static_cast<std::streamoff>(size - 40));
    char byte = 0;
    stream.read(&byte, 1);
    byte ^= 0x20;
    stream.seekp(static_cast<std::streamoff>(size - 40));
    stream.write(&byte, 1);
  }
  absl::StatusOr<std::unique_ptr<BlockFilesSource>> source = BlockFilesSource::Open(chain_.ledger_dir);
  ASSERT_TRUE(source.ok()) << source.status();
  absl::StatusOr<VerifyResult> result = VerifyChain(**source);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_FALSE(result->intact());
  EXPECT_EQ(result->inconsistency->block_number, 4u);
  EXPECT_THAT(result->inconsistency->message, HasSubstr("fails its checksum"));
  EXPECT_EQ(result->blocks_checked, 4u);
}

TEST_F(ChainVerifierTest, CouldNotRunIsAnErrorNotAFinding) {
  InMemoryBlockSource empty({});
  EXPECT_EQ(VerifyChain(empty).status().code(), absl::StatusCode::kFailedPrecondition);

  std::filesystem::create_directories(dir_.Path("work"));
  std::ofstream(dir_.Path("work/something")) << "x";
  InMemoryBlockSource source(chain_.blocks);
  VerifyOptions options;
  options.work_dir = dir_.Path("work");
  EXPECT_EQ(VerifyChain(source, options).status().code(), absl::StatusCode::kFailedPrecondition);

  // A fresh work folder keeps the re-validated ledger.
  options.work_dir = dir_.Path("kept");
  InMemoryBlockSource again(chain_.blocks);
  absl::StatusOr<VerifyResult> result = VerifyChain(again, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(std::filesystem::exists(dir_.Path("kept/ledger/blocks")));
}

}  // namespace
}  // namespace careledger::audit
