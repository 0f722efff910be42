#include "peer/ledger/state/testing/memory_state.h"

#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::ledger {
namespace {

using ::std::string_literals::operator""s;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// The keys Scan(ns, start, end) returns, in order; fails the test on an error.
std::vector<std::string> ScanKeys(const StateSnapshot& view, std::string_view ns, std::string_view start,
                                  std::string_view end) {
  std::vector<std::string> keys;
  auto it = view.Scan(ns, start, end);
  EXPECT_TRUE(it.ok()) << it.status();
  if (!it.ok()) return keys;
  while (true) {
    auto entry = (*it)->Next();
    EXPECT_TRUE(entry.ok()) << entry.status();
    if (!entry.ok() || !entry->has_value()) return keys;
    keys.push_back((*entry)->key);
  }
}

std::optional<VersionedValue> GetOrDie(const StateSnapshot& view, std::string_view ns, std::string_view key) {
  auto value = view.Get(ns, key);
  EXPECT_TRUE(value.ok()) << value.status();
  return value.ok() ? *value : std::nullopt;
}

TEST(MemoryStateTest, GetReturnsTheValueAndVersionLastPut) {
  MemoryState state;
  state.Put("cc", "k", "v1", {1, 0});
  state.Put("cc", "k", "v2", {2, 3});
  auto view = state.Snapshot();
  EXPECT_EQ(GetOrDie(*view, "cc", "k"), (VersionedValue{"v2", {2, 3}}));
}

TEST(MemoryStateTest, AbsentKeysAndNamespacesAreNullopt) {
  MemoryState state;
  state.Put("cc", "k", "v", {1, 0});
  auto view = state.Snapshot();
  EXPECT_EQ(GetOrDie(*view, "cc", "other"), std::nullopt);
  EXPECT_EQ(GetOrDie(*view, "nobody", "k"), std::nullopt);
  EXPECT_THAT(ScanKeys(*view, "nobody", "", ""), IsEmpty());
}

TEST(MemoryStateTest, DeleteRemovesTheKeyAndIgnoresAbsentOnes) {
  MemoryState state;
  state.Put("cc", "a", "1", {1, 0});
  state.Put("cc", "b", "2", {1, 1});
  state.Delete("cc", "a");
  state.Delete("cc", "never-written");
  state.Delete("no-such-namespace", "a");
  auto view = state.Snapshot();
  EXPECT_EQ(GetOrDie(*view, "cc", "a"), std::nullopt);
  EXPECT_THAT(ScanKeys(*view, "cc", "", ""), ElementsAre("b"));
}

TEST(MemoryStateTest, ValuesAreBytes) {
  MemoryState state;
  state.Put("cc", "empty", "", {1, 0});
  state.Put("cc", "binary", "\x00\xff\x00"s, {1, 1});
  auto view = state.Snapshot();
  EXPECT_EQ(GetOrDie(*view, "cc", "empty"), (VersionedValue{"", {1, 0}}));
  EXPECT_EQ(GetOrDie(*view, "cc", "binary"), (VersionedValue{"\x00\xff\x00"s, {1, 1}}));
}

TEST(MemoryStateTest, NamespacesNeverSeeEachOthersKeys) {
  MemoryState state;
  // Namespaces that are prefixes of each other, or differ after a NUL, are where an encoded key layout leaks.
  state.Put("a", "k", "in a", {1, 0});
  state.Put("ab", "k", "in ab", {1, 1});
  state.Put("a\x00"s "b", "k", "in a-nul-b", {1, 2});
  state.Put("b", "j", "in b", {1, 3});
  auto view = state.Snapshot();
  EXPECT_EQ(GetOrDie(*view, "a", "k")->value, "in a");
  EXPECT_EQ(GetOrDie(*view, "ab", "k")->value, "in ab");
  EXPECT_EQ(GetOrDie(*view, "a\x00"s "b", "k")->value, "in a-nul-b");
  EXPECT_EQ(GetOrDie(*view, "a", "j"), std::nullopt);
  EXPECT_THAT(ScanKeys(*view, "a", "", ""), ElementsAre("k"));
  EXPECT_THAT(ScanKeys(*view, "b", "", ""), ElementsAre("j"));
  EXPECT_THAT(ScanKeys(*view, "", "", ""), IsEmpty());
}

TEST(MemoryStateTest, ScanIncludesTheStartKeyAndExcludesTheEndKey) {
  MemoryState state;
  for (const char* key : {"a", "b", "c", "d"}) state.Put("cc", key, "v", {1, 0});
  auto view = state.Snapshot();
  EXPECT_THAT(ScanKeys(*view, "cc", "b", "d"), ElementsAre("b", "c"));
  EXPECT_THAT(ScanKeys(*view, "cc", "bb", "cc"), ElementsAre("c"));
  EXPECT_THAT(ScanKeys(*view, "cc", "a", "a\x00"s), ElementsAre("a"));
}

TEST(MemoryStateTest, EmptyStartIsTheSmallestKeyAndEmptyEndHasNoBound) {
  MemoryState state;
  for (const char* key : {"a", "b", "c"}) state.Put("cc", key, "v", {1, 0});
  auto view = state.Snapshot();
  EXPECT_THAT(ScanKeys(*view, "cc", "", "b"), ElementsAre("a"));
  EXPECT_THAT(ScanKeys(*view, "cc", "b", ""), ElementsAre("b", "c"));
  EXPECT_THAT(ScanKeys(*view, "cc", "", ""), ElementsAre("a", "b", "c"));
}

TEST(MemoryStateTest, InvertedOrEmptyRangesReturnNothing) {
  MemoryState state;
  for (const char* key : {"a", "b", "c"}) state.Put("cc", key, "v", {1, 0});
  auto view = state.Snapshot();
  EXPECT_THAT(ScanKeys(*view, "cc", "c", "a"), IsEmpty());
  EXPECT_THAT(ScanKeys(*view, "cc", "b", "b"), IsEmpty());
  EXPECT_THAT(ScanKeys(*view, "cc", "zz", ""), IsEmpty());
}

TEST(MemoryStateTest, KeysAreOrderedAsUnsignedBytes) {
  MemoryState state;
  const std::vector<std::string> sorted = {"\x00"s,     "\x00\x00"s, "\x00\xff"s, "\x01"s, "a"s,    "a\x00"s "b",
                                           "a\x01"s,    "\x7f"s,     "\x80"s,     "\xc3\xa9"s, "\xff"s, "\xff\xff"s};
  for (auto it = sorted.rbegin(); it != sorted.rend(); ++it) state.Put("cc", *it, "v", {1, 0});
  auto view = state.Snapshot();
  EXPECT_EQ(ScanKeys(*view, "cc", "", ""), sorted);
  EXPECT_THAT(ScanKeys(*view, "cc", "\x00"s, "\x01"s), ElementsAre("\x00"s, "\x00\x00"s, "\x00\xff"s));
  EXPECT_THAT(ScanKeys(*view, "cc", "\x7f"s, "\xff"s), ElementsAre("\x7f"s, "\x80"s, "\xc3\xa9"s));
  EXPECT_THAT(ScanKeys(*view, "cc", "\xff"s, ""), ElementsAre("\xff"s, "\xff\xff"s));
  EXPECT_EQ(GetOrDie(*view, "cc", "\x00"s)->version, (Version{1, 0}));
}

TEST(MemoryStateTest, ScanReturnsValuesAndVersions) {
  MemoryState state;
  state.Put("cc", "a", "1", {4, 2});
  auto view = state.Snapshot();
  auto it = view->Scan("cc", "", "");
  ASSERT_TRUE(it.ok()) << it.status();
  auto entry = (*it)->Next();
  ASSERT_TRUE(entry.ok() && entry->has_value());
  EXPECT_EQ(**entry, (StateEntry{"a", {"1", {4, 2}}}));
}

TEST(MemoryStateTest, AnExhaustedIteratorKeepsReturningNullopt) {
  MemoryState state;
  state.Put("cc", "a", "1", {1, 0});
  auto view = state.Snapshot();
  auto it = view->Scan("cc", "", "");
  ASSERT_TRUE(it.ok());
  ASSERT_TRUE((*it)->Next()->has_value());
  for (int i = 0; i < 3; ++i) {
    auto entry = (*it)->Next();
    ASSERT_TRUE(entry.ok());
    EXPECT_FALSE(entry->has_value());
  }
}

TEST(MemoryStateTest, ASnapshotNeverChangesAfterItIsTaken) {
  MemoryState state;
  state.Put("cc", "a", "old", {1, 0});
  state.Put("cc", "b", "old", {1, 1});
  state.set_height(2);
  auto view = state.Snapshot();
  auto open_iterator = view->Scan("cc", "", "");
  ASSERT_TRUE(open_iterator.ok());

  state.Put("cc", "a", "new", {2, 0});
  state.Delete("cc", "b");
  state.Put("cc", "c", "new", {2, 1});
  state.Put("other", "x", "new", {2, 2});
  state.set_height(3);

  EXPECT_EQ(view->height(), 2u);
  EXPECT_EQ(GetOrDie(*view, "cc", "a"), (VersionedValue{"old", {1, 0}}));
  EXPECT_EQ(GetOrDie(*view, "cc", "b"), (VersionedValue{"old", {1, 1}}));
  EXPECT_EQ(GetOrDie(*view, "cc", "c"), std::nullopt);
  EXPECT_EQ(GetOrDie(*view, "other", "x"), std::nullopt);
  EXPECT_THAT(ScanKeys(*view, "cc", "", ""), ElementsAre("a", "b"));
  auto first = (*open_iterator)->Next();
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->value.value, "old");

