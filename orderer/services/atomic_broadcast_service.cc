#include "orderer/services/atomic_broadcast_service.h"

#include <utility>

#include "absl/time/clock.h"

namespace careledger::orderer {
namespace {

std::function<absl::Time()> ClockOrNow(std::function<absl::Time()> clock) {
  if (clock) return clock;
  return [] { return absl::Now(); };
}

}  // namespace

AtomicBroadcastService::AtomicBroadcastService(ChannelRegistry* registry, AtomicBroadcastOptions options)
    : broadcast_(registry, options.max_in_flight_per_stream, ClockOrNow(options.clock), options.broadcast_metrics),
      deliver_(registry, ClockOrNow(options.clock), options.deliver_poll) {}

grpc::Status AtomicBroadcastService::Broadcast(
    grpc::ServerContext* context, grpc::ServerReaderWriter<::orderer::BroadcastResponse, ::common::Envelope>* stream) {
  return broadcast_.Serve(context, stream);
}

grpc::Status AtomicBroadcastService::Deliver(
    grpc::ServerContext* context, grpc::ServerReaderWriter<::orderer::DeliverResponse, ::common::Envelope>* stream) {
  return deliver_.Serve(context, stream);
}

}  // namespace careledger::orderer
