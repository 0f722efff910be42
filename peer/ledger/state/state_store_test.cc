#include "peer/ledger/state/state_store.h"

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "peer/ledger/commit_hash.h"
#include "peer/ledger/testing/ledger_contents.h"
#include "peer/ledger/testing/raw_leveldb.h"

namespace careledger::ledger {
namespace {

using ::careledger::ledger::testing::ReadAll;
using ::careledger::ledger::testing::WriteRawKey;
using ::careledger::testing::ScopedTempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

KeyWrite PutOf(std::string_view ns, std::string_view key, std::string_view value) {
  return KeyWrite{std::string(ns), std::string(key), false, std::string(value)};
}
KeyWrite DeleteOf(std::string_view ns, std::string_view key) {
  return KeyWrite{std::string(ns), std::string(key), true, ""};
}

TxWriteSet Tx(uint64_t tx_num, std::vector<KeyWrite> writes) {
  TxWriteSet tx;
  tx.tx_num = tx_num;
  tx.tx_id = absl::StrCat("tx-", tx_num);
  tx.timestamp.set_seconds(1700000000 + static_cast<int64_t>(tx_num));
  tx.writes = std::move(writes);
  return tx;
}

// Applies the next block of `store` holding `txs`, chaining the commit hash as the ledger does.
absl::Status Apply(StateStore& store, std::vector<TxWriteSet> txs) {
  BlockUpdate update;
  update.block_number = store.Height();
  update.commit_hash = CommitHash(store.LastCommitHash(), txs);
  update.transactions = std::move(txs);
  return store.ApplyBlock(update);
}

std::vector<StateEntry> ScanAll(const StateSnapshot& snapshot, std::string_view ns, std::string_view start,
                                std::string_view end) {
  absl::StatusOr<std::unique_ptr<StateIterator>> it = snapshot.Scan(ns, start, end);
  EXPECT_TRUE(it.ok()) << it.status();
  if (!it.ok()) return {};
  absl::StatusOr<std::vector<StateEntry>> entries = ReadAll(**it);
  EXPECT_TRUE(entries.ok()) << entries.status();
  EXPECT_FALSE((*it)->Next()->has_value());  // exhausted stays exhausted
  return entries.ok() ? *std::move(entries) : std::vector<StateEntry>{};
}

std::vector<std::string> Keys(const std::vector<StateEntry>& entries) {
  std::vector<std::string> keys;
  for (const StateEntry& entry : entries) keys.push_back(entry.key);
  return keys;
}

std::vector<HistoryEntry> HistoryOf(const StateStore& store, std::string_view ns, std::string_view key) {
  absl::StatusOr<std::vector<HistoryEntry>> entries = ReadAll(*store.History(ns, key));
  EXPECT_TRUE(entries.ok()) << entries.status();
  return entries.ok() ? *std::move(entries) : std::vector<HistoryEntry>{};
}

std::optional<VersionedValue> GetOf(const StateSnapshot& snapshot, std::string_view ns, std::string_view key) {
  absl::StatusOr<std::optional<VersionedValue>> got = snapshot.Get(ns, key);
  EXPECT_TRUE(got.ok()) << got.status();
  return got.ok() ? *got : std::nullopt;
}

class StateStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<StateStore> OpenStore() {
    absl::StatusOr<std::unique_ptr<StateStore>> store = StateStore::Open(dir_.Path("state"));
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  ScopedTempDir dir_;
};

TEST_F(StateStoreTest, ANewStoreIsEmpty) {
  std::unique_ptr<StateStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->Height(), 0u);
  EXPECT_EQ(store->LastCommitHash(), "");
  std::unique_ptr<StateSnapshot> snapshot = store->NewSnapshot();
  EXPECT_EQ(snapshot->height(), 0u);
  EXPECT_EQ(GetOf(*snapshot, "records", "k"), std::nullopt);
  EXPECT_THAT(ScanAll(*snapshot, "records", "", ""), IsEmpty());
  EXPECT_EQ(store->CommitHash(0).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(StateStoreTest, PutsCarryTheirBlockAndTransaction) {
  std::unique_ptr<StateStore> store = OpenStore();
  ASSERT_TRUE(Apply(*store, {Tx(0, {PutOf("records", "a", "1")})}).ok());
  ASSERT_TRUE(Apply(*store, {Tx(1, {}), Tx(4, {PutOf("records", "b", "2")})}).ok());
  std::unique_ptr<StateSnapshot> snapshot = store->NewSnapshot();
  EXPECT_EQ(snapshot->height(), 2u);
  EXPECT_EQ(GetOf(*snapshot, "records", "a"), (VersionedValue{"1", Version{0, 0}}));
  EXPECT_EQ(GetOf(*snapshot, "records", "b"), (VersionedValue{"2", Version{1, 4}}));
}

TEST_F(StateStoreTest, LaterWritesInABlockWin) {
  std::unique_ptr<StateStore> store = OpenStore();
  ASSERT_TRUE(Apply(*store, {Tx(0, {PutOf("cc", "k", "1"), PutOf("cc", "j", "1"), PutOf("cc", "x", "1"),
                                    PutOf("cc", "x", "2")}),
                             Tx(1, {PutOf("cc", "k", "2"), DeleteOf("cc", "j")})})
                  .ok());
  ASSERT_TRUE(Apply(*store, {Tx(0, {DeleteOf("cc", "gone")}), Tx(1, {PutOf("cc", "gone", "back")})}).ok());
  std::unique_ptr<StateSnapshot> snapshot = store->NewSnapshot();
  EXPECT_EQ(GetOf(*snapshot, "cc", "k"), (VersionedValue{"2", Version{0, 1}}));
  EXPECT_EQ(GetOf(*snapshot, "cc", "j"), std::nullopt);
  EXPECT_EQ(GetOf(*snapshot, "cc", "x"), (VersionedValue{"2", Version{0, 0}}));
  EXPECT_EQ(GetOf(*snapshot, "cc", "gone"), (VersionedValue{"back", Version{1, 1}}));
}

TEST_F(StateStoreTest, DeletesRemoveKeys) {
  std::unique_ptr<StateStore> store = OpenStore();
  ASSERT_TRUE(Apply(*store, {Tx(0, {PutOf("cc", "a", "1"), PutOf("cc", "b", "2")})}).ok());
  ASSERT_TRUE(Apply(*store, {Tx(0, {DeleteOf("cc", "a"), DeleteOf("cc", "never-written")})}).ok());
  std::unique_ptr<StateSnapshot> snapshot = store->NewSnapshot();
  EXPECT_EQ(GetOf(*snapshot, "cc", "a"), std::nullopt);
  EXPECT_THAT(Keys(ScanAll(*snapshot, "cc", "", "")), ElementsAre("b"));
}

TEST_F(StateStoreTest, ScansStayInsideTheirNamespace) {
  std::unique_ptr<StateStore> store = OpenStore();
  const std::string nul_ns("a\x00", 2);
  ASSERT_TRUE(Apply(*store, {Tx(0, {PutOf("a", "1", "v"), PutOf("a", "\xff\xff", "v"), PutOf("ab", "", "v"),
                                    PutOf("ab", "2", "v"), PutOf(nul_ns, "3", "v"), PutOf("", "4", "v"),
                                    PutOf("b", "5", "v")})})
                  .ok());
  std::unique_ptr<StateSnapshot> snapshot = store->NewSnapshot();
  EXPECT_THAT(Keys(ScanAll(*snapshot, "a", "", "")), ElementsAre("1", "\xff\xff"));
  EXPECT_THAT(Keys(ScanAll(*snapshot, "ab", "", "")), ElementsAre("", "2"));
  EXPECT_THAT(Keys(ScanAll(*snapshot, nul_ns, "", "")), ElementsAre("3"));
  EXPECT_THAT(Keys(ScanAll(*snapshot, "", "", "")), ElementsAre("4"));
  EXPECT_THAT(Keys(ScanAll(*snapshot, "c", "", "")), IsEmpty());
  EXPECT_EQ(GetOf(*snapshot, "a", "2"), std::nullopt);  // "ab"'s key "2" is not "a"'s "b2"
  EXPECT_EQ(GetOf(*snapshot, "a", "b2"), std::nullopt);
}

TEST_F(StateStoreTest, ScansHandleBinaryKeysAndBounds) {
  std::unique_ptr<StateStore> store = OpenStore();
  const std::vector<std::string> keys = {
      std::string(""),           std::string("\x00", 1), std::string("\x00\x00", 2), std::string("\x00" "a", 2),
      std::string("a"),          std::string("a\x00", 2), std::string("b"),          std::string("\xff"),
      std::string("\xff\xff")};
  std::vector<KeyWrite> writes;
  for (const std::string& key : keys) writes.push_back(PutOf("cc", key, "v"));
  ASSERT_TRUE(Apply(*store, {Tx(0, writes)}).ok());
  std::unique_ptr<StateSnapshot> snapshot = store->NewSnapshot();

  EXPECT_EQ(Keys(ScanAll(*snapshot, "cc", "", "")), keys);  // byte-wise order, empty end = no bound
  EXPECT_EQ(Keys(ScanAll(*snapshot, "cc", std::string("\x00", 1), "a")),
            (std::vector<std::string>{keys[1], keys[2], keys[3]}));
  EXPECT_EQ(Keys(ScanAll(*snapshot, "cc", "a", "\xff")), (std::vector<std::string>{keys[4], keys[5], keys[6]}));
  EXPECT_EQ(Keys(ScanAll(*snapshot, "cc", "\xff", "")), (std::vector<std::string>{keys[7], keys[8]}));
  EXPECT_EQ(Keys(ScanAll(*snapshot, "cc", "a", std::string("a\x00", 2))), (std::vector<std::string>{"a"}));
  EXPECT_THAT(ScanAll(*snapshot, "cc", "b", "b"), IsEmpty());
  EXPECT_THAT(ScanAll(*snapshot, "cc", "b", "a"), IsEmpty());  // start > end: empty, not an error
}

TEST_F(StateStoreTest, SnapshotsNeverChange) {
  std::unique_ptr<StateStore> store = OpenStore();
  ASSERT_TRUE(Apply(*store, {Tx(0, {PutOf("cc", "a", "old"), PutOf("cc", "b", "old")})}).ok());
  std::unique_ptr<StateSnapshot> before = store->NewSnapshot();
  ASSERT_TRUE(Apply(*store, {Tx(0, {PutOf("cc", "a", "new"), DeleteOf("cc", "b"), PutOf("cc", "c", "new")})}).ok());

  EXPECT_EQ(before->height(), 1u);
  EXPECT_EQ(GetOf(*before, "cc", "a"), (VersionedValue{"old", Version{0, 0}}));
  EXPECT_EQ(GetOf(*before, "cc", "b"), (VersionedValue{"old", Version{0, 0}}));
  EXPECT_EQ(GetOf(*before, "cc", "c"), std::nullopt);
  EXPECT_THAT(Keys(ScanAll(*before, "cc", "", "")), ElementsAre("a", "b"));

  std::unique_ptr<StateSnapshot> after = store->NewSnapshot();
  EXPECT_EQ(after->height(), 2u);
  EXPECT_THAT(Keys(ScanAll(*after, "cc", "", "")), ElementsAre("a", "c"));
}

TEST_F(StateStoreTest, HistoryListsEveryWriteNewestFirst) {
  std::unique_ptr<StateStore> store = OpenStore();
  ASSERT_TRUE(Apply(*store, {Tx(1, {PutOf("cc", "k", "v1"), PutOf("cc", "k2", "other")})}).ok());
  ASSERT_TRUE(Apply(*store, {Tx(0, {DeleteOf("cc", "k")}), Tx(2, {PutOf("other", "k", "x")})}).ok());
  ASSERT_TRUE(Apply(*store, {Tx(3, {PutOf("cc", "k", "v3")})}).ok());

  const std::vector<HistoryEntry> history = HistoryOf(*store, "cc", "k");
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].version, (Version{2, 3}));
  EXPECT_EQ(history[0].tx_id, "tx-3");
  EXPECT_EQ(history[0].value, "v3");
  EXPECT_FALSE(history[0].is_delete);
  EXPECT_EQ(history[0].timestamp.seconds(), 1700000003);
  EXPECT_EQ(history[1].version, (Version{1, 0}));
  EXPECT_TRUE(history[1].is_delete);
  EXPECT_EQ(history[1].value, "");
  EXPECT_EQ(history[1].tx_id, "tx-0");
  EXPECT_EQ(history[2].version, (Version{0, 1}));
  EXPECT_EQ(history[2].value, "v1");

