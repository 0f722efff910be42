#include "peer/ledger/ledger.h"

#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/blockstore/block_store.h"
#include "common/protoutil/block_hash.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "peer/ledger/block_metadata.h"
#include "peer/ledger/commit_hash.h"
#include "peer/ledger/testing/ledger_contents.h"
#include "peer/ledger/testing/raw_leveldb.h"
#include "peer/ledger/testing/test_blocks.h"
#include "peer/ledger/valid_write_sets.h"

namespace careledger::ledger {
namespace {

using ::careledger::ledger::testing::Delete;
using ::careledger::ledger::testing::LedgerContents;
using ::careledger::ledger::testing::NamespacedKey;
using ::careledger::ledger::testing::Put;
using ::careledger::ledger::testing::ReadAll;
using ::careledger::ledger::testing::ReadLedgerContents;
using ::careledger::ledger::testing::TestBlockBuilder;
using ::careledger::ledger::testing::TxIdAt;
using ::careledger::ledger::testing::TxWriting;
using ::careledger::ledger::testing::WriteRawKey;
using ::careledger::testing::ScopedTempDir;
using ::testing::HasSubstr;

std::optional<VersionedValue> GetOf(const StateSnapshot& snapshot, std::string_view ns, std::string_view key) {
  absl::StatusOr<std::optional<VersionedValue>> got = snapshot.Get(ns, key);
  EXPECT_TRUE(got.ok()) << got.status();
  return got.ok() ? *got : std::nullopt;
}

std::vector<HistoryEntry> HistoryOf(const Ledger& ledger, std::string_view ns, std::string_view key) {
  absl::StatusOr<std::vector<HistoryEntry>> entries = ReadAll(*ledger.GetHistoryForKey(ns, key));
  EXPECT_TRUE(entries.ok()) << entries.status();
  return entries.ok() ? *std::move(entries) : std::vector<HistoryEntry>{};
}

class LedgerTest : public ::testing::Test {
 protected:
  std::unique_ptr<Ledger> OpenLedger(const LedgerOptions& options = {}) {
    absl::StatusOr<std::unique_ptr<Ledger>> ledger = Ledger::Open(dir_.Path("ledger"), options);
    EXPECT_TRUE(ledger.ok()) << ledger.status();
    return ledger.ok() ? *std::move(ledger) : nullptr;
  }

  absl::StatusCode OpenError() { return Ledger::Open(dir_.Path("ledger")).status().code(); }

  // Commits the builder's next blocks: a config block, then one with three transactions.
  void CommitTwoBlocks(Ledger& ledger) {
    ASSERT_TRUE(ledger.Commit(builder_.NextConfigBlock()).ok());
    ASSERT_TRUE(ledger
                    .Commit(builder_.NextBlock({TxWriting({Put("records", "patient-1", "v1")}),
                                                TxWriting({Put("records", "patient-2", "v2")}),
                                                TxWriting({Put("consent", "patient-1", "granted")})}))
                    .ok());
  }

