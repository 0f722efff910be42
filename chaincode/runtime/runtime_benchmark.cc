// Invocations per second of the bench chaincode's `put` through the Runtime with the in-memory ledger: the
// runtime's own cost per call (the C ABI, the worker hand-off, copying the context, building the response),
// for the built-in and for the same code loaded from libbench_chaincode.so.
//
//   chaincode_benchmark --benchmark_filter=Put
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "chaincode/builtin/bench/bench_chaincode.h"
#include "chaincode/runtime/registry.h"
#include "chaincode/runtime/runtime.h"
#include "chaincode/runtime/testing/in_memory_ledger.h"
#include "common/crypto/sha256.h"
#include "common/encoding/hex.h"
#include "common/file/file_io.h"

namespace careledger::chaincode {
namespace {

enum class Kind { kBuiltin, kLibrary };

const Executable& BenchExecutable(ChaincodeRegistry& registry, Kind kind) {
  if (kind == Kind::kBuiltin) return *registry.AddBuiltin("bench", builtin::BenchChaincodeDescriptor()).value();
  const std::string bytes = file::ReadFile(BENCH_CHAINCODE_PATH, ChaincodeRegistry::kMaxLibraryBytes).value();
  return *registry.LoadLibrary(BENCH_CHAINCODE_PATH, HexEncode(crypto::AsBytes(crypto::Sha256(bytes)))).value();
}

// One put per iteration, each a fresh simulation over the same ledger, as an endorser would run them.
// Arguments: 0 = built-in, 1 = library; then the time limit in ms (0 = none: runs on the caller's thread).
void BM_BenchPut(benchmark::State& state) {
  ChaincodeRegistry registry;
  const Executable& bench = BenchExecutable(registry, static_cast<Kind>(state.range(0)));
  Runtime runtime(Runtime::Options{});
  InvokeOptions options;
  options.timeout = state.range(1) == 0 ? absl::InfiniteDuration() : absl::Milliseconds(state.range(1));
  testing::InMemoryLedger ledger;
  InvocationContext context;
  context.channel_id = "healthchannel";
  context.tx_id = std::string(64, 'f');
  context.creator.msp_id = "Hospital1MSP";
  context.creator.serialized_identity = std::string(800, 'c');  // about a certificate's size
  context.args = {"put", "", std::string(100, 'v')};
  int64_t i = 0;
  for (auto _ : state) {
    context.args[1] = absl::StrCat("key", i++);
    auto simulation = ledger.NewSimulation();
    absl::StatusOr<InvocationResult> result = runtime.Invoke(bench, "bench", context, *simulation, options);
    if (!result.ok() || result->response.status() != 200) state.SkipWithError("put failed");
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BenchPut)
    ->ArgNames({"library", "timeout_ms"})
    ->Args({0, 30000})
    ->Args({1, 30000})
    ->Args({0, 0})
    ->Args({1, 0})
    ->UseRealTime();

// Several endorser threads at once, on the worker pool.
void BM_BenchPutConcurrent(benchmark::State& state) {
  static ChaincodeRegistry* registry = new ChaincodeRegistry();
  static Runtime* runtime = new Runtime(Runtime::Options{});
  static testing::InMemoryLedger* ledger = new testing::InMemoryLedger();
  static const Executable* bench = &BenchExecutable(*registry, Kind::kBuiltin);
  InvocationContext context;
  context.tx_id = std::string(64, 'f');
  context.args = {"put", "", std::string(100, 'v')};
  int64_t i = 0;
  for (auto _ : state) {
    context.args[1] = absl::StrCat("key", state.thread_index(), "-", i++);
    auto simulation = ledger->NewSimulation();
    absl::StatusOr<InvocationResult> result = runtime->Invoke(*bench, "bench", context, *simulation, {});
    if (!result.ok() || result->response.status() != 200) state.SkipWithError("put failed");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BenchPutConcurrent)->Threads(2)->Threads(4)->UseRealTime();

}  // namespace
}  // namespace careledger::chaincode

BENCHMARK_MAIN();
