// Test-only: child processes for integration tests, and the waits tests need around them.
//
//   ASSIGN_OR_RETURN(auto orderer, Process::Start({.executable = kOrderer, .args = {"--config", yaml},
//                                                  .log_path = dir + "/orderer0.log"}));
//   RETURN_IF_ERROR(orderer->WaitForPort("127.0.0.1", admin_port, absl::Seconds(30)));
//   ...
//   ASSIGN_OR_RETURN(int exit_code, orderer->Stop(absl::Seconds(10)));   // SIGTERM, then SIGKILL
//
// No process is ever left behind by a test: the destructor kills (SIGKILL) and reaps a child still
// running, and each child is started with PR_SET_PDEATHSIG = SIGKILL, so that it dies with the test process
// even when the test is killed and no destructor runs. (The death signal follows the thread that started the
// child: start processes from the test's main thread, as GoogleTest runs tests.)
//
// Waits poll their condition every few milliseconds up to a deadline, and fail early, with the tail of the
// child's log, when the child exits meanwhile.
//
// Thread-safety: a Process is used from one thread.
#ifndef CARELEDGER_TESTS_TESTING_PROCESS_H_
#define CARELEDGER_TESTS_TESTING_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace careledger::testing {

struct ProcessOptions {
  std::string executable;          // a path; not looked up in PATH
  std::vector<std::string> args;   // without argv[0] (the executable is argv[0])
  // Variables set for the child on top of the test's own environment (or instead of it, see below).
  std::map<std::string, std::string> env;
  bool inherit_environment = true;
  std::string log_path;  // the child's stdout and stderr, appended; required
};

class Process {
 public:
  // Starts the child. InvalidArgument without an executable or log path; Internal (with errno's text) if
  // the log cannot be opened or fork fails; a child whose exec fails exits with status 127 and says why in
  // its log.
  static absl::StatusOr<std::unique_ptr<Process>> Start(ProcessOptions options);

  // Kills (SIGKILL) and reaps the child if it is still running.
  ~Process();

  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  const ProcessOptions& options() const { return options_; }

  // True until the child has exited (reaping it if it has).
  bool IsRunning();

  // The exit code once the child has exited: its exit status, or 128 + the signal that killed it.
  std::optional<int> exit_code() const { return exit_code_; }

  // Waits until a TCP connection to host:port succeeds. DeadlineExceeded after `timeout`; FailedPrecondition
  // if the child exits first. Both messages end with the tail of the child's log.
  absl::Status WaitForPort(const std::string& host, uint16_t port, absl::Duration timeout);

  // Waits until the child's log holds `text`. Errors as WaitForPort.
  absl::Status WaitForLog(std::string_view text, absl::Duration timeout);

  // Waits for the child to exit and returns its exit code (as exit_code()). DeadlineExceeded after
  // `timeout`, the child still running.
  absl::StatusOr<int> Wait(absl::Duration timeout);

  // Sends `signal` (SIGTERM, ...) if the child is running.
  void Signal(int signal);

  // SIGTERM, then SIGKILL if the child has not exited after `grace`; returns its exit code.
  absl::StatusOr<int> Stop(absl::Duration grace);

  // SIGKILL and reap. Idempotent.
  void Kill();

  // The child's log so far (empty if it cannot be read).
  std::string ReadLog() const;
  // Its last `max_bytes` bytes, for error messages.
  std::string LogTail(size_t max_bytes = 4096) const;

 private:
  Process(ProcessOptions options, pid_t pid) : options_(std::move(options)), pid_(pid) {}
  absl::Status ExitedEarly(std::string_view waiting_for) const;
  // Polls `condition` until it holds, the child exits or `timeout` passes; `what` names it in errors.
  absl::Status WaitFor(std::string_view what, const std::function<bool()>& condition, absl::Duration timeout);

  ProcessOptions options_;
  pid_t pid_;
  std::optional<int> exit_code_;
};

// A TCP port on 127.0.0.1 that nobody listened on a moment ago: the kernel picks a free one for a socket
// bound to port 0, which is then closed. Another process may take it before the caller binds it (rarely:
// the kernel hands out ephemeral ports in turn). Internal if no socket can be bound.
absl::StatusOr<uint16_t> PickUnusedPort();

// Polls `condition` every few milliseconds until it holds (true) or `timeout` passes (false).
bool WaitUntil(const std::function<bool()>& condition, absl::Duration timeout);

}  // namespace careledger::testing

#endif  // CARELEDGER_TESTS_TESTING_PROCESS_H_
