#include "peer/committer/mvcc/mvcc_validator.h"

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "ledger/rwset/kvrwset/kv_rwset.pb.h"
#include "peer/ledger/state/testing/memory_state.h"
#include "peer/ledger/txsim/tx_simulator.h"

namespace careledger::committer {
namespace {

using ::protos::ENDORSEMENT_POLICY_FAILURE;
using ::protos::MVCC_READ_CONFLICT;
using ::protos::PHANTOM_READ_CONFLICT;
using ::protos::VALID;
using ::std::string_literals::operator""s;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// ---------------------------------------------------------------------------------------------------------
// Helpers

// The committed state of most tests, at height 3: namespace "cc" holds a, b, c and e.
constexpr uint64_t kBlock = 3;

ledger::MemoryState& Committed(ledger::MemoryState& state) {
  state.Put("cc", "a", "A", {1, 0});
  state.Put("cc", "b", "B", {1, 1});
  state.Put("cc", "c", "C", {2, 0});
  state.Put("cc", "e", "E", {2, 3});
  state.set_height(kBlock);
  return state;
}

// A block under construction: owns the parsed read-write sets its MvccTransactions point into.
class Block {
 public:
  // Appends a transaction with one KVRWSet (text format) per namespace.
  Block& AddInNamespaces(std::vector<std::pair<std::string, std::string>> namespaces,
                         ::protos::TxValidationCode code = VALID) {
    MvccTransaction& tx = txs_.emplace_back();
    tx.code = code;
    for (auto& [ns, text] : namespaces) {
      const std::string& name = names_.emplace_back(std::move(ns));
      ::kvrwset::KVRWSet& rwset = sets_.emplace_back();
      EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &rwset)) << text;
      tx.namespaces.push_back({name, &rwset});
    }
    return *this;
  }
  // Appends a transaction of namespace "cc" only.
  Block& Add(std::string text, ::protos::TxValidationCode code = VALID) {
    return AddInNamespaces({{"cc", std::move(text)}}, code);
  }

  // The codes the MVCC check gives the block against `state` (which must be at height kBlock).
  std::vector<::protos::TxValidationCode> Codes(const ledger::MemoryState& state) const {
    auto outcome = Validate(state);
    EXPECT_TRUE(outcome.ok()) << outcome.status();
    return outcome.ok() ? outcome->codes : std::vector<::protos::TxValidationCode>{};
  }

  absl::StatusOr<MvccOutcome> Validate(const ledger::MemoryState& state) const {
    return ValidateBlockMvcc(*state.Snapshot(), kBlock, txs_);
  }

  std::vector<MvccTransaction>& txs() { return txs_; }

 private:
  std::deque<std::string> names_;
  std::deque<::kvrwset::KVRWSet> sets_;
  std::vector<MvccTransaction> txs_;
};

// ---------------------------------------------------------------------------------------------------------
// The rules of mvcc_validator.h, one row each: a block's transactions (KVRWSets in text format, against the
// committed "cc": a@1:0, b@1:1, c@2:0, e@2:3) and the codes the check must give them.

struct TxCase {
  std::vector<std::pair<std::string, std::string>> namespaces;  // (namespace, KVRWSet text)
  ::protos::TxValidationCode code = VALID;                       // as the earlier stages left it
};

// A transaction of namespace "cc" only.
TxCase Cc(std::string text, ::protos::TxValidationCode code = VALID) { return {{{"cc", std::move(text)}}, code}; }

struct RuleCase {
  std::string rule;
  std::vector<TxCase> txs;
  std::vector<::protos::TxValidationCode> codes;
  std::map<std::string, ledger::Version> also_committed = {};  // more keys of "cc", committed after simulation
};

void PrintTo(const RuleCase& c, std::ostream* os) { *os << c.rule; }

// The record of an exhausted query of [b, e) that saw b and c.
const char kRangeBToE[] = R"pb(
  range_queries_info {
    start_key: "b"
    end_key: "e"
    itr_exhausted: true
    raw_reads {
      kv_reads { key: "b" version { block_num: 1 tx_num: 1 } }
      kv_reads { key: "c" version { block_num: 2 tx_num: 0 } }
    }
  }
)pb";

