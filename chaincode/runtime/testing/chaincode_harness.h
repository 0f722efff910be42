// Test-only: runs a chaincode through the real Runtime against an InMemoryLedger, committing what a
// successful proposal wrote, as a peer would after ordering and validation (without MVCC: transactions
// here run one after another).
//
//   ChaincodeHarness harness(registry.FindBuiltin("asset").value(), "asset");
//   harness.Submit({"CreateAsset", "a1", "blue", "5", "Tomoko", "300"});   // endorsed and committed
//   harness.Evaluate({"ReadAsset", "a1"});                                // simulated only
//
// Not thread-safe (one caller at a time); the Runtime inside is, and tests may reach it through runtime().
#ifndef CARELEDGER_CHAINCODE_RUNTIME_TESTING_CHAINCODE_HARNESS_H_
#define CARELEDGER_CHAINCODE_RUNTIME_TESTING_CHAINCODE_HARNESS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chaincode/runtime/executable.h"
#include "chaincode/runtime/ledger_access.h"
#include "chaincode/runtime/runtime.h"
#include "chaincode/runtime/testing/in_memory_ledger.h"

namespace careledger::chaincode::testing {

class ChaincodeHarness {
 public:
  // `code` must outlive the harness; `name` is the chaincode's name on the channel.
  ChaincodeHarness(const Executable* code, std::string name, Runtime::Options options = {});

  // Invokes with `args`; if the response status is below 400, commits the writes under the invocation's
  // tx ID. Call N (Submit or Evaluate) gets the tx ID "txN" and the timestamp 1700000000 + N seconds.
  absl::StatusOr<InvocationResult> Submit(std::vector<std::string> args, InvokeOptions options = {});
  // Invokes with `args` and commits nothing.
  absl::StatusOr<InvocationResult> Evaluate(std::vector<std::string> args, InvokeOptions options = {});

  // The context every invocation starts from (creator, transient map, channel); args, tx_id and timestamp
  // are set per call.
  InvocationContext& context() { return context_; }
  InMemoryLedger& ledger() { return ledger_; }
  Runtime& runtime() { return runtime_; }
  // The tx_id of the latest Submit or Evaluate.
  const std::string& last_tx_id() const { return last_tx_id_; }
  // The write set of the latest Submit or Evaluate.
  const WriteSet& last_writes() const { return last_writes_; }

 private:
  absl::StatusOr<InvocationResult> Run(std::vector<std::string> args, const InvokeOptions& options, bool commit);

  const Executable* code_;
  std::string name_;
  Runtime runtime_;
  InMemoryLedger ledger_;
  InvocationContext context_;
  int64_t counter_ = 0;
  std::string last_tx_id_;
  WriteSet last_writes_;
};

}  // namespace careledger::chaincode::testing

#endif  // CARELEDGER_CHAINCODE_RUNTIME_TESTING_CHAINCODE_HARNESS_H_
