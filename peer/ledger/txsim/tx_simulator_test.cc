#include "peer/ledger/txsim/tx_simulator.h"

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "peer/ledger/state/testing/memory_state.h"

namespace careledger::ledger {
namespace {

using ::std::string_literals::operator""s;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// ---------------------------------------------------------------------------------------------------------
// Helpers

// The committed state most tests simulate against: namespace "cc" with a..e (e at a later version) and
// namespace "other" with one key.
std::shared_ptr<const StateSnapshot> Committed() {
  MemoryState state;
  state.Put("cc", "a", "A", {1, 0});
  state.Put("cc", "b", "B", {1, 1});
  state.Put("cc", "c", "C", {2, 0});
  state.Put("cc", "d", "D", {2, 1});
  state.Put("cc", "e", "E", {3, 4});
  state.Put("other", "a", "other A", {1, 2});
  state.set_height(4);
  return state.Snapshot();
}

::kvrwset::KVRWSet ParseKv(const std::string& text) {
  ::kvrwset::KVRWSet kv;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &kv)) << text;
  return kv;
}

// The namespaces of `results` in output order, each with its parsed KVRWSet.
std::vector<std::pair<std::string, ::kvrwset::KVRWSet>> Namespaces(const SimulationResults& results) {
  std::vector<std::pair<std::string, ::kvrwset::KVRWSet>> out;
  for (const ::rwset::NsReadWriteSet& ns : results.rwset.ns_rwset()) {
    ::kvrwset::KVRWSet kv;
    EXPECT_TRUE(kv.ParseFromString(ns.rwset())) << ns.namespace_();
    out.emplace_back(ns.namespace_(), std::move(kv));
  }
  return out;
}

// Ends `sim` and checks that its one namespace `ns` recorded exactly `expected` (KVRWSet text format).
void ExpectOnlyNamespace(TxSimulator& sim, const std::string& ns, const std::string& expected) {
  auto results = sim.Done();
  ASSERT_TRUE(results.ok()) << results.status();
  auto namespaces = Namespaces(*results);
  ASSERT_EQ(namespaces.size(), 1u);
  EXPECT_EQ(namespaces[0].first, ns);
  ::kvrwset::KVRWSet want = ParseKv(expected);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(namespaces[0].second, want))
      << "got:\n" << namespaces[0].second.DebugString() << "want:\n" << want.DebugString();
}

// Calls Next until the end or `limit` entries; returns the keys seen.
std::vector<std::string> Consume(StateIterator& it, size_t limit = SIZE_MAX) {
  std::vector<std::string> keys;
  while (keys.size() < limit) {
    auto entry = it.Next();
    EXPECT_TRUE(entry.ok()) << entry.status();
    if (!entry.ok() || !entry->has_value()) break;
    keys.push_back((*entry)->key);
  }
  return keys;
}

std::unique_ptr<StateIterator> RangeOrDie(TxSimulator& sim, std::string_view ns, std::string_view start,
                                          std::string_view end) {
  auto it = sim.GetStateRange(ns, start, end);
  EXPECT_TRUE(it.ok()) << it.status();
  return it.ok() ? std::move(*it) : nullptr;
}

// ---------------------------------------------------------------------------------------------------------
// Reads

TEST(TxSimulatorTest, GetStateReturnsTheCommittedValueAndRecordsItsVersion) {
  TxSimulator sim(Committed(), "tx1");
  auto value = sim.GetState("cc", "e");
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(*value, "E");
  ExpectOnlyNamespace(sim, "cc", R"pb(reads { key: "e" version { block_num: 3 tx_num: 4 } })pb");
}

TEST(TxSimulatorTest, GetStateOfAnAbsentKeyRecordsAReadWithoutVersion) {
  TxSimulator sim(Committed(), "tx1");
  auto value = sim.GetState("cc", "zz");
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(*value, std::nullopt);
  ExpectOnlyNamespace(sim, "cc", R"pb(reads { key: "zz" })pb");
  // Absent and "present at version 0:0" must differ on the wire.
}

