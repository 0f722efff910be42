// The boundary between a running chaincode and the peer. The chaincode runtime (chaincode/runtime) calls a
// LedgerAccess for every GetState, PutState, range query and history query the chaincode makes; the endorser
// implements it over the ledger's transaction simulator (which records the read-write set) and its history
// index. Everything here is already scoped to the invoked chaincode's namespace: a chaincode cannot name
// another namespace.
//
// The runtime owns the invocation; the endorser owns the LedgerAccess and keeps it alive for the whole call.
// Calls arrive one at a time (no two calls of one invocation overlap), from the runtime's worker thread that
// runs the chaincode; the iterators it opened may be destroyed on the thread that called Runtime::Invoke.
// Before Invoke returns (including when it gave up on a chaincode past its time limit) the runtime destroys
// every iterator it obtained, and it never calls the LedgerAccess of that invocation again.
#ifndef CARELEDGER_CHAINCODE_RUNTIME_LEDGER_ACCESS_H_
#define CARELEDGER_CHAINCODE_RUNTIME_LEDGER_ACCESS_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace careledger::chaincode {

// One key and value of a range query.
struct KeyValue {
  std::string key;
  std::string value;
};

// One committed write of a key, for GetHistoryForKey (Fabric's queryresult.KeyModification).
struct KeyModification {
  std::string tx_id;
  std::string value;  // empty for a delete
  absl::Time timestamp;  // the writing transaction's channel-header timestamp
  bool is_delete = false;
};

// Walks results in order. Next returns nullopt at the end; errors end the walk.
template <typename T>
class ResultIterator {
 public:
  virtual ~ResultIterator() = default;
  virtual absl::StatusOr<std::optional<T>> Next() = 0;
};

// The invoked chaincode's view of the ledger during one simulation. Errors are the peer's (storage failures,
// a key the simulator refuses such as an empty one: InvalidArgument with the reason); the runtime turns them
// into an error response for the proposal.
class LedgerAccess {
 public:
  virtual ~LedgerAccess() = default;

  // The committed value of `key`, or nullopt if absent. Fabric semantics: a transaction does not read its own
  // writes.
  virtual absl::StatusOr<std::optional<std::string>> GetState(std::string_view key) = 0;
  virtual absl::Status PutState(std::string_view key, std::string_view value) = 0;
  virtual absl::Status DelState(std::string_view key) = 0;

  // Committed keys k with start_key <= k < end_key in ascending order; empty end_key: no upper bound. The
  // simulator records what the chaincode actually read (for phantom detection at commit), so a caller that
  // stops early records a partial range.
  virtual absl::StatusOr<std::unique_ptr<ResultIterator<KeyValue>>> GetStateByRange(std::string_view start_key,
                                                                                      std::string_view end_key) = 0;

  // Every committed write of `key`, newest first (as Fabric returns them). Not recorded in the read set.
  virtual absl::StatusOr<std::unique_ptr<ResultIterator<KeyModification>>> GetHistoryForKey(
      std::string_view key) = 0;
};

// The verified creator of the proposal, as the endorser's MSP established it (chaincode never parses or
// trusts an identity itself).
struct CreatorInfo {
  std::string msp_id;
  std::string serialized_identity;  // msp.SerializedIdentity bytes: what GetCreator returns
  std::string id;                   // Fabric's client identity ID (msp::Identity::ClientId)
  std::string certificate_pem;      // the creator's certificate
  std::map<std::string, std::string> attributes;  // certificate attributes (role, person_id, ...)
};

// Everything about the invocation that is not ledger access.
struct InvocationContext {
  std::string channel_id;
  std::string tx_id;
  absl::Time timestamp;  // the proposal's channel-header timestamp
  std::vector<std::string> args;  // args[0] is the function name by convention
  std::map<std::string, std::string> transient;
  CreatorInfo creator;
};

}  // namespace careledger::chaincode

#endif  // CARELEDGER_CHAINCODE_RUNTIME_LEDGER_ACCESS_H_
