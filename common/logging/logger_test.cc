#include "common/logging/logger.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/logging/registry.h"
#include "common/logging/sink.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::logging {
namespace {

using ::testing::ElementsAre;
using ::testing::MatchesRegex;
using ::testing::SizeIs;

constexpr char kTimestamp[] = "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z";

// Each test gets its own Registry, so tests neither see nor disturb the process-wide one.
class LoggerTest : public ::testing::Test {
 protected:
  void SetUp() override { registry_.SetSink(sink_); }

  // Lines with the timestamp removed.
  std::vector<std::string> Lines() const {
    std::vector<std::string> lines;
    for (const std::string& line : sink_->Lines()) {
      EXPECT_THAT(line, MatchesRegex(absl::StrCat(kTimestamp, " .*")));
      lines.push_back(line.substr(28));
    }
    return lines;
  }

  Registry registry_;
  std::shared_ptr<CapturingSink> sink_ = std::make_shared<CapturingSink>();
};

TEST_F(LoggerTest, WritesEnabledLevelsOnly) {
  Logger log("peer.committer", registry_);
  EXPECT_EQ(log.module(), "peer.committer");
  log.Debug("hidden");
  log.Info("block committed", {{"channel", "healthchannel"}, {"block", 12}, {"txs", 3}});
  log.Warn("slow", {{"ms", 900}});
  log.Error("commit failed", {{"error", absl::DataLossError("checksum mismatch")}});
  log.Log(Level::kDebug, "hidden too");
  EXPECT_THAT(Lines(), ElementsAre("INFO  peer.committer block committed channel=healthchannel block=12 txs=3",
                                   "WARN  peer.committer slow ms=900",
                                   "ERROR peer.committer commit failed error=\"DATA_LOSS: checksum mismatch\""));
}

TEST_F(LoggerTest, PerModuleLevelsFollowTheSpec) {
  ASSERT_TRUE(registry_.SetSpec("warn:orderer.raft=debug:peer=error").ok());
  Logger raft("orderer.raft", registry_);
  Logger raft_storage("orderer.raft.storage", registry_);
  Logger cutter("orderer.blockcutter", registry_);
  Logger gossip("peer.gossip", registry_);
  raft.Debug("a");
  raft_storage.Debug("b");
  cutter.Info("c");
  cutter.Warn("d");
  gossip.Warn("e");
  gossip.Error("f");
  EXPECT_THAT(Lines(), ElementsAre("DEBUG orderer.raft a", "DEBUG orderer.raft.storage b",
                                   "WARN  orderer.blockcutter d", "ERROR peer.gossip f"));
  EXPECT_EQ(registry_.LevelOf("orderer.raft.x"), Level::kDebug);
  EXPECT_EQ(registry_.Spec(), "orderer.raft=debug:peer=error:warn");
}

TEST_F(LoggerTest, SpecChangesReachExistingLoggers) {
  Logger log("msp", registry_);
  EXPECT_FALSE(log.IsEnabled(Level::kDebug));
  ASSERT_TRUE(registry_.SetSpec("msp=debug").ok());
  EXPECT_TRUE(log.IsEnabled(Level::kDebug));
  Logger copy = log;
  ASSERT_TRUE(registry_.SetSpec("error").ok());
  EXPECT_FALSE(copy.IsEnabled(Level::kWarn));
  EXPECT_TRUE(copy.IsEnabled(Level::kError));
}

TEST_F(LoggerTest, BadSpecChangesNothing) {
  ASSERT_TRUE(registry_.SetSpec("warn:msp=debug").ok());
  const absl::Status status = registry_.SetSpec("info:msp=loud");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry_.Spec(), "msp=debug:warn");
  EXPECT_TRUE(Logger("msp", registry_).IsEnabled(Level::kDebug));
}

TEST_F(LoggerTest, WithAddsContextFields) {
  Logger log("orderer.raft", registry_);
  std::string channel = "healthchannel";
  Logger chain = log.With({{"channel", channel}}).With({{"node", 1}});
  channel = "changed";  // With() formatted the value already
  chain.Info("leader elected", {{"term", 4}});
  log.Info("plain");
  EXPECT_THAT(Lines(), ElementsAre("INFO  orderer.raft leader elected channel=healthchannel node=1 term=4",
                                   "INFO  orderer.raft plain"));
}

// A sink that lets a test wait for the first line without sleeping.
class FirstLineSink final : public Sink {
 public:
  void Write(std::string_view line) override {
    capture_.Write(line);
    written_.store(true, std::memory_order_release);
  }
  bool written() const { return written_.load(std::memory_order_acquire); }
  std::vector<std::string> Lines() const { return capture_.Lines(); }

 private:
  CapturingSink capture_;
  std::atomic<bool> written_{false};
};

