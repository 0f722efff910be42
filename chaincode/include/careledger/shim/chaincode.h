// The interface a chaincode implements.
//
//   class MyChaincode : public careledger::shim::Chaincode {
//    public:
//     careledger::shim::Response Invoke(careledger::shim::ChaincodeStub& stub) override { ... }
//   };
//
// The runtime constructs a fresh instance (default constructor) for every invocation and destroys it
// afterwards, so an invocation can never see what an earlier one left in memory: endorsing peers must
// compute the same answer from the same ledger, and state kept in memory would differ between them. Keep
// state on the ledger. Invocations run concurrently on several threads, each with its own instance;
// static mutable data needs its own synchronisation (and is almost always a mistake).
//
// Exceptions: anything Invoke or Init throws becomes an error response for that proposal (a ShimError's
// what() as the message; another std::exception's as "chaincode threw an exception: <what>"). The peer
// goes on. Crashes (a null dereference, abort, stack overflow) are not caught: a chaincode runs inside the
// peer's process, so a crashing chaincode takes the peer down.
#ifndef CARELEDGER_SHIM_CHAINCODE_H_
#define CARELEDGER_SHIM_CHAINCODE_H_

#include "careledger/shim/chaincode_stub.h"
#include "careledger/shim/response.h"

namespace careledger::shim {

class Chaincode {
 public:
  virtual ~Chaincode() = default;

  // Called instead of Invoke when the proposal asks for initialisation (Fabric 2's optional Init: a
  // chaincode definition committed with init required, and the client's first transaction marked as
  // init). The default does nothing and succeeds.
  virtual Response Init(ChaincodeStub& /*stub*/) { return Success(); }

  // Runs one proposal: read GetFunctionAndParameters, use the ledger, answer with Success or Error.
  virtual Response Invoke(ChaincodeStub& stub) = 0;
};

}  // namespace careledger::shim

#endif  // CARELEDGER_SHIM_CHAINCODE_H_