  ScopedTempDir dir_;
  TestBlockBuilder builder_;
};

TEST_F(LedgerTest, ANewLedgerIsEmpty) {
  std::unique_ptr<Ledger> ledger = OpenLedger();
  ASSERT_NE(ledger, nullptr);
  EXPECT_EQ(ledger->Height(), 0u);
  const ::common::BlockchainInfo info = ledger->GetBlockchainInfo();
  EXPECT_EQ(info.height(), 0u);
  EXPECT_TRUE(info.currentblockhash().empty());
  EXPECT_EQ(ledger->GetBlock(0).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ledger->GetBlockBytes(0).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ledger->CommitHash(0).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ledger->FindTransaction("tx").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ledger->NewSnapshot()->height(), 0u);
  EXPECT_EQ(ledger->recovery_report().replayed_blocks, 0u);
}

TEST_F(LedgerTest, CommitsBlocksWithTheirCommitHash) {
  std::unique_ptr<Ledger> ledger = OpenLedger();
  CommitTwoBlocks(*ledger);
  EXPECT_EQ(ledger->Height(), 2u);

  absl::StatusOr<::common::Block> block0 = ledger->GetBlock(0);
  absl::StatusOr<::common::Block> block1 = ledger->GetBlock(1);
  ASSERT_TRUE(block0.ok() && block1.ok());
  const std::string hash0 = CommitHash("", {});  // a config block writes no state
  const std::string hash1 = CommitHash(hash0, ValidWriteSets(*block1).value());
  EXPECT_EQ(StoredCommitHash(*block0).value(), hash0);
  EXPECT_EQ(StoredCommitHash(*block1).value(), hash1);
  EXPECT_EQ(ledger->CommitHash(0).value(), hash0);
  EXPECT_EQ(ledger->CommitHash(1).value(), hash1);
  EXPECT_EQ(ledger->GetBlockBytes(1).value(), block1->SerializeAsString());

  const ::common::BlockchainInfo info = ledger->GetBlockchainInfo();
  EXPECT_EQ(info.height(), 2u);
  EXPECT_EQ(info.currentblockhash(), protoutil::BlockHeaderHash(block1->header()));
  EXPECT_EQ(info.previousblockhash(), protoutil::BlockHeaderHash(block0->header()));
}

TEST_F(LedgerTest, VersionsAreBlockAndTransactionNumbers) {
  std::unique_ptr<Ledger> ledger = OpenLedger();
  CommitTwoBlocks(*ledger);
  std::unique_ptr<StateSnapshot> snapshot = ledger->NewSnapshot();
  EXPECT_EQ(snapshot->height(), 2u);
  EXPECT_EQ(GetOf(*snapshot, "records", "patient-1"), (VersionedValue{"v1", Version{1, 0}}));
  EXPECT_EQ(GetOf(*snapshot, "records", "patient-2"), (VersionedValue{"v2", Version{1, 1}}));
  EXPECT_EQ(GetOf(*snapshot, "consent", "patient-1"), (VersionedValue{"granted", Version{1, 2}}));
  EXPECT_EQ(GetOf(*snapshot, "consent", "patient-2"), std::nullopt);
}

TEST_F(LedgerTest, LaterTransactionsOverwriteEarlierOnes) {
  std::unique_ptr<Ledger> ledger = OpenLedger();
  ASSERT_TRUE(ledger
                  ->Commit(builder_.NextBlock({TxWriting({Put("records", "k", "first"), Put("records", "j", "1")}),
                                               TxWriting({Put("records", "k", "second"), Delete("records", "j")})}))
                  .ok());
  std::unique_ptr<StateSnapshot> snapshot = ledger->NewSnapshot();
  EXPECT_EQ(GetOf(*snapshot, "records", "k"), (VersionedValue{"second", Version{0, 1}}));
  EXPECT_EQ(GetOf(*snapshot, "records", "j"), std::nullopt);
  EXPECT_EQ(HistoryOf(*ledger, "records", "k").size(), 2u);
}

TEST_F(LedgerTest, InvalidTransactionsWriteNothing) {
  std::unique_ptr<Ledger> ledger = OpenLedger();
  const ::common::Block block =
      builder_.NextBlock({TxWriting({Put("records", "conflicted", "lost")}, ::protos::MVCC_READ_CONFLICT),
                          TxWriting({Put("records", "kept", "v")}),
                          TxWriting({Delete("records", "kept")}, ::protos::ENDORSEMENT_POLICY_FAILURE)});
  ASSERT_TRUE(ledger->Commit(block).ok());

  std::unique_ptr<StateSnapshot> snapshot = ledger->NewSnapshot();
  EXPECT_EQ(GetOf(*snapshot, "records", "conflicted"), std::nullopt);
  EXPECT_EQ(GetOf(*snapshot, "records", "kept"), (VersionedValue{"v", Version{0, 1}}));
  EXPECT_TRUE(HistoryOf(*ledger, "records", "conflicted").empty());
  EXPECT_EQ(HistoryOf(*ledger, "records", "kept").size(), 1u);

  TxWriteSet only_valid;
  only_valid.tx_num = 1;
  only_valid.writes = {KeyWrite{"records", "kept", false, "v"}};
  EXPECT_EQ(ledger->CommitHash(0).value(), CommitHash("", std::vector<TxWriteSet>{only_valid}));
}

TEST_F(LedgerTest, HistoryListsWritesNewestFirstWithDeletes) {
  std::unique_ptr<Ledger> ledger = OpenLedger();
  const ::common::Block block0 = builder_.NextBlock({TxWriting({Put("consent", "patient-7", "granted")})});
  const ::common::Block block1 = builder_.NextBlock(
      {TxWriting({Put("consent", "patient-8", "granted")}), TxWriting({Delete("consent", "patient-7")})});
  const ::common::Block block2 = builder_.NextBlock({TxWriting({Put("consent", "patient-7", "granted again")})});
  for (const ::common::Block& block : {block0, block1, block2}) ASSERT_TRUE(ledger->Commit(block).ok());

  const std::vector<HistoryEntry> history = HistoryOf(*ledger, "consent", "patient-7");
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].tx_id, TxIdAt(block2, 0));
  EXPECT_EQ(history[0].value, "granted again");
  EXPECT_FALSE(history[0].is_delete);
  EXPECT_EQ(history[0].version, (Version{2, 0}));
  EXPECT_EQ(history[0].timestamp.seconds(), 1700000003);  // the builder's fourth transaction
  EXPECT_EQ(history[1].tx_id, TxIdAt(block1, 1));
  EXPECT_TRUE(history[1].is_delete);
  EXPECT_EQ(history[1].value, "");
  EXPECT_EQ(history[1].version, (Version{1, 1}));
  EXPECT_EQ(history[1].timestamp.seconds(), 1700000002);
  EXPECT_EQ(history[2].tx_id, TxIdAt(block0, 0));
  EXPECT_EQ(history[2].value, "granted");
  EXPECT_EQ(history[2].version, (Version{0, 0}));
}

