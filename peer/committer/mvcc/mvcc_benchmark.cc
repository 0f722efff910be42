// The MVCC check of one block of 500 transactions, each reading one key at its committed version and
// writing it back (the common read-modify-write shape), against an in-memory state of 10,000 keys. Measures
// the check itself: the state view is in memory, so a LevelDB-backed view adds its own Get costs.
#include <cstdint>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "ledger/rwset/kvrwset/kv_rwset.pb.h"
#include "peer/committer/mvcc/mvcc_validator.h"
#include "peer/ledger/state/testing/memory_state.h"

namespace careledger::committer {
namespace {

constexpr uint64_t kHeight = 10;
constexpr int kStateKeys = 10000;

std::string Key(int i) { return "patient-" + std::to_string(i); }

void BM_ValidateBlock(benchmark::State& bench) {
  const int tx_count = static_cast<int>(bench.range(0));
  ledger::MemoryState state;
  for (int i = 0; i < kStateKeys; ++i) state.Put("records", Key(i), std::string(100, 'v'), {1, static_cast<uint64_t>(i)});
  state.set_height(kHeight);
  auto snapshot = state.Snapshot();

  // Transaction t touches key t * 7 mod kStateKeys: distinct keys, spread over the state, so all stay valid.
  std::vector<::kvrwset::KVRWSet> rwsets(static_cast<size_t>(tx_count));
  std::vector<MvccTransaction> txs(static_cast<size_t>(tx_count));
  for (int t = 0; t < tx_count; ++t) {
    const int k = (t * 7) % kStateKeys;
    ::kvrwset::KVRWSet& rwset = rwsets[static_cast<size_t>(t)];
    ::kvrwset::KVRead* read = rwset.add_reads();
    read->set_key(Key(k));
    read->mutable_version()->set_block_num(1);
    read->mutable_version()->set_tx_num(static_cast<uint64_t>(k));
    ::kvrwset::KVWrite* write = rwset.add_writes();
    write->set_key(Key(k));
    write->set_value(std::string(100, 'w'));
    txs[static_cast<size_t>(t)].namespaces.push_back({"records", &rwset});
  }

  for (auto _ : bench) {
    auto outcome = ValidateBlockMvcc(*snapshot, kHeight, txs);
    if (!outcome.ok() || outcome->codes.back() != ::protos::VALID) {
      bench.SkipWithError("unexpected MVCC outcome");
      break;
    }
    benchmark::DoNotOptimize(outcome);
  }
  bench.SetItemsProcessed(bench.iterations() * tx_count);
}
BENCHMARK(BM_ValidateBlock)->Arg(500)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace careledger::committer

BENCHMARK_MAIN();
