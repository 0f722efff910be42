#include "tests/testing/process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::testing {
namespace {

using ::testing::HasSubstr;

class ProcessTest : public ::testing::Test {
 protected:
  std::unique_ptr<Process> Shell(const std::string& script, std::map<std::string, std::string> env = {}) {
    ProcessOptions options;
    options.executable = "/bin/sh";
    options.args = {"-c", script};
    options.env = std::move(env);
    options.log_path = dir_.Path("child" + std::to_string(children_++) + ".log");  // one log per child
    auto process = Process::Start(std::move(options));
    EXPECT_TRUE(process.ok()) << process.status();
    return process.ok() ? *std::move(process) : nullptr;
  }

  ScopedTempDir dir_;
  int children_ = 0;
};

TEST_F(ProcessTest, CapturesOutputEnvironmentAndExitCode) {
  auto child = Shell("echo out; echo err >&2; echo \"$GREETING\"; exit 3", {{"GREETING", "hello"}});
  absl::StatusOr<int> code = child->Wait(absl::Seconds(30));
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 3);
  EXPECT_FALSE(child->IsRunning());
  EXPECT_THAT(child->ReadLog(), HasSubstr("out\nerr\nhello\n"));
}

TEST_F(ProcessTest, StopsWithSigtermAndKillsWhatIgnoresIt) {
  auto polite = Shell("echo started; exec sleep 600");
  ASSERT_TRUE(polite->WaitForLog("started", absl::Seconds(30)).ok());
  absl::StatusOr<int> code = polite->Stop(absl::Seconds(30));
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(*code, 128 + SIGTERM);

  auto stubborn = Shell("trap '' TERM; echo started; while true; do sleep 1; done");
  ASSERT_TRUE(stubborn->WaitForLog("started", absl::Seconds(30)).ok());
  code = stubborn->Stop(absl::Milliseconds(300));
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(*code, 128 + SIGKILL);
}

TEST_F(ProcessTest, DestructorLeavesNoProcessBehind) {
  pid_t pid = 0;
  {
    auto child = Shell("exec sleep 600");
    pid = child->pid();
    ASSERT_TRUE(child->IsRunning());
  }
  EXPECT_EQ(kill(pid, 0), -1) << "pid " << pid << " is still alive (or a zombie)";
}

TEST_F(ProcessTest, WaitsForAPortAndFailsEarlyWhenTheChildExits) {
  auto child = Shell("exec sleep 600");
  absl::StatusOr<uint16_t> port = PickUnusedPort();
  ASSERT_TRUE(port.ok()) << port.status();
  EXPECT_EQ(child->WaitForPort("127.0.0.1", *port, absl::Milliseconds(200)).code(),
            absl::StatusCode::kDeadlineExceeded);

  const int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(*port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(listener, reinterpret_cast<const sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(listen(listener, 4), 0);
  EXPECT_TRUE(child->WaitForPort("127.0.0.1", *port, absl::Seconds(30)).ok());
  close(listener);

  auto quitter = Shell("echo bye; exit 7");
  absl::Status waited = quitter->WaitForLog("never printed", absl::Seconds(30));
  EXPECT_EQ(waited.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(waited.message(), HasSubstr("exited with code 7"));
  EXPECT_THAT(waited.message(), HasSubstr("bye"));
}

TEST_F(ProcessTest, ReportsAnExecutableThatCannotRun) {
  ProcessOptions options;
  options.executable = dir_.Path("no-such-program");
  options.log_path = dir_.Path("child.log");
  auto child = Process::Start(options);
  ASSERT_TRUE(child.ok());
  absl::StatusOr<int> code = (*child)->Wait(absl::Seconds(30));
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(*code, 127);
  EXPECT_THAT((*child)->ReadLog(), HasSubstr("cannot exec"));
  EXPECT_EQ(Process::Start(ProcessOptions{}).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace careledger::testing
