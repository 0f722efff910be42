#include "network/bench/latency_stats.h"

#include <algorithm>
#include <cmath>

namespace careledger::bench {

int64_t NearestRankPercentile(const std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size()));
  const size_t index = rank < 1 ? 0 : std::min(sorted.size(), static_cast<size_t>(rank)) - 1;
  return sorted[index];
}

LatencySummary SummarizeLatencies(std::vector<int64_t> nanoseconds) {
  LatencySummary summary;
  if (nanoseconds.empty()) return summary;
  std::sort(nanoseconds.begin(), nanoseconds.end());
  auto ms = [](int64_t ns) { return static_cast<double>(ns) / 1e6; };
  summary.count = nanoseconds.size();
  summary.p50_ms = ms(NearestRankPercentile(nanoseconds, 50));
  summary.p95_ms = ms(NearestRankPercentile(nanoseconds, 95));
  summary.p99_ms = ms(NearestRankPercentile(nanoseconds, 99));
  summary.max_ms = ms(nanoseconds.back());
  return summary;
}

}  // namespace careledger::bench
