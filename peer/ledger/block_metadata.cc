#include "peer/ledger/block_metadata.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/protoutil/marshal.h"
#include "common/protoutil/unmarshal.h"
#include "common/status_macros.h"
#include "peer/transaction.pb.h"

namespace careledger::ledger {

absl::StatusOr<std::string_view> TransactionsFilter(const ::common::Block& block) {
  const uint64_t number = block.header().number();
  const ::common::BlockMetadata& metadata = block.metadata();
  if (metadata.metadata_size() <= ::common::TRANSACTIONS_FILTER) {
    return absl::InvalidArgumentError(
        absl::StrCat("block ", number, " has no TRANSACTIONS_FILTER metadata (the committer sets it)"));
  }
  const std::string& filter = metadata.metadata(::common::TRANSACTIONS_FILTER);
  const int transactions = block.data().data_size();
  if (filter.size() != static_cast<size_t>(transactions)) {
    return absl::InvalidArgumentError(absl::StrCat("block ", number, ": TRANSACTIONS_FILTER has ", filter.size(),
                                                   " bytes for ", transactions, " transactions"));
  }
  for (size_t i = 0; i < filter.size(); ++i) {
    const int code = static_cast<unsigned char>(filter[i]);
    if (!::protos::TxValidationCode_IsValid(code) || code == ::protos::NOT_VALIDATED) {
      return absl::InvalidArgumentError(absl::StrCat("block ", number, ", transaction ", i, ": validation code ",
                                                     code, " is not a committed TxValidationCode"));
    }
  }
  return std::string_view(filter);
}

absl::Status SetCommitHash(::common::Block& block, std::string_view commit_hash) {
  ::common::Metadata entry;
  entry.set_value(std::string(commit_hash));
  ASSIGN_OR_RETURN(std::string bytes, protoutil::Marshal(entry, "commit hash metadata"));
  ::common::BlockMetadata& metadata = *block.mutable_metadata();
  while (metadata.metadata_size() <= ::common::COMMIT_HASH) metadata.add_metadata();
  *metadata.mutable_metadata(::common::COMMIT_HASH) = std::move(bytes);
  return absl::OkStatus();
}

absl::StatusOr<std::string> StoredCommitHash(const ::common::Block& block) {
  const uint64_t number = block.header().number();
  const ::common::BlockMetadata& metadata = block.metadata();
  if (metadata.metadata_size() <= ::common::COMMIT_HASH || metadata.metadata(::common::COMMIT_HASH).empty()) {
    return absl::InvalidArgumentError(absl::StrCat("block ", number, " has no COMMIT_HASH metadata"));
  }
  absl::StatusOr<::common::Metadata> entry = protoutil::Unmarshal<::common::Metadata>(
      metadata.metadata(::common::COMMIT_HASH), "COMMIT_HASH metadata");
  if (!entry.ok()) return Annotate(entry.status(), absl::StrCat("block ", number));
  if (entry->value().empty()) {
    return absl::InvalidArgumentError(absl::StrCat("block ", number, ": COMMIT_HASH metadata holds no hash"));
  }
  return std::move(*entry->mutable_value());
}

}  // namespace careledger::ledger
