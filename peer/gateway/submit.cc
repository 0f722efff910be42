// Submit: send the transaction the client signed to the channel's ordering service (Fabric's
// internal/pkg/gateway/submit.go). The gateway checks only what it must to send it to the right channel; the
// orderers and, later, every committing peer validate it.
#include "absl/strings/str_cat.h"
#include "common/protoutil/envelope.h"
#include "common/status_macros.h"
#include "peer/gateway/gateway_rpcs.h"
#include "peer/gateway/status_mapping.h"

namespace careledger::gateway {

absl::Status Submit(const GatewayContext& gateway, const ::gateway::SubmitRequest& request, const CallContext& call) {
  if (gateway.options.audit) {
    const ::gateway::ErrorDetail detail =
        MakeErrorDetail(gateway.options.address, gateway.options.local_msp_id, kAuditSubmitRefusal);
    return WithErrorDetails(absl::PermissionDeniedError(kAuditSubmitRefusal), {&detail, 1});
  }
  if (!request.has_prepared_transaction()) return absl::InvalidArgumentError("a prepared transaction is required");
  const ::common::Envelope& envelope = request.prepared_transaction();
  if (envelope.signature().empty()) return absl::InvalidArgumentError("prepared transaction must be signed");
  absl::StatusOr<protoutil::ParsedEnvelope> parsed = protoutil::ParseEnvelope(envelope);
  if (!parsed.ok()) return Annotate(parsed.status(), "the prepared transaction is malformed");
  const ::common::ChannelHeader& header = parsed->channel_header;
  if (header.type() != ::common::ENDORSER_TRANSACTION) {
    return absl::InvalidArgumentError("the prepared transaction is not an endorser transaction");
  }
  if (header.tx_id() != request.transaction_id()) {
    return absl::InvalidArgumentError(absl::StrCat("the request's transaction ID '", request.transaction_id(),
                                                   "' is not the prepared transaction's '", header.tx_id(), "'"));
  }
  if (header.channel_id() != request.channel_id()) {
    return absl::InvalidArgumentError(absl::StrCat("the request's channel '", request.channel_id(),
                                                   "' is not the prepared transaction's '", header.channel_id(), "'"));
  }
  ASSIGN_OR_RETURN(std::shared_ptr<GatewayChannel> channel, FindJoinedChannel(gateway.channels, header.channel_id()));
  return channel->Broadcast(envelope, DeadlineWithin(call, gateway.options.broadcast_timeout));
}

}  // namespace careledger::gateway
