// Crypto micro-benchmarks. Compare single-core verify with `openssl speed ecdsap256` in the same run:
// scripts/bench-crypto.sh does both and prints the ratio.
#include <string>

#include "benchmark/benchmark.h"
#include "common/crypto/ecdsa.h"
#include "common/crypto/parallel_verify.h"
#include "common/crypto/sha256.h"

namespace careledger::crypto {
namespace {

void BM_Sha256(benchmark::State& state) {
  const std::string data(static_cast<size_t>(state.range(0)), 'x');
  for (auto _ : state) benchmark::DoNotOptimize(Sha256(data));
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Sha256)->Arg(64)->Arg(1024)->Arg(64 * 1024);

void BM_EcdsaSign(benchmark::State& state) {
  const PrivateKey key = *PrivateKey::Generate();
  const Sha256Digest digest = Sha256("proposal bytes");
  for (auto _ : state) benchmark::DoNotOptimize(key.SignDigest(digest));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EcdsaSign);

// The unit openssl speed measures: one verification of a signature over a 32-byte digest.
void BM_EcdsaVerifyDigest(benchmark::State& state) {
  const PrivateKey key = *PrivateKey::Generate();
  const Sha256Digest digest = Sha256("proposal bytes");
  const std::string sig = *key.SignDigest(digest);
  const PublicKey& pub = key.public_key();
  for (auto _ : state) {
    absl::Status st = pub.VerifyDigest(digest, sig);
    if (!st.ok()) state.SkipWithError("verification failed");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EcdsaVerifyDigest);

// What a validator does per signature: hash a ~1 KiB message, then verify.
void BM_EcdsaVerifyMessage1KiB(benchmark::State& state) {
  const PrivateKey key = *PrivateKey::Generate();
  const std::string message(1024, 'm');
  const std::string sig = *key.Sign(message);
  const PublicKey& pub = key.public_key();
  for (auto _ : state) {
    absl::Status st = pub.Verify(message, sig);
    if (!st.ok()) state.SkipWithError("verification failed");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EcdsaVerifyMessage1KiB);

// VerifyAll over a block-sized batch with `threads` threads in all (the caller plus threads-1 workers); with
// 1 thread, a plain loop. items/s divided by the 1-thread figure is the scaling factor.
void BM_VerifyAllBatch(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  constexpr int kBatch = 512;
  std::vector<PrivateKey> keys;
  for (int i = 0; i < 8; ++i) keys.push_back(*PrivateKey::Generate());
  std::vector<std::string> messages(kBatch), signatures(kBatch);
  std::vector<SignatureCheck> checks(kBatch);
  for (int i = 0; i < kBatch; ++i) {
    messages[i] = std::string(300, static_cast<char>('a' + i % 26)) + std::to_string(i);
    signatures[i] = *keys[i % 8].Sign(messages[i]);
    checks[i] = {&keys[i % 8].public_key(), messages[i], signatures[i]};
  }
  std::unique_ptr<ThreadPool> pool = threads > 1 ? std::make_unique<ThreadPool>(threads - 1) : nullptr;
  for (auto _ : state) {
    if (pool != nullptr) {
      benchmark::DoNotOptimize(VerifyAll(checks, *pool));
    } else {
      for (const SignatureCheck& c : checks) benchmark::DoNotOptimize(c.key->Verify(c.message, c.signature));
    }
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_VerifyAllBatch)->Arg(1)->Arg(2)->Arg(4)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace careledger::crypto

BENCHMARK_MAIN();
