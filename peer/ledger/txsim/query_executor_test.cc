#include "peer/ledger/txsim/query_executor.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "peer/ledger/state/testing/memory_state.h"

namespace careledger::ledger {
namespace {

using ::testing::ElementsAre;

TEST(QueryExecutorTest, ReadsCommittedValuesAndRanges) {
  MemoryState state;
  state.Put("cc", "a", "A", {1, 0});
  state.Put("cc", "b", "B", {1, 1});
  state.Put("other", "c", "C", {1, 2});
  QueryExecutor query(state.Snapshot());

  EXPECT_EQ(*query.GetState("cc", "a"), "A");
  EXPECT_EQ(*query.GetState("cc", "c"), std::nullopt);
  // No key is judged: a key that cannot exist is simply absent.
  EXPECT_EQ(*query.GetState("cc", "\xff"), std::nullopt);

  auto it = query.GetStateRange("cc", "", "");
  ASSERT_TRUE(it.ok()) << it.status();
  std::vector<StateEntry> entries;
  while (true) {
    auto entry = (*it)->Next();
    ASSERT_TRUE(entry.ok());
    if (!entry->has_value()) break;
    entries.push_back(**entry);
  }
  EXPECT_THAT(entries, ElementsAre(StateEntry{"a", {"A", {1, 0}}}, StateEntry{"b", {"B", {1, 1}}}));
}

TEST(QueryExecutorTest, IteratorsKeepTheSnapshotAlive) {
  std::unique_ptr<StateIterator> it;
  {
    MemoryState state;
    state.Put("cc", "a", "A", {1, 0});
    QueryExecutor query(state.Snapshot());
    auto range = query.GetStateRange("cc", "a", "b");
    ASSERT_TRUE(range.ok());
    it = std::move(*range);
  }
  auto entry = it->Next();
  ASSERT_TRUE(entry.ok() && entry->has_value());
  EXPECT_EQ((*entry)->key, "a");
}

}  // namespace
}  // namespace careledger::ledger