  EXPECT_EQ(HistoryOf(*store, "cc", "k2").size(), 1u);
  EXPECT_EQ(HistoryOf(*store, "other", "k").size(), 1u);
  EXPECT_THAT(HistoryOf(*store, "cc", "never"), IsEmpty());
}

TEST_F(StateStoreTest, HistoryIteratorsKeepTheirView) {
  std::unique_ptr<StateStore> store = OpenStore();
  ASSERT_TRUE(Apply(*store, {Tx(0, {PutOf("cc", "k", "v1")})}).ok());
  std::unique_ptr<HistoryIterator> it = store->History("cc", "k");
  ASSERT_TRUE(Apply(*store, {Tx(0, {PutOf("cc", "k", "v2")})}).ok());
  absl::StatusOr<std::optional<HistoryEntry>> first = it->Next();
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->value, "v1");
  EXPECT_FALSE(it->Next()->has_value());
}

TEST_F(StateStoreTest, RecordsEachBlocksCommitHash) {
  std::unique_ptr<StateStore> store = OpenStore();
  const std::vector<TxWriteSet> block0 = {Tx(0, {PutOf("cc", "k", "v")})};
  ASSERT_TRUE(Apply(*store, block0).ok());
  ASSERT_TRUE(Apply(*store, {}).ok());
  const std::string hash0 = CommitHash("", block0);
  EXPECT_EQ(store->CommitHash(0).value(), hash0);
  EXPECT_EQ(store->CommitHash(1).value(), CommitHash(hash0, {}));
  EXPECT_EQ(store->LastCommitHash(), CommitHash(hash0, {}));
  EXPECT_EQ(store->CommitHash(2).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(StateStoreTest, RefusesUpdatesThatDoNotFit) {
  std::unique_ptr<StateStore> store = OpenStore();
  BlockUpdate skip;
  skip.block_number = 1;
  skip.commit_hash = std::string(32, 'h');
  EXPECT_EQ(store->ApplyBlock(skip).code(), absl::StatusCode::kFailedPrecondition);

  BlockUpdate short_hash;
  short_hash.commit_hash = "short";
  EXPECT_EQ(store->ApplyBlock(short_hash).code(), absl::StatusCode::kInvalidArgument);

  BlockUpdate unordered;
  unordered.commit_hash = std::string(32, 'h');
  unordered.transactions = {Tx(2, {PutOf("cc", "a", "1")}), Tx(1, {PutOf("cc", "b", "1")})};
  EXPECT_EQ(store->ApplyBlock(unordered).code(), absl::StatusCode::kInvalidArgument);

  EXPECT_EQ(store->Height(), 0u);
  EXPECT_THAT(ScanAll(*store->NewSnapshot(), "cc", "", ""), IsEmpty());
}

TEST_F(StateStoreTest, ReopeningKeepsEverything) {
  {
    std::unique_ptr<StateStore> store = OpenStore();
    ASSERT_TRUE(Apply(*store, {Tx(0, {PutOf("cc", "k", "v")})}).ok());
    ASSERT_TRUE(Apply(*store, {Tx(0, {PutOf("cc", "k", "w")})}).ok());
  }
  std::unique_ptr<StateStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->Height(), 2u);
  EXPECT_EQ(store->LastCommitHash(), store->CommitHash(1).value());
  EXPECT_EQ(GetOf(*store->NewSnapshot(), "cc", "k"), (VersionedValue{"w", Version{1, 0}}));
  EXPECT_EQ(HistoryOf(*store, "cc", "k").size(), 2u);
}

TEST_F(StateStoreTest, RefusesAnotherFormatVersion) {
  OpenStore().reset();
  ASSERT_TRUE(WriteRawKey(dir_.Path("state"), "#v", std::string("\x02\x00\x00\x00", 4)));
  absl::StatusOr<std::unique_ptr<StateStore>> store = StateStore::Open(dir_.Path("state"));
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), HasSubstr("state database format 2 is not supported"));
}

