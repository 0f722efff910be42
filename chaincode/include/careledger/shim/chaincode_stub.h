// ChaincodeStub: everything a chaincode sees of the peer during one invocation (Fabric's
// ChaincodeStubInterface). The peer passes one to Chaincode::Invoke; it is valid only during that call.
//
// Every method that can fail throws ShimError (see shim_error.h); what() names the call and the reason.
// Semantics are Fabric's:
// - A transaction does not read its own writes: GetState after PutState of the same key returns the
//   committed value, and range queries show committed keys only.
// - Writes are proposals: they reach the ledger only if the transaction is endorsed, ordered and valid.
// - Range and composite-key queries are re-checked at commit (phantom reads fail the transaction); history
//   queries are not, so use them in read-only functions.
// - Paginated queries are allowed only in a transaction that writes nothing: a write after one, or one
//   after a write, throws ShimError.
// Not thread-safe: call it only from the thread that runs Invoke.
#ifndef CARELEDGER_SHIM_CHAINCODE_STUB_H_
#define CARELEDGER_SHIM_CHAINCODE_STUB_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "careledger/shim/client_identity.h"
#include "careledger/shim/composite_key.h"
#include "careledger/shim/query.h"

namespace careledger::shim {

struct FunctionAndParameters {
  std::string function;
  std::vector<std::string> parameters;
};

class ChaincodeStub {
 public:
  virtual ~ChaincodeStub() = default;

  // ----- The invocation -----

  // The proposal's arguments (bytes; often text). By convention args[0] names the function.
  virtual const std::vector<std::string>& GetArgs() const = 0;
  // args[0] and the rest; an empty function and no parameters when there are no arguments.
  FunctionAndParameters GetFunctionAndParameters() const {
    const std::vector<std::string>& args = GetArgs();
    if (args.empty()) return {};
    return {args.front(), std::vector<std::string>(args.begin() + 1, args.end())};
  }
  virtual const std::string& GetTxID() const = 0;
  virtual const std::string& GetChannelID() const = 0;
  // The proposal's timestamp, as the client set it: the same on every endorsing peer, unlike the clock.
  virtual Timestamp GetTxTimestamp() const = 0;
  // The creator's msp.SerializedIdentity bytes, as in the proposal.
  virtual const std::string& GetCreator() const = 0;
  // The creator as the peer's MSP verified it.
  virtual const ClientIdentity& GetClientIdentity() const = 0;
  // The proposal's transient map: data the client sent that is not recorded in the transaction.
  virtual const std::map<std::string, std::string, std::less<>>& GetTransient() const = 0;

  // ----- World state (this chaincode's namespace only) -----

  // The committed value of `key`, or nullopt if it has none.
  virtual std::optional<std::string> GetState(std::string_view key) = 0;
  // Records a write of `key` (not empty). A key starting with "\x00" is a composite key.
  virtual void PutState(std::string_view key, std::string_view value) = 0;
  // Records the deletion of `key` (not empty).
  virtual void DelState(std::string_view key) = 0;

  // Committed simple keys in [start_key, end_key), ascending. An empty start_key means the first simple
  // key, an empty end_key no upper bound; neither may start with "\x00" (composite keys are queried with
  // GetStateByPartialCompositeKey).
  virtual std::unique_ptr<StateQueryIterator> GetStateByRange(std::string_view start_key, std::string_view end_key) = 0;
  // One page of GetStateByRange: at most `page_size` (> 0) keys, starting at `bookmark` (a bookmark from
  // the previous page's metadata, inside the range) or at start_key when `bookmark` is empty. Read-only
  // transactions only.
  virtual PaginatedStateQuery GetStateByRangeWithPagination(std::string_view start_key, std::string_view end_key,
                                                            int32_t page_size, std::string_view bookmark) = 0;

  // Committed composite keys of `object_type` whose first attributes are `attributes`, ascending.
  virtual std::unique_ptr<StateQueryIterator> GetStateByPartialCompositeKey(
      std::string_view object_type, const std::vector<std::string>& attributes) = 0;
  // One page of GetStateByPartialCompositeKey (see GetStateByRangeWithPagination).
  virtual PaginatedStateQuery GetStateByPartialCompositeKeyWithPagination(std::string_view object_type,
                                                                          const std::vector<std::string>& attributes,
                                                                          int32_t page_size,
                                                                          std::string_view bookmark) = 0;

  // Every committed write of `key`, newest first. Not re-checked at commit.
  virtual std::unique_ptr<HistoryQueryIterator> GetHistoryForKey(std::string_view key) = 0;

  // See composite_key.h.
  std::string CreateCompositeKey(std::string_view object_type, const std::vector<std::string>& attributes) const {
    return shim::CreateCompositeKey(object_type, attributes);
  }
  CompositeKeyParts SplitCompositeKey(std::string_view composite_key) const {
    return shim::SplitCompositeKey(composite_key);
  }

  // ----- Events -----

  // Sets the event the transaction emits when it commits (one per transaction: a later call replaces
  // it). `name` must be non-empty UTF-8. The event is dropped if the invocation answers with an error.
  virtual void SetEvent(std::string_view name, std::string_view payload) = 0;
};

}  // namespace careledger::shim

#endif  // CARELEDGER_SHIM_CHAINCODE_STUB_H_
