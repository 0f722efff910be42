// Metrics of every call a node's gRPC server answers, by service, method and status code, under Fabric's
// names (common/grpcmetrics), so that an operator's dashboards for Fabric read CareLedger's /metrics unchanged:
//
//   grpc_server_unary_requests_received    counter    service, method        unary calls started
//   grpc_server_unary_requests_completed   counter    service, method, code  unary calls answered, by status code
//   grpc_server_unary_request_duration     histogram  service, method, code  seconds from start to answer
//   grpc_server_stream_requests_received   counter    service, method        streaming calls started
//   grpc_server_stream_requests_completed  counter    service, method, code  streaming calls ended, by status code
//   grpc_server_stream_request_duration    histogram  service, method, code  seconds from start to end
//   grpc_server_stream_messages_received   counter    service, method        messages read on streams
//   grpc_server_stream_messages_sent       counter    service, method        messages written on streams
//
// "service" is the full service name ("gateway.Gateway"), "method" the method ("Submit"), "code" the gRPC
// code's name ("OK", "PERMISSION_DENIED"): the count of non-OK codes is the node's gRPC error count.
//
//   ASSIGN_OR_RETURN(auto server_metrics, nodeconfig::RegisterGrpcServerMetrics(registry));
//   nodeconfig::ApplyServerMetrics(builder, server_metrics);  // before BuildAndStart
//
// Cost: per call, one reader lock to find the method's counters (created on its first call) and a few relaxed
// atomic adds; no allocation once a method and code have been seen.
//
// Thread-safety: thread-safe; the GrpcServerMetrics must outlive the servers it is applied to.
#ifndef CARELEDGER_COMMON_NODECONFIG_GRPC_SERVER_METRICS_H_
#define CARELEDGER_COMMON_NODECONFIG_GRPC_SERVER_METRICS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "common/metrics/metrics.h"
#include "grpcpp/server_builder.h"

namespace careledger::nodeconfig {

// The families above, and each method's counters once it has been called (defined in the .cc).
class GrpcServerMetrics;

// Adds the families above to `registry` (which must outlive the result). InvalidArgument if a family of the
// same name but another shape is registered.
absl::StatusOr<std::shared_ptr<GrpcServerMetrics>> RegisterGrpcServerMetrics(metrics::Registry& registry);

// Makes the server `builder` builds count its calls into `server_metrics`.
void ApplyServerMetrics(grpc::ServerBuilder& builder, std::shared_ptr<GrpcServerMetrics> server_metrics);

}  // namespace careledger::nodeconfig

#endif  // CARELEDGER_COMMON_NODECONFIG_GRPC_SERVER_METRICS_H_
