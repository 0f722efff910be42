// HostCall: the peer's side of one chaincode invocation behind the C ABI (careledger/chaincode_abi.h). It
// lends the chaincode the invocation's data, answers its callbacks from a LedgerAccess, applies the shim's
// rules that do not depend on the chaincode's language (empty keys, the simple-key range rules, paginated
// queries only in read-only transactions, event names), and collects the response and the event.
//
// The fence. A chaincode past its time limit cannot be stopped, so the runtime fences its HostCall before
// Invoke returns: Fence() waits for a LedgerAccess call in progress, destroys the ledger's iterators and
// forgets the LedgerAccess; every later callback fails with CARELEDGER_STATUS_FAILED and never reaches
// the endorser's objects, which may be gone by then. Every callback holds mu_ while it uses the ledger,
// which is what makes the fence exact.
//
// Sticky failures. When the LedgerAccess fails (storage, or the simulator refusing a key) the first status
// is kept in ledger_error(): the runtime then answers with an error whatever the chaincode returns, so a
// chaincode that swallows the ShimError can never get a partial simulation endorsed.
//
// Thread-safety: callbacks arrive from the worker thread running the chaincode; Fence() and the accessors
// from the runtime's thread. Everything is guarded by mu_. Results are read after the chaincode returned
// (or after Fence, when the runtime gave up and ignores them).
#ifndef CARELEDGER_CHAINCODE_RUNTIME_HOST_CALL_H_
#define CARELEDGER_CHAINCODE_RUNTIME_HOST_CALL_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "careledger/chaincode_abi.h"
#include "chaincode/runtime/ledger_access.h"

namespace careledger::chaincode {

class HostCall {
 public:
  // `ledger` must stay valid until Fence() returned. With `copy_context` the call keeps its own copy of
  // `context` (needed when the call may outlive the caller's context: a worker past its time limit);
  // otherwise `context` must outlive the call.
  HostCall(const InvocationContext& context, bool copy_context, bool is_init, LedgerAccess* ledger);
  ~HostCall();
  HostCall(const HostCall&) = delete;
  HostCall& operator=(const HostCall&) = delete;

  // The callbacks every HostCall answers (static; same table for every call).
  static const careledger_host_v1& Callbacks();

  careledger_call* handle() { return reinterpret_cast<careledger_call*>(this); }
  const careledger_invocation_v1& invocation() const { return invocation_; }

  // Disconnects the ledger (see the file comment): later callbacks fail with `reason`. Idempotent.
  void Fence(std::string_view reason);

  // What the chaincode answered, taken once after its invoke returned.
  struct Answer {
    bool has_response = false;  // false if the chaincode never called set_response
    int32_t status = 0;
    std::string message;
    std::string payload;
    bool has_event = false;
    std::string event_name;
    std::string event_payload;
    // The first error the LedgerAccess returned, annotated with the call ("GetState: ..."); OK if none.
    absl::Status ledger_error;
  };
  Answer TakeAnswer();

 private:
  struct OpenIterator;

  // The C callbacks, one per member of careledger_host_v1 (defined in host_call.cc).
  friend struct HostCallbacks;

  careledger_status GetState(std::string_view key, int32_t* found, careledger_bytes* value, careledger_bytes* error);
  careledger_status PutState(std::string_view key, std::string_view value, careledger_bytes* error);
  careledger_status DelState(std::string_view key, careledger_bytes* error);
  careledger_status OpenRange(careledger_range_kind kind, std::string_view start, std::string_view end,
                              int32_t page_size, std::string_view bookmark, careledger_iterator* iterator,
                              int32_t* fetched, careledger_bytes* next_bookmark, careledger_bytes* error);
  careledger_status NextEntry(careledger_iterator iterator, int32_t* has, careledger_entry* entry,
                              careledger_bytes* error);
  careledger_status OpenHistory(std::string_view key, careledger_iterator* iterator, careledger_bytes* error);
  careledger_status NextModification(careledger_iterator iterator, int32_t* has,
                                     careledger_key_modification* modification, careledger_bytes* error);
  void CloseIterator(careledger_iterator iterator);
  careledger_status SetEvent(std::string_view name, std::string_view payload, careledger_bytes* error);
  void SetResponse(int32_t status, std::string_view message, std::string_view payload);

  // Helpers for the callbacks; mu_ held.
  careledger_status Invalid(std::string message, careledger_bytes* error);
  careledger_status LedgerFailed(std::string_view operation, const absl::Status& status, careledger_bytes* error);
  careledger_status Fenced(careledger_bytes* error);
  careledger_status ValidateWrite(std::string_view key, careledger_bytes* error);

  void BuildInvocation(const InvocationContext& context, bool is_init);

  // The invocation as the chaincode sees it: owned_context_ (or the caller's context) and arrays of
  // borrowed buffers pointing into it.
  std::optional<InvocationContext> owned_context_;
  std::vector<careledger_bytes> args_;
  std::vector<careledger_entry> transient_;
  std::vector<careledger_entry> attributes_;
  careledger_invocation_v1 invocation_{};

  mutable std::mutex mu_;
  LedgerAccess* ledger_;                                                    // guarded by mu_; null once fenced
  std::string fence_reason_;                                                // guarded by mu_
  std::map<careledger_iterator, std::unique_ptr<OpenIterator>> iterators_;  // guarded by mu_
  careledger_iterator next_iterator_ = 1;                                   // guarded by mu_
  bool wrote_ = false;      // guarded by mu_: PutState or DelState succeeded
  bool paginated_ = false;  // guarded by mu_: a paginated query was opened
  // Buffers lent to the chaincode until its next callback; guarded by mu_.
  std::string scratch_error_;
  std::string scratch_value_;
  std::string scratch_key_;
  std::string scratch_tx_id_;
  Answer answer_;  // guarded by mu_
};

}  // namespace careledger::chaincode

#endif  // CARELEDGER_CHAINCODE_RUNTIME_HOST_CALL_H_
