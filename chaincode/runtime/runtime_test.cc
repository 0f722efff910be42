// The runtime end to end: real chaincode libraries built by CMake, loaded by the registry, run on worker
// threads against the in-memory ledger.
#include "chaincode/runtime/runtime.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "chaincode/builtin/bench/bench_chaincode.h"
#include "chaincode/runtime/registry.h"
#include "chaincode/runtime/testing/chaincode_harness.h"
#include "chaincode/runtime/testing/in_memory_ledger.h"
#include "chaincode/runtime/testing/wait_for.h"
#include "common/crypto/sha256.h"
#include "common/encoding/hex.h"
#include "common/file/file_io.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::chaincode {
namespace {

using testing::ChaincodeHarness;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::WaitFor;

const Executable* Load(ChaincodeRegistry& registry, const std::string& path) {
  const std::string bytes = file::ReadFile(path, ChaincodeRegistry::kMaxLibraryBytes).value();
  absl::StatusOr<const Executable*> loaded =
      registry.LoadLibrary(path, HexEncode(crypto::AsBytes(crypto::Sha256(bytes))));
  EXPECT_TRUE(loaded.ok()) << loaded.status();
  return loaded.value();
}

::protos::Response ResponseOf(const absl::StatusOr<InvocationResult>& result) {
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? result->response : ::protos::Response();
}

class RuntimeTest : public ::testing::Test {
 protected:
  ChaincodeRegistry registry_;
};

TEST_F(RuntimeTest, RunsALoadedLibraryThroughEveryCall) {
  ChaincodeHarness kv(Load(registry_, KV_CHAINCODE_PATH), "kv");
  kv.context().transient = {{"secret", "s3"}};
  kv.context().creator.attributes = {{"role", "doctor"}};

  const InvocationResult put = kv.Submit({"put", "k1", "v1"}).value();
  EXPECT_EQ(put.response.status(), 200);
  ASSERT_TRUE(put.event.has_value());
  EXPECT_EQ(put.event->chaincode_id(), "kv");
  EXPECT_EQ(put.event->tx_id(), kv.last_tx_id());
  EXPECT_EQ(put.event->event_name(), "put");
  EXPECT_EQ(put.event->payload(), "k1");
  ASSERT_EQ(ResponseOf(kv.Submit({"put", "k2", "v2"})).status(), 200);
  ASSERT_EQ(ResponseOf(kv.Submit({"put", "k1", "v1b"})).status(), 200);

  EXPECT_EQ(ResponseOf(kv.Evaluate({"get", "k1"})).payload(), "v1b");
  EXPECT_EQ(ResponseOf(kv.Evaluate({"get", "nope"})).message(), "key nope not found");
  EXPECT_EQ(ResponseOf(kv.Evaluate({"range", "", ""})).payload(), "k1=v1b\nk2=v2\n");
  EXPECT_EQ(ResponseOf(kv.Evaluate({"page", "", "", "1", ""})).payload(), "k1=v1b\n#fetched=1 bookmark=k2");
  EXPECT_EQ(ResponseOf(kv.Evaluate({"history", "k1"})).payload(), "tx3:v1b\ntx1:v1\n");
  EXPECT_EQ(ResponseOf(kv.Evaluate({"whoami"})).payload(), "Hospital1MSP role=doctor");
  EXPECT_EQ(ResponseOf(kv.Evaluate({"require_role", "doctor"})).status(), 200);
  const ::protos::Response refused = ResponseOf(kv.Evaluate({"require_role", "nurse"}));
  EXPECT_EQ(refused.status(), 500);
  EXPECT_EQ(refused.message(), "attribute 'role' equals 'doctor', not 'nurse'");
  EXPECT_EQ(ResponseOf(kv.Evaluate({"transient", "secret"})).payload(), "s3");
  const std::string txinfo = ResponseOf(kv.Evaluate({"txinfo"})).payload();
  // The harness gives call N the tx ID "txN" and the timestamp 1700000000 + N seconds.
  EXPECT_EQ(txinfo, "healthchannel " + kv.last_tx_id() + " " + std::to_string(1700000000 + 13) + ".0");
  EXPECT_EQ(kv.last_tx_id(), "tx13");
}

TEST_F(RuntimeTest, ErrorsFromTheShimReachTheClientNamingTheCall) {
  ChaincodeHarness kv(Load(registry_, KV_CHAINCODE_PATH), "kv");
  const ::protos::Response response = ResponseOf(kv.Submit({"put", "", "v"}));
  EXPECT_EQ(response.status(), 500);
  EXPECT_EQ(response.message(), "PutState: key must not be an empty string");
  EXPECT_EQ(ResponseOf(kv.Evaluate({"range", "\x01", std::string(1, '\0')})).message(),
            "GetStateByRange: first character of the key [\\x00] contains a null character which is not allowed");
}

TEST_F(RuntimeTest, PagesOfCompositeKeys) {
  ChaincodeHarness kv(Load(registry_, KV_CHAINCODE_PATH), "kv");
  const std::string n(1, '\0');
  for (const char* id : {"a", "b", "c"}) {
    ASSERT_EQ(ResponseOf(kv.Submit({"put", n + "doc" + n + "p1" + n + id + n, "x"})).status(), 200);
  }
  ASSERT_EQ(ResponseOf(kv.Submit({"put", n + "other" + n + "p1" + n, "x"})).status(), 200);
  ASSERT_EQ(ResponseOf(kv.Submit({"put", "plain", "x"})).status(), 200);
  const std::string bookmark = n + "doc" + n + "p1" + n + "c" + n;
  EXPECT_EQ(ResponseOf(kv.Evaluate({"cpage", "doc", "2", ""})).payload(), "p1/a\np1/b\n#bookmark=" + bookmark);
  EXPECT_EQ(ResponseOf(kv.Evaluate({"cpage", "doc", "2", bookmark})).payload(), "p1/c\n#bookmark=");
  EXPECT_EQ(ResponseOf(kv.Evaluate({"cpage", "doc", "0", ""})).message(),
            "GetStateByPartialCompositeKeyWithPagination: page size must be greater than 0, got 0");
  EXPECT_EQ(ResponseOf(kv.Evaluate({"page", "", "", "-3", ""})).message(),
            "GetStateByRangeWithPagination: page size must be greater than 0, got -3");
}

TEST_F(RuntimeTest, InitRunsTheChaincodesInit) {
  ChaincodeHarness kv(Load(registry_, KV_CHAINCODE_PATH), "kv");
  // KvChaincode keeps the default Init: success, and Invoke is not called.
  const InvocationResult init = kv.Submit({"put", "k", "v"}, InvokeOptions{.is_init = true}).value();
  EXPECT_EQ(init.response.status(), 200);
  EXPECT_FALSE(init.event.has_value());
  EXPECT_EQ(kv.ledger().size(), 0u);
}

TEST_F(RuntimeTest, ThrowingAndFailingChaincodesAnswerWithErrorsAndThePeerGoesOn) {
  ChaincodeHarness bad(Load(registry_, MISBEHAVING_CHAINCODE_PATH), "bad");
  struct Case {
    std::vector<std::string> args;
    int status;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"throw_std", "boom"}, 500, "chaincode threw an exception: boom"},
      {{"throw_int"}, 500, "chaincode threw an exception that is not a std::exception"},
      {{"error", "refused"}, 500, "refused"},
      {{"status", "404", "no such record"}, 404, "no such record"},
      {{"nothing"}, 500, "unknown function: nothing"},
  };
  for (const Case& c : cases) {
    const ::protos::Response response = ResponseOf(bad.Submit(c.args));
    EXPECT_EQ(response.status(), c.status) << c.args[0];
    EXPECT_EQ(response.message(), c.message) << c.args[0];
    // The next invocation works.
    EXPECT_EQ(ResponseOf(bad.Submit({"put", "k", c.args[0]})).status(), 200);
    EXPECT_EQ(bad.ledger().Get("k"), c.args[0]);
  }
}

