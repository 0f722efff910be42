// libbench_chaincode.so: the built-in `bench` chaincode exported as a shared library, so that the
// benchmark can compare the loaded path with the built-in one on the same code.
#include "careledger/shim/chaincode_export.h"
#include "chaincode/builtin/bench/bench_chaincode.h"

CARELEDGER_EXPORT_CHAINCODE(careledger::chaincode::builtin::BenchChaincode)
