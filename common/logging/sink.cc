#include "common/logging/sink.h"

#include <unistd.h>

#include <cerrno>

namespace careledger::logging {

void FileDescriptorSink::Write(std::string_view line) {
  while (!line.empty()) {
    const ssize_t written = ::write(fd_, line.data(), line.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return;
    line.remove_prefix(static_cast<size_t>(written));
  }
}

void CapturingSink::Write(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  absl::MutexLock lock(&mu_);
  lines_.emplace_back(line);
}

std::vector<std::string> CapturingSink::Lines() const {
  absl::MutexLock lock(&mu_);
  return lines_;
}

}  // namespace careledger::logging
