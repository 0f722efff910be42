#include "peer/committer/transactions_filter.h"

#include <cstddef>
#include <string>

#include "absl/strings/str_cat.h"

namespace careledger::committer {
namespace {

// SIGNATURES, LAST_CONFIG, TRANSACTIONS_FILTER, ORDERER, COMMIT_HASH: the entries Fabric's blocks carry.
constexpr int kMetadataEntries = ::common::COMMIT_HASH + 1;

}  // namespace

absl::Status SetTransactionsFilter(std::span<const ::protos::TxValidationCode> codes, ::common::Block* block) {
  const int entries = block->data().data_size();
  if (codes.size() != static_cast<size_t>(entries)) {
    return absl::InvalidArgumentError(absl::StrCat("block ", block->header().number(), " has ", entries,
                                                   " transactions but ", codes.size(), " validation codes"));
  }
  std::string filter(codes.size(), '\0');
  for (size_t i = 0; i < codes.size(); ++i) {
    const int code = static_cast<int>(codes[i]);
    if (code < 0 || code > 0xff) {
      return absl::InvalidArgumentError(absl::StrCat("block ", block->header().number(), ", transaction ", i,
                                                     ": validation code ", code, " does not fit a byte"));
    }
    if (codes[i] == ::protos::NOT_VALIDATED) {
      return absl::FailedPreconditionError(
          absl::StrCat("block ", block->header().number(), ", transaction ", i, " was not validated"));
    }
    filter[i] = static_cast<char>(code);
  }
  ::common::BlockMetadata* metadata = block->mutable_metadata();
  while (metadata->metadata_size() < kMetadataEntries) metadata->add_metadata();
  *metadata->mutable_metadata(::common::TRANSACTIONS_FILTER) = std::move(filter);
  return absl::OkStatus();
}

}  // namespace careledger::committer
