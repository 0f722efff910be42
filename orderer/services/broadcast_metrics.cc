#include "orderer/services/broadcast_metrics.h"

#include "common/status_macros.h"

namespace careledger::orderer {

absl::StatusOr<BroadcastMetrics> BroadcastMetrics::Register(metrics::Registry& registry) {
  ASSIGN_OR_RETURN(metrics::CounterFamily * processed,
                   registry.AddCounter("broadcast_processed_count",
                                       "The number of envelopes answered by Broadcast, by status.", {"status"}));
  ASSIGN_OR_RETURN(metrics::HistogramFamily * duration,
                   registry.AddHistogram("broadcast_duration",
                                         "The time in seconds from reading an envelope to answering it.", {"status"}));
  BroadcastMetrics result;
  const google::protobuf::EnumDescriptor* statuses = ::common::Status_descriptor();
  for (int i = 0; i < statuses->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* value = statuses->value(i);
    result.by_status_[value->number()] = {processed->WithLabels({value->name()}), duration->WithLabels({value->name()})};
  }
  return result;
}

void BroadcastMetrics::Processed(::common::Status status, absl::Duration took) const {
  auto it = by_status_.find(status);
  if (it == by_status_.end()) it = by_status_.find(::common::INTERNAL_SERVER_ERROR);
  if (it == by_status_.end()) return;
  it->second.processed->Increment();
  it->second.duration->Observe(absl::ToDoubleSeconds(took));
}

}  // namespace careledger::orderer
