#include "network/bench/proc_stats.h"

#include <unistd.h>

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/file/file_io.h"
#include "common/strings.h"

namespace careledger::bench {
namespace {

constexpr uint64_t kMaxProcFileBytes = 4 << 20;

std::vector<absl::string_view> Fields(absl::string_view text) {
  return absl::StrSplit(text, absl::ByAnyChar(" \t"), absl::SkipEmpty());
}

}  // namespace

absl::StatusOr<ProcessCpuTicks> ParseProcPidStat(std::string_view line) {
  const absl::string_view text = AsAbsl(line);
  const size_t close = text.rfind(')');
  if (close == absl::string_view::npos) {
    return absl::InvalidArgumentError("/proc/<pid>/stat: no command name in parentheses");
  }
  // Fields after the command name start at field 3 (state): utime is field 14, stime field 15.
  const std::vector<absl::string_view> fields = Fields(absl::StripSuffix(text.substr(close + 1), "\n"));
  ProcessCpuTicks ticks;
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[11], &ticks.user) || !absl::SimpleAtoi(fields[12], &ticks.system)) {
    return absl::InvalidArgumentError("/proc/<pid>/stat: utime and stime (fields 14 and 15) are not numbers");
  }
  return ticks;
}

absl::StatusOr<uint64_t> ParseVmRssBytes(std::string_view status) {
  for (absl::string_view line : absl::StrSplit(AsAbsl(status), '\n')) {
    if (!absl::ConsumePrefix(&line, "VmRSS:")) continue;
    const std::vector<absl::string_view> fields = Fields(line);
    uint64_t kb = 0;
    if (fields.size() != 2 || fields[1] != "kB" || !absl::SimpleAtoi(fields[0], &kb)) {
      return absl::InvalidArgumentError(absl::StrCat("/proc/<pid>/status: malformed VmRSS line '", line, "'"));
    }
    return kb * 1024;
  }
  return absl::InvalidArgumentError("/proc/<pid>/status: no VmRSS line");
}

absl::StatusOr<HostCpuTicks> ParseProcStatCpu(std::string_view stat) {
  for (absl::string_view line : absl::StrSplit(AsAbsl(stat), '\n')) {
    if (!absl::ConsumePrefix(&line, "cpu ")) continue;
    const std::vector<absl::string_view> fields = Fields(line);
    if (fields.size() < 4) break;
    // user nice system idle [iowait irq softirq steal]; guest time is already inside user and nice.
    uint64_t values[8] = {};
    for (size_t i = 0; i < std::min<size_t>(fields.size(), 8); ++i) {
      if (!absl::SimpleAtoi(fields[i], &values[i])) {
        return absl::InvalidArgumentError(absl::StrCat("/proc/stat: cpu field ", i + 1, " is not a number"));
      }
    }
    HostCpuTicks ticks;
    for (uint64_t v : values) ticks.total += v;
    ticks.busy = ticks.total - values[3] - values[4];
    return ticks;
  }
  return absl::InvalidArgumentError("/proc/stat: no aggregate cpu line");
}

ProcessSampler::ProcessSampler(std::vector<NamedPid> processes, std::string proc_root, double ticks_per_second)
    : proc_root_(std::move(proc_root)),
      ticks_per_second_(ticks_per_second > 0 ? ticks_per_second : static_cast<double>(::sysconf(_SC_CLK_TCK))) {
  for (NamedPid& p : processes) {
    Tracked t;
    t.process = std::move(p);
    tracked_.push_back(std::move(t));
  }
}

double ProcessSampler::Percent(uint64_t ticks, TimePoint from, TimePoint to) const {
  const double seconds = std::chrono::duration<double>(to - from).count();
  if (seconds <= 0 || ticks_per_second_ <= 0) return 0;
  return static_cast<double>(ticks) / ticks_per_second_ / seconds * 100.0;
}

void ProcessSampler::Sample(TimePoint now) {
  for (Tracked& t : tracked_) {
    if (t.exited) continue;
    const std::string dir = absl::StrCat(proc_root_, "/", t.process.pid);
    auto stat = file::ReadFile(dir + "/stat", kMaxProcFileBytes);
    auto status = file::ReadFile(dir + "/status", kMaxProcFileBytes);
    absl::StatusOr<ProcessCpuTicks> cpu = stat.ok() ? ParseProcPidStat(*stat) : stat.status();
    absl::StatusOr<uint64_t> rss = status.ok() ? ParseVmRssBytes(*status) : status.status();
    if (!cpu.ok() || !rss.ok()) {
      t.exited = true;
      continue;
    }
    const uint64_t ticks = cpu->user + cpu->system;
    if (!t.has_first) {
      t.has_first = true;
      t.first_time = now;
      t.first_ticks = ticks;
    } else {
      t.peak_percent = std::max(t.peak_percent, Percent(ticks - std::min(ticks, t.last_ticks), t.last_time, now));
    }
    t.last_time = now;
    t.last_ticks = ticks;
    t.rss_peak = std::max(t.rss_peak, *rss);
  }
  auto host_text = file::ReadFile(proc_root_ + "/stat", kMaxProcFileBytes);
  if (!host_text.ok()) return;
  auto host = ParseProcStatCpu(*host_text);
  if (!host.ok()) return;
  if (!host_first_.has_value()) host_first_ = *host;
  host_last_ = *host;
}

std::vector<ProcessUsage> ProcessSampler::Usage() const {
  std::vector<ProcessUsage> usage;
  for (const Tracked& t : tracked_) {
    ProcessUsage u;
    u.name = t.process.name;
    u.pid = t.process.pid;
    u.exited = t.exited;
    if (t.has_first) {
      u.cpu_avg_percent = Percent(t.last_ticks - std::min(t.last_ticks, t.first_ticks), t.first_time, t.last_time);
      u.cpu_peak_percent = t.peak_percent;
      u.rss_peak_bytes = t.rss_peak;
    }
    usage.push_back(std::move(u));
  }
  return usage;
}

std::optional<double> ProcessSampler::HostCpuBusyPercent() const {
  if (!host_first_.has_value() || !host_last_.has_value() || host_last_->total <= host_first_->total) {
    return std::nullopt;
  }
  const double busy = static_cast<double>(host_last_->busy - std::min(host_last_->busy, host_first_->busy));
  return busy / static_cast<double>(host_last_->total - host_first_->total) * 100.0;
}

}  // namespace careledger::bench
