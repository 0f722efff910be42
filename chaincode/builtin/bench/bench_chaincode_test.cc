// The bench chaincode's exact behaviour (shared/bench/README.md), through the runtime.
#include "chaincode/builtin/bench/bench_chaincode.h"

#include "chaincode/runtime/registry.h"
#include "chaincode/runtime/testing/chaincode_harness.h"
#include "gtest/gtest.h"

namespace careledger::chaincode::builtin {
namespace {

using testing::ChaincodeHarness;

class BenchChaincodeTest : public ::testing::Test {
 protected:
  BenchChaincodeTest()
      : harness_(registry_.AddBuiltin(kBenchChaincodeName, BenchChaincodeDescriptor()).value(), "bench") {}

  ::protos::Response Submit(std::vector<std::string> args) {
    absl::StatusOr<InvocationResult> result = harness_.Submit(std::move(args));
    EXPECT_TRUE(result.ok()) << result.status();
    last_ = result.ok() ? *result : InvocationResult();
    return last_.response;
  }

  ChaincodeRegistry registry_;
  ChaincodeHarness harness_;
  InvocationResult last_;
};

TEST_F(BenchChaincodeTest, PutWritesAndEmitsThePutEventWithTheKey) {
  const ::protos::Response response = Submit({"put", "key1", "value1"});
  EXPECT_EQ(response.status(), 200);
  EXPECT_EQ(response.payload(), "");
  ASSERT_TRUE(last_.event.has_value());
  EXPECT_EQ(last_.event->event_name(), "put");
  EXPECT_EQ(last_.event->payload(), "key1");
  EXPECT_EQ(last_.event->chaincode_id(), "bench");
  EXPECT_EQ(harness_.ledger().Get("key1"), "value1");
}

TEST_F(BenchChaincodeTest, GetReturnsTheValueOrKeyNotFound) {
  Submit({"put", "key1", "value1"});
  EXPECT_EQ(Submit({"get", "key1"}).payload(), "value1");
  const ::protos::Response missing = Submit({"get", "key2"});
  EXPECT_EQ(missing.status(), 500);
  EXPECT_EQ(missing.message(), "key key2 not found");
}

TEST_F(BenchChaincodeTest, RmwReturnsTheOldValueAndWritesTheNewOne) {
  EXPECT_EQ(Submit({"rmw", "k", "v1"}).payload(), "");
  EXPECT_EQ(Submit({"rmw", "k", "v2"}).payload(), "v1");
  EXPECT_EQ(harness_.ledger().Get("k"), "v2");
  EXPECT_FALSE(last_.event.has_value());
}

TEST_F(BenchChaincodeTest, UnknownFunctionsAndWrongArgumentCountsAreErrors) {
  EXPECT_EQ(Submit({"delete", "k"}).message(), "unknown function: delete");
  EXPECT_EQ(Submit({"put", "k"}).message(), "put takes 2 arguments (key, value), got 1 argument");
  EXPECT_EQ(Submit({"get"}).message(), "get takes 1 argument (key), got 0 arguments");
  EXPECT_EQ(Submit({"rmw", "a", "b", "c"}).message(), "rmw takes 2 arguments (key, value), got 3 arguments");
  EXPECT_EQ(harness_.ledger().size(), 0u);
}

}  // namespace
}  // namespace careledger::chaincode::builtin
