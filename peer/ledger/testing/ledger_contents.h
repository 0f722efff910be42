// Test-only: everything a Ledger holds, read through its public API into comparable values, so that a test can
// check that two ledgers (e.g. one that crashed and was reopened, one that never crashed) hold exactly the same
// blocks, state, history and commit hashes.
#ifndef CARELEDGER_PEER_LEDGER_TESTING_LEDGER_CONTENTS_H_
#define CARELEDGER_PEER_LEDGER_TESTING_LEDGER_CONTENTS_H_

#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "peer/ledger/ledger.h"

namespace careledger::ledger::testing {

// A namespace and key whose history to read.
using NamespacedKey = std::pair<std::string, std::string>;

struct LedgerContents {
  uint64_t height = 0;
  std::string blockchain_info;              // serialized BlockchainInfo
  std::vector<std::string> blocks;          // each block as stored
  std::vector<std::string> commit_hashes;   // hex, one per block
  std::vector<std::string> state;           // one line per key: namespace, key, value, version (escaped)
  std::vector<std::string> history;         // one line per history entry, newest first per key

  friend bool operator==(const LedgerContents&, const LedgerContents&) = default;
};

// For gtest's failure messages: heights, counts and the readable lines (not the block bytes).
std::ostream& operator<<(std::ostream& out, const LedgerContents& contents);

// Every entry `it` yields, in order; its first error. For StateIterator and HistoryIterator.
absl::StatusOr<std::vector<StateEntry>> ReadAll(StateIterator& it);
absl::StatusOr<std::vector<HistoryEntry>> ReadAll(HistoryIterator& it);

// Reads `ledger` at its current height: every block and commit hash, every key of `namespaces` (one snapshot),
// and the history of each of `keys`. Errors: the ledger's read errors, unchanged.
absl::StatusOr<LedgerContents> ReadLedgerContents(const Ledger& ledger, std::span<const std::string> namespaces,
                                                  std::span<const NamespacedKey> keys);

}  // namespace careledger::ledger::testing

#endif  // CARELEDGER_PEER_LEDGER_TESTING_LEDGER_CONTENTS_H_