TEST(TxSimulatorTest, AKeyReadTwiceIsRecordedOnce) {
  TxSimulator sim(Committed(), "tx1");
  ASSERT_TRUE(sim.GetState("cc", "a").ok());
  ASSERT_TRUE(sim.GetState("cc", "a").ok());
  ASSERT_TRUE(sim.GetState("cc", "nope").ok());
  ASSERT_TRUE(sim.GetState("cc", "nope").ok());
  ExpectOnlyNamespace(sim, "cc", R"pb(reads { key: "a" version { block_num: 1 tx_num: 0 } }
                                      reads { key: "nope" })pb");
}

TEST(TxSimulatorTest, ATransactionDoesNotReadItsOwnWrites) {
  TxSimulator sim(Committed(), "tx1");
  ASSERT_TRUE(sim.PutState("cc", "a", "mine").ok());
  ASSERT_TRUE(sim.PutState("cc", "new", "mine").ok());
  ASSERT_TRUE(sim.DelState("cc", "b").ok());
  EXPECT_EQ(*sim.GetState("cc", "a"), "A");
  EXPECT_EQ(*sim.GetState("cc", "new"), std::nullopt);
  EXPECT_EQ(*sim.GetState("cc", "b"), "B");
  auto it = RangeOrDie(sim, "cc", "", "c");
  EXPECT_THAT(Consume(*it), ElementsAre("a", "b"));
  ExpectOnlyNamespace(sim, "cc", R"pb(
    reads { key: "a" version { block_num: 1 tx_num: 0 } }
    reads { key: "b" version { block_num: 1 tx_num: 1 } }
    reads { key: "new" }
    range_queries_info {
      start_key: ""
      end_key: "c"
      itr_exhausted: true
      raw_reads {
        kv_reads { key: "a" version { block_num: 1 tx_num: 0 } }
        kv_reads { key: "b" version { block_num: 1 tx_num: 1 } }
      }
    }
    writes { key: "a" value: "mine" }
    writes { key: "b" is_delete: true }
    writes { key: "new" value: "mine" }
  )pb");
}

TEST(TxSimulatorTest, NamespacesAreSeparate) {
  TxSimulator sim(Committed(), "tx1");
  EXPECT_EQ(*sim.GetState("other", "a"), "other A");
  EXPECT_EQ(*sim.GetState("other", "b"), std::nullopt);
  ExpectOnlyNamespace(sim, "other", R"pb(reads { key: "a" version { block_num: 1 tx_num: 2 } }
                                         reads { key: "b" })pb");
}

// ---------------------------------------------------------------------------------------------------------
// Writes

TEST(TxSimulatorTest, TheLastWriteOfAKeyWins) {
  TxSimulator sim(Committed(), "tx1");
  ASSERT_TRUE(sim.PutState("cc", "a", "1").ok());
  ASSERT_TRUE(sim.PutState("cc", "a", "2").ok());
  ASSERT_TRUE(sim.PutState("cc", "b", "1").ok());
  ASSERT_TRUE(sim.DelState("cc", "b").ok());
  ASSERT_TRUE(sim.DelState("cc", "c").ok());
  ASSERT_TRUE(sim.PutState("cc", "c", "back").ok());
  ExpectOnlyNamespace(sim, "cc", R"pb(writes { key: "a" value: "2" }
                                      writes { key: "b" is_delete: true }
                                      writes { key: "c" value: "back" })pb");
}

TEST(TxSimulatorTest, PutStateOfAnEmptyValueIsRecordedAsADeleteAsFabricDoes) {
  TxSimulator sim(Committed(), "tx1");
  ASSERT_TRUE(sim.PutState("cc", "a", "").ok());
  ExpectOnlyNamespace(sim, "cc", R"pb(writes { key: "a" is_delete: true })pb");
}

TEST(TxSimulatorTest, ValuesAreArbitraryBytes) {
  TxSimulator sim(Committed(), "tx1");
  ASSERT_TRUE(sim.PutState("cc", "a", "\x00\xff\xfe"s).ok());
  auto results = sim.Done();
  ASSERT_TRUE(results.ok()) << results.status();
  EXPECT_EQ(Namespaces(*results)[0].second.writes(0).value(), "\x00\xff\xfe"s);
}