TEST_F(LedgerTest, RefusesAFilterOfTheWrongLengthAndChangesNothing) {
  std::unique_ptr<Ledger> ledger = OpenLedger();
  ::common::Block block = builder_.NextBlock({TxWriting({Put("records", "k", "v")}), {}});
  ::common::Block short_filter = block;
  short_filter.mutable_metadata()->mutable_metadata(::common::TRANSACTIONS_FILTER)->pop_back();
  const absl::Status status = ledger->Commit(short_filter);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("1 bytes for 2 transactions"));
  ::common::Block no_filter = block;
  no_filter.mutable_metadata()->clear_metadata();
  EXPECT_EQ(ledger->Commit(no_filter).code(), absl::StatusCode::kInvalidArgument);
  ::common::Block not_validated = block;
  (*not_validated.mutable_metadata()->mutable_metadata(::common::TRANSACTIONS_FILTER))[1] =
      static_cast<char>(::protos::NOT_VALIDATED);
  EXPECT_EQ(ledger->Commit(not_validated).code(), absl::StatusCode::kInvalidArgument);

  EXPECT_EQ(ledger->Height(), 0u);
  EXPECT_EQ(GetOf(*ledger->NewSnapshot(), "records", "k"), std::nullopt);
  // The refusals did not stop the ledger.
  EXPECT_TRUE(ledger->Commit(block).ok());
  EXPECT_EQ(ledger->Height(), 1u);
}

