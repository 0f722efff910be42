// MemoryState: an in-memory world state for tests. It honours the StateSnapshot contract
// (peer/ledger/state/state_snapshot.h) exactly, so that tests of the simulator, the MVCC check and anything
// else that reads committed state can run without a disk:
//
//   ledger::MemoryState state;
//   state.Put("patients", "p1", "{...}", {.block_num = 3, .tx_num = 0});
//   state.set_height(4);
//   std::unique_ptr<ledger::StateSnapshot> view = state.Snapshot();
//   state.Delete("patients", "p1");  // `view` still sees p1 at version 3:0
//
// Keys and values are arbitrary bytes (the state store below the simulator does not judge them), compared
// byte-wise as unsigned bytes, so "\x00" sorts first and "\xff" last.
//
// Snapshots are copy-on-write: a snapshot shares each namespace's map with the state until the state next
// writes to that namespace, which then copies that one namespace. A snapshot never changes and may outlive
// the MemoryState that made it (and its iterators may outlive the snapshot, more than the contract asks).
//
// Thread-safety: a MemoryState is thread-compatible (one writer at a time, no reads during a write);
// snapshots are immutable and thread-safe, as the contract requires, also while the state is being written.
#ifndef CARELEDGER_PEER_LEDGER_STATE_TESTING_MEMORY_STATE_H_
#define CARELEDGER_PEER_LEDGER_STATE_TESTING_MEMORY_STATE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "peer/ledger/state/state_snapshot.h"

namespace careledger::ledger {

class MemoryState {
 public:
  // An empty state at height 0.
  MemoryState() = default;

  MemoryState(const MemoryState&) = delete;
  MemoryState& operator=(const MemoryState&) = delete;

  // Sets `key` of namespace `ns` to `value`, written by the transaction at `version` (replacing any value).
  void Put(std::string_view ns, std::string_view key, std::string_view value, Version version);

  // Removes `key` of namespace `ns`; removing an absent key does nothing.
  void Delete(std::string_view ns, std::string_view key);

  // The height later snapshots report (StateSnapshot::height). The state does not check that versions
  // written are below it: tests set whatever their scenario needs.
  void set_height(uint64_t height) { height_ = height; }
  uint64_t height() const { return height_; }

  // A view of the state as it is now, unaffected by later Put and Delete calls.
  std::unique_ptr<StateSnapshot> Snapshot() const;

 private:
  using KeyMap = std::map<std::string, VersionedValue, std::less<>>;

  // The key map of `ns`, unshared (copied first if a snapshot still holds it), created if absent.
  KeyMap& MutableKeys(std::string_view ns);

  // Snapshots hold the same KeyMaps as shared_ptr<const KeyMap>; a map is written in place only while this is
  // its one owner.
  std::map<std::string, std::shared_ptr<KeyMap>, std::less<>> namespaces_;
  uint64_t height_ = 0;
};

}  // namespace careledger::ledger

#endif  // CARELEDGER_PEER_LEDGER_STATE_TESTING_MEMORY_STATE_H_
