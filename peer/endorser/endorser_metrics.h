// The endorser's metrics (served on /metrics, docs/operations.md):
//
//   endorser_proposals_received{mode}             counter: proposals processed ("endorse" or "evaluate")
//   endorser_successful_proposals{mode}           counter: those answered with a response status below 400
//   endorser_proposal_duration{mode,success}      histogram: seconds from receipt to answer
//
// Every child is looked up when the metrics are registered, so a proposal costs three relaxed atomic adds.
// Thread-safe.
#ifndef CARELEDGER_PEER_ENDORSER_ENDORSER_METRICS_H_
#define CARELEDGER_PEER_ENDORSER_ENDORSER_METRICS_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/metrics/metrics.h"

namespace careledger::endorser {

enum class ProposalMode;

class EndorserMetrics {
 public:
  // Registers (or finds) the families in `registry`, which must outlive the result. InvalidArgument if a
  // name is already registered with another shape.
  static absl::StatusOr<EndorserMetrics> Register(metrics::Registry& registry);

  // One proposal in `mode` was answered in `took`; `success`: with an OK status and a response status < 400.
  void Processed(ProposalMode mode, bool success, absl::Duration took) const;

 private:
  EndorserMetrics() = default;
  metrics::Counter* received_[2] = {};
  metrics::Counter* successful_[2] = {};
  metrics::Histogram* duration_[2][2] = {};  // [mode][success]
};

}  // namespace careledger::endorser

#endif  // CARELEDGER_PEER_ENDORSER_ENDORSER_METRICS_H_
