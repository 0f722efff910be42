// The endorser's throughput, against what ECDSA allows.
//
// Every proposal costs at least one signature verification (the creator's) and one signature (the
// endorsement), so on N cores no endorser can exceed N / (1/V + 1/S) proposals per second, V and S being the
// single-core verify and sign rates, which BM_EcdsaVerify and BM_EcdsaSign measure first in the same run.
// BM_ProcessProposal then endorses `bench put` proposals (unique keys, 100-byte values) through the whole
// endorser: parse, MSP validation (cached), signature check, Writers policy, definition lookup, simulation
// by the real chaincode runtime and built-in bench chaincode over an in-memory state, signing. Compare its
// items_per_second with the bound computed from the two rates (docs/peer.md has the figures).
//
//   build/peer/endorser/endorser_benchmark
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "common/channelconfig/genesis.h"
#include "common/channelconfig/test_network.h"
#include "common/crypto/ecdsa.h"
#include "common/crypto/sha256.h"
#include "common/protoutil/proposal.h"
#include "common/protoutil/timestamp.h"
#include "msp/testing/test_org.h"
#include "peer/endorser/endorser.h"
#include "peer/endorser/runtime_chaincode_executor.h"
#include "peer/endorser/testing/memory_channel.h"

namespace careledger::endorser {
namespace {

constexpr int kProposals = 2000;
const absl::Time kNow = msp::testing::kTestEpoch + absl::Hours(1);

template <typename T>
T OrDie(absl::StatusOr<T> value) {
  if (!value.ok()) {
    std::fprintf(stderr, "endorser_benchmark setup: %s\n", value.status().ToString().c_str());
    std::abort();
  }
  return *std::move(value);
}

void BM_EcdsaVerify(benchmark::State& state) {
  const crypto::PrivateKey key = OrDie(crypto::PrivateKey::Generate());
  const crypto::Sha256Digest digest = crypto::Sha256("proposal bytes");
  const std::string signature = OrDie(key.SignDigest(digest));
  for (auto _ : state) benchmark::DoNotOptimize(key.public_key().VerifyDigest(digest, signature));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EcdsaVerify);

void BM_EcdsaSign(benchmark::State& state) {
  const crypto::PrivateKey key = OrDie(crypto::PrivateKey::Generate());
  const crypto::Sha256Digest digest = crypto::Sha256("proposal bytes");
  for (auto _ : state) benchmark::DoNotOptimize(key.SignDigest(digest));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EcdsaSign);

// The channel, peer and pre-signed proposals, built once.
struct Setup {
  Setup() {
    const auto& network = channelconfig::testing::Network();
    auto config = OrDie(channelconfig::ChannelConfig::FromConfig(
        OrDie(channelconfig::BuildChannelConfig(network.Spec())), "healthchannel"));
    auto msps = OrDie(msp::MspManager::FromDefinitions(config.MspConfigs()));
    channel = std::make_unique<testing::MemoryChannel>(std::move(config), std::move(msps));
    lifecycle::ChaincodeDefinition bench;
    bench.name = "bench";
    bench.sequence = 1;
    bench.version = "1.0";
    bench.endorsement_policy.set_channel_config_policy_reference(lifecycle::kDefaultEndorsementPolicyReference);
    bench.package_id = "builtin:bench";
    channel->Define(bench);
    peer = std::make_unique<msp::SigningIdentity>(network.hospital1().Issue("peer0", msp::NodeRole::kPeer));
    client = std::make_unique<msp::SigningIdentity>(network.hospital1().Issue("client", msp::NodeRole::kClient));
    executor = OrDie(RuntimeChaincodeExecutor::Create({}));
    EndorserOptions options;
    options.clock = [] { return kNow; };
    endorser = std::make_unique<Endorser>(*channel, *executor, *peer, options);
    const std::string value(100, 'v');
    for (int i = 0; i < kProposals; ++i) {
      std::vector<std::string> args = {"put", absl::StrCat("key", i), value};
      auto proposal = OrDie(protoutil::CreateChaincodeProposal("healthchannel", "bench", args,
                                                               client->SerializedIdentity(), {},
                                                               protoutil::ToTimestamp(kNow)));
      proposals.push_back(OrDie(protoutil::SignProposal(proposal.proposal, *client)));
    }
  }

  std::unique_ptr<testing::MemoryChannel> channel;
  std::unique_ptr<msp::SigningIdentity> peer;
  std::unique_ptr<msp::SigningIdentity> client;
  std::unique_ptr<RuntimeChaincodeExecutor> executor;
  std::unique_ptr<Endorser> endorser;
  std::vector<::protos::SignedProposal> proposals;
};

Setup& TheSetup() {
  static Setup* setup = new Setup();
  return *setup;
}

void BM_ProcessProposal(benchmark::State& state) {
  Setup& setup = TheSetup();
  size_t next = static_cast<size_t>(state.thread_index()) * 7919;
  for (auto _ : state) {
    auto response = setup.endorser->ProcessProposal(setup.proposals[next++ % setup.proposals.size()],
                                                    ProposalMode::kEndorse);
    if (!response.ok() || !response->has_endorsement()) {
      state.SkipWithError("endorsement failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ProcessProposal)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace
}  // namespace careledger::endorser

// Builds the setup (certificates, signed proposals) before any benchmark is timed.
int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  careledger::endorser::TheSetup();  // issue certificates and sign proposals before any timing
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
