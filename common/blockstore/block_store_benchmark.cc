// Block store throughput with orderer-sized blocks: 500 envelopes of ~1 KiB (~0.5 MB a block).
//
//   BM_Append/tx_index:0           one Append per block: one fdatasync per block (the orderer today)
//   BM_AppendBatch8/tx_index:0     AppendBatch of 8 blocks: one fdatasync per 8 blocks (group commit)
//   .../tx_index:1                 the same with the transaction ID index (the peer)
//   BM_GetBlockBytes               reading blocks back as Deliver does (page cache warm)
//
// items_per_second is blocks/s, bytes_per_second the block bytes, envelopes/s the transactions. The store
// lives in $TMPDIR (default /tmp): run it on the disk the ledger will use, since fdatasync dominates.
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "common/blockstore/block_store.h"
#include "common/blockstore/test_chain.h"
#include "common/protoutil/block_hash.h"

namespace careledger::blockstore {
namespace {

constexpr int kEnvelopesPerBlock = 500;
constexpr size_t kEnvelopeSize = 1024;

// A fresh store folder, removed afterwards.
class BenchmarkDir {
 public:
  BenchmarkDir()
      : path_(std::filesystem::temp_directory_path() /
              ("blockstore_benchmark." + std::to_string(::getpid()) + "." + std::to_string(counter_++))) {
    std::filesystem::remove_all(path_);
  }
  ~BenchmarkDir() { std::filesystem::remove_all(path_); }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

// One block's worth of distinct envelopes, built once: every appended block carries this data (so the data
// hash is computed once too) under its own header.
const ::common::Block& TemplateBlock() {
  static const ::common::Block block = [] {
    ChainBuilder chain;
    return chain.Next(kEnvelopesPerBlock, kEnvelopeSize);
  }();
  return block;
}

// Rewrites the headers of `blocks` so that they extend the store's chain.
void ChainOnto(const BlockStore& store, std::vector<::common::Block>& blocks) {
  uint64_t number = store.Height();
  std::string previous_hash = store.Info().currentblockhash();
  for (::common::Block& block : blocks) {
    ::common::BlockHeader* header = block.mutable_header();
    header->set_number(number++);
    header->set_previous_hash(previous_hash);
    previous_hash = protoutil::BlockHeaderHash(*header);
  }
}

void Report(benchmark::State& state, int blocks_per_iteration) {
  const int64_t blocks = state.iterations() * blocks_per_iteration;
  state.SetItemsProcessed(blocks);
  state.SetBytesProcessed(blocks * static_cast<int64_t>(TemplateBlock().ByteSizeLong()));
  state.counters["envelopes/s"] =
      benchmark::Counter(static_cast<double>(blocks * kEnvelopesPerBlock), benchmark::Counter::kIsRate);
}

void RunAppend(benchmark::State& state, int batch_size) {
  BenchmarkDir dir;
  Options options;
  options.index_transactions = state.range(0) != 0;
  auto store = BlockStore::Open(dir.path(), options);
  if (!store.ok()) {
    state.SkipWithError(std::string(store.status().message()).c_str());
    return;
  }
  std::vector<::common::Block> blocks(static_cast<size_t>(batch_size), TemplateBlock());
  for (auto _ : state) {
    ChainOnto(**store, blocks);
    const absl::Status status = batch_size == 1 ? (*store)->Append(blocks[0]) : (*store)->AppendBatch(blocks);
    if (!status.ok()) {
      state.SkipWithError(std::string(status.message()).c_str());
      break;
    }
  }
  Report(state, batch_size);
}

void BM_Append(benchmark::State& state) { RunAppend(state, 1); }
BENCHMARK(BM_Append)->ArgName("tx_index")->Arg(0)->Arg(1)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_AppendBatch8(benchmark::State& state) { RunAppend(state, 8); }
BENCHMARK(BM_AppendBatch8)->ArgName("tx_index")->Arg(0)->Arg(1)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_GetBlockBytes(benchmark::State& state) {
  BenchmarkDir dir;
  auto store = BlockStore::Open(dir.path());
  if (!store.ok()) {
    state.SkipWithError(std::string(store.status().message()).c_str());
    return;
  }
  constexpr int kBlocks = 64;
  std::vector<::common::Block> blocks(kBlocks, TemplateBlock());
  ChainOnto(**store, blocks);
  if (!(*store)->AppendBatch(blocks).ok()) {
    state.SkipWithError("append failed");
    return;
  }
  uint64_t next = 0;
  for (auto _ : state) {
    absl::StatusOr<std::string> bytes = (*store)->GetBlockBytes(next++ % kBlocks);
    if (!bytes.ok()) {
      state.SkipWithError(std::string(bytes.status().message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(bytes->data());
  }
  Report(state, 1);
}
BENCHMARK(BM_GetBlockBytes)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace careledger::blockstore

BENCHMARK_MAIN();
