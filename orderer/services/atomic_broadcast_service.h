// orderer.AtomicBroadcast, the ordering service's client API, served on the orderer's TLS port: Fabric's
// clients (SDKs, the peer CLI) submit transactions with Broadcast and Fabric's peers pull blocks with Deliver,
// unchanged. This class only dispatches: broadcast_handler.h and deliver_handler.h hold the behaviour and its
// contract, envelope_filter.h the rules envelopes are checked against.
//
//   AtomicBroadcastService service(registry.get());
//   grpc::ServerBuilder builder;
//   builder.RegisterService(&service);
//
// Shutting down: grpc::Server::Shutdown(deadline) cancels the calls still running at the deadline; a Deliver
// stream waiting for blocks notices within AtomicBroadcastOptions::deliver_poll and a Broadcast stream within
// kBroadcastCancellationPoll, so the server's threads are released promptly.
//
// Thread-safety: gRPC calls the methods concurrently, one call per stream; the service itself holds no
// mutable state.
#ifndef CARELEDGER_ORDERER_SERVICES_ATOMIC_BROADCAST_SERVICE_H_
#define CARELEDGER_ORDERER_SERVICES_ATOMIC_BROADCAST_SERVICE_H_

#include <cstddef>
#include <functional>

#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "orderer/ab.grpc.pb.h"
#include "orderer/channel/channel_registry.h"
#include "orderer/services/broadcast_handler.h"
#include "orderer/services/deliver_handler.h"

namespace careledger::orderer {

struct AtomicBroadcastOptions {
  size_t max_in_flight_per_stream = 1024;   // Broadcast envelopes accepted but not yet answered, per stream
  absl::Duration deliver_poll = absl::Milliseconds(500);  // how often a waiting Deliver checks for cancellation
  std::function<absl::Time()> clock;        // now(); defaults to absl::Now (tests inject expiry scenarios)
  const BroadcastMetrics* broadcast_metrics = nullptr;  // counts and times Broadcast's answers; null: nowhere
};

class AtomicBroadcastService final : public ::orderer::AtomicBroadcast::Service {
 public:
  // `registry` must outlive the service (and the server it is registered with).
  AtomicBroadcastService(ChannelRegistry* registry, AtomicBroadcastOptions options = {});

  grpc::Status Broadcast(grpc::ServerContext* context,
                         grpc::ServerReaderWriter<::orderer::BroadcastResponse, ::common::Envelope>* stream) override;
  grpc::Status Deliver(grpc::ServerContext* context,
                       grpc::ServerReaderWriter<::orderer::DeliverResponse, ::common::Envelope>* stream) override;

 private:
  const BroadcastHandler broadcast_;
  const DeliverHandler deliver_;
};

}  // namespace careledger::orderer

#endif  // CARELEDGER_ORDERER_SERVICES_ATOMIC_BROADCAST_SERVICE_H_
