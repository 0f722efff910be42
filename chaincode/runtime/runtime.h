// Runtime: runs one chaincode invocation against a LedgerAccess and turns whatever the chaincode does into
// a Fabric response.
//
// Every chaincode, built-in or loaded, runs through the C ABI (careledger/chaincode_abi.h), so both kinds
// behave alike. What the chaincode does maps to the result as follows; none of it is an absl error, and the
// peer goes on:
// - returns a response: that status, message (made valid UTF-8) and payload; its event if the status is
//   below 400 (Fabric drops the event of a failed invocation);
// - throws: status 500, the exception's text (see careledger/shim/chaincode.h);
// - runs past InvokeOptions::timeout: status 500 "chaincode NAME timed out after D". The chaincode cannot
//   be stopped: it keeps its worker thread (a stuck worker, see invocation_workers.h) until it returns, and
//   every ledger call it makes after Invoke returned fails without reaching the LedgerAccess;
// - makes a ledger call that the LedgerAccess fails: status 500 naming the failure, whatever the chaincode
//   returns afterwards, and result.ledger_error holds the status (a local failure the caller may log).
// On any status of 400 and above the caller must discard the simulation's read-write set.
//
// Invocations run on reusable worker threads so that a time limit can be enforced (threads are created
// on demand and kept; none is created per invocation once warm). With an infinite timeout the invocation
// runs on the caller's thread instead, which saves the hand-off.
//
// Thread-safe: Invoke may be called from many threads at once. The destructor requires that no Invoke is in
// progress.
#ifndef CARELEDGER_CHAINCODE_RUNTIME_RUNTIME_H_
#define CARELEDGER_CHAINCODE_RUNTIME_RUNTIME_H_

#include <cstddef>
#include <optional>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chaincode/runtime/executable.h"
#include "chaincode/runtime/invocation_workers.h"
#include "chaincode/runtime/ledger_access.h"
#include "common/logging/logger.h"
#include "peer/chaincode_event.pb.h"
#include "peer/proposal_response.pb.h"

namespace careledger::chaincode {

struct InvokeOptions {
  // How long the chaincode may run, counted from the call (waiting for a free worker included); Fabric's
  // chaincode.executetimeout defaults to 30 s. InfiniteDuration runs it on the caller's thread, unlimited.
  absl::Duration timeout = absl::Seconds(30);
  // Call the chaincode's Init instead of Invoke (a Fabric 2 definition with init required).
  bool is_init = false;
};

struct InvocationResult {
  ::protos::Response response;
  // The chaincode's event (chaincode_id = the invoked name, tx_id = the context's), only with a response
  // status below 400.
  std::optional<::protos::ChaincodeEvent> event;
  // The first error the LedgerAccess returned during the invocation, if any (the response is then 500).
  absl::Status ledger_error;
};

class Runtime {
 public:
  struct Options {
    size_t max_workers = 64;       // invocations running at once; more wait for a worker
    size_t max_stuck_workers = 8;  // chaincodes past their limit still running before Invoke refuses work
  };

  explicit Runtime(Options options);
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // Runs `code` as chaincode `chaincode_name` (the name of its definition on the channel) for one proposal.
  // `ledger` must stay valid until Invoke returns; Invoke never uses it afterwards. Errors are local
  // conditions only: InvalidArgument for a timeout that is not positive, Unavailable while max_stuck_workers
  // workers are stuck, ResourceExhausted if no worker thread can be started.
  absl::StatusOr<InvocationResult> Invoke(const Executable& code, std::string_view chaincode_name,
                                          const InvocationContext& context, LedgerAccess& ledger,
                                          const InvokeOptions& options);

  // Workers running a chaincode that exceeded its limit and has not returned (for metrics and tests).
  size_t stuck_workers() const { return workers_.stuck_workers(); }

 private:
  InvocationWorkers workers_;
  logging::Logger log_;
};

}  // namespace careledger::chaincode

#endif  // CARELEDGER_CHAINCODE_RUNTIME_RUNTIME_H_
