// The validation codes of the most recently committed transactions, in memory.
//
// Gateway CommitStatus asks for the status of a transaction as soon as its block commits, once per
// transaction: served from the block store, each answer reads and parses the transaction's whole block
// (hundreds of transactions) for one byte of its filter. Recent blocks' statuses are kept here instead, so
// that answer is a hash lookup; older transactions fall back to the block store.
//
// Bounded by a number of transactions: whole blocks are dropped, oldest first, once more are held. A
// transaction ID that appears more than once keeps its first occurrence, as the block index does (a later one
// is a duplicate, marked invalid).
//
// Not thread-safe: the ledger guards it with its own lock, the one that publishes the height.
#ifndef CARELEDGER_PEER_LEDGER_RECENT_TRANSACTIONS_H_
#define CARELEDGER_PEER_LEDGER_RECENT_TRANSACTIONS_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "peer/ledger/ledger.h"

namespace careledger::ledger {

class RecentTransactions {
 public:
  // Keeps at least the last block, and whole blocks up to `capacity` transactions.
  explicit RecentTransactions(size_t capacity) : capacity_(capacity) {}

  // Records the transactions of block `block_number` (committed after every block added before), in block
  // order, each with its validation code.
  void AddBlock(uint64_t block_number, std::vector<std::pair<std::string, ::protos::TxValidationCode>> transactions);

  // The status of `tx_id` if it is in a block held here.
  std::optional<TransactionStatus> Find(std::string_view tx_id) const;

  size_t size() const { return size_; }

 private:
  struct Block {
    uint64_t number = 0;
    std::vector<std::string> tx_ids;  // those whose entry this block owns
  };

  const size_t capacity_;
  absl::flat_hash_map<std::string, TransactionStatus> by_id_;
  std::deque<Block> blocks_;  // oldest first
  size_t size_ = 0;           // entries of by_id_
};

}  // namespace careledger::ledger

#endif  // CARELEDGER_PEER_LEDGER_RECENT_TRANSACTIONS_H_