TEST_F(LedgerTest, RefusesBlocksThatDoNotExtendTheChain) {
  std::unique_ptr<Ledger> ledger = OpenLedger();
  ASSERT_TRUE(ledger->Commit(builder_.NextConfigBlock()).ok());
  ::common::Block next = builder_.NextBlock({TxWriting({Put("records", "k", "v")})});

  ::common::Block skipping = next;
  skipping.mutable_header()->set_number(2);
  EXPECT_EQ(ledger->Commit(skipping).code(), absl::StatusCode::kFailedPrecondition);
  ::common::Block other_parent = next;
  other_parent.mutable_header()->set_previous_hash(std::string(32, 'x'));
  EXPECT_EQ(ledger->Commit(other_parent).code(), absl::StatusCode::kFailedPrecondition);
  ::common::Block bad_data_hash = next;
  bad_data_hash.mutable_header()->set_data_hash(std::string(32, 'x'));
  EXPECT_EQ(ledger->Commit(bad_data_hash).code(), absl::StatusCode::kInvalidArgument);
  ::common::Block no_header = next;
  no_header.clear_header();
  EXPECT_EQ(ledger->Commit(no_header).code(), absl::StatusCode::kInvalidArgument);

  EXPECT_EQ(ledger->Height(), 1u);
  EXPECT_EQ(GetOf(*ledger->NewSnapshot(), "records", "k"), std::nullopt);
  EXPECT_TRUE(ledger->Commit(next).ok());
}

TEST_F(LedgerTest, FindsTransactionsAndTheirValidationCodes) {
  std::unique_ptr<Ledger> ledger = OpenLedger();
  const ::common::Block block0 =
      builder_.NextBlock({TxWriting({Put("records", "a", "1")}),
                          TxWriting({Put("records", "b", "2")}, ::protos::MVCC_READ_CONFLICT)});
  ASSERT_TRUE(ledger->Commit(block0).ok());
  // The same envelope again, which the committer marked as a duplicate: lookups report the first one.
  const ::common::Block block1 = builder_.NextBlockWithEntries(
      {block0.data().data(0)}, std::string(1, static_cast<char>(::protos::DUPLICATE_TXID)));
  ASSERT_TRUE(ledger->Commit(block1).ok());

  const std::string valid_id = TxIdAt(block0, 0);
  const std::string invalid_id = TxIdAt(block0, 1);
  EXPECT_EQ(ledger->FindTransaction(valid_id).value(), (blockstore::TransactionLocation{0, 0}));
  EXPECT_EQ(ledger->FindTransaction(invalid_id).value(), (blockstore::TransactionLocation{0, 1}));

  absl::StatusOr<::protos::ProcessedTransaction> valid = ledger->GetTransactionByID(valid_id);
  ASSERT_TRUE(valid.ok()) << valid.status();
  EXPECT_EQ(valid->validationcode(), ::protos::VALID);
  EXPECT_EQ(valid->transactionenvelope().SerializeAsString(), block0.data().data(0));
  absl::StatusOr<::protos::ProcessedTransaction> invalid = ledger->GetTransactionByID(invalid_id);
  ASSERT_TRUE(invalid.ok()) << invalid.status();
  EXPECT_EQ(invalid->validationcode(), ::protos::MVCC_READ_CONFLICT);

  // Statuses come from memory for recent blocks and from the block store once reopened: the same answers.
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 1) {
      ledger.reset();
      ledger = OpenLedger();
    }
    absl::StatusOr<TransactionStatus> status = ledger->GetTransactionStatus(invalid_id);
    ASSERT_TRUE(status.ok()) << status.status();
    EXPECT_EQ(status->code, ::protos::MVCC_READ_CONFLICT);
    EXPECT_EQ(status->block_number, 0u);
    status = ledger->GetTransactionStatus(valid_id);
    ASSERT_TRUE(status.ok()) << status.status();
    EXPECT_EQ(status->code, ::protos::VALID) << "pass " << pass << ": the first occurrence, not the duplicate";
    EXPECT_EQ(status->block_number, 0u);
    EXPECT_EQ(ledger->GetTransactionStatus("unknown").status().code(), absl::StatusCode::kNotFound);
  }
  EXPECT_EQ(ledger->GetTransactionByID("unknown").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(LedgerTest, SnapshotsAreUnaffectedByLaterCommits) {
  std::unique_ptr<Ledger> ledger = OpenLedger();
  ASSERT_TRUE(ledger->Commit(builder_.NextBlock({TxWriting({Put("records", "k", "old")})})).ok());
  std::unique_ptr<StateSnapshot> before = ledger->NewSnapshot();
  ASSERT_TRUE(ledger
                  ->Commit(builder_.NextBlock(
                      {TxWriting({Put("records", "k", "new")}), TxWriting({Put("records", "added", "v")})}))
                  .ok());
  EXPECT_EQ(before->height(), 1u);
  EXPECT_EQ(GetOf(*before, "records", "k"), (VersionedValue{"old", Version{0, 0}}));
  EXPECT_EQ(GetOf(*before, "records", "added"), std::nullopt);
  std::unique_ptr<StateSnapshot> after = ledger->NewSnapshot();
  EXPECT_EQ(after->height(), 2u);
  EXPECT_EQ(GetOf(*after, "records", "k"), (VersionedValue{"new", Version{1, 0}}));
}

TEST_F(LedgerTest, WaitForHeightReturnsOnceACommitReachesIt) {
  std::unique_ptr<Ledger> ledger = OpenLedger();
  std::atomic<bool> reached = false;
  std::thread waiter([&] { reached = ledger->WaitForHeight(2, absl::Now() + absl::Seconds(30)); });
  ASSERT_TRUE(ledger->Commit(builder_.NextConfigBlock()).ok());
  ASSERT_TRUE(ledger->Commit(builder_.NextBlock({TxWriting({Put("records", "k", "v")})})).ok());
  waiter.join();
  EXPECT_TRUE(reached);
  EXPECT_TRUE(ledger->WaitForHeight(1, absl::InfinitePast()));  // already there: no wait
}

TEST_F(LedgerTest, WaitForHeightGivesUpAtTheDeadline) {
  std::unique_ptr<Ledger> ledger = OpenLedger();
  const absl::Time start = absl::Now();
  EXPECT_FALSE(ledger->WaitForHeight(1, start + absl::Milliseconds(50)));
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(50));
}

