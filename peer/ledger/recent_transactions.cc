#include "peer/ledger/recent_transactions.h"

#include "common/strings.h"

namespace careledger::ledger {

void RecentTransactions::AddBlock(uint64_t block_number,
                                  std::vector<std::pair<std::string, ::protos::TxValidationCode>> transactions) {
  Block block;
  block.number = block_number;
  for (auto& [tx_id, code] : transactions) {
    if (tx_id.empty()) continue;
    auto [it, inserted] = by_id_.try_emplace(tx_id, TransactionStatus{code, block_number});
    if (inserted) block.tx_ids.push_back(std::move(tx_id));
  }
  size_ += block.tx_ids.size();
  blocks_.push_back(std::move(block));
  while (size_ > capacity_ && blocks_.size() > 1) {
    for (const std::string& tx_id : blocks_.front().tx_ids) by_id_.erase(tx_id);
    size_ -= blocks_.front().tx_ids.size();
    blocks_.pop_front();
  }
}

std::optional<TransactionStatus> RecentTransactions::Find(std::string_view tx_id) const {
  const auto it = by_id_.find(AsAbsl(tx_id));
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

}  // namespace careledger::ledger