TEST_F(RuntimeTest, AChaincodePastItsTimeLimitGetsAnErrorAndNeverReachesTheLedgerAgain) {
  careledger::testing::ScopedTempDir dir;
  const std::string report = dir.Path("late-call");
  ChaincodeHarness bad(Load(registry_, MISBEHAVING_CHAINCODE_PATH), "bad");
  testing::InMemoryLedger ledger;
  InvocationContext context;
  context.tx_id = "slow";
  context.args = {"sleep", "1500", report};  // long enough to still run when Invoke returns, on a busy machine
  auto access = ledger.NewSimulation();

  const absl::StatusOr<InvocationResult> result =
      bad.runtime().Invoke(*Load(registry_, MISBEHAVING_CHAINCODE_PATH), "bad", context, *access,
                           InvokeOptions{.timeout = absl::Milliseconds(50)});
  const size_t calls_when_returned = access->calls();
  EXPECT_EQ(ResponseOf(result).status(), 500);
  EXPECT_EQ(ResponseOf(result).message(), "chaincode bad timed out after 50ms");
  EXPECT_EQ(bad.runtime().stuck_workers(), 1u);

  // The peer goes on while the runaway chaincode still runs.
  EXPECT_EQ(ResponseOf(bad.Submit({"put", "k", "v"})).status(), 200);

  // When the runaway wakes up, its PutState is refused without reaching the LedgerAccess.
  ASSERT_TRUE(WaitFor([&] { return file::Exists(report); }));
  EXPECT_THAT(file::ReadFile(report).value(),
              StartsWith("refused: PutState: the peer no longer runs this invocation (it ran past its time limit of "
                         "50ms)"));
  EXPECT_TRUE(WaitFor([&] { return bad.runtime().stuck_workers() == 0; }));
  EXPECT_EQ(access->calls(), calls_when_returned);
  EXPECT_TRUE(access->writes().empty());
}

