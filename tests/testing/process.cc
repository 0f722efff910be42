#include "tests/testing/process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

extern char** environ;

namespace careledger::testing {
namespace {

constexpr absl::Duration kPollInterval = absl::Milliseconds(20);

absl::Status ErrnoError(std::string_view what) {
  return absl::InternalError(absl::StrCat(std::string(what), ": ", std::strerror(errno)));
}

// The exit code of a wait status: the exit status, or 128 + the signal.
int ExitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Writes "careledger test: cannot exec <path>: errno <n>\n" with async-signal-safe calls only.
void ReportExecFailure(const char* path, int error) {
  char digits[16];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + error % 10);
    error /= 10;
  } while (error > 0 && n < 15);
  const char prefix[] = "careledger test: cannot exec ";
  (void)!write(2, prefix, sizeof(prefix) - 1);
  (void)!write(2, path, strlen(path));
  (void)!write(2, ": errno ", 8);
  while (n > 0) (void)!write(2, &digits[--n], 1);
  (void)!write(2, "\n", 1);
}

bool CanConnect(const std::string& host, uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  if (inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) return false;
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const bool connected = connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return connected;
}

}  // namespace

bool WaitUntil(const std::function<bool()>& condition, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!condition()) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(kPollInterval);
  }
  return true;
}

absl::StatusOr<std::unique_ptr<Process>> Process::Start(ProcessOptions options) {
  if (options.executable.empty()) return absl::InvalidArgumentError("process: no executable given");
  if (options.log_path.empty()) return absl::InvalidArgumentError("process: no log path given");

  // Everything the child needs is built before fork: between fork and exec only async-signal-safe calls.
  std::vector<std::string> argv_storage = {options.executable};
  argv_storage.insert(argv_storage.end(), options.args.begin(), options.args.end());
  std::vector<std::string> env_storage;
  if (options.inherit_environment) {
    for (char** entry = environ; *entry != nullptr; ++entry) {
      const std::string_view variable(*entry);
      const std::string name(variable.substr(0, variable.find('=')));
      if (options.env.count(name) == 0) env_storage.emplace_back(variable);
    }
  }
  for (const auto& [name, value] : options.env) env_storage.push_back(name + "=" + value);
  std::vector<char*> argv;
  for (std::string& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (std::string& variable : env_storage) envp.push_back(variable.data());
  envp.push_back(nullptr);

  const int log_fd = open(options.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return ErrnoError(absl::StrCat("process: cannot open ", options.log_path));
  const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) {
    close(log_fd);
    return ErrnoError("process: cannot open /dev/null");
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    close(log_fd);
    close(null_fd);
    return ErrnoError("process: fork");
  }
  if (pid == 0) {
    // The child: die with the test, start from a clean signal state, keep only stdin/stdout/stderr.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the test died before the line above
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    dup2(null_fd, 0);
    dup2(log_fd, 1);
    dup2(log_fd, 2);
    syscall(SYS_close_range, 3U, ~0U, 0U);  // sockets and files of the test stay with the test
    execve(argv[0], argv.data(), envp.data());
    ReportExecFailure(argv[0], errno);
    _exit(127);
  }
  close(log_fd);
  close(null_fd);
  return std::unique_ptr<Process>(new Process(std::move(options), pid));
}

Process::~Process() { Kill(); }

bool Process::IsRunning() {
  if (exit_code_.has_value()) return false;
  int status = 0;
  const pid_t reaped = waitpid(pid_, &status, WNOHANG);
  if (reaped == pid_) {
    exit_code_ = ExitCodeOf(status);
    return false;
  }
  if (reaped < 0 && errno == ECHILD) {
    exit_code_ = -1;  // not our child any more: someone else reaped it
    return false;
  }
  return true;
}

absl::Status Process::ExitedEarly(std::string_view waiting_for) const {
  return absl::FailedPreconditionError(absl::StrCat(options_.executable, " (pid ", pid_, ") exited with code ",
                                                    exit_code_.value_or(-1), " while waiting for ",
                                                    std::string(waiting_for), "; its log ends:\n", LogTail()));
}

absl::Status Process::WaitFor(std::string_view what, const std::function<bool()>& condition,
                             absl::Duration timeout) {
  bool exited = false;
  const bool done = WaitUntil(
      [&] {
        if (condition()) return true;
        exited = !IsRunning();
        return exited;
      },
      timeout);
  if (exited) return ExitedEarly(what);
  if (!done) {
    return absl::DeadlineExceededError(absl::StrCat(options_.executable, " (pid ", pid_, "): no ", std::string(what),
                                                    " after ", absl::FormatDuration(timeout), "; its log ends:\n",
                                                    LogTail()));
  }
  return absl::OkStatus();
}

absl::Status Process::WaitForPort(const std::string& host, uint16_t port, absl::Duration timeout) {
  return WaitFor(absl::StrCat(host, ":", port, " to accept connections"), [&] { return CanConnect(host, port); },
                 timeout);
}

absl::Status Process::WaitForLog(std::string_view text, absl::Duration timeout) {
  return WaitFor(absl::StrCat("\"", std::string(text), "\" in its log"),
                 [&] { return ReadLog().find(text) != std::string::npos; }, timeout);
}

absl::StatusOr<int> Process::Wait(absl::Duration timeout) {
  if (!WaitUntil([this] { return !IsRunning(); }, timeout)) {
    return absl::DeadlineExceededError(absl::StrCat(options_.executable, " (pid ", pid_, ") still running after ",
                                                    absl::FormatDuration(timeout)));
  }
  return *exit_code_;
}

void Process::Signal(int signal) {
  if (IsRunning()) kill(pid_, signal);
}

absl::StatusOr<int> Process::Stop(absl::Duration grace) {
  Signal(SIGTERM);
  absl::StatusOr<int> code = Wait(grace);
  if (code.ok()) return code;
  Kill();
  return *exit_code_;
}

void Process::Kill() {
  if (exit_code_.has_value()) return;
  kill(pid_, SIGKILL);
  int status = 0;
  pid_t reaped;
  do {
    reaped = waitpid(pid_, &status, 0);
  } while (reaped < 0 && errno == EINTR);
  exit_code_ = reaped == pid_ ? ExitCodeOf(status) : -1;
}

std::string Process::ReadLog() const {
  std::ifstream in(options_.log_path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string Process::LogTail(size_t max_bytes) const {
  std::string log = ReadLog();
  if (log.size() <= max_bytes) return log;
  return "..." + log.substr(log.size() - max_bytes);
}

absl::StatusOr<uint16_t> PickUnusedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return ErrnoError("PickUnusedPort: socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = 0;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    absl::Status error = ErrnoError("PickUnusedPort: bind 127.0.0.1:0");
    close(fd);
    return error;
  }
  close(fd);
  return ntohs(address.sin_port);
}

}  // namespace careledger::testing
