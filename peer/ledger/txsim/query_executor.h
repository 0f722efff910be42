// QueryExecutor: read-only access to committed state that records nothing, for reads whose result is never
// endorsed or committed (Fabric's ledger.QueryExecutor): system queries, the vault's consent checks. A
// proposal that will be endorsed, even one the client only evaluates, runs on a TxSimulator instead, so that
// its response carries the read set it depended on.
//
// Its calls mirror TxSimulator's reads so that the same adapter code serves both, but it checks no keys: a
// key that cannot exist is simply absent.
//
// Ownership and thread-safety: shares ownership of the snapshot; the iterators it returns keep the snapshot
// alive. Thread-safe: all calls are const and the snapshot is thread-safe (each iterator is used by one thread
// at a time).
#ifndef CARELEDGER_PEER_LEDGER_TXSIM_QUERY_EXECUTOR_H_
#define CARELEDGER_PEER_LEDGER_TXSIM_QUERY_EXECUTOR_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "peer/ledger/state/state_snapshot.h"

namespace careledger::ledger {

class QueryExecutor {
 public:
  // Reads `snapshot`, which must not be null.
  explicit QueryExecutor(std::shared_ptr<const StateSnapshot> snapshot);

  // The committed value of `key` in `ns`, or nullopt if absent. Errors are the snapshot's storage errors.
  absl::StatusOr<std::optional<std::string>> GetState(std::string_view ns, std::string_view key) const;

  // The committed entries of `ns` with start_key <= key < end_key (no upper bound if end_key is empty), in
  // ascending order. The iterator may outlive this executor. Errors are the snapshot's storage errors.
  absl::StatusOr<std::unique_ptr<StateIterator>> GetStateRange(std::string_view ns, std::string_view start_key,
                                                               std::string_view end_key) const;

 private:
  std::shared_ptr<const StateSnapshot> snapshot_;
};

}  // namespace careledger::ledger

#endif  // CARELEDGER_PEER_LEDGER_TXSIM_QUERY_EXECUTOR_H_
