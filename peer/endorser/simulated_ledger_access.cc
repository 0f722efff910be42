#include "peer/endorser/simulated_ledger_access.h"

#include <vector>

#include "common/status_macros.h"

namespace careledger::endorser {
namespace {

class RangeResults final : public chaincode::ResultIterator<chaincode::KeyValue> {
 public:
  explicit RangeResults(std::unique_ptr<ledger::StateIterator> entries) : entries_(std::move(entries)) {}

  absl::StatusOr<std::optional<chaincode::KeyValue>> Next() override {
    ASSIGN_OR_RETURN(std::optional<ledger::StateEntry> entry, entries_->Next());
    if (!entry) return std::optional<chaincode::KeyValue>();
    return std::optional<chaincode::KeyValue>(
        chaincode::KeyValue{std::move(entry->key), std::move(entry->value.value)});
  }

 private:
  std::unique_ptr<ledger::StateIterator> entries_;
};

class HistoryResults final : public chaincode::ResultIterator<chaincode::KeyModification> {
 public:
  explicit HistoryResults(std::vector<chaincode::KeyModification> entries) : entries_(std::move(entries)) {}

  absl::StatusOr<std::optional<chaincode::KeyModification>> Next() override {
    if (next_ == entries_.size()) return std::optional<chaincode::KeyModification>();
    return std::optional<chaincode::KeyModification>(std::move(entries_[next_++]));
  }

 private:
  std::vector<chaincode::KeyModification> entries_;
  size_t next_ = 0;
};

}  // namespace

absl::StatusOr<std::optional<std::string>> SimulatedLedgerAccess::GetState(std::string_view key) {
  return simulator_.GetState(ns_, key);
}

absl::Status SimulatedLedgerAccess::PutState(std::string_view key, std::string_view value) {
  return simulator_.PutState(ns_, key, value);
}

absl::Status SimulatedLedgerAccess::DelState(std::string_view key) { return simulator_.DelState(ns_, key); }

absl::StatusOr<std::unique_ptr<chaincode::ResultIterator<chaincode::KeyValue>>> SimulatedLedgerAccess::GetStateByRange(
    std::string_view start_key, std::string_view end_key) {
  ASSIGN_OR_RETURN(std::unique_ptr<ledger::StateIterator> entries, simulator_.GetStateRange(ns_, start_key, end_key));
  return std::unique_ptr<chaincode::ResultIterator<chaincode::KeyValue>>(
      std::make_unique<RangeResults>(std::move(entries)));
}

absl::StatusOr<std::unique_ptr<chaincode::ResultIterator<chaincode::KeyModification>>>
SimulatedLedgerAccess::GetHistoryForKey(std::string_view key) {
  ASSIGN_OR_RETURN(std::vector<chaincode::KeyModification> entries, channel_.History(ns_, key));
  return std::unique_ptr<chaincode::ResultIterator<chaincode::KeyModification>>(
      std::make_unique<HistoryResults>(std::move(entries)));
}

}  // namespace careledger::endorser
