// NetworkUp's re-run rules, NetworkDown, NetworkStopNode and NetworkStatus (with NodeHealth) on a state file
// whose "nodes" are sleep processes: what the launcher does with recorded PIDs, without starting a real network
// (network_cli_test.sh does that).
#include "network/launcher/network_launcher.h"

#include <thread>

#include "absl/strings/str_cat.h"
#include "common/file/file_io.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "network/launcher/node_health.h"
#include "network/launcher/node_process.h"

namespace careledger::launcher {
namespace {

using ::testing::HasSubstr;

class NetworkLauncherTest : public ::testing::Test {
 protected:
  ~NetworkLauncherTest() override {
    for (const DetachedProcess& p : started_) (void)StopProcess(p.pid, p.start_time, absl::Seconds(1));
  }

  // A node whose process is a detached `sleep`, or none (pid 0).
  NodeState Node(const std::string& name, bool running) {
    NodeState n;
    n.name = name;
    n.kind = NodeKind::kPeer;
    n.role = "endorsing";
    n.organization = "Hospital1";
    n.msp_id = "Hospital1MSP";
    n.host = "127.0.0.1";
    n.port = 1;  // nothing listens: status cannot reach it
    n.admin_port = 1;
    n.dir = dir_.path() + "/" + name;
    n.log_path = n.dir + "/node.log";
    EXPECT_TRUE(file::CreateDirectories(n.dir).ok());
    if (running) {
      absl::StatusOr<DetachedProcess> p = StartDetached("/bin/sleep", {"60"}, n.log_path);
      EXPECT_TRUE(p.ok()) << p.status();
      if (p.ok()) {
        started_.push_back(*p);
        n.pid = p->pid;
        n.start_time = p->start_time;
      }
    }
    return n;
  }

  void Write(std::vector<NodeState> nodes, bool up_complete = true) {
    NetworkState state;
    state.up_complete = up_complete;
    state.consortium = "testnet";
    state.config_path = dir_.path() + "/consortium.yaml";
    state.channels.push_back({"healthchannel", dir_.path() + "/healthchannel.block"});
    state.organizations.push_back({"Hospital1", "Hospital1MSP", "hospital", dir_.path() + "/admin"});
    state.nodes = std::move(nodes);
    ASSERT_TRUE(WriteNetworkState(dir_.path(), state).ok());
  }