TEST_F(RuntimeTest, ASpinningChaincodeTimesOutToo) {
  ChaincodeHarness bad(Load(registry_, MISBEHAVING_CHAINCODE_PATH), "bad");
  EXPECT_EQ(ResponseOf(bad.Submit({"spin", "300"}, InvokeOptions{.timeout = absl::Milliseconds(30)})).message(),
            "chaincode bad timed out after 30ms");
  EXPECT_EQ(ResponseOf(bad.Submit({"spin", "0"})).payload(), "spun");
  EXPECT_TRUE(WaitFor([&] { return bad.runtime().stuck_workers() == 0; }));
}

TEST_F(RuntimeTest, RefusesNewInvocationsWhileTooManyWorkersAreStuck) {
  careledger::testing::ScopedTempDir dir;
  ChaincodeHarness bad(Load(registry_, MISBEHAVING_CHAINCODE_PATH), "bad",
                       Runtime::Options{.max_workers = 4, .max_stuck_workers = 1});
  EXPECT_EQ(ResponseOf(bad.Submit({"sleep", "2000", dir.Path("report")}, {.timeout = absl::Milliseconds(20)})).status(),
            500);
  const absl::StatusOr<InvocationResult> refused = bad.Submit({"put", "k", "v"});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable);
  ASSERT_TRUE(WaitFor([&] { return bad.runtime().stuck_workers() == 0; }));
  EXPECT_EQ(ResponseOf(bad.Submit({"put", "k", "v"})).status(), 200);
}

TEST_F(RuntimeTest, ALedgerFailureFailsTheInvocationEvenIfTheChaincodeSwallowsIt) {
  ChaincodeHarness bad(Load(registry_, MISBEHAVING_CHAINCODE_PATH), "bad");
  testing::InMemoryLedger ledger;
  auto access = ledger.NewSimulation();
  access->FailWith(absl::DataLossError("state database corrupt"));
  InvocationContext context;
  context.args = {"swallow", "k"};
  const InvocationResult result =
      bad.runtime().Invoke(*Load(registry_, MISBEHAVING_CHAINCODE_PATH), "bad", context, *access, {}).value();
  EXPECT_EQ(result.response.status(), 500);
  EXPECT_EQ(
      result.response.message(),
      "chaincode bad: the peer's ledger failed during the invocation: DATA_LOSS: GetState: state database corrupt");
  EXPECT_EQ(result.ledger_error.code(), absl::StatusCode::kDataLoss);
}

TEST_F(RuntimeTest, WhatOnlyACChaincodeCanDoIsAnsweredToo) {
  ChaincodeHarness raw(Load(registry_, RAW_C_CHAINCODE_PATH), "raw");
  const ::protos::Response silent = ResponseOf(raw.Submit({"silent"}));
  EXPECT_EQ(silent.status(), 500);
  EXPECT_EQ(silent.message(), "chaincode raw returned no response");
  const ::protos::Response twice = ResponseOf(raw.Submit({"twice"}));
  EXPECT_EQ(twice.status(), 201);
  EXPECT_EQ(twice.message(), "second");
  const ::protos::Response bad_utf8 = ResponseOf(raw.Submit({"bad_utf8"}));
  EXPECT_EQ(bad_utf8.status(), 400);
  EXPECT_EQ(bad_utf8.message(), "bad \xEF\xBF\xBD byte");
  EXPECT_EQ(ResponseOf(raw.Submit({"bad_event"})).message(), "event name [\\xc3] is not valid UTF-8");
  EXPECT_EQ(ResponseOf(raw.Submit({"bad_iterator"})).message(), "no open range query has iterator 77");
}

TEST_F(RuntimeTest, BuiltinsRunTheSameWayAndInlineWithoutATimeLimit) {
  const Executable* bench = registry_.AddBuiltin("bench", builtin::BenchChaincodeDescriptor()).value();
  ChaincodeHarness harness(bench, "bench");
  EXPECT_EQ(ResponseOf(harness.Submit({"put", "k", "v"})).status(), 200);
  const InvocationResult inline_result =
      harness.Submit({"rmw", "k", "w"}, InvokeOptions{.timeout = absl::InfiniteDuration()}).value();
  EXPECT_EQ(inline_result.response.payload(), "v");
  EXPECT_EQ(harness.ledger().Get("k"), "w");
  EXPECT_EQ(harness.Submit({"put", "k", "v"}, {.timeout = absl::ZeroDuration()}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(RuntimeTest, ConcurrentInvocationsEachGetTheirOwnAnswer) {
  const Executable* kv = Load(registry_, KV_CHAINCODE_PATH);
  Runtime runtime(Runtime::Options{.max_workers = 4});
  testing::InMemoryLedger ledger;
  ledger.Commit("tx0", absl::FromUnixSeconds(1), {{"a", "1"}, {"b", "2"}, {"c", "3"}});
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        const std::string key = std::string(1, static_cast<char>('a' + (t + i) % 3));
        InvocationContext context;
        context.args = {"get", key};
        auto access = ledger.NewSimulation();
        absl::StatusOr<InvocationResult> result = runtime.Invoke(*kv, "kv", context, *access, {});
        if (!result.ok() || result->response.payload() != std::to_string(key[0] - 'a' + 1)) ++mismatches;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace careledger::chaincode
