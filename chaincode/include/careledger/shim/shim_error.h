// How the shim reports a failed call to chaincode code: it throws ShimError.
//
// Why exceptions: this header set depends on the C++ standard library alone (no absl::Status), and a
// chaincode is ordinary C++ whose natural early exit on failure is a throw. A ShimError the chaincode does
// not catch becomes an error response (status 500, message = what()) at the runtime boundary, so the common
// code stays short: `std::optional<std::string> v = stub.GetState(key);`. A chaincode may catch a
// ShimError and go on (say, to answer 404 for a key it refused), but it cannot hide a failure of the
// peer: once the peer failed to read or write its ledger (or gave up on the invocation at its time limit),
// the invocation is answered with an error whatever the chaincode returns afterwards.
#ifndef CARELEDGER_SHIM_SHIM_ERROR_H_
#define CARELEDGER_SHIM_SHIM_ERROR_H_

#include <stdexcept>
#include <string>

namespace careledger::shim {

// A shim call failed. what() says which call and why ("PutState: key must not be an empty string").
class ShimError : public std::runtime_error {
 public:
  explicit ShimError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace careledger::shim

#endif  // CARELEDGER_SHIM_SHIM_ERROR_H_
