#include "peer/ledger/commit_waiters.h"

#include "common/strings.h"

namespace careledger::ledger {

uint64_t CommitWaiters::Add(std::string_view tx_id, Notify notify) {
  const uint64_t ticket = next_ticket_++;
  by_tx_[AsAbsl(tx_id)].push_back(Waiter{ticket, std::move(notify)});
  ++size_;
  return ticket;
}

std::optional<CommitWaiters::Notify> CommitWaiters::Remove(std::string_view tx_id, uint64_t ticket) {
  auto it = by_tx_.find(AsAbsl(tx_id));
  if (it == by_tx_.end()) return std::nullopt;
  std::vector<Waiter>& waiters = it->second;
  for (auto w = waiters.begin(); w != waiters.end(); ++w) {
    if (w->ticket != ticket) continue;
    Notify notify = std::move(w->notify);
    waiters.erase(w);
    if (waiters.empty()) by_tx_.erase(it);
    --size_;
    return notify;
  }
  return std::nullopt;
}

void CommitWaiters::TakeCommitted(const std::vector<std::pair<std::string, ::protos::TxValidationCode>>& committed,
                                  uint64_t block_number, std::vector<Due>& due) {
  if (by_tx_.empty()) return;
  for (const auto& [tx_id, code] : committed) {
    // A duplicate later in the block finds nothing: the first occurrence, the one the ledger reports, took them.
    auto it = by_tx_.find(tx_id);
    if (it == by_tx_.end()) continue;
    for (Waiter& waiter : it->second) {
      due.push_back(Due{std::move(waiter.notify), TransactionStatus{code, block_number}});
    }
    size_ -= it->second.size();
    by_tx_.erase(it);
    if (by_tx_.empty()) return;
  }
}

void CommitWaiters::TakeAll(const absl::Status& status, std::vector<Due>& due) {
  for (auto& [tx_id, waiters] : by_tx_) {
    for (Waiter& waiter : waiters) due.push_back(Due{std::move(waiter.notify), status});
  }
  by_tx_.clear();
  size_ = 0;
}

}  // namespace careledger::ledger