  auto later = state.Snapshot();
  EXPECT_EQ(later->height(), 3u);
  EXPECT_THAT(ScanKeys(*later, "cc", "", ""), ElementsAre("a", "c"));
  EXPECT_EQ(GetOrDie(*later, "cc", "a"), (VersionedValue{"new", {2, 0}}));
}

TEST(MemoryStateTest, SnapshotsAndIteratorsMayOutliveTheirMakers) {
  std::unique_ptr<StateSnapshot> view;
  std::unique_ptr<StateIterator> iterator;
  {
    MemoryState state;
    state.Put("cc", "a", "1", {1, 0});
    view = state.Snapshot();
    auto scan = view->Scan("cc", "", "");
    ASSERT_TRUE(scan.ok());
    iterator = std::move(*scan);
  }
  view.reset();
  auto entry = iterator->Next();
  ASSERT_TRUE(entry.ok() && entry->has_value());
  EXPECT_EQ((*entry)->key, "a");
}

TEST(MemoryStateTest, SnapshotsCanBeReadFromSeveralThreadsWhileTheStateIsWritten) {
  MemoryState state;
  for (int i = 0; i < 100; ++i) state.Put("cc", "k" + std::to_string(i), "v", {1, static_cast<uint64_t>(i)});
  auto view = state.Snapshot();
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&view] {
      for (int round = 0; round < 20; ++round) {
        EXPECT_EQ(ScanKeys(*view, "cc", "", "").size(), 100u);
        EXPECT_TRUE(GetOrDie(*view, "cc", "k7").has_value());
      }
    });
  }
  for (int i = 0; i < 100; ++i) state.Delete("cc", "k" + std::to_string(i));
  for (auto& reader : readers) reader.join();
  EXPECT_THAT(ScanKeys(*state.Snapshot(), "cc", "", ""), IsEmpty());
}

}  // namespace
}  // namespace careledger::ledger
