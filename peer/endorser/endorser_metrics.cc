#include "peer/endorser/endorser_metrics.h"

#include "common/status_macros.h"
#include "peer/endorser/endorser.h"

namespace careledger::endorser {
namespace {

constexpr const char* kModeNames[2] = {"endorse", "evaluate"};

int IndexOf(ProposalMode mode) { return mode == ProposalMode::kEndorse ? 0 : 1; }

}  // namespace

absl::StatusOr<EndorserMetrics> EndorserMetrics::Register(metrics::Registry& registry) {
  ASSIGN_OR_RETURN(metrics::CounterFamily * received,
                   registry.AddCounter("endorser_proposals_received", "The number of proposals received.", {"mode"}));
  ASSIGN_OR_RETURN(metrics::CounterFamily * successful,
                   registry.AddCounter("endorser_successful_proposals", "The number of successful proposals.",
                                       {"mode"}));
  ASSIGN_OR_RETURN(metrics::HistogramFamily * duration,
                   registry.AddHistogram("endorser_proposal_duration",
                                         "The time in seconds to complete a proposal.", {"mode", "success"}));
  EndorserMetrics result;
  for (int mode = 0; mode < 2; ++mode) {
    result.received_[mode] = received->WithLabels({kModeNames[mode]});
    result.successful_[mode] = successful->WithLabels({kModeNames[mode]});
    result.duration_[mode][0] = duration->WithLabels({kModeNames[mode], "false"});
    result.duration_[mode][1] = duration->WithLabels({kModeNames[mode], "true"});
  }
  return result;
}

void EndorserMetrics::Processed(ProposalMode mode, bool success, absl::Duration took) const {
  const int index = IndexOf(mode);
  received_[index]->Increment();
  if (success) successful_[index]->Increment();
  duration_[index][success ? 1 : 0]->Observe(absl::ToDoubleSeconds(took));
}

}  // namespace careledger::endorser
