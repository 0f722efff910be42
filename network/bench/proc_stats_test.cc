#include "network/bench/proc_stats.h"

#include <unistd.h>

#include "common/file/file_io.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::bench {
namespace {

using ::testing::HasSubstr;

// A real line of /proc/<pid>/stat, with a command name holding a space and a parenthesis.
std::string StatLine(uint64_t utime, uint64_t stime) {
  return "4242 (careledger-ord) x) S 1 4242 4242 0 -1 4194560 1234 0 0 0 " + std::to_string(utime) + " " +
         std::to_string(stime) + " 0 0 20 0 12 0 987654 123456789 4321 18446744073709551615 1 1 0 0 0 0 0 4096 "
         "17663 0 0 0 17 1 0 0 0 0 0\n";
}

std::string Status(uint64_t rss_kb) {
  return "Name:\tcareledger-ord\nState:\tS (sleeping)\nVmPeak:\t  900000 kB\nVmRSS:\t  " + std::to_string(rss_kb) +
         " kB\nThreads:\t12\n";
}

std::string HostStat(uint64_t user, uint64_t idle) {
  return "cpu  " + std::to_string(user) + " 0 0 " + std::to_string(idle) +
         " 0 0 0 0 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\nintr 1 2 3\n";
}

TEST(ProcStatsTest, ParsesUtimeAndStimeAfterTheLastParenthesis) {
  auto ticks = ParseProcPidStat(StatLine(1500, 250));
  ASSERT_TRUE(ticks.ok()) << ticks.status();
  EXPECT_EQ(ticks->user, 1500u);
  EXPECT_EQ(ticks->system, 250u);
}

TEST(ProcStatsTest, RejectsMalformedStatLines) {
  EXPECT_FALSE(ParseProcPidStat("").ok());
  EXPECT_FALSE(ParseProcPidStat("4242 careledger S 1 2 3").ok());
  EXPECT_FALSE(ParseProcPidStat("4242 (careledger) S 1 2 3").ok());
  EXPECT_FALSE(ParseProcPidStat("4242 (c) S 1 2 3 4 5 6 7 8 9 10 x 12 13").ok());
}

TEST(ProcStatsTest, ParsesVmRss) {
  auto rss = ParseVmRssBytes(Status(2048));
  ASSERT_TRUE(rss.ok()) << rss.status();
  EXPECT_EQ(*rss, 2048u * 1024);
  EXPECT_FALSE(ParseVmRssBytes("Name:\tkthreadd\n").ok());
  EXPECT_FALSE(ParseVmRssBytes("VmRSS:\t12 MB\n").ok());
}

TEST(ProcStatsTest, ParsesTheAggregateCpuLine) {
  auto host = ParseProcStatCpu("cpu  100 10 50 800 40 5 5 0 7 0\ncpu0 1 1 1 1\n");
  ASSERT_TRUE(host.ok()) << host.status();
  EXPECT_EQ(host->total, 1010u);
  EXPECT_EQ(host->busy, 1010u - 800 - 40);
  EXPECT_FALSE(ParseProcStatCpu("cpu0 1 2 3 4\n").ok());
  EXPECT_FALSE(ParseProcStatCpu("cpu  1 x 3 4\n").ok());
}

TEST(ProcStatsTest, ReadsThisProcess) {
  ProcessSampler sampler({{"self", static_cast<int>(::getpid())}});
  const auto t0 = std::chrono::steady_clock::now();
  sampler.Sample(t0);
  sampler.Sample(t0 + std::chrono::seconds(1));
  const std::vector<ProcessUsage> usage = sampler.Usage();
  ASSERT_EQ(usage.size(), 1u);
  EXPECT_FALSE(usage[0].exited);
  EXPECT_GT(usage[0].rss_peak_bytes, 0u);
}

// Two samples a second apart, 100 ticks per second: 150 ticks of CPU is 150% of a core.
TEST(ProcStatsTest, AverageAndPeakCpuAndPeakRssFromFakeProc) {
  careledger::testing::ScopedTempDir temp;
  const std::string root = temp.path();
  auto write = [&](const std::string& name, const std::string& text) {
    ASSERT_TRUE(file::WriteFileAtomic(root + "/" + name, text).ok());
  };
  write("4242/stat", StatLine(1000, 0));
  write("4242/status", Status(1000));
  write("stat", HostStat(0, 0));
  ProcessSampler sampler({{"orderer0", 4242}, {"gone", 999999}}, root, 100);
  const auto t0 = std::chrono::steady_clock::time_point() + std::chrono::hours(1);
  sampler.Sample(t0);

  write("4242/stat", StatLine(1100, 50));  // 150 ticks in 1 s
  write("4242/status", Status(3000));
  write("stat", HostStat(300, 100));
  sampler.Sample(t0 + std::chrono::seconds(1));

  write("4242/stat", StatLine(1130, 70));  // 50 ticks in 1 s
  write("4242/status", Status(2000));
  write("stat", HostStat(350, 250));
  sampler.Sample(t0 + std::chrono::seconds(2));

  const std::vector<ProcessUsage> usage = sampler.Usage();
  ASSERT_EQ(usage.size(), 2u);
  EXPECT_EQ(usage[0].name, "orderer0");
  EXPECT_EQ(usage[0].pid, 4242);
  EXPECT_DOUBLE_EQ(usage[0].cpu_avg_percent, 100.0);  // 200 ticks in 2 s
  EXPECT_DOUBLE_EQ(usage[0].cpu_peak_percent, 150.0);
  EXPECT_EQ(usage[0].rss_peak_bytes, 3000u * 1024);
  EXPECT_FALSE(usage[0].exited);
  EXPECT_EQ(usage[1].name, "gone");
  EXPECT_TRUE(usage[1].exited);
  EXPECT_EQ(usage[1].rss_peak_bytes, 0u);

  ASSERT_TRUE(sampler.HostCpuBusyPercent().has_value());
  EXPECT_DOUBLE_EQ(*sampler.HostCpuBusyPercent(), 350.0 / 600.0 * 100.0);
}

TEST(ProcStatsTest, AProcessThatExitsKeepsWhatWasMeasured) {
  careledger::testing::ScopedTempDir temp;
  const std::string root = temp.path();
  ASSERT_TRUE(file::WriteFileAtomic(root + "/7/stat", StatLine(0, 0)).ok());
  ASSERT_TRUE(file::WriteFileAtomic(root + "/7/status", Status(500)).ok());
  ProcessSampler sampler({{"peer0", 7}}, root, 100);
  const auto t0 = std::chrono::steady_clock::time_point() + std::chrono::hours(1);
  sampler.Sample(t0);
  ASSERT_TRUE(file::WriteFileAtomic(root + "/7/stat", StatLine(50, 0)).ok());
  sampler.Sample(t0 + std::chrono::seconds(1));
  ASSERT_TRUE(file::RemoveFile(root + "/7/stat").ok());
  sampler.Sample(t0 + std::chrono::seconds(2));
  const std::vector<ProcessUsage> usage = sampler.Usage();
  ASSERT_EQ(usage.size(), 1u);
  EXPECT_TRUE(usage[0].exited);
  EXPECT_DOUBLE_EQ(usage[0].cpu_avg_percent, 50.0);
  EXPECT_EQ(usage[0].rss_peak_bytes, 500u * 1024);
  EXPECT_FALSE(sampler.HostCpuBusyPercent().has_value());  // no fake /proc/stat
}

}  // namespace
}  // namespace careledger::bench
