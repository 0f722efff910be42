// Chains of one channel on three consenters in one process: real gRPC cluster servers with mutual TLS, real
// libraft on disk, real block stores, real signatures.
#include "orderer/chain/chain.h"

#include <future>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/protoutil/block.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "msp/testing/test_org.h"
#include "orderer/cluster/testing/test_tls.h"

namespace careledger::orderer {
namespace {

using cluster::testing::IssueTls;
using cluster::testing::MakeTlsCa;
using cluster::testing::MutualTlsServerCredentials;

constexpr absl::Duration kTimeout = absl::Seconds(30);
constexpr char kChannel[] = "healthchannel";

struct Consenter {
  cluster::ClusterTls tls;
  crypto::Certificate cert{nullptr};
  std::shared_ptr<msp::SigningIdentity> signer;
  cluster::ClusterService service;
  std::unique_ptr<grpc::Server> server;
  std::string address;
  std::shared_ptr<cluster::ClusterConnections> connections;
  std::shared_ptr<blockstore::BlockStore> store;
  std::shared_ptr<Chain> chain;
};

class ChainTest : public ::testing::Test {
 protected:
  // Starts `n` consenters with the given options (consenters and Raft paths are filled in here).
  void StartCluster(int n, ChainOptions base) {
    base_ = std::move(base);
    for (uint64_t id = 1; id <= static_cast<uint64_t>(n); ++id) {
      Consenter& c = nodes_[id];
      c.tls = IssueTls(ca_, absl::StrCat("orderer", id), &c.cert);
      c.signer = std::make_shared<msp::SigningIdentity>(org_.Issue(absl::StrCat("orderer", id), msp::NodeRole::kOrderer));
      grpc::ServerBuilder builder;
      int port = 0;
      builder.AddListeningPort("127.0.0.1:0", MutualTlsServerCredentials(c.tls), &port);
      builder.RegisterService(&c.service);
      c.server = builder.BuildAndStart();
      ASSERT_NE(c.server, nullptr);
      c.address = absl::StrCat("127.0.0.1:", port);
      c.connections = std::make_shared<cluster::ClusterConnections>(c.tls);
    }
    for (auto& [id, c] : nodes_) members_.push_back({id, c.address, c.cert, c.cert});
    for (auto& [id, c] : nodes_) StartNode(id);
  }

  void StartNode(uint64_t id) {
    Consenter& c = nodes_[id];
    auto store = blockstore::BlockStore::Open(dir_.Path(absl::StrCat("node", id, "/blocks")));
    ASSERT_TRUE(store.ok()) << store.status();
    c.store = std::move(*store);
    if (c.store->Height() == 0) {
      ASSERT_TRUE(c.store->Append(protoutil::NewBlock(0, "", {"genesis"})).ok());
    }
    ChainOptions options = base_;
    options.channel_id = kChannel;
    options.self_id = id;
    options.consenters = members_;
    options.raft_dir = dir_.Path(absl::StrCat("node", id, "/raft"));
    options.election_timeout = absl::Milliseconds(500);
    options.heartbeat_timeout = absl::Milliseconds(50);
    auto chain = Chain::Start(options, c.store, c.signer, c.connections);
    ASSERT_TRUE(chain.ok()) << chain.status();
    c.chain = *chain;
    c.service.AddChannel(kChannel, c.chain);
  }

  // A crash as far as the others can tell: the chain stops and its cluster channel disappears.
  void StopNode(uint64_t id) {
    nodes_[id].service.RemoveChannel(kChannel);
    nodes_[id].chain->Stop();
    nodes_[id].chain.reset();
    nodes_[id].store.reset();
  }

  void TearDown() override {
    for (auto& [id, c] : nodes_) {
      if (c.chain != nullptr) c.chain->Stop();
    }
    for (auto& [id, c] : nodes_) c.server->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
  }

  uint64_t WaitForLeader() {
    const absl::Time deadline = absl::Now() + kTimeout;
    while (absl::Now() < deadline) {
      for (auto& [id, c] : nodes_) {
        if (c.chain != nullptr && c.chain->status().is_leader) return id;
      }
      absl::SleepFor(absl::Milliseconds(20));  // polling a condition with a deadline
    }
    return 0;
  }

  absl::Status Order(uint64_t id, const std::string& envelope, bool is_config = false) {
    std::promise<absl::Status> done;
    auto future = done.get_future();
    nodes_[id].chain->Order(envelope, is_config, [&done](absl::Status st) { done.set_value(st); });
    return future.get();
  }

