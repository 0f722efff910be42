// Raft over the real cluster layer: gRPC servers on 127.0.0.1 with mutual TLS, real libraft, real disk.
#include <future>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "orderer/cluster/cluster_dialer.h"
#include "orderer/cluster/cluster_service.h"
#include "orderer/cluster/testing/test_tls.h"
#include "orderer/raft/raft_node.h"
#include "orderer/raft/testing/recording_state_machine.h"

namespace careledger::orderer::cluster {
namespace {

using ::testing::HasSubstr;
using raft::testing::RecordingStateMachine;
using testing::IssueTls;
using testing::MakeTlsCa;
using testing::MutualTlsServerCredentials;
using testing::TlsCa;

constexpr absl::Duration kTimeout = absl::Seconds(20);

class TestChannel : public ClusterChannel {
 public:
  explicit TestChannel(std::vector<ClusterMember> members) : members_(std::move(members)) {}
  std::optional<ClusterMember> MemberByClientCertificate(const crypto::Certificate& cert) const override {
    for (const ClusterMember& m : members_) {
      if (m.client_tls_cert == cert) return m;
    }
    return std::nullopt;
  }
  void ServeRaftStream(uint64_t from, const std::string& address, std::unique_ptr<raft::ByteStream> stream) override {
    transport->ServeIncoming(from, address, std::move(stream));
  }
  void OrderForwarded(std::string, bool, std::function<void(absl::Status)> done) override {
    done(absl::UnimplementedError("not ordering in this test"));
  }
  uint64_t Height() const override { return 0; }
  absl::StatusOr<std::string> BlockBytes(uint64_t) const override { return absl::NotFoundError("no blocks"); }
  std::optional<ClusterMember> MemberById(uint64_t id) const {
    for (const ClusterMember& m : members_) {
      if (m.raft_id == id) return m;
    }
    return std::nullopt;
  }
  raft::StreamTransport* transport = nullptr;

 private:
  std::vector<ClusterMember> members_;
};

struct Node {
  ClusterTls tls;
  crypto::Certificate cert{nullptr};
  ClusterService service;
  std::unique_ptr<grpc::Server> server;
  std::string address;
  std::shared_ptr<TestChannel> channel;
  std::shared_ptr<ClusterConnections> connections;
  std::unique_ptr<ClusterDialer> dialer;
  std::unique_ptr<raft::StreamTransport> transport;
  std::unique_ptr<RecordingStateMachine> fsm;
  std::unique_ptr<raft::RaftNode> raft;
};

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (uint64_t id = 1; id <= 3; ++id) {
      Node& n = nodes_[id];
      n.tls = IssueTls(ca_, absl::StrCat("orderer", id), &n.cert);
      grpc::ServerBuilder builder;
      int port = 0;
      builder.AddListeningPort("127.0.0.1:0", MutualTlsServerCredentials(n.tls), &port);
      builder.RegisterService(&n.service);
      n.server = builder.BuildAndStart();
      ASSERT_NE(n.server, nullptr);
      n.address = absl::StrCat("127.0.0.1:", port);
    }
    for (auto& [id, n] : nodes_) members_.push_back({id, n.address, n.cert, n.cert});
    for (auto& [id, n] : nodes_) {
      n.channel = std::make_shared<TestChannel>(members_);
      n.service.AddChannel("healthchannel", n.channel);
      n.connections = std::make_shared<ClusterConnections>(n.tls);
      ClusterDialerOptions options;
      options.channel_id = "healthchannel";
      options.self_id = id;
      options.self_address = n.address;
      options.tls = n.tls;
      auto channel = n.channel;
      options.member_by_id = [channel](uint64_t member) { return channel->MemberById(member); };
      n.dialer = std::make_unique<ClusterDialer>(options, n.connections);
      n.transport = std::make_unique<raft::StreamTransport>(n.dialer.get());
      n.channel->transport = n.transport.get();
      n.fsm = std::make_unique<RecordingStateMachine>();
      raft::RaftNodeOptions raft_options;
      raft_options.id = id;
      raft_options.address = n.address;
      for (const ClusterMember& m : members_) raft_options.initial_members.push_back({m.raft_id, m.address});
      raft_options.data_dir = dir_.Path(absl::StrCat("node", id));
      raft_options.election_timeout = absl::Milliseconds(500);
      auto node = raft::RaftNode::Start(raft_options, n.fsm.get(), n.transport.get());
      ASSERT_TRUE(node.ok()) << node.status();
      n.raft = std::move(*node);
    }
  }

  void TearDown() override {
    for (auto& [id, n] : nodes_) n.raft.reset();
    for (auto& [id, n] : nodes_) n.server->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
  }

  uint64_t WaitForLeader() {
    const absl::Time deadline = absl::Now() + kTimeout;
    while (absl::Now() < deadline) {
      for (auto& [id, n] : nodes_) {
        std::promise<bool> leader;
        n.raft->Post([&] { leader.set_value(n.raft->IsLeader()); });
        if (leader.get_future().get()) return id;
      }
      absl::SleepFor(absl::Milliseconds(20));  // polling a condition with a deadline
    }
    return 0;
  }

