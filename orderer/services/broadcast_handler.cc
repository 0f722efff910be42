#include "orderer/services/broadcast_handler.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/logging/logger.h"
#include "common/protoutil/envelope.h"
#include "orderer/services/in_order_responder.h"

namespace careledger::orderer {
namespace {

const logging::Logger& Log() {
  static const logging::Logger log("orderer.broadcast");
  return log;
}

::orderer::BroadcastResponse Response(::common::Status status, std::string info) {
  ::orderer::BroadcastResponse response;
  response.set_status(status);
  response.set_info(std::move(info));
  return response;
}

}  // namespace

::common::Status BroadcastStatusOfOrder(const absl::Status& ordered) {
  switch (ordered.code()) {
    case absl::StatusCode::kOk: return ::common::SUCCESS;
    case absl::StatusCode::kUnavailable: return ::common::SERVICE_UNAVAILABLE;
    case absl::StatusCode::kInvalidArgument: return ::common::BAD_REQUEST;
    default: return ::common::INTERNAL_SERVER_ERROR;
  }
}

BroadcastHandler::BroadcastHandler(ChannelRegistry* registry, size_t max_in_flight, std::function<absl::Time()> clock,
                                   const BroadcastMetrics* metrics)
    : registry_(registry), max_in_flight_(max_in_flight), clock_(std::move(clock)), metrics_(metrics) {}

Verdict BroadcastHandler::Check(const ::common::Envelope& envelope, std::shared_ptr<OrdererChannel>* channel_out) const {
  absl::StatusOr<protoutil::ParsedEnvelope> parsed = protoutil::ParseEnvelope(envelope);
  if (!parsed.ok()) return Verdict::Refuse(::common::BAD_REQUEST, std::string(parsed.status().message()));
  const std::string& channel_id = parsed->channel_header.channel_id();
  std::shared_ptr<OrdererChannel> channel = registry_->Find(channel_id);
  if (channel == nullptr) {
    return Verdict::Refuse(::common::NOT_FOUND,
                           absl::StrCat("channel '", absl::CHexEscape(channel_id), "' is not served by this orderer"));
  }
  Verdict verdict =
      CheckBroadcastEnvelope(ChannelView{channel->config(), channel->msps()}, envelope, *parsed, clock_());
  if (verdict.ok()) *channel_out = std::move(channel);
  return verdict;
}

grpc::Status BroadcastHandler::Serve(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<::orderer::BroadcastResponse, ::common::Envelope>* stream) const {
  InOrderResponder responder([stream](const ::orderer::BroadcastResponse& r) { return stream->Write(r); },
                             [context] { return context->IsCancelled(); }, max_in_flight_,
                             kBroadcastCancellationPoll);
  ::common::Envelope envelope;
  while (responder.WaitForRoom() && stream->Read(&envelope)) {
    InOrderResponder::Answer answer = responder.Add();
    const absl::Time received = absl::Now();
    std::shared_ptr<OrdererChannel> channel;
    Verdict verdict = Check(envelope, &channel);
    if (!verdict.ok()) {
      Log().Warn("refused a broadcast envelope",
                 {{"peer", context->peer()}, {"status", ::common::Status_Name(verdict.status)}, {"why", verdict.info}});
      if (metrics_ != nullptr) metrics_->Processed(verdict.status, absl::Now() - received);
      answer(Response(verdict.status, std::move(verdict.info)));
      continue;
    }
    // The Raft loop thread runs this completion: it only stores the answer for the responder's thread.
    channel->chain().Order(envelope.SerializeAsString(), /*is_config=*/false,
                           [answer, received, metrics = metrics_](absl::Status ordered) {
                             const ::common::Status status = BroadcastStatusOfOrder(ordered);
                             if (metrics != nullptr) metrics->Processed(status, absl::Now() - received);
                             answer(Response(status, std::string(ordered.message())));
                           });
  }
  if (!responder.Drain()) return grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
  return grpc::Status::OK;
}

}  // namespace careledger::orderer
