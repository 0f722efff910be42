// The metrics of the blocks a peer commits, per channel (served on /metrics, docs/operations.md):
//
//   ledger_blockchain_height{channel}                     gauge: blocks in the channel's ledger
//   ledger_block_count{channel}                           counter: blocks committed since the peer started
//   ledger_transaction_count{channel,validation_code}     counter: transactions committed, by TxValidationCode
//   ledger_block_processing_time{channel}                 histogram: seconds to verify, validate and commit a block
//
// CommitMetricFamilies registers the families once per node; each PeerChannel keeps a ChannelCommitMetrics
// with its children looked up once, so the commit path costs a few relaxed atomic adds per block plus one per
// distinct validation code in it.
#ifndef CARELEDGER_PEER_CHANNEL_CHANNEL_METRICS_H_
#define CARELEDGER_PEER_CHANNEL_CHANNEL_METRICS_H_

#include <array>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/metrics/metrics.h"
#include "peer/committer/block_committer.h"

namespace careledger::peer {

struct CommitMetricFamilies {
  // Registers (or finds) the families in `registry`, which must outlive them. InvalidArgument if one of the
  // names is already registered with another shape.
  static absl::StatusOr<CommitMetricFamilies> Register(metrics::Registry& registry);

  metrics::GaugeFamily* height = nullptr;
  metrics::CounterFamily* blocks = nullptr;
  metrics::CounterFamily* transactions = nullptr;
  metrics::HistogramFamily* block_processing_time = nullptr;
};

// One channel's children. Thread-safe.
class ChannelCommitMetrics {
 public:
  ChannelCommitMetrics(const CommitMetricFamilies& families, std::string channel_id);

  // The ledger holds `height` blocks (at open, after a join).
  void SetHeight(uint64_t height) { height_->Set(static_cast<double>(height)); }

  // `block` was committed in `took`; the ledger now holds `height` blocks.
  void Committed(const committer::CommittedBlock& block, uint64_t height, absl::Duration took);

 private:
  metrics::Counter* TransactionsWith(int code);

  const std::string channel_id_;
  metrics::CounterFamily* const transactions_;
  metrics::Gauge* const height_;
  metrics::Counter* const blocks_;
  metrics::Histogram* const processing_time_;
  std::mutex codes_mu_;
  std::array<metrics::Counter*, 256> by_code_{};  // guarded by codes_mu_; TxValidationCode fits a byte
};

}  // namespace careledger::peer

#endif  // CARELEDGER_PEER_CHANNEL_CHANNEL_METRICS_H_
