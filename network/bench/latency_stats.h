// Latency percentiles for the bench's report.
#ifndef CARELEDGER_NETWORK_BENCH_LATENCY_STATS_H_
#define CARELEDGER_NETWORK_BENCH_LATENCY_STATS_H_

#include <cstdint>
#include <vector>

namespace careledger::bench {

struct LatencySummary {
  uint64_t count = 0;  // samples; the fields below are 0 when there are none
  double p50_ms = 0;
  double p95_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

// The nearest-rank percentile `p` (0 < p <= 100) of `sorted` (ascending): the smallest sample such that at
// least p% of the samples are at most it. 0 for no samples.
int64_t NearestRankPercentile(const std::vector<int64_t>& sorted, double p);

// p50, p95, p99 and max of `nanoseconds` (in any order; sorted in place), in milliseconds.
LatencySummary SummarizeLatencies(std::vector<int64_t> nanoseconds);

}  // namespace careledger::bench

#endif  // CARELEDGER_NETWORK_BENCH_LATENCY_STATS_H_
