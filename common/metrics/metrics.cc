#include "common/metrics/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/strings.h"

namespace careledger::metrics {
namespace {

enum Kind { kCounter = 0, kGauge = 1, kHistogram = 2 };

constexpr const char* KindName(int kind) {
  switch (kind) {
    case kCounter: return "counter";
    case kGauge: return "gauge";
    default: return "histogram";
  }
}

bool IsValidMetricName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

bool IsValidLabelName(std::string_view name) {
  if (name.empty() || name.substr(0, 2) == "__") return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

absl::Status CheckNames(std::string_view name, const std::vector<std::string>& label_names, bool histogram) {
  if (!IsValidMetricName(name)) {
    return absl::InvalidArgumentError(absl::StrCat("metric name \"", AsAbsl(name), "\" is malformed"));
  }
  std::set<std::string_view> seen;
  for (const std::string& label : label_names) {
    if (!IsValidLabelName(label)) {
      return absl::InvalidArgumentError(
          absl::StrCat("metric ", AsAbsl(name), ": label name \"", label, "\" is malformed"));
    }
    if (histogram && label == "le") {
      return absl::InvalidArgumentError(absl::StrCat("metric ", AsAbsl(name), ": label \"le\" is reserved"));
    }
    if (!seen.insert(label).second) {
      return absl::InvalidArgumentError(absl::StrCat("metric ", AsAbsl(name), ": label \"", label, "\" given twice"));
    }
  }
  return absl::OkStatus();
}

// HELP text escaping: backslash and newline only (the text format's rule).
std::string EscapeHelp(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// `{a="x",b="y"` plus `extra` (already formatted, e.g. `le="0.5"`) and `}`; nothing without labels.
void AppendLabels(const std::vector<std::string>& names, const std::vector<std::string>& values,
                  std::string_view extra, std::string& out) {
  if (names.empty() && extra.empty()) return;
  out += '{';
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ',';
    absl::StrAppend(&out, names[i], "=\"", EscapeLabelValue(values[i]), "\"");
  }
  if (!extra.empty()) {
    if (!names.empty()) out += ',';
    out.append(extra);
  }
  out += '}';
}

void AppendHeader(std::string_view name, const std::string& help, int kind, std::string& out) {
  absl::StrAppend(&out, "# HELP ", AsAbsl(name), " ", EscapeHelp(help), "\n");
  absl::StrAppend(&out, "# TYPE ", AsAbsl(name), " ", KindName(kind), "\n");
}

}  // namespace

std::string EscapeLabelValue(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  const std::to_chars_result result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

std::vector<double> DefaultLatencyBuckets() { return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}; }

Histogram::Histogram(const std::vector<double>& upper_bounds)
    : upper_bounds_(upper_bounds), buckets_(new std::atomic<uint64_t>[upper_bounds.size() + 1]) {
  for (size_t i = 0; i <= upper_bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::Observe(double value) {
  // NaN compares false with every bound, so lower_bound puts it in +Inf.
  const size_t index = static_cast<size_t>(
      std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value,
                       [](double bound, double v) { return bound < v || std::isnan(v); }) -
      upper_bounds_.begin());
  buckets_[index].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot snapshot;
  snapshot.cumulative_counts.reserve(upper_bounds_.size() + 1);
  uint64_t total = 0;
  for (size_t i = 0; i <= upper_bounds_.size(); ++i) {
    total += buckets_[i].load(std::memory_order_relaxed);
    snapshot.cumulative_counts.push_back(total);
  }
  // The count is the buckets' total, so a scrape is self-consistent even while observations land.
  snapshot.count = total;
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

namespace internal {

template <typename Child>
Child* Family<Child>::WithLabels(const std::vector<std::string>& values) {
  std::vector<std::string> key(label_names_.size());
  for (size_t i = 0; i < key.size() && i < values.size(); ++i) key[i] = values[i];
  absl::MutexLock lock(&mu_);
  std::unique_ptr<Child>& child = children_[std::move(key)];
  if (child == nullptr) child = NewChild();
  return child.get();
}

template <typename Child>
Child* Family<Child>::WithLabels(std::initializer_list<std::string_view> values) {
  std::vector<std::string> copy;
  copy.reserve(values.size());
  for (std::string_view value : values) copy.emplace_back(value);
  return WithLabels(copy);
}

template <typename Child>
std::vector<std::pair<std::vector<std::string>, const Child*>> Family<Child>::Children() const {
  std::vector<std::pair<std::vector<std::string>, const Child*>> out;
  absl::MutexLock lock(&mu_);
  out.reserve(children_.size());
  for (const auto& [values, child] : children_) out.emplace_back(values, child.get());
  return out;
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

}  // namespace internal

struct Registry::Entry {
  int kind = kCounter;
  std::unique_ptr<CounterFamily> counter;
  std::unique_ptr<GaugeFamily> gauge;
  std::unique_ptr<HistogramFamily> histogram;

  const std::vector<std::string>& label_names() const {
    if (counter != nullptr) return counter->label_names();
    if (gauge != nullptr) return gauge->label_names();
    return histogram->label_names();
  }
};

Registry::Registry() = default;
Registry::~Registry() = default;

absl::StatusOr<Registry::Entry*> Registry::Find(std::string_view name, int kind,
                                                const std::vector<std::string>& label_names) {
  auto it = families_.find(name);
  if (it == families_.end()) return nullptr;
  Entry& entry = *it->second;
  if (entry.kind != kind || entry.label_names() != label_names) {
    return absl::InvalidArgumentError(absl::StrCat("metric ", AsAbsl(name), " is already registered as a ",
                                                   KindName(entry.kind), " with labels [",
                                                   absl::StrJoin(entry.label_names(), ","), "]"));
  }
  return &entry;
}

absl::StatusOr<CounterFamily*> Registry::AddCounter(std::string_view name, std::string_view help,
                                                    std::vector<std::string> label_names) {
  if (absl::Status checked = CheckNames(name, label_names, false); !checked.ok()) return checked;
  absl::MutexLock lock(&mu_);
  absl::StatusOr<Entry*> existing = Find(name, kCounter, label_names);
  if (!existing.ok()) return existing.status();
  if (*existing != nullptr) return (*existing)->counter.get();
  auto entry = std::make_unique<Entry>();
  entry->kind = kCounter;
  entry->counter = std::make_unique<CounterFamily>(std::string(name), std::string(help), std::move(label_names));
  CounterFamily* family = entry->counter.get();
  families_.emplace(std::string(name), std::move(entry));
  return family;
}

absl::StatusOr<GaugeFamily*> Registry::AddGauge(std::string_view name, std::string_view help,
                                                std::vector<std::string> label_names) {
  if (absl::Status checked = CheckNames(name, label_names, false); !checked.ok()) return checked;
  absl::MutexLock lock(&mu_);
  absl::StatusOr<Entry*> existing = Find(name, kGauge, label_names);
  if (!existing.ok()) return existing.status();
  if (*existing != nullptr) return (*existing)->gauge.get();
  auto entry = std::make_unique<Entry>();
  entry->kind = kGauge;
  entry->gauge = std::make_unique<GaugeFamily>(std::string(name), std::string(help), std::move(label_names));
  GaugeFamily* family = entry->gauge.get();
  families_.emplace(std::string(name), std::move(entry));
  return family;
}

absl::StatusOr<HistogramFamily*> Registry::AddHistogram(std::string_view name, std::string_view help,
                                                        std::vector<std::string> label_names,
                                                        std::vector<double> upper_bounds) {
  if (absl::Status checked = CheckNames(name, label_names, true); !checked.ok()) return checked;
  if (upper_bounds.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("metric ", AsAbsl(name), ": no bucket bounds"));
  }
  for (size_t i = 0; i < upper_bounds.size(); ++i) {
    if (!std::isfinite(upper_bounds[i]) || (i > 0 && !(upper_bounds[i - 1] < upper_bounds[i]))) {
      return absl::InvalidArgumentError(
          absl::StrCat("metric ", AsAbsl(name), ": bucket bounds must be finite and strictly increasing"));
    }
  }
  absl::MutexLock lock(&mu_);
  absl::StatusOr<Entry*> existing = Find(name, kHistogram, label_names);
  if (!existing.ok()) return existing.status();
  if (*existing != nullptr) {
    if ((*existing)->histogram->upper_bounds() != upper_bounds) {
      return absl::InvalidArgumentError(
          absl::StrCat("metric ", AsAbsl(name), " is already registered with other bucket bounds"));
    }
    return (*existing)->histogram.get();
  }
  auto entry = std::make_unique<Entry>();
  entry->kind = kHistogram;
  entry->histogram = std::make_unique<HistogramFamily>(std::string(name), std::string(help), std::move(label_names),
                                                       std::move(upper_bounds));
  HistogramFamily* family = entry->histogram.get();
  families_.emplace(std::string(name), std::move(entry));
  return family;
}

std::string Registry::RenderText() const {
  // Families are never removed, so their pointers outlive the registry's lock.
  std::vector<const Entry*> entries;
  {
    absl::MutexLock lock(&mu_);
    entries.reserve(families_.size());
    for (const auto& [name, entry] : families_) entries.push_back(entry.get());
  }
  std::string out;
  for (const Entry* entry : entries) {
    if (entry->counter != nullptr) {
      const CounterFamily& family = *entry->counter;
      AppendHeader(family.name(), family.help(), kCounter, out);
      for (const auto& [values, counter] : family.Children()) {
        out += family.name();
        AppendLabels(family.label_names(), values, "", out);
        absl::StrAppend(&out, " ", counter->Value(), "\n");
      }
    } else if (entry->gauge != nullptr) {
      const GaugeFamily& family = *entry->gauge;
      AppendHeader(family.name(), family.help(), kGauge, out);
      for (const auto& [values, gauge] : family.Children()) {
        out += family.name();
        AppendLabels(family.label_names(), values, "", out);
        absl::StrAppend(&out, " ", FormatValue(gauge->Value()), "\n");
      }
    } else {
      const HistogramFamily& family = *entry->histogram;
      AppendHeader(family.name(), family.help(), kHistogram, out);
      const std::vector<double>& bounds = family.upper_bounds();
      for (const auto& [values, histogram] : family.Children()) {
        const Histogram::Snapshot snapshot = histogram->Read();
        for (size_t i = 0; i <= bounds.size(); ++i) {
          absl::StrAppend(&out, family.name(), "_bucket");
          const std::string le = i < bounds.size() ? FormatValue(bounds[i]) : "+Inf";
          AppendLabels(family.label_names(), values, absl::StrCat("le=\"", le, "\""), out);
          absl::StrAppend(&out, " ", snapshot.cumulative_counts[i], "\n");
        }
        absl::StrAppend(&out, family.name(), "_sum");
        AppendLabels(family.label_names(), values, "", out);
        absl::StrAppend(&out, " ", FormatValue(snapshot.sum), "\n");
        absl::StrAppend(&out, family.name(), "_count");
        AppendLabels(family.label_names(), values, "", out);
        absl::StrAppend(&out, " ", snapshot.count, "\n");
      }
    }
  }
  return out;
}

}  // namespace careledger::metrics
