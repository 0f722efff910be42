// The measured part of a bench run: after the warm-up, for the requested duration.
#ifndef CARELEDGER_NETWORK_BENCH_MEASUREMENT_WINDOW_H_
#define CARELEDGER_NETWORK_BENCH_MEASUREMENT_WINDOW_H_

#include <chrono>

namespace careledger::bench {

struct MeasurementWindow {
  std::chrono::steady_clock::time_point start;
  std::chrono::steady_clock::time_point end;

  bool Contains(std::chrono::steady_clock::time_point t) const { return t >= start && t < end; }
};

}  // namespace careledger::bench

#endif  // CARELEDGER_NETWORK_BENCH_MEASUREMENT_WINDOW_H_
