// One Broadcast stream (Fabric's orderer/common/broadcast): for each envelope the client sends, exactly one
// BroadcastResponse, in the order the envelopes arrived.
//
// Each envelope is checked on the stream's own thread, in Fabric's order (statuses in parentheses):
//   structure: payload, header, channel and signature headers (protoutil::ParseEnvelope)   (BAD_REQUEST)
//   the channel is one this orderer serves                                                  (NOT_FOUND)
//   CheckBroadcastEnvelope: size, header type, maintenance, creator, expiry, signature,
//     /Channel/Writers (envelope_filter.h)              (BAD_REQUEST, NOT_IMPLEMENTED, ..., FORBIDDEN)
// then handed to the channel's chain, and answered when the chain acknowledges it (after a majority commit):
// OK -> SUCCESS, Unavailable -> SERVICE_UNAVAILABLE, InvalidArgument -> BAD_REQUEST, anything else ->
// INTERNAL_SERVER_ERROR. A refused envelope gets its answer and the stream goes on with the next one (Fabric
// ends the stream after a refusal; answering and continuing serves the same clients and keeps a pipelining
// client's later envelopes alive).
//
// Pipelining: the handler keeps reading while earlier envelopes wait for their blocks, up to
// `max_in_flight` answered-but-not-written envelopes; answers are written by the stream's responder thread
// (in_order_responder.h), so the chain's completion never blocks.
//
// Thread-safety: Serve may run concurrently for any number of streams.
#ifndef CARELEDGER_ORDERER_SERVICES_BROADCAST_HANDLER_H_
#define CARELEDGER_ORDERER_SERVICES_BROADCAST_HANDLER_H_

#include <cstddef>
#include <functional>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "orderer/ab.grpc.pb.h"
#include "orderer/channel/channel_registry.h"
#include "orderer/services/broadcast_metrics.h"
#include "orderer/services/envelope_filter.h"

namespace careledger::orderer {

// How often a Broadcast stream that waits (for room or for its last answers) checks for cancellation.
inline constexpr absl::Duration kBroadcastCancellationPoll = absl::Milliseconds(100);

// The status a Chain::Order result is answered with.
::common::Status BroadcastStatusOfOrder(const absl::Status& ordered);

class BroadcastHandler {
 public:
  // `registry` (and `metrics`, if not null) must outlive the handler; `clock` gives the time certificates are
  // checked at; every answer is counted and timed in `metrics`.
  BroadcastHandler(ChannelRegistry* registry, size_t max_in_flight, std::function<absl::Time()> clock,
                   const BroadcastMetrics* metrics = nullptr);

  // Serves one stream until the client closes its side and every answer is written (OK), or the client goes
  // away or the call is cancelled (CANCELLED). An undecodable message (bytes that are not an Envelope) ends the
  // stream: gRPC reports it to the handler as the end of the stream.
  grpc::Status Serve(grpc::ServerContext* context,
                     grpc::ServerReaderWriter<::orderer::BroadcastResponse, ::common::Envelope>* stream) const;

 private:
  // The checks of one envelope, up to ordering; on acceptance, the channel to order it on.
  Verdict Check(const ::common::Envelope& envelope, std::shared_ptr<OrdererChannel>* channel_out) const;

  ChannelRegistry* registry_;
  const size_t max_in_flight_;
  const std::function<absl::Time()> clock_;
  const BroadcastMetrics* const metrics_;
};

}  // namespace careledger::orderer

#endif  // CARELEDGER_ORDERER_SERVICES_BROADCAST_HANDLER_H_