TEST(LoggerThreadsTest, LevelChangedOnAnotherThreadReachesALoggingThread) {
  Registry registry;
  auto sink = std::make_shared<FirstLineSink>();
  registry.SetSink(sink);
  Logger log("orderer.raft", registry);
  ASSERT_FALSE(log.IsEnabled(Level::kDebug));

  // The writer only stops once one of its debug lines got through, i.e. once it saw the new level.
  std::thread writer([&] {
    for (int64_t i = 0; !sink->written(); ++i) log.Debug("tick", {{"i", i}});
  });
  ASSERT_TRUE(registry.SetSpec("info:orderer.raft=debug").ok());
  writer.join();
  ASSERT_THAT(sink->Lines(), SizeIs(1));
  EXPECT_THAT(sink->Lines()[0], MatchesRegex(absl::StrCat(kTimestamp, " DEBUG orderer.raft tick i=[0-9]+")));

  std::thread([&] { ASSERT_TRUE(registry.SetSpec("info").ok()); }).join();
  log.Debug("dropped");
  EXPECT_THAT(sink->Lines(), SizeIs(1));
}

TEST(LoggerThreadsTest, LoggingWhileSpecsAndSinksChange) {
  Registry registry;
  auto first = std::make_shared<CapturingSink>();
  auto second = std::make_shared<CapturingSink>();
  registry.SetSink(first);
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&registry, &stop, t] {
      Logger log(absl::StrCat("peer.worker", t), registry);
      for (int64_t i = 0; !stop.load(); ++i) log.Warn("tick", {{"i", i}});
    });
  }
  for (int round = 0; round < 200; ++round) {
    ASSERT_TRUE(registry.SetSpec(round % 2 == 0 ? "error" : "peer=debug").ok());
    registry.SetSink(round % 2 == 0 ? second : first);
  }
  stop.store(true);
  for (std::thread& writer : writers) writer.join();
  for (const auto& sink : {first, second}) {
    for (const std::string& line : sink->Lines()) {
      ASSERT_THAT(line, MatchesRegex(absl::StrCat(kTimestamp, " WARN  peer\\.worker[0-3] tick i=[0-9]+")));
    }
  }
}

// Many threads write through the default kind of sink into one file; every line must come back whole and
// in each thread's order.
TEST(LoggerThreadsTest, ConcurrentLinesNeverInterleave) {
  char path[] = "/tmp/careledger_logging_test_XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(fcntl(fd, F_SETFL, O_APPEND), 0);

  Registry registry;
  registry.SetSink(std::make_shared<FileDescriptorSink>(fd));
  constexpr int kThreads = 8;
  constexpr int kLinesPerThread = 1000;
  const std::string padding(200, 'x');
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Logger log("test.concurrent", registry);
      for (int i = 0; i < kLinesPerThread; ++i) {
        log.Info("line", {{"thread", t}, {"seq", i}, {"pad", absl::StrCat("a ", padding, " z")}});
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  std::string text;
  char buffer[65536];
  ASSERT_EQ(lseek(fd, 0, SEEK_SET), 0);
  for (ssize_t n; (n = read(fd, buffer, sizeof(buffer))) > 0;) text.append(buffer, static_cast<size_t>(n));
  close(fd);
  unlink(path);

  const std::vector<std::string> lines = absl::StrSplit(text, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kLinesPerThread));
  const std::regex pattern(
      absl::StrCat(kTimestamp, " INFO  test\\.concurrent line thread=([0-9]+) seq=([0-9]+) pad=\"a ", padding, " z\""));
  std::vector<int> next(kThreads, 0);
  for (const std::string& line : lines) {
    std::smatch match;
    ASSERT_TRUE(std::regex_match(line, match, pattern)) << line;
    const int thread = std::stoi(match[1]);
    ASSERT_EQ(std::stoi(match[2]), next[thread]++) << line;
  }
}

TEST(GlobalRegistryTest, LoggersUseItByDefault) {
  Registry& global = Registry::Global();
  EXPECT_EQ(&global, &Registry::Global());
  auto sink = std::make_shared<CapturingSink>();
  global.SetSink(sink);
  ASSERT_TRUE(global.SetSpec("info:test.global=debug").ok());
  Logger log("test.global");
  log.Debug("visible");
  Logger("test.other").Debug("hidden");
  global.SetSink(nullptr);
  ASSERT_TRUE(global.SetSpec("info").ok());
  ASSERT_THAT(sink->Lines(), SizeIs(1));
  EXPECT_THAT(sink->Lines()[0], MatchesRegex(absl::StrCat(kTimestamp, " DEBUG test\\.global visible")));
}

}  // namespace
}  // namespace careledger::logging
