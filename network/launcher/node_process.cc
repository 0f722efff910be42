#include "network/launcher/node_process.h"

#include <errno.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/file/file_io.h"
#include "common/status_macros.h"

namespace careledger::launcher {
namespace {

constexpr uint64_t kMaxTailBytes = 4 << 20;

absl::Status ErrnoError(const std::string& what, int error) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(error)));
}

// Writes all of `data` (async-signal-safe).
void WriteAll(int fd, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    p += n;
    size -= static_cast<size_t>(n);
  }
}

// Reads up to `size` bytes until EOF; the count read.
size_t ReadAll(int fd, void* data, size_t size) {
  char* p = static_cast<char*>(data);
  size_t got = 0;
  while (got < size) {
    const ssize_t n = read(fd, p + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  return got;
}

}  // namespace

absl::StatusOr<DetachedProcess> StartDetached(const std::string& executable, const std::vector<std::string>& args,
                                              const std::string& log_path) {
  if (access(executable.c_str(), X_OK) != 0) {
    return absl::NotFoundError(absl::StrCat(executable, " is not an executable file"));
  }
  const int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return ErrnoError(absl::StrCat("opening ", log_path), errno);
  const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) {
    close(log_fd);
    return ErrnoError("opening /dev/null", errno);
  }
  // Everything the children need, built before fork: only async-signal-safe calls may follow it.
  std::vector<std::string> argv_storage;
  argv_storage.push_back(executable);
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);

  // The middle child reports the grandchild's PID on this pipe; the grandchild reports exec's errno on it.
  // Its write end is close-on-exec, so EOF after the PID means the exec succeeded.
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) {
    const int error = errno;
    close(log_fd);
    close(null_fd);
    return ErrnoError("pipe", error);
  }
  const pid_t middle = fork();
  if (middle < 0) {
    const int error = errno;
    close(log_fd);
    close(null_fd);
    close(report[0]);
    close(report[1]);
    return ErrnoError("fork", error);
  }
  if (middle == 0) {
    close(report[0]);
    setsid();
    const pid_t node = fork();
    if (node != 0) {
      const int32_t value = node;  // -1 if the fork failed
      WriteAll(report[1], &value, sizeof(value));
      _exit(0);
    }
    // The node: default signal handling (the CLI may have ignored some), its own stdio.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    dup2(null_fd, STDIN_FILENO);
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    execv(executable.c_str(), argv.data());
    const int32_t error = errno;
    WriteAll(report[1], &error, sizeof(error));
    _exit(127);
  }
  close(report[1]);
  close(log_fd);
  close(null_fd);
  int32_t node = -1;
  const size_t got = ReadAll(report[0], &node, sizeof(node));
  int32_t exec_error = 0;
  const size_t got_error = got == sizeof(node) ? ReadAll(report[0], &exec_error, sizeof(exec_error)) : 0;
  close(report[0]);
  int ignored = 0;
  while (waitpid(middle, &ignored, 0) < 0 && errno == EINTR) {
  }
  if (got != sizeof(node) || node <= 0) return absl::InternalError(absl::StrCat("could not start ", executable));
  if (got_error == sizeof(exec_error)) return ErrnoError(absl::StrCat("executing ", executable), exec_error);
  absl::StatusOr<uint64_t> start_time = ProcessStartTime(node);
  if (!start_time.ok()) {
    return absl::UnavailableError(absl::StrCat(executable, " (pid ", node, ") exited as soon as it started"));
  }
  return DetachedProcess{node, *start_time};
}

absl::StatusOr<uint64_t> ProcessStartTime(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
  const size_t close_paren = stat.rfind(')');
  if (stat.empty() || close_paren == std::string::npos) {
    return absl::NotFoundError(absl::StrCat("no process ", pid));
  }
  const std::vector<std::string> fields =
      absl::StrSplit(stat.substr(close_paren + 1), ' ', absl::SkipEmpty());
  // fields[0] is field 3 (state); the start time is field 22.
  if (fields.size() < 20) return absl::InternalError(absl::StrCat("/proc/", pid, "/stat: too few fields"));
  if (fields[0] == "Z" || fields[0] == "X") return absl::NotFoundError(absl::StrCat("process ", pid, " has exited"));
  uint64_t start_time = 0;
  if (!absl::SimpleAtoi(fields[19], &start_time)) {
    return absl::InternalError(absl::StrCat("/proc/", pid, "/stat: start time is not a number"));
  }
  return start_time;
}

bool IsSameProcess(pid_t pid, uint64_t start_time) {
  if (pid <= 0) return false;
  absl::StatusOr<uint64_t> now = ProcessStartTime(pid);
  return now.ok() && *now == start_time;
}

bool SignalTerminate(pid_t pid, uint64_t start_time) {
  if (!IsSameProcess(pid, start_time)) return false;
  return kill(pid, SIGTERM) == 0;
}

absl::StatusOr<bool> StopProcess(pid_t pid, uint64_t start_time, absl::Duration grace) {
  if (!IsSameProcess(pid, start_time)) return false;
  kill(pid, SIGTERM);
  const auto gone_within = [&](absl::Duration limit) {
    const absl::Time deadline = absl::Now() + limit;
    while (IsSameProcess(pid, start_time)) {
      if (absl::Now() >= deadline) return false;
      absl::SleepFor(absl::Milliseconds(50));  // poll interval: no way to wait on a process we did not fork
    }
    return true;
  };
  if (gone_within(grace)) return false;
  kill(pid, SIGKILL);
  if (gone_within(absl::Seconds(5))) return true;
  return absl::DeadlineExceededError(absl::StrCat("process ", pid, " survived SIGKILL for 5s"));
}

bool CanListenOn(const std::string& host, uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  if (inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) return false;
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const int on = 1;
  const bool bound = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == 0 &&
                     bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return bound;
}

absl::StatusOr<std::string> TailOfFile(const std::string& path, int lines) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return file::Exists(path) ? absl::InternalError(absl::StrCat("cannot read ", path))
                              : absl::NotFoundError(absl::StrCat(path, " does not exist"));
  }
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  const std::streamoff start = size > static_cast<std::streamoff>(kMaxTailBytes)
                                   ? size - static_cast<std::streamoff>(kMaxTailBytes)
                                   : 0;
  in.seekg(start);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (lines <= 0) return std::string();
  size_t at = text.size();
  if (at > 0 && text[at - 1] == '\n') --at;  // the final newline ends the last line
  int seen = 0;
  while (at > 0) {
    if (text[at - 1] == '\n' && ++seen == lines) break;
    --at;
  }
  return text.substr(at);
}

}  // namespace careledger::launcher
