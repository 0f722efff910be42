// The five gateway.Gateway RPCs as functions of plain values, one per file as in Fabric's
// internal/pkg/gateway (evaluate.cc, endorse.cc, submit.cc, commit_status.cc, chaincode_events.cc), so that
// GatewayService only dispatches and maps errors (status_mapping.h). Their behaviour, error by error, is the
// contract in gateway_service.h and docs/gateway.md. Internal to peer/gateway.
#ifndef CARELEDGER_PEER_GATEWAY_GATEWAY_RPCS_H_
#define CARELEDGER_PEER_GATEWAY_GATEWAY_RPCS_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/protoutil/proposal.h"
#include "common/protoutil/unmarshal.h"
#include "common/strings.h"
#include "gateway/gateway.pb.h"
#include "grpcpp/support/server_callback.h"
#include "grpcpp/server_context.h"
#include "peer/endorser/endorser.h"
#include "peer/gateway/call_context.h"
#include "peer/gateway/gateway_channel.h"
#include "peer/gateway/gateway_options.h"

namespace careledger::gateway {

// What every RPC uses; all outlive the calls.
struct GatewayContext {
  const GatewayChannels& channels;
  const endorser::Endorser& local_endorser;
  const GatewayOptions& options;
};

absl::StatusOr<::gateway::EvaluateResponse> Evaluate(const GatewayContext& gateway,
                                                     const ::gateway::EvaluateRequest& request,
                                                     const CallContext& call);
absl::StatusOr<::gateway::EndorseResponse> Endorse(const GatewayContext& gateway,
                                                   const ::gateway::EndorseRequest& request, const CallContext& call);
absl::Status Submit(const GatewayContext& gateway, const ::gateway::SubmitRequest& request, const CallContext& call);
// On gRPC's callback API (commit_status.cc): the reactor that answers the call once the transaction commits,
// the client leaves or GatewayOptions::commit_status_wait_limit passes. It owns itself.
grpc::ServerUnaryReactor* StartCommitStatus(const GatewayContext& gateway, grpc::CallbackServerContext* context,
                                            const ::gateway::SignedCommitStatusRequest& request,
                                            ::gateway::CommitStatusResponse* response);
// Streams responses through `send`, which returns false once the client is gone; returns when the stream ends.
absl::Status ChaincodeEvents(const GatewayContext& gateway, const ::gateway::SignedChaincodeEventsRequest& request,
                             const CallContext& call,
                             const std::function<bool(const ::gateway::ChaincodeEventsResponse&)>& send);

// --- Shared by the RPCs ---------------------------------------------------------------------------------------

// The channel `channel_id` this peer has joined. NotFound "channel '<id>' is not joined by this peer".
absl::StatusOr<std::shared_ptr<GatewayChannel>> FindJoinedChannel(const GatewayChannels& channels,
                                                                  std::string_view channel_id);

// A client's proposal (EvaluateRequest, EndorseRequest), parsed, with the channel it is for.
struct ProposedTransaction {
  protoutil::ParsedProposal parsed;
  const ::protos::SignedProposal* signed_proposal = nullptr;  // the request's, unchanged
  std::string channel_id;
  std::string tx_id;
  std::string chaincode;
  bool has_transient_data = false;
  std::shared_ptr<GatewayChannel> channel;
};

// Parses `proposal` at every layer (protoutil::ParseSignedProposal: structure and transaction ID) and checks
// that the request's transaction and channel IDs are the proposal's (the client signed the proposal, not the
// request around it). InvalidArgument saying which; NotFound for a channel not joined. `proposal` must outlive
// the result.
absl::StatusOr<ProposedTransaction> ReadProposedTransaction(const GatewayChannels& channels,
                                                            const ::protos::SignedProposal& proposal,
                                                            std::string_view request_tx_id,
                                                            std::string_view request_channel_id);

// The checks every signed request (CommitStatus, ChaincodeEvents) passes: it names an identity and a channel
// this peer has joined, and its signature by that identity over `request_bytes` is allowed `resource` there
// (AuthorizeSignedRequest). The channel; InvalidArgument, NotFound or PermissionDenied. `what` names the
// request in messages.
absl::StatusOr<std::shared_ptr<GatewayChannel>> AuthorizeChannelRequest(
    const GatewayContext& gateway, std::string_view channel_id, std::string_view identity,
    std::string_view request_bytes, std::string_view signature, std::string_view resource, std::string_view what);

// A signed request's message and its channel, as OpenSignedRequest returns them.
template <typename Request>
struct OpenedRequest {
  Request request;
  std::shared_ptr<GatewayChannel> channel;
};

// Parses `request_bytes` as a Request (a message with channel_id and identity fields), then
// AuthorizeChannelRequest. InvalidArgument for missing or malformed bytes.
template <typename Request>
absl::StatusOr<OpenedRequest<Request>> OpenSignedRequest(const GatewayContext& gateway, std::string_view request_bytes,
                                                         std::string_view signature, std::string_view resource,
                                                         std::string_view what) {
  if (request_bytes.empty()) return absl::InvalidArgumentError(absl::StrCat("a ", AsAbsl(what), " is required"));
  absl::StatusOr<Request> request = protoutil::Unmarshal<Request>(request_bytes, what);
  if (!request.ok()) return request.status();
  absl::StatusOr<std::shared_ptr<GatewayChannel>> channel = AuthorizeChannelRequest(
      gateway, request->channel_id(), request->identity(), request_bytes, signature, resource, what);
  if (!channel.ok()) return channel.status();
  return OpenedRequest<Request>{*std::move(request), *std::move(channel)};
}

// Whether an endorsing peer's failure (EndorsingPeer's codes) lets the gateway ask another peer.
bool MayTryAnotherPeer(const absl::Status& failure);

}  // namespace careledger::gateway

#endif  // CARELEDGER_PEER_GATEWAY_GATEWAY_RPCS_H_