TEST_F(LedgerTest, WaitForHeightStopsOnCloseAndCancellation) {
  std::unique_ptr<Ledger> ledger = OpenLedger();
  std::atomic<bool> cancelled = false;
  std::atomic<int> returned = 0;
  std::thread cancelled_waiter([&] {
    EXPECT_FALSE(ledger->WaitForHeight(1, absl::InfiniteFuture(), &cancelled));
    ++returned;
  });
  cancelled = true;
  ledger->WakeWaiters();
  cancelled_waiter.join();
  EXPECT_EQ(returned, 1);

  std::thread closed_waiter([&] { EXPECT_FALSE(ledger->WaitForHeight(1, absl::InfiniteFuture())); });
  ledger->Close();
  closed_waiter.join();
  EXPECT_EQ(ledger->Commit(builder_.NextConfigBlock()).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ledger->Height(), 0u);
}

// What NotifyOnCommit delivered to one notification: how many times it ran, and with what.
struct Notified {
  int calls = 0;
  absl::StatusOr<TransactionStatus> status = absl::UnknownError("not notified");
  CommitNotification Notify() {
    return [this](absl::StatusOr<TransactionStatus> s) {
      ++calls;
      status = std::move(s);
    };
  }
};

TEST_F(LedgerTest, NotifyOnCommitRunsOnceWhenTheTransactionsBlockCommits) {
  std::unique_ptr<Ledger> ledger = OpenLedger();
  ASSERT_TRUE(ledger->Commit(builder_.NextConfigBlock()).ok());
  const ::common::Block block =
      builder_.NextBlock({TxWriting({Put("records", "a", "1")}),
                          TxWriting({Put("records", "b", "2")}, ::protos::MVCC_READ_CONFLICT)});
  Notified valid, invalid, second_asker, unrelated;
  EXPECT_NE(ledger->NotifyOnCommit(TxIdAt(block, 0), valid.Notify()), 0u);
  EXPECT_NE(ledger->NotifyOnCommit(TxIdAt(block, 1), invalid.Notify()), 0u);
  EXPECT_NE(ledger->NotifyOnCommit(TxIdAt(block, 1), second_asker.Notify()), 0u);
  EXPECT_NE(ledger->NotifyOnCommit("not-in-this-block", unrelated.Notify()), 0u);
  EXPECT_EQ(valid.calls, 0);  // nothing committed it yet

  ASSERT_TRUE(ledger->Commit(block).ok());
  EXPECT_EQ(valid.calls, 1);
  ASSERT_TRUE(valid.status.ok()) << valid.status.status();
  EXPECT_EQ(valid.status->code, ::protos::VALID);
  EXPECT_EQ(valid.status->block_number, 1u);
  for (const Notified* n : {&invalid, &second_asker}) {
    EXPECT_EQ(n->calls, 1);
    ASSERT_TRUE(n->status.ok());
    EXPECT_EQ(n->status->code, ::protos::MVCC_READ_CONFLICT);
  }
  EXPECT_EQ(unrelated.calls, 0);

  // A later commit does not run them again.
  ASSERT_TRUE(ledger->Commit(builder_.NextBlock({TxWriting({Put("records", "c", "3")})})).ok());
  EXPECT_EQ(valid.calls, 1);
}

