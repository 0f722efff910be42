#include "orderer/raft/raft_node.h"

#include <atomic>
#include <future>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "orderer/raft/stream_transport.h"
#include "orderer/raft/testing/in_memory_stream.h"
#include "orderer/raft/testing/recording_state_machine.h"

namespace careledger::orderer::raft {
namespace {

using testing::InMemoryNetwork;
using testing::RecordingStateMachine;

// A Raft group of `n` members in one process: real libraft, real segment files, in-memory streams.
class Cluster {
 public:
  Cluster(int n, std::string dir, unsigned snapshot_threshold = 1000) : dir_(std::move(dir)) {
    for (int i = 1; i <= n; ++i) members_.push_back({static_cast<uint64_t>(i), absl::StrCat("node", i)});
    snapshot_threshold_ = snapshot_threshold;
    for (const RaftMember& m : members_) Start(m.id);
  }
  ~Cluster() {
    for (auto& [id, node] : nodes_) node.reset();
  }

  // Starts member `id` as a new process would: empty memory, state only from its data folder.
  void Start(uint64_t id) {
    fsms_[id] = std::make_unique<RecordingStateMachine>();
    dialers_[id] = std::make_unique<InMemoryNetwork::Dialer>(&network_, id);
    transports_[id] = std::make_shared<StreamTransport>(dialers_[id].get());
    network_.Register(id, absl::StrCat("node", id), transports_[id]);
    RaftNodeOptions options;
    options.id = id;
    options.address = absl::StrCat("node", id);
    options.initial_members = members_;
    options.data_dir = absl::StrCat(dir_, "/node", id);
    options.election_timeout = absl::Milliseconds(300);
    options.heartbeat_timeout = absl::Milliseconds(50);
    options.install_snapshot_timeout = absl::Seconds(1);
    options.snapshot_threshold = snapshot_threshold_;
    options.snapshot_trailing = snapshot_threshold_ / 2;
    auto node = RaftNode::Start(options, fsms_[id].get(), transports_[id].get());
    ASSERT_TRUE(node.ok()) << node.status();
    nodes_[id] = std::move(*node);
  }

  // Stops a member; its data folder stays, so Start(id) restarts it from disk.
  void Stop(uint64_t id) {
    nodes_[id].reset();
    transports_[id].reset();
  }

  // Runs `fn` on member `id`'s loop thread and returns its result.
  template <typename F>
  auto OnLoop(uint64_t id, F fn) {
    std::promise<decltype(fn(*nodes_[id]))> result;
    auto future = result.get_future();
    nodes_[id]->Post([&, id] { result.set_value(fn(*nodes_[id])); });
    return future.get();
  }

  // The member that is leader, waiting up to `timeout` for one among the running members.
  uint64_t WaitForLeader(absl::Duration timeout) {
    const absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline) {
      for (auto& [id, node] : nodes_) {
        if (node != nullptr && OnLoop(id, [](RaftNode& n) { return n.IsLeader(); })) return id;
      }
      absl::SleepFor(absl::Milliseconds(20));  // polling a condition with a deadline, not a fixed wait
    }
    return 0;
  }

  // Proposes `entry` on member `id` and waits for the outcome.
  absl::Status Propose(uint64_t id, const std::string& entry) {
    std::promise<absl::Status> done;
    auto future = done.get_future();
    nodes_[id]->Post([&] { nodes_[id]->Propose(entry, [&](absl::Status st) { done.set_value(st); }); });
    return future.get();
  }

  RecordingStateMachine& fsm(uint64_t id) { return *fsms_[id]; }

