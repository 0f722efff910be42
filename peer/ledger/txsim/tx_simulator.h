// TxSimulator: runs one transaction proposal against committed state and records its read-write set, with
// the semantics of Fabric's transaction simulator (core/ledger/kvledger/txmgmt/txmgr, rwsetutil). The endorser
// adapts it to chaincode::LedgerAccess: every call here takes the chaincode's namespace first and otherwise
// matches that interface.
//
// What is recorded (see rwset_builder.h for the order of the output):
//   - GetState records the key and the committed version it read, or no version if the key was absent. A key
//     read twice is recorded once.
//   - A transaction does not read its own writes: GetState and GetStateRange always answer from the snapshot,
//     as Fabric does. The committer's MVCC check is what makes this safe.
//   - PutState and DelState record a write; the last write of a key wins. PutState with an empty value is
//     recorded as a delete, exactly as Fabric records it (its state cannot hold an empty value, and its Go
//     shim passes empty values through rather than refusing them).
//   - GetStateRange returns committed entries only, and records what the caller actually consumed, as
//     Fabric's range iterator does: the keys and versions returned so far; end_key is the last key returned
//     while the range is not exhausted, or the requested end key (and itr_exhausted true) once Next has
//     returned nullopt. The record is kept up to date on every Next and collected by Done, in the order the
//     ranges were opened, whether or not the iterator is still alive. Unlike Fabric, an iterator on which
//     Next was never called records nothing (Fabric records {start_key, "", false}, which its validator reads
//     as "no key at or after start_key", failing the transaction for a range it never read). Raw reads are
//     recorded however many keys a range returns (Fabric switches to a Merkle summary beyond 50), so that the
//     MVCC check can always compare keys; raw_reads is left unset when nothing was returned, as in Fabric.
//
// Refusals (InvalidArgument, naming the operation, the namespace and the key; nothing is recorded): an empty
// or non-UTF-8 namespace; a key or range bound that is not valid UTF-8 (the read-write set's key fields are
// proto3 strings, which no peer could parse back); an empty key for PutState or DelState (Fabric's shim
// refuses it). Reads of the empty key are allowed: it is never present.
//
// Storage errors (DataLoss, Internal from the snapshot) are returned to the caller and also poison the
// simulation: Done returns the first of them, so that a chaincode that ignores an error cannot produce an
// endorsement from incomplete reads.
//
// After Done every call on the simulator and on its iterators fails with FailedPrecondition.
//
// Ownership and thread-safety: the simulator shares ownership of the snapshot (several simulations may read
// one snapshot at once); iterators keep the snapshot and the simulation's records alive, so they may be
// destroyed in any order relative to the simulator. A simulator and its iterators are used by one thread at a
// time (the chaincode runtime calls them one after another); distinct simulators are independent.
#ifndef CARELEDGER_PEER_LEDGER_TXSIM_TX_SIMULATOR_H_
#define CARELEDGER_PEER_LEDGER_TXSIM_TX_SIMULATOR_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "peer/ledger/state/state_snapshot.h"
#include "peer/ledger/txsim/rwset_builder.h"

namespace careledger::ledger {

class TxSimulator {
 public:
  // Simulates transaction `tx_id` (used in error messages) over `snapshot`, which must not be null.
  TxSimulator(std::shared_ptr<const StateSnapshot> snapshot, std::string tx_id);
  ~TxSimulator();

  TxSimulator(const TxSimulator&) = delete;
  TxSimulator& operator=(const TxSimulator&) = delete;

  const std::string& tx_id() const;

  // The committed value of `key` in `ns`, or nullopt if absent; records the read.
  absl::StatusOr<std::optional<std::string>> GetState(std::string_view ns, std::string_view key);

  // Records a write of `value` (a delete if empty) to `key` in `ns`.
  absl::Status PutState(std::string_view ns, std::string_view key, std::string_view value);

  // Records a delete of `key` in `ns`.
  absl::Status DelState(std::string_view ns, std::string_view key);

  // The committed entries of `ns` with start_key <= key < end_key (no upper bound if end_key is empty), in
  // ascending order; the iterator records what its caller consumes. Its Next fails with FailedPrecondition
  // after Done, and returns storage errors as StateIterator does.
  absl::StatusOr<std::unique_ptr<StateIterator>> GetStateRange(std::string_view ns, std::string_view start_key,
                                                               std::string_view end_key);

  // Ends the simulation and returns its read-write set. Errors: FailedPrecondition if Done was already called;
  // the first storage error any read met; InvalidArgument if the set exceeds protobuf's 2 GiB limit. The
  // simulation is over whatever Done returns.
  absl::StatusOr<SimulationResults> Done();

 private:
  struct Session;            // the simulation's records, shared with its iterators
  class RecordingIterator;   // what GetStateRange returns

  std::shared_ptr<Session> session_;
};

}  // namespace careledger::ledger

#endif  // CARELEDGER_PEER_LEDGER_TXSIM_TX_SIMULATOR_H_
