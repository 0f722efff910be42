/* Test-only: a library that claims a chaincode ABI major this peer does not run. */
#include "careledger/chaincode_abi.h"

static void Invoke(const careledger_host_v1* host, careledger_call* call, const careledger_invocation_v1* invocation) {
  (void)host;
  (void)call;
  (void)invocation;
}

static const careledger_chaincode_descriptor kDescriptor = {99, 0, "wrong_abi", Invoke};

__attribute__((visibility("default"))) const careledger_chaincode_descriptor* careledger_chaincode_v1(void) {
  return &kDescriptor;
}
