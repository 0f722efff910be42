#include "chaincode/runtime/testing/in_memory_ledger.h"

#include <utility>

#include "common/status_macros.h"

namespace careledger::chaincode::testing {

void InMemoryLedger::Commit(std::string_view tx_id, absl::Time timestamp, const WriteSet& writes) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [key, value] : writes) {
    KeyModification modification;
    modification.tx_id = std::string(tx_id);
    modification.timestamp = timestamp;
    if (value.has_value()) {
      state_.insert_or_assign(key, *value);
      modification.value = *value;
    } else {
      state_.erase(key);
      modification.is_delete = true;
    }
    history_[key].push_back(std::move(modification));
  }
}

std::unique_ptr<InMemoryLedgerAccess> InMemoryLedger::NewSimulation() {
  return std::make_unique<InMemoryLedgerAccess>(this);
}

std::optional<std::string> InMemoryLedger::Get(std::string_view key) const {
  std::lock_guard<std::mutex> lock(mu_);
  const auto it = state_.find(key);
  if (it == state_.end()) return std::nullopt;
  return it->second;
}

size_t InMemoryLedger::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_.size();
}

// Continues after the last key it returned on every Next, so commits made meanwhile never invalidate it.
class InMemoryLedgerAccess::RangeIterator : public ResultIterator<KeyValue> {
 public:
  RangeIterator(InMemoryLedgerAccess* access, std::string start_key, std::string end_key)
      : access_(access), next_from_(std::move(start_key)), end_key_(std::move(end_key)) {}

  absl::StatusOr<std::optional<KeyValue>> Next() override {
    RETURN_IF_ERROR(access_->Enter());
    if (done_) return std::nullopt;
    InMemoryLedger& ledger = *access_->ledger_;
    std::lock_guard<std::mutex> lock(ledger.mu_);
    const auto it = started_ ? ledger.state_.upper_bound(next_from_) : ledger.state_.lower_bound(next_from_);
    started_ = true;
    if (it == ledger.state_.end() || (!end_key_.empty() && it->first >= end_key_)) {
      done_ = true;
      return std::nullopt;
    }
    next_from_ = it->first;
    return KeyValue{it->first, it->second};
  }

 private:
  InMemoryLedgerAccess* access_;
  std::string next_from_;  // the start key until the first result, then the last key returned
  std::string end_key_;
  bool started_ = false;
  bool done_ = false;
};

// A copy of the key's history taken when the query opened, walked newest first.
class InMemoryLedgerAccess::HistoryIterator : public ResultIterator<KeyModification> {
 public:
  HistoryIterator(InMemoryLedgerAccess* access, std::vector<KeyModification> history)
      : access_(access), history_(std::move(history)) {}

  absl::StatusOr<std::optional<KeyModification>> Next() override {
    RETURN_IF_ERROR(access_->Enter());
    if (history_.empty()) return std::nullopt;
    KeyModification next = std::move(history_.back());
    history_.pop_back();
    return next;
  }

 private:
  InMemoryLedgerAccess* access_;
  std::vector<KeyModification> history_;  // oldest first
};

absl::Status InMemoryLedgerAccess::Enter() {
  calls_.fetch_add(1);
  std::lock_guard<std::mutex> lock(failure_mu_);
  return failure_;
}

void InMemoryLedgerAccess::FailWith(absl::Status status) {
  std::lock_guard<std::mutex> lock(failure_mu_);
  failure_ = std::move(status);
}

absl::StatusOr<std::optional<std::string>> InMemoryLedgerAccess::GetState(std::string_view key) {
  RETURN_IF_ERROR(Enter());
  return ledger_->Get(key);
}

absl::Status InMemoryLedgerAccess::PutState(std::string_view key, std::string_view value) {
  RETURN_IF_ERROR(Enter());
  if (key.empty()) return absl::InvalidArgumentError("PutState: empty key");
  writes_.insert_or_assign(std::string(key), std::string(value));
  return absl::OkStatus();
}

absl::Status InMemoryLedgerAccess::DelState(std::string_view key) {
  RETURN_IF_ERROR(Enter());
  if (key.empty()) return absl::InvalidArgumentError("DelState: empty key");
  writes_.insert_or_assign(std::string(key), std::nullopt);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<ResultIterator<KeyValue>>> InMemoryLedgerAccess::GetStateByRange(
    std::string_view start_key, std::string_view end_key) {
  RETURN_IF_ERROR(Enter());
  return std::make_unique<RangeIterator>(this, std::string(start_key), std::string(end_key));
}

absl::StatusOr<std::unique_ptr<ResultIterator<KeyModification>>> InMemoryLedgerAccess::GetHistoryForKey(
    std::string_view key) {
  RETURN_IF_ERROR(Enter());
  std::vector<KeyModification> history;
  {
    std::lock_guard<std::mutex> lock(ledger_->mu_);
    const auto it = ledger_->history_.find(key);
    if (it != ledger_->history_.end()) history = it->second;
  }
  return std::make_unique<HistoryIterator>(this, std::move(history));
}

}  // namespace careledger::chaincode::testing