 private:
  std::string dir_;
  unsigned snapshot_threshold_ = 1000;
  std::vector<RaftMember> members_;
  InMemoryNetwork network_;
  std::map<uint64_t, std::unique_ptr<InMemoryNetwork::Dialer>> dialers_;
  std::map<uint64_t, std::shared_ptr<StreamTransport>> transports_;
  std::map<uint64_t, std::unique_ptr<RecordingStateMachine>> fsms_;
  std::map<uint64_t, std::unique_ptr<RaftNode>> nodes_;
};

constexpr absl::Duration kTimeout = absl::Seconds(20);

TEST(RaftNodeTest, SingleMemberCommitsAndSurvivesRestart) {
  careledger::testing::ScopedTempDir dir;
  {
    Cluster cluster(1, dir.path());
    ASSERT_EQ(cluster.WaitForLeader(kTimeout), 1u);
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(cluster.Propose(1, absl::StrCat("e", i)).ok());
    ASSERT_TRUE(cluster.fsm(1).WaitForEntries(20, kTimeout));
  }
  Cluster again(1, dir.path());  // same folder: the log is replayed
  ASSERT_EQ(again.WaitForLeader(kTimeout), 1u);
  ASSERT_TRUE(again.Propose(1, "after restart").ok());
  ASSERT_TRUE(again.fsm(1).WaitForEntries(21, kTimeout));
  EXPECT_EQ(again.fsm(1).entries().front(), "e0");
  EXPECT_EQ(again.fsm(1).entries().back(), "after restart");
}

TEST(RaftNodeTest, ThreeMembersApplyTheSameEntriesInTheSameOrder) {
  careledger::testing::ScopedTempDir dir;
  Cluster cluster(3, dir.path());
  const uint64_t leader = cluster.WaitForLeader(kTimeout);
  ASSERT_NE(leader, 0u);
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(cluster.Propose(leader, absl::StrCat("block ", i)).ok());
  for (uint64_t id : {1, 2, 3}) ASSERT_TRUE(cluster.fsm(id).WaitForEntries(50, kTimeout)) << id;
  EXPECT_EQ(cluster.fsm(1).entries(), cluster.fsm(2).entries());
  EXPECT_EQ(cluster.fsm(1).entries(), cluster.fsm(3).entries());
}

TEST(RaftNodeTest, FollowerRejectsProposalsAsUnavailable) {
  careledger::testing::ScopedTempDir dir;
  Cluster cluster(3, dir.path());
  const uint64_t leader = cluster.WaitForLeader(kTimeout);
  ASSERT_NE(leader, 0u);
  const uint64_t follower = leader == 1 ? 2 : 1;
  EXPECT_EQ(cluster.Propose(follower, "x").code(), absl::StatusCode::kUnavailable);
}

TEST(RaftNodeTest, NewLeaderAfterLeaderStopsAndOldLeaderCatchesUpOnRestart) {
  careledger::testing::ScopedTempDir dir;
  Cluster cluster(3, dir.path());
  const uint64_t first = cluster.WaitForLeader(kTimeout);
  ASSERT_NE(first, 0u);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(cluster.Propose(first, absl::StrCat("a", i)).ok());
  cluster.Stop(first);
  const uint64_t second = cluster.WaitForLeader(kTimeout);
  ASSERT_NE(second, 0u);
  ASSERT_NE(second, first);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(cluster.Propose(second, absl::StrCat("b", i)).ok());
  cluster.Start(first);
  ASSERT_TRUE(cluster.fsm(first).WaitForEntries(20, kTimeout));
  EXPECT_EQ(cluster.fsm(first).entries(), cluster.fsm(second).entries());
}

TEST(RaftNodeTest, LaggingMemberIsBroughtUpToDateWithASnapshot) {
  careledger::testing::ScopedTempDir dir;
  Cluster cluster(3, dir.path(), /*snapshot_threshold=*/8);
  const uint64_t leader = cluster.WaitForLeader(kTimeout);
  ASSERT_NE(leader, 0u);
  const uint64_t lagging = leader == 3 ? 2 : 3;
  cluster.Stop(lagging);
  // Far more entries than the threshold plus trailing: the log no longer holds what `lagging` lacks.
  for (int i = 0; i < 60; ++i) ASSERT_TRUE(cluster.Propose(leader, absl::StrCat("s", i)).ok());
  cluster.Start(lagging);
  ASSERT_TRUE(cluster.fsm(lagging).WaitForEntries(60, kTimeout)) << cluster.fsm(lagging).entries().size() << " entries, first " << (cluster.fsm(lagging).entries().empty() ? "" : cluster.fsm(lagging).entries().front());
  EXPECT_GE(cluster.fsm(lagging).restores(), 1);
  EXPECT_EQ(cluster.fsm(lagging).entries(), cluster.fsm(leader).entries());
}

}  // namespace
}  // namespace careledger::orderer::raft
