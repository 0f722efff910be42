// Test-only chaincode library that misbehaves on request, to show that the runtime answers each proposal
// with an error and goes on.
//
//   throw_std MESSAGE     throws std::runtime_error(MESSAGE)
//   throw_int             throws an int
//   error MESSAGE         returns Error(MESSAGE)
//   status CODE MESSAGE   returns a response with that status and message
//   sleep MS REPORT       sleeps MS milliseconds, then tries PutState("late", "x") and writes what happened
//                         ("accepted", or "refused: <ShimError>") to the file REPORT
//   spin MS               busy-loops MS milliseconds, then returns Success("spun")
//   put KEY VALUE         PutState, then Success
//   swallow KEY           GetState(KEY), ignoring any ShimError, then Success("swallowed")
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>

#include "careledger/shim.h"

namespace {

using careledger::shim::ChaincodeStub;
using careledger::shim::Response;

void WriteReport(const std::string& path, const std::string& text) {
  const std::string partial = path + ".partial";
  if (FILE* file = std::fopen(partial.c_str(), "w")) {
    std::fwrite(text.data(), 1, text.size(), file);
    std::fclose(file);
    std::rename(partial.c_str(), path.c_str());  // the test sees the whole report or none
  }
}

class MisbehavingChaincode : public careledger::shim::Chaincode {
 public:
  Response Invoke(ChaincodeStub& stub) override {
    const auto [function, args] = stub.GetFunctionAndParameters();
    if (function == "throw_std") throw std::runtime_error(args.at(0));
    if (function == "throw_int") throw 42;
    if (function == "error") return careledger::shim::Error(args.at(0));
    if (function == "status") return Response{std::stoi(args.at(0)), args.at(1), {}};
    if (function == "sleep") {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(args.at(0))));
      try {
        stub.PutState("late", "x");
        WriteReport(args.at(1), "accepted");
      } catch (const careledger::shim::ShimError& error) {
        WriteReport(args.at(1), std::string("refused: ") + error.what());
      }
      return careledger::shim::Success("slept");
    }
    if (function == "spin") {
      const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(std::stoi(args.at(0)));
      while (std::chrono::steady_clock::now() < end) {
      }
      return careledger::shim::Success("spun");
    }
    if (function == "put") {
      stub.PutState(args.at(0), args.at(1));
      return careledger::shim::Success();
    }
    if (function == "swallow") {
      try {
        stub.GetState(args.at(0));
      } catch (const careledger::shim::ShimError&) {
      }
      return careledger::shim::Success("swallowed");
    }
    return careledger::shim::Error("unknown function: " + function);
  }
};

}  // namespace

CARELEDGER_EXPORT_CHAINCODE(MisbehavingChaincode)
