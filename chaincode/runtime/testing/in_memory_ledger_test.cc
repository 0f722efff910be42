#include "chaincode/runtime/testing/in_memory_ledger.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::chaincode::testing {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Keys(ResultIterator<KeyValue>& iterator) {
  std::vector<std::string> keys;
  while (true) {
    absl::StatusOr<std::optional<KeyValue>> next = iterator.Next();
    EXPECT_TRUE(next.ok()) << next.status();
    if (!next.ok() || !next->has_value()) return keys;
    keys.push_back((*next)->key);
  }
}

TEST(InMemoryLedgerTest, ASimulationDoesNotReadItsOwnWrites) {
  InMemoryLedger ledger;
  ledger.Commit("tx0", absl::FromUnixSeconds(1), {{"k", "old"}});
  auto simulation = ledger.NewSimulation();
  ASSERT_TRUE(simulation->PutState("k", "new").ok());
  ASSERT_TRUE(simulation->PutState("fresh", "v").ok());
  EXPECT_EQ(simulation->GetState("k").value(), "old");
  EXPECT_EQ(simulation->GetState("fresh").value(), std::nullopt);
  simulation->Commit("tx1", absl::FromUnixSeconds(2));
  EXPECT_EQ(ledger.Get("k"), "new");
  EXPECT_EQ(ledger.Get("fresh"), "v");
}

TEST(InMemoryLedgerTest, RangesWalkCommittedKeysInOrderWithinBounds) {
  InMemoryLedger ledger;
  ledger.Commit("tx0", absl::FromUnixSeconds(1), {{"b", "2"}, {"a", "1"}, {"d", "4"}, {"c", "3"}});
  auto simulation = ledger.NewSimulation();
  ASSERT_TRUE(simulation->PutState("bb", "uncommitted").ok());
  EXPECT_THAT(Keys(*simulation->GetStateByRange("b", "d").value()), ElementsAre("b", "c"));
  EXPECT_THAT(Keys(*simulation->GetStateByRange("", "").value()), ElementsAre("a", "b", "c", "d"));

  // A commit in the middle of a walk: the walk continues after the last key it returned.
  auto range = simulation->GetStateByRange("a", "").value();
  EXPECT_EQ(range->Next().value()->key, "a");
  ledger.Commit("tx1", absl::FromUnixSeconds(2), {{"b", std::nullopt}, {"ab", "new"}});
  EXPECT_THAT(Keys(*range), ElementsAre("ab", "c", "d"));
}

TEST(InMemoryLedgerTest, HistoryIsNewestFirstWithDeletes) {
  InMemoryLedger ledger;
  ledger.Commit("tx1", absl::FromUnixSeconds(1), {{"k", "v1"}});
  ledger.Commit("tx2", absl::FromUnixSeconds(2), {{"k", std::nullopt}});
  ledger.Commit("tx3", absl::FromUnixSeconds(3), {{"k", "v3"}});
  auto simulation = ledger.NewSimulation();  // its iterators must not outlive it
  auto history = simulation->GetHistoryForKey("k").value();
  std::vector<std::string> seen;
  while (true) {
    std::optional<KeyModification> next = history->Next().value();
    if (!next.has_value()) break;
    seen.push_back(next->tx_id + "=" + (next->is_delete ? "<deleted>" : next->value) + "@" +
                   std::to_string(absl::ToUnixSeconds(next->timestamp)));
  }
  EXPECT_THAT(seen, ElementsAre("tx3=v3@3", "tx2=<deleted>@2", "tx1=v1@1"));
}

TEST(InMemoryLedgerTest, FailWithFailsEveryCallIncludingOpenIterators) {
  InMemoryLedger ledger;
  ledger.Commit("tx1", absl::FromUnixSeconds(1), {{"k", "v"}});
  auto simulation = ledger.NewSimulation();
  auto range = simulation->GetStateByRange("", "").value();
  simulation->FailWith(absl::DataLossError("disk gone"));
  EXPECT_EQ(simulation->GetState("k").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(simulation->PutState("k", "v").code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(range->Next().status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(simulation->calls(), 4u);
}

}  // namespace
}  // namespace careledger::chaincode::testing
