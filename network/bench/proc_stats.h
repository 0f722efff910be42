// CPU and memory of processes and of the host, sampled from Linux's /proc while a bench runs.
//
//   /proc/<pid>/stat    utime and stime (fields 14 and 15, clock ticks) after "pid (comm) state ..."
//   /proc/<pid>/status  VmRSS: resident set size in kB
//   /proc/stat          the "cpu" line: user nice system idle iowait irq softirq steal (clock ticks)
//
// CPU percentages of a process are of one core (a process busy on two cores shows 200%), as top prints
// them; the host's busy percentage is of all cores.
#ifndef CARELEDGER_NETWORK_BENCH_PROC_STATS_H_
#define CARELEDGER_NETWORK_BENCH_PROC_STATS_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "network/bench/bench_options.h"

namespace careledger::bench {

struct ProcessCpuTicks {
  uint64_t user = 0;
  uint64_t system = 0;
};

// Parses a /proc/<pid>/stat line. The command name is in parentheses and may itself hold spaces and ')', so
// fields are counted from the last ')'. InvalidArgument if the line is too short or a field is not a number.
absl::StatusOr<ProcessCpuTicks> ParseProcPidStat(std::string_view line);

// The VmRSS of a /proc/<pid>/status text, in bytes. InvalidArgument if absent or malformed (kernel threads
// have none).
absl::StatusOr<uint64_t> ParseVmRssBytes(std::string_view status);

struct HostCpuTicks {
  uint64_t busy = 0;   // total minus idle and iowait
  uint64_t total = 0;  // user + nice + system + idle + iowait + irq + softirq + steal
};

// Parses the aggregate "cpu " line of /proc/stat. InvalidArgument if there is none or it is malformed.
absl::StatusOr<HostCpuTicks> ParseProcStatCpu(std::string_view stat);

struct ProcessUsage {
  std::string name;
  int pid = 0;
  double cpu_avg_percent = 0;   // over the whole sampled span
  double cpu_peak_percent = 0;  // the busiest interval between two consecutive samples
  uint64_t rss_peak_bytes = 0;  // the largest VmRSS seen
  bool exited = false;          // the process could not be read at some sample (gone, or not ours)
};

// Samples a fixed set of processes and the host. Not thread-safe: one thread samples.
class ProcessSampler {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  // `proc_root` is "/proc" except in tests; `ticks_per_second` 0 means sysconf(_SC_CLK_TCK).
  explicit ProcessSampler(std::vector<NamedPid> processes, std::string proc_root = "/proc",
                          double ticks_per_second = 0);

  // Reads every process and the host counters as of `now`; the first call is the baseline. A process that
  // cannot be read is marked exited and keeps what was measured before.
  void Sample(TimePoint now);

  // One entry per process, in the order given.
  std::vector<ProcessUsage> Usage() const;
  // The host's busy share over the sampled span; nullopt before two successful samples of /proc/stat.
  std::optional<double> HostCpuBusyPercent() const;

 private:
  struct Tracked {
    NamedPid process;
    bool has_first = false;
    TimePoint first_time, last_time;
    uint64_t first_ticks = 0, last_ticks = 0;
    double peak_percent = 0;
    uint64_t rss_peak = 0;
    bool exited = false;
  };

  double Percent(uint64_t ticks, TimePoint from, TimePoint to) const;

  std::string proc_root_;
  double ticks_per_second_;
  std::vector<Tracked> tracked_;
  std::optional<HostCpuTicks> host_first_, host_last_;
};

}  // namespace careledger::bench

#endif  // CARELEDGER_NETWORK_BENCH_PROC_STATS_H_
