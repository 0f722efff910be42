#include "peer/channel/channel_metrics.h"

#include <utility>

#include "common/status_macros.h"
#include "peer/transaction.pb.h"

namespace careledger::peer {

absl::StatusOr<CommitMetricFamilies> CommitMetricFamilies::Register(metrics::Registry& registry) {
  CommitMetricFamilies families;
  ASSIGN_OR_RETURN(families.height,
                   registry.AddGauge("ledger_blockchain_height", "Height of the chain in blocks.", {"channel"}));
  ASSIGN_OR_RETURN(families.blocks, registry.AddCounter("ledger_block_count",
                                                        "Blocks committed since the node started.", {"channel"}));
  ASSIGN_OR_RETURN(families.transactions,
                   registry.AddCounter("ledger_transaction_count",
                                       "Transactions committed since the node started, by validation code.",
                                       {"channel", "validation_code"}));
  ASSIGN_OR_RETURN(families.block_processing_time,
                   registry.AddHistogram("ledger_block_processing_time",
                                         "Time taken in seconds to verify, validate and commit a block.", {"channel"}));
  return families;
}

ChannelCommitMetrics::ChannelCommitMetrics(const CommitMetricFamilies& families, std::string channel_id)
    : channel_id_(std::move(channel_id)),
      transactions_(families.transactions),
      height_(families.height->WithLabels({channel_id_})),
      blocks_(families.blocks->WithLabels({channel_id_})),
      processing_time_(families.block_processing_time->WithLabels({channel_id_})) {}

metrics::Counter* ChannelCommitMetrics::TransactionsWith(int code) {
  const size_t index = static_cast<size_t>(code) & 0xff;
  std::lock_guard<std::mutex> lock(codes_mu_);
  metrics::Counter*& counter = by_code_[index];
  if (counter == nullptr) {
    std::string name = ::protos::TxValidationCode_Name(static_cast<::protos::TxValidationCode>(code));
    if (name.empty()) name = std::to_string(code);
    counter = transactions_->WithLabels({channel_id_, name});
  }
  return counter;
}

void ChannelCommitMetrics::Committed(const committer::CommittedBlock& block, uint64_t height, absl::Duration took) {
  height_->Set(static_cast<double>(height));
  blocks_->Increment();
  processing_time_->Observe(absl::ToDoubleSeconds(took));
  // Codes come in runs (a healthy block is all VALID): one add per run, not per transaction.
  size_t i = 0;
  while (i < block.codes.size()) {
    size_t end = i + 1;
    while (end < block.codes.size() && block.codes[end] == block.codes[i]) ++end;
    TransactionsWith(block.codes[i])->Add(end - i);
    i = end;
  }
}

}  // namespace careledger::peer