TEST_F(StateStoreTest, RefusesADatabaseThatIsNotAStateDatabase) {
  ASSERT_TRUE(WriteRawKey(dir_.Path("state"), "some", "thing"));
  absl::StatusOr<std::unique_ptr<StateStore>> store = StateStore::Open(dir_.Path("state"));
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), HasSubstr("not a state database"));
}

TEST_F(StateStoreTest, AMissingSavepointIsDataLoss) {
  OpenStore().reset();
  ASSERT_TRUE(WriteRawKey(dir_.Path("state"), "#s", std::nullopt));
  EXPECT_EQ(StateStore::Open(dir_.Path("state")).status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(StateStoreTest, IsOpenInOneProcessAtATime) {
  std::unique_ptr<StateStore> store = OpenStore();
  EXPECT_EQ(StateStore::Open(dir_.Path("state")).status().code(), absl::StatusCode::kFailedPrecondition);
}

// Readers racing the writer only ever see whole blocks, at the height their snapshot reports.
TEST_F(StateStoreTest, ConcurrentReadersSeeWholeBlocks) {
  std::unique_ptr<StateStore> store = OpenStore();
  constexpr int kBlocks = 200;
  std::atomic<bool> done = false;
  std::vector<std::thread> readers;
  std::atomic<int> checks = 0;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      while (!done.load()) {
        std::unique_ptr<StateSnapshot> snapshot = store->NewSnapshot();
        const uint64_t height = snapshot->height();
        const std::optional<VersionedValue> counter = GetOf(*snapshot, "cc", "counter");
        const std::optional<VersionedValue> mirror = GetOf(*snapshot, "mirror", "counter");
        if (height == 0) {
          EXPECT_EQ(counter, std::nullopt);
        } else if (!counter.has_value() || !mirror.has_value()) {
          ADD_FAILURE() << "a key is missing at height " << height;
        } else {
          EXPECT_EQ(counter->value, absl::StrCat(height - 1));
          EXPECT_EQ(mirror->value, counter->value);
        }
        checks.fetch_add(1);
      }
    });
  }
  for (int n = 0; n < kBlocks; ++n) {
    // Keep the readers busy while blocks are applied: at least one check per block so far.
    while (checks.load() < n) std::this_thread::yield();
    const absl::Status applied = Apply(*store, {Tx(0, {PutOf("cc", "counter", absl::StrCat(n))}),
                                                Tx(1, {PutOf("mirror", "counter", absl::StrCat(n))})});
    if (!applied.ok()) {
      ADD_FAILURE() << applied;
      break;
    }
  }
  done.store(true);
  for (std::thread& reader : readers) reader.join();
  EXPECT_GE(checks.load(), kBlocks - 1);
}

}  // namespace
}  // namespace careledger::ledger
