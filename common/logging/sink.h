// Sinks: where finished log lines go.
#ifndef CARELEDGER_COMMON_LOGGING_SINK_H_
#define CARELEDGER_COMMON_LOGGING_SINK_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace careledger::logging {

// Receives whole lines, each ending in '\n'. Write is called from any thread, concurrently, and must not
// log (that would recurse) and should not block for long: it runs on the logging thread.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual void Write(std::string_view line) = 0;
};

// Writes each line to a file descriptor with a single write(2), so lines from concurrent writers never
// interleave: POSIX guarantees it for pipes up to PIPE_BUF (4096) bytes, and Linux for regular files opened
// with O_APPEND. A short write (a full pipe, a signal) is completed with further writes, which another
// writer may then interleave with. Other write errors drop the line: a logger has nowhere to report them.
// Does not own the descriptor. Thread-safe.
class FileDescriptorSink final : public Sink {
 public:
  explicit FileDescriptorSink(int fd) : fd_(fd) {}
  void Write(std::string_view line) override;

 private:
  const int fd_;
};

// Keeps every line in memory; for tests. Thread-safe.
class CapturingSink final : public Sink {
 public:
  void Write(std::string_view line) override;

  // The lines written so far, without their final '\n'.
  std::vector<std::string> Lines() const;

 private:
  mutable absl::Mutex mu_;
  std::vector<std::string> lines_ ABSL_GUARDED_BY(mu_);
};

}  // namespace careledger::logging

#endif  // CARELEDGER_COMMON_LOGGING_SINK_H_
