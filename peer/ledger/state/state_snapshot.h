// The world state as the rest of the peer reads it: a consistent, read-only view of every committed key at one
// block height. The ledger's LevelDB state store implements it (one LevelDB snapshot per view); tests use the
// in-memory implementation in peer/ledger/state/testing/. The transaction simulator reads through it while
// the endorser simulates, and the committer's MVCC check reads through it while validating a block: a view
// never changes, however many blocks commit after it was taken.
//
// Keys are bytes, compared byte-wise (as LevelDB and Fabric's goleveldb state database compare them). A
// namespace is a chaincode name ("_lifecycle" for chaincode definitions); namespaces never see each other's
// keys.
#ifndef CARELEDGER_PEER_LEDGER_STATE_STATE_SNAPSHOT_H_
#define CARELEDGER_PEER_LEDGER_STATE_STATE_SNAPSHOT_H_

#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace careledger::ledger {

// The height of the transaction that last wrote a key: its block number and its position in BlockData.data
// (Fabric's kvrwset.Version). Ordered by block, then transaction.
struct Version {
  uint64_t block_num = 0;
  uint64_t tx_num = 0;

  friend auto operator<=>(const Version&, const Version&) = default;
};

// A committed value and the version that wrote it.
struct VersionedValue {
  std::string value;
  Version version;

  friend bool operator==(const VersionedValue&, const VersionedValue&) = default;
};

// One key of a range scan.
struct StateEntry {
  std::string key;
  VersionedValue value;

  friend bool operator==(const StateEntry&, const StateEntry&) = default;
};

// Walks a range of one namespace in ascending key order. Not thread-safe; owned by its caller; may outlive
// nothing: it must be destroyed before the snapshot that made it.
class StateIterator {
 public:
  virtual ~StateIterator() = default;

  // The next entry, or nullopt once the range is exhausted (and on every call after that). Errors are storage
  // failures (DataLoss for a corrupt entry, Internal for I/O), after which the iterator is done.
  virtual absl::StatusOr<std::optional<StateEntry>> Next() = 0;
};

// A read-only view of the committed state after blocks [0, height()). Thread-safe: Get and Scan may be called
// from several threads at once.
class StateSnapshot {
 public:
  virtual ~StateSnapshot() = default;

  // The number of blocks whose transactions this view includes (the state savepoint it was taken at).
  virtual uint64_t height() const = 0;

  // The value of `key` in namespace `ns`, or nullopt if it was never written or was deleted. Errors: DataLoss
  // if the stored entry is corrupt, Internal for I/O failures.
  virtual absl::StatusOr<std::optional<VersionedValue>> Get(std::string_view ns, std::string_view key) const = 0;

  // The keys k of namespace `ns` with start_key <= k < end_key, ascending; an empty end_key means no upper
  // bound (an empty start_key is the smallest key). start_key > end_key (with end_key non-empty) is an empty
  // range, not an error. Errors as Get.
  virtual absl::StatusOr<std::unique_ptr<StateIterator>> Scan(std::string_view ns, std::string_view start_key,
                                                              std::string_view end_key) const = 0;
};

}  // namespace careledger::ledger

#endif  // CARELEDGER_PEER_LEDGER_STATE_STATE_SNAPSHOT_H_
