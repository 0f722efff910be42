#include "orderer/blockcutter/batch_timer.h"

namespace careledger::orderer {

bool BatchTimer::Expired(absl::Time now, absl::Duration timeout) const {
  return started_at_.has_value() && now >= *started_at_ + timeout;
}

std::optional<absl::Time> BatchTimer::Deadline(absl::Duration timeout) const {
  if (!started_at_.has_value()) return std::nullopt;
  return *started_at_ + timeout;
}

void BatchTimer::Observe(bool pending, absl::Time now) {
  if (!pending) {
    Stop();
  } else if (!running()) {
    Start(now);
  }
}

}  // namespace careledger::orderer