  // All envelopes in node `id`'s chain after the genesis block, in order, once it holds at least `count`.
  std::vector<std::string> WaitForEnvelopes(uint64_t id, size_t count) {
    const absl::Time deadline = absl::Now() + kTimeout;
    while (true) {
      std::vector<std::string> envelopes = Envelopes(id);
      if (envelopes.size() >= count || absl::Now() > deadline) return envelopes;
      nodes_[id].store->WaitForHeight(nodes_[id].store->Height() + 1, absl::Now() + absl::Milliseconds(200));
    }
  }

  std::vector<std::string> Envelopes(uint64_t id) {
    std::vector<std::string> out;
    blockstore::BlockStore& store = *nodes_[id].store;
    for (uint64_t n = 1; n < store.Height(); ++n) {
      ::common::Block block = *store.GetBlock(n);
      for (const std::string& e : block.data().data()) out.push_back(e);
    }
    return out;
  }

  std::vector<std::string> BlockBytes(uint64_t id) {
    std::vector<std::string> out;
    for (uint64_t n = 0; n < nodes_[id].store->Height(); ++n) out.push_back(*nodes_[id].store->GetBlockBytes(n));
    return out;
  }

  careledger::testing::ScopedTempDir dir_;
  cluster::testing::TlsCa ca_ = MakeTlsCa("tlsca.orderer");
  msp::testing::TestOrg org_{"OrdererMSP"};
  ChainOptions base_;
  std::map<uint64_t, Consenter> nodes_;
  std::vector<cluster::ClusterMember> members_;
};

ChainOptions DefaultOptions() {
  ChainOptions o;
  o.batch_limits = {500, 10 << 20, 2 << 20};
  o.batch_timeout = absl::Milliseconds(250);
  return o;
}

TEST_F(ChainTest, EnvelopesSentToAnyConsenterEndUpInIdenticalChains) {
  StartCluster(3, DefaultOptions());
  ASSERT_NE(WaitForLeader(), 0u);
  std::vector<std::thread> senders;
  std::atomic<int> failures{0};
  for (uint64_t id = 1; id <= 3; ++id) {
    senders.emplace_back([&, id] {
      for (int i = 0; i < 20; ++i) {
        if (!Order(id, absl::StrCat("env-", id, "-", i)).ok()) failures.fetch_add(1);
      }
    });
  }
  for (auto& t : senders) t.join();
  EXPECT_EQ(failures.load(), 0);
  std::vector<std::string> envelopes = WaitForEnvelopes(1, 60);
  ASSERT_EQ(envelopes.size(), 60u);
  EXPECT_EQ(std::set<std::string>(envelopes.begin(), envelopes.end()).size(), 60u);  // each exactly once
  for (uint64_t id : {2, 3}) {
    WaitForEnvelopes(id, 60);
    EXPECT_EQ(BlockBytes(id), BlockBytes(1)) << "consenter " << id;  // same blocks, same bytes, same order
  }
  // Each consenter's chain is signed by an orderer and records the last config index.
  ::common::Block last = *nodes_[2].store->GetBlock(nodes_[2].store->Height() - 1);
  EXPECT_EQ(protoutil::BlockSignatures(last)->size(), 1u);
  EXPECT_EQ(*protoutil::LastConfigIndex(last), 0u);
}

TEST_F(ChainTest, NoAcknowledgedEnvelopeIsLostWhenTheLeaderCrashes) {
  StartCluster(3, DefaultOptions());
  const uint64_t leader = WaitForLeader();
  ASSERT_NE(leader, 0u);
  const uint64_t follower = leader == 1 ? 2 : 1;
  absl::Mutex mu;
  std::vector<std::string> acked;
  std::atomic<bool> stop{false};
  std::thread sender([&] {
    for (int i = 0; !stop.load(); ++i) {
      const std::string envelope = absl::StrCat("tx-", i);
      if (Order(follower, envelope).ok()) {
        absl::MutexLock lock(&mu);
        acked.push_back(envelope);
      }
    }
  });
  auto acked_count = [&] {
    absl::MutexLock lock(&mu);
    return acked.size();
  };
  const absl::Time deadline = absl::Now() + kTimeout;
  while (acked_count() < 20 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(10));
  StopNode(leader);  // while envelopes flow
  const size_t before = acked_count();
  while (acked_count() < before + 20 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(10));
  stop = true;
  sender.join();
  ASSERT_GE(acked.size(), before + 20) << "a new leader must take over and keep ordering";
  const uint64_t new_leader = WaitForLeader();
  EXPECT_NE(new_leader, leader);

  StartNode(leader);  // restarted from its data folder: catches up
  // An acknowledgement means the leader applied the block; a follower may apply it a moment later.
  auto missing = [&] {
    std::vector<std::string> chain = Envelopes(follower);
    std::set<std::string> present(chain.begin(), chain.end());
    std::vector<std::string> out;
    for (const std::string& e : acked) {
      if (!present.count(e)) out.push_back(e);
    }
    return out;
  };
  while (!missing().empty() && absl::Now() < deadline) {
    nodes_[follower].store->WaitForHeight(nodes_[follower].store->Height() + 1, absl::Now() + absl::Milliseconds(100));
  }
  EXPECT_THAT(missing(), ::testing::IsEmpty()) << "acknowledged but not in the chain";
  // Once everything acknowledged is in, nothing more is being ordered: the heights settle.
  const size_t height = nodes_[follower].store->Height();
  while (nodes_[leader].store->Height() < height && absl::Now() < deadline) {
    nodes_[leader].store->WaitForHeight(height, absl::Now() + absl::Milliseconds(200));
  }
  std::vector<std::string> restarted = BlockBytes(leader), survivor = BlockBytes(follower);
  restarted.resize(std::min(restarted.size(), survivor.size()));
  survivor.resize(restarted.size());
  EXPECT_EQ(restarted, survivor);
  EXPECT_GE(restarted.size(), height);  // the restarted node caught up with everything committed
}

TEST_F(ChainTest, LaggingConsenterCatchesUpByPullingBlocksAfterSnapshots) {
  ChainOptions options = DefaultOptions();
  options.snapshot_interval_blocks = 4;
  StartCluster(3, options);
  const uint64_t leader = WaitForLeader();
  ASSERT_NE(leader, 0u);
  const uint64_t lagging = leader == 3 ? 2 : 3;
  StopNode(lagging);
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(Order(leader, absl::StrCat("s", i)).ok());  // one block each
  StartNode(lagging);
  ASSERT_EQ(WaitForEnvelopes(lagging, 40).size(), 40u);
  EXPECT_EQ(BlockBytes(lagging), BlockBytes(leader));
}

TEST_F(ChainTest, BatchTimeoutAndCountCutBlocksWhenNotCuttingEagerly) {
  ChainOptions options = DefaultOptions();
  options.cut_when_idle = false;
  options.batch_limits.max_message_count = 5;
  options.batch_timeout = absl::Milliseconds(300);
  StartCluster(1, options);
  ASSERT_EQ(WaitForLeader(), 1u);
  const absl::Time start = absl::Now();
  ASSERT_TRUE(Order(1, "alone").ok());
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(250));  // waited for the batch timeout (20 ms ticks)
  std::vector<std::future<absl::Status>> results;
  for (int i = 0; i < 12; ++i) results.push_back(std::async(std::launch::async, [&, i] { return Order(1, absl::StrCat("b", i)); }));
  for (auto& r : results) EXPECT_TRUE(r.get().ok());
  for (uint64_t n = 1; n < nodes_[1].store->Height(); ++n) {
    EXPECT_LE(nodes_[1].store->GetBlock(n)->data().data_size(), 5) << "block " << n;
  }
  EXPECT_EQ(Envelopes(1).size(), 13u);
}

TEST_F(ChainTest, ConfigEnvelopeGetsABlockOfItsOwnAndBecomesTheLastConfig) {
  StartCluster(1, DefaultOptions());
  ASSERT_EQ(WaitForLeader(), 1u);
  ASSERT_TRUE(Order(1, "tx").ok());
  ASSERT_TRUE(Order(1, "config", /*is_config=*/true).ok());
  ASSERT_TRUE(Order(1, "tx2").ok());
  const uint64_t height = nodes_[1].store->Height();
  ::common::Block config_block = *nodes_[1].store->GetBlock(2);
  ASSERT_EQ(config_block.data().data_size(), 1);
  EXPECT_EQ(config_block.data().data(0), "config");
  EXPECT_EQ(*protoutil::LastConfigIndex(config_block), 2u);
  EXPECT_EQ(*protoutil::LastConfigIndex(*nodes_[1].store->GetBlock(height - 1)), 2u);
}

TEST_F(ChainTest, OversizedEnvelopeIsRejected) {
  ChainOptions options = DefaultOptions();
  options.batch_limits = {10, 1024, 512};
  StartCluster(1, options);
  ASSERT_EQ(WaitForLeader(), 1u);
  EXPECT_EQ(Order(1, std::string(2000, 'x')).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Order(1, "small").ok());
}

}  // namespace
}  // namespace careledger::orderer
