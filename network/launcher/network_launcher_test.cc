// NetworkUp's re-run rules, NetworkDown and NetworkStatus on a state file whose "nodes" are sleep processes:
// what the launcher does with recorded PIDs, without starting a real network (network_cli_test.sh does that).
#include "network/launcher/network_launcher.h"

#include "absl/strings/str_cat.h"
#include "common/file/file_io.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
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

TEST_F(NetworkLauncherTest, UpOnAPartlyRunningNetworkAsksForDownFirst) {
  Write({Node("a.example.org", true), Node("b.example.org", false)});
  UpOptions options;
  options.dir = dir_.path();
  const absl::Status status = NetworkUp(options);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("partly running (a.example.org; stopped: b.example.org)"));
  EXPECT_THAT(status.message(), HasSubstr("careledger network down"));
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
  EXPECT_EQ(NetworkStatus(dir_.path() + "/none").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace careledger::launcher
