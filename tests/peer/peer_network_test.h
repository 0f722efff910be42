// Test-only: the GoogleTest fixture of the peer's integration and fault tests — a fresh PeerNetwork per test
// (identities, data folders, ports), and the checks they share.
//
// TearDown checks that every peer the test started is still running (a test that kills one restarts it),
// stops them with SIGTERM expecting a clean exit, and prints every node's log tail when the test failed.
#ifndef CARELEDGER_TESTS_PEER_PEER_NETWORK_TEST_H_
#define CARELEDGER_TESTS_PEER_PEER_NETWORK_TEST_H_

#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/testing/temp_dir.h"
#include "gtest/gtest.h"
#include "peer/ledger/block_metadata.h"
#include "tests/peer/peer_network.h"

namespace careledger::testing {

// Generous for a loaded CI machine running the sanitizer build; conditions end the waits early.
inline constexpr absl::Duration kNetworkTimeout = absl::Seconds(90);

class PeerNetworkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PeerNetworkOptions options;
    options.peer_binary = CARELEDGER_PEER_BINARY;
    options.orderer_binary = CARELEDGER_ORDERER_BINARY;
    auto net = PeerNetwork::Create(dir_.path(), options);
    ASSERT_TRUE(net.ok()) << net.status();
    net_ = *std::move(net);
  }

  void TearDown() override {
    if (net_ == nullptr) return;
    for (int i = 0; i < net_->size(); ++i) {
      if (net_->peer(i).process != nullptr) {
        EXPECT_TRUE(net_->IsRunning(i)) << net_->peer(i).name << " exited";
      }
    }
    const std::vector<int> codes = net_->StopPeers();
    for (int i = 0; i < net_->size(); ++i) {
      if (net_->peer(i).process != nullptr) {
        EXPECT_EQ(codes[i], 0) << net_->peer(i).name << "'s exit code";
      }
    }
    if (HasFailure()) std::cout << net_->LogTails();
  }

  // Every running peer holds blocks 0 .. height-1 of the channel, identical to Hospital1's peer's byte for
  // byte — header, data, and metadata, so the orderers' signatures, the transactions filter each peer's
  // committer wrote and the commit hash of each peer's state — and every block carries a commit hash.
  void ExpectIdenticalLedgers(uint64_t height) {
    ASSERT_TRUE(net_->WaitForHeightAll(net_->channel(), height, kNetworkTimeout).ok());
    auto reference = net_->Blocks(PeerNetwork::kHospital1, net_->channel(), 0, height - 1);
    ASSERT_TRUE(reference.ok()) << reference.status();
    for (const ::common::Block& block : *reference) {
      EXPECT_TRUE(ledger::StoredCommitHash(block).ok()) << "block " << block.header().number();
    }
    for (int i = 0; i < net_->size(); ++i) {
      if (i == PeerNetwork::kHospital1 || !net_->IsRunning(i)) continue;
      auto blocks = net_->Blocks(i, net_->channel(), 0, height - 1);
      ASSERT_TRUE(blocks.ok()) << blocks.status();
      ASSERT_EQ(blocks->size(), reference->size()) << net_->peer(i).name;
      for (size_t n = 0; n < blocks->size(); ++n) {
        const ::common::Block& ours = (*blocks)[n];
        const ::common::Block& theirs = (*reference)[n];
        EXPECT_EQ(ours.header().SerializeAsString(), theirs.header().SerializeAsString())
            << net_->peer(i).name << ", block " << n;
        EXPECT_EQ(ours.data().SerializeAsString(), theirs.data().SerializeAsString())
            << net_->peer(i).name << ", block " << n;
        EXPECT_EQ(ours.metadata().SerializeAsString(), theirs.metadata().SerializeAsString())
            << net_->peer(i).name << ", block " << n << " (filter or commit hash differs)";
      }
    }
  }

  ScopedTempDir dir_;
  std::unique_ptr<PeerNetwork> net_;
};

}  // namespace careledger::testing

#endif  // CARELEDGER_TESTS_PEER_PEER_NETWORK_TEST_H_
