#include "network/bench/latency_stats.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "gtest/gtest.h"

namespace careledger::bench {
namespace {

TEST(LatencyStatsTest, NearestRankOfOneToHundred) {
  std::vector<int64_t> sorted(100);
  std::iota(sorted.begin(), sorted.end(), 1);
  EXPECT_EQ(NearestRankPercentile(sorted, 50), 50);
  EXPECT_EQ(NearestRankPercentile(sorted, 95), 95);
  EXPECT_EQ(NearestRankPercentile(sorted, 99), 99);
  EXPECT_EQ(NearestRankPercentile(sorted, 100), 100);
  EXPECT_EQ(NearestRankPercentile(sorted, 0.001), 1);
}

TEST(LatencyStatsTest, NearestRankOfFewSamplesIsASample) {
  const std::vector<int64_t> sorted = {10, 20, 30, 40};
  EXPECT_EQ(NearestRankPercentile(sorted, 50), 20);  // rank ceil(2.0) = 2
  EXPECT_EQ(NearestRankPercentile(sorted, 51), 30);  // rank ceil(2.04) = 3
  EXPECT_EQ(NearestRankPercentile(sorted, 99), 40);
  EXPECT_EQ(NearestRankPercentile({7}, 50), 7);
  EXPECT_EQ(NearestRankPercentile({}, 50), 0);
}

TEST(LatencyStatsTest, SummaryIsInMillisecondsWhateverTheOrder) {
  std::vector<int64_t> ns;
  for (int64_t i = 1; i <= 1000; ++i) ns.push_back(i * 1000000);  // 1..1000 ms
  std::shuffle(ns.begin(), ns.end(), std::mt19937(42));
  const LatencySummary s = SummarizeLatencies(ns);
  EXPECT_EQ(s.count, 1000u);
  EXPECT_DOUBLE_EQ(s.p50_ms, 500);
  EXPECT_DOUBLE_EQ(s.p95_ms, 950);
  EXPECT_DOUBLE_EQ(s.p99_ms, 990);
  EXPECT_DOUBLE_EQ(s.max_ms, 1000);
}

TEST(LatencyStatsTest, NoSamplesGiveZeros) {
  const LatencySummary s = SummarizeLatencies({});
  EXPECT_EQ(s.count, 0u);
  EXPECT_EQ(s.p50_ms, 0);
  EXPECT_EQ(s.max_ms, 0);
}

}  // namespace
}  // namespace careledger::bench
