// The ledger's commit throughput and state read latency, on real files with real fsyncs.
//
//   BM_CommitBlock      blocks of 500 endorser transactions, each writing one new key with a 100-byte value:
//                       one iteration commits one block (parse, commit hash, block append + fdatasync, state
//                       batch); reports tx/s and blocks/s.
//   BM_SnapshotGet      one Get of an existing key through a snapshot of a ledger holding 100,000 keys.
//   BM_NewSnapshot      taking (and releasing) a snapshot.
//
// The folder is under $TMPDIR (or /tmp): point TMPDIR at the disk to measure.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "common/strings.h"
#include "peer/ledger/ledger.h"
#include "peer/ledger/testing/test_blocks.h"

namespace careledger::ledger {
namespace {

using ::careledger::ledger::testing::Put;
using ::careledger::ledger::testing::TestBlockBuilder;
using ::careledger::ledger::testing::TestTransaction;
using ::careledger::ledger::testing::TxWriting;

constexpr int kTxPerBlock = 500;
constexpr size_t kValueSize = 100;

// A folder removed when the benchmark ends.
class BenchDir {
 public:
  explicit BenchDir(std::string_view name)
      : path_(std::filesystem::temp_directory_path() / absl::StrCat("careledger-", AsAbsl(name), "-", getpid())) {
    std::filesystem::remove_all(path_);
  }
  ~BenchDir() { std::filesystem::remove_all(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

std::string KeyOf(int64_t n) { return absl::StrCat("patient-", n); }

// `count` blocks of kTxPerBlock transactions, each writing a new key with a kValueSize-byte value.
std::vector<::common::Block> Blocks(int count) {
  TestBlockBuilder builder;
  std::vector<::common::Block> blocks;
  int64_t key = 0;
  for (int n = 0; n < count; ++n) {
    std::vector<TestTransaction> txs;
    txs.reserve(kTxPerBlock);
    for (int i = 0; i < kTxPerBlock; ++i) {
      txs.push_back(TxWriting({Put("records", KeyOf(key), std::string(kValueSize, static_cast<char>('a' + i % 26)))}));
      ++key;
    }
    blocks.push_back(builder.NextBlock(txs));
  }
  return blocks;
}

std::unique_ptr<Ledger> OpenOrDie(const std::string& dir) {
  absl::StatusOr<std::unique_ptr<Ledger>> ledger = Ledger::Open(dir);
  if (!ledger.ok()) {
    std::fprintf(stderr, "cannot open the ledger: %s\n", ledger.status().ToString().c_str());
    std::abort();
  }
  return *std::move(ledger);
}

void BM_CommitBlock(benchmark::State& state) {
  const int blocks_to_commit = static_cast<int>(state.max_iterations);
  const std::vector<::common::Block> blocks = Blocks(blocks_to_commit);
  BenchDir dir("ledger-commit");
  std::unique_ptr<Ledger> ledger = OpenOrDie(dir.path());
  size_t next = 0;
  for (auto _ : state) {
    const absl::Status status = ledger->Commit(blocks[next++]);
    if (!status.ok()) {
      state.SkipWithError(status.ToString().c_str());
      break;
    }
  }
  state.counters["tx/s"] = benchmark::Counter(kTxPerBlock, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["blocks/s"] = benchmark::Counter(1, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_CommitBlock)->Iterations(40)->UseRealTime()->Unit(benchmark::kMillisecond);

// A ledger of 200 blocks (100,000 keys), built once for the read benchmarks.
class ReadFixture {
 public:
  static ReadFixture& Get() {
    static ReadFixture fixture;  // destroyed at exit, which removes its folder
    return fixture;
  }
  Ledger& ledger() { return *ledger_; }
  static constexpr int64_t kKeys = int64_t{200} * kTxPerBlock;

 private:
  ReadFixture() : dir_("ledger-read"), ledger_(OpenOrDie(dir_.path())) {
    for (const ::common::Block& block : Blocks(200)) {
      if (!ledger_->Commit(block).ok()) std::abort();
    }
  }

  BenchDir dir_;
  std::unique_ptr<Ledger> ledger_;
};

void BM_SnapshotGet(benchmark::State& state) {
  Ledger& ledger = ReadFixture::Get().ledger();
  const std::unique_ptr<StateSnapshot> snapshot = ledger.NewSnapshot();
  // A fixed pseudo-random walk over the keys (no clock, no shared generator between threads).
  uint64_t x = 88172645463325252ull + static_cast<uint64_t>(state.thread_index());
  for (auto _ : state) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    absl::StatusOr<std::optional<VersionedValue>> value =
        snapshot->Get("records", KeyOf(static_cast<int64_t>(x % ReadFixture::kKeys)));
    if (!value.ok() || !value->has_value()) {
      state.SkipWithError("a key is missing");
      break;
    }
    benchmark::DoNotOptimize(value);
  }
}
BENCHMARK(BM_SnapshotGet)->Threads(1)->Threads(2)->UseRealTime();

void BM_NewSnapshot(benchmark::State& state) {
  Ledger& ledger = ReadFixture::Get().ledger();
  for (auto _ : state) benchmark::DoNotOptimize(ledger.NewSnapshot());
}
BENCHMARK(BM_NewSnapshot);

}  // namespace
}  // namespace careledger::ledger

BENCHMARK_MAIN();
