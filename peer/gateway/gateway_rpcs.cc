// The helpers gateway_rpcs.h shares between the RPCs.
#include "peer/gateway/gateway_rpcs.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "peer/gateway/signed_request.h"

namespace careledger::gateway {

absl::StatusOr<std::shared_ptr<GatewayChannel>> FindJoinedChannel(const GatewayChannels& channels,
                                                                  std::string_view channel_id) {
  std::shared_ptr<GatewayChannel> channel = channels.Find(channel_id);
  if (channel == nullptr) {
    return absl::NotFoundError(absl::StrCat("channel '", AsAbsl(channel_id), "' is not joined by this peer"));
  }
  return channel;
}

absl::StatusOr<ProposedTransaction> ReadProposedTransaction(const GatewayChannels& channels,
                                                            const ::protos::SignedProposal& proposal,
                                                            std::string_view request_tx_id,
                                                            std::string_view request_channel_id) {
  if (proposal.proposal_bytes().empty()) {
    return absl::InvalidArgumentError("the request carries no proposed transaction (a signed proposal)");
  }
  absl::StatusOr<protoutil::ParsedProposal> parsed = protoutil::ParseSignedProposal(proposal);
  if (!parsed.ok()) return Annotate(parsed.status(), "the proposed transaction is malformed");
  ProposedTransaction proposed;
  proposed.parsed = *std::move(parsed);
  proposed.signed_proposal = &proposal;
  proposed.channel_id = proposed.parsed.channel_header.channel_id();
  proposed.tx_id = proposed.parsed.channel_header.tx_id();
  proposed.chaincode = proposed.parsed.invocation_spec.chaincode_spec().chaincode_id().name();
  proposed.has_transient_data = !proposed.parsed.payload.transientmap().empty();
  if (request_tx_id != proposed.tx_id) {
    return absl::InvalidArgumentError(absl::StrCat("the request's transaction ID '", AsAbsl(request_tx_id),
                                                   "' is not the proposal's '", proposed.tx_id, "'"));
  }
  if (request_channel_id != proposed.channel_id) {
    return absl::InvalidArgumentError(absl::StrCat("the request's channel '", AsAbsl(request_channel_id),
                                                   "' is not the proposal's '", proposed.channel_id, "'"));
  }
  if (proposed.channel_id.empty()) return absl::InvalidArgumentError("the proposal names no channel");
  if (proposed.chaincode.empty()) return absl::InvalidArgumentError("the proposal names no chaincode");
  ASSIGN_OR_RETURN(proposed.channel, FindJoinedChannel(channels, proposed.channel_id));
  return proposed;
}

absl::StatusOr<std::shared_ptr<GatewayChannel>> AuthorizeChannelRequest(
    const GatewayContext& gateway, std::string_view channel_id, std::string_view identity,
    std::string_view request_bytes, std::string_view signature, std::string_view resource, std::string_view what) {
  if (identity.empty()) return absl::InvalidArgumentError(absl::StrCat("the ", AsAbsl(what), " has no identity"));
  if (channel_id.empty()) return absl::InvalidArgumentError(absl::StrCat("the ", AsAbsl(what), " has no channel ID"));
  ASSIGN_OR_RETURN(std::shared_ptr<GatewayChannel> channel, FindJoinedChannel(gateway.channels, channel_id));
  RETURN_IF_ERROR(
      AuthorizeSignedRequest(channel->view(), {request_bytes, identity, signature}, resource, gateway.options.clock())
          .status());
  return channel;
}

bool MayTryAnotherPeer(const absl::Status& failure) {
  return absl::IsUnavailable(failure) || absl::IsDeadlineExceeded(failure) || absl::IsAborted(failure);
}

}  // namespace careledger::gateway
