// The `bench` chaincode: exactly the behaviour the load benchmarks assume (shared/bench/README.md, "The
// benchmark chaincode"), so that CareLedger's figures compare with Fabric's:
//
//   put KEY VALUE   PutState(KEY, VALUE); SetEvent("put", KEY)   → empty success
//   get KEY         GetState(KEY)                                → the value; error "key KEY not found"
//   rmw KEY VALUE   GetState(KEY), then PutState(KEY, VALUE)     → the old value (empty if none)
//   anything else                                                → error "unknown function: NAME"
//
// A wrong argument count is an error naming the function and the expected arguments. Written against the
// public shim headers only, so the same source also builds as a shared library (libbench_chaincode.so) for
// measuring the loaded path.
#ifndef CARELEDGER_CHAINCODE_BUILTIN_BENCH_BENCH_CHAINCODE_H_
#define CARELEDGER_CHAINCODE_BUILTIN_BENCH_BENCH_CHAINCODE_H_

#include "careledger/chaincode_abi.h"
#include "careledger/shim/chaincode.h"

namespace careledger::chaincode::builtin {

// The name the peer registers it under.
inline constexpr char kBenchChaincodeName[] = "bench";

class BenchChaincode : public shim::Chaincode {
 public:
  shim::Response Invoke(shim::ChaincodeStub& stub) override;
};

// The descriptor to register (ChaincodeRegistry::AddBuiltin(kBenchChaincodeName, ...)). Static.
const careledger_chaincode_descriptor* BenchChaincodeDescriptor();

}  // namespace careledger::chaincode::builtin

#endif  // CARELEDGER_CHAINCODE_BUILTIN_BENCH_BENCH_CHAINCODE_H_
