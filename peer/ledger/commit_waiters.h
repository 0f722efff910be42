// Who is waiting for which transaction to commit: the table behind Ledger::NotifyOnCommit.
//
// A Gateway CommitStatus call waits for one transaction. Waiting on the ledger's height means waking every
// waiter at every block and having each one look its transaction up again; with hundreds of calls in flight
// that is most of a busy peer's work. Here each waiter is filed under its transaction ID, and a commit takes
// out exactly the waiters of the transactions in its block: one hash lookup per committed transaction (none
// while nobody waits), and no thread held by a waiting call.
//
// Not thread-safe: the ledger guards it with the lock that publishes each block, so that "not committed yet"
// and "registered" are one step for a caller, and the ledger runs the notifications it takes out only after
// releasing that lock.
#ifndef CARELEDGER_PEER_LEDGER_COMMIT_WAITERS_H_
#define CARELEDGER_PEER_LEDGER_COMMIT_WAITERS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "peer/ledger/ledger.h"

namespace careledger::ledger {

class CommitWaiters {
 public:
  using Notify = CommitNotification;

  // A notification taken out of the table, with what to call it with.
  struct Due {
    Notify notify;
    absl::StatusOr<TransactionStatus> status;
    void Run() && { std::move(notify)(std::move(status)); }
  };

  // Files `notify` under `tx_id`; the ticket names it for Remove. Tickets are never 0.
  uint64_t Add(std::string_view tx_id, Notify notify);

  // Takes out the notification with `ticket` under `tx_id`: empty if it is not there (already taken).
  std::optional<Notify> Remove(std::string_view tx_id, uint64_t ticket);

  // Takes out every notification of the transactions in `committed` (ID and status, in block order), to be run
  // with their status.
  void TakeCommitted(const std::vector<std::pair<std::string, ::protos::TxValidationCode>>& committed,
                     uint64_t block_number, std::vector<Due>& due);

  // Takes out every notification, to be run with `status` (the ledger closing).
  void TakeAll(const absl::Status& status, std::vector<Due>& due);

  bool empty() const { return by_tx_.empty(); }
  size_t size() const { return size_; }

 private:
  struct Waiter {
    uint64_t ticket = 0;
    Notify notify;
  };

  // Usually one waiter per transaction; a vector keeps the rare second one (a client asking twice).
  absl::flat_hash_map<std::string, std::vector<Waiter>> by_tx_;
  uint64_t next_ticket_ = 1;
  size_t size_ = 0;
};

}  // namespace careledger::ledger

#endif  // CARELEDGER_PEER_LEDGER_COMMIT_WAITERS_H_