TEST(TxSimulatorTest, CompositeAndMultiByteKeysAreAccepted) {
  TxSimulator sim(Committed(), "tx1");
  const std::string composite = "\x00" "patient\x00" "p1\x00"s;
  EXPECT_TRUE(sim.PutState("cc", composite, "v").ok());
  EXPECT_TRUE(sim.PutState("cc", "h\xc3\xb4pital \xf0\x9f\x8f\xa5", "v").ok());
  EXPECT_TRUE(sim.GetState("cc", composite).ok());
  auto results = sim.Done();
  ASSERT_TRUE(results.ok()) << results.status();
  // Every peer must be able to parse what an endorser produced.
  ::rwset::TxReadWriteSet parsed;
  ASSERT_TRUE(parsed.ParseFromString(results->rwset_bytes));
  EXPECT_EQ(Namespaces(*results)[0].second.writes(0).key(), composite);
}

// ---------------------------------------------------------------------------------------------------------
// Refusals

TEST(TxSimulatorTest, WritesOfTheEmptyKeyAreRefused) {
  TxSimulator sim(Committed(), "tx1");
  absl::Status put = sim.PutState("cc", "", "v");
  EXPECT_EQ(put.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(put.message(), HasSubstr("tx tx1: PutState in namespace \"cc\": the key is empty"));
  absl::Status del = sim.DelState("cc", "");
  EXPECT_EQ(del.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(del.message(), HasSubstr("DelState"));
  auto results = sim.Done();
  ASSERT_TRUE(results.ok());
  EXPECT_THAT(results->rwset.ns_rwset(), IsEmpty());
}

TEST(TxSimulatorTest, TheEmptyKeyMayBeReadAndIsAbsent) {
  TxSimulator sim(Committed(), "tx1");
  auto value = sim.GetState("cc", "");
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(*value, std::nullopt);
  ExpectOnlyNamespace(sim, "cc", R"pb(reads { key: "" })pb");
}

TEST(TxSimulatorTest, KeysThatAreNotUtf8AreRefusedAndNamedInTheMessage) {
  TxSimulator sim(Committed(), "tx1");
  const std::string bad = "p\xff\xfe";
  absl::Status put = sim.PutState("cc", bad, "v");
  EXPECT_EQ(put.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(put.message(), HasSubstr("key \"p\\xff\\xfe\" is not valid UTF-8"));
  EXPECT_EQ(sim.DelState("cc", bad).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(sim.GetState("cc", bad).status().code(), absl::StatusCode::kInvalidArgument);
  // A surrogate and an overlong encoding are not UTF-8 either.
  EXPECT_EQ(sim.PutState("cc", "\xed\xa0\x80", "v").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(sim.PutState("cc", "\xc0\xaf", "v").code(), absl::StatusCode::kInvalidArgument);
  auto start = sim.GetStateRange("cc", bad, "");
  EXPECT_EQ(start.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(start.status().message(), HasSubstr("start key"));
  auto end = sim.GetStateRange("cc", "", bad);
  EXPECT_EQ(end.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(end.status().message(), HasSubstr("end key"));
  auto results = sim.Done();
  ASSERT_TRUE(results.ok());
  EXPECT_THAT(results->rwset.ns_rwset(), IsEmpty());
}

TEST(TxSimulatorTest, EmptyOrNonUtf8NamespacesAreRefused) {
  TxSimulator sim(Committed(), "tx1");
  EXPECT_EQ(sim.GetState("", "a").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(sim.PutState("", "a", "v").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(sim.GetStateRange("", "", "").status().code(), absl::StatusCode::kInvalidArgument);
  absl::Status bad = sim.DelState("c\x80", "a");
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.message(), HasSubstr("namespace is not valid UTF-8"));
}

// ---------------------------------------------------------------------------------------------------------
// Range queries

// What a range records, one row per rule: the range, how many entries the caller takes before it stops
// (kAll: until Next returns nullopt), the keys it gets, and the RangeQueryInfo recorded. The iterator is
// destroyed before Done, so every row also checks that the record outlives it.
constexpr size_t kAll = SIZE_MAX;

struct RangeCase {
  std::string rule;
  std::string start_key;
  std::string end_key;
  size_t taken;
  std::vector<std::string> keys;
  std::string record;  // ::kvrwset::RangeQueryInfo in text format
};

void PrintTo(const RangeCase& c, std::ostream* os) { *os << c.rule; }

const RangeCase kRangeCases[] = {
    {"AnExhaustedRangeRecordsTheRequestedEndKeyAndEveryKeyReturned", "b", "e", kAll, {"b", "c", "d"},
     R"pb(start_key: "b" end_key: "e" itr_exhausted: true
          raw_reads {
            kv_reads { key: "b" version { block_num: 1 tx_num: 1 } }
            kv_reads { key: "c" version { block_num: 2 tx_num: 0 } }
            kv_reads { key: "d" version { block_num: 2 tx_num: 1 } }
          })pb"},
    {"APartiallyConsumedRangeEndsAtTheLastKeyReturned", "a", "", 2, {"a", "b"},
     R"pb(start_key: "a" end_key: "b" itr_exhausted: false
          raw_reads {
            kv_reads { key: "a" version { block_num: 1 tx_num: 0 } }
            kv_reads { key: "b" version { block_num: 1 tx_num: 1 } }
          })pb"},
    {"TakingTheLastEntryIsNotExhaustionUntilNextSaysSo", "d", "", 2, {"d", "e"},
     R"pb(start_key: "d" end_key: "e"
          raw_reads {
            kv_reads { key: "d" version { block_num: 2 tx_num: 1 } }
            kv_reads { key: "e" version { block_num: 3 tx_num: 4 } }
          })pb"},
    {"AnEmptyExhaustedRangeHasNoRawReadsAsInFabric", "x", "z", kAll, {},
     R"pb(start_key: "x" end_key: "z" itr_exhausted: true)pb"},
    {"AnInvertedRangeIsEmptyAndExhausted", "d", "b", kAll, {},
     R"pb(start_key: "d" end_key: "b" itr_exhausted: true)pb"},
    {"AnUnboundedRangeRecordsTheEmptyEndKey", "e", "", kAll, {"e"},
     R"pb(start_key: "e" end_key: "" itr_exhausted: true
          raw_reads { kv_reads { key: "e" version { block_num: 3 tx_num: 4 } } })pb"},
};

class RangeRecordTest : public ::testing::TestWithParam<RangeCase> {};

TEST_P(RangeRecordTest, RecordsWhatTheCallerConsumed) {
  const RangeCase& c = GetParam();
  TxSimulator sim(Committed(), "tx1");
  {
    auto it = RangeOrDie(sim, "cc", c.start_key, c.end_key);
    EXPECT_EQ(Consume(*it, c.taken), c.keys);
  }
  ::kvrwset::RangeQueryInfo record;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(c.record, &record)) << c.record;
  ::kvrwset::KVRWSet expected;
  *expected.add_range_queries_info() = record;
  ExpectOnlyNamespace(sim, "cc", expected.DebugString());
}

INSTANTIATE_TEST_SUITE_P(Rules, RangeRecordTest, ::testing::ValuesIn(kRangeCases),
                         [](const ::testing::TestParamInfo<RangeCase>& info) { return info.param.rule; });

TEST(TxSimulatorTest, ARangeThatWasNeverReadRecordsNothing) {
  TxSimulator sim(Committed(), "tx1");
  auto it = RangeOrDie(sim, "cc", "a", "");
  auto results = sim.Done();
  ASSERT_TRUE(results.ok());
  EXPECT_THAT(results->rwset.ns_rwset(), IsEmpty());
}

TEST(TxSimulatorTest, NextAfterTheEndKeepsReturningNulloptAndRecordsNothingMore) {
  TxSimulator sim(Committed(), "tx1");
  auto it = RangeOrDie(sim, "cc", "e", "");
  EXPECT_THAT(Consume(*it), ElementsAre("e"));
  for (int i = 0; i < 2; ++i) {
    auto entry = it->Next();
    ASSERT_TRUE(entry.ok());
    EXPECT_FALSE(entry->has_value());
  }
  auto results = sim.Done();
  ASSERT_TRUE(results.ok());
  const ::kvrwset::KVRWSet kv = Namespaces(*results)[0].second;
  ASSERT_EQ(kv.range_queries_info_size(), 1);
  EXPECT_TRUE(kv.range_queries_info(0).itr_exhausted());
  EXPECT_EQ(kv.range_queries_info(0).raw_reads().kv_reads_size(), 1);
}

TEST(TxSimulatorTest, RangeQueriesAreRecordedInTheOrderTheyWereOpened) {
  TxSimulator sim(Committed(), "tx1");
  auto late_keys = RangeOrDie(sim, "cc", "d", "");
  auto early_keys = RangeOrDie(sim, "cc", "", "b");
  // Consumed in the opposite order: the record order is the opening order.
  EXPECT_THAT(Consume(*early_keys), ElementsAre("a"));
  EXPECT_THAT(Consume(*late_keys), ElementsAre("d", "e"));
  auto results = sim.Done();
  ASSERT_TRUE(results.ok());
  const ::kvrwset::KVRWSet kv = Namespaces(*results)[0].second;
  ASSERT_EQ(kv.range_queries_info_size(), 2);
  EXPECT_EQ(kv.range_queries_info(0).start_key(), "d");
  EXPECT_EQ(kv.range_queries_info(1).start_key(), "");
}

TEST(TxSimulatorTest, IdenticalRangeRecordsAreKeptOnceAsInFabric) {
  TxSimulator sim(Committed(), "tx1");
  auto first = RangeOrDie(sim, "cc", "a", "c");
  auto second = RangeOrDie(sim, "cc", "a", "c");
  auto partial = RangeOrDie(sim, "cc", "a", "c");
  Consume(*first);
  Consume(*second);
  Consume(*partial, 1);
  auto results = sim.Done();
  ASSERT_TRUE(results.ok());
  const ::kvrwset::KVRWSet kv = Namespaces(*results)[0].second;
  ASSERT_EQ(kv.range_queries_info_size(), 2);
  EXPECT_TRUE(kv.range_queries_info(0).itr_exhausted());
  EXPECT_FALSE(kv.range_queries_info(1).itr_exhausted());
  EXPECT_EQ(kv.range_queries_info(1).end_key(), "a");
}

TEST(TxSimulatorTest, RangesReturnValuesAndVersions) {
  TxSimulator sim(Committed(), "tx1");
  auto it = RangeOrDie(sim, "cc", "e", "");
  auto entry = it->Next();
  ASSERT_TRUE(entry.ok() && entry->has_value());
  EXPECT_EQ(**entry, (StateEntry{"e", {"E", {3, 4}}}));
}

// ---------------------------------------------------------------------------------------------------------
// Isolation and determinism

TEST(TxSimulatorTest, CommitsAfterTheSimulatorWasCreatedAreInvisible) {
  MemoryState state;
  state.Put("cc", "a", "old", {1, 0});
  state.Put("cc", "b", "old", {1, 1});
  state.set_height(2);
  TxSimulator sim(state.Snapshot(), "tx1");

  state.Put("cc", "a", "new", {2, 0});
  state.Delete("cc", "b");
  state.Put("cc", "c", "new", {2, 1});
  state.set_height(3);

  EXPECT_EQ(*sim.GetState("cc", "a"), "old");
  EXPECT_EQ(*sim.GetState("cc", "c"), std::nullopt);
  auto it = RangeOrDie(sim, "cc", "", "");
  EXPECT_THAT(Consume(*it), ElementsAre("a", "b"));
  ExpectOnlyNamespace(sim, "cc", R"pb(
    reads { key: "a" version { block_num: 1 tx_num: 0 } }
    reads { key: "c" }
    range_queries_info {
      start_key: ""
      end_key: ""
      itr_exhausted: true
      raw_reads {
        kv_reads { key: "a" version { block_num: 1 tx_num: 0 } }
        kv_reads { key: "b" version { block_num: 1 tx_num: 1 } }
      }
    }
  )pb");
}

TEST(TxSimulatorTest, NamespacesAreOrderedAndReadsAndWritesSortedByKey) {
  TxSimulator sim(Committed(), "tx1");
  ASSERT_TRUE(sim.PutState("zeta", "\xc3\xa9", "v").ok());
  ASSERT_TRUE(sim.PutState("zeta", "b", "v").ok());
  ASSERT_TRUE(sim.PutState("zeta", "\x00z"s, "v").ok());
  ASSERT_TRUE(sim.GetState("cc", "d").ok());
  ASSERT_TRUE(sim.GetState("cc", "a").ok());
  ASSERT_TRUE(sim.GetState("alpha", "x").ok());
  auto results = sim.Done();
  ASSERT_TRUE(results.ok());
  auto namespaces = Namespaces(*results);
  ASSERT_EQ(namespaces.size(), 3u);
  EXPECT_EQ(namespaces[0].first, "alpha");
  EXPECT_EQ(namespaces[1].first, "cc");
  EXPECT_EQ(namespaces[2].first, "zeta");
  EXPECT_EQ(namespaces[1].second.reads(0).key(), "a");
  EXPECT_EQ(namespaces[1].second.reads(1).key(), "d");
  ASSERT_EQ(namespaces[2].second.writes_size(), 3);
  EXPECT_EQ(namespaces[2].second.writes(0).key(), "\x00z"s);
  EXPECT_EQ(namespaces[2].second.writes(1).key(), "b");
  EXPECT_EQ(namespaces[2].second.writes(2).key(), "\xc3\xa9");
}

TEST(TxSimulatorTest, TwoSimulatorsOfTheSameWorkProduceIdenticalBytes) {
  auto snapshot = Committed();
  TxSimulator one(snapshot, "tx1");
  TxSimulator two(snapshot, "tx1");
  // The same reads, writes and ranges; point operations in another order.
  ASSERT_TRUE(one.GetState("cc", "a").ok());
  ASSERT_TRUE(one.PutState("cc", "x", "1").ok());
  ASSERT_TRUE(one.PutState("other", "y", "2").ok());
  ASSERT_TRUE(one.GetState("other", "zz").ok());
  auto range_one = RangeOrDie(one, "cc", "b", "");
  Consume(*range_one, 2);

  ASSERT_TRUE(two.PutState("other", "y", "2").ok());
  ASSERT_TRUE(two.GetState("other", "zz").ok());
  auto range_two = RangeOrDie(two, "cc", "b", "");
  Consume(*range_two, 2);
  ASSERT_TRUE(two.PutState("cc", "x", "1").ok());
  ASSERT_TRUE(two.GetState("cc", "a").ok());

  auto results_one = one.Done();
  auto results_two = two.Done();
  ASSERT_TRUE(results_one.ok() && results_two.ok());
  EXPECT_FALSE(results_one->rwset_bytes.empty());
  EXPECT_EQ(results_one->rwset_bytes, results_two->rwset_bytes);
}

TEST(TxSimulatorTest, TheBytesHaveFabricsLayout) {
  TxSimulator sim(Committed(), "tx1");
  ASSERT_TRUE(sim.GetState("cc", "zz").ok());
  ASSERT_TRUE(sim.PutState("cc", "zz", "v").ok());
  auto results = sim.Done();
  ASSERT_TRUE(results.ok());
  // TxReadWriteSet{data_model: KV (default, omitted), ns_rwset: [{namespace: "cc", rwset: KVRWSet{
  //   reads: [{key: "zz"}] (no version: absent), writes: [{key: "zz", value: "v"}]}}]}
  EXPECT_EQ(absl::BytesToHexString(results->rwset_bytes), "12150a026363120f" "0a040a027a7a" "1a070a027a7a1a0176");
  EXPECT_EQ(results->rwset.SerializeAsString(), results->rwset_bytes);
}

TEST(TxSimulatorTest, NothingRecordedGivesAnEmptyReadWriteSet) {
  TxSimulator sim(Committed(), "tx1");
  auto results = sim.Done();
  ASSERT_TRUE(results.ok());
  EXPECT_EQ(results->rwset.data_model(), ::rwset::TxReadWriteSet::KV);
  EXPECT_THAT(results->rwset.ns_rwset(), IsEmpty());
  EXPECT_EQ(results->rwset_bytes, "");
}

// ---------------------------------------------------------------------------------------------------------
// Done and errors

TEST(TxSimulatorTest, AfterDoneEveryCallFails) {
  TxSimulator sim(Committed(), "tx1");
  auto it = RangeOrDie(sim, "cc", "", "");
  ASSERT_TRUE(sim.Done().ok());
  auto again = sim.Done();
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(again.status().message(), HasSubstr("tx tx1: Done after the simulation is done"));
  EXPECT_EQ(sim.GetState("cc", "a").status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(sim.PutState("cc", "a", "v").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(sim.DelState("cc", "a").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(sim.GetStateRange("cc", "", "").status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(it->Next().status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(TxSimulatorTest, IteratorsMayOutliveTheirSimulator) {
  std::unique_ptr<StateIterator> it;
  {
    TxSimulator sim(Committed(), "tx1");
    it = RangeOrDie(sim, "cc", "", "");
    ASSERT_TRUE(sim.Done().ok());
  }
  EXPECT_EQ(it->Next().status().code(), absl::StatusCode::kFailedPrecondition);
}

// Answers as `inner`, except that Get of `bad_key` and the second Next of every scan fail with DataLoss.
class FailingSnapshot final : public StateSnapshot {
 public:
  FailingSnapshot(std::shared_ptr<const StateSnapshot> inner, std::string bad_key)
      : inner_(std::move(inner)), bad_key_(std::move(bad_key)) {}

  uint64_t height() const override { return inner_->height(); }

  absl::StatusOr<std::optional<VersionedValue>> Get(std::string_view ns, std::string_view key) const override {
    if (key == bad_key_) return absl::DataLossError("corrupt value");
    return inner_->Get(ns, key);
  }

  absl::StatusOr<std::unique_ptr<StateIterator>> Scan(std::string_view ns, std::string_view start_key,
                                                      std::string_view end_key) const override {
    auto inner = inner_->Scan(ns, start_key, end_key);
    if (!inner.ok()) return inner.status();
    return std::make_unique<FailingIterator>(std::move(*inner));
  }

 private:
  class FailingIterator final : public StateIterator {
   public:
    explicit FailingIterator(std::unique_ptr<StateIterator> inner) : inner_(std::move(inner)) {}
    absl::StatusOr<std::optional<StateEntry>> Next() override {
      if (++calls_ == 2) return absl::DataLossError("corrupt entry");
      return inner_->Next();
    }

   private:
    std::unique_ptr<StateIterator> inner_;
    int calls_ = 0;
  };

  std::shared_ptr<const StateSnapshot> inner_;
  std::string bad_key_;
};

TEST(TxSimulatorTest, AStorageErrorOfGetStatePoisonsTheSimulation) {
  TxSimulator sim(std::make_shared<FailingSnapshot>(Committed(), "b"), "tx1");
  auto read = sim.GetState("cc", "b");
  EXPECT_EQ(read.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(read.status().message(), HasSubstr("tx tx1: GetState in namespace \"cc\" of key \"b\": corrupt"));
  // The chaincode goes on as if nothing happened; the endorser must not sign the result.
  EXPECT_TRUE(sim.GetState("cc", "a").ok());
  EXPECT_TRUE(sim.PutState("cc", "a", "v").ok());
  EXPECT_EQ(sim.Done().status().code(), absl::StatusCode::kDataLoss);
}

TEST(TxSimulatorTest, AStorageErrorOfARangePoisonsTheSimulation) {
  TxSimulator sim(std::make_shared<FailingSnapshot>(Committed(), ""), "tx1");
  auto it = RangeOrDie(sim, "cc", "", "");
  ASSERT_TRUE(it->Next().ok());
  auto failed = it->Next();
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(failed.status().message(), HasSubstr("GetStateRange in namespace \"cc\""));
  EXPECT_EQ(it->Next().status().code(), absl::StatusCode::kDataLoss);  // the iterator stays failed
  EXPECT_EQ(sim.Done().status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace careledger::ledger
