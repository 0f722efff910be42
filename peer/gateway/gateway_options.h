// How a peer's client-facing services are configured (Fabric's peer.gateway.* settings, plus the audit role).
#ifndef CARELEDGER_PEER_GATEWAY_GATEWAY_OPTIONS_H_
#define CARELEDGER_PEER_GATEWAY_GATEWAY_OPTIONS_H_

#include <functional>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace careledger::gateway {

// What an audit peer answers Endorse (and peer.Endorser/ProcessProposal) and Submit with.
inline constexpr char kAuditEndorseRefusal[] = "this peer is an audit peer: it does not endorse";
inline constexpr char kAuditSubmitRefusal[] =
    "this peer is an audit peer: it does not submit transactions to the ordering service";

struct GatewayOptions {
  // This peer's organisation: its endorser endorses for it, and Evaluate runs here when a client targets it.
  std::string local_msp_id;
  // This peer's address as clients reach it ("host:port"), named in the ErrorDetails of this peer's failures.
  std::string address;
  // An audit peer (a regulator's, say) commits blocks and serves Deliver, Evaluate, CommitStatus and
  // ChaincodeEvents, but never endorses or submits: Endorse, Submit and peer.Endorser refuse with
  // PERMISSION_DENIED, so it can hold a copy of the ledger without taking part in transactions.
  bool audit = false;
  // How long one peer may take to endorse or evaluate (Fabric's peer.gateway.endorsementTimeout).
  absl::Duration endorsement_timeout = absl::Seconds(30);
  // How long Submit may spend on the ordering service (Fabric's peer.gateway.broadcastTimeout).
  absl::Duration broadcast_timeout = absl::Seconds(30);
  // The longest CommitStatus waits for a transaction to commit, even if the client set a later deadline (or
  // none), so that a client asking for transactions that never come cannot pile up waiting calls.
  // DEADLINE_EXCEEDED after it; the client may ask again.
  absl::Duration commit_status_wait_limit = absl::Minutes(5);
  // How often ChaincodeEvents and Deliver, waiting for blocks, check whether their client went away
  // (call_context.h).
  absl::Duration poll = absl::Milliseconds(250);
  // Now, for checking the certificates of signed requests; tests inject expiry.
  std::function<absl::Time()> clock = [] { return absl::Now(); };
};

}  // namespace careledger::gateway

#endif  // CARELEDGER_PEER_GATEWAY_GATEWAY_OPTIONS_H_
