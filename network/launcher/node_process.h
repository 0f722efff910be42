// Node processes that outlive the command that starts them: `careledger network up` starts each node in a
// session of its own (setsid) as a grandchild, so that init adopts it and neither the CLI's exit nor a
// Ctrl-C in its terminal reaches it; `network down` later finds it again by PID and start time.
//
// Linux only (/proc). Thread-safety: free functions, no shared state; StartDetached forks, and between fork
// and exec calls only async-signal-safe functions, so it may be called while other threads run.
#ifndef CARELEDGER_NETWORK_LAUNCHER_NODE_PROCESS_H_
#define CARELEDGER_NETWORK_LAUNCHER_NODE_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace careledger::launcher {

struct DetachedProcess {
  pid_t pid = 0;
  uint64_t start_time = 0;  // clock ticks after boot, /proc/<pid>/stat field 22
};

// Runs `executable` with `args` in a new session, stdin from /dev/null, stdout and stderr appended to
// `log_path` (created 0644 if missing). Returns once the program has been exec'd. NotFound if the
// executable does not exist; Internal (with errno's text) if the log cannot be opened or fork or exec fail;
// Unavailable if the program exited before its start time could be read.
absl::StatusOr<DetachedProcess> StartDetached(const std::string& executable, const std::vector<std::string>& args,
                                              const std::string& log_path);

// The start time of process `pid`; NotFound if there is none (or it is a zombie: it has exited).
absl::StatusOr<uint64_t> ProcessStartTime(pid_t pid);

// True if process `pid` is alive and is the one that started at `start_time` (not a later process that
// reused the PID).
bool IsSameProcess(pid_t pid, uint64_t start_time);

// Stops a process we started: SIGTERM, then SIGKILL if it is still alive after `grace`, then waits (up to 5
// s more) until it is gone. Does nothing if `pid` is no longer that process. True if it had to be killed.
// DeadlineExceeded if it survived SIGKILL's wait (a process in uninterruptible sleep).
absl::StatusOr<bool> StopProcess(pid_t pid, uint64_t start_time, absl::Duration grace);

// Sends SIGTERM if `pid` is still the process that started at `start_time`; false if it was not.
bool SignalTerminate(pid_t pid, uint64_t start_time);

// Whether a node could listen on host:port now: a TCP socket with SO_REUSEADDR (as gRPC's and our HTTP
// listeners set it) binds there. False while another process listens, and for a while after a node was
// SIGKILLed, until the kernel lets go of its connections on that port. `host` is an IPv4 address.
bool CanListenOn(const std::string& host, uint16_t port);

// The last `lines` lines of the file (the whole file if shorter); reads at most its last 4 MiB.
absl::StatusOr<std::string> TailOfFile(const std::string& path, int lines);

}  // namespace careledger::launcher

#endif  // CARELEDGER_NETWORK_LAUNCHER_NODE_PROCESS_H_
