// Test-only: a StateMachine that records the entries applied to it. Its snapshot is the whole list, so a
// member restored from a snapshot ends up with exactly the leader's entries.
#ifndef CARELEDGER_ORDERER_RAFT_TESTING_RECORDING_STATE_MACHINE_H_
#define CARELEDGER_ORDERER_RAFT_TESTING_RECORDING_STATE_MACHINE_H_

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "orderer/raft/raft_node.h"

namespace careledger::orderer::raft::testing {

// Records applied entries; its snapshot is the whole list, so restoring proves snapshots carry state.
class RecordingStateMachine : public StateMachine {
 public:
  absl::Status Apply(std::string_view entry) override {
    absl::MutexLock lock(&mu_);
    entries_.emplace_back(entry);
    return absl::OkStatus();
  }
  absl::StatusOr<std::string> Snapshot() override {
    absl::MutexLock lock(&mu_);
    std::string out;
    for (const std::string& e : entries_) absl::StrAppend(&out, e, "\n");
    ++snapshots_;
    return out;
  }
  absl::Status Restore(std::string_view snapshot) override {
    absl::MutexLock lock(&mu_);
    entries_.clear();
    std::string_view rest = snapshot;
    while (!rest.empty()) {
      const size_t nl = rest.find('\n');
      entries_.emplace_back(rest.substr(0, nl));
      rest.remove_prefix(nl + 1);
    }
    ++restores_;
    return absl::OkStatus();
  }
  std::vector<std::string> entries() {
    absl::MutexLock lock(&mu_);
    return entries_;
  }
  int restores() {
    absl::MutexLock lock(&mu_);
    return restores_;
  }
  // Waits until `n` entries are applied, up to `timeout`.
  bool WaitForEntries(size_t n, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto enough = [&] { return entries_.size() >= n; };
    return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> entries_ ABSL_GUARDED_BY(mu_);
  int snapshots_ ABSL_GUARDED_BY(mu_) = 0;
  int restores_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace careledger::orderer::raft::testing

#endif  // CARELEDGER_ORDERER_RAFT_TESTING_RECORDING_STATE_MACHINE_H_
