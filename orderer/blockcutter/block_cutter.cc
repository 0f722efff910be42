#include "orderer/blockcutter/block_cutter.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace careledger::orderer {

absl::Status ValidateBatchSizeLimits(const BatchSizeLimits& limits) {
  if (limits.max_message_count == 0) {
    return absl::InvalidArgumentError("batch size: max_message_count must be at least 1");
  }
  if (limits.absolute_max_bytes == 0) {
    return absl::InvalidArgumentError("batch size: absolute_max_bytes must be at least 1");
  }
  if (limits.preferred_max_bytes == 0) {
    return absl::InvalidArgumentError("batch size: preferred_max_bytes must be at least 1");
  }
  if (limits.preferred_max_bytes > limits.absolute_max_bytes) {
    return absl::InvalidArgumentError(absl::StrCat("batch size: preferred_max_bytes (", limits.preferred_max_bytes,
                                                   ") is greater than absolute_max_bytes (",
                                                   limits.absolute_max_bytes, ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<BlockCutter> BlockCutter::Create(const BatchSizeLimits& limits) {
  RETURN_IF_ERROR(ValidateBatchSizeLimits(limits));
  return BlockCutter(limits);
}

absl::Status BlockCutter::SetLimits(const BatchSizeLimits& limits) {
  RETURN_IF_ERROR(ValidateBatchSizeLimits(limits));
  limits_ = limits;
  return absl::OkStatus();
}

absl::Status BlockCutter::CheckSize(const std::string& envelope) const {
  if (envelope.size() > limits_.absolute_max_bytes) {
    return absl::InvalidArgumentError(absl::StrCat("envelope of ", envelope.size(),
                                                   " bytes exceeds the channel's absolute_max_bytes (",
                                                   limits_.absolute_max_bytes,
                                                   "); Broadcast should have rejected it"));
  }
  return absl::OkStatus();
}

absl::StatusOr<OrderedResult> BlockCutter::Ordered(std::string envelope) {
  RETURN_IF_ERROR(CheckSize(envelope));
  const uint64_t size = envelope.size();
  OrderedResult result;

  if (size > limits_.preferred_max_bytes) {  // rule 1
    if (!pending_.empty()) result.batches.push_back(Cut());
    Batch alone;
    alone.push_back(std::move(envelope));
    result.batches.push_back(std::move(alone));
    return result;
  }

  if (pending_bytes_ + size > limits_.preferred_max_bytes) {  // rule 2; pending is not empty here
    result.batches.push_back(Cut());
  }
  pending_.push_back(std::move(envelope));
  pending_bytes_ += size;

  if (pending_.size() >= limits_.max_message_count) {  // rule 3
    result.batches.push_back(Cut());
  }
  result.pending = !pending_.empty();
  return result;
}

absl::StatusOr<std::vector<Batch>> BlockCutter::OrderedConfig(std::string envelope) {
  RETURN_IF_ERROR(CheckSize(envelope));
  std::vector<Batch> batches;
  if (!pending_.empty()) batches.push_back(Cut());
  Batch alone;
  alone.push_back(std::move(envelope));
  batches.push_back(std::move(alone));
  return batches;
}

Batch BlockCutter::Cut() {
  Batch batch = std::move(pending_);
  pending_.clear();  // a moved-from vector is only valid, not necessarily empty
  pending_bytes_ = 0;
  return batch;
}

}  // namespace careledger::orderer
