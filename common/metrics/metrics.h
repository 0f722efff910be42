// Metrics: counters, gauges and histograms with labels, kept in a Registry and rendered in Prometheus' text
// exposition format (version 0.0.4) for a node's /metrics endpoint (common/operations/).
//
//   metrics::Registry registry;
//   ASSIGN_OR_RETURN(metrics::CounterFamily* txs,
//                    registry.AddCounter("ledger_transaction_count", "Transactions committed.",
//                                        {"channel", "validation_code"}));
//   metrics::Counter* valid = txs->WithLabels({"healthchannel", "VALID"});  // once: look up, keep the pointer
//   valid->Increment();                                                      // hot path: one relaxed atomic add
//
// Cost model: a family's children are found or created under the family's mutex, so callers look a child up
// once (per channel, per code) and keep the pointer, which stays valid as long as the Registry. Updating a
// Counter or Gauge is one relaxed atomic operation; Histogram::Observe is a search over its few bucket bounds
// and three relaxed atomic operations. No update takes a lock. Rendering copies each family's list of
// children under its mutex (so updates never wait on formatting) and reads the atomics afterwards: a scrape
// that races with updates sees each value at some recent point, not one instant across values.
//
// Names: metric names match [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]* not starting with
// "__"; histograms reserve "le". Label values are arbitrary bytes (a channel name, a chaincode name) and are
// escaped when rendered.
//
// Thread-safety: everything is thread-safe. Families and children are never removed; a Registry must outlive
// every pointer it handed out.
#ifndef CARELEDGER_COMMON_METRICS_METRICS_H_
#define CARELEDGER_COMMON_METRICS_METRICS_H_

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace careledger::metrics {

// A value that only goes up (requests served, blocks committed).
class Counter {
 public:
  void Increment() { Add(1); }
  void Add(uint64_t n) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// A value that goes up and down (ledger height, Raft term, leader or not).
class Gauge {
 public:
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  void Add(double delta) { value_.fetch_add(delta, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Observations counted into fixed buckets (latencies in seconds), with their sum and count.
class Histogram {
 public:
  // `upper_bounds` strictly increasing and finite (checked by Registry::AddHistogram); +Inf is implicit.
  explicit Histogram(const std::vector<double>& upper_bounds);

  // Counts `value` in the first bucket whose upper bound is >= value (the +Inf bucket if none). NaN is
  // counted in +Inf and adds NaN to the sum, as Prometheus' own clients do.
  void Observe(double value);

  struct Snapshot {
    std::vector<uint64_t> cumulative_counts;  // one per upper bound, then +Inf (== count)
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot Read() const;

 private:
  const std::vector<double>& upper_bounds_;  // owned by the family
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // per bucket, not cumulative; last is +Inf
  std::atomic<double> sum_{0};
};

// Latency buckets in seconds, from 5 ms to 10 s (Prometheus' client default).
std::vector<double> DefaultLatencyBuckets();

namespace internal {

// The part every family shares: name, help, label names, and the children by label values.
template <typename Child>
class Family {
 public:
  // The child for `values`, one per label name in order, created at zero on first use. Missing values are
  // taken as "", extra ones ignored (a programming error, but never a crash). Takes the family's mutex: call
  // once and keep the pointer.
  Child* WithLabels(std::initializer_list<std::string_view> values);
  Child* WithLabels(const std::vector<std::string>& values);

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& label_names() const { return label_names_; }

  // The children, in label-value order, copied under the mutex.
  std::vector<std::pair<std::vector<std::string>, const Child*>> Children() const;

 protected:
  Family(std::string name, std::string help, std::vector<std::string> label_names)
      : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}
  virtual ~Family() = default;
  virtual std::unique_ptr<Child> NewChild() const = 0;

 private:
  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
  mutable absl::Mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<Child>> children_ ABSL_GUARDED_BY(mu_);
};

}  // namespace internal

class CounterFamily final : public internal::Family<Counter> {
 public:
  CounterFamily(std::string name, std::string help, std::vector<std::string> label_names)
      : Family(std::move(name), std::move(help), std::move(label_names)) {}

 private:
  std::unique_ptr<Counter> NewChild() const override { return std::make_unique<Counter>(); }
};

class GaugeFamily final : public internal::Family<Gauge> {
 public:
  GaugeFamily(std::string name, std::string help, std::vector<std::string> label_names)
      : Family(std::move(name), std::move(help), std::move(label_names)) {}

 private:
  std::unique_ptr<Gauge> NewChild() const override { return std::make_unique<Gauge>(); }
};

class HistogramFamily final : public internal::Family<Histogram> {
 public:
  HistogramFamily(std::string name, std::string help, std::vector<std::string> label_names,
                  std::vector<double> upper_bounds)
      : Family(std::move(name), std::move(help), std::move(label_names)), upper_bounds_(std::move(upper_bounds)) {}

  const std::vector<double>& upper_bounds() const { return upper_bounds_; }

 private:
  std::unique_ptr<Histogram> NewChild() const override { return std::make_unique<Histogram>(upper_bounds_); }
  const std::vector<double> upper_bounds_;
};

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Adds a family, or returns the one already registered under `name` if it has the same kind, label names
  // (and bucket bounds): two modules may each declare what they share. InvalidArgument for a malformed
  // metric or label name, a duplicate label name, "le" as a histogram label, bounds that are empty, not
  // finite or not strictly increasing, or a name already registered with a different shape.
  absl::StatusOr<CounterFamily*> AddCounter(std::string_view name, std::string_view help,
                                            std::vector<std::string> label_names = {});
  absl::StatusOr<GaugeFamily*> AddGauge(std::string_view name, std::string_view help,
                                        std::vector<std::string> label_names = {});
  absl::StatusOr<HistogramFamily*> AddHistogram(std::string_view name, std::string_view help,
                                                std::vector<std::string> label_names,
                                                std::vector<double> upper_bounds = DefaultLatencyBuckets());

  // Every family, sorted by name, in Prometheus' text exposition format 0.0.4 (what a /metrics endpoint
  // serves as "text/plain; version=0.0.4"): "# HELP" and "# TYPE" lines, then one sample per child
  // (histograms: _bucket{le=...} cumulative, _sum, _count). A family without children renders only its
  // HELP and TYPE lines.
  std::string RenderText() const;

 private:
  struct Entry;
  absl::StatusOr<Entry*> Find(std::string_view name, int kind, const std::vector<std::string>& label_names)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::map<std::string, std::unique_ptr<Entry>, std::less<>> families_ ABSL_GUARDED_BY(mu_);
};

// For tests and callers that render one value: `text` escaped as a label value (\\, \", \n).
std::string EscapeLabelValue(std::string_view text);

// A sample value as Prometheus writes it: "+Inf", "-Inf", "NaN", else the shortest text that reads back as
// the same double ("1", "0.25", "1e-05").
std::string FormatValue(double value);

}  // namespace careledger::metrics

#endif  // CARELEDGER_COMMON_METRICS_METRICS_H_
