#include "chaincode/runtime/testing/chaincode_harness.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace careledger::chaincode::testing {

ChaincodeHarness::ChaincodeHarness(const Executable* code, std::string name, Runtime::Options options)
    : code_(code), name_(std::move(name)), runtime_(options) {
  context_.channel_id = "healthchannel";
  context_.creator.msp_id = "Hospital1MSP";
  context_.creator.id = "x509::CN=user1,OU=client::CN=ca.hospital1";
  context_.creator.serialized_identity = "serialized-identity-of-user1";
  context_.creator.certificate_pem = "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n";
}

absl::StatusOr<InvocationResult> ChaincodeHarness::Submit(std::vector<std::string> args, InvokeOptions options) {
  return Run(std::move(args), options, /*commit=*/true);
}

absl::StatusOr<InvocationResult> ChaincodeHarness::Evaluate(std::vector<std::string> args, InvokeOptions options) {
  return Run(std::move(args), options, /*commit=*/false);
}

absl::StatusOr<InvocationResult> ChaincodeHarness::Run(std::vector<std::string> args, const InvokeOptions& options,
                                                       bool commit) {
  ++counter_;
  InvocationContext context = context_;
  context.args = std::move(args);
  context.tx_id = absl::StrCat("tx", counter_);
  context.timestamp = absl::FromUnixSeconds(1700000000 + counter_);
  last_tx_id_ = context.tx_id;
  std::unique_ptr<InMemoryLedgerAccess> simulation = ledger_.NewSimulation();
  ASSIGN_OR_RETURN(InvocationResult result, runtime_.Invoke(*code_, name_, context, *simulation, options));
  last_writes_ = simulation->writes();
  if (commit && result.response.status() < 400) simulation->Commit(context.tx_id, context.timestamp);
  return result;
}

}  // namespace careledger::chaincode::testing