// The record of a query from b that the caller stopped after b and c.
const char kPartialFromB[] = R"pb(
  range_queries_info {
    start_key: "b"
    end_key: "c"
    itr_exhausted: false
    raw_reads {
      kv_reads { key: "b" version { block_num: 1 tx_num: 1 } }
      kv_reads { key: "c" version { block_num: 2 tx_num: 0 } }
    }
  }
)pb";

// An exhausted query of [ca, d): nothing there.
const char kEmptyRange[] = R"pb(range_queries_info { start_key: "ca" end_key: "d" itr_exhausted: true })pb";

// An exhausted query from e with no upper bound that saw e.
const char kTailFromE[] = R"pb(range_queries_info {
                                 start_key: "e"
                                 end_key: ""
                                 itr_exhausted: true
                                 raw_reads { kv_reads { key: "e" version { block_num: 2 tx_num: 3 } } }
                               })pb";

const RuleCase kRules[] = {
    // Reads.
    {"ReadOfTheCommittedVersionIsValid", {Cc(R"pb(reads { key: "c" version { block_num: 2 tx_num: 0 } })pb")}, {VALID}},
    {"StaleReadIsAnMvccReadConflict",
     {Cc(R"pb(reads { key: "c" version { block_num: 1 tx_num: 7 } })pb"),
      Cc(R"pb(reads { key: "c" version { block_num: 2 tx_num: 1 } })pb")},
     {MVCC_READ_CONFLICT, MVCC_READ_CONFLICT}},
    {"ReadOfAnAbsentKeyThatNowExistsIsAConflict", {Cc(R"pb(reads { key: "b" })pb")}, {MVCC_READ_CONFLICT}},
    // Present at version 0:0 is still present: it differs from absent.
    {"ReadOfAKeyThatIsNowAbsentIsAConflict",
     {Cc(R"pb(reads { key: "d" version { block_num: 1 tx_num: 0 } })pb"), Cc(R"pb(reads { key: "d" version {} })pb")},
     {MVCC_READ_CONFLICT, MVCC_READ_CONFLICT}},
    {"ReadOfAnAbsentKeyThatIsStillAbsentIsValid", {Cc(R"pb(reads { key: "d" })pb")}, {VALID}},
    // The second read matched the committed version, but a valid transaction before it changed the key.
    {"ReadOfAKeyWrittenEarlierInTheBlockIsAConflict",
     {Cc(R"pb(writes { key: "a" value: "new" })pb"), Cc(R"pb(reads { key: "a" version { block_num: 1 tx_num: 0 } })pb")},
     {VALID, MVCC_READ_CONFLICT}},
    // Deleting an absent key is still a write: a reader of "absent" conflicts with it too.
    {"ReadOfAKeyDeletedEarlierInTheBlockIsAConflict",
     {Cc(R"pb(writes { key: "a" is_delete: true })pb"), Cc(R"pb(reads { key: "a" version { block_num: 1 tx_num: 0 } })pb"),
      Cc(R"pb(writes { key: "d" is_delete: true })pb"), Cc(R"pb(reads { key: "d" })pb")},
     {VALID, MVCC_READ_CONFLICT, VALID, MVCC_READ_CONFLICT}},
    {"AKeyOfAnotherNamespaceIsAnotherKey",
     {{{{"other", R"pb(writes { key: "a" value: "x" })pb"}}},
      Cc(R"pb(reads { key: "a" version { block_num: 1 tx_num: 0 } })pb"),
      {{{"other", R"pb(reads { key: "a" })pb"}}}},
     {VALID, VALID, MVCC_READ_CONFLICT}},

    // Which transactions count.
    {"AlreadyInvalidTransactionsAreNeitherCheckedNorContributeWrites",
     {Cc(R"pb(reads { key: "a" version { block_num: 9 tx_num: 9 } } writes { key: "b" value: "x" })pb",
         ENDORSEMENT_POLICY_FAILURE),
      Cc(R"pb(reads { key: "b" version { block_num: 1 tx_num: 1 } })pb")},
     {ENDORSEMENT_POLICY_FAILURE, VALID}},
    {"TheWritesOfAConflictingTransactionAreDropped",
     {Cc(R"pb(reads { key: "a" version { block_num: 0 tx_num: 1 } } writes { key: "b" value: "x" })pb"),
      Cc(R"pb(reads { key: "b" version { block_num: 1 tx_num: 1 } })pb")},
     {MVCC_READ_CONFLICT, VALID}},
    {"TransactionsWithoutReadWriteSetsStayValid", {{}, Cc("")}, {VALID, VALID}},
    // Namespace order first; within a namespace, reads before range queries.
    {"TheFirstFailureInNamespaceOrderDecidesTheCode",
     {{{{"cc", R"pb(range_queries_info { start_key: "a" end_key: "b" itr_exhausted: true })pb"},
        {"dd", R"pb(reads { key: "x" version {} })pb"}}},
      {{{"dd", R"pb(reads { key: "x" version {} })pb"},
        {"cc", R"pb(range_queries_info { start_key: "a" end_key: "b" itr_exhausted: true })pb"}}},
      Cc(R"pb(reads { key: "a" version {} }
              range_queries_info { start_key: "a" end_key: "b" itr_exhausted: true })pb")},
     {PHANTOM_READ_CONFLICT, MVCC_READ_CONFLICT, MVCC_READ_CONFLICT}},

    // Range queries.
    {"AnUnchangedRangeIsValid", {Cc(kRangeBToE)}, {VALID}},
    {"AKeyInsertedInsideTheRangeEarlierInTheBlockIsAPhantom",
     {Cc(R"pb(writes { key: "bb" value: "x" })pb"), Cc(kRangeBToE)},
     {VALID, PHANTOM_READ_CONFLICT}},
    {"AKeyDeletedInsideTheRangeEarlierInTheBlockIsAPhantom",
     {Cc(R"pb(writes { key: "c" is_delete: true })pb"), Cc(kRangeBToE)},
     {VALID, PHANTOM_READ_CONFLICT}},
    {"AKeyUpdatedInsideTheRangeEarlierInTheBlockIsAPhantom",
     {Cc(R"pb(writes { key: "b" value: "new" })pb"), Cc(kRangeBToE)},
     {VALID, PHANTOM_READ_CONFLICT}},
    // Before the start, at the (excluded) end key and after it; deletes of absent keys inside it.
    {"WritesOutsideTheRangeAreNotPhantoms",
     {Cc(R"pb(writes { key: "a" value: "x" }
              writes { key: "e" value: "x" }
              writes { key: "f" value: "x" }
              writes { key: "bb" is_delete: true }
              writes { key: "d" is_delete: true })pb"),
      Cc(kRangeBToE)},
     {VALID, VALID}},
    {"ACommittedChangeSinceSimulationIsAPhantom", {Cc(kRangeBToE)}, {PHANTOM_READ_CONFLICT}, {{"d", {2, 5}}}},
    {"APartialRangeIgnoresChangesAfterItsLastKey",
     {Cc(R"pb(writes { key: "c\000" value: "x" } writes { key: "d" value: "x" } writes { key: "e" is_delete: true })pb"),
      Cc(kPartialFromB)},
     {VALID, VALID}},
    {"APartialRangeIncludesItsLastKey",
     {Cc(R"pb(writes { key: "c" value: "new" })pb"), Cc(kPartialFromB)},
     {VALID, PHANTOM_READ_CONFLICT}},
    {"APartialRangeSeesItsLastKeyDeleted",
     {Cc(R"pb(writes { key: "c" is_delete: true })pb"), Cc(kPartialFromB)},
     {VALID, PHANTOM_READ_CONFLICT}},
    {"APartialRangeSeesInsertsBeforeItsLastKey",
     {Cc(R"pb(writes { key: "bb" value: "x" })pb"), Cc(kPartialFromB)},
     {VALID, PHANTOM_READ_CONFLICT}},
    {"AnEmptyRangeIsAPhantomOnceAKeyAppearsInIt",
     {Cc(kEmptyRange), Cc(R"pb(writes { key: "cb" value: "x" })pb"), Cc(kEmptyRange)},
     {VALID, VALID, PHANTOM_READ_CONFLICT}},
    {"AnUnboundedRangeSeesKeysAppendedAtTheEnd",
     {Cc(kTailFromE), Cc(R"pb(writes { key: "z" value: "x" })pb"), Cc(kTailFromE)},
     {VALID, VALID, PHANTOM_READ_CONFLICT}},
    {"AMerkleSummaryIsAPhantomBecauseCareLedgerNeverRecordsOne",
     {Cc(R"pb(range_queries_info {
                start_key: "a"
                end_key: "z"
                itr_exhausted: true
                reads_merkle_hashes { max_degree: 50 max_level: 1 max_level_hashes: "h" }
              })pb")},
     {PHANTOM_READ_CONFLICT}},
    {"ARangeReadWithoutVersionIsAPhantom",
     {Cc(R"pb(range_queries_info {
                start_key: "a"
                end_key: "b"
                itr_exhausted: true
                raw_reads { kv_reads { key: "a" } }
              })pb")},
     {PHANTOM_READ_CONFLICT}},
    // Fabric's simulator writes such a record for an iterator never read; CareLedger's records nothing then.
    {"ANonExhaustedRecordWithAnEmptyEndKeyCoversEverythingAfterItsStartAsInFabric",
     {Cc(R"pb(range_queries_info { start_key: "d" end_key: "" itr_exhausted: false })pb"),
      Cc(R"pb(range_queries_info { start_key: "f" end_key: "" itr_exhausted: false })pb")},
     {PHANTOM_READ_CONFLICT, VALID}},
};

class MvccRuleTest : public ::testing::TestWithParam<RuleCase> {};

TEST_P(MvccRuleTest, GivesTheCodesOfTheRule) {
  const RuleCase& c = GetParam();
  ledger::MemoryState state;
  Committed(state);
  for (const auto& [key, version] : c.also_committed) state.Put("cc", key, "later", version);
  Block block;
  for (const TxCase& tx : c.txs) block.AddInNamespaces(tx.namespaces, tx.code);
  EXPECT_EQ(block.Codes(state), c.codes);
}

INSTANTIATE_TEST_SUITE_P(Rules, MvccRuleTest, ::testing::ValuesIn(kRules),
                         [](const ::testing::TestParamInfo<RuleCase>& info) { return info.param.rule; });

TEST(MvccBlockTest, ValidWritesBecomeTheUpdatesAtTheirTransactionsVersion) {
  ledger::MemoryState state;
  Committed(state);
  Block block;
  block.Add(R"pb(writes { key: "a" value: "1" } writes { key: "b" value: "1" } writes { key: "z" value: "1" })pb");
  block.Add(R"pb(writes { key: "x" value: "lost" })pb", ENDORSEMENT_POLICY_FAILURE);
  block.Add(R"pb(writes { key: "a" value: "2" } writes { key: "b" is_delete: true value: "ignored" })pb");
  // An empty value is a delete, as in Fabric; the last write of a key in one transaction wins.
  block.AddInNamespaces({{"cc", R"pb(writes { key: "z" value: "" })pb"},
             {"other", R"pb(writes { key: "k" value: "v1" } writes { key: "k" value: "v2" })pb"}});
  auto outcome = block.Validate(state);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_THAT(outcome->codes, ElementsAre(VALID, ENDORSEMENT_POLICY_FAILURE, VALID, VALID));
  const StateUpdates expected = {
      {"cc",
       {{"a", {"2", {kBlock, 2}}}, {"b", {std::nullopt, {kBlock, 2}}}, {"z", {std::nullopt, {kBlock, 3}}}}},
      {"other", {{"k", {"v2", {kBlock, 3}}}}},
  };
  EXPECT_EQ(outcome->updates, expected);
}

// ---------------------------------------------------------------------------------------------------------
// Errors

TEST(MvccErrorTest, AStateViewAtAnotherHeightIsRefused) {
  ledger::MemoryState state;
  Committed(state);
  state.set_height(kBlock + 1);
  Block block;
  block.Add(R"pb(reads { key: "a" })pb");
  auto outcome = block.Validate(state);
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(outcome.status().message(), HasSubstr("block 3 needs the state at height 3, got height 4"));
}

TEST(MvccErrorTest, ANamespaceWithoutItsReadWriteSetIsRefused) {
  ledger::MemoryState state;
  Committed(state);
  Block block;
  block.Add(R"pb()pb");
  block.txs().push_back(MvccTransaction{VALID, {{"cc", nullptr}}});
  auto outcome = block.Validate(state);
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(outcome.status().message(), HasSubstr("transaction 1 lists namespace \"cc\" without its read-write"));
}

// Answers as `inner`, except that Get of "c" and every scan's first Next fail with DataLoss.
class FailingSnapshot final : public ledger::StateSnapshot {
 public:
  explicit FailingSnapshot(std::unique_ptr<ledger::StateSnapshot> inner) : inner_(std::move(inner)) {}
  uint64_t height() const override { return inner_->height(); }
  absl::StatusOr<std::optional<ledger::VersionedValue>> Get(std::string_view ns,
                                                            std::string_view key) const override {
    if (key == "c") return absl::DataLossError("corrupt value");
    return inner_->Get(ns, key);
  }
  absl::StatusOr<std::unique_ptr<ledger::StateIterator>> Scan(std::string_view, std::string_view,
                                                              std::string_view) const override {
    return std::make_unique<Failing>();
  }

 private:
  struct Failing final : ledger::StateIterator {
    absl::StatusOr<std::optional<ledger::StateEntry>> Next() override { return absl::DataLossError("corrupt entry"); }
  };
  std::unique_ptr<ledger::StateSnapshot> inner_;
};

TEST(MvccErrorTest, StorageErrorsAreErrorsNotInvalidTransactions) {
  ledger::MemoryState state;
  Committed(state);
  FailingSnapshot failing(state.Snapshot());
  Block reads;
  reads.Add(R"pb(reads { key: "a" version { block_num: 1 tx_num: 0 } })pb").Add(R"pb(reads { key: "c" })pb");
  auto read_outcome = ValidateBlockMvcc(failing, kBlock, reads.txs());
  EXPECT_EQ(read_outcome.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(read_outcome.status().message(),
              HasSubstr("block 3, transaction 1: reading key \"c\" of namespace \"cc\": corrupt value"));
  Block ranges;
  ranges.Add(kRangeBToE);
  auto range_outcome = ValidateBlockMvcc(failing, kBlock, ranges.txs());
  EXPECT_EQ(range_outcome.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(range_outcome.status().message(), HasSubstr("re-running range query from \"b\" to \"e\""));
}

// ---------------------------------------------------------------------------------------------------------
// With the simulator: what one endorser records, the committer judges.

TEST(MvccWithSimulatorTest, TwoReadModifyWritesOfOneKeyCommitOnlyTheFirst) {
  ledger::MemoryState state;
  Committed(state);
  std::shared_ptr<const ledger::StateSnapshot> snapshot = state.Snapshot();
  std::vector<std::string> rwsets;
  for (const char* tx_id : {"tx0", "tx1"}) {
    ledger::TxSimulator sim(snapshot, tx_id);
    auto balance = sim.GetState("cc", "a");
    ASSERT_TRUE(balance.ok());
    ASSERT_TRUE(sim.PutState("cc", "a", **balance + "+1").ok());
    auto range = sim.GetStateRange("cc", "b", "");
    ASSERT_TRUE(range.ok());
    ASSERT_TRUE((*range)->Next().ok());  // reads b, then stops
    auto results = sim.Done();
    ASSERT_TRUE(results.ok());
    rwsets.push_back(results->rwset.ns_rwset(0).rwset());
  }
  std::deque<::kvrwset::KVRWSet> parsed(2);
  std::vector<MvccTransaction> txs(2);
  for (size_t i = 0; i < 2; ++i) {
    ASSERT_TRUE(parsed[i].ParseFromString(rwsets[i]));
    txs[i].namespaces.push_back({"cc", &parsed[i]});
  }
  auto outcome = ValidateBlockMvcc(*snapshot, kBlock, txs);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_THAT(outcome->codes, ElementsAre(VALID, MVCC_READ_CONFLICT));
  EXPECT_EQ(outcome->updates.at("cc").at("a"), (KeyUpdate{"A+1", {kBlock, 0}}));
}

// ---------------------------------------------------------------------------------------------------------
// Property: ValidateBlockMvcc agrees with a straightforward reference on many random blocks.

using Materialized = std::map<std::string, std::map<std::string, ledger::Version>>;  // ns -> key -> version

bool SameVersion(const ::kvrwset::KVRead& read, std::optional<ledger::Version> now) {
  if (!read.has_version() || !now.has_value()) return !read.has_version() && !now.has_value();
  return *now == ledger::Version{read.version().block_num(), read.version().tx_num()};
}

// The reference: materializes "committed + earlier valid writes" as a whole map and lists each range from it.
MvccOutcome ReferenceMvcc(const Materialized& committed, uint64_t block_num, const std::vector<MvccTransaction>& txs) {
  MvccOutcome out;
  Materialized current = committed;
  std::map<std::pair<std::string, std::string>, bool> written;
  for (size_t i = 0; i < txs.size(); ++i) {
    const MvccTransaction& tx = txs[i];
    ::protos::TxValidationCode code = tx.code;
    for (size_t n = 0; code == VALID && n < tx.namespaces.size(); ++n) {
      const std::string ns(tx.namespaces[n].ns);
      const ::kvrwset::KVRWSet& rwset = *tx.namespaces[n].rwset;
      for (const auto& read : rwset.reads()) {
        std::optional<ledger::Version> now;
        if (committed.contains(ns) && committed.at(ns).contains(read.key())) now = committed.at(ns).at(read.key());
        if (written.contains({ns, read.key()}) || !SameVersion(read, now)) code = MVCC_READ_CONFLICT;
        if (code != VALID) break;
      }
      if (code != VALID) break;
      for (const auto& query : rwset.range_queries_info()) {
        std::vector<std::pair<std::string, ledger::Version>> now;
        for (const auto& [key, version] : current[ns]) {
          if (key >= query.start_key() && (query.end_key().empty() || key < query.end_key())) {
            now.emplace_back(key, version);
          }
        }
        if (!query.itr_exhausted() && current[ns].contains(query.end_key())) {
          now.emplace_back(query.end_key(), current[ns].at(query.end_key()));
        }
        bool same = query.has_raw_reads() || !query.has_reads_merkle_hashes();
        same = same && static_cast<size_t>(query.raw_reads().kv_reads_size()) == now.size();
        for (size_t r = 0; same && r < now.size(); ++r) {
          const auto& read = query.raw_reads().kv_reads(static_cast<int>(r));
          same = read.key() == now[r].first && SameVersion(read, now[r].second);
        }
        if (!same) {
          code = PHANTOM_READ_CONFLICT;
          break;
        }
      }
    }
    out.codes.push_back(code);
    if (code != VALID) continue;
    for (const NamespaceReadWriteSet& space : tx.namespaces) {
      const std::string ns(space.ns);
      for (const auto& write : space.rwset->writes()) {
        const ledger::Version version{block_num, i};
        written[{ns, write.key()}] = true;
        const bool deleted = write.is_delete() || write.value().empty();
        out.updates[ns][write.key()] = KeyUpdate{deleted ? std::nullopt : std::optional(write.value()), version};
        if (deleted) {
          current[ns].erase(write.key());
        } else {
          current[ns][write.key()] = version;
        }
      }
    }
  }
  return out;
}

class RandomBlocks {
 public:
  explicit RandomBlocks(uint32_t seed) : rng_(seed) {}

  size_t Below(size_t n) { return static_cast<size_t>(rng_() % n); }
  bool OneIn(size_t n) { return Below(n) == 0; }

  std::string Key() {
    static const std::string kKeys[] = {"a", "b", "b\x00"s, "c", "d", "e", "f", "g", "h", "\xc3\xa9", "\xff"};
    return kKeys[Below(std::size(kKeys))];
  }
  std::string Namespace() { return OneIn(3) ? "dd" : "cc"; }
  ledger::Version Version() { return {Below(3), Below(3)}; }

  Materialized State() {
    Materialized state;
    for (int i = 0; i < 12; ++i) state[Namespace()][Key()] = Version();
    return state;
  }

  // A read-write set of `ns` mostly simulated against `committed`, sometimes wrong on purpose.
  void FillRwSet(const Materialized& committed, const std::string& ns, ::kvrwset::KVRWSet& rwset) {
    const std::map<std::string, ledger::Version> empty;
    const auto& keys = committed.contains(ns) ? committed.at(ns) : empty;
    for (size_t r = Below(3); r > 0; --r) {
      ::kvrwset::KVRead* read = rwset.add_reads();
      read->set_key(Key());
      auto it = keys.find(read->key());
      std::optional<ledger::Version> version;
      if (it != keys.end()) version = it->second;
      if (OneIn(4)) version = OneIn(2) ? std::nullopt : std::optional(Version());
      if (version.has_value()) {
        read->mutable_version()->set_block_num(version->block_num);
        read->mutable_version()->set_tx_num(version->tx_num);
      }
    }
    for (size_t q = Below(3); q > 0; --q) {
      ::kvrwset::RangeQueryInfo* query = rwset.add_range_queries_info();
      query->set_start_key(OneIn(4) ? "" : Key());
      const std::string end = OneIn(4) ? "" : Key();
      std::vector<std::pair<std::string, ledger::Version>> seen;
      for (auto it = keys.lower_bound(query->start_key()); it != keys.end() && (end.empty() || it->first < end); ++it) {
        seen.emplace_back(it->first, it->second);
      }
      const size_t taken = Below(seen.size() + 2);
      if (taken > seen.size()) {
        query->set_end_key(end);
        query->set_itr_exhausted(true);
      } else {
        seen.resize(taken);
        query->set_end_key(seen.empty() ? "" : seen.back().first);
      }
      if (OneIn(6) && !seen.empty()) seen.erase(seen.begin() + static_cast<long>(Below(seen.size())));
      if (OneIn(6) && !seen.empty()) seen[Below(seen.size())].second = Version();
      for (const auto& [key, version] : seen) {
        ::kvrwset::KVRead* read = query->mutable_raw_reads()->add_kv_reads();
        read->set_key(key);
        read->mutable_version()->set_block_num(version.block_num);
        read->mutable_version()->set_tx_num(version.tx_num);
      }
      if (OneIn(20)) query->mutable_reads_merkle_hashes()->set_max_degree(50);
    }
    for (size_t w = Below(4); w > 0; --w) {
      ::kvrwset::KVWrite* write = rwset.add_writes();
      write->set_key(Key());
      if (OneIn(4)) {
        write->set_is_delete(true);
      } else if (!OneIn(8)) {
        write->set_value("v" + std::to_string(Below(100)));
      }
    }
  }

 private:
  std::mt19937 rng_;
};

TEST(MvccPropertyTest, AgreesWithAStraightforwardReferenceOnRandomBlocks) {
  RandomBlocks random(20240601);
  std::map<::protos::TxValidationCode, int> seen_codes;
  for (int round = 0; round < 1500; ++round) {
    const Materialized committed = random.State();
    ledger::MemoryState state;
    for (const auto& [ns, keys] : committed) {
      for (const auto& [key, version] : keys) state.Put(ns, key, "value of " + key, version);
    }
    state.set_height(kBlock);

    std::deque<std::string> names;
    std::deque<::kvrwset::KVRWSet> sets;
    std::vector<MvccTransaction> txs(1 + random.Below(10));
    for (MvccTransaction& tx : txs) {
      tx.code = random.OneIn(8) ? ENDORSEMENT_POLICY_FAILURE : VALID;
      for (size_t n = 1 + random.Below(2); n > 0; --n) {
        const std::string& ns = names.emplace_back(random.Namespace());
        random.FillRwSet(committed, ns, sets.emplace_back());
        tx.namespaces.push_back({ns, &sets.back()});
      }
    }

    auto outcome = ValidateBlockMvcc(*state.Snapshot(), kBlock, txs);
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    const MvccOutcome expected = ReferenceMvcc(committed, kBlock, txs);
    ASSERT_EQ(outcome->codes, expected.codes) << "round " << round;
    ASSERT_EQ(outcome->updates, expected.updates) << "round " << round;
    for (auto code : outcome->codes) ++seen_codes[code];
  }
  // The generator must exercise every outcome, or the agreement means little.
  EXPECT_GT(seen_codes[VALID], 1000);
  EXPECT_GT(seen_codes[MVCC_READ_CONFLICT], 1000);
  EXPECT_GT(seen_codes[PHANTOM_READ_CONFLICT], 500);
  EXPECT_GT(seen_codes[ENDORSEMENT_POLICY_FAILURE], 500);
}

}  // namespace
}  // namespace careledger::committer