TEST_F(LedgerTest, NotifyOnCommitAnswersAtOnceForACommittedTransactionRecentOrOnDisk) {
  const ::common::Block block = builder_.NextBlock({TxWriting({Put("records", "a", "1")})});
  std::unique_ptr<Ledger> ledger = OpenLedger();
  ASSERT_TRUE(ledger->Commit(block).ok());
  // Recent blocks are answered from memory, older ones (here: after reopening) from the block store.
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 1) {
      ledger.reset();
      ledger = OpenLedger();
    }
    Notified notified;
    EXPECT_EQ(ledger->NotifyOnCommit(TxIdAt(block, 0), notified.Notify()), 0u) << "pass " << pass;
    EXPECT_EQ(notified.calls, 1);
    ASSERT_TRUE(notified.status.ok()) << notified.status.status();
    EXPECT_EQ(notified.status->code, ::protos::VALID);
    EXPECT_EQ(notified.status->block_number, 0u);
  }
}

TEST_F(LedgerTest, ACancelledNotificationNeverRunsAndCloseAnswersTheRestUnavailable) {
  std::unique_ptr<Ledger> ledger = OpenLedger();
  const ::common::Block block = builder_.NextBlock({TxWriting({Put("records", "a", "1")})});
  Notified cancelled, pending;
  const uint64_t ticket = ledger->NotifyOnCommit(TxIdAt(block, 0), cancelled.Notify());
  EXPECT_TRUE(ledger->CancelNotifyOnCommit(TxIdAt(block, 0), ticket));
  EXPECT_FALSE(ledger->CancelNotifyOnCommit(TxIdAt(block, 0), ticket));  // already withdrawn
  ASSERT_TRUE(ledger->Commit(block).ok());
  EXPECT_EQ(cancelled.calls, 0);

  const uint64_t pending_ticket = ledger->NotifyOnCommit("never-committed", pending.Notify());
  ledger->Close();
  EXPECT_EQ(pending.calls, 1);
  EXPECT_EQ(pending.status.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(ledger->CancelNotifyOnCommit("never-committed", pending_ticket));  // it has run

  Notified after_close;
  EXPECT_EQ(ledger->NotifyOnCommit("never-committed", after_close.Notify()), 0u);
  EXPECT_EQ(after_close.status.status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(LedgerTest, ReopeningKeepsEverything) {
  const std::vector<std::string> namespaces = {"records", "consent"};
  const std::vector<NamespacedKey> keys = {{"records", "patient-1"}, {"consent", "patient-1"}};
  LedgerContents before;
  {
    std::unique_ptr<Ledger> ledger = OpenLedger();
    CommitTwoBlocks(*ledger);
    before = ReadLedgerContents(*ledger, namespaces, keys).value();
  }
  std::unique_ptr<Ledger> ledger = OpenLedger();
  ASSERT_NE(ledger, nullptr);
  EXPECT_EQ(ledger->recovery_report().replayed_blocks, 0u);
  EXPECT_EQ(ReadLedgerContents(*ledger, namespaces, keys).value(), before);
  // And it goes on from there.
  EXPECT_TRUE(ledger->Commit(builder_.NextBlock({TxWriting({Put("records", "patient-1", "v2")})})).ok());
}

TEST_F(LedgerTest, RebuildsALostStateDatabaseFromTheBlocks) {
  const std::vector<std::string> namespaces = {"records", "consent"};
  const std::vector<NamespacedKey> keys = {{"records", "patient-1"}, {"consent", "patient-1"}};
  LedgerContents before;
  {
    std::unique_ptr<Ledger> ledger = OpenLedger();
    CommitTwoBlocks(*ledger);
    ASSERT_TRUE(ledger->Commit(builder_.NextBlock({TxWriting({Delete("records", "patient-1")})})).ok());
    before = ReadLedgerContents(*ledger, namespaces, keys).value();
  }
  std::filesystem::remove_all(dir_.Path("ledger/state"));
  std::unique_ptr<Ledger> ledger = OpenLedger();
  ASSERT_NE(ledger, nullptr);
  EXPECT_EQ(ledger->recovery_report().state_height_at_open, 0u);
  EXPECT_EQ(ledger->recovery_report().replayed_blocks, 3u);
  EXPECT_EQ(ReadLedgerContents(*ledger, namespaces, keys).value(), before);
}

TEST_F(LedgerTest, RefusesAStateAheadOfTheBlocks) {
  {
    std::unique_ptr<Ledger> ledger = OpenLedger();
    CommitTwoBlocks(*ledger);
  }
  std::filesystem::remove_all(dir_.Path("ledger/blocks"));
  absl::StatusOr<std::unique_ptr<Ledger>> ledger = Ledger::Open(dir_.Path("ledger"));
  EXPECT_EQ(ledger.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(ledger.status().message(), HasSubstr("has applied 2 blocks but the block store holds only 0"));
}

// Stores `block` directly in the ledger's block store, as if a commit had appended it and crashed.
void AppendToBlockStore(const std::string& ledger_dir, const ::common::Block& block) {
  blockstore::Options options;
  options.index_transactions = true;
  absl::StatusOr<std::unique_ptr<blockstore::BlockStore>> store =
      blockstore::BlockStore::Open(ledger_dir + "/blocks", options);
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE((*store)->Append(block).ok());
}

TEST_F(LedgerTest, RefusesAStoredBlockWithoutFilter) {
  ::common::Block block = builder_.NextBlock({TxWriting({Put("records", "k", "v")})});
  ASSERT_TRUE(SetCommitHash(block, std::string(32, 'h')).ok());
  block.mutable_metadata()->mutable_metadata(::common::TRANSACTIONS_FILTER)->clear();
  AppendToBlockStore(dir_.Path("ledger"), block);
  absl::StatusOr<std::unique_ptr<Ledger>> ledger = Ledger::Open(dir_.Path("ledger"));
  EXPECT_EQ(ledger.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(ledger.status().message(), HasSubstr("replaying stored block 0"));
  EXPECT_THAT(ledger.status().message(), HasSubstr("TRANSACTIONS_FILTER"));
}

TEST_F(LedgerTest, RefusesAStoredBlockWithoutCommitHash) {
  AppendToBlockStore(dir_.Path("ledger"), builder_.NextBlock({TxWriting({Put("records", "k", "v")})}));
  absl::StatusOr<std::unique_ptr<Ledger>> ledger = Ledger::Open(dir_.Path("ledger"));
  EXPECT_EQ(ledger.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(ledger.status().message(), HasSubstr("no COMMIT_HASH"));
}

TEST_F(LedgerTest, RefusesAStoredBlockWhoseCommitHashDiffers) {
  ::common::Block block = builder_.NextBlock({TxWriting({Put("records", "k", "v")})});
  ASSERT_TRUE(SetCommitHash(block, std::string(32, 'h')).ok());
  AppendToBlockStore(dir_.Path("ledger"), block);
  absl::StatusOr<std::unique_ptr<Ledger>> ledger = Ledger::Open(dir_.Path("ledger"));
  EXPECT_EQ(ledger.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(ledger.status().message(), HasSubstr("differs from the commit hash recomputed"));
}

TEST_F(LedgerTest, RefusesTheStateOfAnotherChain) {
  {
    std::unique_ptr<Ledger> ledger = OpenLedger();
    CommitTwoBlocks(*ledger);
  }
  {
    absl::StatusOr<std::unique_ptr<Ledger>> other = Ledger::Open(dir_.Path("other"));
    ASSERT_TRUE(other.ok()) << other.status();
    TestBlockBuilder other_builder("other-channel");
    ASSERT_TRUE((*other)->Commit(other_builder.NextConfigBlock()).ok());
    ASSERT_TRUE((*other)->Commit(other_builder.NextBlock({TxWriting({Put("records", "x", "y")})})).ok());
  }
  std::filesystem::remove_all(dir_.Path("ledger/state"));
  std::filesystem::copy(dir_.Path("other/state"), dir_.Path("ledger/state"));
  absl::StatusOr<std::unique_ptr<Ledger>> ledger = Ledger::Open(dir_.Path("ledger"));
  EXPECT_EQ(ledger.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(ledger.status().message(), HasSubstr("not of this chain"));
}

TEST_F(LedgerTest, RefusesAStateDatabaseOfAnotherFormat) {
  OpenLedger().reset();
  ASSERT_TRUE(WriteRawKey(dir_.Path("ledger/state"), "#v", std::string("\x09\x00\x00\x00", 4)));
  EXPECT_EQ(OpenError(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(LedgerTest, IsOpenOnceAtATime) {
  std::unique_ptr<Ledger> ledger = OpenLedger();
  EXPECT_EQ(OpenError(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(LedgerTest, RefusesBadOptions) {
  LedgerOptions options;
  options.max_block_file_size = 0;
  EXPECT_EQ(Ledger::Open(dir_.Path("ledger"), options).status().code(), absl::StatusCode::kInvalidArgument);
}

// Readers running alongside the committer only see whole blocks: a snapshot at height h holds block h - 1's
// writes, the block and its commit hash are there, and the chain summary agrees.
TEST_F(LedgerTest, ReadersConcurrentWithCommitsSeeWholeBlocks) {
  std::unique_ptr<Ledger> ledger = OpenLedger();
  constexpr int kBlocks = 60;
  std::vector<::common::Block> blocks;
  for (int n = 0; n < kBlocks; ++n) {
    blocks.push_back(builder_.NextBlock({TxWriting({Put("records", "counter", absl::StrCat(n))}),
                                         TxWriting({Put("mirror", "counter", absl::StrCat(n))})}));
  }
  std::atomic<bool> done = false;
  std::atomic<int> checks = 0;
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      while (!done.load()) {
        std::unique_ptr<StateSnapshot> snapshot = ledger->NewSnapshot();
        const uint64_t height = snapshot->height();
        EXPECT_GE(ledger->Height(), height);
        if (height > 0) {
          const std::optional<VersionedValue> counter = GetOf(*snapshot, "records", "counter");
          const std::optional<VersionedValue> mirror = GetOf(*snapshot, "mirror", "counter");
          EXPECT_EQ(counter ? counter->value : "", absl::StrCat(height - 1));
          EXPECT_EQ(mirror ? mirror->value : "", absl::StrCat(height - 1));
          EXPECT_TRUE(ledger->GetBlock(height - 1).ok());
          EXPECT_TRUE(ledger->CommitHash(height - 1).ok());
          EXPECT_GE(ledger->GetBlockchainInfo().height(), height);
        }
        checks.fetch_add(1);
      }
    });
  }
  for (int n = 0; n < kBlocks; ++n) {
    while (checks.load() < n) std::this_thread::yield();  // keep the readers busy throughout
    const absl::Status committed = ledger->Commit(blocks[n]);
    if (!committed.ok()) {
      ADD_FAILURE() << committed;
      break;
    }
  }
  done.store(true);
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(ledger->Height(), static_cast<uint64_t>(kBlocks));
}

}  // namespace
}  // namespace careledger::ledger
