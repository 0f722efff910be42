#include "network/bench/measurement_window.h"

#include <algorithm>
#include <thread>

namespace careledger::bench {

void RunWarmupAndWindow(std::chrono::steady_clock::time_point run_start, const MeasurementWindow& window,
                        ProcessSampler& sampler, const std::function<void(const ProgressTick&)>& tick) {
  using Clock = std::chrono::steady_clock;
  bool window_started = false;
  Clock::time_point next_tick = run_start + std::chrono::seconds(1);
  Clock::time_point last_tick = run_start;
  while (true) {
    std::this_thread::sleep_until(std::min(next_tick, window_started ? window.end : window.start));
    const Clock::time_point now = Clock::now();
    if (!window_started && now >= window.start) {
      window_started = true;
      sampler.Sample(now);
    }
    if (window_started && now >= window.end) {
      sampler.Sample(now);
      return;
    }
    if (now < next_tick) continue;
    if (window_started) sampler.Sample(now);
    tick({now, std::chrono::duration<double>(now - run_start).count(), window_started,
          std::max(1e-9, std::chrono::duration<double>(now - last_tick).count())});
    last_tick = now;
    next_tick += std::chrono::seconds(1);
  }
}

}  // namespace careledger::bench
