// A disabled log statement must not allocate. This file replaces the global operator new for the whole
// logging_test binary to count allocations made by the current thread.
#include <cstdlib>
#include <new>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/logging/logger.h"
#include "common/logging/registry.h"
#include "gtest/gtest.h"

namespace {
thread_local size_t allocations = 0;
}  // namespace

void* operator new(std::size_t size) {
  ++allocations;
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }

namespace careledger::logging {
namespace {

TEST(DisabledStatementTest, AllocatesNothing) {
  Registry registry;
  registry.SetSink(std::make_shared<CapturingSink>());
  Logger log("peer.gossip", registry);
  const std::string channel(100, 'c');  // long enough that a copy would allocate
  const absl::Status status = absl::UnavailableError(std::string(100, 's'));

  const size_t before = allocations;
  for (int i = 0; i < 100; ++i) {
    log.Debug("message", {{"channel", channel},
                          {"block", i},
                          {"ok", true},
                          {"error", status},
                          {"wait", absl::Seconds(1)},
                          {"ratio", 0.5},
                          {"literal", "text"}});
  }
  EXPECT_EQ(allocations, before);

  // The same statement enabled does allocate (the line), which shows the counter works.
  ASSERT_TRUE(registry.SetSpec("debug").ok());
  log.Debug("message", {{"channel", channel}});
  EXPECT_GT(allocations, before);
}

}  // namespace
}  // namespace careledger::logging
