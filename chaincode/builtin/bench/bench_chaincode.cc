#include "chaincode/builtin/bench/bench_chaincode.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "careledger/shim/chaincode_export.h"

namespace careledger::chaincode::builtin {
namespace {

shim::Response WrongArguments(const std::string& function, const char* expected, size_t got) {
  return shim::Error(function + " takes " + expected + ", got " + std::to_string(got) + " argument" +
                     (got == 1 ? "" : "s"));
}

}  // namespace

shim::Response BenchChaincode::Invoke(shim::ChaincodeStub& stub) {
  const std::vector<std::string>& args = stub.GetArgs();
  if (args.empty()) return shim::Error("unknown function: ");
  const std::string& function = args[0];
  const size_t count = args.size() - 1;
  if (function == "put") {
    if (count != 2) return WrongArguments(function, "2 arguments (key, value)", count);
    stub.PutState(args[1], args[2]);
    stub.SetEvent("put", args[1]);
    return shim::Success();
  }
  if (function == "get") {
    if (count != 1) return WrongArguments(function, "1 argument (key)", count);
    std::optional<std::string> value = stub.GetState(args[1]);
    if (!value.has_value()) return shim::Error("key " + args[1] + " not found");
    return shim::Success(std::move(*value));
  }
  if (function == "rmw") {
    if (count != 2) return WrongArguments(function, "2 arguments (key, value)", count);
    std::optional<std::string> old_value = stub.GetState(args[1]);
    stub.PutState(args[1], args[2]);
    return shim::Success(std::move(old_value).value_or(std::string()));
  }
  return shim::Error("unknown function: " + function);
}

const careledger_chaincode_descriptor* BenchChaincodeDescriptor() {
  static constexpr careledger_chaincode_descriptor kDescriptor =
      shim::MakeChaincodeDescriptor<BenchChaincode>(kBenchChaincodeName);
  return &kDescriptor;
}

}  // namespace careledger::chaincode::builtin
