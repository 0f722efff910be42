#include "common/metrics/metrics.h"

#include <cmath>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::metrics {
namespace {

using ::testing::HasSubstr;

TEST(MetricsTextTest, RendersCounterWithHelpTypeAndSortedChildren) {
  Registry registry;
  absl::StatusOr<CounterFamily*> family =
      registry.AddCounter("ledger_transaction_count", "Transactions committed.", {"channel", "validation_code"});
  ASSERT_TRUE(family.ok()) << family.status();
  (*family)->WithLabels({"ch2", "VALID"})->Add(3);
  (*family)->WithLabels({"ch1", "MVCC_READ_CONFLICT"})->Increment();
  EXPECT_EQ(registry.RenderText(),
            "# HELP ledger_transaction_count Transactions committed.\n"
            "# TYPE ledger_transaction_count counter\n"
            "ledger_transaction_count{channel=\"ch1\",validation_code=\"MVCC_READ_CONFLICT\"} 1\n"
            "ledger_transaction_count{channel=\"ch2\",validation_code=\"VALID\"} 3\n");
}

TEST(MetricsTextTest, RendersGaugeWithoutLabelsAndFamiliesSortedByName) {
  Registry registry;
  GaugeFamily* term = *registry.AddGauge("raft_term", "The term.");
  CounterFamily* a = *registry.AddCounter("a_total", "First.\nSecond \\ line.");
  term->WithLabels({})->Set(4);
  a->WithLabels({})->Add(0);
  EXPECT_EQ(registry.RenderText(),
            "# HELP a_total First.\\nSecond \\\\ line.\n"
            "# TYPE a_total counter\n"
            "a_total 0\n"
            "# HELP raft_term The term.\n"
            "# TYPE raft_term gauge\n"
            "raft_term 4\n");
}

TEST(MetricsTextTest, FamilyWithoutChildrenHasOnlyItsHeader) {
  Registry registry;
  ASSERT_TRUE(registry.AddGauge("ledger_blockchain_height", "Height.", {"channel"}).ok());
  EXPECT_EQ(registry.RenderText(),
            "# HELP ledger_blockchain_height Height.\n# TYPE ledger_blockchain_height gauge\n");
}

TEST(MetricsTextTest, EscapesLabelValues) {
  Registry registry;
  CounterFamily* family = *registry.AddCounter("x", "X.", {"name"});
  family->WithLabels({"a\"b\\c\nd"})->Increment();
  EXPECT_THAT(registry.RenderText(), HasSubstr("x{name=\"a\\\"b\\\\c\\nd\"} 1\n"));
  EXPECT_EQ(EscapeLabelValue("plain"), "plain");
}

TEST(MetricsTextTest, RendersHistogramBucketsCumulativeWithSumAndCount) {
  Registry registry;
  HistogramFamily* family = *registry.AddHistogram("latency_seconds", "Latency.", {"channel"}, {0.1, 0.5, 1});
  Histogram* h = family->WithLabels({"ch"});
  h->Observe(0.05);
  h->Observe(0.1);  // upper bounds are inclusive
  h->Observe(0.3);
  h->Observe(7);
  EXPECT_EQ(registry.RenderText(),
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{channel=\"ch\",le=\"0.1\"} 2\n"
            "latency_seconds_bucket{channel=\"ch\",le=\"0.5\"} 3\n"
            "latency_seconds_bucket{channel=\"ch\",le=\"1\"} 3\n"
            "latency_seconds_bucket{channel=\"ch\",le=\"+Inf\"} 4\n"
            "latency_seconds_sum{channel=\"ch\"} 7.45\n"
            "latency_seconds_count{channel=\"ch\"} 4\n");
}

TEST(MetricsTextTest, HistogramWithoutLabelsHasOnlyLe) {
  Registry registry;
  HistogramFamily* family = *registry.AddHistogram("d", "D.", {}, {1});
  family->WithLabels({})->Observe(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(registry.RenderText(),
            "# HELP d D.\n# TYPE d histogram\nd_bucket{le=\"1\"} 0\nd_bucket{le=\"+Inf\"} 1\nd_sum NaN\nd_count 1\n");
}

TEST(MetricsTextTest, FormatsValues) {
  EXPECT_EQ(FormatValue(1), "1");
  EXPECT_EQ(FormatValue(0.25), "0.25");
  EXPECT_EQ(FormatValue(-3.5), "-3.5");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(FormatValue(std::nan("")), "NaN");
  EXPECT_EQ(std::stod(FormatValue(0.1 + 0.2)), 0.1 + 0.2);
}

TEST(MetricsRegistryTest, SameShapeReturnsTheSameFamilyAndChild) {
  Registry registry;
  CounterFamily* first = *registry.AddCounter("c", "C.", {"channel"});
  CounterFamily* second = *registry.AddCounter("c", "C.", {"channel"});
  EXPECT_EQ(first, second);
  EXPECT_EQ(first->WithLabels({"a"}), second->WithLabels({"a"}));
  EXPECT_NE(first->WithLabels({"a"}), first->WithLabels({"b"}));
}

TEST(MetricsRegistryTest, RefusesMalformedOrConflictingDeclarations) {
  Registry registry;
  ASSERT_TRUE(registry.AddCounter("c", "C.", {"channel"}).ok());
  EXPECT_EQ(registry.AddGauge("c", "C.", {"channel"}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddCounter("c", "C.", {"code"}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(registry.AddCounter("1abc", "").ok());
  EXPECT_FALSE(registry.AddCounter("a-b", "").ok());
  EXPECT_FALSE(registry.AddCounter("", "").ok());
  EXPECT_TRUE(registry.AddCounter("ns:sub_name_2", "").ok());
  EXPECT_FALSE(registry.AddCounter("d", "", {"__reserved"}).ok());
  EXPECT_FALSE(registry.AddCounter("d", "", {"a", "a"}).ok());
  EXPECT_FALSE(registry.AddCounter("d", "", {"bad-label"}).ok());
  EXPECT_FALSE(registry.AddHistogram("h", "", {"le"}).ok());
  EXPECT_FALSE(registry.AddHistogram("h", "", {}, {}).ok());
  EXPECT_FALSE(registry.AddHistogram("h", "", {}, {1, 1}).ok());
  EXPECT_FALSE(registry.AddHistogram("h", "", {}, {1, std::numeric_limits<double>::infinity()}).ok());
  ASSERT_TRUE(registry.AddHistogram("h", "", {}, {1, 2}).ok());
  EXPECT_FALSE(registry.AddHistogram("h", "", {}, {1, 3}).ok());
}

TEST(MetricsRegistryTest, MissingLabelValuesAreEmptyAndExtraOnesIgnored) {
  Registry registry;
  CounterFamily* family = *registry.AddCounter("c", "C.", {"a", "b"});
  family->WithLabels({"x"})->Increment();
  family->WithLabels({"x", "", "ignored"})->Increment();
  EXPECT_THAT(registry.RenderText(), HasSubstr("c{a=\"x\",b=\"\"} 2\n"));
}

TEST(MetricsConcurrencyTest, ConcurrentUpdatesAddUpExactly) {
  Registry registry;
  CounterFamily* counters = *registry.AddCounter("c", "C.", {"thread_group"});
  GaugeFamily* gauges = *registry.AddGauge("g", "G.");
  HistogramFamily* histograms = *registry.AddHistogram("h", "H.", {}, {0.5});
  constexpr int kThreads = 8;
  constexpr int kIterations = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Half of the threads share one child, the others look theirs up concurrently with rendering.
      Counter* counter = counters->WithLabels({t % 2 == 0 ? "even" : "odd"});
      Gauge* gauge = gauges->WithLabels({});
      Histogram* histogram = histograms->WithLabels({});
      for (int i = 0; i < kIterations; ++i) {
        counter->Increment();
        gauge->Add(1);
        histogram->Observe(i % 2 == 0 ? 0.25 : 1.0);
        if (i % 5000 == 0) (void)registry.RenderText();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(counters->WithLabels({"even"})->Value(), uint64_t{kThreads / 2 * kIterations});
  EXPECT_EQ(counters->WithLabels({"odd"})->Value(), uint64_t{kThreads / 2 * kIterations});
  EXPECT_EQ(gauges->WithLabels({})->Value(), double{kThreads * kIterations});
  const Histogram::Snapshot snapshot = histograms->WithLabels({})->Read();
  EXPECT_EQ(snapshot.count, uint64_t{kThreads * kIterations});
  EXPECT_EQ(snapshot.cumulative_counts[0], uint64_t{kThreads * kIterations / 2});
  EXPECT_DOUBLE_EQ(snapshot.sum, kThreads * kIterations / 2 * 1.25);
}

}  // namespace
}  // namespace careledger::metrics
