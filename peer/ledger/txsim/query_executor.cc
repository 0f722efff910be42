#include "peer/ledger/txsim/query_executor.h"

#include <utility>

#include "common/status_macros.h"

namespace careledger::ledger {
namespace {

// Keeps the snapshot alive for as long as the iterator that reads it.
class SnapshotHoldingIterator final : public StateIterator {
 public:
  SnapshotHoldingIterator(std::shared_ptr<const StateSnapshot> snapshot, std::unique_ptr<StateIterator> inner)
      : snapshot_(std::move(snapshot)), inner_(std::move(inner)) {}

  absl::StatusOr<std::optional<StateEntry>> Next() override { return inner_->Next(); }

 private:
  std::shared_ptr<const StateSnapshot> snapshot_;  // declared first: destroyed after inner_
  std::unique_ptr<StateIterator> inner_;
};

}  // namespace

QueryExecutor::QueryExecutor(std::shared_ptr<const StateSnapshot> snapshot) : snapshot_(std::move(snapshot)) {}

absl::StatusOr<std::optional<std::string>> QueryExecutor::GetState(std::string_view ns, std::string_view key) const {
  ASSIGN_OR_RETURN(std::optional<VersionedValue> committed, snapshot_->Get(ns, key));
  if (!committed.has_value()) return std::nullopt;
  return std::move(committed->value);
}

absl::StatusOr<std::unique_ptr<StateIterator>> QueryExecutor::GetStateRange(std::string_view ns,
                                                                            std::string_view start_key,
                                                                            std::string_view end_key) const {
  ASSIGN_OR_RETURN(std::unique_ptr<StateIterator> inner, snapshot_->Scan(ns, start_key, end_key));
  return std::make_unique<SnapshotHoldingIterator>(snapshot_, std::move(inner));
}

}  // namespace careledger::ledger
