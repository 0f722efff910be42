// The Broadcast service's metrics (served on /metrics, docs/operations.md):
//
//   broadcast_processed_count{status}   counter: envelopes answered, by the status of the answer (SUCCESS,
//                                       BAD_REQUEST, FORBIDDEN, SERVICE_UNAVAILABLE, ...)
//   broadcast_duration{status}          histogram: seconds from reading an envelope to its answer (for SUCCESS,
//                                       until a majority of the consenters holds it)
//
// A child per status of common.Status is created when the metrics are registered and never changes, so an
// envelope costs a lookup in a small immutable map and three relaxed atomic adds. Thread-safe.
#ifndef CARELEDGER_ORDERER_SERVICES_BROADCAST_METRICS_H_
#define CARELEDGER_ORDERER_SERVICES_BROADCAST_METRICS_H_

#include <map>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/common.pb.h"
#include "common/metrics/metrics.h"

namespace careledger::orderer {

class BroadcastMetrics {
 public:
  // Registers (or finds) the families in `registry`, which must outlive the result. InvalidArgument if a
  // name is already registered with another shape.
  static absl::StatusOr<BroadcastMetrics> Register(metrics::Registry& registry);

  // One envelope was answered with `status`, `took` after it was read.
  void Processed(::common::Status status, absl::Duration took) const;

 private:
  struct Children {
    metrics::Counter* processed = nullptr;
    metrics::Histogram* duration = nullptr;
  };
  std::map<int, Children> by_status_;  // every value of common.Status; fixed after Register
};

}  // namespace careledger::orderer

#endif  // CARELEDGER_ORDERER_SERVICES_BROADCAST_METRICS_H_
