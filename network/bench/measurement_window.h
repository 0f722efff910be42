// The measured part of a bench run: after the warm-up, for the requested duration; and the clock loop that
// runs a bench through both.
#ifndef CARELEDGER_NETWORK_BENCH_MEASUREMENT_WINDOW_H_
#define CARELEDGER_NETWORK_BENCH_MEASUREMENT_WINDOW_H_

#include <chrono>
#include <functional>

#include "network/bench/proc_stats.h"

namespace careledger::bench {

struct MeasurementWindow {
  std::chrono::steady_clock::time_point start;
  std::chrono::steady_clock::time_point end;

  bool Contains(std::chrono::steady_clock::time_point t) const { return t >= start && t < end; }
};

// What a bench reports once a second: the time, whether the window has begun, and the seconds since the
// previous report (for rates).
struct ProgressTick {
  std::chrono::steady_clock::time_point now;
  double since_start_seconds = 0;
  bool in_window = false;
  double interval_seconds = 0;
};

// Blocks through the warm-up and the window of a run that started at `run_start`: samples `sampler` at the
// window's start, every second inside it and at its end, and calls `tick` every second of the run (on the
// calling thread). Returns when the window is over.
void RunWarmupAndWindow(std::chrono::steady_clock::time_point run_start, const MeasurementWindow& window,
                        ProcessSampler& sampler, const std::function<void(const ProgressTick&)>& tick);

}  // namespace careledger::bench

#endif  // CARELEDGER_NETWORK_BENCH_MEASUREMENT_WINDOW_H_
