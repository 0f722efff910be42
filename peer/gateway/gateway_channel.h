// What the client-facing services (Gateway, peer.Endorser, peer.Deliver) need of a channel this peer has
// joined. The peer's channel object (peer/channel) implements it; tests implement it over a real ledger in a
// temporary folder.
#ifndef CARELEDGER_PEER_GATEWAY_GATEWAY_CHANNEL_H_
#define CARELEDGER_PEER_GATEWAY_GATEWAY_CHANNEL_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/common.pb.h"
#include "peer/endorser/endorser_channel.h"
#include "peer/ledger/ledger.h"
#include "peer/proposal.pb.h"
#include "peer/proposal_response.pb.h"

namespace careledger::gateway {

// A peer that endorses for its organisation: this peer's own endorser, or another organisation's peer reached
// through its peer.Endorser service. Thread-safe.
class EndorsingPeer {
 public:
  virtual ~EndorsingPeer() = default;
  virtual const std::string& msp_id() const = 0;
  virtual const std::string& address() const = 0;  // "host:port", for ErrorDetail; "local" for this peer

  // Fabric's ProcessProposal: a response whose status is in [200, 400), or an error whose message is the
  // peer's and whose code tells the gateway what to do next (Fabric's responseStatus):
  //   Unknown            the chaincode refused (ChaincodeRefusal): final, another peer would answer the same;
  //   Aborted            a remote peer refused the proposal without an answer from the chaincode: the gateway
  //                      may ask another peer of the organisation;
  //   Unavailable / DeadlineExceeded  the peer could not be reached in time: likewise;
  //   any other code     this peer's own endorser refused (endorser.h: InvalidArgument, PermissionDenied, ...).
  virtual absl::StatusOr<::protos::ProposalResponse> ProcessProposal(const ::protos::SignedProposal& proposal,
                                                                     absl::Time deadline) = 0;

  // ProcessProposal without holding the caller's thread while a remote peer works: returns at once and calls
  // `done` exactly once with what ProcessProposal would return — on a gRPC thread for a remote peer. `proposal`
  // must stay alive until then. By default (this peer's own endorser, test peers) it runs ProcessProposal and
  // calls `done` before returning.
  using ProposalCallback = std::function<void(absl::StatusOr<::protos::ProposalResponse>)>;
  virtual void StartProcessProposal(const ::protos::SignedProposal& proposal, absl::Time deadline,
                                    ProposalCallback done) {
    done(ProcessProposal(proposal, deadline));
  }
};

// The error for a chaincode's refusal `response` (status outside [200, 400)): Unknown "chaincode response
// <status>, <message>", Fabric's wording, which clients show as is.
inline absl::Status ChaincodeRefusal(const ::protos::Response& response) {
  return absl::UnknownError(absl::StrCat("chaincode response ", response.status(), ", ", response.message()));
}

// Whether an endorser's response status is a success (Fabric: [200, 400)).
inline bool IsSuccessStatus(int32_t status) { return status >= 200 && status < 400; }

class GatewayChannel {
 public:
  virtual ~GatewayChannel() = default;

  // The channel as the endorser sees it: configuration, MSPs, committed state.
  virtual const endorser::EndorserChannel& view() const = 0;

  // The channel's ledger: commit status, blocks for chaincode events and Deliver.
  virtual const ledger::Ledger& ledger() const = 0;

  // Peers that endorse for organisation `msp_id`, best first (this peer first for its own organisation).
  // Empty if this peer knows none.
  virtual std::vector<std::shared_ptr<EndorsingPeer>> EndorsersOf(std::string_view msp_id) const = 0;

  // Sends `envelope` (a signed transaction) to the channel's ordering service, trying its orderers in turn;
  // OK once one answered SUCCESS. Otherwise, with an ErrorDetail (status_mapping.h) per orderer that failed:
  // Aborted when an orderer refused the transaction as a client error (a 4xx status, with its status and info:
  // another orderer would refuse it too); Unavailable when no orderer accepted it; DeadlineExceeded when the
  // deadline passed first. OrdererBroadcaster (orderer_broadcaster.h) implements exactly this.
  virtual absl::Status Broadcast(const ::common::Envelope& envelope, absl::Time deadline) const = 0;
};

// The channels this peer has joined. Thread-safe.
class GatewayChannels {
 public:
  virtual ~GatewayChannels() = default;
  // nullptr if this peer has not joined `channel_id`.
  virtual std::shared_ptr<GatewayChannel> Find(std::string_view channel_id) const = 0;
};

}  // namespace careledger::gateway

#endif  // CARELEDGER_PEER_GATEWAY_GATEWAY_CHANNEL_H_