  absl::Status Propose(uint64_t id, const std::string& entry) {
    std::promise<absl::Status> done;
    nodes_[id].raft->Post([&] { nodes_[id].raft->Propose(entry, [&](absl::Status st) { done.set_value(st); }); });
    return done.get_future().get();
  }

  careledger::testing::ScopedTempDir dir_;
  TlsCa ca_ = MakeTlsCa("tlsca.orderer");
  std::map<uint64_t, Node> nodes_;
  std::vector<ClusterMember> members_;
};

TEST_F(ClusterTest, RaftGroupCommitsOverMutualTls) {
  const uint64_t leader = WaitForLeader();
  ASSERT_NE(leader, 0u);
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(Propose(leader, absl::StrCat("block ", i)).ok());
  for (auto& [id, n] : nodes_) ASSERT_TRUE(n.fsm->WaitForEntries(30, kTimeout)) << "node " << id;
  EXPECT_EQ(nodes_[1].fsm->entries(), nodes_[2].fsm->entries());
  EXPECT_EQ(nodes_[1].fsm->entries(), nodes_[3].fsm->entries());
}

// Dials node 1 as `tls` claiming Raft ID `claimed`.
absl::Status DialAs(const ClusterTls& tls, uint64_t claimed, const ClusterMember& target) {
  auto connections = std::make_shared<ClusterConnections>(tls);
  ClusterDialerOptions options;
  options.channel_id = "healthchannel";
  options.self_id = claimed;
  options.self_address = "127.0.0.1:1";
  options.tls = tls;
  options.dial_timeout = absl::Seconds(3);
  options.member_by_id = [target](uint64_t) { return target; };
  ClusterDialer dialer(options, connections);
  return dialer.Dial(target.raft_id, target.address).status();
}

TEST_F(ClusterTest, RefusesCertificatesThatAreNotConsentersAndWrongClaims) {
  const ClusterMember& node1 = members_[0];
  crypto::Certificate outsider_cert(nullptr);
  ClusterTls outsider = IssueTls(ca_, "outsider", &outsider_cert);  // same TLS CA, not a consenter
  absl::Status st = DialAs(outsider, 9, node1);
  EXPECT_EQ(st.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(st.message(), HasSubstr("is not a consenter of channel healthchannel"));

  st = DialAs(nodes_[2].tls, 3, node1);  // consenter 2's certificate claiming to be consenter 3
  EXPECT_EQ(st.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(st.message(), HasSubstr("belongs to consenter 2, not 3"));

  TlsCa foreign_ca = MakeTlsCa("tlsca.elsewhere");
  crypto::Certificate foreign_cert(nullptr);
  ClusterTls foreign = IssueTls(foreign_ca, "orderer1", &foreign_cert);
  foreign.root_ca_pems.push_back(ca_.cert.ToPem());  // it trusts us, we do not trust it: the handshake fails
  EXPECT_EQ(DialAs(foreign, 2, node1).code(), absl::StatusCode::kUnavailable);

  EXPECT_TRUE(DialAs(nodes_[2].tls, 2, node1).ok());  // the real consenter 2 is admitted
}

TEST_F(ClusterTest, RefusesAServerThatIsNotTheExpectedConsenter) {
  // Expect node 1's address to be consenter 2: node 1 answers with its own certificate, which differs.
  ClusterMember wrong = members_[0];
  wrong.raft_id = 2;
  wrong.server_tls_cert = members_[1].server_tls_cert;
  absl::Status st = DialAs(nodes_[3].tls, 3, wrong);
  EXPECT_EQ(st.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(st.message(), HasSubstr("TLS certificate differs"));
}

TEST_F(ClusterTest, ACancelledDialerGivesUpInsteadOfWaitingOutItsTimeout) {
  ClusterMember unreachable = members_[1];
  unreachable.address = "127.0.0.1:1";  // nothing listens there: the dial could only time out
  ClusterDialerOptions options;
  options.channel_id = "healthchannel";
  options.self_id = 1;
  options.self_address = members_[0].address;
  options.tls = nodes_[1].tls;
  options.dial_timeout = absl::Hours(1);
  options.member_by_id = [unreachable](uint64_t) { return unreachable; };
  ClusterDialer dialer(options, std::make_shared<ClusterConnections>(nodes_[1].tls));
  dialer.Cancel();  // as Chain::Stop does
  absl::StatusOr<std::unique_ptr<raft::ByteStream>> stream = dialer.Dial(2, unreachable.address);
  ASSERT_FALSE(stream.ok());
  EXPECT_EQ(stream.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(stream.status().message(), HasSubstr("cancelled: the chain is stopping"));
}

}  // namespace
}  // namespace careledger::orderer::cluster
