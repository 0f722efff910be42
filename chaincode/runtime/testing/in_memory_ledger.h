// Test-only: a ledger in memory and the LedgerAccess of one simulation over it, with Fabric's semantics so
// that tests of chaincode and of the runtime see what a peer would show them:
// - reads see committed state only (a transaction does not read its own writes);
// - writes are recorded in the simulation and reach the ledger only through Commit;
// - range queries walk committed keys in ascending byte order and see commits made while they run (each
//   Next continues after the last key returned);
// - history lists committed writes of a key newest first, a delete with an empty value.
// Thread-safe: many simulations may run and commit at once.
#ifndef CARELEDGER_CHAINCODE_RUNTIME_TESTING_IN_MEMORY_LEDGER_H_
#define CARELEDGER_CHAINCODE_RUNTIME_TESTING_IN_MEMORY_LEDGER_H_

#include <atomic>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chaincode/runtime/ledger_access.h"

namespace careledger::chaincode::testing {

// A simulation's writes: key → value, or nullopt for a delete. The last write of a key wins.
using WriteSet = std::map<std::string, std::optional<std::string>, std::less<>>;

class InMemoryLedgerAccess;

class InMemoryLedger {
 public:
  // Applies `writes` as transaction `tx_id` committed at `timestamp` (also recorded in the history).
  void Commit(std::string_view tx_id, absl::Time timestamp, const WriteSet& writes);

  // A new simulation over this ledger; the ledger must outlive it.
  std::unique_ptr<InMemoryLedgerAccess> NewSimulation();

  // The committed value of `key`, or nullopt.
  std::optional<std::string> Get(std::string_view key) const;
  // How many keys have a committed value.
  size_t size() const;

 private:
  friend class InMemoryLedgerAccess;

  mutable std::mutex mu_;
  std::map<std::string, std::string, std::less<>> state_;                     // guarded by mu_
  std::map<std::string, std::vector<KeyModification>, std::less<>> history_;  // oldest first; guarded by mu_
};

class InMemoryLedgerAccess : public LedgerAccess {
 public:
  explicit InMemoryLedgerAccess(InMemoryLedger* ledger) : ledger_(ledger) {}

  absl::StatusOr<std::optional<std::string>> GetState(std::string_view key) override;
  absl::Status PutState(std::string_view key, std::string_view value) override;
  absl::Status DelState(std::string_view key) override;
  absl::StatusOr<std::unique_ptr<ResultIterator<KeyValue>>> GetStateByRange(std::string_view start_key,
                                                                            std::string_view end_key) override;
  absl::StatusOr<std::unique_ptr<ResultIterator<KeyModification>>> GetHistoryForKey(std::string_view key) override;

  // What the simulation wrote.
  const WriteSet& writes() const { return writes_; }
  // Commits the writes to the ledger as `tx_id` at `timestamp`.
  void Commit(std::string_view tx_id, absl::Time timestamp) { ledger_->Commit(tx_id, timestamp, writes_); }

  // Fault injection: from now on every call (and every Next of an open iterator) fails with `status`.
  void FailWith(absl::Status status);
  // How many calls reached this object (iterator Next calls included).
  size_t calls() const { return calls_.load(); }

 private:
  class RangeIterator;
  class HistoryIterator;

  // Counts the call and returns the injected failure, if any. Iterators call it too (they must not outlive
  // the access that opened them).
  absl::Status Enter();

  InMemoryLedger* ledger_;
  WriteSet writes_;
  std::atomic<size_t> calls_{0};
  mutable std::mutex failure_mu_;
  absl::Status failure_;  // guarded by failure_mu_
};

}  // namespace careledger::chaincode::testing

#endif  // CARELEDGER_CHAINCODE_RUNTIME_TESTING_IN_MEMORY_LEDGER_H_
