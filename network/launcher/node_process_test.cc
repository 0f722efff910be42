#include "network/launcher/node_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/file/file_io.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::launcher {
namespace {

using ::testing::HasSubstr;

// The parent PID of a process, from /proc/<pid>/stat.
pid_t ParentOf(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t close_paren = stat.rfind(')');
  if (close_paren == std::string::npos) return -1;
  char state = 0;
  int ppid = -1;
  sscanf(stat.c_str() + close_paren + 1, " %c %d", &state, &ppid);
  return ppid;
}

bool WaitFor(const std::function<bool()>& condition) {
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (!condition()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return true;
}

TEST(NodeProcessTest, StartsADetachedProcessAndStopsIt) {
  careledger::testing::ScopedTempDir dir;
  const std::string log = dir.path() + "/node.log";
  ASSERT_TRUE(file::WriteFileAtomic(log, "earlier run\n").ok());
  absl::StatusOr<DetachedProcess> p =
      StartDetached("/bin/sh", {"-c", "echo hello; echo oops >&2; exec sleep 60"}, log);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(IsSameProcess(p->pid, p->start_time));
  EXPECT_FALSE(IsSameProcess(p->pid, p->start_time + 1));  // a later process with the same PID
  EXPECT_NE(ParentOf(p->pid), getpid());                    // not our child: it outlives us
  EXPECT_NE(getsid(p->pid), getsid(0));                     // not in our session: no Ctrl-C reaches it
  ASSERT_TRUE(WaitFor([&] { return file::ReadFile(log).value_or("").find("oops") != std::string::npos; }));
  const std::string text = *file::ReadFile(log);
  EXPECT_THAT(text, HasSubstr("earlier run\n"));  // appended to
  EXPECT_THAT(text, HasSubstr("hello\n"));

  absl::StatusOr<bool> killed = StopProcess(p->pid, p->start_time, absl::Seconds(10));
  ASSERT_TRUE(killed.ok()) << killed.status();
  EXPECT_FALSE(*killed);  // SIGTERM was enough
  EXPECT_FALSE(IsSameProcess(p->pid, p->start_time));
  // Stopping it again does nothing.
  EXPECT_FALSE(*StopProcess(p->pid, p->start_time, absl::Seconds(1)));
  EXPECT_FALSE(SignalTerminate(p->pid, p->start_time));
}

TEST(NodeProcessTest, KillsAProcessThatIgnoresSigterm) {
  careledger::testing::ScopedTempDir dir;
  absl::StatusOr<DetachedProcess> p =
      StartDetached("/bin/sh", {"-c", "trap '' TERM; echo trapped; while :; do sleep 1; done"}, dir.path() + "/log");
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_TRUE(
      WaitFor([&] { return file::ReadFile(dir.path() + "/log").value_or("").find("trapped") != std::string::npos; }));
  absl::StatusOr<bool> killed = StopProcess(p->pid, p->start_time, absl::Milliseconds(300));
  ASSERT_TRUE(killed.ok()) << killed.status();
  EXPECT_TRUE(*killed);
  EXPECT_FALSE(IsSameProcess(p->pid, p->start_time));
}

TEST(NodeProcessTest, ReportsWhatCannotStart) {
  careledger::testing::ScopedTempDir dir;
  EXPECT_EQ(StartDetached(dir.path() + "/missing", {}, dir.path() + "/log").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(StartDetached("/bin/true", {}, dir.path() + "/no/such/dir/log").status().code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(ProcessStartTime(0x7ffffff0).status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(IsSameProcess(0, 0));
}

TEST(NodeProcessTest, SaysWhetherAPortCanBeListenedOn) {
  // A listening socket takes a port; once it closes, the port is free again.
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t length = sizeof(address);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const uint16_t port = ntohs(address.sin_port);
  EXPECT_FALSE(CanListenOn("127.0.0.1", port));
  close(fd);
  EXPECT_TRUE(CanListenOn("127.0.0.1", port));
  EXPECT_FALSE(CanListenOn("not-an-address", port));
}

TEST(NodeProcessTest, TailsAFile) {
  careledger::testing::ScopedTempDir dir;
  const std::string path = dir.path() + "/log";
  ASSERT_TRUE(file::WriteFileAtomic(path, "a\nb\nc\nd\n").ok());
  EXPECT_EQ(*TailOfFile(path, 2), "c\nd\n");
  EXPECT_EQ(*TailOfFile(path, 10), "a\nb\nc\nd\n");
  EXPECT_EQ(*TailOfFile(path, 0), "");
  ASSERT_TRUE(file::WriteFileAtomic(path, "a\nb").ok());
  EXPECT_EQ(*TailOfFile(path, 1), "b");
  EXPECT_EQ(TailOfFile(dir.path() + "/none", 3).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace careledger::launcher