  std::vector<std::string> lines_;
  ProgressSink sink_ = [this](std::string_view line) { lines_.emplace_back(line); };
  careledger::testing::ScopedTempDir dir_;
  std::vector<DetachedProcess> started_;
};

TEST_F(NetworkLauncherTest, UpOnARunningNetworkChangesNothing) {
  Write({Node("a.example.org", true), Node("b.example.org", true)});
  const std::string before = *file::ReadFile(dir_.path() + "/network.json");
  UpOptions options;
  options.dir = dir_.path();
  options.progress = sink_;
  ASSERT_TRUE(NetworkUp(options).ok());
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_THAT(lines_[0], HasSubstr("already running (2 nodes); nothing to do"));
  EXPECT_EQ(*file::ReadFile(dir_.path() + "/network.json"), before);
}

TEST_F(NetworkLauncherTest, UpResumesAnUpCutShort) {
  Write({Node("a.example.org", true)}, /*up_complete=*/false);
  UpOptions options;
  options.dir = dir_.path();
  options.progress = sink_;
  // It goes on to the steps, which need the description this test does not write.
  EXPECT_EQ(NetworkUp(options).code(), absl::StatusCode::kNotFound);
  ASSERT_FALSE(lines_.empty());
  EXPECT_THAT(lines_[0], HasSubstr("resuming"));
}

TEST_F(NetworkLauncherTest, UpOnAPartlyRunningNetworkStartsTheStoppedNodes) {
  Write({Node("a.example.org", true), Node("b.example.org", false)});
  UpOptions options;
  options.dir = dir_.path();
  options.progress = sink_;
  // It goes on to the steps, which need the description this test does not write.
  EXPECT_EQ(NetworkUp(options).code(), absl::StatusCode::kNotFound);
  ASSERT_FALSE(lines_.empty());
  EXPECT_THAT(lines_[0], HasSubstr("starting the stopped nodes (b.example.org); the running ones are left"));
}

TEST_F(NetworkLauncherTest, UpWithoutNetworkOrDescription) {
  UpOptions options;
  options.dir = dir_.path() + "/none";
  options.config_path = dir_.path() + "/missing.yaml";
  EXPECT_EQ(NetworkUp(options).code(), absl::StatusCode::kNotFound);
}

TEST_F(NetworkLauncherTest, DownStopsOnlyTheProcessesItStarted) {
  NodeState ours = Node("a.example.org", true);
  // A PID slot whose process has since been replaced by another (same PID, another start time).
  NodeState reused = Node("b.example.org", true);
  const DetachedProcess other{static_cast<pid_t>(reused.pid), reused.start_time};
  reused.start_time += 1;
  Write({ours, reused});
  DownOptions options;
  options.dir = dir_.path();
  options.progress = sink_;
  ASSERT_TRUE(NetworkDown(options).ok());
  EXPECT_FALSE(IsSameProcess(static_cast<pid_t>(ours.pid), ours.start_time));
  EXPECT_TRUE(IsSameProcess(other.pid, other.start_time));  // left alone
  absl::StatusOr<NetworkState> state = ReadNetworkState(dir_.path());
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->nodes[0].pid, 0);
  EXPECT_EQ(state->nodes[1].pid, 0);  // not ours, not running as recorded: the slot is cleared
  EXPECT_THAT(lines_.back(), HasSubstr("data kept"));
}

TEST_F(NetworkLauncherTest, DownPurgeRemovesTheFolder) {
  Write({Node("a.example.org", true)});
  DownOptions options;
  options.dir = dir_.path() + "/";
  options.purge = true;
  ASSERT_TRUE(NetworkDown(options).ok());
  EXPECT_FALSE(file::Exists(dir_.path() + "/network.json"));
  EXPECT_EQ(NetworkDown(options).code(), absl::StatusCode::kNotFound);
}

TEST_F(NetworkLauncherTest, StatusSaysWhatRunsAndWhatCannotBeAsked) {
  NodeState running = Node("a.example.org", true);
  Write({running, Node("b.example.org", false)});
  absl::StatusOr<std::vector<NodeStatus>> status = NetworkStatus(dir_.path());
  ASSERT_TRUE(status.ok()) << status.status();
  ASSERT_EQ(status->size(), 2u);
  EXPECT_TRUE((*status)[0].running);
  ASSERT_EQ((*status)[0].channels.size(), 1u);
  EXPECT_FALSE((*status)[0].channels[0].height.has_value());
  EXPECT_FALSE((*status)[0].channels[0].error.empty());
  EXPECT_FALSE((*status)[1].running);
  EXPECT_TRUE((*status)[1].channels.empty());
  const std::string table = FormatNetworkStatus(*status);
  EXPECT_THAT(table, HasSubstr(absl::StrCat("a.example.org  endorsing  running  ", running.pid)));
  EXPECT_THAT(table, HasSubstr("b.example.org  endorsing  stopped  -"));
  // The sleep that stands in for a node has no operations endpoint: it is reported, not taken as healthy.
  EXPECT_THAT((*status)[0].health, HasSubstr("unreachable"));
  EXPECT_THAT(table, HasSubstr("FAILED"));
  EXPECT_THAT(table, HasSubstr("a.example.org: unreachable"));
  EXPECT_EQ(NetworkStatus(dir_.path() + "/none").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(NetworkLauncherTest, StopNodeStopsThatNodeOnly) {
  NodeState a = Node("a.example.org", true);
  NodeState b = Node("b.example.org", true);
  Write({a, b});
  StopNodeOptions options;
  options.dir = dir_.path();
  options.node = "b.example";
  options.progress = sink_;
  ASSERT_TRUE(NetworkStopNode(options).ok());
  EXPECT_FALSE(IsSameProcess(static_cast<pid_t>(b.pid), b.start_time));
  EXPECT_TRUE(IsSameProcess(static_cast<pid_t>(a.pid), a.start_time));
  absl::StatusOr<NetworkState> state = ReadNetworkState(dir_.path());
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->nodes[0].pid, a.pid);
  EXPECT_EQ(state->nodes[1].pid, 0);
  EXPECT_THAT(lines_.back(), HasSubstr("starts b.example.org again"));
  options.node = "nobody";
  EXPECT_EQ(NetworkStopNode(options).code(), absl::StatusCode::kNotFound);
}

// A stand-in operations endpoint answering /healthz with `status` and `body`.
class FakeOperations {
 public:
  FakeOperations(int status, std::string body) {
    server_.Get("/healthz", [status, body](const httplib::Request&, httplib::Response& response) {
      response.status = status;
      response.set_content(body, "application/json");
    });
    // Listening once bound: the kernel queues a connection until the accept loop runs.
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FakeOperations() {
    server_.stop();
    thread_.join();
  }
  NodeState Node() const {
    NodeState n;
    n.host = "127.0.0.1";
    n.operations_port = static_cast<uint16_t>(port_);
    return n;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

TEST(NodeHealthTest, ReportsTheNodesOwnVerdict) {
  EXPECT_EQ(NodeHealth(FakeOperations(200, R"({"status":"OK"})").Node()), "OK");
  EXPECT_EQ(NodeHealth(FakeOperations(503, R"({"status":"Service Unavailable","failed_checks":[)"
                                           R"({"component":"raft","reason":"channel ch1: no Raft leader"}]})")
                           .Node()),
            "failed: raft: channel ch1: no Raft leader");
  EXPECT_EQ(NodeHealth(FakeOperations(404, "").Node()), "unknown: /healthz answered 404");
}

}  // namespace
}  // namespace careledger::launcher
