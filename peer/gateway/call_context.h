// What an RPC's implementation knows of its gRPC call — when it must be done and whether the client is still
// there — so that the RPCs (evaluate.cc, commit_status.cc, ...) are functions of plain values, and how a
// synchronous handler waits for the ledger without holding a thread past the client's interest.
//
// gRPC's synchronous API does not wake a handler when its client goes away: a waiting handler has to look.
// WaitForLedgerHeight waits on the ledger's condition variable (Ledger::WaitForHeight, no spinning) in steps of
// `poll`, checking between steps whether the call was cancelled, so a client that leaves (or a server that
// shuts down, which cancels the calls still running) releases the thread within one step.
#ifndef CARELEDGER_PEER_GATEWAY_CALL_CONTEXT_H_
#define CARELEDGER_PEER_GATEWAY_CALL_CONTEXT_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/time/time.h"
#include "grpcpp/server_context.h"
#include "peer/ledger/ledger.h"

namespace careledger::gateway {

struct CallContext {
  absl::Time deadline = absl::InfiniteFuture();            // the client's deadline; InfiniteFuture if it set none
  std::function<bool()> cancelled = [] { return false; };  // true once the client went away; thread-safe
  std::string client;                                      // the client's address, for logs
};

// The context of a call being served. `context` must outlive the result.
CallContext CallContextOf(const grpc::ServerContext& context);

// The earlier of the call's deadline and now + `limit`.
absl::Time DeadlineWithin(const CallContext& call, absl::Duration limit);

enum class HeightWait {
  kReached,           // ledger.Height() >= height
  kDeadlineExceeded,  // `deadline` passed first
  kCancelled,         // the call was cancelled first
  kLedgerClosed,      // the ledger was closed (the peer is leaving the channel or stopping)
};

// Waits until `ledger` holds `height` blocks, as described above. Returns at once if it already does.
HeightWait WaitForLedgerHeight(const ledger::Ledger& ledger, uint64_t height, absl::Time deadline,
                               const CallContext& call, absl::Duration poll);

}  // namespace careledger::gateway

#endif  // CARELEDGER_PEER_GATEWAY_CALL_CONTEXT_H_
